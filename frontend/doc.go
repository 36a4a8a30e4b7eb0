// Package frontend holds the analyst's map page: plain HTML, CSS and ES
// modules with vendored Leaflet, Leaflet.markercluster, Leaflet.heat, topojson-client, mgrs and
// the world-atlas country outlines, embedded in the binary. There is no
// build step; the files are served as they are in this directory:
//
//	index.html        the page (no inline script: the API's CSP is script-src 'self')
//	css/app.css       layout, marker styles by precision and status, phone width
//	css/events.css    event icons, cluster rings, the Events filter, event fields
//	js/main.js        start-up and wiring: map, loading by bbox, popups, panels, URL state
//	js/api.js         fetch wrapper: bearer token (from #token=… into localStorage), problem+json errors
//	js/basemap.js     tiles from GET /api/v1/config, fallback to the embedded country outlines
//	js/markers.js     clustered report markers; server-side cluster counts for large stores
//	js/report.js      report normalisation and popups
//	js/form.js        new report: debounced tag preview, corrections on the draft (POST /api/v1/preview), save
//	js/tagpanel.js    the per-mention panel: alternatives, gazetteer search, point, not a place
//	js/review.js      review list (j/k/Enter/a) and the report panel (corrections API)
//	js/rules.js       desk rules and places: a correction in every report (bulk, preview, progress, undo), "remember this", the Rules panel
//	js/edit.js        editing a stored report (PUT/PATCH, If-Match) and what its corrections became
//	js/import.js      the import panel (POST /api/v1/import) and its per-report outcome
//	js/liveblog.js    "Split into updates": a pasted live blog cut by POST /api/v1/split, previewed, saved by the import
//	js/views.js       the Views panel: saved views (/api/v1/views) opened, saved, deleted, their Atom feeds
//	js/feeds.js       the Feeds panel: list with status, add, pause, remove (/api/v1/feeds)
//	js/article.js     the form's Fetch button: a page's article into the form (POST /api/v1/fetch)
//	js/tags.js        tag chips and the tag filter (GET /api/v1/tags)
//	js/timebar.js     histogram, draggable time window, presets, play, stacked by event type
//	js/events.js      event type icons and legend, type rings of clusters, the Events filter,
//	                  event fields with the text's suggestions (form and report panel)
//	js/incidents.js   same-event candidates in the report panel, linking them as one incident,
//	                  the incident panel (figures and their rules, sources, unlink), incidents on the map
//	js/split.js       splitting a selection of a report's text off as a new report
//	js/search.js      gazetteer autocomplete that flies the map
//	js/export.js      export of the view (GeoJSON, CSV, OGC API address)
//	js/state.js       the view in the URL
//	js/text.js        DOM building (text only, never HTML), code point offsets, formatting
//	js/when.js        times at their precision (dates never shifted by a zone), UTC or local time
//	js/features.js    GeoNames feature codes in words ("district capital"), scores that say something
//	js/layout.js      the header's height for what floats under it; notices said once per browser
//	js/coords.js      typed or pasted coordinates: decimal degrees, degrees-minutes-seconds, MGRS
//	js/labels.js      town, district and country labels from the gazetteer (offline maps)
//	js/heat.js        the density layer, from the cluster counts of the filters
//	js/filters.js     several tags (any/all) and "reports naming this place"
//	js/review-nav.js  the review list on the map: reveal a clustered report, count the view
//	js/history.js     what an edit changed, in words, for the history
//	js/clusters.js    cluster icons with the precision inside; non-overlapping server counts
//	js/unlocated.js   the reports without a location: counted on the map, listed
//	css/layers.css    place labels, filter chips, review highlights
//	vendor/           pinned third-party files with their licences (see vendor/README.md)
//
// The page speaks only to the geotag API (/api/v1/…) of the server that
// serves it, and inserts every piece of report text with textContent.
// The API counts text offsets in Unicode code points; text.js converts
// them to JavaScript's UTF-16 indexes. window.geotag exposes the page's
// objects for the browser tests and for consoles; it is not a copy:
// changing what it holds changes the page.
package frontend
