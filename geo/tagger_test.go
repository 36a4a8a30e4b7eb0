package geo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

func tag(t *testing.T, text string, opt geotag.TagOptions) []geotag.Mention {
	t.Helper()
	ms, err := geo.NewTagger(newFake()).Tag(context.Background(), text, opt)
	if err != nil {
		t.Fatalf("Tag(%q): %v", text, err)
	}
	checkSpans(t, text, ms)
	return ms
}

// checkSpans checks the contract every result keeps: code-point offsets that
// slice out Text, in order, not overlapping, confidences in 0..1.
func checkSpans(t testing.TB, text string, ms []geotag.Mention) {
	t.Helper()
	if ms == nil {
		t.Fatalf("nil mentions for %q", text)
	}
	r := []rune(text)
	end := 0
	for _, m := range ms {
		if m.Start < end || m.End <= m.Start || m.End > len(r) {
			t.Fatalf("bad span %d..%d (previous end %d, len %d) in %q", m.Start, m.End, end, len(r), text)
		}
		if got := string(r[m.Start:m.End]); got != m.Text {
			t.Fatalf("span %d..%d is %q, Text %q", m.Start, m.End, got, m.Text)
		}
		if m.Confidence < 0 || m.Confidence > 1 {
			t.Fatalf("confidence %v of %q", m.Confidence, m.Text)
		}
		if len(m.Alternatives) > 5 {
			t.Fatalf("%d alternatives", len(m.Alternatives))
		}
		sum := m.Confidence
		for _, a := range m.Alternatives {
			sum += a.Score
		}
		if sum > 1.001 {
			t.Fatalf("scores of %q sum to %v", m.Text, sum)
		}
		end = m.End
	}
}

// found maps each mention's text to its place id (0 for a nil place).
func found(ms []geotag.Mention) map[string][]int64 {
	out := map[string][]int64{}
	for _, m := range ms {
		var id int64
		if m.Place != nil {
			id = m.Place.ID
		}
		out[m.Text] = append(out[m.Text], id)
	}
	return out
}

// A live-blog page written for this test, with the traps of the real ones.
const liveBlog = `PHOTO: Russian Foreign Minister Sergei Lavrov and US Secretary of State John Kerry on Friday

UPDATE 1400 GMT: Kerry said the agreement with Moscow would cover Jabhat al-Nusra and the Islamic State.
Lavrov said Russian warplanes would keep flying.

A joint coordination cell will sit in Amman, Jordan, officials said. Kerry's team flew on to Geneva.
The attack that killed dozens in Nice in southern France was raised by both men.

Explosions at Factories Near Aleppo
Activists report blasts at the defense plants in Safira, east of Aleppo city.
Rebels of the Sham Front fought in Bani Zeid, and regime forces pushed into Khalidiyah on Aleppo's western edge.`

func TestLiveBlog(t *testing.T) {
	ms := tag(t, liveBlog, geotag.TagOptions{})
	got := found(ms)
	want := map[string]int64{
		"Amman":      250441,
		"Jordan":     248816,
		"Nice":       2990440,
		"France":     3017382,
		"Aleppo":     170063,
		"Safira":     172480,
		"Khalidiyah": -1001,
		"Bani Zeid":  -1002,
		"Moscow":     524901,
		"Russian":    2017370,
		"US":         6252001,
	}
	for name, id := range want {
		ids, ok := got[name]
		if !ok {
			t.Errorf("%s not found; got %v", name, got)
			continue
		}
		for _, g := range ids {
			if g != id {
				t.Errorf("%s resolved to %d, want %d", name, g, id)
			}
		}
	}
	for _, not := range []string{"Kerry", "Lavrov", "Nusra", "al-Nusra", "Sham", "Kerry's", "Geneva"} {
		if _, ok := got[not]; ok {
			t.Errorf("%q tagged as a place: %v", not, got[not])
		}
	}
	for _, m := range ms {
		switch m.Text {
		case "Russian":
			if m.Kind != geotag.KindDemonym {
				t.Errorf("Russian kind %q", m.Kind)
			}
		case "US":
			if m.Kind != geotag.KindAbbreviation {
				t.Errorf("US kind %q", m.Kind)
			}
		case "Aleppo":
			if m.Kind != geotag.KindPlace || m.Precision != 1 {
				t.Errorf("Aleppo kind %q precision %d", m.Kind, m.Precision)
			}
		case "France":
			if m.Precision != 3 {
				t.Errorf("France precision %d", m.Precision)
			}
		}
	}
	// The possessive "Aleppo's" is tagged without its 's.
	n := 0
	for _, m := range ms {
		if m.Text == "Aleppo" {
			n++
		}
	}
	if n != 3 {
		t.Errorf("Aleppo found %d times, want 3 (headline, text, possessive)", n)
	}
}

func TestEmptyAndInvalid(t *testing.T) {
	tg := geo.NewTagger(newFake())
	for _, text := range []string{"", "   ", "1234 5678 !!!", "— … ?!", strings.Repeat("-", 1000)} {
		ms, err := tg.Tag(context.Background(), text, geotag.TagOptions{})
		if err != nil {
			t.Fatalf("Tag(%q): %v", text, err)
		}
		if ms == nil || len(ms) != 0 {
			t.Errorf("Tag(%q) = %#v, want empty non-nil", text, ms)
		}
	}
	_, err := tg.Tag(context.Background(), "Aleppo \xff\xfe", geotag.TagOptions{})
	if geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("invalid UTF-8: err %v, want EINVALID", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tg.Tag(ctx, "Aleppo", geotag.TagOptions{}); err != context.Canceled {
		t.Errorf("cancelled: err %v", err)
	}
	bad := &geotag.BBox{W: 0, S: 10, E: 5, N: 0}
	if _, err := tg.Tag(context.Background(), "Aleppo", geotag.TagOptions{BBox: bad}); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("bad bbox: err %v", err)
	}
}

func TestLargeText(t *testing.T) {
	var b strings.Builder
	for b.Len() < 1<<20 {
		b.WriteString("Shelling hit Aleppo and Idlib again on Monday, residents in Amman, Jordan said. ")
	}
	ms := tag(t, b.String(), geotag.TagOptions{})
	if len(ms) < 10000 {
		t.Errorf("1 MB text: %d mentions", len(ms))
	}
}

func TestCodePointOffsets(t *testing.T) {
	text := "Ḩalab — “the city” — und Ḩalab’s suburbs; حلب is Aleppo."
	ms := tag(t, text, geotag.TagOptions{})
	var texts []string
	for _, m := range ms {
		texts = append(texts, m.Text)
	}
	if strings.Join(texts, "|") != "Ḩalab|Ḩalab|حلب|Aleppo" {
		t.Errorf("mentions %q", texts)
	}
}
