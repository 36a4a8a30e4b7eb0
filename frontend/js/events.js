// Events on the map: an icon (shape and colour, Okabe–Ito: safe for the
// common colour blindnesses) per ACLED event type, sized and labelled by
// fatalities; clusters drawn as a ring of the types they hold; the legend;
// the event filters (types, fatalities range, actor) in the API's filter
// language; and the event fields with the service's suggestions, for the
// new-report form and the report panel. The taxonomy comes from
// GET /api/v1/config (event_types); the suggestions from POST /api/v1/tag.

import * as api from './api.js';
import { el, debounce } from './text.js';
import { precisionMix, precisionCounts, cellSize } from './clusters.js';

const L = window.L;

// STYLE is each event type's colour and shape, in ACLED's order.
export const STYLE = {
  'Battles': { color: '#D55E00', shape: 'diamond', short: 'Battle' },
  'Explosions/Remote violence': { color: '#E69F00', shape: 'star', short: 'Explosion' },
  'Violence against civilians': { color: '#CC79A7', shape: 'triangle', short: 'Against civilians' },
  'Protests': { color: '#0072B2', shape: 'circle', short: 'Protest' },
  'Riots': { color: '#009E73', shape: 'square', short: 'Riot' },
  'Strategic developments': { color: '#56B4E9', shape: 'hexagon', short: 'Strategic' },
};
export const NONE_COLOR = '#7f7f7f';
export const TYPES = Object.keys(STYLE);

// The filter keys, the same in the page's URL and the API's query.
export const EVENT_KEYS = ['event_type', 'fatalities_min', 'fatalities_max', 'actor'];

const SHAPES = {
  diamond: 'M12 1 L23 12 L12 23 L1 12 Z',
  star: 'M12 1 L14.6 8.2 L22.5 8.4 L16.3 13.2 L18.5 20.8 L12 16.4 L5.5 20.8 L7.7 13.2 L1.5 8.4 L9.4 8.2 Z',
  triangle: 'M12 1.5 L23 21.5 L1 21.5 Z',
  circle: 'M12 1.5 A10.5 10.5 0 1 1 11.99 1.5 Z',
  square: 'M2.5 2.5 H21.5 V21.5 H2.5 Z',
  hexagon: 'M6.5 2 H17.5 L23 12 L17.5 22 H6.5 L1 12 Z',
};

// shapeSVG draws a type's shape filled with its colour.
export function shapeSVG(type, size, extra = '') {
  const s = STYLE[type];
  if (!s) return '';
  return `<svg width="${size}" height="${size}" viewBox="0 0 24 24" aria-hidden="true"><path d="${SHAPES[s.shape]}" fill="${s.color}" stroke="#1b1b1b" stroke-width="1.3" ${extra}/></svg>`;
}

// shapeEl builds a type's shape as an SVG element (for the page's own
// DOM; icons take shapeSVG's markup).
export function shapeEl(type, size) {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  for (const [k, v] of Object.entries({ width: size, height: size, viewBox: '0 0 24 24', 'aria-hidden': 'true' })) svg.setAttribute(k, String(v));
  const s = STYLE[type];
  if (!s) return svg;
  const path = document.createElementNS(NS, 'path');
  for (const [k, v] of Object.entries({ d: SHAPES[s.shape], fill: s.color, stroke: '#1b1b1b', 'stroke-width': '1.3' })) path.setAttribute(k, v);
  svg.append(path);
  return svg;
}

// markerSize is a marker's side for a death count: 22 px, growing with
// the logarithm of the count up to 44.
export function markerSize(f) {
  return f > 0 ? Math.round(22 + Math.min(22, 5 * Math.log2(1 + f))) : 22;
}

