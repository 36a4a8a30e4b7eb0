package geo

import "github.com/geotag/geotag"

// countryReserve is how many of a name's maxCandidates places are kept for
// the countries the rest of the text names, when the name has more places
// than that.
const (
	countryReserve  = 8
	maxDocCountries = 8
)

// docCountries returns the countries the text's other names point to
// without doubt: demonyms and abbreviations, and the most important place
// of each name with no more than maxCandidates places. At most
// maxDocCountries, in text order.
func docCountries(spans []nameSpan) []string {
	var out []string
	for n := range spans {
		sp := &spans[n]
		var cc string
		switch {
		case sp.unresolved > 0:
			continue
		case sp.kind != geotag.KindPlace:
			cc = sp.alias.Country
		case len(sp.places) > 0 && len(sp.places) <= maxCandidates:
			cc = sp.places[0].Country
		}
		if cc == "" || hasString(out, cc) {
			continue
		}
		if out = append(out, cc); len(out) == maxDocCountries {
			break
		}
	}
	return out
}

func hasString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// keepCandidates cuts a name's places to maxCandidates: the most important
// ones, and, in the last countryReserve places, those beyond the cut that
// lie in the countries the text names (a Lebanese hamlet among fifty
// Yemeni namesakes: "Masnaa" in a report on Akkar and Tripoli). places is
// not changed; the result is places itself when it is short enough.
func keepCandidates(places []geotag.Place, countries []string) []geotag.Place {
	if len(places) <= maxCandidates {
		return places
	}
	if len(countries) == 0 {
		return places[:maxCandidates]
	}
	head := maxCandidates - countryReserve
	out := make([]geotag.Place, head, maxCandidates)
	copy(out, places[:head])
	for _, p := range places[head:] {
		if len(out) == maxCandidates {
			break
		}
		if hasString(countries, p.Country) {
			out = append(out, p)
		}
	}
	for _, p := range places[head:] { // fill up with the next most important
		if len(out) == maxCandidates {
			break
		}
		if !hasString(countries, p.Country) {
			out = append(out, p)
		}
	}
	return out
}
