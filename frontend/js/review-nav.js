// Review navigation on the map: the review list moves (j/k) reveal the
// report's marker even when a cluster holds it (zoom to it or spiderfy,
// then highlight it), and the list and its badge count the reports the
// map shows: the same filters and the visible area.

import { bboxOf } from './state.js';

// reviewQuery is the review list's API query: the map's filters and
// visible area, unreviewed reports only (none when the map shows only
// reviewed ones: the query then asks for a status no report has twice).
export function reviewQuery(app) {
  const p = app.query(false);
  const bb = bboxOf(app.map.getBounds());
  if (bb) p.set('bbox', bb);
  const onlyReviewed = app.filters.status === 'reviewed';
  p.set('status', 'unreviewed');
  // Only the badge's count while neither the list nor a report is shown:
  // a move of the map then costs one index count, not a page of reports.
  const listed = app.activePanel === 'review' || app.activePanel === 'report';
  p.set('limit', onlyReviewed || !listed ? '1' : '200');
  return { p, none: onlyReviewed };
}

// reveal shows report r's marker: panned to when it is off the view,
// taken out of its cluster (zoomed to or spiderfied) when one holds it,
// and highlighted. A report the map has only as a server cluster count
// (a dense view) is zoomed to until its marker loads.
export function reveal(app, r) {
  if (!r || !r.location) return;
  const layer = app.layer;
  const ll = [r.location.lat, r.location.lon];
  const m = layer.markers.get(r.id);
  const highlight = () => {
    layer.select(r.id);
    const mk = layer.markers.get(r.id);
    if (mk && mk._icon) {
      mk._icon.classList.add('gt-revealed');
      setTimeout(() => { if (mk._icon) mk._icon.classList.remove('gt-revealed'); }, 1600);
    }
    app.emit('revealed', r.id);
  };
  if (m && layer.cluster.hasLayer(m)) {
    if (!app.map.getBounds().contains(m.getLatLng())) app.map.panTo(m.getLatLng(), { animate: false });
    // zoomToShowLayer zooms in, or spiderfies at the last zoom, and calls back once the marker shows.
    if (m._icon) highlight(); else layer.cluster.zoomToShowLayer(m, highlight);
    return;
  }
  const again = () => { document.removeEventListener('geotag:loaded', again); if (layer.markers.has(r.id)) reveal(app, r); };
  document.addEventListener('geotag:loaded', again);
  app.map.setView(ll, Math.max(app.map.getZoom(), app.mode === 'cells' ? app.map.getZoom() + 3 : 10), { animate: false });
}
