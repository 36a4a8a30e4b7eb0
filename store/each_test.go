package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/geotag/geotag"
)

// TestEachFeature checks that EachFeature gives, for every kind of filter
// and both feature options (the map's, and exports' with text and
// external_id), exactly the features AppendReportFeatureWith makes of
// EachReport's reports, in the same order.
func TestEachFeature(t *testing.T) {
	db := mustOpen(t)
	g := newGen(11)
	seed(t, db, g, 1500) // several chunks
	r := g.report()      // one with history and alternatives
	r.ExternalID, r.Text = "ext-<1>", r.Text+" \u2028 \"quoted\" <b>"
	r.Mentions = append(r.Mentions, geotag.Mention{Text: "Homs <&>", Kind: geotag.KindPlace,
		Alternatives: []geotag.Candidate{{Place: geotag.Place{ID: 1, Name: "Homs"}, Score: 0.5}}})
	if err := db.CreateReport(ctx, r); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateReport(ctx, r.ID, func(r *geotag.Report) error {
		r.Title = "edited \u2028 \xff"
		r.History = append(r.History, geotag.Revision{By: "me", Action: "review",
			Before: &r.Mentions[0], AfterLocation: &geotag.Location{Name: "x"}})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []geotag.ReportFilter{
		{},
		{Status: geotag.StatusReviewed},
		{BBox: &geotag.BBox{W: 30, S: 30, E: 40, N: 40}},
		{PlaceID: 170063},
		{Tag: "shelling"},
		{Q: "fighting"},
		{Q: "no such text"},
		{Tag: "airstrike", BBox: &geotag.BBox{W: -180, S: -90, E: 180, N: 90}},
	} {
		for _, opt := range []geotag.FeatureOptions{{}, geotag.FullFeature} {
			var want [][]byte
			if err := db.EachReport(ctx, f, func(r *geotag.Report) error {
				want = append(want, geotag.AppendReportFeatureWith(nil, r, opt))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			var got [][]byte
			if err := db.EachFeature(ctx, f, opt, func(b []byte) error {
				got = append(got, bytes.Clone(b))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%+v %+v: %d features, EachReport gives %d", f, opt, len(got), len(want))
			}
			for i := range got {
				if !bytes.Equal(got[i], want[i]) {
					t.Fatalf("%+v %+v: feature %d\n got %s\nwant %s", f, opt, i, got[i], want[i])
				}
			}
		}
	}
	if err := db.EachFeature(ctx, geotag.ReportFilter{Status: "bogus"}, geotag.FullFeature, func([]byte) error { return nil }); geotag.ErrorCode(err) != geotag.EINVALID {
		t.Errorf("invalid filter: %v, want EINVALID", err)
	}
}

func TestEachFeature_Stop(t *testing.T) {
	db := mustOpen(t)
	seed(t, db, newGen(6), 1200)
	boom := errors.New("boom")
	n := 0
	err := db.EachFeature(ctx, geotag.ReportFilter{}, geotag.FullFeature, func([]byte) error {
		if n++; n == 700 {
			return boom
		}
		return nil
	})
	if err != boom || n != 700 {
		t.Fatalf("err=%v after %d features, want fn's error after 700", err, n)
	}

	cctx, cancel := context.WithCancel(ctx)
	n = 0
	err = db.EachFeature(cctx, geotag.ReportFilter{}, geotag.FullFeature, func([]byte) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n >= 1200 {
		t.Fatalf("cancelled: err=%v after %d features, want context.Canceled before the end", err, n)
	}
}
