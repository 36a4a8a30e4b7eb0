// Saved views: the Views panel lists the service's saved views
// (GET /api/v1/views); opening one restores its area and filters on the
// map, and "Save this view" stores the map's own (POST /api/v1/views) in
// the filter language the map already speaks to /api/v1/reports. Each
// view offers its Atom feed for feed readers. An address with ?view=ID
// (the feed's link to the map) opens that view at start.

import * as api from './api.js';
import { el } from './text.js';
import { bboxOf, ROLLING, readURL } from './state.js';
import { EVENT_KEYS } from './events.js';

export class Views {
  constructor(app) {
    this.app = app;
    this.list = document.getElementById('views-list');
    this.status = document.getElementById('views-status');
    this.name = document.getElementById('view-name');
    this.views = [];
    document.getElementById('view-form').addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    document.addEventListener('geotag:panel', (e) => { if (e.detail === 'views') this.load(); });
  }

  // query writes the map's view in the filter language: its area (the
  // bounds on screen, none for the whole world), its time window (a
  // rolling preset by name) and its filters.
  query() {
    const f = this.app.filters;
    const p = new URLSearchParams();
    const bb = bboxOf(this.app.map.getBounds());
    if (bb) p.set('bbox', bb);
    if (f.since && Object.hasOwn(ROLLING, f.since) && !f.to) p.set('since', f.since);
    else {
      if (f.from) p.set('from', f.from);
      if (f.to) p.set('to', f.to);
    }
    for (const k of ['q', 'status', 'tag']) if (f[k]) p.set(k, f[k]);
    return p.toString();
  }

  async load() {
    try {
      const res = await api.get('/api/v1/views');
      this.views = (res && res.views) || [];
      this.render();
    } catch (err) {
      this.status.textContent = err.message;
    }
  }

  render() {
    this.list.textContent = '';
    this.status.textContent = this.views.length ? '' : 'No saved views yet.';
    const canWrite = !(this.app.me && this.app.me.read_only);
    for (const v of this.views) {
      this.list.append(el('li', { class: 'view-item', dataset: { id: v.id } },
        el('button', { type: 'button', class: 'view-open linklike', dir: 'auto', text: v.name, title: v.query ? 'Filters: ' + [...new URLSearchParams(v.query)].map(([k, x]) => k + '=' + x).join(' · ') : 'Everything', onclick: () => this.open(v) }),
        el('a', { class: 'view-feed', href: v.feed, title: 'Atom feed of this view, for feed readers', text: 'Feed' }),
        canWrite ? el('button', { type: 'button', class: 'view-delete', 'aria-label': 'Delete the view ' + v.name, text: '×', onclick: () => this.remove(v) }) : ''));
    }
  }

  async save() {
    const name = this.name.value.trim();
    if (!name) { this.status.textContent = 'Give the view a name.'; this.name.focus(); return; }
    try {
      const v = await api.post('/api/v1/views', { name, query: this.query() });
      this.name.value = '';
      this.app.toast(`View “${v.name}” saved.`, 'ok');
      await this.load();
      this.app.emit('view-saved', v);
    } catch (err) {
      this.app.handleError(err, this.status);
    }
  }

  async remove(v) {
    if (!window.confirm(`Delete the saved view “${v.name}”?`)) return;
    try {
      await api.del('/api/v1/views/' + encodeURIComponent(v.id));
      await this.load();
    } catch (err) {
      this.app.handleError(err, this.status);
    }
  }

  // openID opens a view by its id (an address's ?view=).
  async openID(id) {
    try {
      this.open(await api.get('/api/v1/views/' + encodeURIComponent(id)));
    } catch (err) {
      this.app.handleError(err);
    }
  }

  // open restores a view: the map fits its area and the page's filter
  // controls show its filters (a rolling window counts back from now).
  open(v) {
    const p = new URLSearchParams(v.query || '');
    const s = readURL('?' + p.toString()); // the page's own reading of tags, place and event filters
    const f = { from: undefined, to: undefined, since: undefined, q: p.get('q') || '', status: p.get('status') || '', tag: s.tag || '',
      tagMode: s.tagMode || 'any', place: s.place || '', placeName: s.placeName || '' };
    for (const k of EVENT_KEYS) f[k] = s[k] || '';
    const since = p.get('since');
    if (since && Object.hasOwn(ROLLING, since)) {
      f.since = since;
      f.from = new Date(Date.now() - ROLLING[since]).toISOString();
    } else if (since) {
      const m = /^(\d+)([hd])$/.exec(since);
      if (m) f.from = new Date(Date.now() - Number(m[1]) * (m[2] === 'd' ? 24 : 1) * 3600e3).toISOString();
    } else {
      for (const k of ['from', 'to']) if (p.get(k) && !isNaN(Date.parse(p.get(k)))) f[k] = new Date(p.get(k)).toISOString();
    }
    document.getElementById('q').value = f.q;
    document.getElementById('status-filter').value = f.status;
    this.app.tags.show(f.tag);
    this.app.timebar.stop();
    const bb = (p.get('bbox') || '').split(',').map(Number);
    if (bb.length === 4 && bb.every(Number.isFinite)) {
      const east = bb[2] < bb[0] ? bb[2] + 360 : bb[2]; // across the antimeridian
      this.app.map.fitBounds([[bb[1], bb[0]], [bb[3], east]]);
    }
    this.app.setFilter(f);
    if (this.app.eventFilter) this.app.eventFilter.show(this.app.filters);
    if (this.app.more) this.app.more.show();
    this.current = v.id;
    this.app.toast(`Showing the view “${v.name}”.`, 'info');
    this.app.emit('view-opened', v);
  }
}
