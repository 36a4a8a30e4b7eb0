package gazetteer

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/geotag/geotag"
)

// Label index sizes.
const (
	labelLevels  = 15   // grid levels 0..14: a level-k cell is 360/2^k degrees (level 14: about 2.4 km)
	labelPerCell = 4    // the best places kept per cell of each level
	labelCells   = 1024 // the most cells one Labels call reads; a larger box reads a coarser level
	// MaxLabels is the most places one Labels call returns.
	MaxLabels = 500
)

// labelIndex answers "the most important places in this box" for map
// labels without reading the whole gazetteer: for each grid level, the
// labelPerCell most important towns, divisions and countries of each
// cell, sorted by cell (row-major), so that a box is one binary search per
// row of cells. It is built once, by BuildLabels (serve starts it in the
// background) or else on the first Labels call, from the place columns:
// about 2.5 entries of 4 bytes per labelled place.
type labelIndex struct {
	levels [labelLevels][]int32 // place positions, by cell key then rank
}

// labelled reports whether a feature is drawn as a map label: populated
// places (not historical, abandoned or destroyed ones), countries and
// first- and second-level divisions.
func labelled(feature string) bool {
	switch feature {
	case "P.PPLH", "P.PPLQ", "P.PPLW", "P.PPLCH":
		return false
	case "A.ADM1", "A.ADM2", "A.PCLI", "A.PCLD", "A.PCLF", "A.PCLS", "A.PCL", "A.PCLIX", "A.TERR":
		return true
	}
	return strings.HasPrefix(feature, "P.")
}

// labelCell returns the level-k cell of a point given in 1e-5 degrees.
// Cells are square in degrees: 2^k columns over the turn of longitude,
// 2^(k-1) rows over the half turn of latitude.
func labelCell(k int, lat, lon int32) (x, y uint32) {
	const turn = 360 * 1e5
	n := int64(1) << k
	fx := (int64(lon) + turn/2) << k / turn
	fy := (int64(lat) + turn/4) << k / turn
	return uint32(min(max(fx, 0), n-1)), uint32(min(max(fy, 0), n/2))
}

// labelKey orders cells row by row; it fits in 29 bits at level 14.
func labelKey(x, y uint32) uint64 { return uint64(y)<<(labelLevels-1) | uint64(x) }

// labelRankBits holds a place's rank below the cell key in the index build.
const labelRankBits = 32

// labelBefore orders places by rank: importance, then population, then id.
func (g *Gazetteer) labelBefore(a, b int32) int {
	if c := cmp.Compare(g.imp[b], g.imp[a]); c != 0 {
		return c
	}
	if c := cmp.Compare(g.pop[b], g.pop[a]); c != 0 {
		return c
	}
	return cmp.Compare(g.ids[a], g.ids[b])
}

// BuildLabels builds the map labels' index unless it is built: for the
// bundled gazetteer, 2.17 million entries kept in 8.7 MB, 53 MB allocated
// on the way, seconds of one core (BenchmarkLabelsBuild: 6 s on a loaded
// 2-core machine). A
// server calls it in the background at start, so that the first offline
// map view does not wait for it; LabelsReady says when it is done.
// Concurrent calls (and Labels) wait for the one build.
func (g *Gazetteer) BuildLabels() { g.labels() }

// LabelsReady reports whether the map labels' index is built, so that
// Labels answers at once.
func (g *Gazetteer) LabelsReady() bool { return g.labelReady.Load() }

func (g *Gazetteer) labels() *labelIndex {
	g.labelOnce.Do(func() {
		g.label = g.buildLabelIndex()
		g.labelReady.Store(true)
	})
	return g.label
}

