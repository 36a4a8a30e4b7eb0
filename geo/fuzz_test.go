package geo_test

import (
	"context"
	"testing"
	"unicode/utf8"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// FuzzTag checks that no input panics and every result keeps the contract:
// invalid UTF-8 is an EINVALID error; otherwise mentions are in order, not
// overlapping, inside the text, with code-point offsets that slice out
// their Text. Seeds: testdata/fuzz/FuzzTag and the ones below.
func FuzzTag(f *testing.F) {
	for _, s := range []string{
		"", " ", "Aleppo", "Aleppo's", "al-Hasakah", "U.S.", "W.Va.", "Ḩalab’s", "حلب", "Deir ez-Zor,",
		"John Kerry met Victoria Nuland in Amman, Jordan.", "Nice day. Police said.", "Paris, Texas",
		"ALEPPO, Syria —", "St. Louis", "Gen. Smith", "X District", "Aleppo-\u200d-Idlib", "I’ve", "''Aleppo''", "قصف على حلب وعمان", "و", "Main St. Louis Highway 9",
		liveBlog,
	} {
		f.Add(s)
	}
	tg := geo.NewTagger(newFake())
	f.Fuzz(func(t *testing.T, text string) {
		ms, err := tg.Tag(context.Background(), text, geotag.TagOptions{Countries: []string{"SY"}})
		if !utf8.ValidString(text) {
			if geotag.ErrorCode(err) != geotag.EINVALID {
				t.Fatalf("invalid UTF-8 %q: err %v", text, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Tag(%q): %v", text, err)
		}
		checkSpans(t, text, ms)
	})
}
