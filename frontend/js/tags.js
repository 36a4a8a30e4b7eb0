// Tags: the tag filter in the top bar (the API's tag=…, one tag, matched
// without regard to case), the tags a report carries shown as buttons that
// apply that filter, and the helpers that read and write a tag list.

import { el, debounce } from './text.js';

// parseTags splits "a, b,,a" into ["a", "b"]: trimmed, empty ones and
// repeats dropped, in order — what the service stores (server/report.go
// cleanTags), so that the form shows what will be saved.
export function parseTags(s) {
  const out = [];
  for (const t of String(s || '').split(',')) {
    const v = t.trim();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

// formatTags writes a tag list as the edit form shows it.
export function formatTags(tags) {
  return (tags || []).join(', ');
}

// tagChips returns a line of buttons, one per tag, each calling
// onPick(tag); active names the tag the map is filtered by. Tags are
// text, never markup. Returns null for no tags.
export function tagChips(tags, onPick, active = '') {
  if (!tags || !tags.length) return null;
  const line = el('p', { class: 'tags', 'aria-label': 'Tags' });
  for (const t of tags) {
    const on = active && t.toLowerCase() === active.toLowerCase();
    line.append(el('button', {
      type: 'button', class: 'tag-chip', 'data-tag': t, 'aria-pressed': String(!!on),
      title: on ? 'The map shows only this tag' : 'Show only reports tagged “' + t + '”',
      onclick: () => onPick && onPick(t), text: t,
    }));
  }
  return line;
}

// TagFilter is the top bar's tag box: typing (debounced) or choosing a
// suggestion filters the map; the × button or an empty box clears it. The
// suggestions are the tags of the reports the page has seen.
export class TagFilter {
  constructor(onChange) {
    this.onChange = onChange;
    this.input = document.getElementById('tag-filter');
    this.options = document.getElementById('tag-options');
    this.clearBtn = document.getElementById('tag-clear');
    this.known = new Map(); // lower case → as first seen
    const apply = () => this.onChange(this.input.value.trim());
    const later = debounce(apply, 500);
    this.input.addEventListener('input', () => {
      this.mark();
      // A suggestion chosen from the list applies at once.
      if (this.known.has(this.input.value.trim().toLowerCase())) apply(); else later();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); apply(); }
      if (e.key === 'Escape' && this.input.value) { e.preventDefault(); this.show(''); apply(); }
    });
    this.clearBtn.addEventListener('click', () => { this.show(''); apply(); this.input.focus(); });
  }

  // show puts tag in the box without applying it.
  show(tag) {
    this.input.value = tag || '';
    this.mark();
  }

  mark() {
    const on = !!this.input.value.trim();
    this.input.classList.toggle('active', on);
    this.clearBtn.hidden = !on;
  }

  // learn adds tags to the suggestions (at most 500 are kept).
  learn(tags) {
    let added = false;
    for (const t of tags || []) {
      const k = String(t).toLowerCase();
      if (!k || this.known.has(k) || this.known.size >= 500) continue;
      this.known.set(k, String(t));
      added = true;
    }
    if (!added) return;
    const sorted = Array.from(this.known.values()).sort((a, b) => a.localeCompare(b));
    this.options.textContent = '';
    for (const t of sorted) this.options.append(el('option', { value: t }));
  }
}