// buildLabelIndex builds the map labels' index from the place columns.
func (g *Gazetteer) buildLabelIndex() *labelIndex {
	feat := make([]bool, len(g.features))
	for i, f := range g.features {
		feat[i] = labelled(f)
	}
	var ranked []int32
	for i := range g.ids {
		if feat[g.feature[i]] {
			ranked = append(ranked, int32(i))
		}
	}
	slices.SortFunc(ranked, g.labelBefore)
	ix := &labelIndex{}
	// Finest level first: a coarser cell's best places are among the
	// best places of its four children, so each level filters the last.
	// An entry packs the cell key above the place's rank, so one sort
	// orders a level by cell, then by rank.
	rank := make([]uint64, len(ranked))
	for r := range ranked {
		rank[r] = uint64(r)
	}
	for k := labelLevels - 1; k >= 0; k-- {
		packed := make([]uint64, len(rank))
		for i, r := range rank {
			p := ranked[r]
			packed[i] = labelKey(labelCell(k, g.lat[p], g.lon[p]))<<labelRankBits | r
		}
		slices.Sort(packed)
		rank = rank[:0]
		level := make([]int32, 0, len(packed))
		for i, e := range packed {
			if i >= labelPerCell && packed[i-labelPerCell]>>labelRankBits == e>>labelRankBits {
				continue // the cell has its four
			}
			r := e & (1<<labelRankBits - 1)
			rank = append(rank, r)
			level = append(level, ranked[r])
		}
		ix.levels[k] = slices.Clip(level)
	}
	return ix
}

// Labels returns at most limit places inside box to write on a map shown
// at zoom (web map zoom, 0..22), most important first: towns and villages,
// countries and first- and second-level divisions, at most four per cell
// of about half a map tile, so that labels spread over the view instead of
// crowding into one city. limit is capped at MaxLabels; a limit below 1 or
// an invalid box gives nothing. The work is bounded by the cells read
// (labelCells × labelPerCell), whatever the box.
func (g *Gazetteer) Labels(box geotag.BBox, zoom, limit int) []geotag.Place {
	limit = min(limit, MaxLabels)
	if limit < 1 || box.Validate() != nil {
		return nil
	}
	boxes := []geotag.BBox{box}
	if box.CrossesAntimeridian() {
		boxes = []geotag.BBox{{W: box.W, S: box.S, E: 180, N: box.N}, {W: -180, S: box.S, E: box.E, N: box.N}}
	}
	ix := g.labels()
	// The finest level that covers the box in at most labelCells cells:
	// few of the box's best places sit in a cell whose best four lie
	// outside the box.
	k := labelLevels - 1
	for k > 0 && labelCellCount(k, boxes) > labelCells {
		k--
	}
	var hits []int32
	for _, b := range boxes {
		hits = g.labelsIn(ix.levels[k], k, b, hits)
	}
	slices.SortFunc(hits, g.labelBefore)
	// At most labelPerCell per cell of half a tile at this zoom.
	spread := min(max(zoom+1, 0), k)
	seen := make(map[uint64]uint8, len(hits))
	out := make([]geotag.Place, 0, min(limit, len(hits)))
	for _, p := range hits {
		if len(out) == limit {
			break
		}
		key := labelKey(labelCell(spread, g.lat[p], g.lon[p]))
		if seen[key] < labelPerCell {
			seen[key]++
			out = append(out, g.place(p))
		}
	}
	return out
}

func labelCellCount(k int, boxes []geotag.BBox) int {
	n := 0
	for _, b := range boxes {
		x0, y0 := labelCell(k, deg5(b.S), deg5(b.W))
		x1, y1 := labelCell(k, deg5(b.N), deg5(b.E))
		n += int(x1-x0+1) * int(y1-y0+1)
	}
	return n
}

func deg5(d float64) int32 { return int32(math.Round(d * 1e5)) }

// labelsIn appends the places of level k's cells that cover b and that
// lie inside b: one binary search per row of cells.
func (g *Gazetteer) labelsIn(level []int32, k int, b geotag.BBox, hits []int32) []int32 {
	x0, y0 := labelCell(k, deg5(b.S), deg5(b.W))
	x1, y1 := labelCell(k, deg5(b.N), deg5(b.E))
	keyOf := func(p int32) uint64 { return labelKey(labelCell(k, g.lat[p], g.lon[p])) }
	for y := y0; y <= y1; y++ {
		lo := labelKey(x0, y)
		i, _ := slices.BinarySearchFunc(level, lo, func(p int32, t uint64) int { return cmp.Compare(keyOf(p), t) })
		for ; i < len(level) && keyOf(level[i]) <= labelKey(x1, y); i++ {
			p := level[i]
			if b.Contains(float64(g.lat[p])/1e5, float64(g.lon[p])/1e5) {
				hits = append(hits, p)
			}
		}
	}
	return hits
}
