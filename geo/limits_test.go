package geo_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// hostileFake is the fixture gazetteer with a place keyed "al" (as the
// bundled one has: Ål in Norway), so that a run of capitalised articles
// ("Al-Al-Al-…") is looked up and judged at every word.
func hostileFake() *fakeGazetteer {
	g := newFake()
	g.byKey["al"] = []geotag.Place{{ID: 99100, Name: "Ål", Feature: "P.PPL", Country: "NO", Lat: 60.63, Lon: 8.56, Population: 2000, Admin1Code: "12"}}
	return g
}

// hostileTexts are texts written to make a tagger do more than linear work:
// runs of capitalised articles (the look-back of organisation names went
// over the whole run from each of its words), one name repeated, many
// distinct names, long capitalised runs and words, hyphen and apostrophe
// chains, Arabic and Cyrillic runs. Each makes a text of about n bytes.
var hostileTexts = []struct {
	name string
	gen  func(n int) string
}{
	{"Al- run", func(n int) string { return strings.Repeat("Al-", n/3) }},
	{"Al run", func(n int) string { return strings.Repeat("Al ", n/3) }},
	{"Jabhat al- run", func(n int) string { return "Jabhat " + strings.Repeat("al-", n/3) + "Nusra" }},
	{"one name", func(n int) string { return strings.Repeat("Aleppo, ", n/8) }},
	{"names in a list", func(n int) string { return strings.Repeat("in Paris, Tripoli and Nice; ", n/28) }},
	{"many distinct names", func(n int) string { return madeUpNames(n) }},
	{"capitalised run", func(n int) string { return strings.Repeat("Foo Bar Baz ", n/12) }},
	{"long words", func(n int) string { return strings.Repeat("Ab"+strings.Repeat("cdefghij", 128)+" ", n/1027) }},
	{"hyphen chain", func(n int) string { return strings.Repeat("Aleppo-Idlib-", n/13) }},
	{"apostrophes", func(n int) string { return "A" + strings.Repeat("'b", n/2) }},
	{"Arabic", func(n int) string { return strings.Repeat("حلب و", n/9) }},
	{"Cyrillic", func(n int) string { return strings.Repeat("Москва Алеппо ", n/25) }},
	{"persons", func(n int) string { return strings.Repeat("John Aleppo said. ", n/18) }},
}

// madeUpNames writes about n bytes of distinct capitalised made-up names
// after "in", each followed by a comma: each is a name on its own.
func madeUpNames(n int) string {
	r := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for b.Len() < n {
		fmt.Fprintf(&b, "in %c%s%d, ", 'A'+r.IntN(26), strings.Repeat("ab", 1+r.IntN(3)), r.IntN(1000))
	}
	return b.String()
}

// TestTagWorkLinear: on every hostile text the steps of the tagger's loops
// whose length the text decides grow with the text, not faster, and stay
// under a fixed number per byte. Before the look-back was bounded, "Al-"
// repeated 4,000 times cost about 8 million steps (1 MB took 18 s on the
// service).
func TestTagWorkLinear(t *testing.T) {
	for _, h := range hostileTexts {
		t.Run(h.name, func(t *testing.T) {
			var perByte [2]float64
			for i, n := range []int{2 << 10, 32 << 10} {
				tg := geo.NewTagger(hostileFake())
				work := tg.CountWork()
				text := h.gen(n)
				if _, err := tg.Tag(context.Background(), text, geotag.TagOptions{}); err != nil {
					t.Fatal(err)
				}
				perByte[i] = float64(work.Load()) / float64(len(text))
				t.Logf("%d bytes %d steps %.2f", len(text), work.Load(), perByte[i])
				if perByte[i] > 64 {
					t.Errorf("%d bytes: %d steps, %.0f a byte", len(text), work.Load(), perByte[i])
				}
			}
			if perByte[1] > 2*perByte[0]+1 {
				t.Errorf("steps a byte grew from %.2f at 2 KB to %.2f at 32 KB", perByte[0], perByte[1])
			}
		})
	}
}

