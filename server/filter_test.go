package server

import (
	"net/url"
	"testing"
	"time"
)

func TestParseFilter(t *testing.T) {
	day := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	tests := []struct {
		query    string
		from, to string // RFC 3339, "" for none
		limit    int
	}{
		{"", "", "", defaultLimit},
		{"from=2024-03-01&to=2024-03-01", "2024-03-01T00:00:00Z", "2024-03-02T00:00:00Z", defaultLimit},
		{"from=2024-03&to=2024", "2024-03-01T00:00:00Z", "2025-01-01T00:00:00Z", defaultLimit},
		{"datetime=2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z", "2024-03-01T10:00:00.000000001Z", defaultLimit},
		{"datetime=2024-03-01T10:00:00%2B02:00/..", "2024-03-01T08:00:00Z", "", defaultLimit},
		{"datetime=2024-03-01T10:00:00+02:00/..", "2024-03-01T08:00:00Z", "", defaultLimit},
		{"datetime=/2024-03-01", "", "2024-03-02T00:00:00Z", defaultLimit},
		{"limit=5", "", "", 5},
		{"limit=20000", "", "", maxLimit},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		f, err := parseFilter(q)
		if err != nil {
			t.Errorf("%s: %v", tt.query, err)
			continue
		}
		check := func(name string, got *time.Time, want string) {
			if want == "" {
				if got != nil {
					t.Errorf("%s: %s = %v, want none", tt.query, name, got)
				}
			} else if got == nil || !got.Equal(day(want)) {
				t.Errorf("%s: %s = %v, want %s", tt.query, name, got, want)
			}
		}
		check("from", f.From, tt.from)
		check("to", f.To, tt.to)
		if f.Limit != tt.limit {
			t.Errorf("%s: limit %d", tt.query, f.Limit)
		}
		// Next links carry the same filter.
		f2, err := parseFilter(filterQuery(f))
		if err != nil || (f.To != nil && !f2.To.Equal(*f.To)) || (f.From != nil && !f2.From.Equal(*f.From)) {
			t.Errorf("%s: round trip %v %+v", tt.query, err, f2)
		}
	}
}
