package geotag_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// nameTagger finds the names of its places in a text, whole words, each
// resolved to the first place of that name, the others as alternatives.
type nameTagger struct{ ps places }

func (t nameTagger) Version() string { return "names/1" }

func (t nameTagger) Tag(ctx context.Context, text string, opt geotag.TagOptions) ([]geotag.Mention, error) {
	runes := []rune(text)
	var ms []geotag.Mention
	for i := 0; i < len(runes); {
		found := false
		for _, p := range t.ps {
			n := []rune(p.Name)
			if i+len(n) <= len(runes) && string(runes[i:i+len(n)]) == p.Name && (i+len(n) == len(runes) || runes[i+len(n)] == ' ' || runes[i+len(n)] == '.' || runes[i+len(n)] == ',') {
				same := t.ps.Lookup(geotag.NameKey(p.Name))
				m := geotag.Mention{Start: i, End: i + len(n), Text: p.Name, Kind: geotag.KindPlace, Confidence: 0.6, Place: &same[0], Alternatives: []geotag.Candidate{}}
				for _, a := range same[1:] {
					m.Alternatives = append(m.Alternatives, geotag.Candidate{Place: a, Score: 0.2})
				}
				ms = append(ms, m)
				i += len(n)
				found = true
				break
			}
		}
		if !found {
			i++
		}
	}
	return ms, nil
}

var (
	tadmurP   = geotag.Place{ID: 10, Name: "Palmyra", Lat: 34.5, Lon: 38.3, Country: "SY", Feature: "P.PPLA2"}
	missouriP = geotag.Place{ID: 11, Name: "Palmyra", Lat: 39.8, Lon: -91.5, Country: "US", Feature: "P.PPL"}
	homsP     = geotag.Place{ID: 12, Name: "Homs", Lat: 34.7, Lon: 36.7, Country: "SY", Feature: "P.PPLA"}
	jordanP   = geotag.Place{ID: 13, Name: "Jordan", Lat: 31, Lon: 36, Country: "JO", Feature: "A.PCLI"}
)

func ruleFixture() (places, *geotag.RuleTagger) {
	ps := places{missouriP, tadmurP, homsP, jordanP}
	return ps, geotag.NewRuleTagger(nameTagger{ps})
}

