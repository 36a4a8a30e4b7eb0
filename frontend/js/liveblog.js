// Split into updates: the New report form's text (a pasted live blog, as
// text or HTML) is cut into its updates by POST /api/v1/split, previewed
// with their times, and saved all at once through POST /api/v1/import
// (each update tagged and stored on its own). The day of the earliest
// update and the zone of clocks written without one can be set and the
// page split again; the service says which it used.

import * as api from './api.js';
import { el, fmtTime } from './text.js';

export class Splitter {
  constructor(app) {
    this.app = app;
    this.box = document.getElementById('split-box');
    this.text = document.getElementById('f-text');
    this.title = document.getElementById('f-title');
    this.source = document.getElementById('f-source');
    this.result = null;
    document.getElementById('f-split').addEventListener('click', () => this.split());
  }

  // looksLikeHTML says whether pasted text is a page's markup.
  static looksLikeHTML(s) {
    return /^\s*</.test(s) && /<\/(p|div|article|section|li|h[1-6]|body|html)>/i.test(s);
  }

  // request is the split's body: the pasted page, or, with the text box
  // empty, the page at the source URL, which the service fetches.
  request() {
    const page = this.text.value;
    const body = !page.trim() ? {} : Splitter.looksLikeHTML(page) ? { html: page } : { text: page };
    if (this.source.value.trim()) body.url = this.source.value.trim();
    if (this.title.value.trim()) body.title = this.title.value.trim();
    const date = this.box.querySelector('#split-date');
    const zone = this.box.querySelector('#split-zone');
    if (date && date.value) body.date = date.value;
    if (zone && zone.value.trim()) body.zone = zone.value.trim();
    return body;
  }

  async split() {
    if (!this.text.value.trim() && !this.source.value.trim()) {
      this.show(null, 'Paste a live-blog page in the text box, or give its address as the source URL, first.');
      return;
    }
    try {
      this.result = await api.post('/api/v1/split', this.request());
      this.show(this.result, '');
    } catch (err) {
      this.show(null, err.message);
    }
  }

  // show draws the preview: how the times were read, each update's time,
  // header and title, and the actions.
  show(res, error) {
    const b = this.box;
    const old = { date: (b.querySelector('#split-date') || {}).value || '', zone: (b.querySelector('#split-zone') || {}).value || '' };
    b.textContent = '';
    b.hidden = false;
    if (error) b.append(el('p', { class: 'error', role: 'alert', text: error }));
    if (!res) { b.append(el('button', { type: 'button', text: 'Close', onclick: () => this.close() })); return; }
    const n = res.entries.length;
    const from = { request: 'as set', page: 'from the page', today: 'today: no date on the page' }[res.date_from] || res.date_from;
    b.append(el('h3', { id: 'split-h', text: n ? `${n} update${n === 1 ? '' : 's'} found` : 'No updates found' }),
      el('p', { class: 'hint', id: 'split-how' },
        `Earliest update on ${res.date} (${from}); clock times without a zone read as ${res.zone}` +
        (res.zone_from === 'page' ? ' (the zone the page writes)' : res.zone_from === 'default' ? ' (no zone on the page)' : '') +
        (n > 1 ? `; the page lists them ${res.newest_first ? 'newest' : 'oldest'} first.` : '.') +
        (res.truncated ? ' Only the first updates are shown: the page has more.' : '')),
      el('div', { class: 'row' },
        el('div', {}, el('label', { for: 'split-date', text: 'Day of the earliest update' }), el('input', { id: 'split-date', type: 'date', value: old.date })),
        el('div', {}, el('label', { for: 'split-zone', text: 'Zone of clocks' }), el('input', { id: 'split-zone', type: 'text', placeholder: 'UTC, Europe/London, +03:00', value: old.zone }))),
      el('button', { type: 'button', id: 'split-again', text: 'Split again', onclick: () => this.split() }));
    if (!n) {
      b.append(el('p', { class: 'hint', text: 'Updates start at lines such as “UPDATE 1800 GMT:”, “14:32”, “Posted at 11:05 BST” or a dated heading.' }));
    }
    const ol = el('ol', { id: 'split-list', class: 'split-list', 'aria-label': 'Updates to save' });
    for (const e of res.entries) {
      ol.append(el('li', { class: 'split-entry' },
        el('div', { class: 'split-when' }, el('time', { datetime: e.time, text: fmtTime(e.time, e.precision === 'day' ? 'day' : '') }),
          e.label ? el('span', { class: 'hint', dir: 'auto', text: ' · ' + e.label }) : ''),
        el('strong', { dir: 'auto', text: e.title }),
        el('p', { dir: 'auto', text: e.text.length > 240 ? e.text.slice(0, 240) + '…' : e.text }),
        e.source ? el('div', { class: 'hint', text: e.source }) : ''));
    }
    b.append(ol, el('div', { class: 'actions' },
      n ? el('button', { type: 'button', class: 'primary', id: 'split-save', text: `Save all ${n} update${n === 1 ? '' : 's'}`, onclick: () => this.save() }) : '',
      el('button', { type: 'button', id: 'split-close', text: 'Cancel', onclick: () => this.close() })));
  }

  close() {
    this.box.hidden = true;
    this.box.textContent = '';
    this.result = null;
  }

  // save stores every update through the import, which tags each; an
  // update with a source gets an external id, so that saving the same
  // page twice stores each update once.
  async save() {
    const res = this.result;
    if (!res) return;
    const reports = res.entries.map(e => {
      const r = { title: e.title, text: e.text, time: e.time };
      if (e.source) {
        r.source = e.source;
        r.external_id = 'liveblog:' + (e.anchor ? e.source : e.source + '@' + e.time + ' ' + e.label);
      }
      return r;
    });
    const btn = this.box.querySelector('#split-save');
    btn.disabled = true;
    try {
      const out = await api.post('/api/v1/import', reports);
      const msg = `Saved ${out.created} update${out.created === 1 ? '' : 's'}` +
        (out.duplicates ? `, ${out.duplicates} already stored` : '') + (out.failed ? `, ${out.failed} failed` : '') + '.';
      this.app.toast(msg, out.failed ? 'error' : 'ok');
      this.close();
      if (out.created) document.getElementById('report-form').reset();
      this.app.histKey = '';
      this.app.load();
      this.app.review.load();
      this.app.emit('split-saved', out);
    } catch (err) {
      btn.disabled = false;
      this.app.handleError(err);
    }
  }
}
