// The time bar: a histogram of the reports in view over time, with a
// draggable window (drag on the bars to draw one, drag it to move it, drag
// its edges to resize it; arrow keys move it, shift+arrows resize it),
// presets and play.

import { fmtWhen, fmtDay, zone, setZone } from './when.js';
import { ROLLING } from './state.js';
import { TYPES, STYLE } from './events.js';

const SVG = 'http://www.w3.org/2000/svg';
const HOUR = 3600e3, DAY = 24 * HOUR;

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

export class TimeBar {
  // onChange(from, to) gets ISO strings or '' for an open end.
  constructor(root, label, onChange) {
    this.root = root;
    this.label = label;
    this.onChange = onChange;
    this.bins = []; // {t0, t1, n}: n reports in [t0, t1), oldest first
    this.from = null; // Date or null
    this.to = null;
    this.count = null;
    this.root.tabIndex = 0;
    this.root.setAttribute('aria-describedby', label.id);
    this.svg = svg('svg', { preserveAspectRatio: 'none', 'aria-hidden': 'true' });
    this.root.append(this.svg);
    new ResizeObserver(() => this.render()).observe(this.root);
    this.root.addEventListener('pointerdown', (e) => this.down(e));
    this.root.addEventListener('keydown', (e) => this.key(e));
    for (const b of document.querySelectorAll('[data-preset]')) b.addEventListener('click', () => this.preset(b.dataset.preset));
    this.playBtn = document.getElementById('play');
    this.playBtn.addEventListener('click', () => this.togglePlay());
    // The zone times are shown in: UTC, or this browser's (when.js).
    this.tzBtn = document.getElementById('tz');
    if (this.tzBtn) {
      const show = () => { const local = zone() === 'local'; this.tzBtn.textContent = local ? 'Local time' : 'UTC'; this.tzBtn.setAttribute('aria-pressed', String(local)); };
      show();
      this.tzBtn.addEventListener('click', () => setZone(zone() === 'local' ? 'utc' : 'local'));
      document.addEventListener('geotag:timezone', () => { show(); this.render(); });
    }
  }

  // setHistogram takes GET /api/v1/histogram's answer: bins of equal
  // width from the oldest to the newest report in view.
  setHistogram(h) {
    this.bins = [];
    this.fixedBulk = null;
    const from = h && h.from ? Date.parse(h.from) : NaN, w = h ? h.width_seconds * 1000 : 0;
    if (Number.isFinite(from) && w > 0) {
      (h.counts || []).forEach((n, i) => { if (n > 0) this.bins.push({ t0: from + i * w, t1: from + (i + 1) * w, n, types: typesAt(h, i) }); });
    }
    this.render();
  }

  // setBulkHistogram replaces the bins within bulk ([lo, hi], see bulk) by
  // the finer ones of h, the histogram of that span alone.
  setBulkHistogram(h, [lo, hi]) {
    const from = h && h.from ? Date.parse(h.from) : NaN, w = h ? h.width_seconds * 1000 : 0;
    if (!Number.isFinite(from) || !(w > 0)) return;
    const fine = [];
    (h.counts || []).forEach((n, i) => { if (n > 0) fine.push({ t0: from + i * w, t1: from + (i + 1) * w, n, types: typesAt(h, i) }); });
    const outside = this.bins.filter(b => b.t1 <= lo || b.t0 >= hi);
    this.bins = outside.concat(fine).sort((a, b) => a.t0 - b.t0);
    this.fixedBulk = [lo, hi];
    this.render();
  }

  setWindow(from, to) {
    this.from = from ? new Date(from) : null;
    this.to = to ? new Date(to) : null;
    this.render();
  }

  // setCount shows n reports in view; atLeast: n is a lower bound.
  setCount(n, atLeast = false) { this.count = n; this.atLeast = atLeast; this.renderLabel(); }

  // domain is the time span the bar shows: the reports' span (the bulk of
  // them unless fitAll, see bulk), never past now unless reports are, and
  // the chosen window.
  domain() {
    const now = Date.now();
    const b = this.bins;
    const bulk = this.fitAll ? null : this.bulk();
    let lo = bulk ? bulk[0] : b.length ? b[0].t0 : now - 30 * DAY;
    let hi = bulk ? bulk[1] : b.length ? b[b.length - 1].t1 : now;
    // The end of the last bin on the axis (the service anchors its bins
    // at the newest report), and never past now unless reports are.
    const last = b.filter(x => x.t0 < hi).pop();
    if (last) hi = Math.min(hi, last.t1);
    if (last && hi > now && last.t0 <= now) hi = now;
    if (this.from) lo = Math.min(lo, +this.from);
    if (this.to) hi = Math.max(hi, +this.to);
    if (this.from && !this.to) hi = Math.max(hi, now);
    if (hi - lo < HOUR) { lo -= HOUR / 2; hi += HOUR / 2; }
    // A little room at the start; at the end only up to now.
    const pad = (hi - lo) * 0.02;
    return [lo - pad, Math.max(hi, Math.min(hi + pad, now))];
  }

