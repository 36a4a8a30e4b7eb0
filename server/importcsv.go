package server

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/geotag/geotag"
)

// readCSV reads an import in CSV (RFC 4180; a header row, then one report
// a record) into at most max+1 records, so that a caller seeing more than
// max refuses the import without holding the whole file's records.
//
// Header names are matched to report fields case-insensitively by
// importAliases; the columns read and those ignored are returned in
// header order. Cells the CSV export defused with an apostrophe (safeCell)
// get their text back. A record whose cells are all blank is skipped. Each
// record carries the 1-based line it starts on. A record the CSV parser
// cannot read, or one with more non-empty cells than the header has
// columns, is a record with an EINVALID error; so is one whose values the
// report fields cannot take (see importFields.record). A shorter record
// leaves its missing cells empty.
//
// The whole input is refused (an EINVALID error, no records) when it has
// no header row, its header cannot be parsed, or the header names neither
// a title nor a text column: then it is not a CSV of reports at all.
// A leading UTF-8 byte order mark is skipped.
func readCSV(body []byte, max int) ([]importRecord, *ImportColumns, error) {
	body = bytes.TrimPrefix(body, utf8BOM)
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, nil, geotag.FieldErrorf(geotag.EINVALID, "body", "the CSV is empty: it needs a header row naming its columns")
	} else if err != nil {
		return nil, nil, geotag.FieldErrorf(geotag.EINVALID, "body", "the CSV header row cannot be read: %v", csvProblem(err))
	}
	head = append([]string(nil), head...)
	cols := &ImportColumns{Used: []string{}, Ignored: []string{}}
	slot := pickColumns(head, cols)
	if !hasField(slot, "title", "text") {
		return nil, nil, geotag.FieldErrorf(geotag.EINVALID, "body",
			"the CSV header names no title or text column (found: %s); the first row must name the columns", strings.Join(head, ", "))
	}
	var recs []importRecord
	for len(recs) <= max {
		offset := cr.InputOffset()
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			recs = append(recs, importRecord{Line: line, Err: geotag.FieldErrorf(geotag.EINVALID, "body", "this CSV record cannot be read: %v", csvProblem(err))})
			if cr.InputOffset() == offset {
				break // no progress: never loop on one error
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if blankRow(row) {
			continue
		}
		var f importFields
		var extra int
		for i, cell := range row {
			if i >= len(head) {
				if strings.TrimSpace(cell) != "" {
					extra++
				}
				continue
			}
			if p := f.slot(slot[i]); p != nil {
				*p = uncell(cell)
			}
		}
		if extra > 0 {
			recs = append(recs, importRecord{Line: line, Err: geotag.FieldErrorf(geotag.EINVALID, "body",
				"this row has %d cells but the header names %d columns: a text with a comma must be quoted", len(row), len(head))})
			continue
		}
		rec := f.record()
		rec.Line = line
		recs = append(recs, rec)
	}
	return recs, cols, nil
}

// utf8BOM starts files written by spreadsheets on Windows.
var utf8BOM = []byte("\ufeff")

// csvProblem words a csv package error without its own line prefix: the
// import item carries the line.
func csvProblem(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// blankRow reports whether every cell of a CSV record is blank.
func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// uncell undoes safeCell: each start of the cell's text or of a part of it
// after one of cellSeparators (past spaces) made of an apostrophe and then a character
// a spreadsheet would run as a formula, or another apostrophe, loses
// exactly that apostrophe. (A cell written by hand with two leading
// apostrophes comes back with one.)
func uncell(s string) string {
	var b []byte
	last := 0
	eachCellStart(s, func(i int) {
		if i+1 < len(s) && s[i] == '\'' && strings.IndexByte(formulaStarts+"'", s[i+1]) >= 0 {
			b = append(b, s[last:i]...)
			last = i + 1
		}
	})
	if last == 0 { // no apostrophe went
		return s
	}
	return string(append(b, s[last:]...))
}
