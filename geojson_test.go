package geotag_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func testReport() *geotag.Report {
	at := time.Date(2024, 5, 1, 10, 30, 0, 123000000, time.UTC)
	aleppo := &geotag.Place{ID: 170063, Name: "Aleppo", Lat: 36.20124, Lon: 37.16117, Country: "SY", Feature: "P.PPLA"}
	return &geotag.Report{
		ID:      "01HXAMPLE000000000000000000",
		Title:   `Shelling near "Aleppo" <script>alert(1)</script> & more`,
		Text:    "Shelling was reported near Aleppo.",
		Source:  "https://example.org/a?b=1&c=2",
		Time:    at,
		Created: at.Add(time.Hour),
		Updated: at.Add(2 * time.Hour),
		Status:  geotag.StatusUnreviewed,
		Tags:    []string{"shelling", "tag with \"quotes\"\n"},
		Mentions: []geotag.Mention{
			{Start: 0, End: 6, Text: "Aleppo", Place: aleppo},
			{Start: 10, End: 16, Text: "Halab", Place: aleppo}, // same place: listed once
			{Start: 20, End: 27, Text: "Nowhere"},              // unresolved: its text
		},
		Location: &geotag.Location{Lat: 36.20124, Lon: 37.16117, Precision: 1, Name: "Aleppo", PlaceID: 170063,
			Provenance: geotag.Provenance{Method: geotag.MethodAuto}},
	}
}

