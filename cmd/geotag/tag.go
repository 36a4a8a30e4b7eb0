package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/geotag/geotag"
	"github.com/geotag/geotag/geo"
)

// maxTagInput bounds the text `geotag tag` reads from stdin in one piece,
// and one line of --jsonl input.
const maxTagInput = 64 << 20

// runTag tags text from stdin. Plain: the whole of stdin is one text, and
// one {"mentions":[...]} object is printed. --jsonl: each line is
// {"id":..,"text":..} and one line {"id":..,"mentions":[...]} is printed per
// input line, in input order, tagging on all cores.
func runTag(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tag", flag.ContinueOnError)
	fs.SetOutput(stderr)
	jsonl := fs.Bool("jsonl", false, "read JSON lines {\"id\",\"text\"} and print one {\"id\",\"mentions\"} line each, in order")
	country := fs.String("country", "", "bias towards places in these `CC,CC` ISO 3166-1 alpha-2 country codes")
	bbox := fs.String("bbox", "", "bias towards places inside `W,S,E,N` (degrees)")
	gazPath := fs.String("gazetteer", "", "use the gazetteer `FILE` written by \"geotag gazetteer build\" instead of the bundled one")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "tag with `N` goroutines (--jsonl)")
	rulesPath := fs.String("rules", "", "apply the desk rules in `FILE` (JSON lines, an array or {\"rules\":[…]}: the export of GET /api/v1/rules)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: geotag tag [--jsonl] [--country CC,CC] [--bbox W,S,E,N] [--rules FILE] < TEXT\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("tag: unexpected argument %q (text is read from stdin)", fs.Arg(0))
	}
	opt, err := geotag.ParseTagOptions(*country, *bbox)
	if err != nil {
		return err
	}
	gaz, err := openGazetteer(*gazPath)
	if err != nil {
		return err
	}
	var tagger geotag.Tagger = geo.NewTagger(gaz)
	if *rulesPath != "" {
		if tagger, err = withRules(tagger, gaz, *rulesPath); err != nil {
			return err
		}
	}
	if *jsonl {
		return tagJSONL(ctx, tagger, opt, max(1, *workers), stdin, stdout, stderr)
	}
	text, err := io.ReadAll(io.LimitReader(stdin, maxTagInput+1))
	if err != nil {
		return err
	}
	if len(text) > maxTagInput {
		return geotag.Errorf(geotag.ETOOLARGE, "input is over %d bytes; split it, or use --jsonl", maxTagInput)
	}
	ms, err := tagger.Tag(ctx, string(text), opt)
	if err != nil {
		return err
	}
	out, err := json.Marshal(struct {
		Mentions []geotag.Mention `json:"mentions"`
		Lang     string           `json:"lang,omitempty"`
	}{ms, geotag.TextLanguage(tagger, string(text))})
	if err != nil {
		return err
	}
	_, err = stdout.Write(append(out, '\n'))
	return err
}

// jsonlIn is one input line of --jsonl.
type jsonlIn struct {
	ID   json.RawMessage `json:"id"`
	Text *string         `json:"text"`
}

// jsonlOut is one output line: the mentions, or the error of that line.
type jsonlOut struct {
	ID       json.RawMessage  `json:"id"`
	Mentions []geotag.Mention `json:"mentions"`
	Lang     string           `json:"lang,omitempty"`
	Error    string           `json:"error,omitempty"`
}

// jsonlJob is one input line of tagJSONL and its position; jsonlResult
// its output line.
type jsonlJob struct {
	seq  int
	line []byte
}

type jsonlResult struct {
	seq int
	out []byte
	bad bool
}

// tagJSONL tags JSON lines with n workers and writes the results in input
// order. A bad line gets an output line with "error" and no mentions, and
// the command fails at the end, after every other line is written.
func tagJSONL(ctx context.Context, t geotag.Tagger, opt geotag.TagOptions, n int, stdin io.Reader, stdout, stderr io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan jsonlJob, 4*n)
	results := make(chan jsonlResult, 4*n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tagJobs(ctx, t, opt, jobs, results)
		}()
	}
	readErr := make(chan error, 1)
	go func() { readErr <- readJobs(ctx, stdin, jobs) }()
	go func() { wg.Wait(); close(results) }()

	next, bad, werr := writeInOrder(stdout, results, cancel)
	select {
	case err := <-readErr:
		if err != nil {
			return err
		}
	case <-ctx.Done():
		// The reader may be blocked on stdin; it ends with the process.
	}
	if werr != nil {
		return werr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("tag: %d of %d lines failed (see their \"error\" fields)", bad, next)
	}
	return nil
}

