package geo_test

import (
	"os"
	"testing"

	"github.com/geotag/geotag"
)

func TestDebugPrint(t *testing.T) {
	if os.Getenv("GEO_DEBUG") == "" {
		t.Skip()
	}
	for _, m := range tag(t, liveBlog, geotag.TagOptions{}) {
		t.Logf("%d-%d %q %s %v %d conf=%.3f alts=%d", m.Start, m.End, m.Text, m.Kind, m.Place.ID, m.Precision, m.Confidence, len(m.Alternatives))
	}
}

func TestDebugOne(t *testing.T) {
	s := os.Getenv("GEO_TEXT")
	if s == "" {
		t.Skip()
	}
	for _, m := range tag(t, s, geotag.TagOptions{}) {
		t.Logf("%d-%d %q %s %v conf=%.3f", m.Start, m.End, m.Text, m.Kind, m.Place, m.Confidence)
	}
}