// eventIcon returns the icon of a report feature's properties with an
// event type, or null for one without (the precision pin then).
export function eventIcon(p, selected) {
  const type = p.event_type;
  if (!STYLE[type]) return null;
  const f = Number.isInteger(p.fatalities) ? p.fatalities : null;
  const size = markerSize(f);
  const cls = ['gt-event', 'gt-p' + (p.precision || 3), p.status === 'reviewed' ? 'gt-reviewed' : 'gt-unreviewed'];
  if (selected) cls.push('gt-selected');
  const dash = p.precision >= 3 ? 'stroke-dasharray="3 2" fill-opacity="0.55"' : p.precision === 2 ? 'fill-opacity="0.8"' : '';
  const label = f > 0 ? `<span class="gt-fatal">${f > 999 ? Math.round(f / 1000) + 'k' : f}</span>` : '';
  return L.divIcon({
    className: cls.join(' '),
    iconSize: [size, size],
    iconAnchor: [size / 2, size / 2],
    popupAnchor: [0, -size / 2],
    html: shapeSVG(type, size, dash) + label,
  });
}

// eventTitle describes a report's event for a marker's title.
export function eventTitle(p) {
  const parts = [];
  if (p.event_type) parts.push(p.sub_event_type ? p.event_type + ' › ' + p.sub_event_type : p.event_type);
  if (Number.isInteger(p.fatalities)) parts.push(p.fatalities + ' killed');
  return parts.join(' · ');
}

// mixOf counts the event types of markers (marker.eventType).
export function mixOf(markers) {
  const n = new Map();
  for (const m of markers) {
    const t = STYLE[m.eventType] ? m.eventType : '';
    n.set(t, (n.get(t) || 0) + 1);
  }
  return n;
}

// ringGradient draws a mix of types as a conic gradient, in ACLED's order,
// the untyped last.
export function ringGradient(mix) {
  const total = [...mix.values()].reduce((a, b) => a + b, 0) || 1;
  let at = 0;
  const stops = [];
  for (const t of [...TYPES, '']) {
    const n = mix.get(t);
    if (!n) continue;
    const c = t ? STYLE[t].color : NONE_COLOR;
    const to = at + (n / total) * 100;
    stops.push(`${c} ${at.toFixed(2)}% ${to.toFixed(2)}%`);
    at = to;
  }
  return `conic-gradient(${stops.join(', ')})`;
}

// clusterIcon draws a cluster as a ring split by the types of its reports,
// with the count inside and a border by its least precise report (solid:
// sites or towns; double: a district; dashed: a region or country).
export function clusterIcon(cluster) {
  const markers = cluster.getAllChildMarkers();
  const n = markers.length;
  // the border: the least precise inside (clusters.js)
  return ringIcon(n, String(n), mixOf(markers), precisionMix(markers), n < 10 ? 36 : n < 100 ? 42 : 50);
}

// cellIcon draws a server cluster count ({count, by_precision,
// by_event_type} from GET /api/v1/cells) as clusterIcon draws a cluster:
// the ring of its types, the border of its least precise report, sized by
// its digits.
export function cellIcon(c) {
  const mix = new Map();
  let typed = 0;
  for (const t of TYPES) {
    const k = (c.by_event_type || {})[t] || 0;
    if (k > 0) { mix.set(t, k); typed += k; }
  }
  if (c.count > typed) mix.set('', c.count - typed);
  const n = Number(c.count).toLocaleString();
  return ringIcon(c.count, n, mix, precisionCounts(c.by_precision), cellSize(c.count), 'gt-cell');
}

// ringIcon is a cluster's icon: a ring split by the type mix (type →
// count), the count label inside, and a border by precision (pm).
function ringIcon(n, label, mix, pm, size, extra = '') {
  const words = [...mix.entries()].map(([t, k]) => `${k} ${t || 'no type'}`).join(', ');
  const ring = document.createElement('div');
  ring.className = 'ring';
  ring.style.background = ringGradient(mix);
  ring.title = `${label} reports: ${pm.words}; ${words}`;
  ring.dataset.mix = pm.mix;
  ring.dataset.types = words;
  const span = document.createElement('span');
  span.textContent = label;
  ring.append(span);
  return L.divIcon({ className: `gt-event-cluster gt-cluster-w${pm.worst} ${extra}`.trim(), iconSize: [size, size], html: ring });
}

