// Tags: the tag filter in the top bar (the API's tag=…, matched without
// regard to case; "a, b" is several, any or all of them: filters.js), the tags a report carries shown as buttons that
// apply that filter, and the helpers that read and write a tag list.

import * as api from './api.js';
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
    const on = active && parseTags(active).some(a => a.toLowerCase() === t.toLowerCase());
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
// suggestions are the service's (GET /api/v1/tags): the tags starting
// with what is typed, most used first with their counts, counted over the
// reports of the current view and filters (viewQuery's parameters) but
// for the tag itself, so that tags on reports the page has not loaded are
// offered too. They are asked for when the box gets the focus, as one
// types (debounced) and by suggest().
export class TagFilter {
  constructor(onChange, viewQuery) {
    this.onChange = onChange;
    this.viewQuery = viewQuery || (() => new URLSearchParams());
    this.input = document.getElementById('tag-filter');
    this.options = document.getElementById('tag-options');
    this.clearBtn = document.getElementById('tag-clear');
    this.known = new Map(); // lower case → as suggested
    this.asked = 0; // sequence of suggestion requests: only the last one's answer is shown
    const apply = () => this.onChange(this.input.value.trim());
    const later = debounce(apply, 500);
    const suggestLater = debounce(() => this.suggest(), 200);
    this.input.addEventListener('input', () => {
      this.mark();
      // A suggestion chosen from the list applies at once.
      if (this.known.has(this.input.value.trim().toLowerCase())) apply(); else { later(); suggestLater(); }
    });
    this.input.addEventListener('focus', () => this.suggest());
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

  // suggest asks the service for the tags starting with the box's text
  // and shows them, each labelled with its count ("10000+" when the
  // service stopped counting). A failed request keeps the old list.
  async suggest() {
    const seq = ++this.asked;
    const p = this.viewQuery();
    p.delete('tag');
    p.delete('tag_mode');
    // "shelling, con": suggestions for the last tag, after the others.
    const typed = this.input.value;
    const cut = typed.lastIndexOf(',');
    const head = cut >= 0 ? typed.slice(0, cut + 1) + ' ' : '';
    p.set('prefix', typed.slice(cut + 1).trim()); // q= stays the map's text search
    p.set('limit', '20');
    let res;
    try {
      res = await api.get('/api/v1/tags?' + p.toString());
    } catch {
      return;
    }
    if (seq !== this.asked) return;
    this.known = new Map();
    this.options.textContent = '';
    for (const t of (res && res.tags) || []) {
      const name = String(t.tag);
      const value = head + name;
      this.known.set(value.trim().toLowerCase(), value);
      this.options.append(el('option', {
        value, label: name + ' (' + t.count + (t.count_at_least ? '+' : '') + ')',
        'data-count': String(t.count),
      }));
    }
    this.options.dataset.seq = String(seq); // for tests: which answer is shown
  }
}
