package forms

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// keywords are the validation keywords an error can be reported for.
var keywords = map[string]bool{
	"required": true, "dependentRequired": true, "type": true, "const": true,
	"enum": true, "format": true, "minLength": true, "maxLength": true,
	"pattern": true, "minimum": true, "maximum": true, "exclusiveMinimum": true,
	"exclusiveMaximum": true, "multipleOf": true, "minItems": true,
	"maxItems": true, "uniqueItems": true, "additionalProperties": true,
	"unevaluatedProperties": true, "minProperties": true, "maxProperties": true,
	"contains": true, "minContains": true, "maxContains": true,
	"propertyNames": true, "dependencies": true,
}

// quotedName matches the 'name' quoting of jsonschema messages.
var quotedName = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)

// leaf turns one jsonschema error without causes into field errors.
func (c *collector) leaf(ve *jsonschema.ValidationError) {
	toks := splitLocation(ve.InstanceLocation)
	ptr := joinPointer(toks)
	kw := "invalid"
	kwToks := splitLocation(ve.KeywordLocation)
	for i := len(kwToks) - 1; i >= 0; i-- {
		if keywords[kwToks[i]] {
			kw = kwToks[i]
			break
		}
	}
	sv := c.f.keywordValue(ve.AbsoluteKeywordLocation)
	switch kw {
	case "required":
		obj, _ := valueAt(c.data, toks)
		m, _ := obj.(map[string]any)
		names := stringList(sv)
		if names == nil {
			for _, q := range quotedName.FindAllStringSubmatch(ve.Message, -1) {
				names = append(names, strings.ReplaceAll(q[1], `\'`, `'`))
			}
		}
		for _, name := range names {
			if _, ok := m[name]; !ok {
				c.add(ptr+"/"+escapeToken(name), "required", nil)
			}
		}
	case "dependentRequired", "dependencies":
		if name, ok := sv.(string); ok {
			c.add(ptr+"/"+escapeToken(name), "required", nil)
		} else {
			c.add(ptr, "required", nil)
		}
	case "type":
		c.add(ptr, "type", []any{typeName(sv)})
	case "const", "enum":
		c.add(ptr, "enum", nil)
	case "additionalProperties", "unevaluatedProperties":
		c.add(ptr, kw, c.unknownProperties(ptr, toks))
	default:
		var args []any
		if n, ok := numberArg(sv); ok {
			args = []any{n}
		} else if s, ok := sv.(string); ok {
			args = []any{s}
		}
		c.add(ptr, kw, args)
	}
}

// unknownProperties lists the keys of the object at toks that its field
// does not define.
func (c *collector) unknownProperties(ptr string, toks []string) []any {
	obj, _ := valueAt(c.data, toks)
	m, _ := obj.(map[string]any)
	var names []string
	for k := range m {
		known := false
		if len(toks) == 0 {
			known = c.f.byName[k] != nil
		} else if l := c.f.locate(ptr); l.node != nil {
			known = l.node.child(k) != nil
		}
		if !known {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	args := make([]any, len(names))
	for i, n := range names {
		args[i] = n
	}
	return args
}

// keywordValue reads the schema value at an absolute keyword location.
func (f *Form) keywordValue(loc string) any {
	_, frag, ok := strings.Cut(loc, "#")
	if !ok {
		return nil
	}
	v, _ := resolvePointer(f.doc, splitLocation(frag))
	return v
}

func stringList(v any) []string {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// typeName is the expected type of a "type" keyword, ignoring "null".
func typeName(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if s, _ := x.(string); s != "" && s != "null" {
				return s
			}
		}
	}
	return ""
}

func joinPointer(toks []string) string {
	var sb strings.Builder
	for _, t := range toks {
		sb.WriteByte('/')
		sb.WriteString(escapeToken(t))
	}
	return sb.String()
}

// normalize converts data into the values jsonschema v5 accepts
// (map[string]any, []any, string, bool, nil, json.Number, float64 and
// most integer types), copying only what changes. Not-a-number and
// infinities become strings so that they fail "type" instead of panicking.
func normalize(v any) (any, bool, error) {
	switch x := v.(type) {
	case nil, bool, string, json.Number, int, int8, int32, int64, uint, uint8, uint32, uint64:
		return v, false, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return formatValue(x), true, nil
		}
		return v, false, nil
	case float32:
		return normalize(float64(x))
	case int16:
		return int64(x), true, nil
	case uint16:
		return uint64(x), true, nil
	case map[string]any:
		var out map[string]any
		for k, e := range x {
			n, changed, err := normalize(e)
			if err != nil {
				return nil, false, err
			}
			if changed {
				if out == nil {
					out = make(map[string]any, len(x))
					for k2, e2 := range x {
						out[k2] = e2
					}
				}
				out[k] = n
			}
		}
		if out == nil {
			return x, false, nil
		}
		return out, true, nil
	case []any:
		var out []any
		for i, e := range x {
			n, changed, err := normalize(e)
			if err != nil {
				return nil, false, err
			}
			if changed {
				if out == nil {
					out = slices.Clone(x)
				}
				out[i] = n
			}
		}
		if out == nil {
			return x, false, nil
		}
		return out, true, nil
	case []string:
		return asList(x), true, nil
	case json.RawMessage:
		return decodeJSON(x)
	}
	b, err := json.Marshal(v) // structs, typed maps and slices, pointers
	if err != nil {
		return nil, false, err
	}
	return decodeJSON(b)
}

func decodeJSON(b []byte) (any, bool, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, false, err
	}
	return out, true, nil
}
