package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// ogcAPI answers the OpenAPI 3.0 definition of the /ogc service, which
// OGC API – Features Core links as service-desc.
func (s *Server) ogcAPI(c *gin.Context) {
	str := gin.H{"type": "string"}
	param := func(name, in, desc string, schema gin.H, required bool) gin.H {
		return gin.H{"name": name, "in": in, "description": desc, "required": required, "schema": schema}
	}
	geojson := gin.H{"application/geo+json": gin.H{"schema": gin.H{"type": "object"}}}
	jsonObj := gin.H{"application/json": gin.H{"schema": gin.H{"type": "object"}}}
	problem := gin.H{"description": "A problem (RFC 9457)", "content": gin.H{"application/problem+json": gin.H{"schema": gin.H{"type": "object"}}}}
	ok := func(desc string, content gin.H) gin.H {
		return gin.H{"200": gin.H{"description": desc, "content": content}, "400": problem, "default": problem}
	}
	items := []gin.H{
		param("bbox", "query", "W,S,E,N in CRS84", gin.H{"type": "array", "items": gin.H{"type": "number"}, "minItems": 4, "maxItems": 4}, false),
		param("datetime", "query", "an RFC 3339 instant or interval A/B, .. for an open end", str, false),
		param("limit", "query", "features per page", gin.H{"type": "integer", "minimum": 1, "maximum": ogcMaxLimit, "default": ogcDefaultLimit}, false),
		param("offset", "query", "features to skip (each costs a step; follow the next links to page further)",
			gin.H{"type": "integer", "minimum": 0, "maximum": ogcMaxOffset, "default": 0}, false),
		param("cursor", "query", "the position after the previous page, from its next link (opaque)", str, false),
		param("q", "query", "text in the title or text", str, false),
		param("place", "query", "geonameid of a place the report names", gin.H{"type": "integer"}, false),
		param("status", "query", "reviewed or unreviewed", gin.H{"type": "string", "enum": []string{"reviewed", "unreviewed"}}, false),
		param("tag", "query", "a tag of the report", str, false),
	}
	props := gin.H{}
	for _, k := range []string{"id", "external_id", "title", "text", "time", "time_precision", "source", "status", "location", "method", "created", "updated"} {
		props[k] = str
	}
	props["tags"] = gin.H{"type": "array", "items": str}
	props["mentions"] = gin.H{"type": "array", "items": str}
	props["place_id"] = gin.H{"type": "integer"}
	props["precision"] = gin.H{"type": "integer"}
	c.Header("Content-Type", openAPIType)
	c.JSON(http.StatusOK, gin.H{
		"openapi": "3.0.3",
		"info": gin.H{"title": "geotag OGC API – Features", "version": "1.0.0",
			"description": "Geotagged reports as an OGC API – Features service (Part 1 Core, GeoJSON)."},
		"servers": []gin.H{{"url": ogcURL(c, "", nil)}},
		"paths": gin.H{
			"/":            gin.H{"get": gin.H{"summary": "Landing page", "operationId": "getLandingPage", "responses": ok("The landing page", jsonObj)}},
			"/conformance": gin.H{"get": gin.H{"summary": "Conformance classes", "operationId": "getConformance", "responses": ok("The conformance classes", jsonObj)}},
			"/api":         gin.H{"get": gin.H{"summary": "This definition", "operationId": "getAPI", "responses": ok("The OpenAPI definition", gin.H{openAPIType: gin.H{"schema": gin.H{"type": "object"}}})}},
			"/collections": gin.H{"get": gin.H{"summary": "Collections", "operationId": "getCollections", "responses": ok("The collections", jsonObj)}},
			"/collections/reports": gin.H{"get": gin.H{"summary": "The reports collection", "operationId": "describeReports",
				"responses": ok("The collection", jsonObj)}},
			"/collections/reports/items": gin.H{"get": gin.H{"summary": "Reports", "operationId": "getReports", "parameters": items,
				"responses": ok("A page of reports", gin.H{"application/geo+json": gin.H{"schema": gin.H{"type": "object",
					"properties": gin.H{"type": str, "features": gin.H{"type": "array", "items": gin.H{"$ref": "#/components/schemas/report"}}}}}})}},
			"/collections/reports/items/{featureId}": gin.H{"get": gin.H{"summary": "One report", "operationId": "getReport",
				"parameters": []gin.H{param("featureId", "path", "the report id", str, true)},
				"responses":  gin.H{"200": gin.H{"description": "The report", "content": geojson}, "404": problem}}},
		},
		"components": gin.H{"schemas": gin.H{"report": gin.H{"type": "object", "properties": gin.H{
			"type": str, "id": str, "geometry": gin.H{"type": "object", "nullable": true},
			"properties": gin.H{"type": "object", "properties": props},
		}}}},
	})
}
