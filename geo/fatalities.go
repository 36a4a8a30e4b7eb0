package geo

import (
	"slices"
	"strings"

	"github.com/geotag/geotag"
)

// Death counts. A count is a number (digits or words: "five",
// "twenty-three", "a dozen") that a death word follows within a few words
// of the same clause ("12 people were killed", "five dead", "two children
// among the dead"), or that follows a death verb ("killed 12", "killing at
// least five", "death toll rose to 30"). A count of wounded, missing or
// arrested people, of weapons (drones, missiles, shells) or a date is not
// one: a casualty word other than death, or a unit, ends the search.
// Numbers joined by "and" before one death word are added ("3 soldiers and
// 2 civilians were killed"). Of several counts, the largest is the
// suggestion (a live blog's rising toll). "No one was killed" and the like
// state zero.

var numberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
	"eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}

var deathWords = map[string]bool{
	"killed": true, "dead": true, "died": true, "deaths": true, "death": true, "fatalities": true, "perished": true,
	"bodies": true, "lives": true, "slain": true, "dies": true, "die": true, "executed": true,
}

var deathVerbs = map[string]bool{
	"killed": true, "killing": true, "kills": true, "kill": true, "claimed": true, "claiming": true, "lynched": true,
}

// persons are the nouns that make "a" or "an" a count of one: "a woman
// was killed", "a soldier and two civilians died".
var persons = map[string]bool{
	"man": true, "woman": true, "child": true, "boy": true, "girl": true, "civilian": true, "soldier": true,
	"journalist": true, "protester": true, "person": true, "policeman": true, "farmer": true, "teacher": true,
	"student": true, "resident": true, "rebel": true, "fighter": true, "doctor": true, "nurse": true, "worker": true,
}

// stopWords end a search for a death word after a number: another casualty
// kind, a weapon, a time unit, a distance.
var stopWords = map[string]bool{
	"wounded": true, "injured": true, "injuring": true, "wounding": true, "hurt": true, "injuries": true, "missing": true,
	"arrested": true, "detained": true, "displaced": true, "abducted": true, "kidnapped": true, "rescued": true,
	"drones": true, "drone": true, "missiles": true, "missile": true, "rockets": true, "rocket": true, "shells": true,
	"bombs": true, "times": true, "km": true, "kilometres": true, "kilometers": true, "miles": true, "metres": true,
	"meters": true, "hours": true, "days": true, "weeks": true, "months": true, "years": true, "year": true,
	"percent": true, "vehicles": true, "tanks": true, "houses": true, "homes": true, "buildings": true,
}

var months = map[string]bool{"january": true, "february": true, "march": true, "april": true, "may": true, "june": true,
	"july": true, "august": true, "september": true, "october": true, "november": true, "december": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true,
	"oct": true, "nov": true, "dec": true}

// number reads a count at ws[i]: its value and the index of its last word,
// or ok false. A date's day or year is no count.
func number(ws []eword, i int) (n, last int, ok bool) {
	w := ws[i].low
	if v := atoi(strings.ReplaceAll(w, ",", "")); v >= 0 {
		if isDatePart(ws, i, v) {
			return 0, 0, false
		}
		return v, i, true
	}
	nextIs := func(words ...string) bool { return i+1 < len(ws) && slices.Contains(words, ws[i+1].low) }
	if w == "a" && nextIs("dozen") {
		return 12, i + 1, true
	}
	if (w == "a" || w == "an") && i+1 < len(ws) && persons[ws[i+1].low] {
		return 1, i, true
	}
	if tens, unit, hy := strings.Cut(w, "-"); hy {
		t, u := numberWords[tens], numberWords[unit]
		if t >= 20 && u > 0 && u < 10 {
			return t + u, i, true
		}
		return 0, 0, false
	}
	if v, isNum := numberWords[w]; isNum && w != "dozen" {
		if v == 1 && !nextIs("person", "civilian", "man", "woman", "child", "soldier") {
			return 0, 0, false // "one of the…", "one" as a pronoun
		}
		if nextIs("hundred") {
			return v * 100, i + 1, true
		}
		return v, i, true
	}
	return 0, 0, false
}

// isDatePart reports whether the number v at ws[i] is a date's day (next
// to a month) or a year.
func isDatePart(ws []eword, i, v int) bool {
	return i+1 < len(ws) && months[ws[i+1].low] || i > 0 && months[ws[i-1].low] || v >= 1900 && v <= 2100
}

