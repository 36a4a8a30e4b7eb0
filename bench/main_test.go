package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"strings"
	"testing"
)

// TestStoreJSON runs the store benchmark on a small store and checks that
// --json prints every figure the issue names, each with a baseline where
// one is promised, as one object per line.
func TestStoreJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a few thousand reports")
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"store", "--reports", "2000", "--queries", "5", "--json", "-q", "--dir", t.TempDir()}, &out, &errb)
	if err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	got := map[string]figure{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var f figure
		if err := json.Unmarshal(sc.Bytes(), &f); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if f.Name == "" || f.Unit == "" {
			t.Errorf("line %q lacks a name or unit", sc.Text())
		}
		got[f.Name] = f
	}
	for _, name := range []string{"import_reports_per_s", "query_p50_ms", "query_p99_ms", "query_place_p50_ms",
		"export_features_per_s", "export_peak_heap_mb", "bytes_per_report"} {
		if f, ok := got[name]; !ok || f.Value <= 0 {
			t.Errorf("figure %s missing or not positive: %+v", name, f)
		}
		if name != "export_peak_heap_mb" {
			if _, ok := got["baseline_"+name]; !ok {
				t.Errorf("figure %s has no baseline", name)
			}
		}
	}
}

func TestRunUnknown(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"nope"}, &out, &errb); err == nil || !strings.Contains(errb.String(), "store") {
		t.Fatalf("err=%v, usage %q", err, errb.String())
	}
	if err := run(context.Background(), nil, &out, &errb); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("no arguments: err=%v, want flag.ErrHelp", err)
	}
}
