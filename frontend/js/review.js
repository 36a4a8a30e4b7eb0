// Reviewing: the list of unreviewed reports (newest first; j/k move, Enter
// opens, a accepts) and the report panel, where each mention can be
// corrected through POST /api/v1/reports/{id}/corrections and the report
// marked reviewed.

import * as api from './api.js';
import { debounce } from './text.js';
import { el, highlight, placeLabel, fmtTime, safeURL, precisionWords, confidenceClass, utf16ToCodePoint } from './text.js';
import { normalize } from './report.js';
import { mentionPanel, correctionBody } from './tagpanel.js';
import { deskActions } from './rules.js';
import { markFor } from './report.js';
import { tagChips } from './tags.js';
import { ReportEditor } from './edit.js';
import { reviewQuery, reveal } from './review-nav.js';
import { describeEdit } from './history.js';

export class Review {
  constructor(app) {
    this.app = app;
    this.list = document.getElementById('review-list');
    this.empty = document.getElementById('review-empty');
    this.badge = document.getElementById('review-count');
    this.detail = document.getElementById('report-detail');
    this.items = [];
    this.active = 0;
    this.open = -1;
    this.list.addEventListener('keydown', (e) => this.key(e));
    document.addEventListener('geotag:panel', (e) => { if (e.detail === 'review') { this.load(); this.list.focus(); } });
    // The list counts the reports of the visible area.
    app.map.on('moveend', debounce(() => this.load(), 400));
    // Shift+A in the report panel: mark reviewed and open the next.
    document.addEventListener('keydown', (e) => {
      const t = e.target;
      const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable);
      if (e.key === 'A' && !e.ctrlKey && !e.metaKey && !typing && this.app.activePanel === 'report' &&
        !this.editor && this.report && this.report.status !== 'reviewed') { e.preventDefault(); this.acceptAndNext(); }
    });
    // Who is signed in decides whether Edit is offered.
    document.addEventListener('geotag:me', () => { if (this.report && !this.editor) this.show(this.report); });
  }

  async load() {
    const { p, none } = reviewQuery(this.app); // the map's filters and visible area
    const seq = this.loads = (this.loads || 0) + 1;
    try {
      const fc = none ? { features: [], numberMatched: 0 } : await api.get('/api/v1/reports?' + p.toString());
      if (seq !== this.loads) return;
      this.items = (fc.features || []).map(normalize);
      // Past 10,000 the service gives a lower bound: shown as "10,000+".
      this.atLeast = fc.numberMatched == null && fc.numberMatchedAtLeast != null;
      this.total = fc.numberMatched ?? fc.numberMatchedAtLeast ?? this.items.length;
      this.badge.textContent = this.total ? this.total.toLocaleString() + (this.atLeast ? '+' : '') : '';
      this.active = Math.min(this.active, Math.max(0, this.items.length - 1));
      this.render();
    } catch (err) {
      this.app.handleError(err);
    }
  }

  render() {
    this.list.textContent = '';
    this.empty.hidden = this.items.length > 0;
    this.items.forEach((r, i) => {
      const li = el('li', { role: 'option', 'aria-selected': String(i === this.active), 'data-report': r.id, id: 'rv-' + i },
        el('strong', { text: r.title || 'Untitled report' }),
        el('small', { text: [fmtTime(r.time, r.timePrecision), r.location ? r.location.name || '' : 'no location', r.names.slice(0, 4).join(', ')].filter(Boolean).join(' · ') }));
      li.addEventListener('click', () => { this.active = i; this.render(); this.openActive(); });
      this.list.append(li);
    });
    this.list.setAttribute('role', 'listbox');
    if (this.items.length) this.list.setAttribute('aria-activedescendant', 'rv-' + this.active);
    const cur = this.list.children[this.active];
    if (cur) cur.scrollIntoView({ block: 'nearest' });
  }

  key(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'j' || e.key === 'ArrowDown') { this.move(1); e.preventDefault(); }
    else if (e.key === 'k' || e.key === 'ArrowUp') { this.move(-1); e.preventDefault(); }
    else if (e.key === 'Enter') { this.openActive(); e.preventDefault(); }
    else if (e.key === 'a') { this.accept(); e.preventDefault(); }
  }

  move(d) {
    if (!this.items.length) return;
    this.active = Math.max(0, Math.min(this.items.length - 1, this.active + d));
    this.render();
    reveal(this.app, this.items[this.active]);
  }

  openActive() {
    const r = this.items[this.active];
    if (r) this.app.openDetail(r.id);
  }

  async accept() {
    const r = this.items[this.active];
    if (!r) return;
    try {
      const res = await api.post(`/api/v1/reports/${encodeURIComponent(r.id)}/corrections`, { action: 'review' });
      this.app.onChanged(res.report);
      this.items.splice(this.active, 1);
      if (!this.atLeast) this.total = Math.max(0, (this.total || 1) - 1);
      this.badge.textContent = this.total ? this.total.toLocaleString() + (this.atLeast ? '+' : '') : '';
      this.active = Math.min(this.active, Math.max(0, this.items.length - 1));
      this.render();
      this.app.toast('Marked reviewed: ' + (r.title || 'untitled report'), 'ok');
    } catch (err) {
      this.app.handleError(err);
    }
  }

  // show fills the report panel with r (a normalized report).
  show(r) {
    this.report = r;
    this.editor = null;
    const d = this.detail;
    d.textContent = '';
    d.append(el('h3', { class: 'detail-title', dir: 'auto', text: r.title || 'Untitled report' }));
    const meta = el('p', { class: 'meta' });
    if (r.time) meta.append(el('time', { datetime: r.time, text: fmtTime(r.time, r.timePrecision) }), ' ');
    meta.append(el('span', { class: 'status status-' + r.status, text: r.status }));
    const src = safeURL(r.source);
    if (src) meta.append(' ', el('a', { href: src, target: '_blank', rel: 'noopener noreferrer nofollow', text: 'Source ↗' }));
    d.append(meta);
    const chips = tagChips(r.tags, (t) => this.app.filterByTag(t), this.app.filters.tag);
    if (chips) d.append(chips);
    d.append(el('p', { class: 'where' }, r.location
      ? [el('strong', { text: 'Main location: ' }), r.location.name || `${r.location.lat.toFixed(4)}, ${r.location.lon.toFixed(4)}`, ' — ', el('span', { class: 'precision', text: precisionWords(r.location.precision) }),
        r.location.provenance && r.location.provenance.method === 'manual' ? el('span', { class: 'hint', text: ' (set by hand)' }) : null]
      : 'No main location.'));
    // The event, with the text's suggestions (events.js), once answered.
    const evSlot = el('div', { class: 'event-section' });
    d.append(evSlot);
    this.app.eventPanel(r).then(s => { if (evSlot.isConnected && this.report === r) evSlot.replaceWith(s); });
    const seSlot = el('div', { class: 'same-event' }); // reports of the same event (incidents.js)
    d.append(seSlot);
    this.app.sameEventPanel(r).then(s => { if (seSlot.isConnected && this.report === r) seSlot.replaceWith(s); });
    const text = el('div', { class: 'tagged-text', id: 'detail-text', dir: 'auto', 'aria-label': 'Report text with its places' });
    highlight(text, r.text, r.mentions, (m, i, label) => {
      const mark = markFor(m, i, label);
      mark.tabIndex = 0;
      mark.setAttribute('role', 'button');
      if (r.location && r.location.mention === i) mark.classList.add('main');
      mark.addEventListener('click', () => this.openMention(i));
      mark.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.openMention(i); } });
      return mark;
    });
    text.addEventListener('mouseup', () => this.offerSelection(text));
    text.addEventListener('keyup', () => this.offerSelection(text));
    d.append(text);
    this.app.splitUI(text, r); // "Split off" a selection (split.js)
    d.append(el('p', { class: 'hint', text: 'Click a place to correct it; select words in the text to add a place the tagger missed.' }));
    const list = el('ol', { class: 'mention-list', id: 'detail-mentions' });
    r.mentions.forEach((m, i) => {
      const isMain = r.location && r.location.mention === i;
      const li = el('li', { class: 'mention ' + confidenceClass(m) + (isMain ? ' main' : ''), 'data-mention': i });
      li.append(el('button', { type: 'button', class: 'mention-open', 'aria-expanded': String(this.open === i), onclick: () => this.openMention(this.open === i ? -1 : i) },
        el('span', { class: 'm-text', dir: 'auto', text: m.text }), ' → ', el('span', { class: 'm-place', text: placeLabel(m.place) }),
        m.place ? el('span', { class: 'm-conf', text: m.manual ? 'set by hand' : Math.round((m.confidence || 0) * 100) + '%' }) : null,
        null));
      if (m.place) {
        li.append(el('button', { type: 'button', class: 'star', 'aria-pressed': String(!!isMain), title: 'Make this the report’s main location',
          'aria-label': `Make “${m.text}” the main location`, text: isMain ? '★' : '☆', onclick: () => { if (!isMain) this.correct(correctionBody(i, { action: 'main' })); } }));
      }
      if (this.open === i) {
        li.append(mentionPanel(m, {
          isMain,
          onCorrect: (c) => this.correct(correctionBody(i, c)),
          onClose: () => this.openMention(-1),
          pickPoint: (cb) => this.app.pickPoint(cb),
          desk: (mm) => deskActions(this.app, r, mm),
        }));
      }
      list.append(li);
    });
    if (!r.mentions.length) list.append(el('li', { class: 'empty', text: 'No places found in this report.' }));
    d.append(list);
    const actions = el('div', { class: 'actions' });
    const writer = !(this.app.me && this.app.me.read_only);
    if (writer) actions.append(el('button', { type: 'button', id: 'd-edit', onclick: () => this.edit(), text: 'Edit' }));
    if (r.status === 'reviewed') actions.append(el('button', { type: 'button', id: 'd-unreview', onclick: () => this.correct({ action: 'unreview' }), text: 'Mark unreviewed' }));
    else {
      actions.append(el('button', { type: 'button', class: 'primary', id: 'd-review', onclick: () => this.correct({ action: 'review' }), text: 'Mark reviewed' }));
      actions.append(el('button', { type: 'button', class: 'primary', id: 'd-review-next', onclick: () => this.acceptAndNext(), text: 'Mark reviewed, next ›',
        title: 'Mark this report reviewed and open the next unreviewed one in the review list (Shift+A)' }));
    }
    actions.append(el('button', { type: 'button', id: 'd-point', onclick: () => this.app.pickPoint((ll) => this.correct({ action: 'point', lat: ll.lat, lon: ll.lng })), text: 'Set main point on the map' }));
    // Undo: the service reverts the latest correction or edit (the save
    // notes promise it); nothing to undo with only the creation recorded.
    if (writer && (r.history || []).some(h => h.action !== 'create')) {
      actions.append(el('button', { type: 'button', id: 'd-undo', onclick: () => this.correct({ action: 'undo' }), text: '↶ Undo last change' }));
    }
    actions.append(el('button', { type: 'button', onclick: () => this.app.showPanel('review'), text: 'Review list' }));
    const del = el('button', { type: 'button', class: 'danger', id: 'd-delete', text: 'Delete…' });
    del.addEventListener('click', () => {
      if (del.dataset.armed) { this.remove(r); return; }
      del.dataset.armed = '1';
      del.textContent = 'Really delete this report?';
      setTimeout(() => { if (del.isConnected) { delete del.dataset.armed; del.textContent = 'Delete…'; } }, 5000);
    });
    actions.append(del);
    d.append(actions);
    d.append(el('p', { id: 'detail-error', class: 'error', role: 'alert', hidden: true }));
    if (r.history.length) {
      const h = el('ol', { class: 'history' });
      r.history.forEach((rv, i) => h.prepend(el('li', {}, rv.action === 'edit' ? describeRevision(rv, describeEdit(r.history, i, r)) : describeRevision(rv))));
      d.append(el('details', { class: 'history-box' }, el('summary', { text: `History (${r.history.length})` }), h));
    }
  }

  // edit loads the current version of the report, with its ETag, into
  // the edit form.
  async edit() {
    const r = this.report;
    let fresh;
    try {
      fresh = await api.get('/api/v1/reports/' + encodeURIComponent(r.id), { etag: true });
    } catch (err) {
      this.app.handleError(err, document.getElementById('detail-error'));
      return;
    }
    const cur = normalize(fresh.data);
    this.report = cur;
    this.editor = new ReportEditor(this.detail, cur, fresh.etag, {
      onSaved: (report, note) => {
        const nr = this.app.onChanged(report);
        this.show(nr);
        this.app.histKey = '';
        this.app.load();
        this.load();
        this.app.toast(note || 'Changes saved.', note ? 'info' : 'ok');
        this.app.emit('edited', nr.id);
      },
      onReloaded: (report) => { this.report = this.app.onChanged(report); },
      onCancel: (msg) => { this.show(this.report); if (msg) this.app.toast(msg, 'info'); },
      onError: (err, target) => this.app.handleError(err, target),
    });
    this.app.emit('editing', cur.id);
  }

  openMention(i) {
    this.open = i;
    this.show(this.report);
    const p = this.detail.querySelector('.mention-panel');
    if (p) { p.scrollIntoView({ block: 'nearest' }); const b = p.querySelector('button.alt, .mp-point'); if (b) b.focus(); }
  }

  offerSelection(container) {
    const old = this.detail.querySelector('.add-selection');
    if (old) old.remove();
    const s = window.getSelection();
    if (!s || !s.rangeCount || s.isCollapsed || !container.contains(s.anchorNode) || !container.contains(s.focusNode)) return;
    const rg = s.getRangeAt(0);
    const pre = document.createRange();
    pre.selectNodeContents(container);
    pre.setEnd(rg.startContainer, rg.startOffset);
    const t = container.textContent;
    const u0 = pre.toString().length, u1 = u0 + rg.toString().length;
    let start = utf16ToCodePoint(t, u0), end = utf16ToCodePoint(t, u1);
    const cps = Array.from(t);
    while (start < end && /[\s.,;:!?"'()«»“”]/u.test(cps[start])) start++;
    while (end > start && /[\s.,;:!?"'()«»“”]/u.test(cps[end - 1])) end--;
    if (end <= start || end - start > 120) return;
    if (this.report.mentions.some(m => m.start < end && start < m.end)) return;
    const text = cps.slice(start, end).join('');
    const btn = el('button', { type: 'button', class: 'add-selection' }, 'Add “', el('bdi', { text }), '” as a place');
    btn.addEventListener('click', () => this.addPanel(start, end, text, btn));
    container.after(btn);
  }

  // addPanel lets the analyst resolve a new mention before adding it.
  addPanel(start, end, text, btn) {
    const m = { start, end, text, place: null, alternatives: [] };
    const panel = mentionPanel(m, {
      onCorrect: (c) => {
        const body = { action: 'add', start, end, all: !!c.all };
        if (c.action === 'pick') body.place_id = c.place.id;
        else if (c.action === 'point') { body.lat = c.lat; body.lon = c.lon; }
        else { panel.remove(); return; }
        this.correct(body);
      },
      onClose: () => panel.remove(),
      pickPoint: (cb) => this.app.pickPoint(cb),
    });
    btn.replaceWith(panel);
    const d = panel.querySelector('details');
    if (d) { d.open = true; const q = d.querySelector('input'); q.dispatchEvent(new Event('input')); q.focus(); }
  }

  async remove(r) {
    try {
      await api.del('/api/v1/reports/' + encodeURIComponent(r.id));
      this.app.onDeleted(r.id);
      this.app.toast('Deleted: ' + (r.title || 'untitled report'), 'ok');
      this.app.showPanel('review');
    } catch (err) {
      this.app.handleError(err, document.getElementById('detail-error'));
    }
  }

  // acceptAndNext marks the open report reviewed and opens the review
  // list's next unreviewed report in the panel.
  async acceptAndNext() {
    const id = this.report.id;
    const at = Math.max(0, this.items.findIndex(x => x.id === id));
    await this.correct({ action: 'review' });
    if (!this.report || this.report.id !== id || this.report.status !== 'reviewed') return; // refused: stay
    await this.loaded;
    const next = this.items.filter(x => x.id !== id)[Math.min(at, this.items.length - 1)] || this.items.find(x => x.id !== id);
    if (!next) { this.app.toast('Nothing left to review in this view.', 'ok'); return; }
    this.active = Math.max(0, this.items.indexOf(next));
    await this.app.openDetail(next.id);
    reveal(this.app, next);
  }

  async correct(body) {
    const r = this.report;
    try {
      const res = await api.post(`/api/v1/reports/${encodeURIComponent(r.id)}/corrections`, body);
      this.open = -1;
      const nr = this.app.onChanged(res.report);
      this.show(nr);
      if (body.action === 'review' || body.action === 'unreview') this.loaded = this.load();
      this.app.emit('corrected', body);
    } catch (err) {
      this.app.handleError(err, document.getElementById('detail-error'));
    }
  }
}

// describeRevision says in words what one revision changed.
function describeRevision(rv, edit) {
  const who = rv.by ? ' by ' + rv.by : '';
  const when = fmtTime(rv.at);
  const b = rv.before, a = rv.after;
  let what;
  switch (rv.action) {
    case 'create': what = 'created'; break;
    case 'pick': what = `“${(a || b || {}).text || ''}”: ${placeLabel(b && b.place)} → ${placeLabel(a && a.place)}`; break;
    case 'point': what = a ? `“${a.text}” put at ${a.place.lat.toFixed(4)}, ${a.place.lon.toFixed(4)}` : 'main point set on the map'; break;
    case 'add': what = `added “${a ? a.text : ''}” as ${placeLabel(a && a.place)}`; break;
    case 'remove': what = `removed “${b ? b.text : ''}”`; break;
    case 'main': what = 'main location: ' + ((rv.after_location && rv.after_location.name) || 'changed'); break;
    case 'review': what = 'marked reviewed'; break;
    case 'unreview': what = 'marked unreviewed'; break;
    case 'edit': what = edit || 'edited'; break;
    case 'split': what = rv.split_from ? `split off report ${rv.split_from}` : `split: parts moved to ${(rv.split_into || []).length} new report(s) ${(rv.split_into || []).join(', ')}`; break;
    default: what = rv.action;
  }
  return `${when}${who}: ${what}`;
}
