package server

import (
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// recovery turns a panic in a handler into a logged 500, so one bug never
// takes the service down.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v)
		}
		s.logger.Error("panic", "method", c.Request.Method, "path", c.Request.URL.Path,
			"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		if c.Writer.Written() {
			c.Abort()
			return
		}
		s.writeError(c, fmt.Errorf("%w: %v", errPanic, v))
	}()
	c.Next()
}

// contentSecurityPolicy forbids inline and foreign script, framing by other
// sites, plugins and form posts elsewhere. Map tiles may come from any
// HTTPS server, and from the configured tile server's origin when it is
// plain HTTP (a tile server on an air-gapped network); styles may be inline
// because Leaflet positions its panes with style attributes.
func contentSecurityPolicy(tileURL string) string {
	img := "'self' data: blob: https:"
	if o := tileOrigin(tileURL); o != "" {
		img += " " + o
	}
	return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
		"img-src " + img + "; connect-src 'self'; font-src 'self'; object-src 'none'; " +
		"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
}

// tileOrigin returns the CSP source of a plain-HTTP tile URL template
// ("http://{s}.tiles.lan:8081/{z}/{x}/{y}.png" → "http://*.tiles.lan:8081"),
// or "" for HTTPS, relative or unusable templates.
func tileOrigin(tileURL string) string {
	rest, ok := strings.CutPrefix(tileURL, "http://")
	if !ok {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	if i := strings.LastIndex(host, "}."); i >= 0 && strings.HasPrefix(host, "{") {
		host = "*." + host[i+2:] // a {s} subdomain template
	}
	for _, r := range host {
		if !(r == '.' || r == '-' || r == ':' || r == '*' || r == '[' || r == ']' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return "" // anything else could smuggle a directive into the header
		}
	}
	if host == "" || strings.Contains(host[1:], "*") {
		return ""
	}
	return "http://" + host
}

// setSecurityHeaders sets the headers every response carries.
func (s *Server) setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
}

// corsHeaders allows the configured origins to call the API from a
// browser, and answers their preflight requests.
func (s *Server) corsHeaders(c *gin.Context) {
	origin := c.GetHeader("Origin")
	h := c.Writer.Header()
	h.Add("Vary", "Origin")
	allowed := origin != "" && (s.cors["*"] || s.cors[origin])
	if allowed {
		if s.cors["*"] {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", origin)
		}
		h.Set("Access-Control-Expose-Headers", "ETag, Link, Location, Retry-After, Content-Disposition")
	}
	if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
		if !allowed {
			s.writeError(c, geotag.Errorf(geotag.EFORBIDDEN, "origin %q may not call this API", origin))
			return
		}
		h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match, If-None-Match")
		h.Set("Access-Control-Max-Age", "600")
		c.AbortWithStatus(http.StatusNoContent)
		return
	}
	c.Next()
}

// limitBody caps every request body at MaxBody bytes (imports at
// MaxImportBody); reading more fails
// with an error that decodeJSON answers with 413.
func (s *Server) limitBody(c *gin.Context) {
	limit := s.maxBody
	if c.FullPath() == "/api/v1/import" {
		limit = s.maxImport
	}
	if c.Request.ContentLength > limit {
		s.writeError(c, geotag.FieldErrorf(geotag.ETOOLARGE, "body", "request body is over the limit of %d bytes", limit))
		return
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	c.Next()
}

// validQuery refuses query parameters that are not valid UTF-8 once
// percent-decoded, so no handler or store sees broken text.
func (s *Server) validQuery(c *gin.Context) {
	for k, vs := range c.Request.URL.Query() {
		ok := utf8.ValidString(k)
		for _, v := range vs {
			ok = ok && utf8.ValidString(v)
		}
		if !ok {
			s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, strings.ToValidUTF8(k, "?"), "query parameter %q is not valid UTF-8", strings.ToValidUTF8(k, "?")))
			return
		}
	}
	c.Next()
}

// isTooLarge reports whether err comes from reading past the body limit.
func isTooLarge(err error) bool {
	var mb *http.MaxBytesError
	return errors.As(err, &mb)
}

// mediaType returns the media type of the request without parameters.
func mediaType(c *gin.Context) string {
	ct := c.GetHeader("Content-Type")
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct))
}
