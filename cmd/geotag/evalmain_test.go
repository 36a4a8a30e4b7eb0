package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A main-location gold file written for this test: a report whose title
// alone names the place, one whose dateline and speaker are elsewhere, one
// the measure must miss (its gold point is far from anything named), and
// one without a main point, which is skipped.
const mainFixture = `{"id": "a", "title": "Shelling of Aleppo", "text": "", "main": {"name": "Aleppo", "lat": 36.20124, "lon": 37.16117}}
{"id": "b", "text": "AMMAN, Jordan (Wire) — Officials in Amman said an airstrike hit Aleppo overnight.", "main": {"name": "Aleppo", "lat": 36.20124, "lon": 37.16117}}
{"id": "c", "text": "Fighting near Aleppo.", "main": {"name": "Nowhere", "lat": -40, "lon": -120}}
{"id": "d", "text": "Amman.", "toponyms": []}
`

func TestEvalMain(t *testing.T) {
	p := filepath.Join(t.TempDir(), "main.jsonl")
	if err := os.WriteFile(p, []byte(mainFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runEvalCmd(t, "--main", p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"main_documents": "3", "main_found": "3", "main_acc25": "0.6667", "main_acc161": "0.6667"}
	for k, v := range want {
		if got := field(out, k); got != v {
			t.Errorf("%s = %q, want %q\n%s", k, got, v, out)
		}
	}
	if !strings.Contains(out, "main_miss  c: chose Aleppo (") || strings.Count(out, "main_miss") != 1 {
		t.Errorf("misses:\n%s", out)
	}
	none := filepath.Join(t.TempDir(), "none.jsonl")
	os.WriteFile(none, []byte(`{"id": "x", "text": "Amman."}`+"\n"), 0o644)
	if _, err := runEvalCmd(t, "--main", none); err == nil || !strings.Contains(err.Error(), `no document has a "main" point`) {
		t.Errorf("a file without main points: %v", err)
	}
}
