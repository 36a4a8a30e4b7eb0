// The mention panel: ranked alternatives with country, admin1 and score,
// gazetteer search, pick a point on the map, "not a place", "apply to all
// identical mentions" and "main location". It reports the analyst's choice
// as a correction; the caller applies it (to a draft or through the API).
//
// Corrections: {action:'pick', place} | {action:'point', lat, lon} |
// {action:'remove'} | {action:'main'}, each with all: bool.

import { el, placeLabel, debounce } from './text.js';
import * as api from './api.js';
import { featureWords, scoreText } from './features.js';
import { parseCoords } from './coords.js';
import { ruleReason } from './rules.js';

export function mentionPanel(m, opts) {
  const { onCorrect, onClose, pickPoint, isMain } = opts;
  const root = el('div', { class: 'mention-panel', role: 'dialog', 'aria-label': 'Place for “' + m.text + '”' });
  const head = el('div', { class: 'mp-head' },
    el('strong', { class: 'mp-name' }, '“', el('bdi', { text: m.text }), '”'),
    el('button', { type: 'button', class: 'mp-close', 'aria-label': 'Close', text: '×', onclick: () => onClose && onClose() }));
  root.append(head);
  root.append(el('p', { class: 'mp-current' }, m.removed ? 'Marked as not a place.' : m.place ? ['Now: ', el('b', { text: placeLabel(m.place) }),
    featureWords(m.place.feature) ? el('span', { class: 'feature', title: m.place.feature, text: ' · ' + featureWords(m.place.feature) }) : null,
    scoreText(m.confidence) && !m.manual ? el('span', { class: 'score', text: ' · ' + scoreText(m.confidence) }) : null,
    m.manual ? el('span', { class: 'score', text: ' · set by hand' }) : null,
    m.rule && !m.manual ? el('span', { class: 'score mp-rule', text: ' · ' + ruleReason(m.rule) }) : null] : 'Not resolved to a place.'));

  const all = el('input', { type: 'checkbox', id: 'mp-all-' + Math.random().toString(36).slice(2) });
  const send = (c) => onCorrect({ ...c, all: all.checked });

  // The actions come first, in sight on a phone however many alternatives follow.
  const actions = el('div', { class: 'mp-actions' });
  if (pickPoint) {
    actions.append(el('button', { type: 'button', class: 'mp-point', onclick: () => pickPoint((ll) => send({ action: 'point', lat: ll.lat, lon: ll.lng })), text: 'Pick a point on the map' }));
  }
  actions.append(el('button', { type: 'button', class: 'mp-remove', onclick: () => send({ action: 'remove' }), text: 'Not a place' }));
  if (m.place && !m.removed) {
    actions.append(el('button', { type: 'button', class: 'mp-main', 'aria-pressed': isMain ? 'true' : 'false', onclick: () => send({ action: 'main' }), text: isMain ? '★ Main location' : '☆ Make main location' }));
  }
  root.append(actions);
  root.append(el('label', { class: 'mp-all' }, all, ' Apply to all identical mentions'));
  const desk = opts.desk && opts.desk(m); // every stored report, rules (rules.js)
  if (desk) root.append(desk);

  const alts = (m.alternatives || []).filter(a => !m.place || a.id !== m.place.id);
  // Alternatives the tagger scores at 0 % tell nothing: folded away.
  const likely = alts.filter(a => a.score == null || scoreText(a.score));
  const unlikely = alts.filter(a => !likely.includes(a));
  const altItem = (a) => el('li', {},
    el('button', { type: 'button', class: 'alt', 'data-place': a.id, onclick: () => send({ action: 'pick', place: a }) },
      el('span', { class: 'alt-name', dir: 'auto', text: a.name }),
      el('span', { class: 'alt-where', text: [a.admin1, a.country_name || a.country].filter(Boolean).join(', ') }),
      el('span', { class: 'alt-score', text: scoreText(a.score) }),
      featureWords(a.feature) ? el('span', { class: 'feature', title: a.feature, text: featureWords(a.feature) }) : null));
  if (alts.length) {
    root.append(el('p', { class: 'mp-label', text: likely.length ? 'Alternatives, best first:' : 'No likely alternatives.' }));
    if (likely.length) root.append(el('ol', { class: 'mp-alts' }, ...likely.map(altItem)));
    if (unlikely.length) {
      root.append(el('details', { class: 'mp-unlikely' },
        el('summary', { text: `${unlikely.length} more the tagger scores at 0 %` }), el('ol', { class: 'mp-alts' }, ...unlikely.map(altItem))));
    }
  } else {
    root.append(el('p', { class: 'mp-label', text: 'No alternatives proposed.' }));
  }

  // Gazetteer search.
  const q = el('input', { type: 'search', class: 'mp-search', dir: 'auto', placeholder: 'A place, or 36.2, 37.1 / 36°12′N 37°08′E / MGRS', 'aria-label': 'Search the gazetteer for ' + m.text, value: m.text });
  const results = el('ol', { class: 'mp-alts mp-results', 'aria-live': 'polite' });
  const search = debounce(async () => {
    const text = q.value.trim();
    results.textContent = '';
    if (!text) return;
    // Coordinates (decimal, DMS, MGRS) put the place at that point.
    const pt = parseCoords(text);
    if (pt) {
      results.append(el('li', {}, el('button', { type: 'button', class: 'alt mp-coords', onclick: () => send({ action: 'point', lat: pt.lat, lon: pt.lon }) },
        el('span', { class: 'alt-name', dir: 'auto', text: 'Put it at ' + pt.lat.toFixed(5) + ', ' + pt.lon.toFixed(5) }))));
      return;
    }
    try {
      const data = await api.get('/api/v1/places?q=' + encodeURIComponent(text) + '&limit=8');
      const found = placesOf(data);
      if (!found.length) results.append(el('li', { class: 'empty', text: 'No place matches.' }));
      for (const a of found) {
        results.append(el('li', {}, el('button', { type: 'button', class: 'alt', 'data-place': a.id, onclick: () => send({ action: 'pick', place: a }) },
          el('span', { class: 'alt-name', dir: 'auto', text: a.name }),
          el('span', { class: 'alt-where', text: [a.admin1, a.country_name || a.country].filter(Boolean).join(', ') }),
          featureWords(a.feature) ? el('span', { class: 'feature', title: a.feature, text: featureWords(a.feature) }) : null)));
      }
    } catch (err) {
      results.append(el('li', { class: 'error', text: err.message }));
    }
  }, 300);
  q.addEventListener('input', search);
  root.append(el('details', { class: 'mp-more' }, el('summary', { text: 'Search the gazetteer, or paste coordinates' }), q, results));

  return root;
}

// placesOf reads a places search answer: a list, {places:[…]}, or GeoJSON.
export function placesOf(data) {
  if (!data) return [];
  if (Array.isArray(data)) return data;
  if (Array.isArray(data.places)) return data.places;
  if (Array.isArray(data.results)) return data.results;
  if (Array.isArray(data.features)) return data.features.map(f => ({ ...f.properties, lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0] }));
  return [];
}

// correctionBody turns a panel correction for mention i into the API's body.
export function correctionBody(i, c) {
  switch (c.action) {
    case 'pick': return c.place.id ? { action: 'pick', mention: i, place_id: c.place.id, all: !!c.all }
      : { action: 'point', mention: i, lat: c.place.lat, lon: c.place.lon, name: c.place.name, all: !!c.all };
    case 'point': return { action: 'point', mention: i, lat: c.lat, lon: c.lon, all: !!c.all };
    case 'remove': return { action: 'remove', mention: i, all: !!c.all };
    case 'main': return { action: 'main', mention: i };
  }
  throw new Error('unknown correction ' + c.action);
}
