package store

import (
	"slices"

	"github.com/geotag/geotag"
)

// The cell-event index, ix_cell_event, answers a map view (a bbox) with
// event conditions by walking only the matching reports in the cells in
// view. A located report with a coded event has, at each cell level, one
// key for its event type and one for its fatality class:
//
//	ix_cell_event  level, cell, kind, position → entry, fatalities
//
// kind is the event type code (1…6), or cellFatKind plus the fatality
// class (1…7: known counts only), as in the event index's prefixes; the value is the event index's (entry,
// then the count). So a bbox with event types walks those types' keys in
// the cells, a bbox with a fatality range the keys of the classes it
// overlaps, and neither decodes a report: before it, such a view walked
// every report in its cells (or every report of the type worldwide) to
// keep one in four, or one in eight.
const cellFatKind = 0x10

// cellEventKeys appends to ks the report's cell-event keys, given its
// position and event index value.
func cellEventKeys(ks []indexKey, r *geotag.Report, pos, value []byte) []indexKey {
	l := r.Location
	if l == nil {
		return ks
	}
	var kinds [2]byte
	n := 0
	if c := geotag.EventTypeCode(r.EventType); c != 0 {
		kinds[n], n = byte(c), n+1
	}
	if c := fatalClass(r.Fatalities); c != 0 {
		kinds[n], n = cellFatKind|c, n+1
	}
	for _, lv := range cellLevels {
		x, y := cellXY(lv, l.Lat, l.Lon)
		for _, k := range kinds[:n] {
			key := append(cellPrefix(make([]byte, 0, 6+posLen), lv, x, y), k)
			ks = append(ks, indexKey{bucketCellEv, append(key, pos...), value})
		}
	}
	return ks
}

// kinds lists the cell-event kinds that hold every report of the event
// filter: the fatality classes its range overlaps when it has a lower
// bound of at least one (deaths are rarer than any type), else its types
// (nil when it has none: the index cannot answer it).
func (ef *eventFilter) kinds() []byte {
	if ef.hasFat && (ef.fatMin >= 1 || ef.codes == nil) {
		var ks []byte
		for c := byte(1); c <= 7; c++ {
			lo := uint32(fatalClassFloor[c])
			hi := uint32(geotag.MaxFatalities)
			if c < 7 {
				hi = uint32(fatalClassFloor[c+1] - 1)
			}
			if hi >= ef.fatMin && (!ef.hasMax || lo <= ef.fatMax) {
				ks = append(ks, cellFatKind|c)
			}
		}
		return ks
	}
	return slices.Clone(ef.codes)
}

// keepCode checks the event type condition on an entry's flags.
func (ef *eventFilter) keepCode(flags byte) bool {
	return ef.codes == nil || slices.Contains(ef.codes, flags>>entryTypeShift&7)
}

// cellEventPlan walks the cell-event index for a bbox with event type or
// fatality conditions: the finest cell level whose cover of the bbox,
// times the kinds to walk, needs at most maxCells cursors. It reports
// false when the filter names neither, or the box is too large for the
// coarsest level (the event index is walked instead).
func (q *query) cellEventPlan() bool {
	kinds := q.ev.kinds()
	if q.boxes == nil || len(kinds) == 0 {
		return false
	}
	for i := len(cellLevels) - 1; i >= 0; i-- {
		most := maxCells / len(kinds)
		cover := q.cover(cellLevels[i], most)
		if cover == nil {
			continue
		}
		if i == 0 && len(cover) > most/4 {
			return false
		}
		q.bucket, q.prefixes = bucketCellEv, nil
		for _, c := range cover {
			for _, k := range kinds {
				q.prefixes = append(q.prefixes, append(slices.Clip(c), k))
			}
		}
		return true
	}
	return false
}

// cover returns the cell prefixes of level lv covering q's boxes, or nil
// when that takes more than most.
func (q *query) cover(lv uint8, most int) [][]byte {
	var cover [][]byte
	for _, b := range q.boxes {
		x0, y0 := cellXY(lv, b.S, b.W)
		x1, y1 := cellXY(lv, b.N, b.E)
		if int((x1-x0+1)*(y1-y0+1))+len(cover) > most {
			return nil
		}
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				cover = append(cover, cellPrefix(nil, lv, x, y))
			}
		}
	}
	return cover
}
