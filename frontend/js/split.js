// Splitting a report: a daily summary names many incidents. Select the
// words of one in the report panel's text and "Split off" makes them a
// report of their own (POST /api/v1/reports/{id}/split, If-Match): it
// keeps the summary's source, time and tags and is tagged anew; the
// summary keeps the rest, and both histories say so.

import * as api from './api.js';
import { el, utf16ToCodePoint } from './text.js';

// selectionSpan returns the code point span of the selection inside
// container (whose textContent is the report's text), or null.
export function selectionSpan(container) {
  const s = window.getSelection();
  if (!s || !s.rangeCount || s.isCollapsed || !container.contains(s.anchorNode) || !container.contains(s.focusNode)) return null;
  const rg = s.getRangeAt(0);
  const pre = document.createRange();
  pre.selectNodeContents(container);
  pre.setEnd(rg.startContainer, rg.startOffset);
  const t = container.textContent;
  const u0 = pre.toString().length, u1 = u0 + rg.toString().length;
  const start = utf16ToCodePoint(t, u0), end = utf16ToCodePoint(t, u1);
  const words = Array.from(t).slice(start, end).join('').trim();
  return words ? { start, end, words } : null;
}

// offerSplit watches the selection in the panel's text of report r and
// offers "Split off" under it (writers only); onDone gets the answer.
export function offerSplit(container, r, { writer, onDone, onError }) {
  if (!writer) return;
  const show = () => {
    const old = container.parentNode && container.parentNode.querySelector('.split-selection');
    if (old) old.remove();
    const span = selectionSpan(container);
    if (!span || span.words.length === Array.from(r.text).length) return;
    const short = span.words.length > 60 ? span.words.slice(0, 57) + '…' : span.words;
    const btn = el('button', { type: 'button', class: 'split-selection', id: 'd-split' }, 'Split off “', el('bdi', { text: short }), '” as a new report');
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        const fresh = await api.get('/api/v1/reports/' + encodeURIComponent(r.id), { etag: true });
        const ans = await api.post('/api/v1/reports/' + encodeURIComponent(r.id) + '/split',
          { parts: [{ start: span.start, end: span.end }] }, { headers: { 'If-Match': fresh.etag } });
        onDone(ans);
      } catch (err) { btn.disabled = false; onError(err); }
    });
    container.after(btn);
  };
  container.addEventListener('mouseup', show);
  container.addEventListener('keyup', show);
}
