package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/gazetteer"
	"github.com/geotag/geotag/geo"
)

// runEvalMain scores the automatic main location on the documents of a
// gold file that have a "main" point.
func runEvalMain(ctx context.Context, path, gazPath string, stdout io.Writer) error {
	gold, err := readMainGold(path)
	if err != nil {
		return err
	}
	gaz, err := openGazetteer(gazPath)
	if err != nil {
		return err
	}
	s, err := scoreMain(ctx, geo.NewTagger(gaz), gold)
	if err != nil {
		return err
	}
	s.write(stdout)
	return nil
}

// runEval tags every document of a gold JSONL file and prints the figures
// of ../shared/eval/score.py (same names, same formatting), then the
// oracle coverage of the gazetteer and, with --calibration, a reliability
// table of the confidences.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	predPath := fs.String("pred", "", "also write the predictions to `FILE` (score.py's PRED format)")
	asJSON := fs.Bool("json", false, "print the figures as one JSON object, as score.py --json does")
	part := fs.String("part", "", "score only documents in the fraction `A:B` of the file (e.g. 0:0.7, 0.7:1)")
	calib := fs.Bool("calibration", false, "also print a confidence reliability table")
	kinds := fs.String("kinds", "", "score only mentions of these `KINDS` (comma-separated: place,demonym,abbreviation; default all)")
	gazPath := fs.String("gazetteer", "", "use the gazetteer `FILE` written by \"geotag gazetteer build\" instead of the bundled one")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "tag with `N` goroutines")
	sentences := fs.Bool("sentences", false, "tag every sentence of a document alone, as headlines and one-line reports are")
	events := fs.String("events", "", "score the event suggestions on the dev set `FILE` instead (geo.EventGold lines)")
	mainOnly := fs.Bool("main", false, "score the automatic main location instead, on documents with a \"main\" point (title tagged with the text)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: geotag eval [flags] GOLD.jsonl\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *events != "" {
		return runEvalEvents(*events, *asJSON, stdout)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return flag.ErrHelp
	}
	if *mainOnly {
		return runEvalMain(ctx, fs.Arg(0), *gazPath, stdout)
	}
	gold, err := readGoldFile(fs.Arg(0), *part)
	if err != nil {
		return err
	}
	gaz, err := openGazetteer(*gazPath)
	if err != nil {
		return err
	}
	tagger := geo.NewTagger(gaz)
	mentions, err := tagDocs(ctx, tagger, gold, max(1, *workers), *sentences)
	if err != nil {
		return err
	}
	if *kinds != "" {
		if err := keepKinds(mentions, *kinds); err != nil {
			return err
		}
	}
	pred := map[string][]geo.GoldToponym{}
	for _, d := range gold {
		pred[d.ID] = geo.Predictions(mentions[d.ID])
	}
	if *predPath != "" {
		if err := writePred(*predPath, gold, pred); err != nil {
			return err
		}
	}
	s := geo.Score(gold, pred)
	if *asJSON {
		b, err := s.MarshalJSON()
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return err
	}
	if err := s.WriteText(stdout); err != nil {
		return err
	}
	cov, tot := geo.Coverage(gaz, gold)
	cr := float64(cov) / float64(max(tot, 1))
	fmt.Fprintf(stdout, "%-24s %.4f (%d of %d gold toponyms with coordinates have a same-name candidate within 161 km)\n", "oracle_coverage", cr, cov, tot)
	fmt.Fprintf(stdout, "%-24s %s\n", "tagger", tagger.Version())
	if *calib {
		writeCalibration(stdout, geo.Calibrate(gold, mentions, 10))
	}
	return nil
}

