// Coordinates typed or pasted by an analyst: decimal degrees in their
// common forms, degrees-minutes(-seconds), and MGRS (through the vendored
// mgrs library, proj4js' own). parseCoords never guesses between two
// readings: what it cannot read unambiguously is null.

import { toPoint } from '../vendor/mgrs-2.2.0/mgrs.esm.js';

// One coordinate: degrees, optional minutes and seconds, an optional
// hemisphere letter before or after, signs allowed on the degrees.
const NUM = String.raw`\d+(?:[.,]\d+)?`;
const PART = String.raw`([NSEW])?\s*([-+−]?${NUM})\s*(?:°|º|d|\s)?\s*(?:(${NUM})\s*(?:'|′|’|m|\s)\s*(?:(${NUM})\s*(?:"|″|”|''|s)?)?)?\s*([NSEW])?`;
const PAIR = new RegExp(String.raw`^\s*${PART}\s*[,;/\s]\s*${PART}\s*$`, 'i');

// part turns one matched coordinate into {v, hemi} or null.
function part(hemiBefore, deg, min, sec, hemiAfter) {
  if (hemiBefore && hemiAfter) return null;
  const num = (s) => (s === undefined ? 0 : Number(s.replace(',', '.').replace('−', '-')));
  let d = num(deg);
  const m = num(min), s = num(sec);
  if (!Number.isFinite(d) || m >= 60 || s >= 60 || ((min !== undefined || sec !== undefined) && /[.,]/.test(deg))) return null;
  const neg = d < 0 || /^[-−]/.test(deg);
  d = Math.abs(d) + m / 60 + s / 3600;
  const hemi = (hemiBefore || hemiAfter || '').toUpperCase();
  if (hemi && neg) return null;
  return { v: (neg || hemi === 'S' || hemi === 'W') ? -d : d, hemi };
}

// parseCoords reads s as a point: {lat, lon, kind: 'decimal'|'dms'|'mgrs'}
// or null. Without hemisphere letters the order is latitude, longitude
// (as GIS tools and maps copy it); with letters they decide.
export function parseCoords(s) {
  if (typeof s !== 'string' || s.length > 100) return null;
  const t = s.trim();
  const mgrs = t.replace(/\s+/g, '').toUpperCase();
  if (/^\d{1,2}[C-HJ-NP-X][A-HJ-NP-Z][A-HJ-NP-V](\d\d){1,5}$/.test(mgrs)) {
    try {
      const [lon, lat] = toPoint(mgrs);
      if (Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) return { lat, lon, kind: 'mgrs' };
    } catch { return null; }
    return null;
  }
  // A decimal comma is read only when a semicolon or spaces separate the two.
  if (/^[-+−]?\d+,\d+\s*,\s*[-+−]?\d+,\d+$/.test(t)) return null;
  const m = PAIR.exec(t);
  if (!m) return null;
  const a = part(m[1], m[2], m[3], m[4], m[5]), b = part(m[6], m[7], m[8], m[9], m[10]);
  if (!a || !b) return null;
  let lat = a, lon = b;
  if ('EW'.includes(a.hemi || '_') || 'NS'.includes(b.hemi || '_')) [lat, lon] = [b, a];
  if ((lat.hemi && !'NS'.includes(lat.hemi)) || (lon.hemi && !'EW'.includes(lon.hemi))) return null;
  if (Math.abs(lat.v) > 90 || Math.abs(lon.v) > 180) return null;
  const kind = m[3] !== undefined || m[8] !== undefined ? 'dms' : 'decimal';
  return { lat: lat.v, lon: lon.v, kind };
}
