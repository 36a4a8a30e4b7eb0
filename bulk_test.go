package geotag_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// batchReports is a ReportService with batch updates that records the
// filters walked and the batches written; before the first batch it lets
// another writer change one report, as a concurrent client would.
type batchReports struct {
	geotag.ReportService // the methods a bulk does not use
	mu                   sync.Mutex
	rs                   map[string]*geotag.Report
	order                []string
	filters              []geotag.ReportFilter
	batches              []int
	meddle               func(rs map[string]*geotag.Report)
}

func copyReport(r *geotag.Report) *geotag.Report {
	c := *r
	c.Mentions = nil
	for _, m := range r.Mentions {
		mm := m
		if m.Place != nil {
			p := *m.Place
			mm.Place = &p
		}
		mm.Alternatives = slices.Clone(m.Alternatives)
		c.Mentions = append(c.Mentions, mm)
	}
	c.History = slices.Clone(r.History)
	return &c
}

func (b *batchReports) EachReport(ctx context.Context, f geotag.ReportFilter, fn func(*geotag.Report) error) error {
	b.mu.Lock()
	b.filters = append(b.filters, f)
	var out []*geotag.Report
	for _, id := range b.order {
		r := b.rs[id]
		if slices.ContainsFunc(r.Mentions, func(m geotag.Mention) bool { return m.Place != nil && m.Place.ID == f.PlaceID }) {
			out = append(out, copyReport(r))
		}
	}
	b.mu.Unlock()
	for _, r := range out {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func (b *batchReports) FindReportByID(ctx context.Context, id string) (*geotag.Report, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	r, ok := b.rs[id]
	if !ok {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "no %s", id)
	}
	return copyReport(r), nil
}

func (b *batchReports) UpdateReports(ctx context.Context, ids []string, fn func(*geotag.Report) bool) ([]string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.meddle != nil {
		b.meddle(b.rs)
		b.meddle = nil
	}
	b.batches = append(b.batches, len(ids))
	var done []string
	for _, id := range ids {
		r := copyReport(b.rs[id])
		if fn(r) {
			r.Updated = time.Now()
			b.rs[id] = r
			done = append(done, id)
		}
	}
	return done, nil
}

func TestBulkRunnerBatchesAndRetries(t *testing.T) {
	b := &batchReports{rs: map[string]*geotag.Report{}}
	for i := range 250 {
		m := at(townP, 0.5)
		m.Start, m.End = 0, 11
		alt := at(countryP, 0.2)
		if i == 7 {
			m.Manual = true // corrected by hand: never changed
		}
		id := fmt.Sprintf("r%03d", i)
		b.rs[id] = &geotag.Report{ID: id, Text: "Harbourtown", Mentions: []geotag.Mention{m, alt}, Updated: time.Unix(int64(i), 0)}
		b.order = append(b.order, id)
	}
	bc := geotag.BulkCorrection{Words: "harbourtown", PlaceID: townP.ID, Action: geotag.ActionPick, To: districtP.ID}
	run := geotag.BulkRunner{Reports: b, Corrector: corrector()}
	ids, mentions, err := run.Find(t.Context(), bc, geotag.ReportFilter{Tag: "x"})
	if err != nil || len(ids) != 249 || mentions != 249 {
		t.Fatalf("Find: %v, %d reports, %d mentions", err, len(ids), mentions)
	}
	if f := b.filters[0]; f.PlaceID != townP.ID || f.Tag != "x" {
		t.Errorf("Find walked %+v, not the place's index entries", f)
	}
	// Another writer changes r000 between the bulk's read and its write:
	// the bulk reads it again and corrects the newer version.
	b.meddle = func(rs map[string]*geotag.Report) {
		rs["r000"].Status = geotag.StatusReviewed
		rs["r000"].Updated = time.Unix(9999, 0)
	}
	var seen []geotag.BulkProgress
	changed, err := run.Apply(t.Context(), ids, bc, "b1", func(p geotag.BulkProgress) { seen = append(seen, p) })
	if err != nil || len(changed) != 249 {
		t.Fatalf("Apply: %v, %d changed", err, len(changed))
	}
	if !slices.Equal(b.batches, []int{100, 1, 100, 49}) {
		t.Errorf("batches written: %v, want 100 (one stale), its retry, 100, 49", b.batches)
	}
	if len(seen) != 3 || seen[2] != (geotag.BulkProgress{Total: 249, Done: 249, Changed: 249}) {
		t.Errorf("progress: %+v", seen)
	}
	r0 := b.rs["r000"]
	if r0.Status != geotag.StatusReviewed || r0.Mentions[0].Place.ID != districtP.ID || r0.History[len(r0.History)-1].Bulk != "b1" {
		t.Errorf("the report changed meanwhile: %+v", r0)
	}
	if b.rs["r007"].Mentions[0].Place.ID != townP.ID {
		t.Error("a manual correction was overwritten")
	}
	undone, err := run.Undo(t.Context(), changed, "b1", "u1", nil)
	if err != nil || len(undone) != 249 || b.rs["r100"].Mentions[0].Place.ID != townP.ID {
		t.Fatalf("Undo: %v, %d", err, len(undone))
	}
}
