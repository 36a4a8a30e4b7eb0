package server

import (
	"compress/gzip"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzhttp"
)

// newGzip returns the compression of API answers: gzhttp from
// klauspost/compress (already a dependency, for its gzip), which reads
// Accept-Encoding's q-values properly ("gzip;q=0" and "gzip;q=0.0" refuse
// it). Gzip only, at BestSpeed, from the first byte and whatever the
// content type, as the answers were compressed before.
func newGzip() func(http.Handler) http.HandlerFunc {
	wrap, err := gzhttp.NewWrapper(gzhttp.EnableZstd(false), gzhttp.CompressionLevel(gzip.BestSpeed),
		gzhttp.MinSize(0), gzhttp.ContentTypeFilter(gzhttp.CompressAllContentTypeFilter))
	if err != nil {
		panic(err) // the options are constants
	}
	return wrap
}

// compress gzips API answers for clients that accept it: GeoJSON lists
// and exports shrink about tenfold. The page's files are left to
// http.ServeContent, which answers ranges. A handler sets the header
// gzhttp.HeaderNoCompression for an answer that must go as it is (the
// backup). When a handler panics once its answer has begun, the gzip
// stream is left unterminated, so that a cut-off answer never looks
// complete, and recovery is left to answer.
func (s *Server) compress(c *gin.Context) {
	if c.Request.Method == http.MethodHead || !isAPIPath(c.Request.URL.Path) {
		c.Next()
		return
	}
	orig := c.Writer
	out := &cutWriter{ResponseWriter: orig}
	var panicked any
	s.gzip(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				panicked, out.cut = v, true
			}
		}()
		c.Writer = &gzipWriter{ResponseWriter: orig, gz: w}
		c.Next()
	})).ServeHTTP(out, c.Request)
	c.Writer = orig
	if panicked != nil {
		panic(panicked)
	}
}

// gzipWriter is what handlers write to: the body goes through gzhttp's
// writer, the rest to gin's.
type gzipWriter struct {
	gin.ResponseWriter
	gz http.ResponseWriter
}

func (w *gzipWriter) WriteHeader(code int) {
	w.ResponseWriter.WriteHeader(code) // for Status()
	w.gz.WriteHeader(code)
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	n, err := w.gz.Write(b)
	w.ResponseWriter.WriteHeaderNow() // the headers are final: the answer has begun
	return n, err
}

func (w *gzipWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

func (w *gzipWriter) Flush() { w.gz.(http.Flusher).Flush() }

// Unwrap lets http.ResponseController reach the connection.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.gz }

// cutWriter is gin's writer as gzhttp sees it; once cut, it drops what
// gzhttp writes (the end of the gzip stream).
type cutWriter struct {
	gin.ResponseWriter
	cut bool
}

func (w *cutWriter) Write(b []byte) (int, error) {
	if w.cut {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *cutWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
