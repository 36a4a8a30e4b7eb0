// Package server is geotag's HTTP API on gin: tagging, reports and their
// corrections, filtered lists, streamed exports (GeoJSON, GeoJSON text
// sequences, CSV), map cluster counts, a place search, OGC API – Features
// for GIS clients, health, readiness and Prometheus metrics, and the
// embedded map page.
//
// The server depends only on the interfaces of the root package
// (geotag.ReportService, geotag.Tagger, geotag.Gazetteer,
// geotag.TokenService); cmd/geotag wires the implementations in.
//
// Every route is registered in one function, routes, so the whole surface
// can be read in one place. Every error is answered as
// application/problem+json (RFC 9457); the mapping from geotag error codes
// to HTTP statuses is the table in error.go.
package server
