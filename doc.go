// Package geotag holds the domain of the geotag service: reports, the places
// found in them, the gazetteer entries those places resolve to, and the one
// error type every layer speaks.
//
// The root package depends on no other package of this module. Each
// subpackage adapts one technology to these types:
//
//	gazetteer/  the bundled GeoNames-derived gazetteer and its name index
//	geo/        the geotagger: text in, mentions out
//	store/      bbolt persistence of reports
//	server/     the HTTP API on gin
//	frontend/   the embedded Leaflet map
//	cmd/geotag  the binary, the only package that wires the others together
//
// Coordinates: Place and Location carry Lat and Lon fields by name; orb points
// and GeoJSON are [lon, lat]; Leaflet wants [lat, lon].
package geotag