// legend adds the event types' legend to the map.
export function addLegend(map) {
  const Legend = L.Control.extend({
    options: { position: 'bottomleft' },
    onAdd: () => {
      const d = el('details', { class: 'event-legend', id: 'event-legend' }, // closed: it would cover popups
        el('summary', { text: 'Event types' }));
      for (const t of TYPES) {
        d.append(el('div', { 'data-type': t }, el('i', { class: 'ev-swatch' }, shapeEl(t, 14)), t));
      }
      d.append(el('div', { class: 'hint' }, 'size, number: killed · ring: types in a group · dashed: area'));
      L.DomEvent.disableClickPropagation(d);
      return d;
    },
  });
  return new Legend().addTo(map);
}

// readEventFilters takes the event filters from URL parameters.
export function readEventFilters(p) {
  const f = {};
  const types = (p.get('event_type') || '').split(',').map(s => s.trim()).filter(t => STYLE[t]);
  if (types.length) f.event_type = types.join(',');
  for (const k of ['fatalities_min', 'fatalities_max']) {
    const v = p.get(k);
    if (v && /^\d{1,7}$/.test(v)) f[k] = v;
  }
  const a = (p.get('actor') || '').trim();
  if (a) f.actor = a.slice(0, 200);
  return f;
}

// setEventParams writes the event filters of filters into p.
export function setEventParams(p, filters) {
  for (const k of EVENT_KEYS) if (filters[k]) p.set(k, filters[k]);
}

// EventFilter is the header's "Events" menu: a type checkbox each, the
// fatalities range and an actor box; onChange gets the changed keys
// ('' for cleared). Also the time bar's "by type" toggle (onStack).
export class EventFilter {
  constructor(anchor, filters, onChange) {
    this.onChange = onChange;
    this.box = el('details', { class: 'event-filter', id: 'event-filter' });
    this.summary = el('summary', { title: 'Show only some event types, a range of deaths or an actor' });
    this.box.append(this.summary);
    const panel = el('div', { class: 'event-filter-panel', role: 'group', 'aria-label': 'Event filters' });
    const types = el('fieldset', {}, el('legend', { text: 'Event types (any of)' }));
    this.checks = TYPES.map(t => {
      const c = el('input', { type: 'checkbox', value: t, 'data-type': t, onchange: () => this.changed() });
      const sw = el('i', { class: 'ev-swatch' }, shapeEl(t, 14));
      types.append(el('label', { class: 'ev-check' }, c, sw, t));
      return c;
    });
    panel.append(types);
    const later = debounce(() => this.changed(), 500);
    this.min = el('input', { type: 'number', min: '0', step: '1', id: 'ev-fmin', 'aria-label': 'At least this many killed', placeholder: 'min', oninput: later });
    this.max = el('input', { type: 'number', min: '0', step: '1', id: 'ev-fmax', 'aria-label': 'At most this many killed', placeholder: 'max', oninput: later });
    panel.append(el('fieldset', {}, el('legend', { text: 'People killed (known counts)' }), this.min, ' – ', this.max));
    this.actor = el('input', { type: 'text', id: 'ev-actor', dir: 'auto', maxlength: '200', placeholder: 'e.g. RSF', 'aria-label': 'Actor', oninput: later });
    panel.append(el('label', { for: 'ev-actor', text: 'Actor' }), this.actor);
    panel.append(el('div', { class: 'actions' }, el('button', { type: 'button', id: 'ev-clear', text: 'Clear event filters', onclick: () => { this.show({}); this.changed(); } })));
    this.error = el('p', { class: 'error', role: 'alert', hidden: true });
    panel.append(this.error);
    this.box.append(panel);
    anchor.after(this.box);
    this.show(filters);
  }

