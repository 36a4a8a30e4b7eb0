// Import: a file of reports sent as it is to POST /api/v1/import in one
// request. The service reads every format (server/importcsv.go,
// server/importgeojson.go): CSV with a header row (the map's CSV export
// reads back), GeoJSON (a FeatureCollection or a Feature, or an RFC 8142
// sequence as the GeoJSON-sequence export writes), a JSON array or JSON
// Lines of report bodies. The page only picks the Content-Type, from the
// file's name or, failing that, its first bytes. The service stores each
// report on its own and answers per report; the page shows how many were
// created, the columns read and ignored, and each refused report with its
// line (CSV, JSON Lines), feature or item number and the service's reason.

import * as api from './api.js';
import { el } from './text.js';

// Content types by file extension: every extension the exports write
// (server/export.go: geojson, geojsons, geojsonl, csv) and the usual others.
// frontend/index.html's file picker accepts each of them.
export const TYPES = {
  csv: 'text/csv', geojson: 'application/geo+json', json: 'application/json',
  geojsons: 'application/geo+json-seq', geojsonseq: 'application/geo+json-seq',
  geojsonl: 'application/x-ndjson', jsonl: 'application/x-ndjson', ndjson: 'application/x-ndjson',
};

// importType picks the Content-Type to send a file as: by its extension,
// else by its first bytes (head): a record separator starts a GeoJSON
// sequence, "[" a JSON array, "{" one JSON document — or JSON Lines when
// another object starts on a later line —, anything else is CSV. The
// service says when the file is none of them.
export function importType(name, head) {
  const ext = ((name || '').toLowerCase().match(/\.([a-z]+)$/) || [])[1];
  if (TYPES[ext]) return TYPES[ext];
  const t = (head || '').replace(/^\ufeff/, '').trimStart();
  if (t[0] === '\u001e') return 'application/geo+json-seq';
  if (t[0] === '[') return 'application/json';
  if (t[0] === '{') return /\}\s*\n\s*\u001e?\{/.test(t) ? 'application/x-ndjson' : 'application/json';
  return 'text/csv';
}

// itemLabel names a report of the service's answer the way the file
// counts it: the line its CSV record or JSON line starts on, the feature's
// number in a FeatureCollection, or the item's number in a JSON array.
export function itemLabel(item, contentType, columns) {
  if (item.line) return 'Line ' + item.line;
  const geo = contentType === 'application/geo+json' || (contentType === 'application/json' && columns);
  return (geo ? 'Feature ' : 'Item ') + (item.index + 1);
}

// columnsNote says which columns (CSV) or properties (GeoJSON) the service
// read and which it ignored, then its notes on how it read them (a source
// column of publication names kept as tags).
export function columnsNote(columns, contentType) {
  if (!columns) return '';
  const what = contentType === 'text/csv' ? 'Columns' : 'Properties';
  const used = columns.used || [], ignored = columns.ignored || [];
  const notes = (columns.notes || []).map(n => ' ' + n.charAt(0).toUpperCase() + n.slice(1) + '.');
  return what + ' used: ' + (used.join(', ') || 'none') + (ignored.length ? '; ignored: ' + ignored.join(', ') : '') + '.' + notes.join('');
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
    return c.max_import_body || this.limit || 0;
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

  busy(on, file) {
    this.go.disabled = on;
    this.file.disabled = on;
    this.cancel.hidden = !on;
    this.progress.hidden = !on;
    this.form.setAttribute('aria-busy', String(on));
    clearInterval(this.timer);
    if (!on) return;
    const t0 = Date.now();
    const say = () => { this.status.textContent = `Sending “${file.name}” (${bytesWords(file.size)}); the service tags and stores each report… ${Math.round((Date.now() - t0) / 1000)} s`; };
    say();
    this.timer = setInterval(say, 1000);
  }

  async run() {
    if (!this.check()) { if (!this.file.files[0]) this.fail('Choose a file first.'); return; }
    const f = this.file.files[0];
    let contentType;
    try {
      contentType = importType(f.name, await f.slice(0, 8192).text());
    } catch (err) {
      this.fail('The file could not be read: ' + err.message);
      return;
    }
    this.abort = new AbortController();
    this.busy(true, f);
    let res;
    try {
      res = await api.request('POST', '/api/v1/import', f, { contentType, signal: this.abort.signal });
    } catch (err) {
      this.busy(false);
      if (err.name === 'AbortError') {
        this.fail('Cancelled. Reports stored before the cancel stay; importing the file again duplicates them unless they carry an external_id (or an id, as exports do).');
      } else if (err.status === 413) {
        this.limit = limitFrom(err.detail) || this.limit;
        this.fail('Too large for one import: ' + (err.detail || 'the service refused its size') + '. Split the file and import the parts one by one.');
      } else if (err.status === 401 || err.status === 403) {
        this.app.handleError(err);
        this.fail(err.message);
      } else {
        this.fail('The service cannot import “' + f.name + '”: ' + (err.detail || err.message) +
          ' It takes CSV with a header row, GeoJSON, a JSON array or JSON Lines.');
      }
      this.refresh();
      return;
    }
    this.busy(false);
    this.show(res, contentType);
    this.refresh();
  }

  // show writes the summary and the refused rows.
  show(res, contentType) {
    const n = (x) => (x || 0).toLocaleString();
    this.status.textContent = columnsNote(res.columns, contentType);
    this.summary.textContent = '';
    this.summary.append(el('strong', { text: `Created ${n(res.created)} report${res.created === 1 ? '' : 's'}` }),
      `; ${n(res.duplicates)} already stored (same external_id, or the id of an export); ${n(res.failed)} refused.`);
    this.summary.dataset.created = String(res.created || 0);
    this.summary.dataset.failed = String(res.failed || 0);
    this.summary.hidden = false;
    const bad = (res.items || []).filter(it => it.problem || it.status >= 400);
    this.errors.textContent = '';
    for (const it of bad.slice(0, 500)) {
      const p = it.problem || {};
      const where = itemLabel(it, contentType, res.columns);
      this.errors.append(el('li', { 'data-index': it.index, 'data-line': it.line || null },
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
