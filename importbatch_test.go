package geotag_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/geotag/geotag"
)

func TestImportInBatches(t *testing.T) {
	rs := make([]*geotag.Report, 7)
	for i := range rs {
		rs[i] = &geotag.Report{Title: "r"}
	}
	var sizes []int
	write := func(b []*geotag.Report) (geotag.ImportResult, error) {
		sizes = append(sizes, len(b))
		return geotag.ImportResult{Created: len(b) - 1, Duplicates: 1}, nil
	}
	ok := func(*geotag.Report) error { return nil }
	res, err := geotag.ImportInBatches(context.Background(), rs, 3, ok, write)
	if err != nil || res.Created != 4 || res.Duplicates != 3 || len(sizes) != 3 || sizes[2] != 1 {
		t.Fatalf("ImportInBatches = %+v, %v in batches %v; want 4 created, 3 duplicates in 3, 3, 1", res, err, sizes)
	}

	// One bad report: nothing is written, the error names its index.
	sizes = nil
	rs[5].Title = ""
	bad := func(r *geotag.Report) error {
		if r.Title == "" {
			return geotag.FieldErrorf(geotag.EINVALID, "title", "title is empty")
		}
		return nil
	}
	_, err = geotag.ImportInBatches(context.Background(), rs, 3, bad, write)
	if geotag.ErrorCode(err) != geotag.EINVALID || geotag.ErrorField(err) != "title" || !strings.Contains(err.Error(), "report 5") || sizes != nil {
		t.Fatalf("err %v after batches %v; want EINVALID naming report 5, nothing written", err, sizes)
	}

	// A failing batch stops the import; the batches before it count.
	fail := errors.New("disk full")
	n := 0
	res, err = geotag.ImportInBatches(context.Background(), rs, 3, ok, func(b []*geotag.Report) (geotag.ImportResult, error) {
		if n++; n == 2 {
			return geotag.ImportResult{}, fail
		}
		return geotag.ImportResult{Created: len(b)}, nil
	})
	if !errors.Is(err, fail) || res.Created != 3 {
		t.Fatalf("= %+v, %v; want the first batch's 3 and the batch's error", res, err)
	}

	// An ended context stops before the next batch.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := geotag.ImportInBatches(ctx, rs, 3, ok, write); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}