  // show puts the filters' values in the controls.
  show(f) {
    const types = new Set((f.event_type || '').split(','));
    for (const c of this.checks) c.checked = types.has(c.value);
    this.min.value = f.fatalities_min || '';
    this.max.value = f.fatalities_max || '';
    this.actor.value = f.actor || '';
    this.label();
  }

  // values reads the controls as filter values ('' for none).
  values() {
    const num = (i) => (/^\d{1,7}$/.test(i.value.trim()) ? String(Number(i.value)) : '');
    return {
      event_type: this.checks.filter(c => c.checked).map(c => c.value).join(','),
      fatalities_min: num(this.min),
      fatalities_max: num(this.max),
      actor: this.actor.value.trim(),
    };
  }

  changed() {
    const v = this.values();
    this.error.hidden = true;
    if (v.fatalities_min && v.fatalities_max && Number(v.fatalities_min) > Number(v.fatalities_max)) {
      this.error.textContent = 'The minimum is above the maximum.';
      this.error.hidden = false;
      return;
    }
    this.label();
    this.onChange(v);
  }

  label() {
    const v = this.values();
    const n = EVENT_KEYS.filter(k => v[k]).length;
    this.summary.textContent = n ? `Events (${n})` : 'Events';
    this.box.classList.toggle('active', n > 0);
  }
}

// stackToggle adds the time bar's "by type" button; onToggle(on).
export function stackToggle(onToggle) {
  const group = document.querySelector('.timebar .presets');
  const b = el('button', { type: 'button', id: 'stack-types', 'aria-pressed': 'false', title: 'Stack the time bar by event type', text: 'By type' });
  b.addEventListener('click', () => {
    const on = b.getAttribute('aria-pressed') !== 'true';
    b.setAttribute('aria-pressed', String(on));
    onToggle(on);
  });
  if (group) group.append(b);
  return b;
}

// taxonomy is the service's event types, [{name, sub_types}], once known.
let taxonomy = TYPES.map(name => ({ name, sub_types: [] }));
export function setTaxonomy(ts) {
  if (Array.isArray(ts) && ts.length) taxonomy = ts.filter(t => t && typeof t.name === 'string');
}

// eventOf takes the event fields of a report (or a Feature's properties).
export function eventOf(r) {
  return {
    event_type: r.event_type || '',
    sub_event_type: r.sub_event_type || '',
    fatalities: Number.isInteger(r.fatalities) ? r.fatalities : null,
    actors: Array.isArray(r.actors) ? r.actors : [],
    civilian_targeting: !!r.civilian_targeting,
  };
}

// describeEvent puts an event in words.
export function describeEvent(e) {
  const parts = [];
  if (e.event_type) parts.push(e.sub_event_type ? `${e.event_type} › ${e.sub_event_type}` : e.event_type);
  if (e.fatalities !== null && e.fatalities !== undefined) parts.push(`${e.fatalities} killed`);
  const names = (e.actors || []).map(a => a.name);
  if (names.length) parts.push('actors: ' + names.join(', '));
  if (e.civilian_targeting) parts.push('civilians targeted');
  return parts.join(' · ');
}

