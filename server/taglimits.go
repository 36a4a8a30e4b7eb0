package server

import (
	"bufio"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// Defaults of the tagging limits: the mentions and alternatives when the
// report limits set none (Config.ReportLimits; the tagger gives at most
// five alternatives), and Config.MaxTagResponse.
const (
	defaultMaxAlternatives = 5
	defaultMaxTagResponse  = 8 << 20
)

// tagLimits bound what tagging one text may return: mentions, alternatives
// per mention, and the bytes of a POST /api/v1/tag answer.
type tagLimits struct {
	mentions, alternatives, response int
}

func newTagLimits(mentions, alternatives, response int) tagLimits {
	l := tagLimits{mentions, alternatives, response}
	if l.mentions <= 0 {
		l.mentions = geotag.DefaultMaxMentions
	}
	if l.alternatives <= 0 || l.alternatives > defaultMaxAlternatives {
		l.alternatives = defaultMaxAlternatives
	}
	if l.response <= 0 {
		l.response = defaultMaxTagResponse
	}
	return l
}

// options returns opt asking the tagger for one mention more than the
// limit, so that a result over it can be told from one that meets it.
func (l tagLimits) options(opt geotag.TagOptions) geotag.TagOptions {
	opt.MaxMentions = l.mentions + 1
	opt.MaxAlternatives = l.alternatives
	return opt
}

// cut applies the limits to the mentions a tagger returned (whether or not
// it honoured the options) and reports whether any were left out.
func (l tagLimits) cut(ms []geotag.Mention) ([]geotag.Mention, bool) {
	truncated := len(ms) > l.mentions
	if truncated {
		ms = ms[:l.mentions]
	}
	for i := range ms {
		if len(ms[i].Alternatives) > l.alternatives {
			ms[i].Alternatives = ms[i].Alternatives[:l.alternatives]
		}
	}
	return ms, truncated
}

// tagResponse is the answer of POST /api/v1/tag. Truncated says that the
// text has more mentions than the answer holds: over the report limits' MaxMentions,
// or past Config.MaxTagResponse bytes.
type tagResponse struct {
	Mentions      []geotag.Mention `json:"mentions"`
	Truncated     bool             `json:"truncated"`
	Tagger        string           `json:"tagger"`
	Lang          string           `json:"lang,omitempty"`           // the language whose rules tagged the text: "en", "ar", "uk", "ru"
	TitleMentions []geotag.Mention `json:"title_mentions,omitempty"` // the title's, offsets in the title
	Location      *geotag.Location `json:"location"`                 // the automatic main location and why; null when none
	Degraded      string           `json:"degraded,omitempty"`       // the tagger cut its work short (geotag.TagNotes.Degraded): why
}

// tagAnswer is what writeTagAnswer writes: a tagResponse, and the event
// suggestion already encoded (nil for none).
type tagAnswer struct {
	mentions, titleMentions []geotag.Mention
	location                *geotag.Location
	truncated               bool
	lang                    string
	event                   []byte
	degraded                string // geotag.TagNotes.Degraded; empty: the tagger used all its evidence
}

// writeTagAnswer streams the mentions as a tagResponse of at most
// l.response bytes, encoding them one at a time and leaving out, with
// "truncated": true at the end, those that do not fit. A mention that
// cannot be encoded (a bug) is logged and ends the list the same way. The
// title's mentions (of at most maxTitle characters), the location and
// "degraded" (when the tagger cut its work short) come after them, whole.
func (s *Server) writeTagAnswer(c *gin.Context, a tagAnswer) {
	l := s.tagLimits
	ms, truncated := a.mentions, a.truncated
	tail, _ := json.Marshal(s.tagger.Version())
	if a.lang != "" { // the language whose rules tagged the text
		lb, _ := json.Marshal(a.lang)
		tail = append(append(tail, `,"lang":`...), lb...)
	}
	if a.event != nil {
		tail = append(append(tail, `,"event":`...), a.event...)
	}
	if len(a.titleMentions) > 0 {
		tb, _ := json.Marshal(a.titleMentions)
		tail = append(append(tail, `,"title_mentions":`...), tb...)
	}
	lb, _ := json.Marshal(a.location)
	tail = append(append(tail, `,"location":`...), lb...)
	if a.degraded != "" {
		db, _ := json.Marshal(a.degraded)
		tail = append(append(tail, `,"degraded":`...), db...)
	}
	room := l.response - len(`{"mentions":[],"truncated":false,"tagger":}`) - len(tail)
	c.Header("Content-Type", "application/json; charset=utf-8")
	c.Status(http.StatusOK)
	w := bufio.NewWriterSize(c.Writer, 32<<10)
	w.WriteString(`{"mentions":[`)
	n := 0
	for i := range ms {
		b, err := json.Marshal(&ms[i])
		if err != nil {
			s.logger.Error("encoding a mention", "err", err)
			truncated = true
			break
		}
		if n+1+len(b) > room {
			truncated = true
			break
		}
		if i > 0 {
			w.WriteByte(',')
		}
		w.Write(b)
		n += 1 + len(b)
	}
	if truncated {
		w.WriteString(`],"truncated":true,"tagger":`)
	} else {
		w.WriteString(`],"truncated":false,"tagger":`)
	}
	w.Write(tail)
	w.WriteByte('}')
	w.Flush()
}
