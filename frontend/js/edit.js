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
import { inputValue, fromInput, zoneLabel, fmtWhen } from './when.js';

const FIELDS = ['title', 'text', 'source', 'time', 'tags'];
const LABELS = { title: 'Title', text: 'Text', source: 'Source URL', time: 'Event time', tags: 'Tags' };

// localInput turns an RFC 3339 time into the time field's value: at a
// day, month or year precision the UTC date, month ("2024-03") or year
// as stored, never shifted by a zone; an exact time as a datetime-local
// value in the chosen zone (when.js); '' for none.
export function localInput(t, precision = '') {
  if (!t) return '';
  const d = new Date(t);
  if (isNaN(d)) return '';
  const n = { day: 10, month: 7, year: 4 }[precision];
  return n ? d.toISOString().slice(0, n) : inputValue(t);
}

// timeField is the time field for a precision: a date, a month, a year
// or a date and time (in the chosen zone, which its label names).
function timeField(precision) {
  switch (precision) {
    case 'day': return { type: 'date', label: 'Event date' };
    case 'month': return { type: 'month', label: 'Event month' };
    case 'year': return { type: 'text', label: 'Event year', pattern: '[0-9]{4}' };
  }
  return { type: 'datetime-local', label: 'Event time (' + zoneLabel() + ')' };
}

// formValues returns the form's view of a normalized report: strings.
function formValues(r) {
  return { title: r.title || '', text: r.text || '', source: r.source || '', time: localInput(r.time, r.timePrecision), tags: formatTags(r.tags) };
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
        // A date, month or year is sent as it is: stored at that precision.
        const t = /^\d{4}(-\d\d){0,2}$/.test(v.trim()) ? v.trim() : fromInput(v);
        if (!t) return { error: 'The event time is not a valid date.', field: 'time' };
        body.time = t;
        break;
      }
      case 'tags': body.tags = parseTags(v); break;
    }
  }
  return { body };
}

// correctionsOf lists the corrections made to r's places that a text
// change keeps, as {action, text}: places picked, put at a point or added
// by hand ('place'), and names removed as not places ('remove': from the
// history, when no mention has the name any more).
export function correctionsOf(r) {
  const key = (s) => String(s).toLowerCase();
  const ms = r.mentions || [];
  const have = new Set(ms.map(m => key(m.text)));
  const out = ms.filter(m => m.manual && m.place).map(m => ({ action: 'place', text: m.text }));
  const removed = new Map();
  for (const h of r.history || []) {
    const t = h.action === 'remove' && h.before && h.before.text;
    if (t && !have.has(key(t))) removed.set(key(t), t);
  }
  for (const t of removed.values()) out.push({ action: 'remove', text: t });
  return out;
}

// quoted lists words as “a”, “b”, at most four, once each.
function quoted(words) {
  const names = Array.from(new Set(words.map(t => '“' + t + '”')));
  return names.slice(0, 4).join(', ') + (names.length > 4 ? '…' : '');
}

// textChangeEffects says what the service does to the places of r when
// its text changes (server/report.go placeReport): the new text is tagged
// again and, in the same save, the corrections made by hand move with
// their words to the new places; a name removed as not a place stays
// removed; a main point set by hand stays; a main location chosen among
// the mentions follows its words; an automatic one is chosen again.
export function textChangeEffects(r) {
  const out = ['The text changed: when you save, the service finds the places in the new text again.'];
  const fixes = correctionsOf(r);
  if (fixes.length) {
    out.push(`Your ${fixes.length === 1 ? 'correction' : fixes.length + ' corrections'} to ${quoted(fixes.map(f => f.text))} ${fixes.length === 1 ? 'is' : 'are'} kept where those words are still in the text; any whose words are gone are listed when saved.`);
  }
  const l = r.location, manual = !!(l && l.provenance && l.provenance.method === 'manual');
  const name = l && l.name ? ' (' + l.name + ')' : '';
  if (manual && (l.mention == null || l.mention < 0)) out.push('Your main point set by hand' + name + ' is kept.');
  else if (manual) out.push('The main location you chose' + name + ' stays with its words if they are still in the text; otherwise it is chosen again automatically.');
  else out.push('The main location will be chosen again automatically from the new places.');
  return out;
}

