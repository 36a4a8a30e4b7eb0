package geo_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geotag/geotag/geo"
)

// A gold file and predictions written for this test: two documents, one with
// an ignore span, exact and partial matches, an unresolved prediction and a
// far-off one.
const fixtureGold = `{"id": "a", "text": "Rain fell on Springfield, Ohio and on Dayton.", "toponyms": [{"start": 13, "end": 24, "name": "Springfield", "lat": 39.92, "lon": -83.81, "geonameid": 4520760}, {"start": 26, "end": 30, "name": "Ohio", "lat": 40.25, "lon": -83.0, "geonameid": 5165418}, {"start": 38, "end": 44, "name": "Dayton", "lat": 39.76, "lon": -84.19, "geonameid": 4509884}]}
{"id": 7, "text": "Syrian forces shelled Aleppo; the Euphrates rose.", "toponyms": [{"start": 22, "end": 28, "name": "Aleppo", "lat": 36.2, "lon": 37.16}, {"start": 34, "end": 43, "name": "Euphrates", "lat": null, "lon": null}], "ignore": [{"start": 0, "end": 6}]}
{"id": "c", "text": "Nothing here.", "toponyms": []}
`

const fixturePred = `{"id": "a", "toponyms": [{"start": 13, "end": 30, "lat": 39.92, "lon": -83.81, "geonameid": 4520760}, {"start": 38, "end": 44, "lat": 35.0, "lon": 10.0}, {"start": 0, "end": 4, "lat": 1, "lon": 1}]}
{"id": "7", "toponyms": [{"start": 0, "end": 6, "lat": 35, "lon": 38}, {"start": 22, "end": 28, "lat": null, "lon": null}, {"start": 30, "end": 43, "lat": 35.5, "lon": 39.5}]}
`

func readFixture(t *testing.T, s string) []geo.GoldDoc {
	t.Helper()
	docs, err := geo.ReadGold(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func fixtureScores(t *testing.T) geo.Scores {
	gold := readFixture(t, fixtureGold)
	pred := map[string][]geo.GoldToponym{}
	for _, d := range readFixture(t, fixturePred) {
		pred[d.ID] = d.Toponyms
	}
	return geo.Score(gold, pred)
}

func TestScore(t *testing.T) {
	s := fixtureScores(t)
	// Worked by hand: gold 5 spans; predictions 6, one dropped by the ignore
	// span, so 5. Exact: Dayton, Aleppo = 2. Overlap pairs: Springfield↔13-30,
	// Ohio↔none (13-30 is taken), Dayton↔38-44, Aleppo↔22-28, Euphrates↔30-43 = 4.
	ints := map[string][2]int{
		"docs": {s.Docs, 3}, "gold": {s.GoldToponyms, 5}, "pred": {s.PredToponyms, 5},
		"gold_with_coords": {s.GoldWithCoords, 4}, "recognised_with_coords": {s.RecognisedWithCoords, 3},
		"unresolved": {s.Unresolved, 1}, "geonameid_pairs": {s.GeonameIDPairs, 1},
	}
	for k, v := range ints {
		if v[0] != v[1] {
			t.Errorf("%s = %d, want %d", k, v[0], v[1])
		}
	}
	floats := map[string][2]float64{
		"exact_P": {s.ExactP, 2.0 / 5}, "exact_R": {s.ExactR, 2.0 / 5},
		"overlap_P": {s.OverlapP, 4.0 / 5}, "overlap_R": {s.OverlapR, 4.0 / 5}, "overlap_F1": {s.OverlapF1, 0.8},
		"acc161_recognised": {s.Acc161Recognised, 1.0 / 3}, "acc161_all_gold": {s.Acc161AllGold, 1.0 / 4},
		"acc25_all_gold": {s.Acc25AllGold, 1.0 / 4}, "geonameid_acc": {s.GeonameIDAcc, 1},
		"median_km": {s.MedianKm, s.MeanKm},
	}
	for k, v := range floats {
		if math.Abs(v[0]-v[1]) > 1e-9 {
			t.Errorf("%s = %v, want %v", k, v[0], v[1])
		}
	}
	if !(s.AUC > 0.5 && s.AUC < 1) {
		t.Errorf("AUC = %v", s.AUC)
	}
	var buf bytes.Buffer
	if err := s.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "overlap_F1               0.8000\n") {
		t.Errorf("text output:\n%s", buf.String())
	}
}

func TestScoreEmpty(t *testing.T) {
	s := geo.Score(readFixture(t, `{"id":1,"text":"x","toponyms":[]}`), nil)
	if !math.IsNaN(s.AUC) || !math.IsNaN(s.Acc161AllGold) || s.OverlapF1 != 0 {
		t.Errorf("empty: %+v", s)
	}
	b, err := s.MarshalJSON()
	if err != nil || !strings.Contains(string(b), `"AUC": null`) || !strings.Contains(string(b), `"exact_P": 0.0,`) || !json.Valid(b) {
		t.Errorf("json %s %v", b, err)
	}
}

func TestReadGoldErrors(t *testing.T) {
	if _, err := geo.ReadGold(strings.NewReader("{\"id\":1}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("err %v", err)
	}
}

// TestScoreMatchesReference runs the reference scorer on the same fixture
// when python3 and ../shared/eval/score.py are at hand (CI keeps shared/
// beside the clone), and compares every figure.
func TestScoreMatchesReference(t *testing.T) {
	script := ""
	for _, p := range []string{"../../shared/eval/score.py", "../shared/eval/score.py"} {
		if _, err := os.Stat(p); err == nil {
			script = p
			break
		}
	}
	py, err := exec.LookPath("python3")
	if script == "" || err != nil {
		t.Skip("no python3 or ../shared/eval/score.py")
	}
	dir := t.TempDir()
	gp, pp := filepath.Join(dir, "gold.jsonl"), filepath.Join(dir, "pred.jsonl")
	os.WriteFile(gp, []byte(fixtureGold), 0o644)
	os.WriteFile(pp, []byte(fixturePred), 0o644)
	want, err := exec.Command(py, script, gp, pp).Output()
	if err != nil {
		t.Fatalf("score.py: %v", err)
	}
	var got bytes.Buffer
	fixtureScores(t).WriteText(&got)
	if got.String() != string(want) {
		t.Errorf("geo.Score:\n%s\nscore.py:\n%s", got.String(), want)
	}
}
