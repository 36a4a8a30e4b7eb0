// Place labels from the bundled gazetteer (GET /api/v1/places/labels):
// the towns, districts, divisions and countries of the view, most
// important first, written on the map so that an offline map (the country
// outlines) can be read at zoom 8–12. They come on by themselves when tiles
// are missing and can be switched on over tiles from the layers control
// ("Place labels"). Labels that would overlap a more important one are
// left out.

import * as api from './api.js';
import { bboxOf } from './state.js';
import { el, debounce } from './text.js';

const L = window.L;

export class PlaceLabels {
  // basemap: the Basemap whose layers control lists the labels and whose
  // fallback to the outlines turns them on.
  constructor(map, basemap) {
    this.map = map;
    map.createPane('placelabels');
    const pane = map.getPane('placelabels');
    pane.style.zIndex = 450; // over the outlines and report circles, under markers and popups
    pane.style.pointerEvents = 'none';
    this.layer = L.layerGroup([], { pane: 'placelabels' });
    this.shown = []; // {id, name, kind, rank} drawn now, for tests
    this.seq = 0;
    this.userOff = false;
    basemap.control.addOverlay(this.layer, 'Place labels');
    this.layer.on('add', () => this.load());
    this.layer.on('remove', () => { this.layer.clearLayers(); this.shown = []; });
    map.on('overlayremove', (e) => { if (e.layer === this.layer) this.userOff = true; });
    map.on('overlayadd', (e) => { if (e.layer === this.layer) this.userOff = false; });
    map.on('moveend', debounce(() => { if (map.hasLayer(this.layer)) this.load(); }, 200));
    map.on('baselayerchange', () => this.follow(basemap));
    this.follow(basemap);
  }

  // follow shows the labels while the basemap is the offline outlines,
  // unless the analyst switched them off; the page calls it when the
  // basemap falls back.
  follow(basemap) {
    if (basemap.mode === 'outlines' && !this.userOff && !this.map.hasLayer(this.layer)) {
      this.layer.addTo(this.map);
      this.userOff = false;
    }
  }

  async load() {
    const seq = ++this.seq;
    const bb = bboxOf(this.map.getBounds());
    const size = this.map.getSize();
    // About one label per 120×60 pixels is asked for; overlaps go below.
    const limit = Math.max(10, Math.min(300, Math.round(size.x * size.y / 7200)));
    const p = new URLSearchParams({ bbox: bb || '-180,-90,180,90', zoom: String(Math.round(this.map.getZoom())), limit: String(limit) });
    let fc;
    try {
      fc = await api.get('/api/v1/places/labels?' + p.toString());
    } catch (err) {
      // The service builds the labels' index when it starts: ask again.
      if (err && err.status === 503) setTimeout(() => { if (seq === this.seq && this.map.hasLayer(this.layer)) this.load(); }, 2000);
      return; // else an older server: no labels
    }
    if (seq !== this.seq || !this.map.hasLayer(this.layer)) return;
    this.draw((fc && fc.features) || []);
  }

  // draw writes the features' names, most important first, skipping a
  // name whose box would overlap one already written.
  draw(features) {
    this.layer.clearLayers();
    this.shown = [];
    const taken = [];
    const ctx = measure();
    const ref = this.map.getCenter().lng;
    for (const f of features) {
      const pr = f.properties || {};
      const kind = labelKind(pr);
      let lon = f.geometry.coordinates[0];
      while (lon - ref > 180) lon -= 360;
      while (lon - ref < -180) lon += 360;
      const ll = L.latLng(f.geometry.coordinates[1], lon);
      const pt = this.map.latLngToContainerPoint(ll);
      const text = kind === 'country' ? String(pr.name).toUpperCase() : String(pr.name);
      ctx.font = FONTS[kind];
      const w = ctx.measureText(text).width + 6, h = kind === 'city' ? 18 : 15;
      const box = { x0: pt.x - w / 2, y0: pt.y - h, x1: pt.x + w / 2, y1: pt.y + 4 };
      if (taken.some(b => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1)) continue;
      taken.push(box);
      const icon = L.divIcon({
        className: 'place-label place-label-' + kind,
        html: el('span', { dir: 'auto', text }),
        iconSize: [w, h + 4],
        iconAnchor: [w / 2, h],
      });
      this.layer.addLayer(L.marker(ll, { icon, pane: 'placelabels', interactive: false, keyboard: false }));
      this.shown.push({ id: f.id, name: pr.name, kind, rank: pr.rank, x: pt.x, y: pt.y, w, h });
    }
  }
}

// labelKind sorts a place into a label style: a country, a division
// (first- or second-level), a city (100,000 people or more, or a capital)
// or a town (any other populated place, a city district too).
function labelKind(p) {
  const f = p.feature || '';
  if (f.startsWith('A.PCL') || f === 'A.TERR') return 'country';
  if (f.startsWith('A.')) return 'division';
  if (f === 'P.PPLC' || f === 'P.PPLA' || (p.population || 0) >= 100000) return 'city';
  return 'town';
}

// FONTS match the label styles in app.css, for measuring.
const FONTS = {
  country: 'bold 12px system-ui, sans-serif',
  division: 'italic 12px system-ui, sans-serif',
  city: 'bold 14px system-ui, sans-serif',
  town: '12px system-ui, sans-serif',
};

let canvas;
function measure() {
  canvas = canvas || document.createElement('canvas');
  return canvas.getContext('2d');
}
