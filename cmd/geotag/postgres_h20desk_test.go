package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/postgres"
	"github.com/geotag/geotag/store"
)

// twoPGServers starts two "geotag serve" in this process on one fresh
// PostgreSQL store and returns their URLs and the admin token.
func twoPGServers(t *testing.T) (a, b, token string) {
	t.Helper()
	storeURL := pgTestStore(t)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	a, _ = runService(t, filepath.Join(dir, "a"), "--store", storeURL, "--admin-token-file", tokenFile)
	b, _ = runService(t, filepath.Join(dir, "b"), "--store", storeURL, "--admin-token-file", filepath.Join(dir, "b-token"))
	raw, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	return a, b, strings.TrimSpace(string(raw))
}

// h20Incident is what the tests read of an incident.
type h20Incident struct {
	ID      string   `json:"id"`
	Sources []string `json:"sources"`
	Version int      `json:"version"`
	Figures struct {
		EventType string `json:"event_type"`
	} `json:"figures"`
}

// TestH20DeskIncidentsTwoServers: on PostgreSQL an incident made through
// one server is linked and read through the other (a report in one
// incident is refused by another, through either); two changes of one
// version through both at once store one; incidents are listed with the
// filter language, and the histogram splits by event type.
func TestH20DeskIncidentsTwoServers(t *testing.T) {
	a, b, token := twoPGServers(t)
	var ids []string
	for i, typ := range []string{"Battles", "Battles", "Riots"} {
		var f pgFeature
		body := fmt.Sprintf(`{"title":"Strike %d","text":"Shelling hit the market.","time":"2026-11-0%dT10:00:00Z","event_type":%q}`, i, i+1, typ)
		if code, _ := pgDo(t, "POST", a+"/api/v1/reports", token, body, "", &f); code != http.StatusCreated {
			t.Fatalf("report %d: %d", i, code)
		}
		ids = append(ids, f.ID)
	}
	var inc h20Incident
	code, _ := pgDo(t, "POST", a+"/api/v1/incidents", token, fmt.Sprintf(`{"title":"Market strike","report_ids":[%q,%q]}`, ids[0], ids[1]), "", &inc)
	if code != http.StatusCreated || inc.ID == "" || len(inc.Sources) != 2 || inc.Figures.EventType != "Battles" {
		t.Fatalf("create through A: %d %+v", code, inc)
	}
	// Through B: the report already in it is refused; the third is linked.
	if code, _ := pgDo(t, "POST", b+"/api/v1/incidents", token, fmt.Sprintf(`{"report_ids":[%q]}`, ids[1]), "", nil); code != http.StatusConflict {
		t.Errorf("a linked report in another incident through B: %d, want 409", code)
	}
	var linked h20Incident
	code, _ = pgDo(t, "POST", b+"/api/v1/incidents/"+inc.ID+"/sources", token, fmt.Sprintf(`{"report_id":%q}`, ids[2]), "", &linked)
	if code != http.StatusOK || len(linked.Sources) != 3 || linked.Version != 2 {
		t.Fatalf("link through B: %d %+v", code, linked)
	}
	var got h20Incident
	code, h := pgDo(t, "GET", a+"/api/v1/incidents/"+inc.ID, token, "", "", &got)
	if code != http.StatusOK || len(got.Sources) != 3 || got.Version != 2 {
		t.Fatalf("read through A: %d %+v", code, got)
	}
	// A stale version through A: 412.
	if code, _ := pgDo(t, "DELETE", a+"/api/v1/incidents/"+inc.ID+"/sources/"+ids[2], token, "", `"i1"`, nil); code != http.StatusPreconditionFailed {
		t.Errorf("unlink of a stale version: %d", code)
	}
	// One version, a change through each server at once: one is stored,
	// the other refused (412 when it reads the new version, 409 when it
	// read the old one and finds it changed at the write).
	etag := h.Get("ETag")
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i, base := range []string{a, b} {
		wg.Go(func() {
			codes[i], _ = pgDo(t, "PATCH", base+"/api/v1/incidents/"+inc.ID, token, fmt.Sprintf(`{"title":"by %d"}`, i), etag, nil)
		})
	}
	wg.Wait()
	refused := func(c int) bool { return c == http.StatusPreconditionFailed || c == http.StatusConflict }
	if !(codes[0] == http.StatusOK && refused(codes[1])) && !(codes[1] == http.StatusOK && refused(codes[0])) {
		t.Fatalf("concurrent changes of one version gave %v, want one 200 and one 412 or 409", codes)
	}
	_, h = pgDo(t, "GET", b+"/api/v1/incidents/"+inc.ID, token, "", "", &got)
	if got.Version != 3 {
		t.Errorf("after the concurrent changes: version %d, want 3", got.Version)
	}
	if code, _ := pgDo(t, "DELETE", a+"/api/v1/incidents/"+inc.ID+"/sources/"+ids[2], token, "", h.Get("ETag"), nil); code != http.StatusOK {
		t.Errorf("unlink through A: %d", code)
	}
	var list struct {
		Features []struct {
			ID string `json:"id"`
		} `json:"features"`
	}
	for _, c := range []struct {
		query string
		want  int
	}{{"", 1}, {"?event_type=Battles", 1}, {"?event_type=Riots", 0}, {"?tag=x", -1}} {
		code, _ := pgDo(t, "GET", b+"/api/v1/incidents"+c.query, token, "", "", &list)
		if c.want < 0 {
			if code != http.StatusBadRequest {
				t.Errorf("incidents%s: %d, want 400", c.query, code)
			}
			continue
		}
		if code != http.StatusOK || len(list.Features) != c.want {
			t.Errorf("incidents%s through B: %d, %d features, want %d", c.query, code, len(list.Features), c.want)
		}
	}
	var hist struct {
		Counts      []int            `json:"counts"`
		ByEventType map[string][]int `json:"by_event_type"`
	}
	code, _ = pgDo(t, "GET", b+"/api/v1/histogram?by=event_type&bins=10", token, "", "", &hist)
	if code != http.StatusOK || h20Sum(hist.ByEventType["Battles"]) != 2 || h20Sum(hist.ByEventType["Riots"]) != 1 || h20Sum(hist.Counts) != 3 {
		t.Errorf("split histogram through B: %d %+v", code, hist)
	}
	if code, _ := pgDo(t, "DELETE", b+"/api/v1/incidents/"+inc.ID, token, "", "", nil); code != http.StatusNoContent {
		t.Errorf("delete through B: %d", code)
	}
	if code, _ := pgDo(t, "POST", a+"/api/v1/incidents", token, fmt.Sprintf(`{"report_ids":[%q]}`, ids[1]), "", nil); code != http.StatusCreated {
		t.Errorf("a freed report through A: %d", code)
	}
}

