package server

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// publicKey is the gin context key of the *url.URL absolute links start
// with.
const publicKey = "geotag.public"

// ParsePublicURL checks a public URL (--public-url): an absolute http or
// https URL with a host, no user, query or fragment; a path is kept as a
// prefix ("https://example.org/geotag").
func ParsePublicURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("public URL %q must be an absolute http(s) URL like https://geotag.example.org", s)
	}
	return u, nil
}

// publicBase records the base of the request's absolute links: the
// configured public URL, else the Host header when it is a plain
// host[:port] (never a name with characters a host cannot have), else the
// address the request came in on.
func (s *Server) publicBase(c *gin.Context) {
	u := s.public
	if u == nil {
		scheme := "http"
		if c.Request.TLS != nil {
			scheme = "https"
		}
		host := c.Request.Host
		if !plainHost(host) {
			host = "localhost"
			if a, ok := c.Request.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
				host = a.String()
			}
		}
		u = &url.URL{Scheme: scheme, Host: host}
	}
	c.Set(publicKey, u)
	c.Next()
}

// plainHost reports whether h is a host name or IP address with an
// optional port, and nothing else.
func plainHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	host, port, err := net.SplitHostPort(h)
	if err != nil {
		host, port = h, ""
	}
	for _, r := range port {
		if r < '0' || r > '9' {
			return false
		}
	}
	if strings.HasPrefix(host, "[") || strings.Contains(host, ":") {
		return net.ParseIP(strings.Trim(host, "[]")) != nil
	}
	for _, r := range host {
		if !(r == '.' || r == '-' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return false
		}
	}
	return host != ""
}

// requestURL returns an absolute URL on this server for path and query,
// from the base publicBase chose.
func requestURL(c *gin.Context, path string, q url.Values) string {
	u := url.URL{Scheme: "http", Host: "localhost"}
	if v, ok := c.Get(publicKey); ok {
		u = *v.(*url.URL)
	}
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = q.Encode()
	return u.String()
}
