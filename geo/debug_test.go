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
