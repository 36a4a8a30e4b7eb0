// Import: a file of reports sent to POST /api/v1/import in one request.
// The service takes a JSON array or newline-delimited JSON of report
// bodies (server/import.go); this page also reads CSV (a header row, one
// report a row — the map's own CSV export reads back) and GeoJSON (a
// FeatureCollection: properties are the report, a Point its main point),
// turning them into a JSON array. The service stores each report on its
// own and answers per report; the page shows how many were created and
// each refused row with its row number and the service's reason.

import * as api from './api.js';
import { el } from './text.js';

// parseCSV reads RFC 4180 CSV (quotes, doubled quotes, CRLF, a BOM) into
// rows of cells, with the 1-based line each row starts on.
export function parseCSV(text) {
  const rows = [], lines = [];
  let row = [], cell = '', quoted = false, line = 1, start = 1, i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const endRow = () => { row.push(cell); rows.push(row); lines.push(start); row = []; cell = ''; };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else { if (ch === '\n') line++; cell += ch; }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') continue;
    else if (ch === '\n' || ch === '\r') { endRow(); line++; start = line; }
    else cell += ch;
  }
  if (cell !== '' || row.length) endRow();
  return { rows, lines };
}

// Columns a report field is read from, first found wins (lower case).
const COLUMNS = {
  external_id: ['external_id', 'event_id_cnty', 'id'],
  title: ['title'],
  text: ['text', 'notes', 'description', 'body'],
  source: ['source', 'source_url', 'url', 'link'],
  time: ['time', 'event_date', 'date', 'datetime'],
  tags: ['tags', 'tag'],
  status: ['status'],
  lat: ['latitude', 'lat'],
  lon: ['longitude', 'lon', 'lng'],
};

// uncell undoes the export's defence against spreadsheet formulas: a cell
// the export started with an apostrophe gets its text back.
function uncell(s) {
  return s.length > 1 && s[0] === "'" && '=+-@\t\r'.includes(s[1]) ? s.slice(1) : s;
}

// splitTags reads a tag cell: "a; b" (the export) or "a, b".
function splitTags(s) {
  if (Array.isArray(s)) return s.map(String);
  return String(s || '').split(/[;,]/).map(t => t.trim()).filter(Boolean);
}

// reportOf builds one report body from a record's fields by COLUMNS;
// lat/lon, when both are numbers, become the manual main point.
function reportOf(get) {
  const r = {};
  for (const k of ['external_id', 'title', 'text', 'source', 'time', 'status']) {
    const v = get(k);
    if (v != null && v !== '') r[k] = typeof v === 'string' ? uncell(v) : v;
  }
  const tags = get('tags');
  if (tags != null && tags !== '') r.tags = splitTags(typeof tags === 'string' ? uncell(tags) : tags);
  const lat = get('lat'), lon = get('lon');
  if (lat != null && lat !== '' && lon != null && lon !== '' && Number.isFinite(+lat) && Number.isFinite(+lon)) r.location = { lat: +lat, lon: +lon };
  return r;
}

// csvReports turns CSV into report bodies: {items, labels (row numbers as
// the file counts them, the header being row 1), used, ignored columns}
// or {error}.
export function csvReports(text) {
  const { rows, lines } = parseCSV(text);
  if (!rows.length) return { error: 'The file is empty.' };
  const head = rows[0].map(h => h.trim().toLowerCase());
  const col = {};
  for (const [k, names] of Object.entries(COLUMNS)) {
    const i = names.map(n => head.indexOf(n)).find(i => i >= 0);
    if (i !== undefined) col[k] = i;
  }
  if (col.title === undefined && col.text === undefined) {
    return { error: 'The CSV needs a header row with a “title” or “text” column (found: ' + (head.filter(Boolean).join(', ') || 'none') + ').' };
  }
  const usedIdx = new Set(Object.values(col));
  const items = [], labels = [];
  for (let j = 1; j < rows.length; j++) {
    const cells = rows[j];
    if (cells.every(c => c.trim() === '')) continue;
    items.push(reportOf((k) => col[k] === undefined ? undefined : cells[col[k]]));
    labels.push('Row ' + lines[j]);
  }
  return { items, labels, used: head.filter((h, i) => usedIdx.has(i)), ignored: head.filter((h, i) => h && !usedIdx.has(i)) };
}

