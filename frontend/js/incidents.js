// Incidents: one event from many reports. The report panel lists the
// reports that may describe the same event (GET /api/v1/reports/{id}/
// same-event, with the service's reasons) and links the chosen ones as
// one incident (POST /api/v1/incidents) or into the incident a candidate
// is in; the incident panel shows the incident's figures with the rule
// that gave each, its sources with Unlink, the analyst's figures, and the
// map can show incidents instead of reports (GET /api/v1/incidents, the
// same filters). Every change sends the ETag read as If-Match.

import * as api from './api.js';
import { el } from './text.js';
import { fmtTime } from './text.js';
import { eventIcon, describeEvent } from './events.js';

const L = window.L;

const RULES = {
  analyst: 'set by an analyst',
  most_precise: 'the most precise source location',
  earliest: 'the earliest source',
  most_sources: 'what most sources state',
  lowest_of_tied: 'the lowest of counts stated by equally many sources',
  none: 'no source states it',
};

// sameEventSection is the report panel's "Same event" block for report r.
export async function sameEventSection(app, r, writer) {
  const box = el('section', { class: 'same-event', id: 'detail-same-event', 'aria-label': 'Same event' });
  let ans;
  try {
    ans = await api.get('/api/v1/reports/' + encodeURIComponent(r.id) + '/same-event');
  } catch (err) {
    if (err.status === 404) return box; // a service without incidents
    box.append(el('p', { class: 'hint', text: 'Same-event suggestions failed: ' + err.message }));
    return box;
  }
  box.append(el('h3', { text: 'Same event' }));
  if (ans.incident) {
    box.append(el('p', {}, 'Part of an incident. ',
      el('button', { type: 'button', class: 'link-button', id: 'd-open-incident', text: 'Open the incident', onclick: () => app.incidents.open(ans.incident) })));
    return box;
  }
  const cands = ans.candidates || [];
  if (!cands.length) {
    box.append(el('p', { class: 'hint', text: 'No other report within 10 km (or the same district) and a day of this one.' }));
    return box;
  }
  box.append(el('p', { class: 'hint', text: 'Reports that may describe the same event (likely ones are ticked):' }));
  const list = el('ul', { class: 'same-event-list' });
  const checks = [];
  for (const c of cands) {
    const cb = el('input', { type: 'checkbox', 'data-report': c.report_id, disabled: !writer || !!c.incident });
    cb.checked = c.likely && !c.incident;
    checks.push(cb);
    const li = el('li', { 'data-candidate': c.report_id },
      el('label', {}, cb, ' ', el('strong', { dir: 'auto', text: c.title || 'Untitled report' }), ' ',
        el('span', { class: 'hint', text: fmtTime(c.time) + ' · ' + (c.reasons || []).join(' · ') + ' · score ' + c.score })));
    if (c.incident && writer) {
      li.append(' ', el('button', { type: 'button', class: 'link-button', 'data-join': c.incident, text: 'Add this report to its incident',
        onclick: () => app.incidents.link(c.incident, r.id) }));
    }
    list.append(li);
  }
  box.append(list);
  if (writer) {
    box.append(el('button', { type: 'button', id: 'd-link-incident', text: 'Link as one incident', onclick: async () => {
      const ids = [r.id, ...checks.filter(c => c.checked).map(c => c.dataset.report)];
      if (ids.length < 2) { app.toast('Tick at least one other report.', 'info'); return; }
      try {
        const inc = await api.post('/api/v1/incidents', { report_ids: ids });
        app.toast(`Linked ${ids.length} reports as one incident.`, 'ok');
        app.incidents.open(inc.id);
      } catch (err) { app.handleError(err); }
    } }));
  }
  return box;
}

// Incidents is the incident panel and the map's incident layer.
export class Incidents {
  constructor(app) {
    this.app = app;
    this.layer = L.layerGroup();
    this.markers = new Map(); // id → marker
    this.section = el('section', { id: 'panel-incident', class: 'panel-body', hidden: true, 'aria-labelledby': 'incident-h' },
      el('h2', { id: 'incident-h', text: 'Incident' }), el('div', { id: 'incident-detail' }));
    document.getElementById('panel').append(this.section);
    this.detail = this.section.querySelector('#incident-detail');
    this.showing = false;
  }