  // bulk returns [lo, hi], the span of the bulk of the reports, when a few
  // outliers (at most 2 %, and at least 10 reports in all) stretch the
  // whole span to over four times it; else null. The outliers are then
  // marked at the ends of the bar rather than squeezing the rest.
  bulk() {
    if (this.fixedBulk) return this.fixedBulk;
    const b = this.bins;
    const total = b.reduce((s, x) => s + x.n, 0);
    if (total < 10 || b.length < 2) return null;
    const k = Math.max(1, Math.floor(total * 0.02));
    let i = 0, j = b.length - 1, before = 0, after = 0;
    while (i < j && before + b[i].n <= k - after) before += b[i++].n;
    while (j > i && after + b[j].n <= k - before) after += b[j--].n;
    if (!before && !after) return null;
    const lo = b[i].t0, hi = b[j].t1;
    return (hi - lo) * 4 < b[b.length - 1].t1 - b[0].t0 ? [lo, hi] : null;
  }

  xOf(t, w) { const [lo, hi] = this.domain(); return ((t - lo) / (hi - lo)) * w; }
  tOf(x, w) { const [lo, hi] = this.domain(); return lo + (x / w) * (hi - lo); }

  render() {
    const w = this.root.clientWidth || 600, h = this.root.clientHeight || 50;
    this.w = w; this.h = h;
    this.svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    this.svg.textContent = '';
    const [lo, hi] = this.domain();
    const n = Math.max(10, Math.min(120, Math.floor(w / 7)));
    const bins = new Array(n).fill(0);
    const byType = new Array(n).fill(null); // with this.stack: counts per event type
    // The service's bins are finer than these: each goes to the bin of its
    // middle; those outside the axis are counted as outliers.
    let early = 0, late = 0, earliest = 0, latest = 0;
    for (const b of this.bins) {
      const mid = (b.t0 + b.t1) / 2;
      if (b.t1 <= lo) { early += b.n; if (!earliest) earliest = b.t0; continue; }
      if (b.t0 >= hi) { late += b.n; latest = b.t1; continue; }
      const k = Math.max(0, Math.min(n - 1, Math.floor(((mid - lo) / (hi - lo)) * n)));
      bins[k] += b.n;
      if (this.stack && b.types) { byType[k] = byType[k] || new Array(TYPES.length).fill(0); b.types.forEach((c, j) => { byType[k][j] += c; }); }
    }
    this.outliers = { early, late };
    const max = Math.max(1, ...bins);
    const bw = w / n;
    const f = this.from ? +this.from : -Infinity, to = this.to ? +this.to : Infinity;
    for (let i = 0; i < n; i++) {
      if (!bins[i]) continue;
      const bh = Math.max(2, (bins[i] / max) * (h - 6));
      const t0 = lo + (i / n) * (hi - lo), t1 = lo + ((i + 1) / n) * (hi - lo);
      const inside = t1 > f && t0 < to;
      const r = svg('rect', { x: i * bw + 0.5, y: h - bh, width: Math.max(1, bw - 1), height: bh, class: 'hbar' + (inside ? ' in' : '') });
      const tt = svg('title', {});
      tt.textContent = `${bins[i]} report${bins[i] === 1 ? '' : 's'} from ${fmt(t0)} to ${fmt(t1)}`;
      r.append(tt);
      this.svg.append(r);
      if (byType[i]) this.stackBar(byType[i], bins[i], i * bw + 0.5, h, bh, Math.max(1, bw - 1), inside);
    }
    if (this.from || this.to) {
      const x0 = this.from ? Math.max(0, this.xOf(+this.from, w)) : 0;
      const x1 = this.to ? Math.min(w, this.xOf(+this.to, w)) : w;
      this.svg.append(svg('rect', { x: x0, y: 0, width: Math.max(2, x1 - x0), height: h, class: 'window' }));
      this.svg.append(svg('rect', { x: x0 - 3, y: 0, width: 6, height: h, class: 'handle' }));
      this.svg.append(svg('rect', { x: x1 - 3, y: 0, width: 6, height: h, class: 'handle' }));
    }
    // The ends of the time axis.
    const lab = (x, anchor, t, withTime) => { const e = svg('text', { x, y: 11, 'text-anchor': anchor, class: 'axis' }); e.textContent = withTime ? fmt(t) : fmtDay(t); this.svg.append(e); };
    const short = hi - lo < 2 * DAY;
    lab(3, 'start', lo, short);
    lab(w - 3, 'end', hi, short);
    // Outliers left off the axis: a mark at each end that shows them all.
    const mark = (x, anchor, n, t, side) => {
      if (!n) return;
      const e = svg('text', { x, y: h - 4, 'text-anchor': anchor, class: 'outlier', 'data-outliers': side });
      e.textContent = side === 'early' ? `◀ ${n} earlier` : `${n} later ▶`;
      const tt = svg('title', {});
      tt.textContent = `${n} report${n === 1 ? '' : 's'} ${side === 'early' ? 'from ' + fmtDay(t) : 'up to ' + fmtDay(t)}, outside this axis; click to show the whole span`;
      e.append(tt);
      e.addEventListener('pointerdown', (ev) => { ev.stopPropagation(); this.fitAll = true; this.render(); });
      this.svg.append(e);
    };
    mark(3, 'start', early, earliest, 'early');
    mark(w - 3, 'end', late, latest, 'late');
    this.renderLabel();
  }