// TestTagMaxMentions: MaxMentions returns the first mentions only, and
// MaxAlternatives bounds each one's alternatives.
func TestTagMaxMentions(t *testing.T) {
	text := strings.Repeat("Shelling hit Aleppo and Tripoli, then Khalidiya and Paris. ", 20)
	all := tag(t, text, geotag.TagOptions{})
	if len(all) < 40 {
		t.Fatalf("%d mentions in the full text, want 80", len(all))
	}
	some := tag(t, text, geotag.TagOptions{MaxMentions: 7})
	if len(some) != 7 {
		t.Fatalf("MaxMentions 7: %d mentions", len(some))
	}
	for i, m := range some {
		if m.Start != all[i].Start || m.Text != all[i].Text {
			t.Errorf("mention %d: %q at %d, want the text's own %q at %d", i, m.Text, m.Start, all[i].Text, all[i].Start)
		}
	}
	most := 0
	for _, m := range all {
		most = max(most, len(m.Alternatives))
	}
	if most < 2 {
		t.Fatalf("no mention with two alternatives to bound")
	}
	for _, m := range tag(t, text, geotag.TagOptions{MaxAlternatives: 1}) {
		if len(m.Alternatives) > 1 {
			t.Errorf("MaxAlternatives 1: %q has %d", m.Text, len(m.Alternatives))
		}
	}
}

// TestWordCacheBounded: the tagger's word cache, which lives as long as
// the tagger, keeps no long words: texts of long made-up words must not
// stay in memory after they were tagged.
func TestWordCacheBounded(t *testing.T) {
	tg := geo.NewTagger(newFake())
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		var b strings.Builder
		for range 50 {
			for range 1000 {
				b.WriteByte(byte('a' + r.IntN(26)))
			}
			b.WriteByte(' ')
		}
		if _, err := tg.Tag(context.Background(), b.String(), geotag.TagOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := tg.CacheBytes(); n > 64<<10 {
		t.Errorf("the word cache holds %d KiB after 1 MB of long words", n>>10)
	}
}

// TestTagMaxMentionsStopsEarly: with MaxMentions, recognition stops once
// it has the mentions it may return, in every script (the paragraphs of
// Arabic and Cyrillic went on to the end of the text, and their places
// were copied for each name: 1 MB of one Cyrillic name took 436 MB and a
// second), and the mentions are the first of the unbounded answer.
func TestTagMaxMentionsStopsEarly(t *testing.T) {
	for _, h := range []struct{ name, text string }{
		{"English", strings.Repeat("Shelling hit Aleppo and Syria. ", 500)},
		{"Arabic", strings.Repeat("قصف حلب و", 1000)},
		{"Cyrillic", strings.Repeat("Обстріл у Харкові та Сирії. ", 500)},
	} {
		t.Run(h.name, func(t *testing.T) {
			tg := geo.NewTagger(newLangFake())
			work := tg.CountWork()
			all, err := tg.Tag(context.Background(), h.text, geotag.TagOptions{})
			if err != nil {
				t.Fatal(err)
			}
			full := work.Load()
			work.Store(0)
			some, err := tg.Tag(context.Background(), h.text, geotag.TagOptions{MaxMentions: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) < 100 || len(some) != 10 {
				t.Fatalf("%d mentions unbounded, %d with MaxMentions 10", len(all), len(some))
			}
			for i, m := range some {
				if m.Start != all[i].Start || m.End != all[i].End || m.Place.ID != all[i].Place.ID {
					t.Errorf("mention %d: %q at %d, want %q at %d", i, m.Text, m.Start, all[i].Text, all[i].Start)
				}
			}
			if bounded := work.Load(); bounded*4 > full {
				t.Errorf("%d steps for 10 mentions, %d for all %d", bounded, full, len(all))
			}
		})
	}
}