// carryNote turns what the service answered to a text change — carried
// and dropped (server/report.go editAnswer) — into a sentence for the
// analyst; '' when nothing was carried or dropped, or the answer has no
// such lists (the text did not change).
export function carryNote(res) {
  if (!res || !Array.isArray(res.carried)) return '';
  const carried = res.carried, dropped = Array.isArray(res.dropped) ? res.dropped : [];
  const kept = carried.filter(c => c.action !== 'remove' && c.action !== 'main');
  const removed = carried.filter(c => c.action === 'remove');
  const main = carried.find(c => c.action === 'main');
  const parts = [];
  if (kept.length) parts.push(`Your ${kept.length === 1 ? 'correction' : kept.length + ' corrections'} to ${quoted(kept.map(c => c.text))} ${kept.length === 1 ? 'was' : 'were'} kept.`);
  if (removed.length) parts.push(`Removed again as not ${removed.length === 1 ? 'a place' : 'places'}: ${quoted(removed.map(c => c.text))}.`);
  if (main) parts.push(`The main location you chose stays at “${main.text}”.`);
  if (dropped.length) parts.push(`No longer in the text, so dropped: ${dropped.map(c => (c.action === 'main' ? 'main location ' : '') + '“' + c.text + '”').join(', ')} (the history keeps them; Undo brings the old text back).`);
  return parts.length ? 'Saved. ' + parts.join(' ') : '';
}

// ReportEditor is the edit form shown in the report panel.
export class ReportEditor {
  // opts: onSaved(report, note) gets the stored report and, after a text
  // change, what the service kept of the corrections and dropped
  // (carryNote); onReloaded(report) the newer version after a 412;
  // onCancel(message); onError(err, target).
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
    const tf = timeField(this.report.timePrecision);
    const field = (f, input) => {
      this.inputs[f] = input;
      this.notes[f] = el('div', { class: 'server-value', id: 'e-' + f + '-server', hidden: true });
      return [el('label', { for: 'e-' + f, text: f === 'time' ? tf.label : LABELS[f] }), input, this.notes[f]];
    };
    form.append(el('p', { id: 'edit-conflict', class: 'conflict', role: 'alert', hidden: true }));
    form.append(...field('title', el('input', { id: 'e-title', type: 'text', maxlength: '1000' })));
    form.append(...field('text', el('textarea', { id: 'e-text', rows: '8' })));
    this.effects = el('div', { id: 'edit-effects', class: 'effects', role: 'status', hidden: true });
    form.append(this.effects);
    const row = el('div', { class: 'row' },
      el('div', {}, ...field('time', el('input', { id: 'e-time', type: tf.type, ...(tf.pattern ? { pattern: tf.pattern, inputmode: 'numeric' } : {}) }))),
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
    if (changed) for (const s of textChangeEffects(this.report)) e.append(el('p', { text: s }));
  }

  async save() {
    this.error.hidden = true;
    const { body, error, field } = patchBody(this.base, this.values());
    if (error) { this.error.textContent = error; this.error.hidden = false; this.inputs[field].focus(); return; }
    if (!Object.keys(body).length) { this.opts.onCancel('Nothing changed.'); return; }
    this.saveBtn.disabled = true;
    this.form.setAttribute('aria-busy', 'true');
    try {
      // The service carries the corrections over in the same save and
      // answers what it kept and dropped.
      const res = await api.patch('/api/v1/reports/' + encodeURIComponent(this.report.id), body, { headers: { 'If-Match': this.etag } });
      this.opts.onSaved(res, carryNote(res));
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
      const shown = f === 'time' && now[f] ? fmtWhen(this.report.time, this.report.timePrecision) : now[f];
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