func h20Sum(ns []int) int {
	n := 0
	for _, k := range ns {
		n += k
	}
	return n
}

// TestH20DeskRulesReachOtherServer: a desk rule and a desk place added
// through server A tag the next text on server B (which polls the
// store's desk change count), and B's audit log shows them.
func TestH20DeskRulesReachOtherServer(t *testing.T) {
	a, b, token := twoPGServers(t)
	const text = "Shelling was reported near Palmyra."
	if ms := tagText(t, b, text); len(ms) != 1 || ms[0].Place == nil || ms[0].Place.ID != tadmurID {
		t.Fatalf("before the rule: %+v", ms)
	}
	code, body, _ := apiDo(t, "POST", a+"/api/v1/rules", token, fmt.Sprintf(`{"words":"palmyra","action":"place","place_id":%d,"from_place_id":%d}`, palmyraMissID, tadmurID))
	var rule geotag.Rule
	if code != http.StatusCreated || json.Unmarshal(body, &rule) != nil {
		t.Fatalf("create rule through A: %d %s", code, body)
	}
	// A applies it at once; B once it has seen the change.
	if ms := tagText(t, a, text); len(ms) != 1 || ms[0].Place.ID != palmyraMissID {
		t.Fatalf("A after the rule: %+v", ms)
	}
	waitTagged(t, b, text, func(ms []geotag.Mention) bool {
		return len(ms) == 1 && ms[0].Place != nil && ms[0].Place.ID == palmyraMissID && ms[0].Rule != nil && ms[0].Rule.ID == rule.ID
	})

	code, body, _ = apiDo(t, "POST", a+"/api/v1/desk-places", token,
		`{"type":"Feature","geometry":{"type":"Point","coordinates":[38.21,34.58]},"properties":{"names":["Camp Zarqa Seven"],"country":"SY","feature":"S.CMP"}}`)
	if code != http.StatusCreated {
		t.Fatalf("desk place through A: %d %s", code, body)
	}
	waitTagged(t, b, "Families fled Camp Zarqa Seven overnight.", func(ms []geotag.Mention) bool {
		return len(ms) == 1 && ms[0].Place != nil && ms[0].Place.ID == geotag.DeskPlaceIDBase
	})
	code, body, _ = apiDo(t, "GET", b+"/api/v1/places?q=Camp+Zarqa", "", "")
	if code != http.StatusOK || !strings.Contains(string(body), `"name":"Camp Zarqa Seven"`) {
		t.Errorf("search through B: %d %.300s", code, body)
	}

	// Disabled through B, it stops applying on A.
	if code, body, _ := apiDo(t, "PATCH", b+"/api/v1/rules/"+rule.ID, token, `{"disabled":true}`); code != http.StatusOK {
		t.Fatalf("disable through B: %d %s", code, body)
	}
	waitTagged(t, a, text, func(ms []geotag.Mention) bool {
		return len(ms) == 1 && ms[0].Place != nil && ms[0].Place.ID == tadmurID
	})

	code, body, _ = apiDo(t, "GET", b+"/api/v1/audit?kind=rule&id="+rule.ID, token, "")
	if code != http.StatusOK || !strings.Contains(string(body), `"action":"create"`) || !strings.Contains(string(body), `"action":"update"`) {
		t.Errorf("audit through B: %d %.500s", code, body)
	}
}

