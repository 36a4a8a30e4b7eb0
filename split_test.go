package geotag_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

// TestPlanSplit: parts are cut in code points, trimmed, and the rest is
// joined by blank lines.
func TestPlanSplit(t *testing.T) {
	rest, pieces, err := geotag.PlanSplit("Ünïcode first. Second part. Third.", []geotag.SplitPart{{Start: 15, End: 27}})
	if err != nil || rest != "Ünïcode first.\n\nThird." || len(pieces) != 1 || pieces[0] != "Second part." {
		t.Errorf("%q %q %v", rest, pieces, err)
	}
}

// FuzzPlanSplit: any text and spans either give EINVALID or pieces and a
// rest that are non-empty and together no longer than the text.
func FuzzPlanSplit(f *testing.F) {
	f.Add("First. Second. Third.", 7, 14, 15, 21)
	f.Add("é\u0301 x", 0, 1, 1, 3)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int) {
		rest, pieces, err := geotag.PlanSplit(text, []geotag.SplitPart{{Start: a, End: b}, {Start: c, End: d}})
		if err != nil {
			if geotag.ErrorCode(err) != geotag.EINVALID {
				t.Fatalf("error %v", err)
			}
			return
		}
		n := len(rest)
		for _, p := range pieces {
			if strings.TrimSpace(p) == "" {
				t.Fatal("an empty piece")
			}
			n += len(p)
		}
		if rest == "" || len(pieces) != 2 || (utf8.ValidString(text) && n > len(text)+2*len("\n\n")) {
			t.Fatalf("rest %q pieces %q from %q", rest, pieces, text)
		}
	})
}
