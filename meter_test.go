package geotag

import (
	"context"
	"testing"
)

type sumMeter struct{ n int64 }

func (m *sumMeter) Charge(n int64) { m.n += n }

func TestMeterContext(t *testing.T) {
	if m := MeterFrom(context.Background()); m != nil {
		t.Fatalf("a bare context carries a meter: %v", m)
	}
	m := &sumMeter{}
	ctx := WithMeter(context.Background(), m)
	MeterFrom(ctx).Charge(3)
	MeterFrom(context.WithoutCancel(ctx)).Charge(4)
	if m.n != 7 {
		t.Fatalf("charged %d, want 7", m.n)
	}
}
