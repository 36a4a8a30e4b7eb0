// More of the API's filter in the top bar: several tags at once (the tag
// box takes "shelling, convoy"; a button beside it says whether a report
// needs any or all of them: tag=…&tag=…&tag_mode=all) and "reports naming
// this place" (place=GEONAMEID: every report with a mention resolved to
// that place, whatever the spelling in its text), chosen from the place
// search's results and shown as a chip that clears it.

import { el } from './text.js';
import { parseTags } from './tags.js';

// filterParams adds the tag and place filters of filters (the page's
// filters: tag "a, b", tagMode 'any'|'all', place id) to the API query p.
export function filterParams(p, filters) {
  const tags = parseTags(filters.tag);
  for (const t of tags) p.append('tag', t);
  if (tags.length > 1 && filters.tagMode === 'all') p.set('tag_mode', 'all');
  if (filters.place) p.set('place', String(filters.place));
  return p;
}

export class MoreFilters {
  // app: the page (filters, setFilter).
  constructor(app) {
    this.app = app;
    const tagBox = document.getElementById('tag-filter').parentElement;
    this.modeBtn = el('button', { type: 'button', id: 'tag-mode', class: 'tag-mode', hidden: true, onclick: () => this.toggleMode() });
    tagBox.after(this.modeBtn);
    const placeBox = document.getElementById('place-q').parentElement;
    this.chip = el('span', { id: 'place-filter', class: 'place-filter', hidden: true });
    placeBox.after(this.chip);
    this.show();
  }

  // show draws the mode button and the place chip from the filters.
  show() {
    const f = this.app.filters;
    const n = parseTags(f.tag).length;
    this.modeBtn.hidden = n < 2;
    const all = f.tagMode === 'all';
    this.modeBtn.textContent = all ? 'all tags' : 'any tag';
    this.modeBtn.setAttribute('aria-pressed', String(all));
    this.modeBtn.title = all ? 'Showing reports with every one of these tags; press for reports with any of them'
      : 'Showing reports with any of these tags; press for reports with all of them';
    this.chip.textContent = '';
    this.chip.hidden = !f.place;
    if (f.place) {
      const name = f.placeName || 'place ' + f.place;
      this.chip.append(el('span', { dir: 'auto', text: 'Naming ' + name }),
        el('button', { type: 'button', class: 'place-filter-clear', 'aria-label': 'Show reports naming any place, not only ' + name,
          title: 'Clear the place filter', text: '×', onclick: () => this.setPlace(null) }));
      this.chip.title = 'Only reports that name ' + name + ' (in any spelling the tagger resolved to it)';
    }
  }

  toggleMode() {
    this.app.setFilter({ tagMode: this.app.filters.tagMode === 'all' ? 'any' : 'all' });
    this.show();
  }

  // setPlace filters the map to the reports naming place p (a gazetteer
  // place: id, name), or clears that filter for null.
  setPlace(p) {
    this.app.setFilter({ place: p ? p.id : '', placeName: p ? p.name : '' });
    this.show();
  }
}
