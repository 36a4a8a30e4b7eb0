package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/internal/pgtest"
	"github.com/geotag/geotag/postgres"
	"github.com/geotag/geotag/store"
)

// pgTestStore returns a postgres:// URL of an empty schema in the test
// database GEOTAG_TEST_POSTGRES (scripts/pg.sh starts one), dropped when
// the test ends. Without the variable the test fails under CI=true and is
// skipped otherwise.
func pgTestStore(t *testing.T) string { return pgtest.FreshDSN(t, "cmd") }

// TestTwoServersOnePostgres runs two "geotag serve" on one PostgreSQL
// store: the admin token the first created works on the second; a report
// created or edited through one is visible through the other at once;
// two edits of one version, one through each, give one 200 and one 412;
// stopping one loses nothing it acknowledged.
func TestTwoServersOnePostgres(t *testing.T) {
	storeURL := pgTestStore(t)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	a, stopA := runService(t, filepath.Join(dir, "a"), "--store", storeURL, "--admin-token-file", tokenFile)
	b, _ := runService(t, filepath.Join(dir, "b"), "--store", storeURL, "--admin-token-file", filepath.Join(dir, "b-token"))
	raw, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(raw))
	if _, err := os.Stat(filepath.Join(dir, "b-token")); err == nil {
		t.Fatal("the second server created another admin token")
	}

	var created pgFeature
	if code, _ := pgDo(t, "POST", a+"/api/v1/reports", token, `{"title":"Bridge closed","text":"The bridge at the river is closed.","external_id":"two-1"}`, "", &created); code != http.StatusCreated {
		t.Fatalf("create through A: %d", code)
	}
	if created.ID == "" {
		t.Fatal("create through A answered no report")
	}
	var seen pgFeature
	code, h := pgDo(t, "GET", b+"/api/v1/reports/"+created.ID, token, "", "", &seen)
	if code != http.StatusOK || seen.Properties.Title != "Bridge closed" {
		t.Fatalf("read through B: %d %+v", code, seen)
	}
	if code, _ := pgDo(t, "PATCH", a+"/api/v1/reports/"+created.ID, token, `{"title":"Bridge reopened"}`, h.Get("ETag"), nil); code != http.StatusOK {
		t.Fatalf("edit through A: %d", code)
	}
	code, h = pgDo(t, "GET", b+"/api/v1/reports/"+created.ID, token, "", "", &seen)
	if code != http.StatusOK || seen.Properties.Title != "Bridge reopened" {
		t.Fatalf("the edit through A, read through B: %d %q", code, seen.Properties.Title)
	}

	// One version, an edit through each server at once.
	etag := h.Get("ETag")
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i, base := range []string{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = pgDo(t, "PATCH", base+"/api/v1/reports/"+created.ID, token, `{"title":"edit `+string(rune('A'+i))+`"}`, etag, nil)
		}()
	}
	wg.Wait()
	if !(codes[0] == http.StatusOK && codes[1] == http.StatusPreconditionFailed) && !(codes[1] == http.StatusOK && codes[0] == http.StatusPreconditionFailed) {
		t.Fatalf("concurrent edits of one version gave %v, want one 200 and one 412", codes)
	}

	// A stops; what it acknowledged is there through B.
	var second pgFeature
	if code, _ := pgDo(t, "POST", a+"/api/v1/reports", token, `{"title":"Second","text":"A market reopened."}`, "", &second); code != http.StatusCreated {
		t.Fatalf("second create through A: %d", code)
	}
	stopA()
	if code, _ := pgDo(t, "GET", b+"/api/v1/reports/"+second.ID, token, "", "", &seen); code != http.StatusOK {
		t.Fatalf("after A stopped, its report through B: %d", code)
	}
	var page struct {
		NumberMatched int `json:"numberMatched"`
	}
	if code, _ := pgDo(t, "GET", b+"/api/v1/reports", token, "", "", &page); code != http.StatusOK || page.NumberMatched != 2 {
		t.Fatalf("list through B: %d, %d reports", code, page.NumberMatched)
	}
}