// readGoldFile reads a gold JSONL file, only the fraction part ("A:B")
// of its documents when part is given.
func readGoldFile(path, part string) ([]geo.GoldDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	gold, err := geo.ReadGold(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if part != "" {
		return slicePart(gold, part)
	}
	return gold, nil
}

// keepKinds keeps only the mentions of the comma-separated kinds.
func keepKinds(mentions map[string][]geotag.Mention, kinds string) error {
	keep := map[string]bool{}
	for _, k := range strings.Split(kinds, ",") {
		switch k = strings.TrimSpace(k); k {
		case geotag.KindPlace, geotag.KindDemonym, geotag.KindAbbreviation:
			keep[k] = true
		default:
			return geotag.FieldErrorf(geotag.EINVALID, "kinds", "unknown mention kind %q", k)
		}
	}
	for id, ms := range mentions {
		kept := ms[:0:0]
		for _, m := range ms {
			if keep[m.Kind] {
				kept = append(kept, m)
			}
		}
		mentions[id] = kept
	}
	return nil
}

// writeCalibration prints the reliability table and its ECE.
func writeCalibration(w io.Writer, c geo.Calibration) {
	fmt.Fprintf(w, "\ncalibration (every resolved mention; correct = overlaps a gold toponym and lies within 161 km of it)\n")
	fmt.Fprintf(w, "%-12s %7s %9s %9s\n", "confidence", "n", "mean_conf", "accuracy")
	for _, b := range c.Buckets {
		fmt.Fprintf(w, "%.1f–%.1f    %7d %9s %9s\n", b.Lo, b.Hi, b.N, fmtNaN(b.MeanConf), fmtNaN(b.Accuracy))
	}
	fmt.Fprintf(w, "%-24s %s\n", "ECE", fmtNaN(c.ECE()))
}

func fmtNaN(x float64) string {
	if x != x {
		return "nan"
	}
	return strconv.FormatFloat(x, 'f', 4, 64)
}

// slicePart keeps the documents in the fraction "A:B" of gold, in file order.
func slicePart(gold []geo.GoldDoc, part string) ([]geo.GoldDoc, error) {
	a, b, ok := strings.Cut(part, ":")
	fa, err1 := strconv.ParseFloat(a, 64)
	fb, err2 := strconv.ParseFloat(b, 64)
	if !ok || err1 != nil || err2 != nil || fa < 0 || fb > 1 || fa >= fb {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "part", "part must be A:B with 0 ≤ A < B ≤ 1, not %q", part)
	}
	n := len(gold)
	return gold[int(fa*float64(n)):int(fb*float64(n))], nil
}

// tagDocs tags the documents with n workers, each whole or, with
// sentences, each of its sentences alone.
func tagDocs(ctx context.Context, t geotag.Tagger, docs []geo.GoldDoc, n int, sentences bool) (map[string][]geotag.Mention, error) {
	out := make([][]geotag.Mention, len(docs))
	errs := make([]error, len(docs))
	idx := make(chan int)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				if sentences {
					out[i], errs[i] = tagSentences(ctx, t, docs[i].Text)
				} else {
					out[i], errs[i] = t.Tag(ctx, docs[i].Text, geotag.TagOptions{})
				}
			}
		}()
	}
	for i := range docs {
		idx <- i
	}
	close(idx)
	wg.Wait()
	m := make(map[string][]geotag.Mention, len(docs))
	for i, d := range docs {
		if errs[i] != nil {
			return nil, fmt.Errorf("document %s: %w", d.ID, errs[i])
		}
		m[d.ID] = out[i]
	}
	return m, nil
}

// tagSentences tags each sentence of text alone and returns the mentions
// with offsets in the whole text.
func tagSentences(ctx context.Context, t geotag.Tagger, text string) ([]geotag.Mention, error) {
	var out []geotag.Mention
	for _, s := range geo.Sentences(text) {
		ms, err := t.Tag(ctx, text[s.Start:s.End], geotag.TagOptions{})
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			m.Start += s.Rune
			m.End += s.Rune
			out = append(out, m)
		}
	}
	return out, nil
}

// writePred writes predictions in score.py's PRED format.
func writePred(path string, gold []geo.GoldDoc, pred map[string][]geo.GoldToponym) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, d := range gold {
		if err := enc.Encode(struct {
			ID       string            `json:"id"`
			Toponyms []geo.GoldToponym `json:"toponyms"`
		}{d.ID, pred[d.ID]}); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// openGazetteer loads the gazetteer file at path, or the bundled one when
// path is empty.
func openGazetteer(path string) (*gazetteer.Gazetteer, error) {
	if path == "" {
		return gazetteer.Open()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	g, err := gazetteer.Load(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return g, nil
}
