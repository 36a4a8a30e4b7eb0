package server

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzhttp"

	"github.com/geotag/geotag"
)

// snapshotter is implemented by stores that can copy themselves while
// serving (store.DB.WriteBackup): in one read transaction, start gets the
// copy's exact size, then the copy is written to the writer start returns.
// It must end, with an error, when a write fails or ctx is done.
type snapshotter interface {
	WriteBackup(ctx context.Context, start func(size int64) (io.Writer, error)) (int64, error)
}

// routeBackup registers GET path (/api/v1/backup), for admin tokens, when
// the server checks tokens and its store is a snapshotter. Without a
// TokenService every request would pass authorize, so the route does not
// exist (404) rather than hand the whole store, token hashes included, to
// anyone; nor does it for a store that cannot copy itself.
func (s *Server) routeBackup(api *gin.RouterGroup, path string, admin gin.HandlerFunc) {
	snap, ok := s.reports.(snapshotter)
	if s.tokens == nil || !ok {
		return
	}
	turn := make(chan struct{}, 1) // one backup at a time
	api.GET(path, admin, func(c *gin.Context) { s.backup(c, snap, turn) })
}

// backupIdle is how long a backup waits on a client that takes no bytes
// before the connection is cut and the store's read transaction ends.
const backupIdle = 2 * time.Minute

// backup streams a consistent snapshot of the store as a download: a
// bbolt file that "geotag verify --file" checks and that replaces
// DATA/geotag.db to restore. Content-Length is the snapshot's exact size,
// so a download cut short (client gone, server stopped, store error
// mid-copy: the server then closes the connection) is detectably short;
// the body is never gzipped, whatever Accept-Encoding says. A second
// backup while one runs gets 503 with Retry-After. A failure before the
// first byte is answered as a problem (500).
//
// The snapshot is one read transaction that lasts as long as the download
// (see store.DB.WriteBackup): a write that must grow the store's memory map
// waits until it ends, and every request after that write waits with it.
// A client that takes no bytes for backupIdle is cut off.
func (s *Server) backup(c *gin.Context, snap snapshotter, turn chan struct{}) {
	select {
	case turn <- struct{}{}:
		defer func() { <-turn }()
	default:
		c.Header("Retry-After", "60")
		s.writeError(c, geotag.Errorf(geotag.EUNAVAILABLE, "another backup is running; try again when it ends"))
		return
	}
	// Never gzipped: the body must carry the snapshot's exact size, which
	// the client checks, and the file is stored as sent.
	c.Header(gzhttp.HeaderNoCompression, "1")
	started := time.Now()
	var size int64 = -1
	n, err := snap.WriteBackup(c.Request.Context(), func(sz int64) (io.Writer, error) {
		size = sz
		name := "geotag-" + s.now().UTC().Format("20060102T150405Z") + ".db"
		h := c.Writer.Header()
		h.Set("Content-Type", "application/octet-stream")
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
		h.Set("Content-Length", strconv.FormatInt(sz, 10))
		h.Set("Cache-Control", "no-store")
		c.Status(http.StatusOK)
		return &idleWriter{w: c.Writer, rc: http.NewResponseController(c.Writer)}, nil
	})
	switch {
	case err != nil && size < 0:
		s.writeError(c, err)
	case err != nil:
		s.logger.Warn("backup cut short", "bytes", n, "size", size, "err", err, "by", whoOrNone(c))
	default:
		s.logger.Info("backup", "bytes", n, "duration", time.Since(started).Round(time.Millisecond), "by", whoOrNone(c))
	}
}

// idleWriter pushes the connection's write deadline backupIdle ahead at
// most once a second while bytes flow, so that only a stalled client is cut
// off, whatever the server's WriteTimeout.
type idleWriter struct {
	w    io.Writer
	rc   *http.ResponseController
	last time.Time
}

func (w *idleWriter) Write(p []byte) (int, error) {
	if now := time.Now(); now.Sub(w.last) >= time.Second {
		w.rc.SetWriteDeadline(now.Add(backupIdle))
		w.last = now
	}
	return w.w.Write(p)
}
