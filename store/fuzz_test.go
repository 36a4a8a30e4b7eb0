package store_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/store"
)

// FuzzQueries sends arbitrary filters, cursors, zooms and ids to a small
// store. No input may panic or be answered with anything but EINVALID (or
// ENOTFOUND for ids); and a query that is accepted pages through exactly
// the reports a full walk (EachReport) finds, without duplicates or gaps.
//
//	go test -run='^$' -fuzz='^FuzzQueries$' -fuzztime=1m ./store
func FuzzQueries(f *testing.F) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(f.TempDir(), "fuzz.db"), &store.Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	var ids []string
	base := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 60 {
		r := &geotag.Report{
			Title: fmt.Sprint("report ", i), Text: fmt.Sprintf("text %d Aleppo", i),
			Time:   base.Add(time.Duration(i%17) * 36 * time.Hour),
			Tags:   []string{fmt.Sprint("t", i%3)},
			Status: []string{geotag.StatusUnreviewed, geotag.StatusReviewed}[i%2],
		}
		if i%5 != 0 {
			lat, lon := float64(i%9)*10-40, float64(i*37%360)-180
			r.Location = &geotag.Location{Lat: lat, Lon: lon, Precision: 1, PlaceID: int64(100 + i%4), Mention: 0,
				Provenance: geotag.Provenance{Method: geotag.MethodAuto}}
			r.Mentions = []geotag.Mention{{Start: 0, End: 4, Text: "text", Kind: geotag.KindPlace,
				Place: &geotag.Place{ID: int64(100 + i%4), Lat: lat, Lon: lon}}}
		}
		if err := db.CreateReport(ctx, r); err != nil {
			f.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	f.Add(-180.0, -90.0, 180.0, 90.0, int64(0), int64(0), "", "", "", 10, "", 3, ids[0])
	f.Add(170.0, -10.0, -170.0, 10.0, int64(0), int64(24*365), "reviewed", "t1", "aleppo", 7, "", 0, ids[5])
	f.Add(-10.0, -50.0, 40.0, 50.0, int64(48), int64(300), "unreviewed", "", "", 1, "zz", 18, "nope")
	f.Add(0.0, 0.0, 0.0, 0.0, int64(-1), int64(-1), "bogus", "T2", "1", -1, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 25, "")
	f.Add(math.NaN(), 0.0, math.Inf(1), 1.0, int64(0), int64(0), "", "", "", 100000, "", -1, ids[59]+"x")
	f.Fuzz(func(t *testing.T, w, s, e, n float64, fromH, toH int64, status, tag, q string, limit int, cursor string, zoom int, id string) {
		f := geotag.ReportFilter{Status: status, Tag: tag, Q: q, Limit: limit, Cursor: cursor}
		if !(w == 0 && s == 0 && e == 0 && n == 0) {
			f.BBox = &geotag.BBox{W: w, S: s, E: e, N: n}
		}
		if fromH >= 0 {
			t0 := base.Add(time.Duration(fromH%1_000_000) * time.Hour)
			f.From = &t0
		}
		if toH >= 0 {
			t1 := base.Add(time.Duration(toH%1_000_000) * time.Hour)
			f.To = &t1
		}
		allowed := func(what string, err error, codes ...string) {
			if err != nil && !slices.Contains(codes, geotag.ErrorCode(err)) {
				t.Fatalf("%s %+v: %v (code %q)", what, f, err, geotag.ErrorCode(err))
			}
		}
		if _, err := db.FindReportByID(ctx, id); err != nil {
			allowed("FindReportByID "+id, err, geotag.ENOTFOUND)
		}
		_, err := db.Cells(ctx, f, zoom)
		allowed(fmt.Sprint("Cells zoom ", zoom), err, geotag.EINVALID)
		page, err := db.FindReports(ctx, f)
		allowed("FindReports", err, geotag.EINVALID)
		if err != nil || cursor != "" || limit <= 0 {
			return
		}
		// An accepted first page: paging through agrees with a full walk.
		var walk []string
		if err := db.EachReport(ctx, f, func(r *geotag.Report) error {
			walk = append(walk, r.ID)
			return nil
		}); err != nil {
			t.Fatalf("EachReport %+v: %v (FindReports accepted it)", f, err)
		}
		var paged []string
		for pages := 0; ; pages++ {
			for _, r := range page.Reports {
				paged = append(paged, r.ID)
			}
			if page.Total != len(walk) {
				t.Fatalf("%+v: Total %d, a full walk finds %d", f, page.Total, len(walk))
			}
			if page.Next == "" || pages > len(ids) {
				break
			}
			f.Cursor = page.Next
			if page, err = db.FindReports(ctx, f); err != nil {
				t.Fatalf("next page %+v: %v", f, err)
			}
		}
		if !slices.Equal(paged, walk) {
			t.Fatalf("%+v: pages give %d reports %v, a full walk %d %v", f, len(paged), paged, len(walk), walk)
		}
	})
}

// FuzzAuthenticate checks that no secret authenticates except the one a
// token was created with, and that nothing panics.
func FuzzAuthenticate(f *testing.F) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(f.TempDir(), "tok.db"), &store.Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	secret, tok, err := db.CreateToken(ctx, "admin", false)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(secret[:len(secret)-1])
	f.Add(secret + " ")
	f.Add("gt_")
	f.Add("")
	f.Add(tok.ID)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := db.Authenticate(ctx, s)
		if s == secret {
			if err != nil || got.ID != tok.ID {
				t.Fatalf("the secret does not authenticate: %v", err)
			}
			return
		}
		if geotag.ErrorCode(err) != geotag.EUNAUTHORIZED {
			t.Fatalf("Authenticate(%q) = %+v, %v; want EUNAUTHORIZED", s, got, err)
		}
	})
}
