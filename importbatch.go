package geotag

import (
	"context"
	"fmt"
)

// ImportResult counts what a store's Import did.
type ImportResult struct {
	Created    int // reports stored
	Duplicates int // reports skipped because their external id was stored
}

// ImportInBatches is the shape every store's Import has. It checks every
// report of rs with check before writing any, returning the first failure
// with its code and field and a message naming the report's index; then it
// writes rs in slices of at most size reports with write, one transaction
// each, and sums their results. It stops with ctx's error when ctx ends
// between batches, and with write's error when a batch fails; the batches
// written before stay written, and the result counts them.
func ImportInBatches(ctx context.Context, rs []*Report, size int, check func(*Report) error,
	write func(batch []*Report) (ImportResult, error)) (ImportResult, error) {
	var res ImportResult
	for i, r := range rs {
		if err := check(r); err != nil {
			return res, &Error{Code: ErrorCode(err), Field: ErrorField(err),
				Message: fmt.Sprintf("report %d: %s", i, ErrorMessage(err))}
		}
	}
	size = max(size, 1)
	for start := 0; start < len(rs); start += size {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		b, err := write(rs[start:min(start+size, len(rs))])
		res.Created += b.Created
		res.Duplicates += b.Duplicates
		if err != nil {
			return res, err
		}
	}
	return res, nil
}
