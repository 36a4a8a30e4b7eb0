// Reports without a main location are on no map: a control on the map
// says how many match the filters (GET /api/v1/reports?located=false,
// every filter but the area), and its button lists them in the side panel,
// where each opens in the report panel to be placed.

import * as api from './api.js';
import { el, fmtTime } from './text.js';
import { normalize } from './report.js';

const L = window.L;

export class Unlocated {
  constructor(app) {
    this.app = app;
    this.total = 0;
    this.items = [];
    const Ctl = L.Control.extend({
      options: { position: 'bottomright' },
      onAdd: () => {
        const d = el('div', { class: 'unlocated-control leaflet-bar', hidden: true });
        L.DomEvent.disableClickPropagation(d);
        return d;
      },
    });
    this.box = new Ctl().addTo(app.map).getContainer();
    this.section = el('section', { id: 'panel-unlocated', class: 'panel-body', hidden: true, 'aria-labelledby': 'unlocated-h' },
      el('h2', { id: 'unlocated-h', text: 'Reports without a location' }),
      el('p', { class: 'hint', text: 'They match the filters but name no place the map can show. Open one to set its place or point.' }),
      this.list = el('ol', { id: 'unlocated-list', class: 'review-list' }));
    document.getElementById('panel').append(this.section);
    document.addEventListener('geotag:loaded', () => this.load());
    document.addEventListener('geotag:panel', (e) => { if (e.detail === 'unlocated') this.load(); });
  }

  async load() {
    const p = this.app.query(false);
    p.set('located', 'false');
    p.set('limit', this.app.activePanel === 'unlocated' ? '200' : '1');
    const key = p.toString();
    this.key = key;
    let fc;
    try {
      fc = await api.get('/api/v1/reports?' + key);
    } catch {
      return; // an older server: nothing said
    }
    if (key !== this.key) return;
    this.total = fc.numberMatched ?? fc.numberMatchedAtLeast ?? 0;
    const atLeast = fc.numberMatched == null && fc.numberMatchedAtLeast != null;
    this.box.textContent = '';
    this.box.hidden = !this.total;
    if (this.total) {
      const n = this.total.toLocaleString() + (atLeast ? '+' : '');
      this.box.append(el('button', { type: 'button', id: 'unlocated-open', title: 'Reports that match the filters but have no place on the map',
        text: `${n} ${this.total === 1 ? 'report' : 'reports'} without a location`, onclick: () => this.app.showPanel('unlocated') }));
    }
    if (this.app.activePanel === 'unlocated') this.render((fc.features || []).map(normalize));
  }

  render(items) {
    this.items = items;
    this.list.textContent = '';
    if (!items.length) this.list.append(el('li', { class: 'empty', text: 'None: every matching report has a location.' }));
    for (const r of items) {
      const li = el('li', { 'data-report': r.id, tabindex: 0 },
        el('strong', { dir: 'auto', text: r.title || 'Untitled report' }),
        el('small', { text: [fmtTime(r.time, r.timePrecision), r.status].filter(Boolean).join(' · ') }));
      const open = () => this.app.openDetail(r.id);
      li.addEventListener('click', open);
      li.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
      this.list.append(li);
    }
  }
}