  // stackBar draws a bar's event types over it, bottom up in ACLED's
  // order; the untyped rest stays the bar's own colour on top.
  stackBar(types, total, x, h, bh, bw, inside) {
    let y = h;
    types.forEach((c, j) => {
      if (!c) return;
      const sh = (c / total) * bh;
      y -= sh;
      const r = svg('rect', { x, y, width: bw, height: sh, fill: STYLE[TYPES[j]].color, class: 'hstack' + (inside ? ' in' : ''), 'data-type': TYPES[j] });
      const tt = svg('title', {});
      tt.textContent = `${c} ${TYPES[j]}`;
      r.append(tt);
      this.svg.append(r);
    });
  }

  renderLabel() {
    let s;
    if (!this.from && !this.to) s = 'All time';
    else if (this.from && !this.to) s = 'Since ' + fmt(+this.from);
    else if (!this.from) s = 'Until ' + fmt(+this.to);
    else s = fmt(+this.from) + ' – ' + fmt(+this.to);
    if (this.count != null) s += ` · ${this.count.toLocaleString()}${this.atLeast ? '+' : ''} report${this.count === 1 && !this.atLeast ? '' : 's'}`;
    if (!this.bins.length) s += ' · no reports in view yet';
    const o = this.outliers ? this.outliers.early + this.outliers.late : 0;
    if (o) s += ` · ${o} outlier${o === 1 ? '' : 's'} off the axis (marked at its ends)`;
    this.label.textContent = s;
    for (const b of document.querySelectorAll('[data-preset]')) b.setAttribute('aria-pressed', String(b.dataset.preset === this.presetName()));
  }

  down(e) {
    if (e.button !== 0) return;
    const rect = this.root.getBoundingClientRect();
    const w = rect.width;
    const x = e.clientX - rect.left;
    const x0 = this.from ? this.xOf(+this.from, w) : 0;
    const x1 = this.to ? this.xOf(+this.to, w) : w;
    const has = this.from || this.to;
    let mode = 'new';
    if (has && Math.abs(x - x0) < 7) mode = 'left';
    else if (has && Math.abs(x - x1) < 7) mode = 'right';
    else if (has && x > x0 && x < x1) mode = 'move';
    const start = { x, from: this.from ? +this.from : this.tOf(0, w), to: this.to ? +this.to : this.tOf(w, w) };
    let moved = false;
    this.root.setPointerCapture(e.pointerId);
    const move = (ev) => {
      const nx = Math.max(0, Math.min(w, ev.clientX - rect.left));
      if (Math.abs(nx - x) > 3) moved = true;
      if (!moved) return;
      const t = this.tOf(nx, w), dt = t - this.tOf(x, w);
      if (mode === 'new') { const a = this.tOf(x, w); this.from = new Date(Math.min(a, t)); this.to = new Date(Math.max(a, t)); }
      else if (mode === 'move') { this.from = new Date(start.from + dt); this.to = new Date(start.to + dt); }
      else if (mode === 'left') { this.from = new Date(Math.min(t, start.to - 60e3)); }
      else if (mode === 'right') { this.to = new Date(Math.max(t, start.from + 60e3)); }
      this.render();
    };
    const up = (ev) => {
      this.root.removeEventListener('pointermove', move);
      this.root.removeEventListener('pointerup', up);
      this.root.removeEventListener('pointercancel', up);
      if (!moved && mode === 'new') {
        // A click picks the bin under the pointer.
        const n = Math.max(10, Math.min(120, Math.floor(w / 7)));
        const [lo, hi] = this.domain();
        const i = Math.floor((x / w) * n);
        this.from = new Date(lo + (i / n) * (hi - lo));
        this.to = new Date(lo + ((i + 1) / n) * (hi - lo));
        this.render();
      }
      this.commit();
    };
    this.root.addEventListener('pointermove', move);
    this.root.addEventListener('pointerup', up);
    this.root.addEventListener('pointercancel', up);
  }

