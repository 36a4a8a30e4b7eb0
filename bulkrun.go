package geotag

import (
	"context"
	"errors"
	"time"
)

// Bulk limits: the defaults of BulkRunner's fields.
const (
	DefaultBulkBatch      = 100     // reports written per transaction
	DefaultMaxBulkReports = 100_000 // reports one bulk correction may change
)

// bulkAttempts is how often a bulk correction re-reads and corrects again
// a report that another client changed between its read and its write.
const bulkAttempts = 3

// ReportBatchUpdater is a ReportService that can change several reports
// in one write transaction. The bulk corrections use it to hold the
// store's write lock for one small batch at a time.
type ReportBatchUpdater interface {
	// UpdateReports calls fn on each stored report of ids in one write
	// transaction and stores those fn returns true for, as UpdateReport
	// would (the store sets Updated and checks its limits: a report that
	// fails them is left as it was). fn must only compare and copy: the
	// work is done before. It returns the ids stored, in the order of
	// ids; ids no report has are passed over. On the store's own error
	// nothing is stored.
	UpdateReports(ctx context.Context, ids []string, fn func(*Report) bool) ([]string, error)
}

// BulkProgress is how far a bulk correction (or its undo) got: Total
// reports to look at, Done looked at, Changed changed, Skipped left alone
// (changed meanwhile, or, for an undo, changed since the bulk).
type BulkProgress struct {
	Total   int `json:"total"`
	Done    int `json:"done"`
	Changed int `json:"changed"`
	Skipped int `json:"skipped"`
}

// BulkRunner finds and changes the reports of a bulk correction, a batch
// at a time: each batch is read and corrected outside any transaction,
// then written in one (ReportBatchUpdater) or one report at a time, only
// where the stored report is still the version read.
type BulkRunner struct {
	Reports   ReportService
	Corrector Corrector
	Batch     int // reports per write transaction; 0: DefaultBulkBatch
	Max       int // most reports one bulk may touch; 0: DefaultMaxBulkReports
}

// Find returns the ids of the reports matching f where b applies, and
// the number of mentions it would change, walking only the reports the
// store's place index lists for b.PlaceID. It returns EUNPROCESSABLE when
// more than Max reports match (narrow the filter), EINVALID for an invalid
// filter, and ctx's error when ctx ends first.
func (br BulkRunner) Find(ctx context.Context, b BulkCorrection, f ReportFilter) (ids []string, mentions int, err error) {
	if f.PlaceID != 0 && f.PlaceID != b.PlaceID {
		return nil, 0, nil // the filter's place is another: nothing matches both
	}
	f.PlaceID, f.Limit, f.Cursor = b.PlaceID, 0, ""
	limit := br.Max
	if limit <= 0 {
		limit = DefaultMaxBulkReports
	}
	err = br.Reports.EachReport(ctx, f, func(r *Report) error {
		n := len(b.Mentions(r))
		if n == 0 {
			return nil
		}
		if len(ids) == limit {
			return FieldErrorf(EUNPROCESSABLE, "filter", "more than %d reports match; narrow the filter", limit)
		}
		ids = append(ids, r.ID)
		mentions += n
		return ctx.Err()
	})
	return ids, mentions, err
}

// Apply makes b, with the bulk id, to the reports of ids, calling
// progress after each batch. It returns the ids changed; the error is
// ctx's or the store's (the batches before it stay written).
func (br BulkRunner) Apply(ctx context.Context, ids []string, b BulkCorrection, id string, progress func(BulkProgress)) ([]string, error) {
	return br.run(ctx, ids, progress, func(r *Report) (bool, error) {
		revs, err := br.Corrector.CorrectBulk(r, b, id)
		if err != nil || len(revs) == 0 {
			return false, err
		}
		r.History = append(r.History, revs...)
		return true, nil
	})
}

// Undo reverts the bulk correction id on the reports of ids where it is
// still the latest change, recording the undo under undoID; the others
// are skipped and counted.
func (br BulkRunner) Undo(ctx context.Context, ids []string, id, undoID string, progress func(BulkProgress)) ([]string, error) {
	k := br.Corrector
	return br.run(ctx, ids, progress, func(r *Report) (bool, error) {
		revs, ok := UndoBulk(r, id, undoID, k.By, k.Now().UTC())
		if ok {
			r.History = append(r.History, revs...)
		}
		return ok, nil
	})
}

