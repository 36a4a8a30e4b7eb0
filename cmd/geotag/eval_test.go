package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A gold file written for this test: three short reports with annotated
// places (GeoNames coordinates), including a demonym, a trap name and a
// place the tagger should resolve by context.
const evalFixture = `{"id": "r1", "text": "Shelling hit Aleppo on Monday, and families fled to Amman, Jordan.", "toponyms": [{"start": 13, "end": 19, "name": "Aleppo", "lat": 36.20124, "lon": 37.16117}, {"start": 52, "end": 57, "name": "Amman", "lat": 31.95522, "lon": 35.94503}, {"start": 59, "end": 65, "name": "Jordan", "lat": 31.0, "lon": 36.0}]}
{"id": 2, "text": "John Kerry spoke in Paris, Texas, about the drought.", "toponyms": [{"start": 20, "end": 25, "name": "Paris", "lat": 33.66094, "lon": -95.55551}, {"start": 27, "end": 32, "name": "Texas", "lat": 31.25044, "lon": -99.25061}]}
{"id": "r3", "text": "Nothing happened here, the spokesman said.", "toponyms": []}
`

func writeGold(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "gold.jsonl")
	if err := os.WriteFile(p, []byte(evalFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runEvalCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := Run(context.Background(), append([]string{"eval"}, args...), strings.NewReader(""), &out, &errb)
	return out.String(), err
}

// field returns the value printed for a figure.
func field(out, name string) string {
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == name {
			return f[1]
		}
	}
	return ""
}

func TestEval(t *testing.T) {
	gold := writeGold(t)
	pred := filepath.Join(t.TempDir(), "pred.jsonl")
	out, err := runEvalCmd(t, "--pred", pred, "--calibration", gold)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"docs": "3", "gold_toponyms": "5", "gold_with_coords": "5",
		"overlap_R": "1.0000", "acc161_all_gold": "1.0000", "unresolved": "0",
	}
	for k, v := range want {
		if got := field(out, k); got != v {
			t.Errorf("%s = %q, want %q\n%s", k, got, v, out)
		}
	}
	for _, k := range []string{"exact_F1", "overlap_F1", "acc161_recognised", "acc25_all_gold", "AUC", "mean_km", "median_km", "geonameid_acc", "oracle_coverage", "ECE"} {
		if field(out, k) == "" {
			t.Errorf("no %s line:\n%s", k, out)
		}
	}
	// The predictions file is in score.py's format, one line per document.
	b, err := os.ReadFile(pred)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 3 {
		t.Fatalf("pred has %d lines", len(lines))
	}
	var doc struct {
		ID       string `json:"id"`
		Toponyms []struct {
			Start, End int
			Lat, Lon   *float64
		} `json:"toponyms"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &doc); err != nil || doc.ID != "r1" || len(doc.Toponyms) < 3 {
		t.Errorf("pred line 1: %v %s", err, lines[0])
	}

	// The same figures as the reference scorer: compared when it is at
	// hand, and required under CI (CI=true), where ../shared is laid
	// beside the clone.
	script := filepath.Join("..", "..", "..", "shared", "eval", "score.py")
	py, err := referenceScorer(script)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the reference scorer is needed under CI: %v", err)
		}
		t.Logf("not compared with the reference scorer: %v", err)
		return
	}
	ref, err := exec.Command(py, script, gold, pred).Output()
	if err != nil {
		t.Fatalf("score.py: %v", err)
	}
	if !strings.HasPrefix(out, string(ref)) {
		t.Errorf("geotag eval:\n%s\nscore.py:\n%s", out, ref)
	}
}

// referenceScorer returns python3's path when script and python3 are both
// at hand, else what is missing.
func referenceScorer(script string) (string, error) {
	if _, err := os.Stat(script); err != nil {
		return "", err
	}
	return exec.LookPath("python3")
}

func TestEvalJSONAndPart(t *testing.T) {
	gold := writeGold(t)
	out, err := runEvalCmd(t, "--json", "--part", "0:0.5", gold)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if m["docs"] != 1.0 || m["gold_toponyms"] != 3.0 {
		t.Errorf("--part 0:0.5 scored %v docs, %v toponyms", m["docs"], m["gold_toponyms"])
	}
}

func TestEvalErrors(t *testing.T) {
	if _, err := runEvalCmd(t); err == nil {
		t.Error("no file: no error")
	}
	if _, err := runEvalCmd(t, filepath.Join(t.TempDir(), "missing.jsonl")); err == nil {
		t.Error("missing file: no error")
	}
	bad := filepath.Join(t.TempDir(), "bad.jsonl")
	os.WriteFile(bad, []byte("{\"id\":1}\n{oops\n"), 0o644)
	if _, err := runEvalCmd(t, bad); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad file: %v", err)
	}
	if _, err := runEvalCmd(t, "--part", "0.5:0.2", writeGold(t)); err == nil {
		t.Error("bad --part accepted")
	}
}

// TestEvalSentences tags each sentence alone: the mentions of a later
// sentence keep their offsets in the whole document, so recognition scores
// as well as on whole documents.
func TestEvalSentences(t *testing.T) {
	p := filepath.Join(t.TempDir(), "gold.jsonl")
	gold := `{"id": "s", "text": "Rain fell. Shelling hit Aleppo. Families fled to Amman.", "toponyms": [{"start": 24, "end": 30, "name": "Aleppo", "lat": 36.20124, "lon": 37.16117}, {"start": 49, "end": 54, "name": "Amman", "lat": 31.95522, "lon": 35.94503}]}` + "\n"
	if err := os.WriteFile(p, []byte(gold), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runEvalCmd(t, "--sentences", p)
	if err != nil {
		t.Fatal(err)
	}
	if got := field(out, "exact_F1"); got != "1.0000" {
		t.Errorf("exact_F1 = %s, want 1.0000:\n%s", got, out)
	}
}