// geojsonReports turns a FeatureCollection (or one Feature) into report
// bodies: properties by COLUMNS, a Point geometry as the main point.
export function geojsonReports(doc) {
  const feats = doc.type === 'FeatureCollection' ? doc.features : [doc];
  if (!Array.isArray(feats)) return { error: 'The FeatureCollection has no features array.' };
  const items = [], labels = [];
  feats.forEach((f, i) => {
    const p = (f && f.properties) || {};
    const lower = {};
    for (const [k, v] of Object.entries(p)) lower[k.toLowerCase()] = v;
    const get = (k) => { for (const n of COLUMNS[k]) if (lower[n] != null) return lower[n]; return undefined; };
    const r = reportOf(get);
    if (r.external_id === undefined && f && f.id != null && p.id == null) r.external_id = String(f.id);
    if (r.external_id != null) r.external_id = String(r.external_id);
    const g = f && f.geometry;
    if (g && g.type === 'Point' && Array.isArray(g.coordinates)) r.location = { lat: g.coordinates[1], lon: g.coordinates[0] };
    items.push(r);
    labels.push('Feature ' + (i + 1));
  });
  return { items, labels };
}

// prepareImport reads a file's text into the request to send: {body,
// contentType, count, labels, note} or {error}. name picks CSV by its
// extension; otherwise the text decides: a JSON array (sent as it is), a
// GeoJSON FeatureCollection or Feature, or one JSON report a line.
export function prepareImport(name, text) {
  const lower = (name || '').toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt') && !/^\s*[[{]/.test(text)) {
    const r = csvReports(text);
    if (r.error) return r;
    if (!r.items.length) return { error: 'The CSV has a header but no reports.' };
    return { body: JSON.stringify(r.items), contentType: 'application/json', count: r.items.length, labels: r.labels,
      note: 'Columns used: ' + r.used.join(', ') + (r.ignored.length ? '; ignored: ' + r.ignored.join(', ') : '') + '.' };
  }
  const t = text.replace(/^\ufeff/, '');
  const first = t.trimStart()[0];
  if (first === '[') {
    let n = 0;
    try { const a = JSON.parse(t); if (!Array.isArray(a)) throw new Error(); n = a.length; } catch { return { error: 'The file starts like a JSON array but is not valid JSON.' }; }
    if (!n) return { error: 'The JSON array holds no reports.' };
    return { body: t, contentType: 'application/json', count: n, labels: Array.from({ length: n }, (_, i) => 'Item ' + (i + 1)) };
  }
  if (first === '{') {
    let doc = null;
    try { doc = JSON.parse(t); } catch { /* several lines: JSON Lines */ }
    if (doc && (doc.type === 'FeatureCollection' || doc.type === 'Feature')) {
      const r = geojsonReports(doc);
      if (r.error) return r;
      if (!r.items.length) return { error: 'The GeoJSON holds no features.' };
      return { body: JSON.stringify(r.items), contentType: 'application/json', count: r.items.length, labels: r.labels };
    }
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
      return { body: JSON.stringify([doc]), contentType: 'application/json', count: 1, labels: ['Item 1'] };
    }
    // JSON Lines: the service skips blank lines, so count the others.
    const labels = [];
    t.split('\n').forEach((l, i) => { if (l.replace(/^\u001e/, '').trim()) labels.push('Line ' + (i + 1)); });
    return { body: t, contentType: 'application/x-ndjson', count: labels.length, labels };
  }
  return { error: 'Not a file this page can import: choose CSV (with a header row), GeoJSON, a JSON array or JSON Lines.' };
}

// limitFrom reads the byte limit out of a 413 answer's message.
export function limitFrom(msg) {
  const m = /(\d{3,})\s*bytes/.exec(msg || '');
  return m ? Number(m[1]) : 0;
}

// bytesWords writes a byte count for people.
export function bytesWords(n) {
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(n % (1 << 20) ? 1 : 0) + ' MiB';
  if (n >= 1 << 10) return Math.round(n / (1 << 10)) + ' KiB';
  return n + ' bytes';
}