  key(e) {
    const [lo, hi] = this.domain();
    const span = (this.to ? +this.to : hi) - (this.from ? +this.from : lo);
    const step = Math.max(60e3, span / 4);
    let handled = true;
    if (e.key === 'Escape' || e.key === 'Delete' || e.key === 'Backspace') { this.from = this.to = null; }
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const d = e.key === 'ArrowLeft' ? -step : step;
      if (!this.from && !this.to) { this.from = new Date(hi - (hi - lo) / 10); this.to = new Date(hi); }
      else if (e.shiftKey) { this.to = new Date(Math.max((this.from ? +this.from : lo) + 60e3, (this.to ? +this.to : hi) + d)); }
      else { this.from = new Date((this.from ? +this.from : lo) + d); this.to = new Date((this.to ? +this.to : hi) + d); }
    } else handled = false;
    if (handled) { e.preventDefault(); this.render(); this.commit(); }
  }

  // presetName names the preset the window is, if any.
  presetName() {
    if (!this.from && !this.to) return 'all';
    if (this.to || !this.from) return '';
    const age = Date.now() - +this.from;
    for (const [k, d] of Object.entries(ROLLING)) if (Math.abs(age - d) < 5 * 60e3) return k;
    return '';
  }

  preset(p) {
    const now = Date.now();
    this.stop();
    if (p === 'all') { this.from = this.to = null; }
    else { this.from = new Date(now - ROLLING[p]); this.to = null; }
    this.render();
    this.commit();
  }

  // commit tells the page the window; a rolling preset's name goes with
  // it, so that a bookmarked address keeps rolling (state.js).
  commit() {
    const p = this.presetName();
    this.onChange(this.from ? this.from.toISOString() : '', this.to ? this.to.toISOString() : '', Object.hasOwn(ROLLING, p) ? p : '');
  }

  togglePlay() { if (this.timer) this.stop(); else this.play(); }

  // play steps the chosen window through the range on the axis, half its
  // length at a time, keeping its length: a window open at its end (a
  // preset) is as long as it is up to now; without one, an eighth of the
  // range. It starts where the window is, or at the range's start when
  // the window is already at its end.
  play() {
    const [lo, hi] = this.domain();
    const now = Date.now();
    let span = this.from ? (this.to ? +this.to : Math.min(now, hi)) - +this.from : (hi - lo) / 8;
    span = Math.max(60e3, Math.min(span, hi - lo));
    if (!this.from || !this.to || +this.to >= hi) { this.from = new Date(lo); this.to = new Date(lo + span); }
    this.playBtn.setAttribute('aria-pressed', 'true');
    this.playBtn.textContent = '❚❚ Pause';
    this.render();
    this.commit();
    this.timer = setInterval(() => {
      if (+this.to >= hi) { this.stop(); return; }
      const to = Math.min(hi, +this.to + span / 2);
      this.from = new Date(to - span);
      this.to = new Date(to);
      this.render();
      this.commit();
    }, 1200);
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.playBtn.setAttribute('aria-pressed', 'false');
    this.playBtn.textContent = '▶ Play';
  }
}

function fmt(t) {
  return fmtWhen(new Date(t).toISOString());
}

// typesAt is bin i's counts per event type (in TYPES order) of a
// histogram answered with by=event_type, or null.
function typesAt(h, i) {
  const by = h && h.by_event_type;
  if (!by) return null;
  return TYPES.map(t => (by[t] && by[t][i]) || 0);
}
