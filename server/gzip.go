package server

import (
	"compress/gzip"
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

// newGzipPool returns a pool of compressors, which are large to allocate.
func newGzipPool() *sync.Pool {
	return &sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
		return w
	}}
}

// compress gzips API answers for clients that accept it: GeoJSON lists
// and exports shrink about tenfold. The page's files are left to
// http.ServeContent, which answers ranges.
func (s *Server) compress(c *gin.Context) {
	if c.Request.Method == http.MethodHead || !isAPIPath(c.Request.URL.Path) || !acceptsGzip(c.GetHeader("Accept-Encoding")) {
		c.Next()
		return
	}
	c.Header("Vary", "Accept-Encoding")
	gw := &gzipWriter{ResponseWriter: c.Writer, pool: s.gzips}
	c.Writer = gw
	defer func() {
		if v := recover(); v != nil {
			// Leave the stream unterminated, so that a cut-off answer
			// never looks complete, and let recovery answer.
			c.Writer = gw.ResponseWriter
			panic(v)
		}
		gw.close()
	}()
	c.Next()
}

func acceptsGzip(h string) bool {
	for _, part := range strings.Split(h, ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			return !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") || strings.Contains(params, "q=0.")
		}
	}
	return false
}

// gzipWriter compresses the body once the status allows one.
type gzipWriter struct {
	gin.ResponseWriter
	gz      *gzip.Writer
	pool    *sync.Pool
	decided bool
}

func (w *gzipWriter) decide() {
	if w.decided {
		return
	}
	w.decided = true
	st := w.ResponseWriter.Status()
	h := w.ResponseWriter.Header()
	if st == http.StatusNoContent || st == http.StatusNotModified || st < 200 || h.Get("Content-Encoding") != "" {
		return
	}
	h.Del("Content-Length")
	h.Set("Content-Encoding", "gzip")
	w.gz = w.pool.Get().(*gzip.Writer)
	w.gz.Reset(w.ResponseWriter)
}

func (w *gzipWriter) WriteHeader(code int) {
	w.ResponseWriter.WriteHeader(code)
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	w.decide()
	if w.gz == nil {
		return w.ResponseWriter.Write(b)
	}
	w.ResponseWriter.WriteHeaderNow()
	return w.gz.Write(b)
}

func (w *gzipWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

func (w *gzipWriter) Flush() {
	if w.gz != nil {
		w.gz.Flush()
	}
	w.ResponseWriter.Flush()
}

// Unwrap lets http.ResponseController reach the connection.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *gzipWriter) close() {
	if w.gz != nil {
		w.gz.Close()
		w.pool.Put(w.gz)
		w.gz = nil
	}
}
