// Times for people. An event time stored at a precision (a day, a month, a
// year) is shown as that date, read in UTC where the service stores it, so
// that a browser west of UTC never shows the day before. Exact times are
// shown with their zone: UTC by default, the browser's own zone when the
// analyst chooses it (kept in this browser's localStorage). The edit and
// new-report forms read and write their time fields in the same zone.

const KEY = 'geotag.timezone';

// zone returns 'utc' or 'local'.
export function zone() {
  try { return localStorage.getItem(KEY) === 'local' ? 'local' : 'utc'; } catch { return 'utc'; }
}

// setZone chooses 'utc' or 'local' and tells the page (geotag:timezone).
export function setZone(z) {
  try { localStorage.setItem(KEY, z === 'local' ? 'local' : 'utc'); } catch { /* private mode: this page only */ }
  document.dispatchEvent(new CustomEvent('geotag:timezone', { detail: zone() }));
}

// zoneLabel names the zone in use for field labels: "UTC" or the
// browser's zone ("America/New_York").
export function zoneLabel(z = zone()) {
  if (z === 'utc') return 'UTC';
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time'; } catch { return 'local time'; }
}

// fmtWhen formats an RFC 3339 time at its precision ('', 'day', 'week',
// 'month', 'year'): a date without a time for the coarse ones, always
// the UTC date; an exact time with its zone's name.
export function fmtWhen(t, precision = '', z = zone()) {
  if (!t) return '';
  const d = new Date(t);
  if (isNaN(d)) return String(t);
  const date = { timeZone: 'UTC', year: 'numeric' };
  switch (precision) {
    case 'year': return d.toLocaleDateString(undefined, date);
    case 'month': return d.toLocaleDateString(undefined, { ...date, month: 'long' });
    case 'week': return 'week of ' + d.toLocaleDateString(undefined, { ...date, month: 'short', day: 'numeric' });
    case 'day': return d.toLocaleDateString(undefined, { ...date, month: 'short', day: 'numeric' });
  }
  const opts = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' };
  if (z === 'utc') opts.timeZone = 'UTC';
  return d.toLocaleString(undefined, opts);
}

// fmtDay formats the date of an instant in the zone, without the time.
export function fmtDay(t, z = zone()) {
  const opts = { year: 'numeric', month: 'short', day: 'numeric' };
  if (z === 'utc') opts.timeZone = 'UTC';
  return new Date(t).toLocaleDateString(undefined, opts);
}

// inputValue turns an RFC 3339 time into a datetime-local field's value
// in the zone ('' for none).
export function inputValue(t, z = zone()) {
  if (!t) return '';
  const d = new Date(t);
  if (isNaN(d)) return '';
  const ms = z === 'utc' ? d.getTime() : d.getTime() - d.getTimezoneOffset() * 60000;
  return new Date(ms).toISOString().slice(0, 16);
}

// fromInput reads a datetime-local field's value ("2024-03-01T14:30") in
// the zone into an RFC 3339 UTC time, or '' when it is not a time.
export function fromInput(v, z = zone()) {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v || '')) return '';
  const d = new Date(z === 'utc' ? v + 'Z' : v);
  return isNaN(d) ? '' : d.toISOString();
}
