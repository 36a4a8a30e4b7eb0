package server

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"sync"

	"github.com/geotag/geotag"
)

// memIncidents is an in-memory geotag.IncidentService over memReports,
// for handler tests: the contract the store keeps, in a map.
type memIncidents struct {
	mu       sync.Mutex
	reports  *memReports
	byID     map[string]*geotag.Incident
	ofReport map[string]string
	seq      int
}

func newMemIncidents(reports *memReports) *memIncidents {
	return &memIncidents{reports: reports, byID: map[string]*geotag.Incident{}, ofReport: map[string]string{}}
}

// link checks and moves the report links from old to sources.
func (m *memIncidents) link(id string, old, sources []string) error {
	for _, r := range sources {
		if slices.Contains(old, r) {
			continue
		}
		if other := m.ofReport[r]; other != "" && other != id {
			return geotag.Errorf(geotag.ECONFLICT, "report %s is a source of incident %s already", r, other)
		}
		if _, err := m.reports.FindReportByID(context.Background(), r); err != nil {
			return err
		}
	}
	for _, r := range old {
		delete(m.ofReport, r)
	}
	for _, r := range sources {
		m.ofReport[r] = id
	}
	return nil
}

func (m *memIncidents) CreateIncident(ctx context.Context, inc *geotag.Incident) error {
	if err := inc.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq++
	id := "inc" + strconv.Itoa(m.seq)
	if err := m.link(id, nil, inc.Sources); err != nil {
		return err
	}
	inc.ID, inc.Version = id, 1
	m.byID[id] = inc.Clone()
	return nil
}

func (m *memIncidents) FindIncidentByID(ctx context.Context, id string) (*geotag.Incident, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	inc := m.byID[id]
	if inc == nil {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "incident %q not found", id)
	}
	return inc.Clone(), nil
}

func (m *memIncidents) UpdateIncident(ctx context.Context, id string, fn func(*geotag.Incident) error) (*geotag.Incident, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.byID[id]
	if old == nil {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "incident %q not found", id)
	}
	c := old.Clone()
	if err := fn(c); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := m.link(id, old.Sources, c.Sources); err != nil {
		return nil, err
	}
	c.Version = old.Version + 1
	m.byID[id] = c.Clone()
	return c, nil
}

func (m *memIncidents) DeleteIncident(ctx context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := m.byID[id]
	if old == nil {
		return geotag.Errorf(geotag.ENOTFOUND, "incident %q not found", id)
	}
	for _, r := range old.Sources {
		delete(m.ofReport, r)
	}
	delete(m.byID, id)
	return nil
}

func (m *memIncidents) IncidentOf(ctx context.Context, reportID string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ofReport[reportID], nil
}

// FindIncidents sorts every match newest first; the cursor is an offset.
func (m *memIncidents) FindIncidents(ctx context.Context, f geotag.ReportFilter) (geotag.IncidentPage, error) {
	if err := geotag.CheckIncidentFilter(f); err != nil {
		return geotag.IncidentPage{}, err
	}
	m.mu.Lock()
	var all []*geotag.Incident
	for _, inc := range m.byID {
		if inc.Matches(f) {
			all = append(all, inc.Clone())
		}
	}
	m.mu.Unlock()
	slices.SortFunc(all, func(a, b *geotag.Incident) int { return b.Figures.Time.Compare(a.Figures.Time) })
	start := 0
	if f.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(f.Cursor)
		if err == nil {
			start, err = strconv.Atoi(string(b))
		}
		if err != nil {
			return geotag.IncidentPage{}, geotag.FieldErrorf(geotag.EINVALID, "cursor", "malformed cursor")
		}
	}
	limit := f.Limit
	if limit == 0 {
		limit = 100
	}
	end := min(len(all), start+limit)
	p := geotag.IncidentPage{Incidents: all[min(start, end):end]}
	if end < len(all) {
		p.Next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	return p, nil
}
