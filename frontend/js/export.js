// "Export this view": GeoJSON and CSV downloads of exactly what the
// filters and the map area show, the count the API reports for them, and
// the OGC API – Features address for QGIS.

import * as api from './api.js';
import { bboxOf } from './state.js';

// ogcQuery writes the view's filter as OGC items parameters: from/to
// become one datetime interval, every other filter (bbox, place, q, status,
// tag) is passed as it is, so the OGC layer holds what the map and the
// downloads hold.
export function ogcQuery(p) {
  const ogc = new URLSearchParams();
  for (const [k, v] of p) if (k !== 'from' && k !== 'to' && k !== 'limit' && k !== 'cursor') ogc.append(k, v);
  const from = p.get('from'), to = p.get('to');
  if (from || to) ogc.set('datetime', (from || '..') + '/' + (to || '..'));
  return ogc;
}

export class Export {
  constructor(app) {
    this.app = app;
    this.summary = document.getElementById('export-summary');
    this.geojson = document.getElementById('export-geojson');
    this.csv = document.getElementById('export-csv');
    this.ogc = document.getElementById('export-ogc');
    this.link = document.getElementById('export-link');
    for (const i of [this.ogc, this.link]) i.addEventListener('focus', () => i.select());
    for (const a of [this.geojson, this.csv]) a.addEventListener('click', (e) => this.download(e, a));
    document.addEventListener('geotag:panel', (e) => { if (e.detail === 'export') this.update(); });
    document.addEventListener('geotag:loaded', () => { if (this.app.activePanel === 'export') this.update(); });
  }

  // viewQuery is the filter of the visible map area and the filters.
  viewQuery() {
    const p = this.app.query(false);
    const bb = bboxOf(this.app.map.getBounds());
    if (bb) p.set('bbox', bb);
    return p;
  }

  async update() {
    const p = this.viewQuery();
    const qs = p.toString();
    this.geojson.href = '/api/v1/export/geojson' + (qs ? '?' + qs : '');
    this.csv.href = '/api/v1/export/csv' + (qs ? '?' + qs : '');
    const ogc = ogcQuery(p).toString();
    this.ogc.value = location.origin + '/ogc/collections/reports/items' + (ogc ? '?' + ogc : '');
    this.link.value = location.href;
    const seq = (this.seq = (this.seq || 0) + 1);
    this.summary.textContent = 'Counting…';
    try {
      const cp = new URLSearchParams(p);
      cp.set('limit', '1');
      const fc = await api.get('/api/v1/reports?' + cp.toString());
      if (seq !== this.seq) return;
      this.count = fc.numberMatched ?? (fc.features || []).length;
      const parts = [];
      if (p.get('from') || p.get('to')) parts.push('the time window');
      if (p.get('q')) parts.push('the search “' + p.get('q') + '”');
      if (p.get('status')) parts.push(p.get('status') + ' only');
      if (p.get('tag')) parts.push('the tag “' + p.get('tag') + '”');
      if (p.get('bbox')) parts.push('the map area');
      this.summary.textContent = `${this.count} report${this.count === 1 ? '' : 's'} match ${parts.length ? parts.join(', ') : 'everything'}.` +
        ' Reports without a location are left out when the map area filters. In QGIS, add an “OGC API – Features” connection to ' + location.origin + '/ogc.';
      this.summary.dataset.count = String(this.count);
    } catch (err) {
      if (seq === this.seq) this.summary.textContent = err.message;
    }
  }

  // download fetches with the token when reads need one; otherwise the
  // browser follows the link itself.
  async download(e, a) {
    const cfg = this.app.serverConfig || {};
    if (!cfg.reads_need_token) return;
    e.preventDefault();
    try {
      const res = await api.request('GET', a.getAttribute('href'), undefined, { raw: true, accept: '*/*' });
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const tmp = document.createElement('a');
      tmp.href = url;
      tmp.download = a.getAttribute('download');
      document.body.append(tmp);
      tmp.click();
      tmp.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
      this.app.handleError(err);
    }
  }
}