// waitTagged tags text on base until ok holds of its mentions, failing
// after 20 s (servers look for other servers' desk changes every
// deskSyncEvery).
func waitTagged(t *testing.T, base, text string, ok func([]geotag.Mention) bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ms := tagText(t, base, text)
		if ok(ms) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never tagged %q as wanted: %+v", base, text, ms)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestH20DeskKillOneServer: two "geotag serve" processes on one
// PostgreSQL store; writers create reports and incidents through both,
// alternating; one server is killed with SIGKILL mid-stream. Every write
// answered 2xx, through either server, is then read through the survivor,
// and the store's counts agree with its rows (Verify).
func TestH20DeskKillOneServer(t *testing.T) {
	storeURL := pgTestStore(t)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "admin-token")
	// No per-token rate limit: the writers and the read-back after the
	// kill go through one token faster than its 100 a second.
	a := startChild(t, filepath.Join(dir, "a"), "--store", storeURL, "--admin-token-file", tokenFile, "--rate-token", "-1")
	b := startChild(t, filepath.Join(dir, "b"), "--store", storeURL, "--admin-token-file", filepath.Join(dir, "b-token"), "--rate-token", "-1")
	raw, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(raw))

	const writers = 4
	var (
		mu        sync.Mutex
		reports   []string // acknowledged
		incidents []string // acknowledged
		acked     atomic.Int64
		stop      = make(chan struct{})
		wg        sync.WaitGroup
	)
	client := &http.Client{Timeout: 30 * time.Second}
	post := func(url, body string) (int, []byte) {
		req, _ := http.NewRequest("POST", url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil // lost in the kill: not acknowledged
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return 0, nil
		}
		return resp.StatusCode, b
	}
	for w := range writers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				base := []string{a.base, b.base}[(w+i)%2]
				code, body := post(base+"/api/v1/reports", fmt.Sprintf(`{"title":"w%d-%d","text":"Shelling near the market, report %d.","external_id":"k-%d-%d"}`, w, i, i, w, i))
				var f pgFeature
				if code != http.StatusCreated || json.Unmarshal(body, &f) != nil {
					if code != 0 && code != http.StatusServiceUnavailable {
						t.Errorf("create through %s: %d %.200s", base, code, body)
					}
					continue
				}
				mu.Lock()
				reports = append(reports, f.ID)
				mu.Unlock()
				acked.Add(1)
				if i%3 != 0 {
					continue
				}
				var inc h20Incident
				code, body = post(base+"/api/v1/incidents", fmt.Sprintf(`{"title":"inc %d-%d","report_ids":[%q]}`, w, i, f.ID))
				if code == http.StatusCreated && json.Unmarshal(body, &inc) == nil {
					mu.Lock()
					incidents = append(incidents, inc.ID)
					mu.Unlock()
				} else if code != 0 && code != http.StatusServiceUnavailable {
					t.Errorf("incident through %s: %d %.200s", base, code, body)
				}
			}
		})
	}
	// Kill A mid-stream, let the writers go on through B (and fail on A)
	// for a while, then stop them.
	for acked.Load() < 80 {
		time.Sleep(10 * time.Millisecond)
	}
	a.kill()
	before := acked.Load()
	for acked.Load() < before+40 {
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	wg.Wait()

	for _, id := range reports {
		if code, _ := pgDo(t, "GET", b.base+"/api/v1/reports/"+id, token, "", "", nil); code != http.StatusOK {
			t.Errorf("acknowledged report %s through the survivor: %d", id, code)
		}
	}
	for _, id := range incidents {
		if code, _ := pgDo(t, "GET", b.base+"/api/v1/incidents/"+id, token, "", "", nil); code != http.StatusOK {
			t.Errorf("acknowledged incident %s through the survivor: %d", id, code)
		}
	}
	db, err := postgres.Open(context.Background(), storeURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Verify(context.Background()); err != nil {
		t.Errorf("verify after the kill: %v", err)
	}
	n, _ := db.Count(context.Background())
	if n < len(reports) {
		t.Errorf("%d reports stored, %d acknowledged", n, len(reports))
	}
	t.Logf("%d reports and %d incidents acknowledged (%d before the kill); %d stored", len(reports), len(incidents), before, n)
	if len(reports) < 120 || len(incidents) == 0 {
		t.Errorf("too few writes to mean anything: %d reports, %d incidents", len(reports), len(incidents))
	}
}

// TestH20DeskMigrate copies a bbolt store's incidents, rules, desk places
// (one deleted: the ids keep their gap) and audit log into PostgreSQL with
// geotag migrate, twice (the second run copies nothing again), and back
// into an empty bbolt store with the same steps; every record is identical
// and a new desk place takes an id no deleted one had.
func TestH20DeskMigrate(t *testing.T) {
	dsn := pgTestStore(t)
	ctx := context.Background()
	data := t.TempDir()
	src, err := store.Open(filepath.Join(data, "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 4 {
		r := &geotag.Report{Title: fmt.Sprint("r", i), Text: "text", Time: time.Date(2025, 5, 1, i, 0, 0, 0, time.UTC)}
		if err := src.CreateReport(ctx, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	for _, srcs := range [][]string{ids[:2], ids[2:3]} {
		inc := &geotag.Incident{Title: "inc", Sources: srcs, Figures: geotag.IncidentFigures{Time: time.Date(2025, 5, 1, 0, 0, 0, 1, time.UTC)}}
		if err := src.CreateIncident(ctx, inc); err != nil {
			t.Fatal(err)
		}
	}
	for _, w := range []string{"Palmyra", "Jordan"} {
		if err := src.CreateRule(ctx, &geotag.Rule{Words: w, Key: geotag.NameKey(w), Action: geotag.RuleNotPlace, By: "ana"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{"Camp One", "Camp Two", "Camp Three"} {
		if err := src.CreateDeskPlace(ctx, &geotag.DeskPlace{Names: []string{n}, Lat: 1, Lon: 2, By: "bo"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.DeleteDeskPlace(ctx, geotag.DeskPlaceIDBase-1, "bo"); err != nil {
		t.Fatal(err)
	}
	src.Close()
	for run, want := range []string{"2 incidents copied, 0 there already", "0 incidents copied, 2 there already"} {
		var out strings.Builder
		if err := Run(ctx, []string{"migrate", "--from-data", data, "--to", dsn}, strings.NewReader(""), &out, io.Discard); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if !strings.Contains(out.String(), want) || !strings.Contains(out.String(), "audit entries; every one present") {
			t.Fatalf("run %d: %q, want %q", run, out.String(), want)
		}
	}
	src, err = store.Open(filepath.Join(data, "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := postgres.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	// Every step verified what it copied; check the outcome besides.
	for _, c := range []struct {
		name string
		a, b any
	}{{"incidents", mustH20(deskIncidents(ctx, src)), mustH20(deskIncidents(ctx, dst))}, {"rules", mustH20(src.Rules(ctx)), mustH20(dst.Rules(ctx))},
		{"desk places", mustH20(src.DeskPlaces(ctx)), mustH20(dst.DeskPlaces(ctx))}, {"audit", mustH20(deskAudit(ctx, src)), mustH20(deskAudit(ctx, dst))}} {
		if !deskSameJSON(c.a, c.b) {
			t.Errorf("%s differ after the migration", c.name)
		}
	}
	if of, _ := dst.IncidentOf(ctx, ids[2]); of == "" {
		t.Error("a source's link was not copied")
	}
	d := geotag.DeskPlace{Names: []string{"Camp Four"}, Lat: 1, Lon: 2}
	if err := dst.CreateDeskPlace(ctx, &d); err != nil || d.ID != geotag.DeskPlaceIDBase-3 {
		t.Errorf("a new desk place on the target: %v, id %d", err, d.ID)
	}

	// And back, into a new bbolt store, by the command.
	backDir := t.TempDir()
	var out strings.Builder
	if err := Run(ctx, []string{"migrate", "--from", dsn, "--to-data", backDir}, strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	back, err := store.Open(filepath.Join(backDir, "geotag.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if !strings.Contains(out.String(), "3 desk places copied, 0 there already") || !strings.Contains(out.String(), "2 incidents copied") {
		t.Errorf("back: %s", out.String())
	}
	if !deskSameJSON(mustH20(back.DeskPlaces(ctx)), mustH20(dst.DeskPlaces(ctx))) || !deskSameJSON(mustH20(deskAudit(ctx, back)), mustH20(deskAudit(ctx, dst))) {
		t.Error("desk places or audit differ after the way back")
	}
	d = geotag.DeskPlace{Names: []string{"Camp Five"}, Lat: 1, Lon: 2}
	if err := back.CreateDeskPlace(ctx, &d); err != nil || d.ID != geotag.DeskPlaceIDBase-4 {
		t.Errorf("a new desk place after the way back: %v, id %d", err, d.ID)
	}
}

func mustH20[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
