// What an edit changed, in words, for the report's history: "text edited;
// places +Kharkiv −Aleppo". An "edit" revision holds the text and mentions
// it replaced (before_text, before_mentions); what it left is the next
// edit's (or undo's) "before", or the report as it is now. Corrections
// made between two edits change the places too: then only what the edit
// carried over and dropped is said, not a difference that would mix both.

const CORRECTIONS = new Set(['pick', 'point', 'add', 'remove', 'main']);

// describeEdit returns the words for history[i], an edit, of report r
// (normalized: text, mentions).
export function describeEdit(history, i, r) {
  const rv = history[i];
  if (rv.before_text === undefined || rv.before_text === null) return 'edited';
  let after = null, corrected = false;
  for (let j = i + 1; j < history.length; j++) {
    const h = history[j];
    if (h.before_text !== undefined && h.before_text !== null) { after = { text: h.before_text, mentions: h.before_mentions || [] }; break; }
    if (CORRECTIONS.has(h.action)) corrected = true;
  }
  if (!after) after = { text: r.text, mentions: r.mentions };
  const parts = [after.text !== rv.before_text ? 'text edited' : 'text unchanged'];
  if (!corrected) {
    const was = placeNames(rv.before_mentions || []), now = placeNames(after.mentions);
    const added = [...now.keys()].filter(k => !was.has(k)).map(k => now.get(k));
    const removed = [...was.keys()].filter(k => !now.has(k)).map(k => was.get(k));
    const n = added.length + removed.length;
    if (n === 0) parts.push('the same places');
    else parts.push(`${n} ${n === 1 ? 'place' : 'places'} changed (` +
      [...added.slice(0, 3).map(s => '+' + s), ...removed.slice(0, 3).map(s => '−' + s)].join(', ') + (n > 6 ? ', …' : '') + ')');
  }
  const carried = (rv.carried || []).length, dropped = (rv.dropped || []).length;
  if (carried) parts.push(`${carried} ${carried === 1 ? 'correction' : 'corrections'} kept`);
  if (dropped) parts.push(`${dropped} dropped`);
  return parts.join(', ');
}

// placeNames maps each place the mentions resolve to (by id, or by point)
// to its name.
function placeNames(mentions) {
  const out = new Map();
  for (const m of mentions) {
    const p = m.place;
    if (!p) continue;
    const key = p.id ? 'id:' + p.id : `pt:${(+p.lat).toFixed(4)},${(+p.lon).toFixed(4)}`;
    if (!out.has(key)) out.set(key, p.name || `${(+p.lat).toFixed(3)}, ${(+p.lon).toFixed(3)}`);
  }
  return out;
}
