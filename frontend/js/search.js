// Place search: gazetteer autocomplete (GET /api/v1/places) that flies the
// map to the chosen place. Keyboard: arrows choose, Enter goes, Escape closes;
// "Reports naming it" (Shift+Enter) filters the map to that place too.

import * as api from './api.js';
import { featureWords } from './features.js';
import { el, debounce, placeLabel } from './text.js';
import { placesOf } from './tagpanel.js';
import { parseCoords } from './coords.js';

export class PlaceSearch {
  constructor(app) {
    this.app = app;
    this.input = document.getElementById('place-q');
    this.list = document.getElementById('place-results');
    this.items = [];
    this.active = -1;
    const run = debounce(() => this.search(), 250);
    this.input.addEventListener('input', run);
    this.input.addEventListener('keydown', (e) => this.key(e));
    this.input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
  }

  async search() {
    const q = this.input.value.trim();
    if (q.length < 2) { this.close(); return; }
    // Typed or pasted coordinates (decimal, DMS, MGRS) go there.
    const pt = parseCoords(q);
    if (pt) {
      this.items = [{ name: pt.lat.toFixed(5) + ', ' + pt.lon.toFixed(5), lat: pt.lat, lon: pt.lon, precision: 1, coords: pt.kind }];
      this.render();
      return;
    }
    const c = this.app.map.getCenter();
    try {
      const data = await api.get(`/api/v1/places?q=${encodeURIComponent(q)}&limit=8&focus=${c.lat.toFixed(3)},${c.lng.toFixed(3)}`);
      if (this.input.value.trim() !== q) return;
      this.items = placesOf(data);
      this.render();
    } catch (err) {
      this.items = [];
      this.list.textContent = '';
      this.list.append(el('li', { class: 'error', role: 'option', text: err.message }));
      this.open();
    }
  }

  render() {
    this.list.textContent = '';
    this.active = this.items.length ? 0 : -1;
    if (!this.items.length) this.list.append(el('li', { class: 'empty', role: 'option', text: 'No place matches.' }));
    this.items.forEach((p, i) => {
      const li = el('li', { role: 'option', id: 'place-opt-' + i, 'aria-selected': String(i === this.active) },
        el('span', { dir: 'auto', text: p.name }), el('small', { text: p.coords ? 'coordinates (' + { decimal: 'decimal degrees', dms: 'degrees, minutes', mgrs: 'MGRS' }[p.coords] + ')'
          : [placeLabel(p).split(', ').slice(1).join(', '), featureWords(p.feature)].filter(Boolean).join(' · ') }));
      li.addEventListener('mousedown', (e) => { e.preventDefault(); this.go(i); });
      if (!p.coords && p.id && this.app.more) {
        // Filter to the reports naming it, besides going there.
        li.append(el('button', { type: 'button', class: 'place-only', tabindex: -1, title: 'Show only the reports that name ' + p.name,
          'data-place': p.id, text: 'Reports naming it',
          onmousedown: (e) => { e.preventDefault(); e.stopPropagation(); this.go(i); this.app.more.setPlace(p); } }));
      }
      this.list.append(li);
    });
    this.open();
  }

  open() {
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    if (this.active >= 0) this.input.setAttribute('aria-activedescendant', 'place-opt-' + this.active);
  }

  close() {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  key(e) {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!this.items.length) return;
      e.preventDefault();
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + this.items.length) % this.items.length;
      this.list.querySelectorAll('li').forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
      this.input.setAttribute('aria-activedescendant', 'place-opt-' + this.active);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const p = this.items[this.active];
      if (this.active >= 0) this.go(this.active);
      // Shift+Enter: the reports naming it, too.
      if (e.shiftKey && p && p.id && !p.coords && this.app.more) this.app.more.setPlace(p);
    } else if (e.key === 'Escape') {
      this.close();
    }
  }

  go(i) {
    const p = this.items[i];
    if (!p) return;
    this.close();
    this.input.value = p.name;
    const zoom = p.coords ? 14 : { 1: 11, 2: 10, 3: 6 }[p.precision || 3] || 8;
    const z = p.feature && p.feature.startsWith('A.PCL') ? 5 : zoom;
    this.app.map.flyTo([p.lat, p.lon], z, { duration: 0.8 });
    this.app.emit('place', p);
  }
}
