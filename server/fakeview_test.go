package server

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/geotag/geotag"
)

// memViews is an in-memory geotag.ViewService that shows the contract.
type memViews struct {
	mu    sync.Mutex
	views map[string]geotag.View
	order []string
	seq   int
	max   int
}

func newMemViews() *memViews { return &memViews{views: map[string]geotag.View{}, max: 1000} }

func copyView(v geotag.View) *geotag.View {
	if v.Webhook != nil {
		w := *v.Webhook
		v.Webhook = &w
	}
	return &v
}

func (m *memViews) CreateView(ctx context.Context, v *geotag.View) error {
	if err := v.Validate(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.views) >= m.max {
		return geotag.Errorf(geotag.EUNPROCESSABLE, "too many views")
	}
	m.seq++
	v.ID = fmt.Sprintf("v%03d", m.seq)
	v.Created = time.Now().UTC()
	v.Updated = v.Created
	m.views[v.ID] = *copyView(*v)
	m.order = append(m.order, v.ID)
	return nil
}

func (m *memViews) FindViewByID(ctx context.Context, id string) (*geotag.View, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.views[id]
	if !ok {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "no view %q", id)
	}
	return copyView(v), nil
}

func (m *memViews) FindViews(ctx context.Context) ([]*geotag.View, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []*geotag.View{}
	for _, id := range m.order {
		if v, ok := m.views[id]; ok {
			out = append(out, copyView(v))
		}
	}
	return out, nil
}

func (m *memViews) UpdateView(ctx context.Context, id string, fn func(*geotag.View) error) (*geotag.View, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	old, ok := m.views[id]
	if !ok {
		return nil, geotag.Errorf(geotag.ENOTFOUND, "no view %q", id)
	}
	v := copyView(old)
	if err := fn(v); err != nil {
		return nil, err
	}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	v.ID, v.Updated = id, time.Now().UTC()
	m.views[id] = *copyView(*v)
	return v, nil
}

func (m *memViews) DeleteView(ctx context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.views[id]; !ok {
		return geotag.Errorf(geotag.ENOTFOUND, "no view %q", id)
	}
	delete(m.views, id)
	return nil
}