// EventFields edits an event: type, sub-type, fatalities, the two sides'
// main actors and civilian targeting, with the text's suggestions beside
// it, each with the words that led to it and an Accept button (onAccept,
// when given, is called with the accepted event instead of filling the
// fields: the report panel stores it at once).
export class EventFields {
  constructor(prefix, opts = {}) {
    this.prefix = prefix;
    this.opts = opts;
    this.assoc = []; // associated actors, kept as they are
    this.root = el('fieldset', { class: 'event-fields', id: prefix });
    this.root.append(el('legend', { text: 'Event' }));
    this.suggestBox = el('div', { class: 'ev-suggest', id: prefix + '-suggest', 'aria-live': 'polite' });
    this.type = el('select', { id: prefix + '-type', onchange: () => this.fillSubs('') });
    this.sub = el('select', { id: prefix + '-sub' });
    this.fat = el('input', { id: prefix + '-fatalities', type: 'number', min: '0', step: '1', placeholder: 'unknown' });
    this.a1 = el('input', { id: prefix + '-actor1', type: 'text', dir: 'auto', maxlength: '200' });
    this.a2 = el('input', { id: prefix + '-actor2', type: 'text', dir: 'auto', maxlength: '200' });
    this.civ = el('input', { id: prefix + '-civilian', type: 'checkbox' });
    const row = (label, input) => el('div', { class: 'ev-row' }, el('label', { for: input.id, text: label }), input);
    this.root.append(this.suggestBox,
      row('Event type', this.type), row('Sub-event type', this.sub), row('People killed', this.fat),
      row('Actor 1', this.a1), row('Actor 2', this.a2),
      el('label', { class: 'ev-check' }, this.civ, 'Civilians were the target'));
    this.fillTypes();
    this.suggestion = null;
  }

  fillTypes() {
    this.type.textContent = '';
    this.type.append(el('option', { value: '', text: '— not coded —' }));
    for (const t of taxonomy) this.type.append(el('option', { value: t.name, text: t.name }));
    this.fillSubs('');
  }

  fillSubs(want) {
    this.sub.textContent = '';
    this.sub.append(el('option', { value: '', text: '—' }));
    const t = taxonomy.find(x => x.name === this.type.value);
    for (const s of (t && t.sub_types) || []) this.sub.append(el('option', { value: s, text: s }));
    this.sub.value = want || '';
  }

  // set shows an event in the fields.
  set(e) {
    e = eventOf(e || {});
    this.type.value = e.event_type;
    this.fillSubs(e.sub_event_type);
    this.fat.value = e.fatalities === null ? '' : String(e.fatalities);
    const primary = (side) => (e.actors.find(a => a.side === side && !a.associated) || {}).name || '';
    this.a1.value = primary(1);
    this.a2.value = primary(2);
    this.assoc = e.actors.filter(a => a.associated);
    this.civ.checked = e.civilian_targeting;
  }

  reset() { this.set({}); this.suggest(null); }

  // value returns the event the fields hold, as the API takes it.
  value() {
    const f = this.fat.value.trim();
    const actors = [];
    if (this.a1.value.trim()) actors.push({ name: this.a1.value.trim(), side: 1 });
    if (this.a2.value.trim()) actors.push({ name: this.a2.value.trim(), side: 2 });
    for (const a of this.assoc) if (actors.some(p => p.side === a.side)) actors.push(a);
    return {
      event_type: this.type.value,
      sub_event_type: this.sub.value,
      fatalities: /^\d+$/.test(f) ? Number(f) : null,
      actors,
      civilian_targeting: this.civ.checked,
    };
  }

  // accept puts the accepted parts of a suggestion into the fields, or,
  // with opts.onAccept, hands the event so changed to it.
  accept(parts) {
    const e = this.value();
    if (parts.type) { e.event_type = parts.type[0]; e.sub_event_type = parts.type[1] || ''; }
    if (parts.fatalities !== undefined) e.fatalities = parts.fatalities;
    for (const name of parts.actors || []) {
      if (e.actors.some(a => a.name.toLowerCase() === name.toLowerCase())) continue;
      const side = e.actors.some(a => a.side === 1 && !a.associated) ? 2 : 1;
      if (e.actors.some(a => a.side === side && !a.associated)) continue; // both sides taken: change by hand
      e.actors.push({ name, side });
    }
    if (this.opts.onAccept) { this.opts.onAccept(e); return; }
    this.set(e);
  }

