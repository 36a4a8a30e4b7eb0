package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// Bulk jobs: a bulk correction (or its undo) runs in the background, a
// batch of reports per write transaction, and the page polls its job.
const (
	defaultBulkJobs = 2  // bulk jobs running at once by default; more answer 503
	keptBulkJobs    = 64 // finished jobs remembered (their undo needs them)
)

// bulkJob is one bulk correction or undo, as GET
// /api/v1/corrections/bulk/{id} answers it.
type bulkJob struct {
	ID         string                `json:"id"`
	Kind       string                `json:"kind"` // "correction" or "undo"
	State      string                `json:"state"`
	By         string                `json:"by,omitempty"`
	Correction geotag.BulkCorrection `json:"correction"`
	Mentions   int                   `json:"mentions"`
	Progress   geotag.BulkProgress   `json:"progress"`
	Error      string                `json:"error,omitempty"`
	UndoneBy   string                `json:"undone_by,omitempty"` // the undo job, once one ran
	Undoes     string                `json:"undoes,omitempty"`    // the job an undo reverts
	Started    time.Time             `json:"started"`
	Finished   *time.Time            `json:"finished,omitempty"`

	changed []string // the reports changed, for the undo
}

// Job states.
const (
	jobRunning = "running"
	jobDone    = "done"
	jobFailed  = "failed"
)

// bulkJobs holds the running and the recently finished jobs.
type bulkJobs struct {
	mu      sync.Mutex
	jobs    map[string]*bulkJob
	order   []string // oldest first
	running int
	seq     int64
	max     int // jobs running at once
}

// start registers a new job, or returns false when max jobs run.
func (b *bulkJobs) start(j *bulkJob) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.running >= b.max {
		return false
	}
	if b.jobs == nil {
		b.jobs = map[string]*bulkJob{}
	}
	b.running++
	b.jobs[j.ID] = j
	b.order = append(b.order, j.ID)
	for i := 0; len(b.order) > keptBulkJobs && i < len(b.order); i++ {
		if old := b.jobs[b.order[i]]; old.State != jobRunning {
			delete(b.jobs, old.ID)
			b.order = append(b.order[:i], b.order[i+1:]...)
			i--
		}
	}
	return true
}

// remember keeps a finished job read back from the bulk log.
func (b *bulkJobs) remember(j bulkJob) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.jobs == nil {
		b.jobs = map[string]*bulkJob{}
	}
	if _, ok := b.jobs[j.ID]; !ok {
		b.jobs[j.ID] = &j
		b.order = append([]string{j.ID}, b.order...) // the first to go
	}
}

// get returns a copy of the job, safe to encode.
func (b *bulkJobs) get(id string) (bulkJob, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	j, ok := b.jobs[id]
	if !ok {
		return bulkJob{}, false
	}
	return *j, true
}

// update changes a job under the lock.
func (b *bulkJobs) update(id string, fn func(j *bulkJob)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if j, ok := b.jobs[id]; ok {
		wasRunning := j.State == jobRunning
		fn(j)
		if wasRunning && j.State != jobRunning {
			b.running--
		}
	}
}

// bulkAnswer is the answer of a dry run.
type bulkAnswer struct {
	DryRun   bool `json:"dry_run"`
	Reports  int  `json:"reports"`
	Mentions int  `json:"mentions"`
}

// bulkCorrect counts (dry_run) or starts a bulk correction: 200 with the
// counts, or 202 with the job to poll.
func (s *Server) bulkCorrect(c *gin.Context) {
	var bc geotag.BulkCorrection
	if err := decodeJSON(c, &bc); err != nil {
		s.writeError(c, err)
		return
	}
	s.startBulk(c, bc)
}

// startBulk is bulkCorrect after decoding; a rule's re-tag calls it too.
func (s *Server) startBulk(c *gin.Context, bc geotag.BulkCorrection) {
	if err := bc.Validate(); err != nil {
		s.writeError(c, err)
		return
	}
	if _, ok := s.places.Place(bc.To); bc.Action == geotag.ActionPick && !ok {
		s.writeError(c, geotag.FieldErrorf(geotag.EUNPROCESSABLE, "to_place_id", "no place has id %d", bc.To))
		return
	}
	q, err := url.ParseQuery(strings.TrimPrefix(bc.Filter, "?"))
	if err != nil || len(bc.Filter) > 4096 {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "filter", "filter is a query string of at most 4096 bytes like bbox=…&tag=…"))
		return
	}
	f, err := parseFilter(q)
	if err != nil {
		s.writeError(c, err)
		return
	}
	release, ok := s.admitScan(c, true)
	if !ok {
		return
	}
	run := s.bulkRunner(who(c))
	ids, mentions, err := run.Find(c.Request.Context(), bc, f)
	release()
	if err != nil {
		s.writeError(c, err)
		return
	}
	if bc.DryRun {
		c.JSON(http.StatusOK, bulkAnswer{DryRun: true, Reports: len(ids), Mentions: mentions})
		return
	}
	j := &bulkJob{ID: s.newJobID(), Kind: "correction", State: jobRunning, By: who(c), Correction: bc, Mentions: mentions,
		Progress: geotag.BulkProgress{Total: len(ids)}, Started: s.now().UTC()}
	if !s.jobs.start(j) {
		c.Header("Retry-After", "5")
		s.writeError(c, geotag.Errorf(geotag.EUNAVAILABLE, "%d bulk corrections are running; retry when one is done", s.jobs.max))
		return
	}
	go s.runJob(j.ID, who(c), func(progress func(geotag.BulkProgress)) ([]string, error) {
		return run.Apply(context.Background(), ids, bc, j.ID, progress)
	})
	c.JSON(http.StatusAccepted, j)
}

