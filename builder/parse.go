package builder

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Parse decodes a procedure document strictly: unknown fields, values of
// the wrong type and data after the document are errors, and the error
// gives the line and column where the problem is (1-based, columns in
// characters). Forms keep the author's key order; their JSON is compacted,
// so that Parse(p.JSON()) is equal to p.
//
// Parse only decodes; [Check] says whether the procedure is complete and
// consistent.
func Parse(data []byte) (*Procedure, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Procedure
	if err := dec.Decode(&p); err != nil {
		return nil, decodeError(data, err)
	}
	if rest := bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		line, col := position(data, int64(len(data)-len(rest)))
		return nil, fmt.Errorf("parse procedure: line %d, column %d: unexpected data after the procedure", line, col)
	}
	for i := range p.Scenarios {
		s := &p.Scenarios[i]
		if len(s.Attachments) == 0 {
			s.Attachments = nil
		}
		if s.Form != nil {
			s.Form.Schema = compactJSON(s.Form.Schema)
			s.Form.UISchema = compactJSON(s.Form.UISchema)
		}
	}
	if len(p.Keywords) == 0 {
		p.Keywords = nil
	}
	return &p, nil
}

// JSON returns the canonical encoding of p: fields in declaration order,
// two-space indentation, no HTML escaping (Markdown keeps its "<" and "&"),
// and a final newline. Presets are stored in this form.
func (p *Procedure) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("encode procedure %s: %w", p.Slug, err)
	}
	return buf.Bytes(), nil
}

// compactJSON removes insignificant space from raw; it leaves invalid JSON
// as it is, for Check to report.
func compactJSON(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return raw
	}
	return json.RawMessage(buf.Bytes())
}

// decodeError turns an encoding/json error into one that says where.
func decodeError(data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		line, col := position(data, syntax.Offset-1)
		return fmt.Errorf("parse procedure: line %d, column %d: %s", line, col, syntax.Error())
	case errors.As(err, &typ):
		line, col := position(data, typ.Offset-1)
		path, ok := findValue(data, typ.Offset)
		if !ok {
			path = "$." + typ.Field
		}
		return fmt.Errorf("parse procedure: line %d, column %d: %s must be %s, not %s",
			line, col, path, jsonKind(typ.Type), typ.Value)
	case errors.Is(err, io.EOF):
		return errors.New("parse procedure: empty document")
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := position(data, int64(len(data)))
		return fmt.Errorf("parse procedure: line %d, column %d: unexpected end of document", line, col)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if path, off, found := findKey(data, strings.Trim(name, `"`)); found {
			line, col := position(data, off)
			return fmt.Errorf("parse procedure: line %d, column %d: unknown field %s", line, col, path)
		}
		return fmt.Errorf("parse procedure: unknown field %s", name)
	}
	return fmt.Errorf("parse procedure: %w", err)
}

// jsonKind names the JSON type that decodes into t.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	default:
		return "a number"
	}
}

// position returns the 1-based line and column of the byte at offset.
func position(data []byte, offset int64) (line, col int) {
	offset = max(0, min(offset, int64(len(data))))
	before := data[:offset]
	line = 1 + bytes.Count(before, []byte("\n"))
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, 1 + utf8.RuneCount(before[lineStart:])
}
