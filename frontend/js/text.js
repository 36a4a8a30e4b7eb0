// Text helpers. The API counts offsets in Unicode code points; JavaScript
// strings index UTF-16 code units. Everything here converts explicitly.

import { fmtWhen } from './when.js';

// codePointIndex returns an array mapping each code point offset (0..n) of
// text to its UTF-16 offset.
export function codePointIndex(text) {
  const idx = [0];
  let u = 0;
  for (const ch of text) {
    u += ch.length;
    idx.push(u);
  }
  return idx;
}

// utf16ToCodePoint converts a UTF-16 offset into a code point offset.
export function utf16ToCodePoint(text, u) {
  return Array.from(text.slice(0, u)).length;
}

// el creates an element with attributes and children; strings become text
// nodes, never markup.
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k.startsWith('on')) { if (typeof v === 'function') e.addEventListener(k.slice(2), v); }
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// confidenceClass names the highlight class of a mention.
export function confidenceClass(m) {
  if (m.removed) return 'conf-removed';
  if (!m.place) return 'conf-none';
  if (m.manual) return 'conf-manual';
  const c = m.confidence ?? 0;
  if (c >= 0.75) return 'conf-high';
  if (c >= 0.4) return 'conf-mid';
  return 'conf-low';
}

// highlight fills container with text, wrapping each mention (code point
// offsets, sorted, not overlapping) in a <mark> built by makeMark(m, i,
// label). Returns the marks.
export function highlight(container, text, mentions, makeMark) {
  container.textContent = '';
  const idx = codePointIndex(text);
  const n = idx.length - 1;
  const order = mentions.map((m, i) => [m, i])
    .filter(([m]) => Number.isInteger(m.start) && Number.isInteger(m.end) && m.start >= 0 && m.end <= n && m.start < m.end)
    .sort((a, b) => a[0].start - b[0].start);
  let pos = 0;
  const marks = [];
  for (const [m, i] of order) {
    if (m.start < pos) continue; // overlapping: keep the first
    if (m.start > pos) container.append(document.createTextNode(text.slice(idx[pos], idx[m.start])));
    const label = text.slice(idx[m.start], idx[m.end]);
    const mark = makeMark ? makeMark(m, i, label) : el('mark', { text: label });
    container.append(mark);
    marks.push(mark);
    pos = m.end;
  }
  if (pos < n) container.append(document.createTextNode(text.slice(idx[pos])));
  return marks;
}

// excerpt returns about max code points of text around the first mention,
// with the mentions re-based to the excerpt.
export function excerpt(text, mentions, max = 280) {
  const cps = Array.from(text);
  if (cps.length <= max) return { text, mentions, cut: false };
  const first = mentions.filter(m => m.start >= 0).map(m => m.start).sort((a, b) => a - b)[0] || 0;
  let start = Math.max(0, Math.min(first - 60, cps.length - max));
  let end = Math.min(cps.length, start + max);
  const prefix = start > 0 ? '…' : '';
  const suffix = end < cps.length ? '…' : '';
  const shift = start - prefix.length;
  const ms = mentions.filter(m => m.start >= start && m.end <= end)
    .map(m => ({ ...m, start: m.start - shift, end: m.end - shift }));
  return { text: prefix + cps.slice(start, end).join('') + suffix, mentions: ms, cut: true };
}

// precisionWords describes a precision code in words.
export function precisionWords(p) {
  switch (p) {
    case 1: return 'exact site or town';
    case 2: return 'district or vicinity';
    case 3: return 'region or country (centroid only)';
  }
  return 'unknown precision';
}

// placeLabel describes a place: the service's label when the answer has
// one (the places search), else the same rule (geotag.Place.Label): the
// name, its division unless a repeat (ignoring case) or a country, and
// its country unless a repeat: "Aleppo, Syria".
export function placeLabel(p) {
  if (!p) return 'not resolved';
  if (p.label) return p.label;
  const same = (a, b) => a.toLowerCase() === b.toLowerCase();
  const parts = [p.name];
  if (p.admin1 && !same(p.admin1, p.name) && !(p.feature || '').startsWith('A.PCL')) parts.push(p.admin1);
  if (p.country_name && !same(p.country_name, p.name)) parts.push(p.country_name);
  return parts.join(', ');
}

// fmtTime formats an RFC 3339 time for people at its precision ('',
// 'day', 'month', 'year'): see when.js.
export function fmtTime(t, precision = '') {
  return fmtWhen(t, precision);
}

// safeURL returns u when it is an http(s) URL, else ''.
export function safeURL(u) {
  if (!u) return '';
  try {
    const x = new URL(u, location.href);
    return x.protocol === 'http:' || x.protocol === 'https:' ? x.href : '';
  } catch { return ''; }
}

export function debounce(fn, ms) {
  let t;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}
