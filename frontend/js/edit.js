// Editing a stored report: title, text, source, time and tags, saved with
// PATCH /api/v1/reports/{id} and If-Match naming the version the form
// started from. Only the fields the analyst changed are sent. When someone
// else saved the report in between (412), the form keeps what was typed,
// takes the other person's values for the fields left alone, shows theirs
// under the fields both changed, and the next save is made against the
// newer version.

import * as api from './api.js';
import { el } from './text.js';
import { parseTags, formatTags } from './tags.js';
import { normalize } from './report.js';

const FIELDS = ['title', 'text', 'source', 'time', 'tags'];
const LABELS = { title: 'Title', text: 'Text', source: 'Source URL', time: 'Event time', tags: 'Tags' };

// localInput turns an RFC 3339 time into a datetime-local value in this
// browser's time zone ('' for none).
export function localInput(t) {
  if (!t) return '';
  const d = new Date(t);
  if (isNaN(d)) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

// formValues returns the form's view of a normalized report: strings.
export function formValues(r) {
  return { title: r.title || '', text: r.text || '', source: r.source || '', time: localInput(r.time), tags: formatTags(r.tags) };
}

// sameField says whether two form values of field f mean the same.
function sameField(f, a, b) {
  if (f === 'tags') return formatTags(parseTags(a)) === formatTags(parseTags(b));
  if (f === 'title' || f === 'source') return a.trim() === b.trim();
  return a === b;
}

// patchBody returns the PATCH body of the fields whose values differ from
// base, or an error message for a value the service would refuse.
export function patchBody(base, values) {
  const body = {};
  for (const f of FIELDS) {
    if (sameField(f, base[f], values[f])) continue;
    const v = values[f];
    switch (f) {
      case 'title': body.title = v.trim(); break;
      case 'text': body.text = v; break;
      case 'source': {
        const s = v.trim();
        if (s && !/^https?:\/\/[^/\s]/i.test(s)) return { error: 'The source must be an http(s) address.', field: 'source' };
        body.source = s;
        break;
      }
      case 'time': {
        if (!v) { body.time = ''; break; }
        const d = new Date(v);
        if (isNaN(d)) return { error: 'The event time is not a valid date.', field: 'time' };
        body.time = d.toISOString();
        break;
      }
      case 'tags': body.tags = parseTags(v); break;
    }
  }
  return { body };
}

// textChangeEffects says what the service does to the places of r when
// its text changes (server/report.go setPlaces): the new text is tagged
// again, so the mentions — and every correction made to them — are
// replaced; a main point set by hand on the map stays; a main location
// that is a mention (chosen by hand or by the tagger) is chosen again
// automatically from the new places. replay: the page applies the
// corrections again after saving (replayPlan).
export function textChangeEffects(r, replay = false) {
  const out = ['The text changed: when you save, the service finds the places in the new text again.'];
  const plan = replayPlan(r);
  const fixes = plan.filter(d => d.c.action !== 'main'); // the main location has its own sentence
  if (fixes.length) {
    const names = Array.from(new Set(fixes.map(d => '“' + d.text + '”')));
    const list = names.slice(0, 4).join(', ') + (names.length > 4 ? '…' : '');
    out.push(replay
      ? `Your ${fixes.length === 1 ? 'correction' : fixes.length + ' corrections'} to ${list} will be applied again after saving, where those words are still in the text (each is recorded in the history); the others are listed when saved.`
      : `Your ${fixes.length === 1 ? 'correction' : fixes.length + ' corrections'} to ${list} will be replaced by the new tagging (the history keeps them); check the places again after saving.`);
  }
  const l = r.location, manual = !!(l && l.provenance && l.provenance.method === 'manual');
  const name = l && l.name ? ' (' + l.name + ')' : '';
  if (manual && (l.mention == null || l.mention < 0)) out.push('Your main point set by hand' + name + ' is kept.');
  else if (manual && replay && plan.some(d => d.c.action === 'main')) out.push('The main location you chose' + name + ' is chosen again after saving, if its words are still in the text.');
  else if (manual) out.push('The main location you chose' + name + ' is a place in the old text: the main location will be chosen again automatically.');
  else out.push('The main location will be chosen again automatically from the new places.');
  return out;
}

// replayPlan lists the corrections made to r's places, as decisions
// {key, nth, text, c} that App.recordCorrections replays on the report
// the service tagged again: places picked or put at a point by hand, names
// removed as not places (from the history, when the name is not in the
// mentions any more), and a main location chosen among the mentions, last.
export function replayPlan(r) {
  const key = (s) => String(s).toLowerCase();
  const ms = r.mentions || [];
  const out = [], count = new Map();
  let main = null;
  ms.forEach((m, i) => {
    const k = key(m.text), nth = count.get(k) || 0;
    count.set(k, nth + 1);
    if (m.manual && m.place) out.push({ key: k, nth, text: m.text, c: { action: 'pick', place: m.place } });
    const l = r.location;
    if (l && l.provenance && l.provenance.method === 'manual' && l.mention === i && m.place) main = { key: k, nth, text: m.text, c: { action: 'main' } };
  });
  const removed = new Map();
  for (const h of r.history || []) {
    const t = h.action === 'remove' && h.before && h.before.text;
    if (t && !count.has(key(t))) removed.set(key(t), t);
  }
  for (const [k, t] of removed) out.push({ key: k, nth: 0, text: t, c: { action: 'remove', all: true } });
  if (main) out.push(main);
  return out;
}

// fitPlan adapts a replay plan to the report as the service tagged it
// again: a picked place whose mention the tagger did not find this time is
// added by its words instead; decisions with nothing to act on are
// returned as skipped (their words, for the analyst).
export function fitPlan(plan, r) {
  const key = (s) => String(s).toLowerCase();
  const have = new Map();
  for (const m of r.mentions || []) have.set(key(m.text), (have.get(key(m.text)) || 0) + 1);
  const text = key(r.text || '');
  const run = [], skipped = [];
  for (const d of plan) {
    if ((have.get(d.key) || 0) > d.nth) run.push(d);
    else if (d.c.action === 'pick' && text.includes(d.key)) run.push({ ...d, c: { action: 'add', text: d.text, place: d.c.place } });
    else if (d.c.action !== 'remove') skipped.push(d.text);
  }
  return { run, skipped };
}

// ReportEditor is the edit form shown in the report panel.
export class ReportEditor {
  // opts: onSaved(report, note) gets the stored report and what could not
  // be applied again; replay(report, decisions) records corrections again
  // (App.recordCorrections); onReloaded(report) the newer version after a
  // 412; onCancel(message); onError(err, target).
  constructor(container, report, etag, opts) {
    this.container = container;
    this.report = report;
    this.etag = etag;
    this.opts = opts;
    this.base = formValues(report);
    this.render();
  }

  render() {
    const c = this.container;
    c.textContent = '';
    const form = el('form', { id: 'edit-form', class: 'edit-form', novalidate: true, 'aria-label': 'Edit the report' });
    form.append(el('h3', { class: 'edit-title', text: 'Edit: ' + (this.report.title || 'untitled report') }));
    this.inputs = {};
    this.notes = {};
    const field = (f, input) => {
      this.inputs[f] = input;
      this.notes[f] = el('div', { class: 'server-value', id: 'e-' + f + '-server', hidden: true });
      return [el('label', { for: 'e-' + f, text: LABELS[f] }), input, this.notes[f]];
    };
    form.append(el('p', { id: 'edit-conflict', class: 'conflict', role: 'alert', hidden: true }));
    form.append(...field('title', el('input', { id: 'e-title', type: 'text', maxlength: '1000' })));
    form.append(...field('text', el('textarea', { id: 'e-text', rows: '8' })));
    this.effects = el('div', { id: 'edit-effects', class: 'effects', role: 'status', hidden: true });
    this.replay = el('input', { type: 'checkbox', id: 'e-replay', checked: true });
    this.replay.addEventListener('change', () => this.showEffects());
    this.replayLine = el('label', { class: 'replay' }, this.replay, ' Apply my place corrections again to the new text');
    form.append(this.effects, this.replayLine);
    const row = el('div', { class: 'row' },
      el('div', {}, ...field('time', el('input', { id: 'e-time', type: 'datetime-local' }))),
      el('div', {}, ...field('source', el('input', { id: 'e-source', type: 'url', placeholder: 'https://…' }))));
    form.append(row);
    form.append(...field('tags', el('input', { id: 'e-tags', type: 'text', placeholder: 'shelling, convoy', autocomplete: 'off', list: 'tag-options' })));
    form.append(el('p', { class: 'hint', text: 'Tags: separated by commas. An empty event time becomes the time the report was stored.' }));
    this.error = el('p', { id: 'edit-error', class: 'error', role: 'alert', hidden: true });
    form.append(this.error);
    this.saveBtn = el('button', { type: 'submit', class: 'primary', id: 'e-save', text: 'Save changes' });
    form.append(el('div', { class: 'actions' }, this.saveBtn,
      el('button', { type: 'button', id: 'e-cancel', text: 'Cancel', onclick: () => this.opts.onCancel() })));
    for (const f of FIELDS) this.inputs[f].value = this.base[f];
    this.inputs.text.addEventListener('input', () => this.showEffects());
    form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    c.append(form);
    this.form = form;
    this.inputs.title.focus();
  }

  // dirty says whether the form holds changes not saved.
  dirty() {
    if (!this.form.isConnected) return false;
    const { body, error } = patchBody(this.base, this.values());
    return !!error || Object.keys(body).length > 0;
  }

  values() {
    const v = {};
    for (const f of FIELDS) v[f] = this.inputs[f].value;
    return v;
  }

  // showEffects tells what a text change will do to the places.
  showEffects() {
    const e = this.effects;
    e.textContent = '';
    const changed = this.inputs.text.value !== this.base.text;
    e.hidden = !changed;
    this.replayLine.hidden = !changed || !replayPlan(this.report).length;
    if (changed) for (const s of textChangeEffects(this.report, this.replay.checked)) e.append(el('p', { text: s }));
  }

  async save() {
    this.error.hidden = true;
    const { body, error, field } = patchBody(this.base, this.values());
    if (error) { this.error.textContent = error; this.error.hidden = false; this.inputs[field].focus(); return; }
    if (!Object.keys(body).length) { this.opts.onCancel('Nothing changed.'); return; }
    this.saveBtn.disabled = true;
    this.form.setAttribute('aria-busy', 'true');
    try {
      const plan = body.text !== undefined && this.replay.checked ? replayPlan(this.report) : [];
      let res = await api.patch('/api/v1/reports/' + encodeURIComponent(this.report.id), body, { headers: { 'If-Match': this.etag } });
      let note = '';
      if (plan.length) {
        const { run, skipped } = fitPlan(plan, res);
        try {
          res = await this.opts.replay(res, run);
        } catch (err) {
          note = 'Saved, but a correction could not be applied again: ' + err.message + ' Check the places.';
        }
        if (!note && skipped.length) note = 'Saved. Not in the new text, so not applied again: ' + skipped.map(t => '“' + t + '”').join(', ') + '.';
      }
      this.opts.onSaved(res, note);
    } catch (err) {
      if (err.status === 412) await this.conflict();
      else this.opts.onError(err, this.error);
    } finally {
      if (this.saveBtn.isConnected) this.saveBtn.disabled = false;
      this.form.removeAttribute('aria-busy');
    }
  }

  // conflict loads the newer version: fields left alone take its values;
  // fields the analyst changed keep the typed value and show the newer
  // one under them; the next save is made against the newer version.
  async conflict() {
    let fresh;
    try {
      fresh = await api.get('/api/v1/reports/' + encodeURIComponent(this.report.id), { etag: true });
    } catch (err) {
      this.opts.onError(err, this.error);
      return;
    }
    const r = normalize(fresh.data);
    const now = formValues(r);
    const typed = this.values();
    const both = [], taken = [];
    for (const f of FIELDS) {
      const note = this.notes[f];
      note.textContent = '';
      note.hidden = true;
      if (sameField(f, this.base[f], now[f])) continue; // they did not change it
      if (sameField(f, this.base[f], typed[f]) || sameField(f, typed[f], now[f])) {
        if (this.inputs[f].value !== now[f]) taken.push(LABELS[f].toLowerCase());
        this.inputs[f].value = now[f]; // only they changed it: take theirs
        continue;
      }
      both.push(LABELS[f].toLowerCase());
      const shown = f === 'time' && now[f] ? new Date(now[f]).toLocaleString() : now[f];
      note.append(el('span', { class: 'sv-label', text: 'Saved meanwhile: ' }),
        el('span', { class: 'sv-value', text: shown || '(empty)' }), ' ',
        el('button', { type: 'button', class: 'link-button sv-use', text: 'Use this', onclick: () => { this.inputs[f].value = now[f]; note.hidden = true; this.showEffects(); } }));
      note.hidden = false;
    }
    this.report = r;
    this.etag = fresh.etag;
    this.base = now;
    if (this.opts.onReloaded) this.opts.onReloaded(fresh.data);
    const msg = this.form.querySelector('#edit-conflict');
    msg.textContent = 'Someone else saved this report while you were editing. ' +
      (both.length ? `What you typed is kept; their ${both.join(', ')} ${both.length === 1 ? 'is' : 'are'} shown under the field. ` : 'What you typed is kept. ') +
      (taken.length ? `The form now holds their ${taken.join(', ')} (you had not changed ${taken.length === 1 ? 'that field' : 'those fields'}). ` : '') +
      (both.length ? 'Save again to replace theirs with yours.' : 'Save again.');
    msg.hidden = false;
    this.showEffects();
  }
}
