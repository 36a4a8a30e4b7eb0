// Layout helpers the stylesheet cannot do alone.

// watchHeader keeps the CSS variable --header-h at the header's height,
// which grows when the header wraps at phone width, so that what floats
// under it (the toast) never covers its controls.
export function watchHeader(header) {
  if (!header) return;
  const set = () => document.documentElement.style.setProperty('--header-h', header.offsetHeight + 'px');
  new ResizeObserver(set).observe(header);
  set();
}

// once reports whether key is new to this browser, remembering it: a
// notice that says the same thing on every load is said once.
export function once(key) {
  try {
    const k = 'geotag.once.' + key;
    if (localStorage.getItem(k)) return false;
    localStorage.setItem(k, '1');
  } catch { /* private mode: say it */ }
  return true;
}