  // toggle adds the map's Reports/Incidents switch to the legend's corner.
  addSwitch() {
    const Switch = L.Control.extend({
      options: { position: 'topright' },
      onAdd: () => {
        const b = el('button', { type: 'button', id: 'show-incidents', class: 'incident-switch', 'aria-pressed': 'false',
          title: 'Show incidents (reports linked as one event) instead of reports', text: 'Show incidents' });
        b.addEventListener('click', () => this.show(!this.showing));
        // Downloads of the incidents in view, with the map's filters.
        this.downloads = el('div', { class: 'incident-downloads', hidden: true }, 'Download: ',
          ...['geojson', 'csv'].map(f => el('a', { href: '#', id: 'incidents-' + f, 'data-format': f, text: f === 'csv' ? 'CSV' : 'GeoJSON',
            onclick: (e) => { e.preventDefault(); this.download(f); } })));
        const box = el('div', { class: 'incident-control' }, b, this.downloads);
        L.DomEvent.disableClickPropagation(box);
        this.switchBtn = b;
        return box;
      },
    });
    new Switch().addTo(this.app.map);
  }

  // show switches the map between reports and incidents.
  show(on) {
    this.showing = on;
    this.switchBtn.setAttribute('aria-pressed', String(on));
    this.switchBtn.textContent = on ? 'Show reports' : 'Show incidents';
    this.downloads.hidden = !on;
    const app = this.app;
    if (on) { app.map.removeLayer(app.layer.cluster); app.map.removeLayer(app.layer.cells); this.layer.addTo(app.map); } else { this.layer.remove(); app.layer.cluster.addTo(app.map); app.layer.cells.addTo(app.map); }
    app.load();
  }