// runJob runs a job's work and records its progress and outcome, once
// the incidents of the reports it changed follow them (by is its author).
func (s *Server) runJob(id, by string, work func(progress func(geotag.BulkProgress)) ([]string, error)) {
	changed, err := work(func(p geotag.BulkProgress) {
		s.jobs.update(id, func(j *bulkJob) { j.Progress = p })
	})
	s.sourcesEdited(changed, by)
	var done bulkJob
	s.jobs.update(id, func(j *bulkJob) {
		now := s.now().UTC()
		j.Finished, j.changed, j.State = &now, changed, jobDone
		if err != nil {
			j.State, j.Error = jobFailed, geotag.ErrorMessage(err)
			s.logger.Error("bulk job failed", "id", id, "err", err)
		}
		done = *j
	})
	s.saveJob(done)
}

// saveJob keeps a finished job in the bulk log, when there is one.
func (s *Server) saveJob(j bulkJob) {
	if s.bulks == nil || j.Finished == nil {
		return
	}
	rec := geotag.BulkRecord{ID: j.ID, Kind: j.Kind, By: j.By, Correction: j.Correction, Progress: j.Progress,
		Changed: j.changed, Undoes: j.Undoes, UndoneBy: j.UndoneBy, Finished: *j.Finished}
	if err := s.bulks.SaveBulk(context.Background(), rec); err != nil {
		s.logger.Error("bulk job not kept: its undo will not outlive a restart", "id", j.ID, "err", err)
	}
}

// findJob returns a job: running or recent, in memory, else from the bulk
// log (then remembered again).
func (s *Server) findJob(ctx context.Context, id string) (bulkJob, bool) {
	if j, ok := s.jobs.get(id); ok {
		return j, true
	}
	if s.bulks == nil {
		return bulkJob{}, false
	}
	rec, err := s.bulks.FindBulk(ctx, id)
	if err != nil {
		return bulkJob{}, false
	}
	fin := rec.Finished
	j := bulkJob{ID: rec.ID, Kind: rec.Kind, State: jobDone, By: rec.By, Correction: rec.Correction, Progress: rec.Progress,
		UndoneBy: rec.UndoneBy, Undoes: rec.Undoes, Started: fin, Finished: &fin, changed: rec.Changed}
	s.jobs.remember(j)
	return j, true
}

// getBulk answers a job's state and progress.
func (s *Server) getBulk(c *gin.Context) {
	j, ok := s.findJob(c.Request.Context(), c.Param("id"))
	if !ok {
		s.writeError(c, geotag.Errorf(geotag.ENOTFOUND, "no bulk correction has id %q", c.Param("id")))
		return
	}
	c.JSON(http.StatusOK, j)
}

// undoBulk starts the undo of a finished bulk correction: every report it
// changed whose latest change it still is gets reverted; the others are
// skipped and counted. 202 with the undo's job; 409 when the job is still
// running, is itself an undo, or was undone already.
func (s *Server) undoBulk(c *gin.Context) {
	j, ok := s.findJob(c.Request.Context(), c.Param("id"))
	switch {
	case !ok:
		s.writeError(c, geotag.Errorf(geotag.ENOTFOUND, "no bulk correction has id %q", c.Param("id")))
		return
	case j.Kind != "correction" || j.State == jobRunning || j.UndoneBy != "":
		s.writeError(c, geotag.Errorf(geotag.ECONFLICT, "bulk %s cannot be undone now (a %s, %s%s)", j.ID, j.Kind, j.State, map[bool]string{true: ", undone already"}[j.UndoneBy != ""]))
		return
	}
	u := &bulkJob{ID: s.newJobID(), Kind: "undo", State: jobRunning, By: who(c), Correction: j.Correction, Undoes: j.ID,
		Progress: geotag.BulkProgress{Total: len(j.changed)}, Started: s.now().UTC()}
	// Claim the undo under the lock: of two at once, one runs.
	var undone bulkJob
	s.jobs.update(j.ID, func(o *bulkJob) {
		if o.UndoneBy == "" {
			o.UndoneBy = u.ID
			undone = *o
		}
	})
	if undone.ID == "" {
		s.writeError(c, geotag.Errorf(geotag.ECONFLICT, "bulk %s is being undone or was undone already", j.ID))
		return
	}
	if !s.jobs.start(u) {
		s.jobs.update(j.ID, func(o *bulkJob) { o.UndoneBy = "" })
		c.Header("Retry-After", "5")
		s.writeError(c, geotag.Errorf(geotag.EUNAVAILABLE, "%d bulk corrections are running; retry when one is done", s.jobs.max))
		return
	}
	s.saveJob(undone)
	run := s.bulkRunner(who(c))
	go s.runJob(u.ID, who(c), func(progress func(geotag.BulkProgress)) ([]string, error) {
		return run.Undo(context.Background(), j.changed, j.ID, u.ID, progress)
	})
	c.JSON(http.StatusAccepted, u)
}

// bulkRunner runs bulk corrections for the author by.
func (s *Server) bulkRunner(by string) geotag.BulkRunner {
	return geotag.BulkRunner{Reports: s.reports, Corrector: s.corrector(by), Max: s.maxBulkReports}
}

// newJobID returns a new job id: "b" and the time in base 36, unique in
// this process.
func (s *Server) newJobID() string {
	s.jobs.mu.Lock()
	defer s.jobs.mu.Unlock()
	s.jobs.seq++
	return "b" + strconv.FormatInt(s.now().UnixMilli(), 36) + "-" + strconv.FormatInt(s.jobs.seq, 36)
}