func TestRuleTaggerPlaceAndNotPlace(t *testing.T) {
	ps, rt := ruleFixture()
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	place := geotag.Rule{ID: "r1", Words: "palmyra", Action: geotag.RulePlace, Place: &geotag.Place{ID: tadmurP.ID}, By: "ana", Updated: at}
	notPlace := geotag.Rule{ID: "r2", Words: "Jordan", Action: geotag.RuleNotPlace, By: "ana", Feed: "basketball"}
	for _, r := range []*geotag.Rule{&place, &notPlace} {
		if err := r.Normalize(ps); err != nil {
			t.Fatal(err)
		}
	}
	text := "Palmyra, Homs and Jordan."
	before, _ := rt.Tag(t.Context(), text, geotag.TagOptions{})
	if before[0].Place.ID != missouriP.ID {
		t.Fatalf("without rules: %+v", before[0])
	}
	rt.SetRules([]geotag.Rule{place, notPlace})
	ms, err := rt.Tag(t.Context(), text, geotag.TagOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := ms[0]
	if m.Place.ID != tadmurP.ID || m.Rule == nil || m.Rule.ID != "r1" || m.Rule.By != "ana" || !m.Rule.At.Equal(at) || m.Manual {
		t.Fatalf("rule mention = %+v", m)
	}
	if len(m.Alternatives) != 1 || m.Alternatives[0].ID != missouriP.ID || m.Start != 0 || m.End != 7 || m.Text != "Palmyra" {
		t.Errorf("the tagger's choice is not kept below: %+v", m)
	}
	// "Jordan" is only not a place in the basketball feed.
	if len(ms) != 3 || ms[2].Text != "Jordan" {
		t.Fatalf("outside the feed: %+v", ms)
	}
	ms, _ = rt.Tag(t.Context(), text, geotag.TagOptions{Feed: "Basketball"})
	if len(ms) != 2 || ms[1].Text != "Homs" {
		t.Fatalf("in the feed: %+v", ms)
	}
	// A disabled rule applies no more.
	place.Disabled = true
	rt.SetRules([]geotag.Rule{place})
	if ms, _ := rt.Tag(t.Context(), text, geotag.TagOptions{}); ms[0].Place.ID != missouriP.ID || ms[0].Rule != nil {
		t.Errorf("disabled rule applied: %+v", ms[0])
	}
}

func TestRuleScope(t *testing.T) {
	ps, rt := ruleFixture()
	r := geotag.Rule{ID: "r", Words: "Palmyra", Action: geotag.RulePlace, Place: &geotag.Place{ID: tadmurP.ID}, Country: "sy", Domain: "www.Example.org"}
	if err := r.Normalize(ps); err != nil || r.Country != "SY" || r.Domain != "example.org" {
		t.Fatalf("%v %+v", err, r)
	}
	rt.SetRules([]geotag.Rule{r})
	for _, tc := range []struct {
		text, source string
		countries    []string
		want         int64
	}{
		{"Palmyra and Homs.", "https://news.example.org/a", nil, tadmurP.ID},    // Homs: the text is about Syria
		{"Palmyra alone.", "https://example.org/a", []string{"SY"}, tadmurP.ID}, // biased to Syria
		{"Palmyra alone.", "https://example.org/a", nil, missouriP.ID},          // nothing says Syria
		{"Palmyra and Homs.", "https://other.org/a", nil, missouriP.ID},         // another domain
		{"Palmyra and Homs.", "https://notexample.org/a", nil, missouriP.ID},    // not a subdomain
		{"Palmyra and Homs.", "", []string{"SY"}, missouriP.ID},                 // no source
	} {
		ms, _ := rt.Tag(t.Context(), tc.text, geotag.TagOptions{Source: tc.source, Countries: tc.countries})
		if ms[0].Place.ID != tc.want {
			t.Errorf("%q from %q: %d, want %d", tc.text, tc.source, ms[0].Place.ID, tc.want)
		}
	}
}

func TestRuleNormalizeRefuses(t *testing.T) {
	ps, _ := ruleFixture()
	for _, r := range []geotag.Rule{
		{Words: " -- ", Action: geotag.RuleNotPlace},
		{Words: "x", Action: "maybe"},
		{Words: "x", Action: geotag.RulePlace},
		{Words: "x", Action: geotag.RulePlace, Place: &geotag.Place{ID: 999}},
		{Words: "x", Action: geotag.RuleNotPlace, Country: "SYR"},
		{Words: "x", Action: geotag.RuleNotPlace, Domain: "http://x.org/"},
		{Words: strings.Repeat("a ", 9), Action: geotag.RuleNotPlace},
	} {
		if err := r.Normalize(ps); err == nil {
			t.Errorf("%+v normalised", r)
		}
	}
}

func TestDeskPlacesTaggedAndSearched(t *testing.T) {
	ps, rt := ruleFixture()
	g := geotag.NewDeskGazetteer(ps)
	camp := geotag.DeskPlace{ID: geotag.DeskPlaceIDBase, Names: []string{"Camp Seven", "Mukhayyam Sab'a"}, Lat: 34.6, Lon: 38.2, Country: "SY"}
	if err := camp.Normalize(); err != nil {
		t.Fatal(err)
	}
	g.SetDeskPlaces([]geotag.DeskPlace{camp})
	rt.SetDeskPlaces([]geotag.DeskPlace{camp})
	if p, ok := g.Place(camp.ID); !ok || p.Name != "Camp Seven" || p.Feature != "S.BLDG" {
		t.Errorf("Place = %+v %v", p, ok)
	}
	if got := g.Lookup(geotag.NameKey("camp seven")); len(got) != 1 || got[0].ID != camp.ID {
		t.Errorf("Lookup = %+v", got)
	}
	if got := g.Search(geotag.PlaceQuery{Text: "Camp Se"}); len(got) == 0 || got[0].ID != camp.ID {
		t.Errorf("Search = %+v", got)
	}
	if got := g.Search(geotag.PlaceQuery{Text: "Camp", Countries: []string{"JO"}}); len(got) != 0 {
		t.Errorf("Search outside its country = %+v", got)
	}
	ms, _ := rt.Tag(t.Context(), "Shelling hit Camp Seven near Homs.", geotag.TagOptions{})
	if len(ms) != 2 || ms[0].Place.ID != camp.ID || ms[0].Text != "Camp Seven" || ms[0].Rule != nil {
		t.Fatalf("mentions = %+v", ms)
	}
	ms, _ = rt.Tag(t.Context(), "They left Mukhayyam Sab’a.", geotag.TagOptions{})
	if len(ms) != 1 || ms[0].Place.ID != camp.ID || ms[0].Text != "Mukhayyam Sab’a" {
		t.Fatalf("another spelling: %+v", ms)
	}
}

func TestBulkCorrectionSkipsManual(t *testing.T) {
	k := corrector()
	r := newReport()
	if _, err := k.Correct(r, geotag.Correction{Action: geotag.ActionPoint, Mention: ptr(1), Lat: ptr(1.0), Lon: ptr(2.0)}); err != nil {
		t.Fatal(err)
	}
	b := geotag.BulkCorrection{Words: "harbourtown", PlaceID: townP.ID, Action: geotag.ActionPick, To: districtP.ID}
	if got := b.Mentions(r); len(got) != 1 || got[0] != 2 {
		t.Fatalf("Mentions = %v", got)
	}
	revs, err := k.CorrectBulk(r, b, "b1")
	if err != nil || len(revs) != 1 || revs[0].Bulk != "b1" || r.Mentions[2].Place.ID != districtP.ID || r.Mentions[1].Place.Lat != 1 {
		t.Fatalf("%v %+v %+v", err, revs, r.Mentions)
	}
	r.History = append(r.History, revs...)
	undo, ok := geotag.UndoBulk(r, "b1", "u1", "bo", time.Now())
	if !ok || len(undo) != 1 || undo[0].Bulk != "u1" || r.Mentions[2].Place.ID != townP.ID {
		t.Fatalf("undo: %v %+v", ok, r.Mentions[2])
	}
	r.History = append(r.History, undo...)
	if _, ok := geotag.UndoBulk(r, "b1", "u2", "bo", time.Now()); ok {
		t.Error("undone twice")
	}
}

func TestReadRulesFormats(t *testing.T) {
	ps, _ := ruleFixture()
	rules := []geotag.Rule{{ID: "a", Words: "Palmyra", Action: geotag.RulePlace, Place: &tadmurP}, {ID: "b", Words: "Jordan", Action: geotag.RuleNotPlace}}
	var jl bytes.Buffer
	if err := geotag.WriteRules(&jl, rules); err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{jl.String(), `[{"words":"Palmyra","action":"place","place":{"id":10}},{"words":"Jordan","action":"not_place"}]`,
		`{"rules":[{"words":"Palmyra","action":"place","place":{"id":10}},{"words":"Jordan","action":"not_place"}]}`} {
		got, err := geotag.ReadRules(strings.NewReader(in), ps)
		if err != nil || len(got) != 2 || got[0].Key != "palmyra" || got[0].Place.Lat != tadmurP.Lat || got[1].Action != geotag.RuleNotPlace || got[1].ID == "" {
			t.Errorf("%.60s: %v %+v", in, err, got)
		}
	}
	for _, bad := range []string{`[{"words":"x","action":"place","place":{"id":999}}]`, `{"rules":3}`, `nope`} {
		if _, err := geotag.ReadRules(strings.NewReader(bad), ps); err == nil {
			t.Errorf("%s read", bad)
		}
	}
}

func TestParseDeskPlaces(t *testing.T) {
	d := geotag.DeskPlace{ID: geotag.DeskPlaceIDBase - 3, Names: []string{"Checkpoint 4", "Hajez 4"}, Lat: 33.5, Lon: 36.3, Feature: "S.CTRB", Note: "n"}
	one, _ := jsonOf(d.GeoJSON())
	coll := `{"type":"FeatureCollection","features":[` + one + `,{"type":"Feature","geometry":{"type":"Point","coordinates":[36,33]},"properties":{"name":"Base X"}}]}`
	got, err := geotag.ParseDeskPlaces([]byte(coll), 10)
	if err != nil || len(got) != 2 || got[0].Lon != 36.3 || got[0].Lat != 33.5 || got[0].Names[1] != "Hajez 4" || got[0].ID != 0 || got[1].Names[0] != "Base X" {
		t.Fatalf("%v %+v", err, got)
	}
	for _, bad := range []string{`{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2]]},"properties":{"name":"x"}}`,
		`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,200]},"properties":{"name":"x"}}`,
		`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}`, `[]`} {
		if _, err := geotag.ParseDeskPlaces([]byte(bad), 10); err == nil {
			t.Errorf("%s parsed", bad)
		}
	}
	if _, err := geotag.ParseDeskPlaces([]byte(coll), 1); geotag.ErrorCode(err) != geotag.ETOOLARGE {
		t.Errorf("over the count: %v", err)
	}
}

func FuzzParseDeskPlaces(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[36,33]},"properties":{"names":["a","b"]}}]}`))
	f.Add([]byte(`{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":{"name":""}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ds, err := geotag.ParseDeskPlaces(b, 5)
		if err != nil {
			return
		}
		for _, d := range ds {
			if len(d.Names) == 0 || d.Lat < -90 || d.Lat > 90 || d.Lon < -180 || d.Lon > 180 {
				t.Fatalf("accepted %+v", d)
			}
		}
	})
}

