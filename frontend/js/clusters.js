// Cluster icons that keep precision visible: the count, a border that
// shows the least precise report inside (solid: all sites or towns;
// double: a district or vicinity; dashed: a region or country centroid),
// and a title with the mix ("12 reports: 8 sites or towns, 3 districts,
// 1 region or country"). And a layout for the service's cluster counts
// that never draws two of them over each other.

const L = window.L;

const WORDS = { 1: ['site or town', 'sites or towns'], 2: ['district or vicinity', 'districts or vicinities'], 3: ['region or country', 'regions or countries'] };

// precisionMix counts the precision of markers (options.precision: 1 a
// site or town, 2 a district, 3 a region or country; unknown counts as 3):
// the mix as "a,b,c", the least precise present, and the mix in words.
export function precisionMix(markers) {
  const mix = { 1: 0, 2: 0, 3: 0 };
  for (const m of markers) {
    const p = [1, 2, 3].includes(m.options.precision) ? m.options.precision : 3;
    mix[p]++;
  }
  return describePrecision(mix);
}

// precisionCounts is precisionMix of a server cluster count's
// by_precision ([sites or towns, districts, regions or countries]).
export function precisionCounts(byPrecision) {
  const [a, b, c] = Array.isArray(byPrecision) ? byPrecision : [0, 0, 0];
  return describePrecision({ 1: a || 0, 2: b || 0, 3: c || 0 });
}

// describePrecision is a mix's "a,b,c", least precise present and words.
function describePrecision(mix) {
  const worst = mix[3] ? 3 : mix[2] ? 2 : 1;
  const words = [1, 2, 3].filter(p => mix[p]).map(p => mix[p] + ' ' + WORDS[p][mix[p] === 1 ? 0 : 1]).join(', ');
  return { mix: `${mix[1]},${mix[2]},${mix[3]}`, worst, words };
}

// clusterIcon is Leaflet.markercluster's iconCreateFunction for a page
// without event types: the count, and a border by the least precise report.
export function clusterIcon(cluster) {
  const n = cluster.getChildCount();
  const pm = precisionMix(cluster.getAllChildMarkers());
  const size = n < 10 ? 'small' : n < 100 ? 'medium' : 'large';
  const div = document.createElement('div');
  const span = document.createElement('span');
  span.textContent = String(n);
  div.append(span);
  div.title = `${n} reports: ${pm.words}`;
  div.dataset.mix = pm.mix;
  return L.divIcon({ html: div, className: `marker-cluster marker-cluster-${size} gt-cluster-w${pm.worst}`, iconSize: L.point(40, 40) });
}

// cellSize is the diameter of a server cluster count's circle: wider for
// more digits, so that "12,345" fits.
export function cellSize(n) {
  return 30 + 7 * String(Number(n).toLocaleString()).length;
}

// layoutCells merges the service's cluster counts whose circles would
// overlap on the map (largest first, into the largest), their position
// the count-weighted mean, so that every count stays readable.
export function layoutCells(map, cells) {
  const placed = [];
  for (const c of cells.slice().sort((a, b) => b.count - a.count)) {
    const pt = map.latLngToLayerPoint([c.lat, c.lon]);
    const r = cellSize(c.count) / 2;
    const hit = placed.find(q => q.pt.distanceTo(pt) < q.r + r + 2);
    if (hit) {
      const n = hit.count + c.count;
      hit.lat = (hit.lat * hit.count + c.lat * c.count) / n;
      hit.lon = (hit.lon * hit.count + c.lon * c.count) / n;
      hit.count = n;
      addSplits(hit, c);
      hit.pt = map.latLngToLayerPoint([hit.lat, hit.lon]);
      hit.r = cellSize(n) / 2;
      continue;
    }
    placed.push({ lat: c.lat, lon: c.lon, count: c.count, pt, r,
      by_precision: (c.by_precision || [0, 0, 0]).slice(), by_event_type: Object.assign({}, c.by_event_type) });
  }
  // A merge moves and grows a circle, maybe onto another: join those too.
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < placed.length && !changed; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        const a = placed[i], b = placed[j];
        if (a.pt.distanceTo(b.pt) < a.r + b.r + 2) {
          const n = a.count + b.count;
          a.lat = (a.lat * a.count + b.lat * b.count) / n;
          a.lon = (a.lon * a.count + b.lon * b.count) / n;
          a.count = n;
          addSplits(a, b);
          a.pt = map.latLngToLayerPoint([a.lat, a.lon]);
          a.r = cellSize(n) / 2;
          placed.splice(j, 1);
          changed = true;
          break;
        }
      }
    }
  }
  return placed.map(({ lat, lon, count, by_precision, by_event_type }) => ({ lat, lon, count, by_precision, by_event_type }));
}

// addSplits adds b's counts by precision and event type to a's, so that
// merged counts keep their mix.
function addSplits(a, b) {
  const bp = b.by_precision || [0, 0, 0];
  a.by_precision = [0, 1, 2].map(i => (a.by_precision[i] || 0) + (bp[i] || 0));
  for (const [t, k] of Object.entries(b.by_event_type || {})) a.by_event_type[t] = (a.by_event_type[t] || 0) + k;
}

// cellIcon draws a server cluster count without event types: its count in
// a circle sized by its digits, with the border of its least precise
// report, as clusterIcon does.
export function cellIcon(c) {
  const n = c.count;
  const pm = precisionCounts(c.by_precision);
  const size = cellSize(n);
  const cls = n < 10 ? 'marker-cluster-small' : n < 100 ? 'marker-cluster-medium' : 'marker-cluster-large';
  const div = document.createElement('div');
  const span = document.createElement('span');
  span.textContent = Number(n).toLocaleString();
  div.append(span);
  div.title = `${Number(n).toLocaleString()} reports: ${pm.words}`;
  div.dataset.mix = pm.mix;
  return L.divIcon({ className: `marker-cluster ${cls} gt-cell gt-cluster-w${pm.worst}`, iconSize: [size, size], html: div });
}
