package server

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// Defaults of the tagging limits (Config.MaxMentions, MaxAlternatives,
// MaxTagResponse).
const (
	defaultMaxMentions     = 5000
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
		l.mentions = defaultMaxMentions
	}
	if l.alternatives <= 0 {
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
// text has more mentions than the answer holds: over Config.MaxMentions,
// or past Config.MaxTagResponse bytes.
type tagResponse struct {
	Mentions  []geotag.Mention `json:"mentions"`
	Truncated bool             `json:"truncated"`
	Tagger    string           `json:"tagger"`
}

// writeTagAnswer answers the mentions as a tagResponse of at most
// l.response bytes, encoding them one at a time and leaving out, with
// "truncated": true, those that do not fit. It returns an error, having
// written nothing, when a mention cannot be encoded.
func (l tagLimits) writeTagAnswer(c *gin.Context, ms []geotag.Mention, truncated bool, tagger string) error {
	tail, _ := json.Marshal(tagger)
	room := l.response - len(`{"mentions":[],"truncated":false,"tagger":}`) - len(tail)
	var buf bytes.Buffer
	buf.WriteString(`{"mentions":[`)
	for i := range ms {
		b, err := json.Marshal(&ms[i])
		if err != nil {
			return err
		}
		if buf.Len()+1+len(b) > room {
			truncated = true
			break
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(b)
	}
	if truncated {
		buf.WriteString(`],"truncated":true,"tagger":`)
	} else {
		buf.WriteString(`],"truncated":false,"tagger":`)
	}
	buf.Write(tail)
	buf.WriteByte('}')
	c.Data(http.StatusOK, "application/json; charset=utf-8", buf.Bytes())
	return nil
}