// fatalities returns the text's death count and the words that state it.
func fatalities(text string, ws []eword) (int, geotag.Evidence, bool) {
	best, found := -1, false
	var ev geotag.Evidence
	take := func(n, from, to int) {
		if n > best {
			best, found = n, true
			ev = geotag.Evidence{Text: text[ws[from].start:ws[to].end], Start: ws[from].start, End: ws[to].end}
		}
	}
	for i := 0; i < len(ws); i++ {
		if n, to, ok := noneKilled(ws, i); ok {
			take(n, i, to)
			continue
		}
		if ws[i].low == "toll" && !ws[i].brk {
			if n, last, ok := tollCount(ws, i+1); ok {
				take(n, i, last)
				continue
			}
		}
		if deathVerbs[ws[i].low] && !ws[i].brk {
			if n, last, ok := countAfter(ws, i+1); ok {
				take(n, i, last)
				continue
			}
		}
		if n, last, ok := number(ws, i); ok {
			sum, end, dw, ok := countBefore(ws, n, last)
			if ok {
				take(sum, i, dw)
				i = end
			}
		}
	}
	return best, ev, found
}

// countAfter reads the count that follows a death verb within three words
// ("killed 12", "killing at least five", "toll rose to 30").
func countAfter(ws []eword, i int) (int, int, bool) {
	for k := i; k < len(ws) && k < i+4; k++ {
		if n, last, ok := number(ws, k); ok {
			if !ws[last].brk && last+1 < len(ws) && stopWords[ws[last+1].low] {
				return 0, 0, false // "killed 3 and 14 wounded": the 14 are not dead
			}
			if w := ws[k].low; (w == "a" || w == "an") && n == 1 {
				return 0, 0, false // "the killed was a teacher": who, not how many
			}
			return n, last, true
		}
		if ws[k].brk || stopWords[ws[k].low] {
			break
		}
	}
	return 0, 0, false
}

// maxChain bounds the numbers countBefore adds.
const maxChain = 5

// tollCount reads the number a death toll rose to, later in its clause
// ("the death toll from Sunday's strike has risen to 23").
func tollCount(ws []eword, i int) (int, int, bool) {
	for k := i; k < len(ws) && k < i+12; k++ {
		if n, last, ok := number(ws, k); ok {
			return n, last, true
		}
		if ws[k].brk {
			break
		}
	}
	return 0, 0, false
}

// countBefore looks for a death word after the number n ending at ws[last],
// within five words of the clause, adding numbers joined by "and". It
// returns the sum, the last number's index, the death word's index and ok.
func countBefore(ws []eword, n, last int) (sum, end, dw int, ok bool) {
	sum, end = n, last
	k := last + 1
	chained := 0 // numbers added: at most maxChain, so the evidence stays short
	for steps := 0; k < len(ws) && steps < 6; steps++ {
		if ws[k-1].brk {
			return 0, 0, 0, false
		}
		w := ws[k].low
		if deathWords[w] {
			return sum, end, k, true
		}
		if stopWords[w] {
			return 0, 0, 0, false
		}
		if w == "and" && k+1 < len(ws) && chained < maxChain {
			if m, l, isNum := number(ws, k+1); isNum {
				sum, end, k, steps = sum+m, l, l+1, 0
				chained++
				continue
			}
		}
		if _, _, isNum := number(ws, k); isNum {
			return 0, 0, 0, false
		}
		k++
	}
	return 0, 0, 0, false
}

// noneKilled recognises a statement of no deaths at ws[i]: "no one was
// killed", "no casualties", "no deaths", "no fatalities", "without
// casualties". It returns 0 and the statement's last word.
func noneKilled(ws []eword, i int) (int, int, bool) {
	for _, p := range [][]string{{"no", "casualties"}, {"no", "deaths"}, {"no", "fatalities"}, {"without", "casualties"},
		{"no", "one", "was", "killed"}, {"nobody", "was", "killed"}, {"no", "one", "was", "hurt"}, {"no", "one", "died"}, {"no", "one", "hurt"},
		{"no", "one", "was", "injured", "or", "killed"},
		{"no", "casualties", "were", "reported"}, {"no", "injuries", "or", "deaths"}} {
		if j, ok := matchWords(ws, i, p, false, false); ok {
			return 0, j, true
		}
	}
	return 0, 0, false
}
