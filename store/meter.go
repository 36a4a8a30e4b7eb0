package store

import (
	"context"

	"github.com/geotag/geotag"
)

// tallyBatch is how many bytes a tally gathers before it charges its meter:
// one call per few hundred index entries or a handful of records.
const tallyBatch = 64 << 10

// recordCost is what reading a report record costs on top of its bytes:
// decoding one takes about as long as walking 4 KiB of index entries (some
// 90 of them), whatever its size.
const recordCost = 4 << 10

// tally gathers the bytes a query reads (index entries, report records) for
// the geotag.Meter of the query's context, and charges it in batches. The
// zero tally, for a context without a meter, does nothing. A tally belongs
// to one goroutine; each of a pipeline's readers has its own.
type tally struct {
	m geotag.Meter
	n int64
}

func newTally(ctx context.Context) tally { return tally{m: geotag.MeterFrom(ctx)} }

// add counts n bytes read.
func (t *tally) add(n int) {
	if t.m == nil {
		return
	}
	if t.n += int64(n); t.n >= tallyBatch {
		t.m.Charge(t.n)
		t.n = 0
	}
}

// record counts a report record of n bytes read.
func (t *tally) record(n int) { t.add(n + recordCost) }

// flush charges what is gathered.
func (t *tally) flush() {
	if t.m != nil && t.n > 0 {
		t.m.Charge(t.n)
		t.n = 0
	}
}
