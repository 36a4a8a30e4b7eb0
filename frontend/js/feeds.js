// Feeds: the panel that lists the feeds the service polls (GET
// /api/v1/feeds) with their status — last fetch, last new item, items
// stored, the last error in words —, adds one (POST /api/v1/feeds: URL,
// interval, tagging bias, tags), pauses, resumes and removes them. The
// service fetches a new feed at once; the panel refreshes its list every
// 10 s while it is open, and the map reloads when a feed has stored new
// reports.

import * as api from './api.js';
import { el } from './text.js';

// ago writes how long ago an ISO time was, for people.
export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' days ago';
}

// Feeds is the Feeds panel.
export class Feeds {
  constructor(app) {
    this.app = app;
    this.form = document.getElementById('feed-form');
    this.url = document.getElementById('feed-url');
    this.interval = document.getElementById('feed-interval');
    this.country = document.getElementById('feed-country');
    this.bbox = document.getElementById('feed-bbox');
    this.tags = document.getElementById('feed-tags');
    this.list = document.getElementById('feed-list');
    this.status = document.getElementById('feed-status');
    this.stored = -1; // items stored, all feeds: the map reloads when it grows
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.add(); });
    document.getElementById('feed-use-view').addEventListener('click', () => {
      const b = this.app.map.getBounds();
      this.bbox.value = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(x => x.toFixed(3)).join(',');
    });
    document.addEventListener('geotag:panel', (e) => {
      clearInterval(this.timer);
      if (e.detail !== 'feeds') return;
      this.load();
      this.timer = setInterval(() => this.load(), 10000);
    });
  }

  async load() {
    let res;
    try {
      res = await api.get('/api/v1/feeds');
    } catch (err) {
      this.app.handleError(err, this.status);
      return;
    }
    const feeds = (res && res.feeds) || [];
    this.form.hidden = !!(this.app.me && this.app.me.read_only); // adding needs a write token
    this.render(feeds);
    const stored = feeds.reduce((n, f) => n + ((f.status && f.status.items_stored) || 0), 0);
    if (this.stored >= 0 && stored > this.stored) { this.app.histKey = ''; this.app.load(); }
    this.stored = stored;
  }

  render(feeds) {
    this.list.textContent = '';
    if (!feeds.length) {
      this.list.append(el('li', { class: 'empty', text: 'No feeds yet. Add an RSS, Atom or JSON Feed address above.' }));
      return;
    }
    const canWrite = !(this.app.me && this.app.me.read_only);
    for (const f of feeds) {
      const st = f.status || {};
      const state = f.paused ? 'paused' : st.last_error ? 'failing' : st.last_fetch ? 'ok' : 'waiting';
      this.list.append(el('li', { class: 'feed feed-' + state, 'data-id': f.id },
        el('div', { class: 'feed-title', dir: 'auto', text: f.title || f.url }),
        el('div', { class: 'feed-url hint', text: f.url }),
        el('div', { class: 'feed-meta', text: `Every ${f.interval} · ${st.items_stored || 0} report${st.items_stored === 1 ? '' : 's'} · fetched ${ago(st.last_fetch)} · last new item ${ago(st.last_new_item)}` +
          (f.country ? ' · bias ' + f.country : '') + (f.bbox ? ' · box ' + f.bbox : '') + ((f.tags || []).length ? ' · tags ' + f.tags.join(', ') : '') }),
        st.last_error ? el('div', { class: 'feed-error error', role: 'status', text: st.last_error + (st.failures ? ` (failed ${st.failures} time${st.failures === 1 ? '' : 's'} in a row; next try ${new Date(st.next_fetch).toLocaleTimeString()})` : '') }) : null,
        canWrite ? el('div', { class: 'actions' },
          el('button', { type: 'button', class: 'feed-pause', text: f.paused ? 'Resume' : 'Pause', onclick: () => this.change(f, { paused: !f.paused }) }),
          el('button', { type: 'button', class: 'feed-remove', text: 'Remove', onclick: () => this.remove(f) })) : null));
    }
  }

  async add() {
    const body = { url: this.url.value.trim(), interval: this.interval.value.trim() || '5m' };
    if (this.country.value.trim()) body.country = this.country.value.trim();
    if (this.bbox.value.trim()) body.bbox = this.bbox.value.trim();
    const tags = this.tags.value.split(',').map(t => t.trim()).filter(Boolean);
    if (tags.length) body.tags = tags;
    this.status.textContent = 'Adding…';
    this.status.classList.remove('error');
    try {
      const f = await api.post('/api/v1/feeds', body);
      this.status.textContent = `Added “${f.url}”: fetching it now, then every ${f.interval}.`;
      this.form.reset();
      this.interval.value = '5m';
    } catch (err) {
      this.status.textContent = '';
      this.app.handleError(err, this.status);
      return;
    }
    setTimeout(() => this.load(), 1500);
    this.load();
  }

  async change(f, body) {
    try {
      await api.patch('/api/v1/feeds/' + encodeURIComponent(f.id), body);
    } catch (err) {
      this.app.handleError(err, this.status);
    }
    this.load();
  }

  async remove(f) {
    if (!window.confirm(`Stop polling “${f.title || f.url}”? Its reports stay.`)) return;
    try {
      await api.del('/api/v1/feeds/' + encodeURIComponent(f.id));
    } catch (err) {
      this.app.handleError(err, this.status);
    }
    this.load();
  }
}
