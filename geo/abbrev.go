package geo

import "github.com/geotag/geotag"

// Abbreviations written with spaced full stops: "W. Va.", "N. C.", "N. Y.",
// "B. C.". The full stop and space between the letters end the span a
// name may have (spanShape), so the scan never looks such an abbreviation
// up; spacedAbbrevs does, after it.
const (
	maxAbbrevParts = 3 // "P. E. I."
	maxAbbrevPart  = 3 // letters of one part ("Va", "Ont")
)

// spacedAbbrevs returns spans with every spaced abbreviation of a state,
// province or country in toks added, in order: a run of two or three
// capitalised parts of up to three letters, each followed by its full
// stop, whose joined key is an abbreviation the gazetteer knows. A span it
// overlaps gives way to it. Only the words up to scanEnd are read.
func (t *Tagger) spacedAbbrevs(st *state, spans []nameSpan, toks []token) []nameSpan {
	var add []nameSpan
	last := scanEnd(st, spans, toks)
	for i := 0; i+1 < last; i++ {
		t.step(1)
		if !abbrevPart(&toks[i]) || !abbrevPart(&toks[i+1]) || !toks[i+1].dotGap {
			continue
		}
		j := i + 2
		for j < last && j-i < maxAbbrevParts && abbrevPart(&toks[j]) && toks[j].dotGap {
			j++
		}
		for ; j > i+1; j-- {
			st.spanKey = joinKeys(st.spanKey[:0], toks[i:j])
			if p, kind, ok := t.alias(st.spanKey); ok && kind == geotag.KindAbbreviation {
				add = append(add, nameSpan{from: i, to: j, key: string(st.spanKey), kind: geotag.KindAbbreviation,
					alias: p, likelihood: 0.85, takesStop: true})
				break
			}
		}
		if j > i+1 {
			i = j - 1
		}
	}
	if len(add) == 0 {
		return spans
	}
	return mergeSpans(spans, add)
}

// abbrevPart reports whether tk can be one part of a spaced abbreviation:
// capitalised, of one to three letters, a full stop right after it.
func abbrevPart(tk *token) bool {
	return tk.cap && !tk.caseless && !tk.digit && !tk.dotted && tk.dotAfter && len(tk.key) > 0 && len(tk.key) <= maxAbbrevPart
}
