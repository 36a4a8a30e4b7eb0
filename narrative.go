package geotag

import (
	"sort"
	"strings"
	"unicode"
)

// The part a mention plays in a report's narrative, as PickMain weighs it.
// A report's main location is where its events happened: the places of the
// sentences that tell them weigh most, a place named only as where someone
// spoke or where the story was filed (a dateline) least.
type role int

const (
	rolePlain      role = iota // a sentence with no cue either way
	roleEvent                  // a sentence telling an event: "an airstrike hit X"
	roleHeadline               // the report's title
	roleBackground             // a sentence of history: "X has been besieged since 2016"
	roleSpeaker                // where someone spoke: "officials in X said", "X said"
	roleDateline               // the place the story was filed from: "X, March 3 (Reuters) —"
)

// weight is how much one mention in each role counts.
var roleWeight = [...]float64{rolePlain: 1, roleEvent: 1.5, roleHeadline: 1.5, roleBackground: 0.5, roleSpeaker: 0.25, roleDateline: 0.25}

// The cues are English words: in the other languages a report is written
// in, they never fire and every mention counts as plain (the headline,
// counts and precision still decide).
var (
	// eventWords tell that a sentence reports an event.
	eventWords = wordSet(`airstrike airstrikes strike strikes struck hit hits shelling shelled shell shells
		bomb bombs bombing bombed bomber explosion explosions exploded blast blasts attack attacks attacked
		killed kills killing wounded injured injuring dead casualties clashes clashed fighting fought battle
		fired firing raid raids raided drone drones missile missiles rocket rockets artillery mortar mortars
		ambush ambushed landmine ied sniper gunmen militants troops retook recaptured captured seized
		advanced offensive siege besieged destroyed damaged displaced fled evacuated protest protests
		protesters demonstrators arrested detained abducted kidnapped massacre looted burned torched
		stormed shot executed`)
	// backgroundWords tell that a sentence is history or context.
	backgroundWords = wordSet(`since previously formerly historically ago decade decades`)
	// speechWords after a name make it where a statement came from
	// ("Kyiv said"); before "in" they say who spoke there ("officials in").
	speechWords = wordSet(`said says announced claimed denied accused blamed condemned warned stated
		told responded insisted confirmed reported vowed urged`)
	speakerWords = wordSet(`officials official ministry minister spokesman spokeswoman spokesperson
		government authorities leaders diplomats talks summit conference reporters journalists embassy
		headquarters correspondent based speaking statement said`)
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// narrative reads a text's sentences for the roles of its mentions.
type narrative struct {
	runes    []rune
	dateline int      // end of the dateline in code points, 0 when none
	bounds   [][2]int // sentence spans in code points
	kinds    []role   // each sentence's role: plain, event or background
}

func readNarrative(text string) *narrative {
	n := &narrative{runes: []rune(text)}
	n.dateline = datelineEnd(n.runes)
	start := 0
	for i, r := range n.runes {
		end := r == '\n' || ((r == '.' || r == '!' || r == '?') && (i+1 == len(n.runes) || unicode.IsSpace(n.runes[i+1])))
		if end || i+1 == len(n.runes) {
			n.add(start, i+1)
			start = i + 1
		}
	}
	return n
}

func (n *narrative) add(start, end int) {
	words := lowerWords(string(n.runes[start:end]))
	k := rolePlain
	for _, w := range words {
		if backgroundWords[w] {
			k = roleBackground
			break
		}
		if eventWords[w] {
			k = roleEvent
		}
	}
	n.bounds = append(n.bounds, [2]int{start, end})
	n.kinds = append(n.kinds, k)
}

// role returns the part of the text mention m plays.
func (n *narrative) role(m *Mention) role {
	if n.dateline > 0 && m.End <= n.dateline {
		return roleDateline
	}
	if n.speaker(m) {
		return roleSpeaker
	}
	// The sentence holding m.Start, found by binary search: PickMain stays
	// linear in the mentions and the text.
	i := sort.Search(len(n.bounds), func(i int) bool { return n.bounds[i][1] > m.Start })
	if i < len(n.bounds) && m.Start >= n.bounds[i][0] {
		return n.kinds[i]
	}
	return rolePlain
}

// speaker reports whether m is named as where someone spoke: followed by a
// verb of speech ("Kyiv said", "Moscow's foreign ministry said" is not), or
// after "<officials…> in" or "<…>-based".
func (n *narrative) speaker(m *Mention) bool {
	if m.End > len(n.runes) || m.Start < 0 || m.Start > m.End {
		return false
	}
	after := lowerWords(string(n.runes[m.End:min(len(n.runes), m.End+24)]))
	if len(after) > 0 && (speechWords[after[0]] || after[0] == "based") {
		return true
	}
	before := lowerWords(string(n.runes[max(0, m.Start-40):m.Start]))
	k := len(before)
	return k >= 2 && (before[k-1] == "in" || before[k-1] == "from") && speakerWords[before[k-2]]
}

// datelineEnd returns where a dateline ends: a text opening with words
// that all start with a capital or a digit ("KYIV, Ukraine, March 3
// (Reuters)"), up to 60 characters, then a dash; 0 when there is none.
func datelineEnd(runes []rune) int {
	limit := min(len(runes), 80)
	for i := 0; i < limit; i++ {
		switch runes[i] {
		case '—', '–', '-':
			if i == 0 || i+1 >= len(runes) || runes[i-1] != ' ' && runes[i] == '-' {
				return 0
			}
			if isDateline(string(runes[:i])) {
				return i
			}
			return 0
		case '.', '\n', '!', '?':
			return 0
		}
	}
	return 0
}

func isDateline(s string) bool {
	words := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '(' || r == ')' })
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		r := []rune(w)[0]
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// lowerWords splits s into lower-cased words of letters and digits.
func lowerWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}
