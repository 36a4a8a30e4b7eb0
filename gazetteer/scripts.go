package gazetteer

import (
	"strings"
	"unicode"
)

// Scripts whose names are indexed for every place: the scripts of the
// news this tool is built for (English and other Latin-script languages,
// Arabic, Persian, Kurdish, Ukrainian, Russian, Hebrew). Names in other
// scripts are indexed only for places in the countries that write them,
// and for countries themselves, which keeps the file within its budget.
var everywhereScripts = []*unicode.RangeTable{unicode.Latin, unicode.Arabic, unicode.Cyrillic, unicode.Hebrew, unicode.Syriac}

var nativeScripts = map[*unicode.RangeTable]string{
	unicode.Han:        "CN TW HK MO SG JP KR",
	unicode.Hiragana:   "JP",
	unicode.Katakana:   "JP",
	unicode.Hangul:     "KR KP",
	unicode.Thai:       "TH",
	unicode.Lao:        "LA",
	unicode.Khmer:      "KH",
	unicode.Myanmar:    "MM",
	unicode.Devanagari: "IN NP",
	unicode.Bengali:    "BD IN",
	unicode.Gurmukhi:   "IN",
	unicode.Gujarati:   "IN",
	unicode.Oriya:      "IN",
	unicode.Tamil:      "IN LK SG",
	unicode.Telugu:     "IN",
	unicode.Kannada:    "IN",
	unicode.Malayalam:  "IN",
	unicode.Sinhala:    "LK",
	unicode.Greek:      "GR CY",
	unicode.Armenian:   "AM",
	unicode.Georgian:   "GE",
	unicode.Ethiopic:   "ET ER",
	unicode.Tibetan:    "CN NP BT",
	unicode.Mongolian:  "MN CN",
	unicode.Thaana:     "MV",
	unicode.Tifinagh:   "MA DZ LY ML NE",
}

// keepScript reports whether a name is written in a script indexed for a
// place in country cc.
func keepScript(name, cc string, everywhere bool) bool {
	for _, r := range name {
		if !unicode.IsLetter(r) {
			continue
		}
		for _, t := range everywhereScripts {
			if unicode.Is(t, r) {
				return true
			}
		}
		if everywhere {
			return true
		}
		for t, ccs := range nativeScripts {
			if unicode.Is(t, r) {
				return cc != "" && strings.Contains(ccs, cc)
			}
		}
		return false
	}
	return true
}
