// Density: a heat layer (vendored leaflet.heat) of the reports that match
// the view's filters, drawn from the service's cluster counts
// (GET /api/v1/cells at two zoom levels finer than the map's), so that it
// counts every match however many there are, not only the markers the
// page loaded. Switched on and off in the layers control ("Density"); the
// address keeps the choice (heat=1, state.js), so a bookmark or a shared
// link opens with the layer as it was.

import * as api from './api.js';

const L = window.L;

export class DensityLayer {
  // app: the page (its map, query() and basemap's layers control).
  constructor(app) {
    this.app = app;
    this.points = []; // [lat, lon, count] drawn now, for tests
    this.seq = 0;
    this.layer = L.heatLayer([], { radius: 28, blur: 22, minOpacity: 0.25, maxZoom: 14,
      gradient: { 0.3: '#3b4cc0', 0.55: '#7fb8f0', 0.75: '#f6d55c', 1: '#d7191c' } });
    app.basemap.control.addOverlay(this.layer, 'Density (all matching reports)');
    this.layer.on('add', () => { this.remember(true); this.load(); });
    this.layer.on('remove', () => { this.points = []; this.remember(false); });
    if (app.state.heat) app.map.addLayer(this.layer); // the address asked for it
    // Every reload of the reports (view moved, a filter changed).
    document.addEventListener('geotag:loaded', () => { if (this.on()) this.load(); });
  }

  on() { return this.app.map.hasLayer(this.layer); }

  // remember writes the layer's state into the address.
  remember(on) {
    if (!!this.app.state.heat === on) return;
    this.app.state.heat = on;
    this.app.syncURL();
  }

  async load() {
    const seq = ++this.seq;
    const p = this.app.query();
    p.set('zoom', String(Math.min(18, Math.round(this.app.map.getZoom()) + 2)));
    let fc;
    try {
      fc = await api.get('/api/v1/cells?' + p.toString());
    } catch {
      return;
    }
    if (seq !== this.seq || !this.on()) return;
    const pts = ((fc && fc.features) || []).map(f => [f.geometry.coordinates[1], f.geometry.coordinates[0], f.properties.count]);
    let max = 1;
    for (const q of pts) max = Math.max(max, q[2]);
    this.points = pts;
    // Intensity on a square-root scale: one busy town does not wash out the rest.
    // maxZoom at the map's zoom: leaflet.heat would otherwise fade points
    // by 2^(maxZoom − zoom) in a zoomed-out view.
    this.layer.setOptions({ max: Math.sqrt(max), maxZoom: Math.round(this.app.map.getZoom()) });
    this.layer.setLatLngs(pts.map(([lat, lon, n]) => [lat, lon, Math.sqrt(n)]));
  }
}
