package server

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

// memReports is an in-memory geotag.ReportService for handler tests. Each
// method can be replaced by setting its func field.
type memReports struct {
	mu      sync.Mutex
	reports map[string]*geotag.Report
	seq     int
	now     func() time.Time

	totalCap      int // > 0: totals above it are given as it, capped, like the store's
	findReportsFn func(ctx context.Context, f geotag.ReportFilter) (geotag.ReportPage, error)
	eachFn        func(ctx context.Context, f geotag.ReportFilter, fn func(*geotag.Report) error) error
}

func newMemReports() *memReports {
	return &memReports{reports: map[string]*geotag.Report{}, now: time.Now}
}

// clone deep-copies r as a store would by encoding it.
func clone(r *geotag.Report) *geotag.Report {
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	var c geotag.Report
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	return &c
}

func (m *memReports) CreateReport(ctx context.Context, r *geotag.Report) error {
	if err := r.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if r.ExternalID != "" {
		for _, o := range m.reports {
			if o.ExternalID == r.ExternalID {
				*r = *clone(o)
				return geotag.Errorf(geotag.ECONFLICT, "external id %q is stored", r.ExternalID)
			}
		}
	}
	m.seq++
	r.ID = "r" + strconv.Itoa(m.seq)
	r.Created, r.Updated = m.now().UTC(), m.now().UTC()
	m.reports[r.ID] = clone(r)
	return nil
}

func (m *memReports) FindReportByID(ctx context.Context, id string) (*geotag.Report, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.reports[id]
	if !ok {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "no report has id %q", id)
	}
	return clone(r), nil
}

func (m *memReports) UpdateReport(ctx context.Context, id string, fn func(*geotag.Report) error) (*geotag.Report, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.reports[id]
	if !ok {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "no report has id %q", id)
	}
	c := clone(r)
	if err := fn(c); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c.ID = id
	m.reports[id] = clone(c)
	return c, nil
}

func (m *memReports) DeleteReport(ctx context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.reports[id]; !ok {
		return geotag.Errorf(geotag.ENOTFOUND, "no report has id %q", id)
	}
	delete(m.reports, id)
	return nil
}

