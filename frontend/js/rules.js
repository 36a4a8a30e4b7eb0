// The desk's rules and places. In a stored report's mention panel:
// "fix it in every report" (a bulk correction: preview, progress bar,
// undo) and "remember this" (a desk rule). The Rules panel lists the
// rules (edit, disable, remove, re-tag the stored reports they touch),
// the desk places (add, export and import as GeoJSON) and the audit log.
// The rules themselves live in the service; this module only asks it.

import { el, placeLabel } from './text.js';
import * as api from './api.js';

// ruleReason says why a mention has its place: "desk rule by ana, 3 Dec".
export function ruleReason(rule) {
  if (!rule) return '';
  const d = rule.at ? new Date(rule.at) : null;
  const when = d && !isNaN(d) ? d.toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' }) : '';
  return 'desk rule' + (rule.by ? ' by ' + rule.by : '') + (when ? ', ' + when : '');
}

// fromPlace is the place the words of mention i resolved to before a
// person corrected them (the latest revision of that span), or its place.
function fromPlace(report, m) {
  if (!m.manual) return m.place;
  for (const rv of (report.history || []).slice().reverse()) {
    if (rv.after && rv.after.start === m.start && rv.before && rv.before.place) return rv.before.place;
  }
  return null;
}

// runJob polls a bulk job, showing its progress in bar and line, until
// it is done; it resolves to the finished job.
export async function runJob(job, bar, line) {
  bar.hidden = false;
  for (;;) {
    bar.max = Math.max(1, job.progress.total);
    bar.value = job.progress.done;
    line.textContent = `${job.progress.done} of ${job.progress.total} reports looked at, ${job.progress.changed} changed` +
      (job.progress.skipped ? `, ${job.progress.skipped} skipped (changed since)` : '') + '…';
    if (job.state !== 'running') break;
    await new Promise(res => setTimeout(res, 300));
    job = await api.get('/api/v1/corrections/bulk/' + encodeURIComponent(job.id));
  }
  line.textContent = job.state === 'done'
    ? `Done: ${job.progress.changed} reports changed` + (job.progress.skipped ? `, ${job.progress.skipped} skipped (changed since by someone)` : '') + '.'
    : 'Stopped: ' + (job.error || job.state);
  return job;
}

// bulkBox is the preview → run → progress → undo flow of one bulk
// request: start(dryRun) posts it and answers the counts or the job.
function bulkBox(app, start, label) {
  const box = el('div', { class: 'bulk-box' });
  const line = el('p', { class: 'bulk-line', role: 'status' });
  const bar = el('progress', { class: 'bulk-progress', max: '1', value: '0', hidden: true, 'aria-label': 'Bulk correction progress' });
  const run = el('button', { type: 'button', class: 'bulk-run primary', hidden: true });
  const undo = el('button', { type: 'button', class: 'bulk-undo', hidden: true, text: '↶ Undo for every report' });
  const preview = el('button', { type: 'button', class: 'bulk-preview', text: label });
  preview.addEventListener('click', async () => {
    preview.disabled = true;
    try {
      const n = await start(true);
      line.textContent = n.reports ? `${n.reports} stored reports (${n.mentions} mentions) will change. Manual corrections are kept.` : 'No stored report has these words at this place.';
      run.hidden = !n.reports;
      run.textContent = `Apply to ${n.reports} reports`;
    } catch (err) { line.textContent = err.message; }
    preview.disabled = false;
  });
  run.addEventListener('click', async () => {
    run.hidden = true;
    preview.disabled = true;
    try {
      const job = await runJob(await start(false), bar, line);
      undo.hidden = job.state !== 'done' || !job.progress.changed;
      undo.onclick = async () => {
        undo.hidden = true;
        try {
          await runJob(await api.post('/api/v1/corrections/bulk/' + encodeURIComponent(job.id) + '/undo'), bar, line);
          line.textContent = 'Undone. ' + line.textContent;
        } catch (err) { line.textContent = err.message; }
        app.load();
      };
      app.load();
    } catch (err) { line.textContent = err.message; }
    preview.disabled = false;
  });
  box.append(el('div', { class: 'mp-actions' }, preview, run, undo), bar, line);
  return box;
}

