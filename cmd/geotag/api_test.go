package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

// apiDo sends one request to the running service and returns the status
// and body. token may be "".
func apiDo(t *testing.T, method, url, token, body string) (int, []byte, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

// A small fixture in the manner of a live blog entry (written for the tests).
const e2eText = "Heavy shelling was reported in Aleppo overnight, while aid convoys left Amman in Jordan. " +
	"Protesters gathered in Nice, France, on Sunday."

func postReport(t *testing.T, base, token, title, text, when string) *geotag.Report {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"title": title, "text": text, "source": "https://example.org/live", "time": when})
	code, b, _ := apiDo(t, "POST", base+"/api/v1/reports", token, string(body))
	if code != http.StatusCreated {
		t.Fatalf("POST /api/v1/reports: %d %s", code, b)
	}
	var r geotag.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func TestAPIEndToEnd(t *testing.T) {
	base, token := startService(t)
	if token == "" {
		t.Fatal("no admin token")
	}

	// Tagging stores nothing and finds the places.
	code, b, _ := apiDo(t, "POST", base+"/api/v1/tag", "", `{"text":"`+e2eText+`"}`)
	if code != 200 {
		t.Fatalf("tag: %d %s", code, b)
	}
	var tagged struct{ Mentions []geotag.Mention }
	json.Unmarshal(b, &tagged)
	names := map[string]bool{}
	for _, m := range tagged.Mentions {
		if []rune(e2eText)[m.Start] != []rune(m.Text)[0] {
			t.Errorf("mention %q at %d does not match the text", m.Text, m.Start)
		}
		if m.Place != nil {
			names[m.Place.Name] = true
		}
	}
	for _, n := range []string{"Aleppo", "Amman", "Nice"} {
		if !names[n] {
			t.Errorf("tag did not find %s: %s", n, b)
		}
	}

	// Writes need the token.
	if code, _, _ := apiDo(t, "POST", base+"/api/v1/reports", "", `{"text":"Aleppo"}`); code != http.StatusUnauthorized {
		t.Errorf("POST without token: %d", code)
	}

	r := postReport(t, base, token, "Overnight", e2eText, "2024-03-01T06:00:00Z")
	if r.ID == "" || r.Location == nil || len(r.Mentions) < 4 {
		t.Fatalf("stored report: %+v", r)
	}
	if r.Location.Provenance.Method != geotag.MethodAuto || r.Location.Provenance.Tagger == "" {
		t.Errorf("provenance = %+v", r.Location.Provenance)
	}

	// Read it back as a Feature.
	code, b, h := apiDo(t, "GET", base+"/api/v1/reports/"+r.ID, "", "")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/geo+json") {
		t.Fatalf("get: %d %s %s", code, h.Get("Content-Type"), b)
	}
	var f struct {
		Type       string
		ID         string
		Geometry   struct{ Coordinates []float64 }
		Properties struct {
			Title    string
			Mentions []geotag.Mention
		}
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if f.Type != "Feature" || f.ID != r.ID || f.Properties.Title != "Overnight" || len(f.Properties.Mentions) != len(r.Mentions) ||
		f.Geometry.Coordinates[0] != r.Location.Lon || f.Geometry.Coordinates[1] != r.Location.Lat {
		t.Errorf("feature = %s", b)
	}

	// And in the list, filtered by time and box.
	code, b, _ = apiDo(t, "GET", base+"/api/v1/reports?from=2024-03-01&to=2024-03-01&bbox=-180,-90,180,90", "", "")
	var fc struct {
		Type          string
		Features      []json.RawMessage
		NumberMatched int
	}
	if err := json.Unmarshal(b, &fc); err != nil || code != 200 {
		t.Fatalf("list: %d %v %s", code, err, b)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 1 || fc.NumberMatched != 1 {
		t.Errorf("list = %s", b)
	}
	code, b, _ = apiDo(t, "GET", base+"/api/v1/reports?from=2024-03-02", "", "")
	if code != 200 || !bytes.Contains(b, []byte(`"features":[]`)) {
		t.Errorf("later reports: %d %s", code, b)
	}
}

// The correction workflow end to end: import a report, correct Khalidiyah
// by picking one of its alternatives, and see the exports change.
func TestCorrectionChangesExport(t *testing.T) {
	base, token := startService(t)
	text := "Government forces shelled Khalidiyah and Safira east of Aleppo on Monday, " +
		"while families fled towards Amman in Jordan; a vigil was held in Nice, France."
	r := postReport(t, base, token, "Shelling", text, "2024-03-05T08:00:00Z")
	k := -1
	for i, m := range r.Mentions {
		if m.Text == "Khalidiyah" {
			k = i
		}
	}
	if k < 0 || r.Mentions[k].Place == nil || len(r.Mentions[k].Alternatives) == 0 {
		t.Fatalf("Khalidiyah not tagged with alternatives: %+v", r.Mentions)
	}
	before := *r.Mentions[k].Place
	alt := r.Mentions[k].Alternatives[0]

	// Make Khalidiyah the main location, so the export's point is its place.
	code, b, _ := apiDo(t, "POST", base+"/api/v1/reports/"+r.ID+"/corrections", token, `{"action":"main","mention":`+strconv.Itoa(k)+`}`)
	if code != 200 {
		t.Fatalf("main: %d %s", code, b)
	}
	exportRow := func() map[string]string {
		t.Helper()
		code, b, h := apiDo(t, "GET", base+"/api/v1/export/csv?q=Khalidiyah", "", "")
		if code != 200 || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("export: %d %v", code, h)
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("export rows: %v %q", err, rows)
		}
		row := map[string]string{}
		for i, col := range rows[0] {
			row[col] = rows[1][i]
		}
		return row
	}
	row := exportRow()
	if row["geonameid"] != strconv.FormatInt(before.ID, 10) || row["latitude"] != strconv.FormatFloat(before.Lat, 'f', -1, 64) {
		t.Fatalf("export before correction: %v, want place %d", row, before.ID)
	}

	code, b, _ = apiDo(t, "POST", base+"/api/v1/reports/"+r.ID+"/corrections", token,
		`{"action":"pick","mention":`+strconv.Itoa(k)+`,"place_id":`+strconv.FormatInt(alt.ID, 10)+`}`)
	if code != 200 {
		t.Fatalf("pick: %d %s", code, b)
	}
	row = exportRow()
	if row["geonameid"] != strconv.FormatInt(alt.ID, 10) || row["latitude"] != strconv.FormatFloat(alt.Lat, 'f', -1, 64) ||
		row["longitude"] != strconv.FormatFloat(alt.Lon, 'f', -1, 64) || row["location_method"] != "manual" {
		t.Errorf("export after correction: %v, want place %d at %v,%v", row, alt.ID, alt.Lat, alt.Lon)
	}

	// The GeoJSON export moved too, and the history tells who did what.
	_, b, _ = apiDo(t, "GET", base+"/api/v1/export/geojson?q=Khalidiyah", "", "")
	var fc struct {
		Features []struct {
			Geometry struct{ Coordinates []float64 }
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil || len(fc.Features) != 1 || fc.Features[0].Geometry.Coordinates[0] != alt.Lon {
		t.Errorf("GeoJSON export after correction: %v %s", err, b)
	}
	_, b, _ = apiDo(t, "GET", base+"/api/v1/reports/"+r.ID+"/history", "", "")
	var h struct{ Revisions []geotag.Revision }
	json.Unmarshal(b, &h)
	if n := len(h.Revisions); n != 3 || h.Revisions[2].Action != "pick" || h.Revisions[2].By != "admin" ||
		h.Revisions[2].Before.Place.ID != before.ID || h.Revisions[2].After.Place.ID != alt.ID {
		t.Errorf("history: %s", b)
	}
}
