package server

import (
	"strings"
	"testing"
)

func TestImport(t *testing.T) {
	e := newEnv(t)
	body := `[{"external_id":"a","title":"one","text":"Aleppo"},
		{"external_id":"b","text":"Amman","time":"2024-03-01"},
		{"text":"bad","location":{"lat":95,"lon":0}},
		{"external_id":"a","title":"again","text":"Aleppo"}]`
	w := e.do(t, "POST", "/api/v1/import", body, "token")
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	res := decode[ImportResult](t, w)
	if res.Created != 2 || res.Duplicates != 1 || res.Failed != 1 || len(res.Items) != 4 {
		t.Fatalf("result = %+v", res)
	}
	if it := res.Items[2]; it.Status != 422 || it.Problem == nil || it.Problem.Field != "location.lat" {
		t.Errorf("bad item = %+v", it)
	}
	if res.Items[3].Status != 200 || res.Items[3].ID != res.Items[0].ID {
		t.Errorf("duplicate = %+v, first %+v", res.Items[3], res.Items[0])
	}
	r, _ := e.reports.FindReportByID(t.Context(), res.Items[1].ID)
	if r == nil || r.Location == nil || r.Location.PlaceID != amman.ID || r.History[0].By != "admin" {
		t.Errorf("stored = %+v", r)
	}

	// Newline-delimited, as a script streams it; RFC 8142 separators too.
	nd := "{\"text\":\"Nice\"}\n\n\x1e{\"text\":\"Aleppo\"}\n{\"text\": 5}\n"
	w = e.do(t, "POST", "/api/v1/import", nd, "token", "Content-Type: application/x-ndjson")
	res = decode[ImportResult](t, w)
	if w.Code != 200 || res.Created != 2 || res.Failed != 1 || res.Items[2].Problem.Field != "text" {
		t.Errorf("ndjson: %d %+v", w.Code, res)
	}

	for _, tt := range []struct {
		body, ctype string
		status      int
	}{
		{`[]`, "application/json", 400},
		{`{"text":"a"}`, "application/json", 400},
		{`[{"text":"a"}]`, "text/plain", 415},
		{`{"text":"a"}`, "application/geo+json", 400},
		{"\x00\x01\x02", "application/json", 400},
		{"a,b\n1,2\n", "text/csv", 400},
		{"title,text\n", "text/csv", 400},
		{"title\n" + strings.Repeat("a\n", maxImportItems+1), "text/csv", 413},
		{"title\n\xff\n", "text/csv", 400},
		{"[" + strings.Repeat(`{"text":"a"},`, maxImportItems) + `{"text":"a"}]`, "application/json", 413},
	} {
		if w := e.do(t, "POST", "/api/v1/import", tt.body, "token", "Content-Type: "+tt.ctype); w.Code != tt.status {
			t.Errorf("%.40s (%s): %d, want %d", tt.body, tt.ctype, w.Code, tt.status)
		}
	}
	// The import limit is larger than the default body limit.
	e = newEnv(t, func(c *Config) { c.MaxBody = 100; c.MaxImportBody = 200 })
	if w := e.do(t, "POST", "/api/v1/import", `[{"text":"`+strings.Repeat("x", 120)+`"}]`, "token"); w.Code != 200 {
		t.Errorf("import over MaxBody: %d", w.Code)
	}
	if w := e.do(t, "POST", "/api/v1/import", `[{"text":"`+strings.Repeat("x", 220)+`"}]`, "token"); w.Code != 413 {
		t.Errorf("import over MaxImportBody: %d", w.Code)
	}
}