// deskActions is the mention panel's desk part for mention m of a stored
// report: the rule that decided it, a bulk correction and "remember
// this". It returns null for a read-only token or an unresolved mention.
export function deskActions(app, report, m) {
  const writer = !(app.me && app.me.read_only);
  const from = fromPlace(report, m);
  if (!writer || !from || !from.id) return null;
  const box = el('details', { class: 'mp-desk' }, el('summary', { text: 'Every report, and rules…' }));
  const target = el('select', { class: 'desk-target', 'aria-label': 'What “' + m.text + '” should be' });
  const options = [];
  const add = (value, text, place) => { options.push({ value, place }); target.append(el('option', { value, text })); };
  if (m.manual && m.place && m.place.id && m.place.id !== from.id) add('place:' + m.place.id, 'the place set here: ' + placeLabel(m.place), m.place);
  if (m.manual && m.place && !m.place.id) add('point', `the point set here (${m.place.lat.toFixed(4)}, ${m.place.lon.toFixed(4)})`, null);
  for (const a of m.alternatives || []) if (a.id && a.id !== from.id && !options.some(o => o.place && o.place.id === a.id)) add('place:' + a.id, placeLabel(a), a);
  add('remove', 'not a place', null);
  const inView = el('input', { type: 'checkbox', class: 'desk-in-view' });
  const choice = () => options.find(o => o.value === target.value);
  box.append(el('p', { class: 'mp-label' }, 'Where “', el('bdi', { text: m.text }), '” is ', el('b', { text: placeLabel(from) }), ', make it:'), target,
    el('label', { class: 'mp-all' }, inView, ' only in the current view'));
  box.append(bulkBox(app, async (dryRun) => {
    const c = choice();
    const body = { words: m.text, place_id: from.id, action: c.place ? 'pick' : c.value === 'point' ? 'point' : 'remove', dry_run: dryRun };
    if (c.place) body.to_place_id = c.place.id;
    if (c.value === 'point') Object.assign(body, { lat: m.place.lat, lon: m.place.lon, name: m.place.name });
    if (inView.checked) body.filter = app.query().toString();
    return api.post('/api/v1/corrections/bulk', body);
  }, 'Preview: every stored report'));
  const country = el('input', { type: 'text', class: 'desk-country', size: '4', maxlength: '2', placeholder: 'SY', 'aria-label': 'Only for texts about this country (optional)' });
  const remember = el('button', { type: 'button', class: 'desk-remember', text: 'Remember this for new texts' });
  const said = el('p', { class: 'hint', role: 'status' });
  remember.addEventListener('click', async () => {
    const c = choice();
    if (c.value === 'point') { said.textContent = 'A rule names a place: add the point as a desk place first (Rules panel), then pick it.'; return; }
    const body = { words: m.text, action: c.place ? 'place' : 'not_place', from_place_id: from.id, country: country.value.trim() };
    if (c.place) body.place_id = c.place.id;
    try {
      const r = await api.post('/api/v1/rules', body);
      said.textContent = `Rule saved: “${r.words}” → ${r.place ? placeLabel(r.place) : 'not a place'}. It applies to every new text; the Rules panel lists it.`;
      app.emit('rules', r);
    } catch (err) { said.textContent = err.message; }
  });
  box.append(el('div', { class: 'mp-actions' }, remember, el('label', {}, ' country ', country)), said);
  return box;
}

// Rules is the Rules panel.
export class Rules {
  constructor(app) {
    this.app = app;
    this.list = document.getElementById('rules-list');
    this.places = document.getElementById('desk-places');
    this.audit = document.getElementById('rules-audit');
    document.addEventListener('geotag:panel', (e) => { if (e.detail === 'rules') this.load(); });
    document.addEventListener('geotag:rules', () => { if (app.activePanel === 'rules') this.load(); });
    document.getElementById('desk-add').addEventListener('submit', (e) => { e.preventDefault(); this.addPlace(e.target); });
    document.getElementById('desk-import').addEventListener('change', (e) => this.importPlaces(e.target));
    const exp = document.getElementById('desk-export');
    exp.href = '/api/v1/desk-places?download=1';
    exp.addEventListener('click', (e) => app.exporter.download(e, exp)); // with the token when reads need one
  }

  // writer says whether the token may change rules and places.
  writer() { return !(this.app.me && this.app.me.read_only); }

  async load() {
    const w = this.writer();
    for (const id of ['desk-add', 'desk-import', 'desk-import-label']) {
      const e = document.getElementById(id);
      if (e) e.hidden = !w;
    }
    try {
      const [rs, dp, au] = await Promise.all([api.get('/api/v1/rules'), api.get('/api/v1/desk-places'), api.get('/api/v1/audit?limit=20')]);
      this.showRules(rs.rules || []);
      this.showPlaces(dp.features || []);
      this.showAudit(au.entries || []);
    } catch (err) {
      this.app.handleError(err, document.getElementById('rules-error'));
    }
  }

  showRules(rules) {
    const ul = this.list;
    ul.textContent = '';
    if (!rules.length) ul.append(el('li', { class: 'empty', text: 'No rules yet: “Remember this” in a mention’s panel makes one.' }));
    for (const r of rules) ul.append(this.ruleItem(r));
  }