  // load fetches the incidents in view with the map's filters (those an
  // incident has: place, status and tag are reports').
  async load() {
    const p = this.app.query();
    for (const k of ['status', 'tag']) p.delete(k);
    p.set('limit', '2000');
    const fc = await api.get('/api/v1/incidents?' + p.toString());
    this.layer.clearLayers();
    this.markers.clear();
    for (const f of fc.features || []) {
      if (!f.geometry) continue;
      const pr = f.properties;
      const icon = eventIcon({ ...pr, status: 'reviewed' }, false) || L.divIcon({ className: 'gt-marker gt-p1 gt-reviewed', iconSize: [22, 30], iconAnchor: [11, 30] });
      const m = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], { icon, title: `${pr.title} (${pr.source_count} sources)`, keyboard: true });
      m.on('click', () => this.open(pr.id));
      m.incidentId = pr.id;
      this.markers.set(pr.id, m);
      this.layer.addLayer(m);
    }
    return (fc.features || []).length;
  }

  // downloadURL is the address of the incidents in view in a format.
  downloadURL(format) {
    const p = this.app.query();
    for (const k of ['status', 'tag']) p.delete(k);
    p.set('format', format);
    if (format === 'geojson') p.set('limit', '10000');
    return '/api/v1/incidents?' + p.toString();
  }

  // download saves the incidents in view (with the token, when reads need one).
  async download(format) {
    try {
      const res = await api.request('GET', this.downloadURL(format), undefined, { raw: true, accept: '*/*' });
      const url = URL.createObjectURL(await res.blob());
      const a = el('a', { href: url, download: 'geotag-incidents.' + format });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) { this.app.handleError(err); }
  }

  // open shows an incident in the panel.
  async open(id) {
    try {
      const res = await api.get('/api/v1/incidents/' + encodeURIComponent(id), { etag: true });
      this.render(res.data, res.etag);
      this.app.showPanel('incident');
      this.app.emit('incident', id);
    } catch (err) { this.app.handleError(err); }
  }

  // change sends a change with If-Match and shows the answer.
  async change(method, path, body, etag) {
    try {
      const res = await api.request(method, path, body, { headers: { 'If-Match': etag } });
      this.app.toast('Incident updated.', 'ok');
      await this.open(res.id);
      if (this.showing) this.app.load();
    } catch (err) { this.app.handleError(err, this.detail.querySelector('.error')); }
  }

  // link adds report to incident id (read fresh for its ETag).
  async link(id, report) {
    const cur = await api.get('/api/v1/incidents/' + encodeURIComponent(id), { etag: true });
    await this.change('POST', `/api/v1/incidents/${encodeURIComponent(id)}/sources`, { report_id: report }, cur.etag);
  }

  render(inc, etag) {
    const d = this.detail;
    d.textContent = '';
    d.dataset.incident = inc.id;
    d.dataset.version = String(inc.version);
    const g = inc.figures || {};
    const writer = !(this.app.me && this.app.me.read_only);
    d.append(el('h3', { dir: 'auto', text: inc.title || 'Untitled incident' }));
    const fig = el('dl', { class: 'incident-figures' });
    const row = (name, value, rule) => fig.append(el('dt', { text: name }), el('dd', { 'data-rule': rule || '' }, value, ' ', el('span', { class: 'hint', text: '(' + (RULES[rule] || rule) + ')' })));
    row('Where', g.location ? (g.location.name || `${(+g.location.lat).toFixed(4)}, ${(+g.location.lon).toFixed(4)}`) : 'unknown', g.location_rule);
    row('When', g.time ? fmtTime(g.time) : 'unknown', g.time_rule);
    row('Type', g.event_type ? describeEvent({ event_type: g.event_type, sub_event_type: g.sub_event_type }) : 'not coded', g.type_rule);
    row('Killed', g.fatalities ?? 'unknown', g.fatalities_rule);
    d.append(fig);
    if ((g.actors || []).length) d.append(el('p', {}, el('strong', { text: 'Actors: ' }), g.actors.join(', ')));
    const srcs = el('ol', { class: 'incident-sources', id: 'incident-sources' });
    for (const s of inc.source_reports || []) {
      const li = el('li', { 'data-source': s.id },
        el('button', { type: 'button', class: 'link-button', dir: 'auto', text: s.title || 'Untitled report', onclick: () => this.app.openDetail(s.id) }),
        el('span', { class: 'hint', text: ' ' + fmtTime(s.time) + (s.fatalities != null ? ` · ${s.fatalities} killed` : '') }));
      if (writer && inc.sources.length > 1) {
        li.append(' ', el('button', { type: 'button', class: 'link-button', 'data-unlink': s.id, text: 'Unlink',
          onclick: () => this.change('DELETE', `/api/v1/incidents/${encodeURIComponent(inc.id)}/sources/${encodeURIComponent(s.id)}`, undefined, etag) }));
      }
      srcs.append(li);
    }
    for (const m of (g.missing || [])) srcs.append(el('li', { class: 'hint', text: `report ${m} (deleted)` }));
    d.append(el('h4', { text: `Sources (${inc.sources.length})` }), srcs);
    if (writer) d.append(this.setForm(inc, etag));
    d.append(el('p', { class: 'error', role: 'alert', hidden: true }));
  }

  // setForm edits the analyst's death count and title; empty: derived.
  setForm(inc, etag) {
    const set = inc.set || {};
    const fat = el('input', { type: 'number', min: '0', id: 'i-fatalities', value: set.fatalities ?? '', placeholder: 'from the sources' });
    const title = el('input', { type: 'text', id: 'i-title', dir: 'auto', value: inc.title || '', maxlength: '500' });
    const save = () => {
      const s = { ...set };
      if (/^\d+$/.test(fat.value.trim())) s.fatalities = Number(fat.value); else delete s.fatalities;
      this.change('PATCH', '/api/v1/incidents/' + encodeURIComponent(inc.id), { title: title.value.trim(), set: s }, etag);
    };
    return el('details', { class: 'incident-set' }, el('summary', { text: 'Set figures by hand…' }),
      el('label', { for: 'i-title', text: 'Title' }), title,
      el('label', { for: 'i-fatalities', text: 'People killed (empty: from the sources)' }), fat,
      el('div', { class: 'actions' }, el('button', { type: 'button', class: 'primary', id: 'i-save', text: 'Save', onclick: save }),
        el('button', { type: 'button', class: 'danger', id: 'i-delete', text: 'Delete incident', onclick: async () => {
          try { await api.del('/api/v1/incidents/' + encodeURIComponent(inc.id)); this.app.toast('Incident deleted; its reports stay.', 'ok'); this.app.showPanel(''); if (this.showing) this.app.load(); } catch (err) { this.app.handleError(err); }
        } })));
  }
}