// tagJobs is a worker: it tags lines until jobs closes or ctx ends.
func tagJobs(ctx context.Context, t geotag.Tagger, opt geotag.TagOptions, jobs <-chan jsonlJob, results chan<- jsonlResult) {
	for {
		var j jsonlJob
		var ok bool
		select {
		case j, ok = <-jobs:
		case <-ctx.Done():
			return
		}
		if !ok {
			return
		}
		out, bad := tagLine(ctx, t, opt, j.line)
		select {
		case results <- jsonlResult{j.seq, out, bad}:
		case <-ctx.Done():
			return
		}
	}
}

// readJobs feeds the non-blank lines of stdin to jobs, numbered, and
// closes jobs at the end; it returns the read error, or ctx's.
func readJobs(ctx context.Context, stdin io.Reader, jobs chan<- jsonlJob) error {
	defer close(jobs)
	br := bufio.NewReaderSize(stdin, 1<<20)
	seq := 0
	for {
		line, err := readLine(br)
		if len(bytes.TrimSpace(line)) > 0 {
			select {
			case jobs <- jsonlJob{seq, line}:
				seq++
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// writeInOrder writes the results in input order, calling cancel at the
// first write error; it returns how many were written, how many of them
// were bad lines, and the write error.
func writeInOrder(stdout io.Writer, results <-chan jsonlResult, cancel func()) (next, bad int, werr error) {
	w := bufio.NewWriterSize(stdout, 1<<16)
	pending := map[int]jsonlResult{}
	for r := range results {
		pending[r.seq] = r
		for {
			p, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if p.bad {
				bad++
			}
			if werr == nil {
				if _, werr = w.Write(p.out); werr != nil {
					cancel()
				}
			}
		}
	}
	if err := w.Flush(); werr == nil {
		werr = err
	}
	return next, bad, werr
}

// errLineTooLong marks a --jsonl line over maxTagInput.
var errLineTooLong = geotag.Errorf(geotag.ETOOLARGE, "line is over %d bytes", maxTagInput)

// readLine reads one line of at most maxTagInput bytes; a longer line is
// consumed and returned as a marker the tagger reports as too large.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) <= maxTagInput {
			line = append(line, chunk...)
		} else if line != nil {
			line = line[:0]
			line = append(line, "\x00toolong"...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return line, err
	}
}

// tagLine tags one --jsonl line and returns its output line.
func tagLine(ctx context.Context, t geotag.Tagger, opt geotag.TagOptions, line []byte) ([]byte, bool) {
	var in jsonlIn
	out := jsonlOut{ID: json.RawMessage("null"), Mentions: []geotag.Mention{}}
	var err error
	if bytes.HasPrefix(line, []byte("\x00toolong")) {
		err = errLineTooLong
	} else if jerr := json.Unmarshal(line, &in); jerr != nil {
		err = geotag.Errorf(geotag.EINVALID, "line is not a JSON object {\"id\",\"text\"}: %v", jerr)
	} else {
		if len(in.ID) > 0 {
			out.ID = in.ID
		}
		if in.Text == nil {
			err = geotag.FieldErrorf(geotag.EINVALID, "text", "line has no \"text\"")
		} else {
			var ms []geotag.Mention
			ms, err = t.Tag(ctx, *in.Text, opt)
			if err == nil {
				out.Mentions = ms
				out.Lang = geotag.TextLanguage(t, *in.Text)
			}
		}
	}
	if err != nil {
		out.Error = err.Error()
	}
	b, merr := json.Marshal(out)
	if merr != nil {
		b, _ = json.Marshal(jsonlOut{ID: json.RawMessage("null"), Mentions: []geotag.Mention{}, Error: merr.Error()})
		err = merr
	}
	return append(b, '\n'), err != nil
}
