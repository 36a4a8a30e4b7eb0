package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/geotag/geotag"
)

// decodeJSON reads the request body as JSON into v. It returns
// EUNSUPPORTED for a body that is not declared as JSON, ETOOLARGE for one
// over the limit, EINVALID for invalid UTF-8 or malformed JSON (naming the
// field of a type mismatch). NaN and infinities are not JSON and so are
// malformed.
func decodeJSON(c *gin.Context, v any) error {
	mt := mediaType(c)
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return geotag.FieldErrorf(geotag.EUNSUPPORTED, "Content-Type", "request body must be application/json, not %q", mt)
	}
	if c.Request.Body == nil {
		return geotag.FieldErrorf(geotag.EINVALID, "body", "request body is empty")
	}
	body, err := io.ReadAll(c.Request.Body)
	if isTooLarge(err) {
		return geotag.FieldErrorf(geotag.ETOOLARGE, "body", "request body is over the limit")
	} else if err != nil {
		return geotag.FieldErrorf(geotag.EINVALID, "body", "reading the request body: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return geotag.FieldErrorf(geotag.EINVALID, "body", "request body is empty")
	}
	if !utf8.Valid(body) {
		return geotag.FieldErrorf(geotag.EINVALID, "body", "request body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return geotag.FieldErrorf(geotag.EINVALID, "body", "request body holds more than one JSON value")
	}
	return nil
}

// jsonError converts a decoding error to an EINVALID *geotag.Error.
func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var ge *geotag.Error
	switch {
	case errors.As(err, &ge):
		return err
	case errors.As(err, &se):
		return geotag.FieldErrorf(geotag.EINVALID, "body", "malformed JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te):
		f := te.Field
		if f == "" {
			f = "body"
		}
		return geotag.FieldErrorf(geotag.EINVALID, f, "%s must be a JSON %s, not %s", f, jsonKind(te.Type.Kind().String()), te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return geotag.FieldErrorf(geotag.EINVALID, "body", "malformed JSON: unexpected end of input")
	}
	return geotag.FieldErrorf(geotag.EINVALID, "body", "malformed JSON: %v", err)
}

func jsonKind(k string) string {
	switch k {
	case "float32", "float64", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "number"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	case "bool":
		return "boolean"
	}
	return k
}