  // suggest shows a suggestion (POST /api/v1/tag's "event"), each part
  // with its words and an Accept button; null clears them.
  suggest(s) {
    this.suggestion = s;
    const box = this.suggestBox;
    box.textContent = '';
    if (!s || (!s.event_type && s.fatalities == null && !(s.actors || []).length)) {
      if (s) box.append(el('p', { class: 'hint', text: 'No event suggested from the text.' }));
      return;
    }
    const list = el('ul', { class: 'ev-suggestions', 'aria-label': 'Suggested from the text' });
    const item = (what, words, parts, key) => {
      const li = el('li', { 'data-suggest': key }, el('span', { class: 'ev-what', text: what }));
      if (words) li.append(' — from ', el('q', { class: 'ev-words', dir: 'auto', text: words }));
      li.append(' ', el('button', { type: 'button', class: 'link-button ev-accept', 'data-accept': key, text: 'Accept', onclick: () => this.accept(parts) }));
      list.append(li);
    };
    const all = {};
    if (s.event_type) {
      all.type = [s.event_type, s.sub_event_type || ''];
      item(s.sub_event_type ? `${s.event_type} › ${s.sub_event_type}` : s.event_type, s.type_evidence && s.type_evidence.text, { type: all.type }, 'type');
    }
    if (s.fatalities != null) {
      all.fatalities = s.fatalities;
      item(`${s.fatalities} killed`, s.fatalities_evidence && s.fatalities_evidence.text, { fatalities: s.fatalities }, 'fatalities');
    }
    for (const a of s.actors || []) {
      all.actors = [...(all.actors || []), a.name];
      item(`Actor: ${a.name}`, a.evidence && a.evidence.text, { actors: [a.name] }, 'actor:' + a.name);
    }
    box.append(el('p', { class: 'hint', text: 'Suggested from the text:' }), list,
      el('button', { type: 'button', class: 'ev-accept-all', id: this.prefix + '-accept-all', text: 'Accept all', onclick: () => this.accept(all) }));
  }
}

// EventSection is the report panel's event block: the coding, the text's
// suggestions with one-click Accept (stored at once, a PATCH with
// If-Match), and Change… for the fields. onSaved gets the API's report.
export async function eventSection(r, { writer, onSaved, onError }) {
  const box = el('section', { class: 'event-section', id: 'detail-event', 'aria-label': 'Event' });
  const coded = describeEvent(eventOf(r));
  const head = el('p', { class: 'ev-coded' }, el('strong', { text: 'Event: ' }), coded || 'not coded');
  box.append(head);
  const store = async (ev) => {
    try {
      const fresh = await api.get('/api/v1/reports/' + encodeURIComponent(r.id), { etag: true });
      const res = await api.patch('/api/v1/reports/' + encodeURIComponent(r.id), ev, { headers: { 'If-Match': fresh.etag } });
      onSaved(res);
    } catch (err) { onError(err); }
  };
  const fields = new EventFields('d-ev', { onAccept: writer ? store : undefined });
  fields.set(eventOf(r));
  const editor = el('div', { class: 'ev-editor', hidden: true });
  if (writer) {
    const change = el('button', { type: 'button', id: 'd-ev-change', text: 'Change…', onclick: () => { editor.hidden = !editor.hidden; } });
    head.append(' ', change);
    editor.append(fields.root, el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'primary', id: 'd-ev-save', text: 'Save event', onclick: () => store(fields.value()) }),
      el('button', { type: 'button', text: 'Cancel', onclick: () => { fields.set(eventOf(r)); editor.hidden = true; } })));
  }
  box.append(fields.suggestBox, editor);
  if (r.text) {
    try {
      const t = await api.post('/api/v1/tag', { text: r.text });
      fields.suggest(t && t.event);
      if (!writer) for (const b of fields.suggestBox.querySelectorAll('button')) b.hidden = true;
    } catch { /* no suggestion: the coding stays editable */ }
  }
  return box;
}
