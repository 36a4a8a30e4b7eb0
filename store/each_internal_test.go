package store

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/geotag/geotag"
)

// TestAppendFeature checks the partial decode of exports against the full
// one on a report with every field set, and that a record cut short in the
// fields a feature reads is corrupt, never a panic.
func TestAppendFeature(t *testing.T) {
	var full geotag.Report
	n := 0
	fill(reflect.ValueOf(&full).Elem(), &n)
	id := newIDGen().next(time.Now())
	full.ID = id.String()
	for _, opt := range []geotag.FeatureOptions{{}, geotag.FullFeature} {
		sc := featureScratch{opt: opt}
		for _, r := range []*geotag.Report{&full, {ID: id.String()}, &full} { // the scratch is reused
			rec := encodeReport(nil, r)
			dec, err := decodeReport(id[:], rec)
			if err != nil {
				t.Fatal(err)
			}
			want := geotag.AppendReportFeatureWith(nil, dec, opt)
			got, err := sc.appendFeature([]byte("x"), id[:], rec)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got[1:], want) || got[0] != 'x' {
				t.Fatalf("%+v:\n got %s\nwant x%s", opt, got, want)
			}
			if opt.Full != bytes.Contains(got, []byte(`"text":`)) {
				t.Fatalf("%+v: %s", opt, got)
			}
		}
	}
	var sc featureScratch
	rec := encodeReport(nil, &full)
	short := encodeReport(nil, &geotag.Report{ID: full.ID, ExternalID: full.ExternalID, Title: full.Title, Text: full.Text,
		Source: full.Source, Time: full.Time, TimePrecision: full.TimePrecision, Created: full.Created, Updated: full.Updated,
		Status: full.Status, Tags: full.Tags, Mentions: full.Mentions, Location: full.Location})
	// short is rec without history; every cut before the history is corrupt.
	for i := 0; i < len(short)-1; i++ {
		if _, err := sc.appendFeature(nil, id[:], rec[:i]); err == nil {
			t.Fatalf("cut at %d of %d: no error", i, len(rec))
		}
	}
}

func BenchmarkAppendFeature(b *testing.B) {
	var full geotag.Report
	n := 0
	fill(reflect.ValueOf(&full).Elem(), &n)
	id := newIDGen().next(time.Now())
	rec := encodeReport(nil, &full)
	var sc featureScratch
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = sc.appendFeature(buf[:0], id[:], rec)
	}
}
