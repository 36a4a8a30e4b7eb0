package geo

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/geotag/geotag"
)

// GoldDoc is one document of a gold file in the format of the evaluation
// sets (LGL, GeoVirus) and of ../shared/eval/score.py: code-point spans with
// the place each names. Predictions use the same shape.
type GoldDoc struct {
	ID       string
	Text     string
	Toponyms []GoldToponym
	Ignore   []Span // predictions overlapping these count neither way
}

// GoldToponym is one annotated or predicted place name. Lat and Lon are nil
// for a name that is recognised but not resolved; GeonameID is nil when
// unknown.
type GoldToponym struct {
	Start     int      `json:"start"`
	End       int      `json:"end"`
	Name      string   `json:"name,omitempty"`
	Lat       *float64 `json:"lat"`
	Lon       *float64 `json:"lon"`
	GeonameID *int64   `json:"geonameid,omitempty"`
}

// Span is a code-point range, end exclusive.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// ReadGold reads a JSONL gold (or prediction) file. Documents with the same
// id replace earlier ones in place, as the reference scorer's dictionary
// does. It returns an EINVALID error naming the line of a malformed document.
func ReadGold(r io.Reader) ([]GoldDoc, error) {
	var docs []GoldDoc
	pos := map[string]int{}
	br := bufio.NewReaderSize(r, 1<<20)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(trimSpace(b)) > 0 {
			var raw struct {
				ID       json.RawMessage `json:"id"`
				Text     string          `json:"text"`
				Toponyms []GoldToponym   `json:"toponyms"`
				Ignore   []Span          `json:"ignore"`
			}
			if jerr := json.Unmarshal(b, &raw); jerr != nil {
				return nil, geotag.Errorf(geotag.EINVALID, "line %d: %v", line, jerr)
			}
			d := GoldDoc{ID: RawID(raw.ID), Text: raw.Text, Toponyms: raw.Toponyms, Ignore: raw.Ignore}
			if p, ok := pos[d.ID]; ok {
				docs[p] = d
			} else {
				pos[d.ID] = len(docs)
				docs = append(docs, d)
			}
		}
		if err == io.EOF {
			return docs, nil
		} else if err != nil {
			return nil, err
		}
	}
}

// RawID turns a JSON id (string or number) into the string the reference
// scorer keys documents by.
func RawID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return strconv.FormatInt(i, 10)
		}
		return n.String()
	}
	return string(raw)
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\n' || b[0] == '\r' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

// Predictions turns a tagger's mentions into scorer toponyms. Places with
// no GeoNames id (negative ids) carry no geonameid.
func Predictions(ms []geotag.Mention) []GoldToponym {
	out := make([]GoldToponym, 0, len(ms))
	for _, m := range ms {
		t := GoldToponym{Start: m.Start, End: m.End, Name: m.Text}
		if m.Place != nil {
			lat, lon := m.Place.Lat, m.Place.Lon
			t.Lat, t.Lon = &lat, &lon
			if m.Place.ID > 0 {
				id := m.Place.ID
				t.GeonameID = &id
			}
		}
		out = append(out, t)
	}
	return out
}

// Scores are the figures of ../shared/eval/score.py, field for field.
type Scores struct {
	Docs                 int
	GoldToponyms         int
	PredToponyms         int
	ExactP               float64
	ExactR               float64
	ExactF1              float64
	OverlapP             float64
	OverlapR             float64
	OverlapF1            float64
	GoldWithCoords       int
	RecognisedWithCoords int
	Unresolved           int
	Acc161Recognised     float64
	Acc161AllGold        float64
	Acc25AllGold         float64
	MeanKm               float64
	MedianKm             float64
	AUC                  float64
	GeonameIDAcc         float64
	GeonameIDPairs       int
}

// maxKm is the error of a recognised but unresolved toponym: half the
// Earth's circumference.
const maxKm = 20039.0

