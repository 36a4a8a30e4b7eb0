package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// maxImportItems bounds one import request.
const maxImportItems = 10000

// ImportItem is the outcome for one report of an import: Status 201 when
// stored, 200 when its external_id was already stored (ID is then the
// stored report's), or the status and problem of its error.
type ImportItem struct {
	Index   int      `json:"index"`
	Status  int      `json:"status"`
	ID      string   `json:"id,omitempty"`
	Problem *Problem `json:"problem,omitempty"`
}

// ImportResult answers POST /api/v1/import.
type ImportResult struct {
	Created    int          `json:"created"`
	Duplicates int          `json:"duplicates"`
	Failed     int          `json:"failed"`
	Items      []ImportItem `json:"items"`
}

// importReports stores many reports in one request: a JSON array, or
// newline-delimited JSON (application/x-ndjson), of report bodies as POST
// /api/v1/reports takes them, at most 10,000. Each is tagged and stored on
// its own; one bad report does not stop the others. Re-sending an import
// with external_ids is safe: stored ones count as duplicates. The body may
// be MaxImportBody bytes (default 32 MiB).
func (s *Server) importReports(c *gin.Context) {
	mt := mediaType(c)
	ndjson := mt == "application/x-ndjson" || mt == "application/jsonl" || mt == "application/json-seq"
	if !ndjson && mt != "application/json" {
		s.writeError(c, geotag.FieldErrorf(geotag.EUNSUPPORTED, "Content-Type",
			"an import is application/json (an array) or application/x-ndjson (one report per line), not %q", mt))
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if isTooLarge(err) {
		s.writeError(c, geotag.FieldErrorf(geotag.ETOOLARGE, "body", "an import may hold at most %d bytes; split it", s.maxImport))
		return
	} else if err != nil {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "body", "reading the request body: %v", err))
		return
	}
	if !utf8.Valid(body) {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "body", "request body is not valid UTF-8"))
		return
	}
	var raws []json.RawMessage
	if ndjson {
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(make([]byte, 0, 64<<10), len(body)+1)
		for sc.Scan() {
			line := bytes.TrimSpace(bytes.TrimPrefix(sc.Bytes(), []byte{0x1e}))
			if len(line) > 0 {
				raws = append(raws, json.RawMessage(bytes.Clone(line)))
			}
		}
	} else if err := json.Unmarshal(body, &raws); err != nil {
		s.writeError(c, jsonError(err))
		return
	}
	if len(raws) == 0 {
		s.writeError(c, geotag.FieldErrorf(geotag.EINVALID, "body", "the import holds no reports"))
		return
	}
	if len(raws) > maxImportItems {
		s.writeError(c, geotag.FieldErrorf(geotag.ETOOLARGE, "body", "an import may hold at most %d reports, not %d; split it", maxImportItems, len(raws)))
		return
	}
	res := ImportResult{Items: make([]ImportItem, 0, len(raws))}
	who := who(c)
	for i, raw := range raws {
		if err := c.Request.Context().Err(); err != nil {
			return // the client left
		}
		item := ImportItem{Index: i}
		r, err := s.importOne(c, raw, who)
		switch {
		case err == nil:
			item.Status, item.ID = http.StatusCreated, r.ID
			res.Created++
			s.metrics.reportStored()
		case geotag.ErrorCode(err) == geotag.ECONFLICT && r != nil && r.ID != "":
			item.Status, item.ID = http.StatusOK, r.ID
			res.Duplicates++
		default:
			item.Status = ErrorStatus(err)
			if item.Status >= 500 {
				s.logger.Error("import failed", "index", i, "err", err)
			}
			item.Problem = &Problem{Type: "about:blank", Title: http.StatusText(item.Status), Status: item.Status,
				Detail: geotag.ErrorMessage(err), Code: geotag.ErrorCode(err), Field: geotag.ErrorField(err)}
			res.Failed++
		}
		res.Items = append(res.Items, item)
	}
	c.JSON(http.StatusOK, res)
}

// importOne decodes, tags and stores one report of an import.
func (s *Server) importOne(c *gin.Context, raw json.RawMessage, who string) (*geotag.Report, error) {
	var in reportInput
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&in); err != nil {
		return nil, jsonError(err)
	}
	if strings.TrimSpace(string(raw)) == "null" {
		return nil, geotag.FieldErrorf(geotag.EINVALID, "body", "a report must be a JSON object")
	}
	now := s.now().UTC()
	r := &geotag.Report{Time: now, Status: geotag.StatusUnreviewed, Tags: []string{}, Created: now}
	if _, err := in.apply(r); err != nil {
		return nil, err
	}
	if err := s.setPlaces(c, r, &in, who); err != nil {
		return nil, err
	}
	r.History = []geotag.Revision{{At: now, By: who, Action: "create", Mention: -1, AfterLocation: r.Location}}
	err := s.reports.CreateReport(c.Request.Context(), r)
	return r, err
}
