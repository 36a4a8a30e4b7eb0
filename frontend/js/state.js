// View state in the URL: a copied link reproduces the map view, the time
// window, the filters and the selected report.
//
//   ?c=LAT,LON&z=ZOOM&from=RFC3339&to=RFC3339&q=TEXT&status=unreviewed&tag=TAG&r=REPORTID&p=PANEL
//   &event_type=A,B&fatalities_min=N&fatalities_max=N&actor=NAME (the API's event filters)
//
// Several tags repeat tag= (with tag_mode=all when a report needs all of
// them); place=GEONAMEID&pn=NAME shows the reports naming a place.
//
// heat=1 shows the density layer (heat.js).
//
// A rolling preset ("the last 7 days") is since=24h|7d|30d: opening the
// link later shows the last 7 days then, whatever its from says (from is
// kept beside it as the window when the link was made).

import { readEventFilters, setEventParams } from './events.js';

// ROLLING are the rolling presets' lengths in milliseconds.
export const ROLLING = { '24h': 24 * 3600e3, '7d': 7 * 24 * 3600e3, '30d': 30 * 24 * 3600e3 };

export function readURL(search = location.search) {
  const p = new URLSearchParams(search);
  const s = {};
  const c = (p.get('c') || '').split(',').map(Number);
  if (c.length === 2 && c.every(Number.isFinite) && Math.abs(c[0]) <= 90 && Math.abs(c[1]) <= 180) s.center = c;
  const z = Number(p.get('z'));
  if (p.has('z') && Number.isFinite(z) && z >= 0 && z <= 22) s.zoom = z;
  for (const k of ['from', 'to']) {
    const v = p.get(k);
    if (v && !isNaN(Date.parse(v))) s[k] = new Date(v).toISOString();
  }
  const since = p.get('since');
  if (Object.hasOwn(ROLLING, since || '')) {
    s.since = since;
    s.from = new Date(Date.now() - ROLLING[since]).toISOString();
    delete s.to;
  }
  if (p.get('q')) s.q = p.get('q');
  if (['unreviewed', 'reviewed'].includes(p.get('status'))) s.status = p.get('status');
  const tag = p.getAll('tag').map(t => t.trim()).filter(Boolean).join(', ');
  if (tag) s.tag = tag;
  if (p.get('tag_mode') === 'all') s.tagMode = 'all';
  if (/^-?[1-9][0-9]*$/.test(p.get('place') || '')) { s.place = p.get('place'); s.placeName = p.get('pn') || ''; }
  Object.assign(s, readEventFilters(p)); // event_type, fatalities_min, fatalities_max, actor
  if (p.get('r')) s.selected = p.get('r');
  if (p.get('p')) s.panel = p.get('p');
  if (p.get('heat') === '1') s.heat = true;
  return s;
}

// toQuery writes s as a query string (without "?").
export function toQuery(s) {
  const p = new URLSearchParams();
  if (s.center) p.set('c', s.center.map(x => (+x).toFixed(4)).join(','));
  if (s.zoom !== undefined) p.set('z', String(s.zoom));
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.since && !s.to) p.set('since', s.since);
  if (s.q) p.set('q', s.q);
  if (s.status) p.set('status', s.status);
  if (s.tag) for (const t of s.tag.split(',').map(x => x.trim()).filter(Boolean)) p.append('tag', t);
  if (s.tag && s.tag.includes(',') && s.tagMode === 'all') p.set('tag_mode', 'all');
  if (s.place) { p.set('place', String(s.place)); if (s.placeName) p.set('pn', s.placeName); }
  setEventParams(p, s);
  if (s.selected) p.set('r', s.selected);
  if (s.panel) p.set('p', s.panel);
  if (s.heat) p.set('heat', '1');
  return p.toString();
}

export function writeURL(s) {
  const q = toQuery(s);
  const url = location.pathname + (q ? '?' + q : '') + location.hash;
  if (url !== location.pathname + location.search + location.hash) history.replaceState(null, '', url);
}

// bboxOf writes Leaflet bounds as the API's "W,S,E,N", wrapping
// longitudes into ±180 (W > E when the view crosses the antimeridian), or
// '' when the view spans the whole world.
export function bboxOf(b) {
  const west = b.getWest(), east = b.getEast();
  if (east - west >= 360) return '';
  const wrap = (x) => ((((x + 180) % 360) + 360) % 360) - 180;
  let w = wrap(west), e = wrap(east);
  if (east === 180 || (e === -180 && east > west)) e = 180;
  const s = Math.max(-90, b.getSouth()), n = Math.min(90, b.getNorth());
  return [w, s, e, n].map(x => x.toFixed(5)).join(',');
}
