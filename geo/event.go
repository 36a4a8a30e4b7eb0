package geo

import (
	"bufio"
	_ "embed"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/geotag/geotag"
)

// Event suggestions: the event type, sub-event type, fatalities and known
// actors a text states, each with the words that led to it. The rules are
// tables (event/types.txt, event/actors.txt) and a few patterns for death
// counts (fatalities.go); every step is linear in the text.

//go:embed event/types.txt
var typesTable string

//go:embed event/actors.txt
var actorsTable string

// eventTrigger is one trigger of a sub-event type: its words, and whether the
// last one may continue (a trailing *).
type eventTrigger struct {
	words  []string
	prefix bool
}

type subTypeRule struct {
	typ, sub string
	triggers []eventTrigger
}

type actorVariant struct {
	name  string
	words []string
	exact bool // matched case-sensitively
}

// EventSuggester suggests events from texts. It is safe for concurrent use.
type EventSuggester struct {
	rules  []subTypeRule
	actors []actorVariant
}

// NewEventSuggester reads the embedded tables. It panics on a table line
// whose sub-event type is not ACLED's: the tables are part of the program.
func NewEventSuggester() *EventSuggester {
	s := &EventSuggester{}
	eachLine(typesTable, func(fields []string) {
		typ, sub, ok := geotag.CanonicalEventType("", fields[0])
		if !ok {
			panic("geo: event/types.txt: unknown sub-event type " + fields[0])
		}
		r := subTypeRule{typ: typ, sub: sub}
		for _, f := range fields[1:] {
			t := eventTrigger{prefix: strings.HasSuffix(f, "*")}
			t.words = strings.Fields(strings.TrimSuffix(f, "*"))
			r.triggers = append(r.triggers, t)
		}
		s.rules = append(s.rules, r)
	})
	eachLine(actorsTable, func(fields []string) {
		for _, v := range fields[1:] {
			exact := strings.ToUpper(v) == v
			if !exact {
				v = strings.ToLower(v)
			}
			s.actors = append(s.actors, actorVariant{name: fields[0], words: strings.Fields(v), exact: exact})
		}
	})
	return s
}

// eachLine calls fn with the "|"-separated fields of each line of a table
// that is neither empty nor a # comment.
func eachLine(table string, fn func([]string)) {
	sc := bufio.NewScanner(strings.NewReader(table))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		fn(strings.Split(line, "|"))
	}
}

// eword is one token of a text: its text as written, lower-cased, its
// span, and whether a sentence or clause break (. ; : ! ? or ,) follows.
type eword struct {
	raw, low   string
	start, end int
	brk        bool
}

// eventWords splits text into words: runs of letters, digits, and the
// apostrophes and hyphens inside them.
func eventWords(text string) []eword {
	var ws []eword
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isEventRune(r) {
			if len(ws) > 0 && strings.ContainsRune(".;:!?,", r) {
				ws[len(ws)-1].brk = true
			}
			i += n
			continue
		}
		start := i
		for i < len(text) {
			r, n := utf8.DecodeRuneInString(text[i:])
			if isEventRune(r) || ((r == '-' || r == '\'' || r == '’') && i+n < len(text) && isEventRune(rune(text[i+n]))) {
				i += n
				continue
			}
			break
		}
		raw := text[start:i]
		ws = append(ws, eword{raw: raw, low: strings.ToLower(raw), start: start, end: i})
	}
	return ws
}

func isEventRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// MaxEventText is how much of a text SuggestEvent reads: its lead, where
// reports state what happened. It bounds the words indexed per request
// (a 1 MB text would index ~300,000 words in maps, about 80 MB, for
// suggestions no desk reads past the first screens).
const MaxEventText = 64 << 10

// SuggestEvent implements geotag.EventSuggester. It reads the first
// MaxEventText bytes of text (cut at a character boundary).
func (s *EventSuggester) SuggestEvent(text string) geotag.EventSuggestion {
	if len(text) > MaxEventText {
		cut := MaxEventText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	ws := eventWords(text)
	var out geotag.EventSuggestion
	if r, ev, ok := s.eventType(text, ws); ok {
		out.EventType, out.SubEventType, out.TypeEvidence = r.typ, r.sub, &ev
	}
	if n, ev, ok := fatalities(text, ws); ok {
		out.Fatalities, out.FatalEvid = &n, &ev
	}
	out.Actors = s.findActors(text, ws)
	return out
}

// eventType returns the first rule with a trigger in the text and the
// trigger's first occurrence. The words are indexed by their first word
// once, so each trigger costs its occurrences, not a pass over the text.
func (s *EventSuggester) eventType(text string, ws []eword) (subTypeRule, geotag.Evidence, bool) {
	at := make(map[string][]int, len(ws))
	for i, w := range ws {
		at[w.low] = append(at[w.low], i)
	}
	for _, r := range s.rules {
		for _, t := range r.triggers {
			var starts []int
			if t.prefix && len(t.words) == 1 {
				starts = prefixStarts(ws, t.words[0])
			} else {
				starts = at[t.words[0]]
			}
			for _, i := range starts {
				if j, ok := matchWords(ws, i, t.words, t.prefix, false); ok {
					return r, geotag.Evidence{Text: text[ws[i].start:ws[j].end], Start: ws[i].start, End: ws[j].end}, true
				}
			}
		}
	}
	return subTypeRule{}, geotag.Evidence{}, false
}

// prefixStarts lists the words that start with p.
func prefixStarts(ws []eword, p string) []int {
	var is []int
	for i, w := range ws {
		if strings.HasPrefix(w.low, p) {
			is = append(is, i)
		}
	}
	return is
}

// matchWords reports whether the words pat start at ws[i] (the last one as
// a prefix when prefix is set; as written, not lower-cased, when exact),
// and the index of the last word matched.
func matchWords(ws []eword, i int, pat []string, prefix, exact bool) (int, bool) {
	if i+len(pat) > len(ws) {
		return 0, false
	}
	for k, p := range pat {
		w := ws[i+k].low
		if exact {
			w = ws[i+k].raw
		}
		last := k == len(pat)-1
		if w != p && !(last && prefix && strings.HasPrefix(w, p)) {
			return 0, false
		}
		if !last && ws[i+k].brk {
			return 0, false
		}
	}
	return i + len(pat) - 1, true
}

// findActors lists the known actors the text names, each once, in the
// order of their first mention.
func (s *EventSuggester) findActors(text string, ws []eword) []geotag.SuggestedActor {
	var out []geotag.SuggestedActor
	seen := map[string]bool{}
	for i := range ws {
		for _, a := range s.actors {
			if seen[a.name] {
				continue
			}
			if j, ok := matchWords(ws, i, a.words, false, a.exact); ok {
				seen[a.name] = true
				out = append(out, geotag.SuggestedActor{Name: a.name,
					Evidence: geotag.Evidence{Text: text[ws[i].start:ws[j].end], Start: ws[i].start, End: ws[j].end}})
			}
		}
	}
	return out
}

// atoi parses a count written in digits (commas allowed: 1,200 comes as
// one word only without them), or -1.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return -1
	}
	return n
}
