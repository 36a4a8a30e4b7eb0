package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// figure is one measured number. Figures named "baseline_…" are the
// baselines of the figure with the rest of the name.
type figure struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit"`
	Note  string  `json:"-"`
}

// figures collects a run's results.
type figures struct {
	list []figure
	log  io.Writer // progress, nil for none
}

func (fs *figures) add(name string, value float64, unit, note string) {
	fs.list = append(fs.list, figure{name, value, unit, note})
	if fs.log != nil {
		fmt.Fprintf(fs.log, "  %-32s %14s %s\n", name, formatValue(value), unit)
	}
}

func (fs *figures) progress(format string, args ...any) {
	if fs.log != nil {
		fmt.Fprintf(fs.log, format+"\n", args...)
	}
}

func (fs *figures) get(name string) (figure, bool) {
	for _, f := range fs.list {
		if f.Name == name {
			return f, true
		}
	}
	return figure{}, false
}

// writeJSON prints one JSON object per line.
func (fs *figures) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	for _, f := range fs.list {
		v := f
		if math.IsNaN(v.Value) || math.IsInf(v.Value, 0) {
			continue
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	return nil
}

// writeTable prints each figure beside its baseline, with the ratio.
func (fs *figures) writeTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "figure\tvalue\tunit\tbaseline\tratio\t  note")
	for _, f := range fs.list {
		if strings.HasPrefix(f.Name, "baseline_") {
			continue
		}
		base, ratio := "", ""
		if b, ok := fs.get("baseline_" + f.Name); ok {
			base = formatValue(b.Value)
			if b.Value != 0 {
				r := f.Value / b.Value
				if !higherIsBetter(f.Unit) {
					r = b.Value / f.Value
				}
				ratio = fmt.Sprintf("%.1f×", r)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t  %s\n", f.Name, formatValue(f.Value), f.Unit, base, ratio, f.Note)
	}
	return tw.Flush()
}

// higherIsBetter tells rates from costs, for the ratio column: the ratio
// always says how many times better than the baseline.
func higherIsBetter(unit string) bool { return strings.HasSuffix(unit, "/s") }

func formatValue(v float64) string {
	switch {
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return fmt.Sprintf("%.0f", v)
	case math.Abs(v) >= 100:
		return fmt.Sprintf("%.0f", v)
	case math.Abs(v) >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

// percentile returns the p-th percentile (0…100) of ds in milliseconds.
func percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return math.NaN()
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	i = max(0, min(i, len(s)-1))
	return float64(s[i]) / float64(time.Millisecond)
}
