package gazetteer

import (
	"math"
	"strings"
)

// importance scores how likely a place is meant when its name is written
// without context, 0..1. It blends three signals that GeoNames carries:
// population (for divisions without one, a tenth of the population of the
// places inside them, at least 100,000 for a first-level and 10,000 for a
// second-level division; for a city district, a twentieth of its city's;
// passed as implied), the feature type (countries,
// capitals and first-level divisions are named more often than villages of
// the same size) and the number of alternate names, which tracks how
// widely a place is written about in other languages.
func importance(r *record, implied int64) float64 {
	pop := r.pop
	if pop == 0 {
		pop = implied
	}
	popScore := math.Min(1, math.Log10(float64(pop)+1)/7.5)
	if pop == 0 && (r.class == "H" || r.class == "T" || r.class == "L") {
		// Seas, ranges and regions have no population; their type stands in.
		popScore = 0.8 * featureScore(r.class, r.code)
	}
	altScore := math.Min(1, math.Log10(float64(r.nalt)+1)/2.5)
	s := 0.45*popScore + 0.3*altScore + 0.25*featureScore(r.class, r.code)
	if r.class == "A" && strings.HasPrefix(r.code, "PCL") || r.class == "L" && r.code == "CONT" || r.class == "H" && r.code == "OCN" {
		s = 0.8 + 0.2*s // a country, continent or ocean outranks any place of its name
	}
	return math.Min(1, s)
}

// featureScore is the prior of a feature type.
func featureScore(class, code string) float64 {
	switch class {
	case "A":
		switch code {
		case "PCLI", "PCLD", "PCLF", "PCLS", "PCL", "PCLIX", "TERR":
			return 1
		case "ADM1", "ADM1H":
			return 0.75
		case "ADM2":
			return 0.5
		case "ADMD":
			return 0.3
		}
		return 0.35
	case "P":
		switch code {
		case "PPLC":
			return 1
		case "PPLA":
			return 0.7
		case "PPLA2", "PPLG":
			return 0.5
		case "PPLA3", "PPLA4":
			return 0.4
		case "PPL", "PPLS", "PPLF", "PPLR", "STLMT":
			return 0.3
		case "PPLX", "PPLL":
			return 0.25
		case "PPLH", "PPLQ", "PPLW":
			return 0.1
		}
		return 0.25
	case "L":
		switch code {
		case "CONT":
			return 1
		case "RGN", "RGNE":
			return 0.8
		}
		return 0.4
	case "H":
		switch code {
		case "OCN":
			return 1
		case "SEA", "GULF", "STRT":
			return 0.8
		case "STM", "LK":
			return 0.5
		}
		return 0.4
	case "T":
		switch code {
		case "MTS", "DSRT", "PEN", "ISLS":
			return 0.6
		case "ISL":
			return 0.5
		}
		return 0.35
	}
	return 0.2
}
