// Basemap: raster tiles (OpenStreetMap by default, configurable by the
// server) with an embedded country-outline layer (Natural Earth via
// world-atlas) that takes over when tiles cannot load, as on air-gapped
// machines. Tile failures never throw; they only switch the basemap.

const L = window.L;

export const OSM_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
export const PLACES_ATTRIBUTION = 'Places: Contains data from GeoNames (geonames.org), CC BY 4.0; Who’s On First';
const OUTLINES_ATTRIBUTION = 'Country outlines: Natural Earth (public domain) via world-atlas';
const OUTLINES_URL = 'vendor/world-atlas-2.0.2/countries-50m.json';

// Basemap owns the base layers of a map.
export class Basemap {
  // cfg: {url, attribution, maxZoom, fallbackAfterMs}; url "" means outlines only.
  constructor(map, cfg, onFallback) {
    this.map = map;
    this.onFallback = onFallback || (() => {});
    this.mode = 'tiles';
    this.loaded = 0;
    this.errors = 0;
    map.createPane('outlines');
    map.getPane('outlines').style.zIndex = 250;
    map.getPane('outlines').style.pointerEvents = 'none';
    this.outlines = L.geoJSON(null, {
      pane: 'outlines',
      interactive: false,
      attribution: OUTLINES_ATTRIBUTION,
      style: { color: '#5b6b7a', weight: 0.8, fillColor: '#eef0e6', fillOpacity: 1 },
    });
    this.outlinesLoaded = false;
    this.tiles = null;
    if (cfg.url) {
      this.tiles = L.tileLayer(cfg.url, {
        attribution: cfg.attribution || OSM_ATTRIBUTION,
        maxZoom: cfg.maxZoom || 19,
        crossOrigin: false,
      });
      this.tiles.on('tileload', () => this.tileLoaded());
      this.tiles.on('tileerror', () => this.tileFailed());
      this.tiles.addTo(map);
      // Requests that hang (blackholed networks) count as failures too.
      this.timer = setTimeout(() => { if (this.loaded === 0) this.fallback('timeout'); }, cfg.fallbackAfterMs || 6000);
    } else {
      this.fallback('no tile server configured');
    }
    const base = {};
    if (this.tiles) base['Map tiles'] = this.tiles;
    base['Country outlines (offline)'] = this.outlines;
    this.control = L.control.layers(base, null, { position: 'topright' }).addTo(map);
    map.on('baselayerchange', (e) => {
      this.mode = e.layer === this.outlines ? 'outlines' : 'tiles';
      if (this.mode === 'outlines') this.loadOutlines();
      map.getContainer().classList.toggle('offline-basemap', this.mode === 'outlines');
    });
  }

  tileLoaded() {
    this.loaded++;
    clearTimeout(this.timer);
    // Slow tiles that arrive after the timeout win back the map.
    if (this.mode === 'outlines' && this.reason === 'timeout' && this.map.hasLayer(this.tiles)) {
      this.map.removeLayer(this.outlines);
      this.mode = 'tiles';
      this.reason = '';
      this.map.getContainer().classList.remove('offline-basemap');
    }
  }

  tileFailed() {
    this.errors++;
    if (this.loaded === 0 && this.errors >= 2) {
      if (this.mode === 'outlines' && this.tiles && this.map.hasLayer(this.tiles)) this.map.removeLayer(this.tiles);
      else this.fallback('tiles failed to load');
    }
  }

  // fallback switches to the country outlines (once).
  fallback(reason) {
    if (this.mode === 'outlines') return;
    clearTimeout(this.timer);
    this.mode = 'outlines';
    this.reason = reason;
    // Failed tiles leave; tiles that are only slow stay, under the outlines'
    // pane, in case they arrive after all.
    if (this.tiles && reason !== 'timeout') this.map.removeLayer(this.tiles);
    this.outlines.addTo(this.map);
    this.map.getContainer().classList.add('offline-basemap');
    this.loadOutlines();
    this.onFallback(reason);
  }

  async loadOutlines() {
    if (this.outlinesLoaded) return;
    this.outlinesLoaded = true;
    try {
      const res = await fetch(OUTLINES_URL);
      if (!res.ok) throw new Error(res.status);
      const topo = await res.json();
      const fc = window.topojson.feature(topo, topo.objects.countries);
      for (const f of fc.features) unwrapGeometry(f.geometry);
      this.outlines.addData(fc);
      this.outlinesCount = fc.features.length;
    } catch (err) {
      this.outlinesLoaded = false;
      this.outlinesError = String(err);
    }
  }
}

// unwrapGeometry makes each ring continuous in longitude: a ring that
// crosses the antimeridian (Fiji, Chukotka) continues past ±180 instead of
// jumping across the world, which Leaflet would draw as a line around it.
function unwrapGeometry(g) {
  if (!g) return;
  const ring = (r) => {
    let off = 0;
    for (let i = 1; i < r.length; i++) {
      const d = r[i][0] + off - r[i - 1][0];
      if (d > 180) off -= 360;
      else if (d < -180) off += 360;
      if (off) r[i] = [r[i][0] + off, r[i][1]]; // a copy: topojson may share points between rings
    }
  };
  if (g.type === 'Polygon') g.coordinates.forEach(ring);
  else if (g.type === 'MultiPolygon') g.coordinates.forEach(p => p.forEach(ring));
}