// wantProperties builds the expected properties with encoding/json.
func wantProperties(t *testing.T, r *geotag.Report, opt geotag.FeatureOptions) map[string]any {
	t.Helper()
	type props struct {
		ID        string     `json:"id"`
		Title     string     `json:"title"`
		Time      *time.Time `json:"time"`
		Source    string     `json:"source"`
		Status    string     `json:"status"`
		Tags      []string   `json:"tags"`
		Mentions  []string   `json:"mentions"`
		Precision *int       `json:"precision"`
		PlaceID   *int64     `json:"place_id"`
		Location  *string    `json:"location"`
		Method    *string    `json:"method"`
		Created   *time.Time `json:"created"`
		Updated   *time.Time `json:"updated"`
	}
	tp := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	p := props{ID: r.ID, Title: r.Title, Time: tp(r.Time), Source: r.Source, Status: r.Status,
		Tags: append([]string{}, r.Tags...), Mentions: []string{}, Created: tp(r.Created), Updated: tp(r.Updated)}
	seen := map[string]bool{}
	for _, m := range r.Mentions {
		name := m.Text
		if m.Place != nil && m.Place.Name != "" {
			name = m.Place.Name
		}
		if name != "" && !seen[name] {
			seen[name] = true
			p.Mentions = append(p.Mentions, name)
		}
	}
	if l := r.Location; l != nil {
		p.Precision, p.Location, p.Method = &l.Precision, &l.Name, &l.Provenance.Method
		if l.PlaceID != 0 {
			p.PlaceID = &l.PlaceID
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	orNull := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	m["event_type"], m["sub_event_type"], m["fatalities"] = orNull(r.EventType), orNull(r.SubEventType), nil
	if r.Fatalities != nil {
		m["fatalities"] = float64(*r.Fatalities)
	}
	if opt.Full {
		a1, as1, a2, as2 := r.ACLEDActors()
		m["actor1"], m["assoc_actor_1"], m["actor2"], m["assoc_actor_2"] = orNull(a1), orNull(as1), orNull(a2), orNull(as2)
		m["civilian_targeting"] = nil
		if r.CivilianTargeting {
			m["civilian_targeting"] = geotag.CivilianTargeting
		}
		m["text"], m["external_id"], m["time_precision"] = strings.ToValidUTF8(r.Text, "\ufffd"), nil, nil
		if r.ExternalID != "" {
			m["external_id"] = r.ExternalID
		}
		if r.TimePrecision != "" {
			m["time_precision"] = r.TimePrecision
		}
	}
	return m
}

func TestAppendReportFeature(t *testing.T) {
	manual := testReport()
	manual.Location = &geotag.Location{Lat: -33.5, Lon: 179.99, Precision: 2, Mention: -1,
		Provenance: geotag.Provenance{Method: geotag.MethodManual, By: "ana"}}
	bare := &geotag.Report{ID: "x", Text: "no places"}
	withExt := testReport()
	withExt.ExternalID, withExt.Text = "ext <1>", "Line one\nline \"two\" <b>\u2028\xff"
	three := 3
	withExt.Event = geotag.Event{EventType: "Battles", SubEventType: "Armed clash", Fatalities: &three, CivilianTargeting: true,
		Actors: []geotag.Actor{{Name: "HTS", Side: 1}, {Name: "A; \"b\"", Side: 1, Associated: true},
			{Name: "C", Side: 1, Associated: true}, {Name: "Military Forces of Syria", Side: 2}}}
	zero := 0
	evManual := testReport()
	evManual.Event = geotag.Event{EventType: "Protests", Fatalities: &zero}
	for _, tt := range []struct {
		name string
		r    *geotag.Report
		opt  geotag.FeatureOptions
	}{
		{"Located", testReport(), geotag.FeatureOptions{}},
		{"ManualPoint", manual, geotag.FeatureOptions{}},
		{"EventMap", withExt, geotag.FeatureOptions{}},
		{"EventZeroFatalities", evManual, geotag.FullFeature},
		{"NoLocation", bare, geotag.FeatureOptions{}},
		{"FullNoExternalID", testReport(), geotag.FullFeature},
		{"FullExternalIDText", withExt, geotag.FullFeature},
		{"FullNoLocation", bare, geotag.FullFeature},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := geotag.AppendReportFeatureWith(nil, tt.r, tt.opt)
			if !tt.opt.Full && !bytes.Equal(b, geotag.AppendReportFeature(nil, tt.r)) {
				t.Error("AppendReportFeature is not the zero options' feature")
			}
			if !json.Valid(b) {
				t.Fatalf("invalid JSON: %s", b)
			}
			f, err := geojson.UnmarshalFeature(b)
			if err != nil {
				t.Fatalf("orb cannot decode %s: %v", b, err)
			}
			if f.ID != tt.r.ID {
				t.Errorf("id=%v, want %v", f.ID, tt.r.ID)
			}
			if l := tt.r.Location; l != nil {
				if got, want := f.Geometry, (orb.Point{l.Lon, l.Lat}); got != want {
					t.Errorf("geometry=%v, want %v", got, want)
				}
			} else if f.Geometry != nil {
				t.Errorf("geometry=%v, want null", f.Geometry)
			}
			if got, want := map[string]any(f.Properties), wantProperties(t, tt.r, tt.opt); !reflect.DeepEqual(got, want) {
				t.Errorf("properties\n got %v\nwant %v", got, want)
			}
			// Strings are escaped exactly as encoding/json escapes them.
			title, _ := json.Marshal(tt.r.Title)
			if !bytes.Contains(b, append([]byte(`"title":`), title...)) {
				t.Errorf("title not escaped as encoding/json does: %s", b)
			}
		})
	}
}

