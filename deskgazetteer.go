package geotag

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
)

// DeskGazetteer is the desk's gazetteer: a base gazetteer with the desk
// places laid over it. Lookup and Search answer the desk places first;
// Place finds them by their ids. Set the places with SetDeskPlaces (at
// start and after every change: SyncDeskPlaces does it). It is safe for
// concurrent use.
type DeskGazetteer struct {
	base Gazetteer
	snap atomic.Pointer[deskIndex]
}

// deskIndex is one immutable snapshot of the desk places.
type deskIndex struct {
	byID  map[int64]Place
	byKey map[string][]Place
	names []deskName // every name, for Search
	// prefixes are the proper word prefixes of the desk names' keys
	// ("camp" and "camp bastion" for "camp bastion north"), for IsKeyPrefix.
	prefixes map[string]bool
}

type deskName struct {
	key   string
	place Place
}

// NewDeskGazetteer lays no desk places (yet) over base.
func NewDeskGazetteer(base Gazetteer) *DeskGazetteer {
	g := &DeskGazetteer{base: base}
	g.snap.Store(&deskIndex{})
	return g
}

// SetDeskPlaces replaces the desk places.
func (g *DeskGazetteer) SetDeskPlaces(ds []DeskPlace) {
	ix := &deskIndex{byID: map[int64]Place{}, byKey: map[string][]Place{}, prefixes: map[string]bool{}}
	for _, d := range ds {
		if len(d.Names) == 0 {
			continue
		}
		p := d.Place()
		ix.byID[p.ID] = p
		for _, n := range d.Names {
			k := NameKey(n)
			if k == "" || slices.ContainsFunc(ix.byKey[k], func(q Place) bool { return q.ID == p.ID }) {
				continue
			}
			ix.byKey[k] = append(ix.byKey[k], p)
			ix.names = append(ix.names, deskName{k, p})
			for i := strings.IndexByte(k, ' '); i > 0; i = nextSpace(k, i) {
				ix.prefixes[k[:i]] = true
			}
		}
	}
	g.snap.Store(ix)
}

// Lookup returns the desk places named key, then the base's.
func (g *DeskGazetteer) Lookup(key string) []Place {
	desk := g.snap.Load().byKey[key]
	if len(desk) == 0 {
		return g.base.Lookup(key)
	}
	return append(slices.Clone(desk), g.base.Lookup(key)...)
}

// Alias is the base's.
func (g *DeskGazetteer) Alias(key string) (Place, string, bool) { return g.base.Alias(key) }

// Place returns a desk place or a base place by id.
func (g *DeskGazetteer) Place(id int64) (Place, bool) {
	if IsDeskPlaceID(id) {
		p, ok := g.snap.Load().byID[id]
		return p, ok
	}
	return g.base.Place(id)
}

// Search answers the desk places whose names start with (score 1 when
// equal to) what was typed, inside the query's countries and box, then
// the base's matches, at most q.Limit in all.
func (g *DeskGazetteer) Search(q PlaceQuery) []Candidate {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	key := NameKey(q.Text)
	var out []Candidate
	seen := map[int64]bool{}
	for _, n := range g.snap.Load().names {
		if key == "" || !strings.HasPrefix(n.key, key) || seen[n.place.ID] || !placeInQuery(n.place, q) {
			continue
		}
		score := 0.9
		if n.key == key {
			score = 1
		}
		seen[n.place.ID] = true
		out = append(out, Candidate{Place: n.place, Score: score})
	}
	slices.SortStableFunc(out, func(a, b Candidate) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return 0
	})
	if len(out) >= limit {
		return out[:limit]
	}
	out = append(out, g.base.Search(q)...)
	return out[:min(limit, len(out))]
}

func placeInQuery(p Place, q PlaceQuery) bool {
	if len(q.Countries) > 0 && !slices.Contains(q.Countries, p.Country) {
		return false
	}
	return q.BBox == nil || q.BBox.Contains(p.Lat, p.Lon)
}

