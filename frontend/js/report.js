// Reports: normalising API answers and building popups, all with DOM APIs.

import { el, highlight, excerpt, precisionWords, fmtTime, safeURL, confidenceClass, placeLabel } from './text.js';
import { tagChips } from './tags.js';
import { eventOf, describeEvent } from './events.js';

// normalize turns a report Feature (or a plain report object) into
// {id, title, text, source, time, status, mentions, location, precision, names}.
export function normalize(x) {
  if (!x) return null;
  const isFeature = x.type === 'Feature';
  const p = isFeature ? (x.properties || {}) : x;
  const r = {
    id: p.id || x.id || '',
    title: p.title || '',
    text: p.text || '',
    source: p.source || '',
    time: p.time || '',
    timePrecision: p.time_precision || '',
    status: p.status || 'unreviewed',
    mentions: [],
    names: [],
    location: p.location && typeof p.location === 'object' ? p.location : null,
    precision: p.precision || (p.location && p.location.precision) || 0,
    tags: p.tags || [],
    history: Array.isArray(p.history) ? p.history : [],
    ...eventOf(p), // event_type, sub_event_type, fatalities, actors, civilian_targeting
  };
  const ms = p.mentions;
  if (Array.isArray(ms)) {
    if (ms.length && typeof ms[0] === 'object') r.mentions = ms;
    else r.names = ms.map(String);
  }
  if (Array.isArray(p.mention_names)) r.names = p.mention_names.map(String);
  if (!r.names.length && r.mentions.length) r.names = r.mentions.map(m => m.text);
  if (!r.location && isFeature && x.geometry && x.geometry.type === 'Point') {
    // List features name the main location in "location" (or "place").
    const name = typeof p.location === 'string' ? p.location : (typeof p.place === 'string' ? p.place : (p.location_name || ''));
    r.location = { lon: x.geometry.coordinates[0], lat: x.geometry.coordinates[1], precision: r.precision, name };
  }
  return r;
}

// toFeature turns a stored report into the list's GeoJSON Feature shape.
export function toFeature(r) {
  const loc = r.location;
  return {
    type: 'Feature',
    id: r.id,
    geometry: loc ? { type: 'Point', coordinates: [loc.lon, loc.lat] } : null,
    properties: {
      id: r.id, title: r.title, time: r.time, time_precision: r.timePrecision || r.time_precision || undefined, source: r.source, status: r.status || 'unreviewed',
      precision: loc ? loc.precision : 0, location: loc ? loc.name : '',
      mentions: (r.mentions || []).map(m => m.text), tags: r.tags || [],
      event_type: r.event_type || null, sub_event_type: r.sub_event_type || null, fatalities: r.fatalities ?? null,
    },
  };
}

// markFor builds a highlighted place name inside report text.
export function markFor(m, i, label) {
  const title = m.place ? placeLabel(m.place) + (m.confidence != null ? ` (confidence ${Math.round(m.confidence * 100)}%)` : '') : 'place not resolved';
  return el('mark', { class: 'place ' + confidenceClass(m), title, 'data-mention': i, text: label });
}

// popupContent builds the popup of a report; onTag(tag) filters the map
// by a tag clicked in it, activeTag is the tag filtered by now.
export function popupContent(r, onOpen, onTag, activeTag = '') {
  const root = el('div', { class: 'popup', 'data-report': r.id });
  root.append(el('h3', { class: 'popup-title', dir: 'auto', text: r.title || 'Untitled report' }));
  const meta = el('p', { class: 'meta' });
  if (r.time) meta.append(el('time', { datetime: r.time, text: fmtTime(r.time, r.timePrecision) }));
  meta.append(el('span', { class: 'status status-' + r.status, text: r.status === 'reviewed' ? 'reviewed' : 'unreviewed' }));
  root.append(meta);
  const ev = describeEvent(eventOf(r));
  if (ev) root.append(el('p', { class: 'popup-event', text: ev }));
  if (r.location) {
    root.append(el('p', { class: 'where' },
      el('strong', { dir: 'auto', text: r.location.name || `${(+r.location.lat).toFixed(4)}, ${(+r.location.lon).toFixed(4)}` }), ' — ',
      el('span', { class: 'precision', text: precisionWords(r.location.precision) })));
  }
  if (r.text) {
    const ex = excerpt(r.text, r.mentions);
    const p = el('p', { class: 'excerpt', dir: 'auto' });
    highlight(p, ex.text, ex.mentions, markFor);
    root.append(p);
  } else if (r.names.length) {
    root.append(el('p', { class: 'excerpt', dir: 'auto', text: 'Places: ' + r.names.join(', ') }));
  }
  const chips = tagChips(r.tags, onTag, activeTag);
  if (chips) root.append(chips);
  const actions = el('p', { class: 'popup-actions' });
  const src = safeURL(r.source);
  if (src) actions.append(el('a', { href: src, target: '_blank', rel: 'noopener noreferrer nofollow', class: 'source', text: 'Source ↗' }));
  else if (r.source) actions.append(el('span', { class: 'source', text: 'Source: ' + r.source }));
  if (onOpen) actions.append(el('button', { type: 'button', class: 'link-button', onclick: () => onOpen(r.id), text: 'Open & correct' }));
  root.append(actions);
  return root;
}