func TestFeatureWriter(t *testing.T) {
	for _, n := range []int{0, 1, 3, 2000} {
		var buf bytes.Buffer
		fw := geotag.NewFeatureWriter(&buf)
		r := testReport()
		for i := 0; i < n; i++ {
			if err := fw.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := fw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := fw.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		fc, err := geojson.UnmarshalFeatureCollection(buf.Bytes())
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if got := len(fc.Features); got != n || fw.Count() != n {
			t.Fatalf("features=%d count=%d, want %d", got, fw.Count(), n)
		}
	}
}

// TestFeatureWriter_WriteFeature checks that pre-encoded features, mixed
// with reports, make the same collection as reports alone.
func TestFeatureWriter_WriteFeature(t *testing.T) {
	r := testReport()
	var want, got bytes.Buffer
	fw := geotag.NewFeatureWriter(&want)
	gw := geotag.NewFeatureWriter(&got)
	for i := 0; i < 500; i++ {
		if err := fw.Write(r); err != nil {
			t.Fatal(err)
		}
		var err error
		if i%2 == 0 {
			err = gw.WriteFeature(geotag.AppendReportFeature(nil, r))
		} else {
			err = gw.Write(r)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gw.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) || gw.Count() != 500 {
		t.Fatalf("WriteFeature output differs (count %d)", gw.Count())
	}
	if err := gw.WriteFeature([]byte("{}")); err == nil {
		t.Fatal("WriteFeature after Close: no error")
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errors.New("disk full")
}

func TestFeatureWriterError(t *testing.T) {
	w := &failWriter{}
	fw := geotag.NewFeatureWriter(w)
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		err = fw.Write(testReport())
	}
	if err == nil || fw.Close() == nil {
		t.Fatal("want the writer's error")
	}
	if w.n != 1 {
		t.Fatalf("wrote %d times after an error, want 1", w.n)
	}
}

func FuzzAppendReportFeature(f *testing.F) {
	f.Add("plain", "tag", 36.2, 37.1)
	f.Add("\b\f\u2028\u2029\x00\x1f\"\\<>&", "\xff\xfe", -90.0, 180.0)
	f.Add("Ḩalab حلب 🚀", "", 1e-9, -1e-9)
	f.Fuzz(func(t *testing.T, title, tag string, lat, lon float64) {
		if !(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
			return
		}
		r := testReport()
		r.Title, r.Tags = title, []string{tag}
		r.Location.Lat, r.Location.Lon = lat, lon
		b := geotag.AppendReportFeature(nil, r)
		var got struct {
			Geometry struct {
				Coordinates [2]float64 `json:"coordinates"`
			} `json:"geometry"`
			Properties struct {
				Title string   `json:"title"`
				Tags  []string `json:"tags"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("invalid JSON %q: %v", b, err)
		}
		want, _ := json.Marshal(title) // encoding/json replaces invalid UTF-8 the same way
		var wantTitle string
		json.Unmarshal(want, &wantTitle)
		if got.Properties.Title != wantTitle || !strings.Contains(string(b), string(want)) {
			t.Fatalf("title %q, want %q", got.Properties.Title, wantTitle)
		}
		if got.Geometry.Coordinates != [2]float64{lon, lat} {
			t.Fatalf("coordinates %v, want [%v %v]", got.Geometry.Coordinates, lon, lat)
		}
	})
}

func BenchmarkFeatureWriter(b *testing.B) {
	r := testReport()
	var n int64
	fw := geotag.NewFeatureWriter(countWriter{&n})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		fw.Write(r)
	}
	fw.Close()
	b.SetBytes(n / int64(b.N))
}

// BenchmarkFeatureEncodingJSON is the baseline: each feature built as an orb
// Feature and marshalled by encoding/json.
func BenchmarkFeatureEncodingJSON(b *testing.B) {
	r := testReport()
	var n int64
	enc := json.NewEncoder(countWriter{&n})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		f := geojson.NewFeature(orb.Point{r.Location.Lon, r.Location.Lat})
		f.ID = r.ID
		f.Properties = geojson.Properties{"id": r.ID, "title": r.Title, "time": r.Time, "source": r.Source,
			"status": r.Status, "tags": r.Tags, "mentions": []string{"Aleppo", "Nowhere"},
			"precision": r.Location.Precision, "place_id": r.Location.PlaceID, "location": r.Location.Name,
			"method": r.Location.Provenance.Method, "created": r.Created, "updated": r.Updated}
		enc.Encode(f)
	}
	b.SetBytes(n / int64(b.N))
}

type countWriter struct{ n *int64 }

func (w countWriter) Write(p []byte) (int, error) { *w.n += int64(len(p)); return len(p), nil }