func FuzzReadRules(f *testing.F) {
	f.Add(`{"words":"Palmyra","action":"place","place":{"id":10}}` + "\n" + `{"words":"Jordan","action":"not_place","country":"JO"}`)
	f.Add(`[{"words":"x","action":"not_place","bbox":{"W":1,"S":2,"E":3,"N":4}}]`)
	ps, _ := ruleFixture()
	f.Fuzz(func(t *testing.T, s string) {
		rules, err := geotag.ReadRules(strings.NewReader(s), ps)
		if err != nil {
			return
		}
		for _, r := range rules {
			if r.Key == "" || (r.Action == geotag.RulePlace) != (r.Place != nil) {
				t.Fatalf("accepted %+v", r)
			}
		}
		rt := geotag.NewRuleTagger(nameTagger{ps})
		rt.SetRules(rules)
		if _, err := rt.Tag(context.Background(), s, geotag.TagOptions{}); err != nil {
			t.Fatal(err)
		}
	})
}

func jsonOf(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// richBase is a gazetteer with the optional methods the geo tagger and
// the server look for.
type richBase struct{ geotag.Gazetteer }

func (richBase) IsKeyPrefix(key string) bool { return key == "new" }
func (richBase) Labels(geotag.BBox, int, int) []geotag.Place {
	return []geotag.Place{{ID: 7, Name: "Label Town"}}
}

// TestDeskGazetteerPassesOn: the desk's overlay answers the base's optional
// methods (without IsKeyPrefix the geo tagger cannot be built over it;
// without Labels the offline map has no town names) and adds its own names'
// prefixes.
func TestDeskGazetteerPassesOn(t *testing.T) {
	ps, _ := ruleFixture()
	g := geotag.NewDeskGazetteer(richBase{ps})
	if !g.IsKeyPrefix("new") || g.IsKeyPrefix("camp") {
		t.Error("IsKeyPrefix is not the base's")
	}
	if got := g.Labels(geotag.BBox{W: -1, S: -1, E: 1, N: 1}, 9, 10); len(got) != 1 || got[0].Name != "Label Town" {
		t.Errorf("Labels = %+v", got)
	}
	camp := geotag.DeskPlace{ID: geotag.DeskPlaceIDBase, Names: []string{"Camp Seven North"}, Lat: 34.6, Lon: 38.2}
	if err := camp.Normalize(); err != nil {
		t.Fatal(err)
	}
	g.SetDeskPlaces([]geotag.DeskPlace{camp})
	if !g.IsKeyPrefix(geotag.NameKey("camp")) || !g.IsKeyPrefix(geotag.NameKey("camp seven")) || g.IsKeyPrefix(geotag.NameKey("camp seven north")) {
		t.Error("the desk names' prefixes are not answered")
	}
}
