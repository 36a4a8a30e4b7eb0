package geo_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// FuzzTag checks that no input panics and every result keeps the contract:
// invalid UTF-8 is an EINVALID error; otherwise mentions are in order, not
// overlapping, inside the text, with code-point offsets that slice out
// their Text. Work and output stay proportional to the text: the steps of
// the tagger's text-length loops are at most 64 a byte (plus a constant),
// and MaxMentions and MaxAlternatives bound the answer. Seeds:
// testdata/fuzz/FuzzTag and the ones below.
func FuzzTag(f *testing.F) {
	for _, s := range []string{
		"", " ", "Aleppo", "Aleppo's", "al-Hasakah", "U.S.", "W.Va.", "Ḩalab’s", "حلب", "Deir ez-Zor,",
		"John Kerry met Victoria Nuland in Amman, Jordan.", "Nice day. Police said.", "Paris, Texas",
		"ALEPPO, Syria —", "St. Louis", "Gen. Smith", "X District", "Aleppo-\u200d-Idlib", "I’ve", "''Aleppo''", "قصف على حلب وعمان", "و", "Main St. Louis Highway 9",
		liveBlog, strings.Repeat("Al-", 5000) + "Nusra", "Jabhat " + strings.Repeat("al ", 200) + "Sham Front",
		strings.Repeat("Aleppo, ", 40), strings.Repeat("Москва Алеппо ", 20),
	} {
		f.Add(s)
	}
	tg := geo.NewTagger(hostileFake())
	work := tg.CountWork()
	const maxMentions, maxAlts = 20, 2
	f.Fuzz(func(t *testing.T, text string) {
		before := work.Load()
		ms, err := tg.Tag(context.Background(), text, geotag.TagOptions{Countries: []string{"SY"}, MaxMentions: maxMentions, MaxAlternatives: maxAlts})
		if steps := work.Load() - before; steps > 64*int64(len(text))+1024 {
			t.Fatalf("%d steps for %d bytes", steps, len(text))
		}
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
		if len(ms) > maxMentions {
			t.Fatalf("%d mentions, MaxMentions %d", len(ms), maxMentions)
		}
		for _, m := range ms {
			if len(m.Alternatives) > maxAlts {
				t.Fatalf("%q has %d alternatives, MaxAlternatives %d", m.Text, len(m.Alternatives), maxAlts)
			}
		}
	})
}