// run changes the reports of ids a batch at a time with change (false:
// leave the report alone; an error of change ends the run).
func (br BulkRunner) run(ctx context.Context, ids []string, progress func(BulkProgress), change func(*Report) (bool, error)) ([]string, error) {
	n := br.Batch
	if n <= 0 {
		n = DefaultBulkBatch
	}
	p := BulkProgress{Total: len(ids)}
	var changed []string
	for start := 0; start < len(ids); start += n {
		batch := ids[start:min(start+n, len(ids))]
		done, skipped, err := br.batch(ctx, batch, change)
		changed = append(changed, done...)
		p.Done += len(batch)
		p.Changed += len(done)
		p.Skipped += skipped
		if progress != nil {
			progress(p)
		}
		if err != nil {
			return changed, err
		}
	}
	return changed, nil
}

// batch changes one batch: read and change each report, write those
// still at the version read, and try the others again on a fresh read.
func (br BulkRunner) batch(ctx context.Context, ids []string, change func(*Report) (bool, error)) (stored []string, skipped int, err error) {
	todo := ids
	for attempt := 0; attempt < bulkAttempts && len(todo) > 0; attempt++ {
		if err := ctx.Err(); err != nil {
			return stored, skipped, err
		}
		next := map[string]*Report{}
		read := map[string]reportVersion{}
		var order []string
		for _, id := range todo {
			r, err := br.Reports.FindReportByID(ctx, id)
			if ErrorCode(err) == ENOTFOUND {
				skipped++
				continue
			} else if err != nil {
				return stored, skipped, err
			}
			read[id] = versionOf(r)
			ok, err := change(r)
			if err != nil {
				return stored, skipped, err
			}
			if !ok {
				skipped++
				continue
			}
			r.Updated = br.Corrector.Now().UTC()
			next[id] = r
			order = append(order, id)
		}
		done, err := br.write(ctx, order, read, next)
		stored = append(stored, done...)
		if err != nil {
			return stored, skipped, err
		}
		todo = missing(order, done)
	}
	return stored, skipped + len(todo), nil
}

// write stores the changed reports that are still at the version read.
func (br BulkRunner) write(ctx context.Context, ids []string, read map[string]reportVersion, next map[string]*Report) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	swap := func(r *Report) bool {
		if versionOf(r) != read[r.ID] {
			return false
		}
		*r = *next[r.ID]
		return true
	}
	if bu, ok := br.Reports.(ReportBatchUpdater); ok {
		return bu.UpdateReports(ctx, ids, swap)
	}
	var done []string
	for _, id := range ids {
		_, err := br.Reports.UpdateReport(ctx, id, func(r *Report) error {
			if !swap(r) {
				return errStaleBulk
			}
			return nil
		})
		switch {
		case err == nil:
			done = append(done, id)
		case errors.Is(err, errStaleBulk) || ErrorCode(err) == ENOTFOUND || ErrorCode(err) == EUNPROCESSABLE || ErrorCode(err) == EINVALID:
		default:
			return done, err
		}
	}
	return done, nil
}

var errStaleBulk = Errorf(ECONFLICT, "the report changed meanwhile")

// missing returns the ids of all not in done (done is in the order of all).
func missing(all, done []string) []string {
	var out []string
	j := 0
	for _, id := range all {
		if j < len(done) && done[j] == id {
			j++
			continue
		}
		out = append(out, id)
	}
	return out
}

// reportVersion tells two versions of a stored report apart: every write
// sets Updated (to the nanosecond) and a correction or edit adds a
// revision.
type reportVersion struct {
	updated   int64
	revisions int
	mentions  int
	text      string
	status    string
}

func versionOf(r *Report) reportVersion {
	return reportVersion{updated: r.Updated.UnixNano(), revisions: len(r.History), mentions: len(r.Mentions), text: r.Text, status: r.Status}
}

// BulkRecord is what is kept of a finished bulk correction or undo, so
// that its undo outlives a restart: Changed lists the reports it changed.
type BulkRecord struct {
	ID         string         `json:"id"`
	Kind       string         `json:"kind"` // "correction" or "undo"
	By         string         `json:"by,omitempty"`
	Correction BulkCorrection `json:"correction"`
	Progress   BulkProgress   `json:"progress"`
	Changed    []string       `json:"changed"`
	Undoes     string         `json:"undoes,omitempty"`
	UndoneBy   string         `json:"undone_by,omitempty"`
	Finished   time.Time      `json:"finished"`
}

// BulkLog keeps the finished bulk corrections.
type BulkLog interface {
	// SaveBulk stores (or replaces) the record of its ID.
	SaveBulk(ctx context.Context, b BulkRecord) error
	// FindBulk returns ENOTFOUND when no record has the id.
	FindBulk(ctx context.Context, id string) (BulkRecord, error)
}
