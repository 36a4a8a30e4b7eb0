package feed

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// oneIncident is a geotag.IncidentService holding one incident, for the
// poller's follow-up of a revised report.
type oneIncident struct {
	mu  sync.Mutex
	inc geotag.Incident
}

func (o *oneIncident) CreateIncident(context.Context, *geotag.Incident) error {
	return geotag.Errorf(geotag.EINVALID, "not in this test")
}

func (o *oneIncident) FindIncidentByID(_ context.Context, id string) (*geotag.Incident, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if id != o.inc.ID {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "no incident %s", id)
	}
	c := o.inc
	c.Sources, c.History = slices.Clone(o.inc.Sources), slices.Clone(o.inc.History)
	return &c, nil
}

func (o *oneIncident) UpdateIncident(ctx context.Context, id string, fn func(*geotag.Incident) error) (*geotag.Incident, error) {
	c, err := o.FindIncidentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := fn(c); err != nil {
		return nil, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	c.Version++
	o.inc = *c
	return c, nil
}

func (o *oneIncident) DeleteIncident(context.Context, string) error { return nil }

func (o *oneIncident) IncidentOf(_ context.Context, reportID string) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if slices.Contains(o.inc.Sources, reportID) {
		return o.inc.ID, nil
	}
	return "", nil
}

func (o *oneIncident) FindIncidents(context.Context, geotag.ReportFilter) (geotag.IncidentPage, error) {
	return geotag.IncidentPage{}, nil
}

// TestFeedRevisionUpdatesIncident: a feed item's edit that revises its
// report derives the figures of the report's incident again, recorded as
// the feed's source_edited revision.
func TestFeedRevisionUpdatesIncident(t *testing.T) {
	s := &feedServer{body: rssDoc, ctype: "application/rss+xml"}
	ts := httptest.NewServer(s)
	defer ts.Close()
	e := newEnv(t, nil)
	incs := &oneIncident{}
	e.p.cfg.Incidents = incs
	f := e.add(t, geotag.Feed{URL: ts.URL})
	e.pollOnce(t, f.ID)
	a1 := e.reports.byExternal("https://wire.example/a1")
	incs.inc = geotag.Incident{ID: "inc1", Sources: []string{a1.ID}, Version: 1,
		History: []geotag.IncidentRevision{{Action: "create"}}} // figures as if derived before the report had a place
	s.set(strings.Replace(rssDoc, "districts of Aleppo.", "districts of Aleppo and Homs.", 1))
	e.now = e.now.Add(6 * time.Minute)
	if got := e.pollOnce(t, f.ID); got.Status.ItemsUpdated != 1 {
		t.Fatalf("status %+v", got.Status)
	}
	inc, _ := incs.FindIncidentByID(context.Background(), "inc1")
	last := inc.History[len(inc.History)-1]
	if inc.Version != 2 || last.Action != geotag.ActionSourceEdited || last.Report != a1.ID || last.By != "feed "+f.ID ||
		inc.Figures.Location == nil || inc.Figures.LocationRule != geotag.RuleMostPrecise {
		t.Errorf("incident after the revision: %+v", inc)
	}
}