// Version is the base's, marked as the desk's.
func (g *DeskGazetteer) Version() string { return g.base.Version() + "+desk" }

// MaxKeyTokens is the base's (the geo tagger bounds the spans it looks up
// by it); desk names longer than that are found by the RuleTagger.
func (g *DeskGazetteer) MaxKeyTokens() int {
	if m, ok := g.base.(interface{ MaxKeyTokens() int }); ok {
		return m.MaxKeyTokens()
	}
	return MaxRuleKeys
}

// IsKeyPrefix reports whether a longer desk name's key or, when the base
// can say, a longer base key starts with key's words (the geo tagger stops
// extending a span of words that starts none). A base that cannot say is
// taken to start every key.
func (g *DeskGazetteer) IsKeyPrefix(key string) bool {
	if g.snap.Load().prefixes[key] {
		return true
	}
	if p, ok := g.base.(interface{ IsKeyPrefix(string) bool }); ok {
		return p.IsKeyPrefix(key)
	}
	return true
}

// Labels is the base's places to label a map view with (the offline map's
// town names), when the base can list them; desk places are not labels.
func (g *DeskGazetteer) Labels(box BBox, zoom, limit int) []Place {
	if l, ok := g.base.(interface {
		Labels(BBox, int, int) []Place
	}); ok {
		return l.Labels(box, zoom, limit)
	}
	return nil
}

// LabelsReady reports whether the base's map labels answer at once (true
// for a base that builds none in the background).
func (g *DeskGazetteer) LabelsReady() bool {
	if l, ok := g.base.(interface{ LabelsReady() bool }); ok {
		return l.LabelsReady()
	}
	return true
}

// nextSpace is the index of the next space in k after i, or -1.
func nextSpace(k string, i int) int {
	j := strings.IndexByte(k[i+1:], ' ')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

// Importance is the base's ranking of a place by how widely it is
// written about (0..1; 0 when the base has none), which the geo tagger
// weighs; a desk place is the desk's own, and ranks as the most written
// about.
func (g *DeskGazetteer) Importance(id int64) float64 {
	if IsDeskPlaceID(id) {
		return 1
	}
	if im, ok := g.base.(interface{ Importance(int64) float64 }); ok {
		return im.Importance(id)
	}
	return 0
}

// SyncDeskPlaces is a DeskPlaceService that, after every change, gives
// the new list to the desk's gazetteer and rule tagger.
type SyncDeskPlaces struct {
	DeskPlaceService
	Gazetteer *DeskGazetteer
	Tagger    *RuleTagger // nil: none
}

// Reload reads the desk places and hands them on.
func (s SyncDeskPlaces) Reload(ctx context.Context) error {
	ds, err := s.DeskPlaceService.DeskPlaces(context.WithoutCancel(ctx))
	if err != nil {
		return err
	}
	s.Gazetteer.SetDeskPlaces(ds)
	if s.Tagger != nil {
		s.Tagger.SetDeskPlaces(ds)
	}
	return nil
}

// CreateDeskPlace stores d and reloads.
func (s SyncDeskPlaces) CreateDeskPlace(ctx context.Context, d *DeskPlace) error {
	if err := s.DeskPlaceService.CreateDeskPlace(ctx, d); err != nil {
		return err
	}
	return s.Reload(ctx)
}

// UpdateDeskPlace changes the place and reloads.
func (s SyncDeskPlaces) UpdateDeskPlace(ctx context.Context, id int64, by string, fn func(*DeskPlace) error) (DeskPlace, error) {
	d, err := s.DeskPlaceService.UpdateDeskPlace(ctx, id, by, fn)
	if err != nil {
		return d, err
	}
	return d, s.Reload(ctx)
}

// DeleteDeskPlace removes the place and reloads.
func (s SyncDeskPlaces) DeleteDeskPlace(ctx context.Context, id int64, by string) error {
	if err := s.DeskPlaceService.DeleteDeskPlace(ctx, id, by); err != nil {
		return err
	}
	return s.Reload(ctx)
}
