package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
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
