package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// floodTagger answers every text with n mentions of Aleppo, each with
// eight alternatives, whatever the options ask: a tagger that bounds
// nothing, as the service's did before (931 KB of place names gave 150,000
// mentions, 160 MB of JSON).
type floodTagger struct{ n int }

func (t floodTagger) Version() string { return "flood/1" }

func (t floodTagger) Tag(ctx context.Context, text string, opt geotag.TagOptions) ([]geotag.Mention, error) {
	ms := make([]geotag.Mention, t.n)
	for i := range ms {
		p := aleppo
		ms[i] = geotag.Mention{Start: 7 * i, End: 7*i + 6, Text: "Aleppo", Kind: geotag.KindPlace, Confidence: 0.9, Precision: 1, Place: &p}
		for range 8 {
			ms[i].Alternatives = append(ms[i].Alternatives, geotag.Candidate{Place: khalidiyaA, Score: 0.01})
		}
	}
	return ms, nil
}

func TestTagLimits(t *testing.T) {
	flood := func(n int) func(*Config) { return func(c *Config) { c.Tagger = floodTagger{n} } }
	text := `{"text":"` + strings.Repeat("Aleppo ", 400) + `"}`

	t.Run("mentions and alternatives", func(t *testing.T) {
		e := newEnv(t, flood(400), func(c *Config) { c.ReportLimits.MaxMentions = 100; c.ReportLimits.MaxAlternatives = 2 })
		w := e.do(t, "POST", "/api/v1/tag", text)
		got := decode[tagResponse](t, w)
		if w.Code != 200 || len(got.Mentions) != 100 || !got.Truncated {
			t.Fatalf("%d: %d mentions, truncated %v; want 100, true", w.Code, len(got.Mentions), got.Truncated)
		}
		for _, m := range got.Mentions {
			if len(m.Alternatives) != 2 {
				t.Fatalf("%d alternatives, want 2", len(m.Alternatives))
			}
		}
	})
	t.Run("defaults", func(t *testing.T) {
		e := newEnv(t, flood(6000))
		got := decode[tagResponse](t, e.do(t, "POST", "/api/v1/tag", text))
		if len(got.Mentions) != geotag.DefaultMaxMentions || !got.Truncated || len(got.Mentions[0].Alternatives) != 5 {
			t.Fatalf("%d mentions, %d alternatives, truncated %v", len(got.Mentions), len(got.Mentions[0].Alternatives), got.Truncated)
		}
		got = decode[tagResponse](t, newEnv(t).do(t, "POST", "/api/v1/tag", `{"text":"From Aleppo"}`))
		if len(got.Mentions) != 1 || got.Truncated {
			t.Error("a short text is truncated")
		}
	})
	t.Run("exactly the limit", func(t *testing.T) {
		e := newEnv(t, flood(100), func(c *Config) { c.ReportLimits.MaxMentions = 100 })
		got := decode[tagResponse](t, e.do(t, "POST", "/api/v1/tag", text))
		if len(got.Mentions) != 100 || got.Truncated {
			t.Fatalf("%d mentions, truncated %v; want 100, false", len(got.Mentions), got.Truncated)
		}
	})
	t.Run("bytes", func(t *testing.T) {
		e := newEnv(t, flood(400), func(c *Config) { c.MaxTagResponse = 20_000 })
		w := e.do(t, "POST", "/api/v1/tag", text)
		if w.Body.Len() > 20_000 {
			t.Fatalf("answer of %d bytes, limit 20,000", w.Body.Len())
		}
		got := decode[tagResponse](t, w)
		if !got.Truncated || len(got.Mentions) == 0 || len(got.Mentions) == 400 || got.Tagger != "flood/1" {
			t.Fatalf("%d mentions, truncated %v, tagger %q", len(got.Mentions), got.Truncated, got.Tagger)
		}
	})
	t.Run("a report is refused", func(t *testing.T) {
		e := newEnv(t, flood(400), func(c *Config) { c.ReportLimits.MaxMentions = 100 })
		w := e.do(t, "POST", "/api/v1/reports", text, "token")
		if w.Code != 422 || decode[Problem](t, w).Field != "text" {
			t.Fatalf("report over the mention limit: %d %.300s", w.Code, w.Body)
		}
		if len(e.reports.reports) != 0 {
			t.Error("the report was stored")
		}
	})
	t.Run("config", func(t *testing.T) {
		e := newEnv(t, func(c *Config) { c.ReportLimits.MaxMentions = 7 })
		var cfg map[string]any
		if err := json.Unmarshal(e.do(t, "GET", "/api/v1/config", "").Body.Bytes(), &cfg); err != nil {
			t.Fatal(err)
		}
		if cfg["max_mentions"] != 7.0 || cfg["max_alternatives"] != 5.0 || cfg["max_tag_response"] != float64(defaultMaxTagResponse) {
			t.Errorf("config %v", cfg)
		}
	})
}

// budgetTagger is a tagger whose work budget a text of more than 100 bytes
// reaches: it says so in opt.Notes.
type budgetTagger struct{ floodTagger }

func (t budgetTagger) Tag(ctx context.Context, text string, opt geotag.TagOptions) ([]geotag.Mention, error) {
	if len(text) > 100 && opt.Notes != nil {
		opt.Notes.Degraded = "budget reached"
	}
	return t.floodTagger.Tag(ctx, text, opt)
}

// TestTagDegraded: POST /api/v1/tag passes on what the tagger says it cut
// short as "degraded", and leaves the field out when it cut nothing.
func TestTagDegraded(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Tagger = budgetTagger{floodTagger{3}} })
	for _, tc := range []struct {
		text, want string
	}{{strings.Repeat("Aleppo ", 40), "budget reached"}, {"From Aleppo", ""}} {
		w := e.do(t, "POST", "/api/v1/tag", `{"text":"`+tc.text+`"}`)
		got := decode[tagResponse](t, w)
		if w.Code != 200 || got.Degraded != tc.want || len(got.Mentions) != 3 {
			t.Errorf("%d bytes: %d, degraded %q, %d mentions; want %q", len(tc.text), w.Code, got.Degraded, len(got.Mentions), tc.want)
		}
		if tc.want == "" && strings.Contains(w.Body.String(), `"degraded"`) {
			t.Errorf("%d bytes: %s", len(tc.text), w.Body.String())
		}
	}
}
