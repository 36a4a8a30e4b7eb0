// Package frontend holds the analyst's map page: plain HTML, CSS and ES
// modules with vendored Leaflet, Leaflet.markercluster, topojson-client and
// the world-atlas country outlines, embedded in the binary. There is no
// build step; the files are served as they are in this directory.
//
// The page speaks only to the geotag API (/api/v1/…) of the server that
// serves it; it runs under a Content-Security-Policy of script-src 'self',
// so it has no inline scripts or handlers, and it inserts every piece of
// report text with textContent, never as HTML.
package frontend