func (m *memReports) matching(f geotag.ReportFilter) []*geotag.Report {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*geotag.Report
	for _, r := range m.reports {
		if f.Match(r) {
			out = append(out, clone(r))
		}
	}
	slices.SortFunc(out, func(a, b *geotag.Report) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out
}

func (m *memReports) FindReports(ctx context.Context, f geotag.ReportFilter) (geotag.ReportPage, error) {
	if m.findReportsFn != nil {
		return m.findReportsFn(ctx, f)
	}
	all := m.matching(f)
	start := 0
	if f.Cursor != "" {
		n, err := strconv.Atoi(f.Cursor)
		if err != nil {
			return geotag.ReportPage{}, geotag.FieldErrorf(geotag.EINVALID, "cursor", "bad cursor")
		}
		start = min(n, len(all))
	}
	limit := f.Limit
	if limit == 0 {
		limit = 100
	}
	end := min(start+limit, len(all))
	p := geotag.ReportPage{Reports: all[start:end], Total: len(all)}
	if m.totalCap > 0 && p.Total > m.totalCap {
		p.Total, p.TotalCapped = m.totalCap, true
	}
	if end < len(all) {
		p.Next = strconv.Itoa(end)
	}
	return p, nil
}

func (m *memReports) EachReport(ctx context.Context, f geotag.ReportFilter, fn func(*geotag.Report) error) error {
	if m.eachFn != nil {
		return m.eachFn(ctx, f, fn)
	}
	for _, r := range m.matching(f) {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func (m *memReports) Cells(ctx context.Context, f geotag.ReportFilter, zoom int) ([]geotag.Cell, error) {
	cells := map[[2]int]*geotag.Cell{}
	size := 360.0 / float64(int(1)<<zoom)
	var keys [][2]int
	for _, r := range m.matching(f) {
		if r.Location == nil {
			continue
		}
		k := [2]int{int(r.Location.Lat / size), int(r.Location.Lon / size)}
		c := cells[k]
		if c == nil {
			c = &geotag.Cell{}
			cells[k] = c
			keys = append(keys, k)
		}
		c.Lat = (c.Lat*float64(c.Count) + r.Location.Lat) / float64(c.Count+1)
		c.Lon = (c.Lon*float64(c.Count) + r.Location.Lon) / float64(c.Count+1)
		c.Count++
		c.Precision[geotag.PrecisionClass(r.Location.Precision)-1]++
		c.EventTypes[geotag.EventTypeCode(r.EventType)]++
	}
	out := []geotag.Cell{}
	for _, k := range keys {
		out = append(out, *cells[k])
	}
	return out, nil
}

// Histogram is a simple fixed-width version of the store's: one-day
// bins from the day of the oldest match.
func (m *memReports) Histogram(ctx context.Context, f geotag.ReportFilter, bins int) (geotag.Histogram, error) {
	if bins < 1 || bins > 1000 {
		return geotag.Histogram{}, geotag.FieldErrorf(geotag.EINVALID, "bins", "bins must be within 1…1000")
	}
	h := geotag.Histogram{Counts: []int{}, WidthSeconds: 86400}
	rs := m.matching(f)
	for i, r := range rs {
		if d := r.Time.UTC().Truncate(24 * time.Hour); i == 0 || d.Before(h.From) {
			h.From = d
		}
	}
	for _, r := range rs {
		i := int(r.Time.Sub(h.From) / (24 * time.Hour))
		for len(h.Counts) <= i {
			h.Counts = append(h.Counts, 0)
		}
		h.Counts[i]++
		h.Total++
	}
	return h, nil
}

// Tags counts the tags of the matching reports by their lower-cased form
// (the store's keys), with no caps.
func (m *memReports) Tags(ctx context.Context, f geotag.ReportFilter, prefix string, limit int) (geotag.TagList, error) {
	if limit < 1 || limit > 100 {
		return geotag.TagList{}, geotag.FieldErrorf(geotag.EINVALID, "limit", "limit must be within 1…100")
	}
	n := map[string]int{}
	for _, r := range m.matching(f) {
		seen := map[string]bool{}
		for _, t := range r.Tags {
			if k := strings.ToLower(strings.TrimSpace(t)); !seen[k] && strings.HasPrefix(k, strings.ToLower(strings.TrimSpace(prefix))) {
				seen[k] = true
				n[k]++
			}
		}
	}
	out := geotag.TagList{Tags: []geotag.TagCount{}}
	for k, c := range n {
		out.Tags = append(out.Tags, geotag.TagCount{Tag: k, Count: c})
	}
	slices.SortFunc(out.Tags, func(a, b geotag.TagCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Tag, b.Tag)
	})
	if len(out.Tags) > limit {
		out.Tags = out.Tags[:limit]
	}
	return out, nil
}

// Test places.
var (
	aleppo     = geotag.Place{ID: 170063, Name: "Aleppo", Lat: 36.20124, Lon: 37.16117, Country: "SY", CountryName: "Syria", Admin1: "Aleppo", Feature: "P.PPLA", Population: 1602264}
	amman      = geotag.Place{ID: 250441, Name: "Amman", Lat: 31.95522, Lon: 35.94503, Country: "JO", CountryName: "Jordan", Admin1: "Amman", Feature: "P.PPLC", Population: 1275857}
	nice       = geotag.Place{ID: 2990440, Name: "Nice", Lat: 43.70313, Lon: 7.26608, Country: "FR", CountryName: "France", Admin1: "Provence-Alpes-Côte d'Azur", Feature: "P.PPLA2", Population: 338620}
	jordan     = geotag.Place{ID: 248816, Name: "Jordan", Lat: 31.0, Lon: 36.0, Country: "JO", CountryName: "Jordan", Feature: "A.PCLI"}
	khalidiyaH = geotag.Place{ID: 169304, Name: "Khalidiyah", Lat: 34.75, Lon: 36.7, Country: "SY", CountryName: "Syria", Admin1: "Homs", Feature: "P.PPL"}
	khalidiyaA = geotag.Place{ID: 7643289, Name: "Khalidiyah", Lat: 36.22, Lon: 37.13, Country: "SY", CountryName: "Syria", Admin1: "Aleppo", Feature: "P.PPLX"}
)

// fakeTagger finds the test places by name, with a fixed confidence each.
type fakeTagger struct {
	conf map[string]float64
	err  error
}

func (t *fakeTagger) Version() string { return "fake-tagger/1" }

func (t *fakeTagger) Tag(ctx context.Context, text string, opt geotag.TagOptions) ([]geotag.Mention, error) {
	if t.err != nil {
		return nil, t.err
	}
	if !utf8.ValidString(text) {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "text", "text is not valid UTF-8")
	}
	var ms []geotag.Mention
	for _, p := range []geotag.Place{aleppo, amman, nice, jordan, khalidiyaH} {
		for i := 0; ; {
			j := strings.Index(text[i:], p.Name)
			if j < 0 {
				break
			}
			start := utf8.RuneCountInString(text[:i+j])
			conf := 0.9
			if c, ok := t.conf[p.Name]; ok {
				conf = c
			}
			pp := p
			m := geotag.Mention{Start: start, End: start + utf8.RuneCountInString(p.Name), Text: p.Name,
				Kind: geotag.KindPlace, Confidence: conf, Precision: p.Precision(), Place: &pp, Alternatives: []geotag.Candidate{}}
			if p.ID == khalidiyaH.ID {
				m.Alternatives = []geotag.Candidate{{Place: khalidiyaA, Score: 0.3}}
			}
			ms = append(ms, m)
			i += j + len(p.Name)
		}
	}
	slices.SortFunc(ms, func(a, b geotag.Mention) int { return a.Start - b.Start })
	return ms, nil
}

// fakePlaces is a gazetteer of the test places.
type fakePlaces struct{}

var testPlaces = []geotag.Place{aleppo, amman, nice, jordan, khalidiyaH, khalidiyaA}

func (fakePlaces) Lookup(key string) []geotag.Place {
	var out []geotag.Place
	for _, p := range testPlaces {
		if geotag.NameKey(p.Name) == key {
			out = append(out, p)
		}
	}
	return out
}

func (fakePlaces) Alias(key string) (geotag.Place, string, bool) { return geotag.Place{}, "", false }

func (fakePlaces) Place(id int64) (geotag.Place, bool) {
	for _, p := range testPlaces {
		if p.ID == id {
			return p, true
		}
	}
	return geotag.Place{}, false
}

func (fakePlaces) Search(q geotag.PlaceQuery) []geotag.Candidate {
	out := []geotag.Candidate{}
	for _, p := range testPlaces {
		if !strings.HasPrefix(strings.ToLower(p.Name), strings.ToLower(q.Text)) {
			continue
		}
		if len(q.Countries) > 0 && !slices.Contains(q.Countries, p.Country) {
			continue
		}
		if q.BBox != nil && !q.BBox.Contains(p.Lat, p.Lon) {
			continue
		}
		out = append(out, geotag.Candidate{Place: p, Score: 0.5})
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out
}

func (fakePlaces) Version() string { return "fake-gazetteer/1" }

// fakeTokens holds tokens in memory; secrets are their names plus "-secret".
type fakeTokens struct {
	mu     sync.Mutex
	tokens map[string]*geotag.Token
}

func newFakeTokens(ts ...*geotag.Token) *fakeTokens {
	f := &fakeTokens{tokens: map[string]*geotag.Token{}}
	for _, t := range ts {
		f.tokens[t.Name+"-secret"] = t
	}
	return f
}

func (f *fakeTokens) CreateToken(ctx context.Context, name string, ro bool) (string, *geotag.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := &geotag.Token{ID: "id-" + name, Name: name, ReadOnly: ro}
	f.tokens[name+"-secret"] = t
	return name + "-secret", t, nil
}

func (f *fakeTokens) IssueToken(ctx context.Context, t geotag.Token) (string, *geotag.Token, error) {
	if strings.TrimSpace(t.Name) == "" {
		return "", nil, geotag.FieldErrorf(geotag.EINVALID, "name", "a token needs a name")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t.ID = "id-" + t.Name
	f.tokens[t.Name+"-secret"] = &t
	return t.Name + "-secret", &t, nil
}

func (f *fakeTokens) Authenticate(ctx context.Context, secret string) (*geotag.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.tokens[secret]; ok {
		return t, nil
	}
	return nil, geotag.Errorf(geotag.EUNAUTHORIZED, "unknown token")
}

func (f *fakeTokens) ListTokens(ctx context.Context) ([]*geotag.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*geotag.Token
	for _, t := range f.tokens {
		out = append(out, t)
	}
	return out, nil
}

func (f *fakeTokens) RevokeToken(ctx context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for k, t := range f.tokens {
		if t.ID == id {
			delete(f.tokens, k)
			return nil
		}
	}
	return geotag.Errorf(geotag.ENOTFOUND, "no token")
}
