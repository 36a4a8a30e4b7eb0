// API client: JSON over fetch, the bearer token, and errors users can read.

const TOKEN_KEY = 'geotag.token';

// APIError carries the HTTP status and the API's error code and message.
export class APIError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || '';
  }
}

export function getToken() {
  try { return localStorage.getItem(TOKEN_KEY) || ''; } catch { return ''; }
}

export function setToken(tok) {
  try {
    if (tok) localStorage.setItem(TOKEN_KEY, tok); else localStorage.removeItem(TOKEN_KEY);
  } catch { /* storage disabled: the token lives for this page only */ }
  memoryToken = tok || '';
}

let memoryToken = '';

// takeTokenFromFragment removes a "#token=..." login link from the address
// bar, so it is not shared by copying the URL, and returns its token ('' for
// none). It stores nothing: the page stores it at once only when no other
// token is stored, and asks first otherwise (App.linkToken).
export function takeTokenFromFragment() {
  const h = location.hash.replace(/^#/, '');
  if (!h) return '';
  const p = new URLSearchParams(h);
  const tok = (p.get('token') || '').trim();
  if (!tok) return '';
  p.delete('token');
  const rest = p.toString();
  history.replaceState(history.state, '', location.pathname + location.search + (rest ? '#' + rest : ''));
  return tok;
}

// Human-readable messages for statuses whose API message alone is not
// enough; the API's own detail follows in parentheses.
function statusMessage(status, msg) {
  const detail = msg ? ' (' + msg.replace(/[.\s]+$/, '') + ').' : '.';
  switch (status) {
    case 401: return 'The service asks for an access token' + detail;
    case 403: return 'This token may not do that' + detail;
    case 412: return 'Someone else changed this report since you opened it' + detail;
    case 413: return 'The report is too large for the service' + detail + ' Shorten the text and try again.';
    case 429: return 'Too many requests; wait a moment and try again.';
    case 503: return 'The service is not ready or is shutting down' + detail;
  }
  return msg || `The service answered ${status}.`;
}

// request sends one API request and returns the decoded JSON body (or the
// raw Response for non-JSON answers when raw is set; {data, etag} when
// etag is set). opts.headers adds headers (If-Match); opts.contentType
// sends body, a string, as it is; opts.token sends that token instead of
// the stored one. It throws APIError with status 0 when the network is
// down.
export async function request(method, path, body, opts = {}) {
  const headers = { 'Accept': opts.accept || 'application/json', ...(opts.headers || {}) };
  const tok = opts.token !== undefined ? opts.token : (getToken() || memoryToken);
  if (tok) headers['Authorization'] = 'Bearer ' + tok;
  let payload;
  if (body !== undefined && opts.contentType) {
    headers['Content-Type'] = opts.contentType;
    payload = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, signal: opts.signal });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new APIError(0, 'network', 'Cannot reach the geotag service. Check the connection and try again.');
  }
  if (opts.raw && res.ok) return res;
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    // RFC 9457 problem details: {title, status, detail, code, field}.
    let code = '', msg = '', field = '';
    if (data && typeof data === 'object') {
      code = data.code || '';
      msg = data.detail || data.message || (typeof data.error === 'string' ? data.error : '') || data.title || '';
      field = data.field || '';
    }
    const e = new APIError(res.status, code, statusMessage(res.status, msg), field);
    e.detail = msg;
    throw e;
  }
  if (opts.etag) return { data, etag: res.headers.get('ETag') || '' };
  return data;
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body, opts) => request('POST', path, body, opts);
export const patch = (path, body, opts) => request('PATCH', path, body, opts);
export const put = (path, body, opts) => request('PUT', path, body, opts);
export const del = (path, opts) => request('DELETE', path, undefined, opts);
