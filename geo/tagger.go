package geo

import (
	"context"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	"github.com/geotag/geotag"
)

// Gazetteer is what the tagger needs from a gazetteer: the root interface
// plus two bounds on the spans of words the tagger looks up.
//
// Lookup, Alias and IsKeyPrefix are called with keys that live only for
// the call: an implementation must not keep the key string it is given.
type Gazetteer interface {
	geotag.Gazetteer
	// MaxKeyTokens returns the length, in key words, of the longest name
	// or alias key.
	MaxKeyTokens() int
	// IsKeyPrefix reports whether a name or alias key of more words than
	// key starts with key's words and a space ("new" and "new york" for
	// "new york city"). It may say true in vain; it must not say false for
	// the words that start a key.
	IsKeyPrefix(key string) bool
}

// Version of the tagging rules, recorded with the gazetteer's version.
const Version = "geo/1"

// maxCandidates bounds the candidates scored for one name.
const maxCandidates = 40

// maxAlternatives bounds the alternatives of a mention.
const maxAlternatives = 5

// Tagger finds place names in text and resolves them against a gazetteer.
// It is safe for concurrent use.
type Tagger struct {
	g      Gazetteer
	lex    *lexicon
	maxTok int
	keys   *keyCache
	divs   divisionNouns // nouns that close a list of divisions (divlist.go)
	pool   sync.Pool     // *state
	work   *atomic.Int64 // nil, or (tests) the steps of the loops whose length the text decides
	scored *atomic.Int64 // nil, or (tests) the candidates scored with the whole evidence (budget.go)
}

// state is the scratch memory of one Tag call.
type state struct {
	tz        tokenizer
	spanKey   []byte
	prefix    []byte     // the key words a span starts with, while looking for its end
	spans     []nameSpan // the English rules' spans
	candidate nameSpan   // the span being judged
	judged    spanCase   // its case
	langSpans []nameSpan // every paragraph's spans, when a text has paragraphs in other languages
	maxSpans  int        // > 0: stop recognising after this many spans
}

// NewTagger returns a tagger over g.
func NewTagger(g Gazetteer) *Tagger {
	m := g.MaxKeyTokens()
	if m < 1 {
		m = 1
	}
	if m > 8 {
		m = 8
	}
	t := &Tagger{g: g, lex: sharedLexicon(), maxTok: m, keys: &keyCache{}, divs: newDivisionNouns()}
	t.pool.New = func() any { return &state{tz: tokenizer{cache: t.keys}} }
	return t
}

// Preload parses the tagger's word lists (English words, given names,
// organisation cues) now rather than in the first NewTagger, so that a
// service can do it while it loads its gazetteer. It is safe to call from
// any goroutine, any number of times.
func Preload() { sharedLexicon() }

// Version names the tagger and its gazetteer.
func (t *Tagger) Version() string { return Version + " " + t.g.Version() }

var _ geotag.Tagger = (*Tagger)(nil)

// Tag returns the place names in text, in order, not overlapping, each
// resolved to its most likely place with up to five alternatives (fewer
// with opt.MaxAlternatives; only the first opt.MaxMentions mentions when
// that is set). Its time and memory are linear in the text. It returns
// an empty slice when there are none, an EINVALID error when text is not
// valid UTF-8, and ctx.Err() when ctx ends first.
func (t *Tagger) Tag(ctx context.Context, text string, opt geotag.TagOptions) ([]geotag.Mention, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !utf8.ValidString(text) {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "text", "text is not valid UTF-8")
	}
	if opt.BBox != nil {
		if err := opt.BBox.Validate(); err != nil {
			return nil, err
		}
	}
	st := t.pool.Get().(*state)
	defer t.pool.Put(st)
	toks := st.tz.tokenize(text)
	for i := range toks {
		toks[i].flags = t.lex.flags[toks[i].key]
	}
	st.maxSpans = opt.MaxMentions
	spans, err := t.recogniseText(ctx, st, text, toks)
	if err != nil {
		return nil, err
	}
	if n := opt.MaxMentions; n > 0 && len(spans) > n {
		spans = spans[:n] // resolved among themselves
	}
	return t.resolve(text, toks, spans, opt), nil
}

// step counts n steps of a loop whose length the text decides, when a test
// asks (work is set): the sum must stay proportional to the text.
func (t *Tagger) step(n int) {
	if t.work != nil {
		t.work.Add(int64(n))
	}
}

// lookupKey looks a key held in scratch memory up without copying it.
func (t *Tagger) lookup(key []byte) []geotag.Place {
	if len(key) == 0 {
		return nil
	}
	return t.g.Lookup(unsafe.String(unsafe.SliceData(key), len(key)))
}

func (t *Tagger) alias(key []byte) (geotag.Place, string, bool) {
	if len(key) == 0 {
		return geotag.Place{}, "", false
	}
	return t.g.Alias(unsafe.String(unsafe.SliceData(key), len(key)))
}
