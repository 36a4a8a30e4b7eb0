// Report markers: clustered, styled by precision (solid pin for a site or
// town, ring for a district or vicinity, dashed circle for an area or
// country centroid) and by review status.

import { clusterIcon, layoutCells, cellIcon } from './clusters.js';

const L = window.L;

const SIZES = { 1: [22, 30], 2: [16, 16], 3: [34, 34] };

// iconFor returns the Leaflet icon of a report marker.
export function iconFor(precision, status, selected) {
  const p = SIZES[precision] ? precision : 3;
  const [w, h] = SIZES[p];
  const cls = ['gt-marker', 'gt-p' + p, status === 'reviewed' ? 'gt-reviewed' : 'gt-unreviewed'];
  if (selected) cls.push('gt-selected');
  return L.divIcon({
    className: cls.join(' '),
    iconSize: [w, h],
    iconAnchor: p === 1 ? [w / 2, h] : [w / 2, h / 2],
    popupAnchor: p === 1 ? [0, -h + 4] : [0, -h / 2],
  });
}

// ReportLayer shows report features (GeoJSON, properties.id…) as markers.
// style, when given, draws them: style.icon(properties, selected) (null
// for the default pin), style.clusterIcon(cluster) and style.cellIcon(cell)
// for a server cluster count (events.js).
export class ReportLayer {
  constructor(map, onOpen, style = {}) {
    this.map = map;
    this.onOpen = onOpen;
    this.style = style;
    this.markers = new Map(); // id → marker
    this.features = new Map(); // id → feature
    this.cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 45,
      spiderfyOnMaxZoom: true,
      chunkedLoading: true,
      iconCreateFunction: style.clusterIcon || clusterIcon, // types, count and precision inside
    });
    this.cluster.addTo(map);
    this.cells = L.layerGroup().addTo(map);
    this.selected = '';
  }

  // set replaces the markers with the features.
  set(features) {
    const keep = new Set();
    for (const f of features) {
      const id = f.properties && f.properties.id;
      if (!id) continue;
      keep.add(id);
      this.upsert(f);
    }
    for (const id of Array.from(this.markers.keys())) {
      if (!keep.has(id)) this.remove(id);
    }
    for (const id of Array.from(this.features.keys())) {
      if (!keep.has(id)) this.features.delete(id);
    }
  }

  // upsert adds or refreshes one feature's marker.
  upsert(f) {
    const id = f.properties.id;
    const old = this.features.get(id);
    this.features.set(id, f);
    const g = f.geometry;
    const has = g && g.type === 'Point' && Array.isArray(g.coordinates);
    const m = this.markers.get(id);
    if (!has) { if (m) this.remove(id); return null; }
    const [lat, lon] = [g.coordinates[1], nearLng(g.coordinates[0], this.refLng)];
    const p = f.properties;
    const icon = this.iconOf(p, id === this.selected);
    if (m) {
      m.eventType = p.event_type || '';
      const ll = m.getLatLng();
      if (ll.lat !== lat || ll.lng !== lon) {
        this.cluster.removeLayer(m);
        m.setLatLng([lat, lon]);
        this.cluster.addLayer(m);
      }
      if (!old || old.properties.precision !== p.precision || old.properties.status !== p.status ||
        old.properties.event_type !== p.event_type || old.properties.fatalities !== p.fatalities) m.setIcon(icon);
      if (m.eventType !== (p.event_type || '')) { m.eventType = p.event_type || ''; this.cluster.refreshClusters(m); }
      if (m.options.precision !== p.precision) { m.options.precision = p.precision; this.cluster.refreshClusters(m); }
      m.options.title = p.title || '';
      return m;
    }
    const marker = L.marker([lat, lon], {
      icon,
      title: p.title || 'Untitled report',
      alt: p.title || 'Untitled report',
      keyboard: true,
      riseOnHover: true,
      precision: p.precision,
    });
    marker.reportId = id;
    marker.eventType = p.event_type || '';
    marker.on('click', () => this.onOpen(id, marker));
    marker.on('keypress', (e) => { if (e.originalEvent.key === 'Enter') this.onOpen(id, marker); });
    this.markers.set(id, marker);
    this.cluster.addLayer(marker);
    return marker;
  }

  remove(id) {
    const m = this.markers.get(id);
    if (!m) return;
    // Forget it first: removing it closes its popup, whose handlers may
    // look the marker up again (and setIcon on a marker being removed would
    // draw a new icon that nothing removes).
    this.markers.delete(id);
    if (this.selected === id) this.selected = '';
    this.cluster.removeLayer(m);
  }

  select(id) {
    const prev = this.selected;
    this.selected = id || '';
    for (const x of [prev, this.selected]) {
      const f = x && this.features.get(x);
      const m = x && this.markers.get(x);
      if (f && m && this.cluster.hasLayer(m)) m.setIcon(this.iconOf(f.properties, x === this.selected));
    }
  }

  // iconOf is a feature's icon: the style's, else the precision pin.
  iconOf(p, selected) {
    return (this.style.icon && this.style.icon(p, selected)) || iconFor(p.precision, p.status, selected);
  }

  // showCells draws server-side cluster counts instead of markers: each
  // cell {lat, lon, count, by_precision, by_event_type} as the style's
  // cellIcon draws it (the type ring and precision border of a client
  // cluster), else with the precision border only.
  showCells(cells, onClick) {
    this.cells.clearLayers();
    // Counts whose circles would overlap are drawn as one.
    for (const c of layoutCells(this.map, cells)) {
      const icon = (this.style.cellIcon || cellIcon)(c);
      const m = L.marker([c.lat, c.lon], { icon, title: Number(c.count).toLocaleString() + ' reports', keyboard: true });
      m.on('click', () => onClick(c));
      m.on('keypress', (e) => { if (e.originalEvent.key === 'Enter') onClick(c); });
      this.cells.addLayer(m);
    }
  }

  clearCells() { this.cells.clearLayers(); }

  // list describes the markers for tests and the review list.
  list() {
    const out = [];
    for (const [id, f] of this.features) {
      const g = f.geometry;
      out.push({
        id,
        title: f.properties.title,
        precision: f.properties.precision,
        status: f.properties.status,
        lat: g && g.coordinates ? g.coordinates[1] : null,
        lon: g && g.coordinates ? g.coordinates[0] : null,
        onMap: this.markers.has(id),
      });
    }
    return out;
  }
}

// nearLng shifts lon by whole turns to the copy of the world nearest ref,
// so that markers across the antimeridian show beside the view.
export function nearLng(lon, ref) {
  if (ref === undefined || !Number.isFinite(ref)) return lon;
  while (lon - ref > 180) lon -= 360;
  while (lon - ref < -180) lon += 360;
  return lon;
}
