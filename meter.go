package geotag

import "context"

// A Meter is told what a query reads, so that a service can charge each
// client for the cost of its scans rather than for its number of requests.
// Stores call Charge with the bytes of the index entries and the report
// records a query reads, in batches, possibly from several goroutines at
// once, so implementations must be safe for concurrent use. Charge cannot
// fail: whether a client may run a query is decided before it starts, and
// what it cost is charged to its next ones.
type Meter interface {
	Charge(bytes int64)
}

type meterKey struct{}

// WithMeter returns a copy of ctx that carries m: stores charge m for what
// queries made with that context read.
func WithMeter(ctx context.Context, m Meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

// MeterFrom returns the Meter ctx carries, or nil when it carries none.
func MeterFrom(ctx context.Context) Meter {
	m, _ := ctx.Value(meterKey{}).(Meter)
	return m
}