// Importer is the Import panel.
export class Importer {
  constructor(app) {
    this.app = app;
    this.form = document.getElementById('import-form');
    this.file = document.getElementById('import-file');
    this.go = document.getElementById('import-go');
    this.cancel = document.getElementById('import-cancel');
    this.status = document.getElementById('import-status');
    this.progress = document.getElementById('import-progress');
    this.summary = document.getElementById('import-summary');
    this.errors = document.getElementById('import-errors');
    this.limit = 0; // bytes; from the config, else learnt from a 413
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.run(); });
    this.cancel.addEventListener('click', () => { if (this.abort) this.abort.abort(); });
    this.file.addEventListener('change', () => this.check());
  }

  maxBytes() {
    const c = this.app.serverConfig || {};
    return c.max_import_body || c.max_import_bytes || this.limit || 0;
  }

  // check refuses a file over the service's limit as soon as it is chosen.
  check() {
    this.reset();
    const f = this.file.files[0];
    const max = this.maxBytes();
    if (f && max && f.size > max) {
      this.fail(`“${f.name}” is ${bytesWords(f.size)}; the service takes at most ${bytesWords(max)} in one import. Split the file and import the parts one by one.`);
      return false;
    }
    return !!f;
  }

  reset() {
    this.status.textContent = '';
    this.status.classList.remove('error');
    this.summary.textContent = '';
    this.summary.hidden = true;
    this.errors.textContent = '';
    this.errors.hidden = true;
  }

  fail(msg) {
    this.status.textContent = msg;
    this.status.classList.add('error');
  }

  busy(on, count) {
    this.go.disabled = on;
    this.file.disabled = on;
    this.cancel.hidden = !on;
    this.progress.hidden = !on;
    this.form.setAttribute('aria-busy', String(on));
    clearInterval(this.timer);
    if (!on) return;
    const t0 = Date.now();
    const say = () => { this.status.textContent = `Sending ${count.toLocaleString()} report${count === 1 ? '' : 's'}; the service tags and stores each… ${Math.round((Date.now() - t0) / 1000)} s`; };
    say();
    this.timer = setInterval(say, 1000);
  }

  async run() {
    if (!this.check()) { if (!this.file.files[0]) this.fail('Choose a file first.'); return; }
    const f = this.file.files[0];
    this.status.textContent = 'Reading ' + f.name + '…';
    let prep;
    try {
      prep = prepareImport(f.name, await f.text());
    } catch (err) {
      this.fail('The file could not be read: ' + err.message);
      return;
    }
    if (prep.error) { this.fail(prep.error); return; }
    const size = new TextEncoder().encode(prep.body).length;
    const max = this.maxBytes();
    if (max && size > max) {
      this.fail(`The import would be ${bytesWords(size)}; the service takes at most ${bytesWords(max)} in one import. Split the file.`);
      return;
    }
    this.abort = new AbortController();
    this.busy(true, prep.count);
    let res;
    try {
      res = await api.request('POST', '/api/v1/import', prep.body, { contentType: prep.contentType, signal: this.abort.signal });
    } catch (err) {
      this.busy(false);
      if (err.name === 'AbortError') {
        this.fail('Cancelled. Reports stored before the cancel stay; importing the file again duplicates them unless they carry an external_id.');
      } else if (err.status === 413) {
        this.limit = limitFrom(err.detail) || this.limit;
        this.fail('Too large for one import: ' + (err.detail || 'the service refused its size') + '. Split the file and import the parts one by one.');
      } else if (err.status === 401 || err.status === 403) {
        this.app.handleError(err);
        this.fail(err.message);
      } else {
        this.fail(err.message);
      }
      this.refresh();
      return;
    }
    this.busy(false);
    this.show(res, prep);
    this.refresh();
  }

  // show writes the summary and the refused rows.
  show(res, prep) {
    const n = (x) => (x || 0).toLocaleString();
    this.status.textContent = prep.note || '';
    this.summary.textContent = '';
    this.summary.append(el('strong', { text: `Created ${n(res.created)} report${res.created === 1 ? '' : 's'}` }),
      `; ${n(res.duplicates)} already stored (same external_id); ${n(res.failed)} refused.`);
    this.summary.dataset.created = String(res.created || 0);
    this.summary.dataset.failed = String(res.failed || 0);
    this.summary.hidden = false;
    const bad = (res.items || []).filter(it => it.problem || it.status >= 400);
    this.errors.textContent = '';
    for (const it of bad.slice(0, 500)) {
      const p = it.problem || {};
      const where = prep.labels[it.index] || 'Item ' + (it.index + 1);
      this.errors.append(el('li', { 'data-index': it.index },
        el('strong', { class: 'ie-row', text: where }), p.field ? el('span', { class: 'ie-field', text: ' (' + p.field + ')' }) : null,
        ': ', el('span', { class: 'ie-msg', text: p.detail || p.title || 'refused (' + it.status + ')' })));
    }
    if (bad.length > 500) this.errors.append(el('li', { class: 'empty', text: `…and ${n(bad.length - 500)} more.` }));
    this.errors.hidden = !bad.length;
    this.app.toast(`Import: ${n(res.created)} created, ${n(res.failed)} refused.`, res.failed ? 'info' : 'ok');
  }

  refresh() {
    this.app.histKey = '';
    this.app.load();
    this.app.review.load();
  }
}