// dedupe keeps the first toponym of each span, as the reference scorer does.
func dedupe(ts []GoldToponym) []GoldToponym {
	seen := map[Span]bool{}
	out := make([]GoldToponym, 0, len(ts))
	for _, t := range ts {
		k := Span{t.Start, t.End}
		if !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// Score compares predictions (by document id) with the gold documents
// exactly as score.py does: exact and overlap recognition, resolution over
// the one-to-one overlap pairing, errors in km, AUC.
func Score(gold []GoldDoc, pred map[string][]GoldToponym) Scores {
	var t tally
	t.s.Docs = len(gold)
	for _, gd := range gold {
		t.doc(dedupe(gd.Toponyms), notIgnored(gd, dedupe(pred[gd.ID])))
	}
	return t.scores()
}

// tally accumulates the counts and errors of Score over the documents.
type tally struct {
	s                         Scores
	tpExact, tpOverlap, gidOK int
	errs, resolved            []float64 // km per recognised gold toponym with coordinates; of those resolved
}

// notIgnored returns the predictions that overlap none of the document's
// ignored spans.
func notIgnored(gd GoldDoc, preds []GoldToponym) []GoldToponym {
	var p []GoldToponym
	for _, t := range preds {
		ignored := false
		for _, ig := range gd.Ignore {
			if min(ig.End, t.End) > max(ig.Start, t.Start) {
				ignored = true
				break
			}
		}
		if !ignored {
			p = append(p, t)
		}
	}
	return p
}

// doc counts one document's gold toponyms g and predictions p: exact
// matches, then each gold toponym paired with the unused prediction that
// overlaps it most.
func (t *tally) doc(g, p []GoldToponym) {
	s := &t.s
	s.GoldToponyms += len(g)
	s.PredToponyms += len(p)
	pset := map[Span]bool{}
	for _, x := range p {
		pset[Span{x.Start, x.End}] = true
	}
	for _, x := range g {
		if pset[Span{x.Start, x.End}] {
			t.tpExact++
		}
		if x.Lat != nil {
			s.GoldWithCoords++
		}
	}
	used := make([]bool, len(p))
	for _, gt := range g {
		best, bestOv := -1, 0
		for j, pt := range p {
			if used[j] {
				continue
			}
			if ov := min(gt.End, pt.End) - max(gt.Start, pt.Start); ov > bestOv {
				best, bestOv = j, ov
			}
		}
		if best >= 0 {
			used[best] = true
			t.pair(gt, p[best])
		}
	}
}

// pair counts a gold toponym and the prediction that overlaps it.
func (t *tally) pair(gt, pt GoldToponym) {
	s := &t.s
	t.tpOverlap++
	if gt.Lat == nil {
		return
	}
	s.RecognisedWithCoords++
	if pt.Lat == nil || pt.Lon == nil {
		s.Unresolved++
		t.errs = append(t.errs, maxKm)
	} else {
		e := geotag.DistanceKm(*gt.Lat, *gt.Lon, *pt.Lat, *pt.Lon)
		t.errs = append(t.errs, e)
		t.resolved = append(t.resolved, e)
	}
	if gt.GeonameID != nil && pt.GeonameID != nil {
		s.GeonameIDPairs++
		if *gt.GeonameID == *pt.GeonameID {
			t.gidOK++
		}
	}
}

// scores turns the tally into the figures.
func (t *tally) scores() Scores {
	s := t.s
	hits, near := 0, 0
	for _, e := range t.errs {
		if e < 161 {
			hits++
		}
		if e < 25 {
			near++
		}
	}
	s.ExactP, s.ExactR, s.ExactF1 = prf(t.tpExact, s.PredToponyms, s.GoldToponyms)
	s.OverlapP, s.OverlapR, s.OverlapF1 = prf(t.tpOverlap, s.PredToponyms, s.GoldToponyms)
	s.Acc161Recognised = ratio(hits, s.RecognisedWithCoords)
	s.Acc161AllGold = ratio(hits, s.GoldWithCoords)
	s.Acc25AllGold = ratio(near, s.GoldWithCoords)
	s.MeanKm, s.MedianKm = meanMedian(t.resolved)
	s.AUC = auc(t.errs)
	s.GeonameIDAcc = ratio(t.gidOK, s.GeonameIDPairs)
	return s
}

// meanMedian returns the mean and the median of xs (sorting xs), NaN for
// none.
func meanMedian(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	sum := 0.0
	for _, e := range xs {
		sum += e
	}
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return sum / float64(n), xs[n/2]
	}
	return sum / float64(n), (xs[n/2-1] + xs[n/2]) / 2
}

func prf(tp, nPred, nGold int) (p, r, f float64) {
	if nPred > 0 {
		p = float64(tp) / float64(nPred)
	}
	if nGold > 0 {
		r = float64(tp) / float64(nGold)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

func ratio(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

func auc(errs []float64) float64 {
	if len(errs) < 2 {
		return math.NaN()
	}
	y := make([]float64, len(errs))
	copy(y, errs)
	sort.Float64s(y)
	sum := 0.0
	for i, e := range y {
		y[i] = math.Log(1+math.Min(e, maxKm)) / math.Log(maxKm)
		sum += y[i]
	}
	return (sum - (y[0]+y[len(y)-1])/2) / float64(len(y)-1)
}

// WriteText prints the scores as score.py prints them: one "%-24s value"
// line per figure, floats with four decimals, NaN as "nan".
func (s Scores) WriteText(w io.Writer) error {
	for _, f := range s.fields() {
		var v string
		switch x := f.v.(type) {
		case int:
			v = strconv.Itoa(x)
		case float64:
			v = formatFloat(x)
		}
		if _, err := fmt.Fprintf(w, "%-24s %s\n", f.k, v); err != nil {
			return err
		}
	}
	return nil
}

func formatFloat(x float64) string {
	if math.IsNaN(x) {
		return "nan"
	}
	return strconv.FormatFloat(x, 'f', 4, 64)
}

// MarshalJSON writes the scores as score.py --json does, with the same keys
// and null for NaN.
func (s Scores) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, f := range s.fields() {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendQuote(b, f.k)
		b = append(b, ": "...)
		switch x := f.v.(type) {
		case int:
			b = strconv.AppendInt(b, int64(x), 10)
		case float64:
			if math.IsNaN(x) {
				b = append(b, "null"...)
			} else {
				n := len(b)
				b = strconv.AppendFloat(b, x, 'g', -1, 64)
				if !strings.ContainsAny(string(b[n:]), ".e") {
					b = append(b, ".0"...) // Python writes 1.0, not 1
				}
			}
		}
	}
	return append(b, '}'), nil
}

type field struct {
	k string
	v any
}

func (s Scores) fields() []field {
	return []field{
		{"docs", s.Docs}, {"gold_toponyms", s.GoldToponyms}, {"pred_toponyms", s.PredToponyms},
		{"exact_P", s.ExactP}, {"exact_R", s.ExactR}, {"exact_F1", s.ExactF1},
		{"overlap_P", s.OverlapP}, {"overlap_R", s.OverlapR}, {"overlap_F1", s.OverlapF1},
		{"gold_with_coords", s.GoldWithCoords}, {"recognised_with_coords", s.RecognisedWithCoords},
		{"unresolved", s.Unresolved},
		{"acc161_recognised", s.Acc161Recognised}, {"acc161_all_gold", s.Acc161AllGold},
		{"acc25_all_gold", s.Acc25AllGold},
		{"mean_km", s.MeanKm}, {"median_km", s.MedianKm}, {"AUC", s.AUC},
		{"geonameid_acc", s.GeonameIDAcc}, {"geonameid_pairs", s.GeonameIDPairs},
	}
}

// Coverage is the oracle bound of a gazetteer on gold: the share of gold
// toponyms with coordinates for which some candidate of the same name (by
// Lookup or Alias of its NameKey) lies within 161 km of the gold point.
func Coverage(g geotag.Gazetteer, gold []GoldDoc) (covered, total int) {
	for _, d := range gold {
		for _, t := range dedupe(d.Toponyms) {
			if t.Lat == nil || t.Lon == nil {
				continue
			}
			total++
			key := geotag.NameKey(t.Name)
			ok := false
			for _, p := range g.Lookup(key) {
				if geotag.DistanceKm(p.Lat, p.Lon, *t.Lat, *t.Lon) < 161 {
					ok = true
					break
				}
			}
			if !ok {
				if p, _, aok := g.Alias(key); aok && geotag.DistanceKm(p.Lat, p.Lon, *t.Lat, *t.Lon) < 161 {
					ok = true
				}
			}
			if ok {
				covered++
			}
		}
	}
	return covered, total
}

// Calibration buckets resolved predictions that overlap a gold toponym with
// coordinates by confidence, and reports for each bucket the mean
// confidence and the share within 161 km: a calibrated tagger has the two
// close. Bucket i holds confidences in [i/n, (i+1)/n).
type Calibration struct {
	Buckets []CalBucket
}

// CalBucket is one confidence bucket.
type CalBucket struct {
	Lo, Hi   float64
	N        int
	MeanConf float64
	Accuracy float64
}

// Calibrate pairs each document's mentions with its gold toponyms by
// overlap, as Score does, and buckets them by confidence. Mentions that
// overlap no gold toponym count as wrong (the tagger claimed a place that
// is not there).
func Calibrate(gold []GoldDoc, mentions map[string][]geotag.Mention, n int) Calibration {
	type acc struct {
		n       int
		conf    float64
		correct int
	}
	b := make([]acc, n)
	for _, gd := range gold {
		g := dedupe(gd.Toponyms)
		ms := mentions[gd.ID]
		used := make([]bool, len(g))
		for _, m := range ms {
			if m.Place == nil {
				continue
			}
			ignored := false
			for _, ig := range gd.Ignore {
				if min(ig.End, m.End) > max(ig.Start, m.Start) {
					ignored = true
				}
			}
			if ignored {
				continue
			}
			best, bestOv := -1, 0
			for k, t := range g {
				if used[k] {
					continue
				}
				if ov := min(t.End, m.End) - max(t.Start, m.Start); ov > bestOv {
					best, bestOv = k, ov
				}
			}
			ok := false
			if best >= 0 {
				used[best] = true
				t := g[best]
				if t.Lat == nil {
					continue // recognised, not grounded in gold: says nothing of resolution
				}
				ok = geotag.DistanceKm(*t.Lat, *t.Lon, m.Place.Lat, m.Place.Lon) < 161
			}
			i := min(int(m.Confidence*float64(n)), n-1)
			b[i].n++
			b[i].conf += m.Confidence
			if ok {
				b[i].correct++
			}
		}
	}
	var c Calibration
	for i, a := range b {
		cb := CalBucket{Lo: float64(i) / float64(n), Hi: float64(i+1) / float64(n), N: a.n, MeanConf: math.NaN(), Accuracy: math.NaN()}
		if a.n > 0 {
			cb.MeanConf = a.conf / float64(a.n)
			cb.Accuracy = float64(a.correct) / float64(a.n)
		}
		c.Buckets = append(c.Buckets, cb)
	}
	return c
}

// ECE is the expected calibration error: the mean over predictions of the
// gap between confidence and accuracy in their bucket.
func (c Calibration) ECE() float64 {
	tot, sum := 0, 0.0
	for _, b := range c.Buckets {
		if b.N == 0 {
			continue
		}
		tot += b.N
		sum += float64(b.N) * math.Abs(b.MeanConf-b.Accuracy)
	}
	if tot == 0 {
		return math.NaN()
	}
	return sum / float64(tot)
}