// pgFeature is what the tests read of a report's GeoJSON Feature.
type pgFeature struct {
	ID         string `json:"id"`
	Properties struct {
		Title string `json:"title"`
	} `json:"properties"`
}

// pgDo sends a request with the token and an optional If-Match, and
// decodes a 200 or 201 answer into out.
func pgDo(t *testing.T, method, url, token, body, ifMatch string, out any) (int, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if (resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusCreated) && out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Errorf("%s %s: %v in %s", method, url, err, b)
		}
	}
	return resp.StatusCode, resp.Header
}

// TestMigrateToPostgres copies a bbolt store with history, tags, events,
// an external id and tokens into PostgreSQL: the reports are identical
// (IDs and times kept), the tokens' secrets work there, and a second run
// copies nothing again.
func TestMigrateToPostgres(t *testing.T) {
	dsn := pgTestStore(t)
	ctx := context.Background()
	data := t.TempDir()
	src, err := store.Open(filepath.Join(data, "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 30 {
		f := i
		r := &geotag.Report{Title: "r" + strconv.Itoa(i), Text: "text", ExternalID: "m-" + strconv.Itoa(i), Tags: []string{"Moved"},
			Time: time.Date(2025, 5, 1, i, 0, 0, 0, time.UTC), Event: geotag.Event{Fatalities: &f},
			Location: &geotag.Location{Lat: 36.2, Lon: 37.1 + float64(i)/100, Mention: -1,
				Provenance: geotag.Provenance{Method: geotag.MethodManual, By: "ana"}},
			History: []geotag.Revision{{Action: "create", By: "ana", Mention: -1, At: time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC)}}}
		if err := src.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	secret, tok, err := src.CreateToken(ctx, "desk", false)
	if err != nil {
		t.Fatal(err)
	}
	src.Close()
	for run := range 2 {
		var out strings.Builder
		if err := Run(ctx, []string{"migrate", "--from-data", data, "--to", dsn, "--sample", "10"}, strings.NewReader(""), &out, io.Discard); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		want := []string{"30 reports copied, 0 there already", "0 reports copied, 30 there already"}[run]
		if !strings.Contains(out.String(), want) {
			t.Fatalf("run %d: %q, want %q", run, out.String(), want)
		}
	}
	dst, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	src, err = store.Open(filepath.Join(data, "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for _, id := range ids {
		a, _ := src.FindReportByID(ctx, id)
		b, err := dst.FindReportByID(ctx, id)
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if err != nil || string(ja) != string(jb) {
			t.Fatalf("report %s: %v\n%s\n%s", id, err, ja, jb)
		}
	}
	if got, err := dst.Authenticate(ctx, secret); err != nil || got.ID != tok.ID {
		t.Fatalf("the token's secret on the target: %+v, %v", got, err)
	}
	page, err := dst.FindReports(ctx, geotag.ReportFilter{Tag: "moved", FatalitiesMin: ptrInt(10)})
	if err != nil || page.Total != 20 {
		t.Fatalf("filters on the copy: total %d, %v", page.Total, err)
	}
	if err := dst.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}

func ptrInt(v int) *int { return &v }

// TestChooseStore: --store or GEOTAG_STORE picks PostgreSQL, an explicit
// --data wins over the environment, an explicit --store over --data.
func TestChooseStore(t *testing.T) {
	t.Setenv("GEOTAG_STORE", "postgres://env/db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "postgres://env/db"},
		{[]string{"--data", "d"}, ""},
		{[]string{"--store", "postgres://flag/db"}, "postgres://flag/db"},
		{[]string{"--store", "postgres://flag/db", "--data", "d"}, "postgres://flag/db"},
	} {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		fs.String("data", "geotag-data", "")
		u := storeFlag(fs)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		chooseStore(fs, u)
		if *u != c.want {
			t.Errorf("%v: %q, want %q", c.args, *u, c.want)
		}
	}
	if err := Run(context.Background(), []string{"verify", "--store", "mysql://x"}, strings.NewReader(""), io.Discard, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "postgres://") {
		t.Errorf("verify --store mysql://x: %v", err)
	}
}
