// The new-report form: as the analyst types, the text is tagged (debounced
// POST /api/v1/tag), each place is highlighted by confidence and previewed
// on the map, and each mention opens the correction panel. Save stores the
// report, then records the analyst's corrections through the API.

import * as api from './api.js';
import { inputValue, fromInput, zoneLabel } from './when.js';
import { el, highlight, placeLabel, debounce, codePointIndex, utf16ToCodePoint, confidenceClass, precisionWords } from './text.js';
import { mentionPanel, correctionBody } from './tagpanel.js';
import { markFor } from './report.js';
import { EventFields } from './events.js';

const L = window.L;

export class ReportForm {
  constructor(app) {
    this.app = app;
    this.form = document.getElementById('report-form');
    this.title = document.getElementById('f-title');
    this.text = document.getElementById('f-text');
    this.time = document.getElementById('f-time');
    this.source = document.getElementById('f-source');
    this.status = document.getElementById('tag-status');
    this.preview = document.getElementById('tag-preview');
    this.list = document.getElementById('tag-list');
    this.error = document.getElementById('form-error');
    this.saveBtn = document.getElementById('f-save');
    this.layer = L.layerGroup().addTo(app.map);
    this.mentions = [];
    this.main = -1; // index of the main location; -1 = the service's choice
    this.auto = -1; // the service's choice (POST /api/v1/preview)
    this.queue = Promise.resolve(); // corrections run one after another
    this.decisions = []; // [{key, c}] replayed after each re-tag and on save
    this.open = -1;
    this.seq = 0; // taggings of the text: an answer for an older one is dropped
    this.edits = 0; // the analyst's changes to the mentions (add, correct)
    this.taggedText = null;
    this.taggedTitle = ''; // the title tagged with the text: its places weigh in the main location
    this.titleMentions = [];
    this.why = ''; // why the service chose its main location
    this.resetTime();
    // The event fields and the text's suggestions (events.js).
    this.event = new EventFields('f-ev');
    this.error.before(this.event.root);

    const retag = debounce(() => this.tag(), 450);
    this.text.addEventListener('input', () => { this.status.textContent = this.text.value.trim() ? 'Finding places…' : ''; retag(); });
    this.title.addEventListener('input', () => { if (this.taggedText !== null) retag(); });
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    this.form.addEventListener('reset', () => setTimeout(() => this.clear(), 0));
    const sel = () => this.offerSelection();
    this.text.addEventListener('select', sel);
    this.text.addEventListener('keyup', sel);
    this.text.addEventListener('mouseup', sel);
    this.preview.addEventListener('mouseup', sel);
    this.preview.addEventListener('click', (e) => {
      const m = e.target.closest('mark[data-mention]');
      if (m) this.openMention(Number(m.dataset.mention));
    });
    this.preview.addEventListener('keydown', (e) => {
      const m = e.target.closest('mark[data-mention]');
      if (m && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); this.openMention(Number(m.dataset.mention)); }
    });
  }

  resetTime() {
    const d = new Date();
    d.setSeconds(0, 0);
    this.time.value = inputValue(d.toISOString());
    const label = document.querySelector('label[for="f-time"]');
    if (label) label.textContent = 'Event time (' + zoneLabel() + ')';
  }

  clear() {
    this.mentions = [];
    this.main = -1;
    this.auto = -1;
    this.decisions = [];
    this.open = -1;
    this.taggedText = null;
    this.taggedTitle = '';
    this.titleMentions = [];
    this.why = '';
    this.error.hidden = true;
    this.status.textContent = '';
    this.resetTime();
    this.event.reset();
    this.render();
  }

  async tag() {
    const text = this.text.value;
    const title = this.title.value.trim();
    const seq = ++this.seq;
    const edits = this.edits;
    if (this.abort) this.abort.abort();
    if (!text.trim()) { this.mentions = []; this.auto = -1; this.taggedText = text; this.render(); return; }
    this.abort = new AbortController();
    try {
      const data = await api.post('/api/v1/tag', { title, text }, { signal: this.abort.signal });
      if (seq !== this.seq) return;
      this.taggedText = text;
      this.taggedTitle = title;
      this.titleMentions = (data && data.title_mentions) || [];
      const openAdded = this.open >= 0 && this.mentions[this.open] && this.mentions[this.open].added ? this.mentions[this.open] : null;
      const pending = this.mentions.filter(m => m.added && !m.place); // being resolved in a panel
      this.mentions = (data && data.mentions) || [];
      this.event.suggest(data && data.event);
      if (!await this.replayDecisions(seq)) return;
      const cps = Array.from(text);
      for (const p of pending) {
        if (cps.slice(p.start, p.end).join('') !== p.text || this.mentions.some(m => m.start < p.end && p.start < m.end)) continue;
        this.mentions.push(p);
      }
      this.mentions.sort((a, b) => a.start - b.start);
      this.open = openAdded ? this.mentions.indexOf(openAdded) : -1;
      if (!await this.previewRules([], seq)) return;
      this.showFound();
      // An analyst who changed the mentions meanwhile (added a name and
      // opened its panel, picked a point) keeps the map where it is and
      // the panel they work in.
      if (edits !== this.edits) {
        if (this.open < 0) this.render(false);
        return;
      }
      this.render(true);
    } catch (err) {
      if (err.name === 'AbortError') return;
      this.status.textContent = '';
      this.app.handleError(err, this.error);
    }
  }

  // showFound says how many places the text names, and the main location.
  showFound() {
    const n = this.mentions.filter(m => m.place && !m.removed).length;
    this.status.textContent = n ? `${n} place${n === 1 ? '' : 's'} found. Click a highlighted name to check or correct it.` : 'No places found yet.';
    if (this.why && this.main < 0) this.status.textContent += ` Main location: ${this.why}.`;
  }

  // replayDecisions re-applies the analyst's corrections after the re-tag
  // seq; false when a newer tagging came meanwhile.
  async replayDecisions(seq) {
    for (const d of this.decisions) {
      if (d.c.action === 'add') {
        const i = this.findAdded(d);
        if (i >= 0 && !await this.previewRules([correctionBody(i, { action: 'pick', place: d.c.place })], seq)) return false;
        continue;
      }
      const i = nthIndex(this.mentions, d.key, d.nth);
      if (i < 0) continue;
      if (d.c.action === 'main') { this.main = i; continue; }
      if (d.c.action === 'remove') { this.removeMention(i, d.c.all); continue; }
      if (!await this.previewRules([correctionBody(i, d.c)], seq)) return false;
    }
    return true;
  }

  // previewRules asks the service to apply corrections (pick and point, as
  // POST /api/v1/reports/{id}/corrections takes them) to the draft's
  // mentions and to choose the main location, so that the page holds no
  // copy of the report rules. A mention removed as not a place goes
  // without its place: it keeps its index and never locates the report.
  // It returns false, changing nothing, when the text was tagged again
  // meanwhile (seq). The answer's indexes are those of the list sent: a
  // mention the analyst added meanwhile shifts the others, so the answer
  // is applied to the mentions it was about, wherever they are now.
  async previewRules(corrections, seq = this.seq) {
    const sent = this.mentions.slice();
    const mentions = sent.map(({ removed, added, ...m }) => removed ? { ...m, place: null } : m);
    const res = await api.post('/api/v1/preview', { title: this.taggedTitle, title_mentions: this.titleMentions, text: this.taggedText ?? '', mentions, corrections });
    if (seq !== this.seq) return false;
    const l = res && res.location;
    this.why = l && l.why ? `${l.name || 'a place of the title'}, ${l.why}` : '';
    const now = sent.map(m => this.mentions.indexOf(m)); // -1: gone meanwhile
    const next = this.mentions.slice();
    for (const r of (res && res.revisions) || []) {
      const k = r.mention, j = now[k];
      if (j >= 0 && res.mentions[k]) next[j] = { ...res.mentions[k], added: sent[k].added, removed: false };
    }
    this.mentions = next;
    this.auto = l && l.mention >= 0 && now[l.mention] !== undefined ? now[l.mention] : -1;
    return true;
  }

  // removeMention marks mention i (and with all, every one of the same
  // name) as not a place.
  removeMention(i, all) {
    const key = this.mentions[i].text.toLowerCase();
    this.mentions.forEach((m, j) => {
      if (j !== i && !(all && m.text.toLowerCase() === key)) return;
      this.mentions[j] = { ...m, removed: true, manual: true };
      if (j === this.main) this.main = -1;
    });
  }

  // findAdded puts a hand-added mention back into the list after a re-tag.
  findAdded(d) {
    const cps = Array.from(this.text.value);
    const want = Array.from(d.c.text);
    for (let s = 0; s + want.length <= cps.length; s++) {
      if (cps.slice(s, s + want.length).join('') !== d.c.text) continue;
      const e = s + want.length;
      if (this.mentions.some(m => m.start < e && s < m.end)) continue;
      this.mentions.push({ start: s, end: e, text: d.c.text, kind: 'place', confidence: 1, place: null, alternatives: [], manual: true, added: true });
      this.mentions.sort((a, b) => a.start - b.start);
      return this.mentions.findIndex(m => m.start === s);
    }
    return -1;
  }

  // mainIndex is the mention that locates the report: the analyst's
  // choice, else the one the service chose (preview).
  mainIndex() {
    if (this.main >= 0 && this.mentions[this.main] && this.mentions[this.main].place && !this.mentions[this.main].removed) return this.main;
    return this.auto;
  }

  // mentionItem is the tag list's row of mention i.
  mentionItem(m, i, main) {
    const li = el('li', { class: 'mention ' + confidenceClass(m) + (i === main ? ' main' : ''), 'data-mention': i });
    const btn = el('button', { type: 'button', class: 'mention-open', 'aria-expanded': String(this.open === i), onclick: () => this.openMention(this.open === i ? -1 : i) },
      el('span', { class: 'm-text', dir: 'auto', text: m.text }), ' → ',
      el('span', { class: 'm-place', text: m.removed ? 'not a place' : placeLabel(m.place) }),
      m.place && !m.removed ? el('span', { class: 'm-conf', text: m.manual ? 'set by hand' : Math.round((m.confidence || 0) * 100) + '%' }) : null,
      null);
    li.append(btn);
    if (m.place && !m.removed) {
      li.append(el('button', { type: 'button', class: 'star', 'aria-pressed': String(i === main), title: 'Make this the report’s main location',
        'aria-label': `Make “${m.text}” the main location`, text: i === main ? '★' : '☆', onclick: () => this.correct(i, { action: 'main' }) }));
    }
    if (this.open === i) {
      li.append(mentionPanel(m, {
        isMain: i === main,
        onCorrect: (c) => this.correct(i, c),
        onClose: () => this.openMention(-1),
        pickPoint: (cb) => this.app.pickPoint(cb),
      }));
    }
    return li;
  }

  render(fit) {
    const text = this.taggedText === this.text.value ? this.text.value : (this.taggedText ?? '');
    highlight(this.preview, text, this.mentions, (m, i, label) => {
      const mark = markFor(m, i, label);
      mark.tabIndex = 0;
      mark.setAttribute('role', 'button');
      if (i === this.mainIndex()) mark.classList.add('main');
      return mark;
    });
    this.preview.hidden = !text;
    this.list.textContent = '';
    this.layer.clearLayers();
    const main = this.mainIndex();
    const pts = [];
    // A name repeated over a long text is one row with its count; the
    // other occurrences show when it is expanded (or one of them is open).
    const groups = mentionGroups(this.mentions);
    this.expanded = this.expanded || new Set();
    for (const g of groups) {
      const [first, ...rest] = g.indexes;
      const open = rest.includes(this.open);
      const li = this.mentionItem(this.mentions[first], first, main);
      if (rest.length) {
        const shown = open || this.expanded.has(g.key);
        li.querySelector('.mention-open').after(el('button', { type: 'button', class: 'm-count', 'aria-expanded': String(shown),
          title: shown ? 'Hide the other occurrences' : 'Show each occurrence', text: '×' + g.indexes.length,
          onclick: () => { if (shown) this.expanded.delete(g.key); else this.expanded.add(g.key); if (open) this.open = -1; this.render(); } }));
      }
      this.list.append(li);
      if (rest.length && (open || this.expanded.has(g.key))) {
        for (const i of rest) { const sub = this.mentionItem(this.mentions[i], i, main); sub.classList.add('m-repeat'); this.list.append(sub); }
      }
    }
    this.mentions.forEach((m, i) => {
      if (m.place && !m.removed) {
        const cm = L.circleMarker([m.place.lat, m.place.lon], {
          radius: i === main ? 9 : 7, className: 'preview-marker ' + confidenceClass(m) + (i === main ? ' main' : ''),
        });
        cm.bindTooltip(el('span', { text: m.text + ' → ' + placeLabel(m.place) }), { direction: 'top' });
        cm.on('click', () => this.openMention(i));
        cm.mention = i;
        this.layer.addLayer(cm);
        pts.push([m.place.lat, m.place.lon]);
      }
    });
    if (pts.length) {
      // The view fits new places found in the text, not those the
      // analyst has just placed (render(false) marks them as seen).
      const key = pts.map(p => p.join(',')).join(';');
      if (fit === false) this.fitKey = key;
      else if (key !== this.fitKey) {
        this.fitKey = key;
        this.app.map.fitBounds(L.latLngBounds(pts).pad(0.3), { maxZoom: 8, animate: false });
      }
    }
  }

  openMention(i) {
    this.open = i;
    this.render();
    if (i >= 0) {
      const panel = this.list.querySelector('.mention-panel');
      if (panel) { panel.scrollIntoView({ block: 'nearest' }); const b = panel.querySelector('button.alt, .mp-point'); if (b) b.focus(); }
    }
  }

  // correct records the correction c of mention i and shows it, through
  // the service (preview); corrections run one after another.
  correct(i, c) {
    this.queue = this.queue.then(() => this.correctNow(i, c)).catch((err) => this.app.handleError(err, this.error));
    return this.queue;
  }

  async correctNow(i, c) {
    this.edits++;
    const m = this.mentions[i];
    if (m.added && c.action !== 'main') {
      this.decisions = this.decisions.filter(d => !(d.c.action === 'add' && d.c.text === m.text));
      if (c.action !== 'remove') this.decisions.push({ key: m.text.toLowerCase(), c: { action: 'add', text: m.text, place: c.place || { id: 0, name: m.text, lat: c.lat, lon: c.lon } } });
    } else {
      const key = m.text.toLowerCase();
      const nth = this.mentions.slice(0, i).filter(x => x.text.toLowerCase() === key && !x.added).length;
      this.decisions.push({ key, nth, c });
    }
    const seq = this.seq;
    if (m.added && c.action === 'remove') {
      this.mentions.splice(i, 1);
      this.main = -1;
    } else if (c.action === 'main') {
      this.main = i;
    } else if (c.action === 'remove') {
      this.removeMention(i, c.all);
    }
    const fix = c.action === 'pick' || c.action === 'point' ? [correctionBody(i, c)] : [];
    if (!await this.previewRules(fix, seq)) return;
    this.open = c.action === 'main' ? i : -1;
    // The analyst's view stays: no re-fit after a correction, only a pan
    // when the corrected place is out of sight.
    this.render(false);
    const p = this.mentions[i] && this.mentions[i].place;
    if (p && Number.isFinite(p.lat) && !this.app.map.getBounds().contains([p.lat, p.lon])) this.app.map.panTo([p.lat, p.lon]);
  }

  // offerSelection offers to add the selected text as a place.
  offerSelection() {
    let start = -1, end = -1, text = '';
    const value = this.text.value;
    if (document.activeElement === this.text && this.text.selectionEnd > this.text.selectionStart) {
      start = utf16ToCodePoint(value, this.text.selectionStart);
      end = utf16ToCodePoint(value, this.text.selectionEnd);
    } else {
      const s = window.getSelection();
      if (s && s.rangeCount && !s.isCollapsed && this.preview.contains(s.anchorNode) && this.preview.contains(s.focusNode)) {
        const r = s.getRangeAt(0);
        const pre = document.createRange();
        pre.selectNodeContents(this.preview);
        pre.setEnd(r.startContainer, r.startOffset);
        const u0 = pre.toString().length;
        const u1 = u0 + r.toString().length;
        const t = this.preview.textContent;
        start = utf16ToCodePoint(t, u0);
        end = utf16ToCodePoint(t, u1);
      }
    }
    const hint = document.getElementById('select-hint');
    const old = this.form.querySelector('.add-selection');
    if (old) old.remove();
    if (start < 0 || end <= start || this.taggedText !== value) { hint.hidden = !this.mentions.length; return; }
    // Trim spaces and punctuation around the selection.
    const cps = Array.from(value);
    while (start < end && /[\s.,;:!?"'()«»“”]/u.test(cps[start])) start++;
    while (end > start && /[\s.,;:!?"'()«»“”]/u.test(cps[end - 1])) end--;
    if (end <= start || end - start > 120) return;
    text = cps.slice(start, end).join('');
    if (this.mentions.some(m => m.start < end && start < m.end)) return;
    hint.hidden = true;
    const btn = el('button', { type: 'button', class: 'add-selection', onclick: () => this.addMention(start, end, text) }, 'Add “', el('bdi', { text }), '” as a place');
    this.list.before(btn);
  }

  addMention(start, end, text) {
    this.edits++;
    const m = { start, end, text, kind: 'place', confidence: 1, place: null, alternatives: [], manual: true, added: true };
    this.mentions.push(m);
    this.mentions.sort((a, b) => a.start - b.start);
    const b = this.form.querySelector('.add-selection');
    if (b) b.remove();
    this.openMention(this.mentions.indexOf(m));
    const d = this.list.querySelector('.mention-panel details');
    if (d) { d.open = true; const q = d.querySelector('input'); q.dispatchEvent(new Event('input')); q.focus(); }
  }

  async save() {
    this.error.hidden = true;
    const text = this.text.value;
    const title = this.title.value.trim();
    if (!text.trim() && !title) { this.showError('Write a title or a text first.'); this.text.focus(); return; }
    let time = '';
    if (this.time.value) {
      time = fromInput(this.time.value);
      if (!time) { this.showError('The event time is not a valid date.'); this.time.focus(); return; }
    }
    const source = this.source.value.trim();
    if (source && !/^https?:\/\//i.test(source)) { this.showError('The source must be an http(s) address.'); this.source.focus(); return; }
    this.saveBtn.disabled = true;
    try {
      const body = { title, text, source, ...this.event.value() };
      if (time) body.time = time;
      let report = await api.post('/api/v1/reports', body);
      let corrErr = null;
      try {
        report = await this.app.recordCorrections(report, this.decisions);
      } catch (err) {
        corrErr = err; // the report is stored; say which part did not go through
      }
      this.app.onSaved(report);
      this.form.reset();
      this.clear();
      if (corrErr) this.app.handleError(new Error('The report was saved, but a correction was not: ' + corrErr.message + ' Open it from the map to correct it.'));
    } catch (err) {
      this.app.handleError(err, this.error);
    } finally {
      this.saveBtn.disabled = false;
    }
  }

  showError(msg) {
    this.error.textContent = msg;
    this.error.hidden = false;
  }

  // previews lists the preview markers, for tests.
  previews() {
    const out = [];
    this.layer.eachLayer(l => {
      const m = this.mentions[l.mention];
      const ll = l.getLatLng();
      out.push({ text: m.text, name: m.place.name, lat: ll.lat, lon: ll.lng });
    });
    return out;
  }
}

// nthIndex returns the index of the nth (0-based) tagger mention whose text
// is key, ignoring case, or -1.
export function nthIndex(mentions, key, nth = 0) {
  let k = 0;
  for (let i = 0; i < mentions.length; i++) {
    if (mentions[i].added || mentions[i].text.toLowerCase() !== key) continue;
    if (k++ === nth) return i;
  }
  return -1;
}

// mentionGroups groups the mentions by what they resolve to (a place,
// "not a place" or unresolved, by their words), in text order: [{key,
// indexes}].
export function mentionGroups(mentions) {
  const groups = new Map();
  mentions.forEach((m, i) => {
    const words = (m.text || '').toLowerCase();
    const key = m.removed ? 'x:' + words : m.place && m.place.id ? 'p:' + m.place.id + ':' + (m.manual ? m.place.lat + ',' + m.place.lon : '')
      : m.place ? 'q:' + m.place.lat + ',' + m.place.lon : 't:' + words;
    if (!groups.has(key)) groups.set(key, { key, indexes: [] });
    groups.get(key).indexes.push(i);
  });
  return [...groups.values()];
}