  ruleItem(r) {
    const scope = [r.country, r.feed && 'feed ' + r.feed, r.domain, r.bbox && 'an area'].filter(Boolean).join(', ');
    const li = el('li', { class: 'rule' + (r.disabled ? ' disabled' : ''), 'data-rule': r.id },
      el('span', { class: 'rule-words', dir: 'auto', text: '“' + r.words + '”' }), ' → ',
      el('b', { text: r.place ? placeLabel(r.place) : 'not a place' }),
      scope ? el('span', { class: 'hint', text: ' (only ' + scope + ')' }) : null,
      el('span', { class: 'hint', text: ' · ' + ruleReason({ by: r.by, at: r.updated }) + (r.disabled ? ' · disabled' : '') }));
    const patch = async (body) => {
      try { await api.patch('/api/v1/rules/' + encodeURIComponent(r.id), body); this.load(); } catch (err) { this.app.handleError(err, document.getElementById('rules-error')); }
    };
    const words = el('input', { type: 'text', class: 'rule-edit-words', value: r.words, 'aria-label': 'Words' });
    const country = el('input', { type: 'text', class: 'rule-edit-country', value: r.country || '', size: '4', maxlength: '2', 'aria-label': 'Country' });
    const note = el('input', { type: 'text', class: 'rule-edit-note', value: r.note || '', 'aria-label': 'Note' });
    const feed = el('input', { type: 'text', class: 'rule-edit-feed', value: r.feed || '', 'aria-label': 'Feed' });
    const domain = el('input', { type: 'text', class: 'rule-edit-domain', value: r.domain || '', placeholder: 'example.org', 'aria-label': 'Source domain' });
    const edit = el('details', { class: 'rule-edit' }, el('summary', { text: 'Edit' }),
      el('label', {}, 'Words ', words), el('label', {}, ' Country ', country), el('label', {}, ' Feed ', feed), el('label', {}, ' Source domain ', domain),
      el('label', {}, ' Note ', note),
      el('button', { type: 'button', class: 'rule-save', text: 'Save', onclick: () => patch({ words: words.value, country: country.value, feed: feed.value, domain: domain.value, note: note.value }) }));
    const actions = el('div', { class: 'mp-actions' },
      el('button', { type: 'button', class: 'rule-toggle', text: r.disabled ? 'Enable' : 'Disable', onclick: () => patch({ disabled: !r.disabled }) }),
      el('button', { type: 'button', class: 'rule-delete danger', text: 'Remove', onclick: async () => {
        try { await api.del('/api/v1/rules/' + encodeURIComponent(r.id)); this.load(); } catch (err) { this.app.handleError(err, document.getElementById('rules-error')); }
      } }));
    if (!this.writer()) return li;
    li.append(actions, edit);
    if (!r.disabled && r.from_place_id) {
      li.append(bulkBox(this.app, (dryRun) => api.post('/api/v1/rules/' + encodeURIComponent(r.id) + '/retag', { dry_run: dryRun }),
        'Re-tag the stored reports it touches'));
    }
    return li;
  }

  showPlaces(features) {
    const ul = this.places;
    ul.textContent = '';
    if (!features.length) ul.append(el('li', { class: 'empty', text: 'No desk places yet.' }));
    for (const f of features) {
      const p = f.properties || {};
      ul.append(el('li', { class: 'desk-place', 'data-place': p.id },
        el('b', { dir: 'auto', text: p.name }), (p.names || []).length > 1 ? el('span', { class: 'hint', dir: 'auto', text: ' (' + p.names.slice(1).join(', ') + ')' }) : null,
        el('span', { class: 'hint', text: ` · ${f.geometry.coordinates[1].toFixed(4)}, ${f.geometry.coordinates[0].toFixed(4)}` + (p.by ? ' · by ' + p.by : '') }),
        !this.writer() ? null : el('button', { type: 'button', class: 'desk-delete danger', text: 'Remove', onclick: async () => {
          try { await api.del('/api/v1/desk-places/' + encodeURIComponent(p.id)); this.load(); } catch (err) { this.app.handleError(err, document.getElementById('rules-error')); }
        } })));
    }
  }

  showAudit(entries) {
    const ol = this.audit;
    ol.textContent = '';
    for (const e of entries) {
      ol.append(el('li', { text: `${new Date(e.at).toISOString().slice(0, 16).replace('T', ' ')} ${e.by || 'someone'} ${e.action}d ${e.kind === 'rule' ? 'rule' : 'desk place'} ${e.id}` }));
    }
  }

  async addPlace(form) {
    const names = form.elements['desk-names'].value.split(/[,;\n]/).map(s => s.trim()).filter(Boolean);
    const lat = Number(form.elements['desk-lat'].value), lon = Number(form.elements['desk-lon'].value);
    const feature = { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { names, country: form.elements['desk-country'].value.trim() } };
    try {
      await api.post('/api/v1/desk-places', feature);
      form.reset();
      this.app.toast('Desk place added: ' + names[0], 'ok');
      this.load();
    } catch (err) { this.app.handleError(err, document.getElementById('rules-error')); }
  }

  async importPlaces(input) {
    const f = input.files && input.files[0];
    if (!f) return;
    try {
      const res = await api.post('/api/v1/desk-places', await f.text(), { contentType: 'application/geo+json' });
      this.app.toast(`Imported ${res.stored} desk places.`, 'ok');
      this.load();
    } catch (err) { this.app.handleError(err, document.getElementById('rules-error')); }
    input.value = '';
  }
}
