package server

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// serveFrontend answers every path no route matched: API paths with a
// 404 problem, other GET and HEAD requests with the file of that name in
// the frontend, "/" and directories with their index.html. Paths are
// cleaned and checked with fs.ValidPath, so ".." cannot leave the
// frontend's tree.
func (s *Server) serveFrontend(c *gin.Context) {
	p := c.Request.URL.Path
	if isAPIPath(p) || s.frontend == nil {
		s.writeError(c, geotag.Errorf(geotag.ENOTFOUND, "no such resource: %s", p))
		return
	}
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		c.Header("Allow", "GET, HEAD")
		s.writeError(c, geotag.Errorf(errMethod, "method %s is not allowed here", c.Request.Method))
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+p), "/")
	if name == "" {
		name = "."
	}
	if !fs.ValidPath(name) {
		s.writeError(c, geotag.Errorf(geotag.ENOTFOUND, "no such file: %s", p))
		return
	}
	fi, err := fs.Stat(s.frontend, name)
	if err == nil && fi.IsDir() {
		name = path.Join(name, "index.html")
		fi, err = fs.Stat(s.frontend, name)
	}
	if err != nil || fi.IsDir() {
		s.writeError(c, geotag.Errorf(geotag.ENOTFOUND, "no such file: %s", p))
		return
	}
	f, err := s.frontend.Open(name)
	if err != nil {
		s.writeError(c, geotag.Errorf(geotag.ENOTFOUND, "no such file: %s", p))
		return
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		b, err := io.ReadAll(f)
		if err != nil {
			s.writeError(c, err)
			return
		}
		rs = bytes.NewReader(b)
	}
	if strings.HasSuffix(name, ".html") {
		c.Header("Cache-Control", "no-cache")
	}
	// ServeContent sets Content-Type from the extension and answers
	// conditional and range requests.
	http.ServeContent(c.Writer, c.Request, path.Base(name), fi.ModTime(), rs)
}

// isAPIPath reports whether p belongs to the API rather than the page.
func isAPIPath(p string) bool {
	if p == "/metrics" || p == "/healthz" || p == "/readyz" {
		return true
	}
	for _, pre := range []string{"/api/", "/ogc/"} {
		if strings.HasPrefix(p, pre) || p == strings.TrimSuffix(pre, "/") {
			return true
		}
	}
	return false
}
