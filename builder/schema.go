package builder

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
)

// schemaDoc is a decoded form schema, read by the message checks: which
// property a JSON pointer names, and what data a template may see.
type schemaDoc struct {
	root map[string]any
}

// maxSchemaDepth bounds the walks below, which also stops recursive $ref.
const maxSchemaDepth = 16

func parseSchemaDoc(raw []byte) (*schemaDoc, error) {
	var root map[string]any
	if err := json.Unmarshal(raw, &root); err != nil {
		return nil, err
	}
	return &schemaDoc{root: root}, nil
}

// deref follows local references ("$ref": "#/$defs/address"); keywords
// beside "$ref" override those of its target, as forms does.
func (d *schemaDoc) deref(s map[string]any) map[string]any {
	for range maxSchemaDepth {
		ref, ok := s["$ref"].(string)
		if !ok || !strings.HasPrefix(ref, "#") {
			return s
		}
		var cur any = d.root
		for _, tok := range splitPointer(strings.TrimPrefix(ref, "#")) {
			m, _ := cur.(map[string]any)
			cur = m[tok]
		}
		target, ok := cur.(map[string]any)
		if !ok {
			return s
		}
		merged := maps.Clone(target)
		for k, v := range s {
			if k != "$ref" {
				merged[k] = v
			}
		}
		s = merged
	}
	return s
}

// property returns the schema of the property that pointer names, following
// "properties" from the root. inList is true when the pointer goes through
// an array, where no single value lives.
func (d *schemaDoc) property(pointer string) (s map[string]any, inList, ok bool) {
	s = d.deref(d.root)
	for _, tok := range splitPointer(pointer) {
		if schemaType(s) == "array" {
			return nil, true, false
		}
		props, _ := s["properties"].(map[string]any)
		next, ok := props[tok].(map[string]any)
		if !ok {
			return nil, false, false
		}
		s = d.deref(next)
	}
	return s, false, true
}

// schemaType returns the declared type of s, the first that is not "null"
// when "type" is a list.
func schemaType(s map[string]any) string {
	switch t := s["type"].(type) {
	case string:
		return t
	case []any:
		for _, v := range t {
			if name, _ := v.(string); name != "null" {
				return name
			}
		}
	}
	if _, ok := s["properties"]; ok {
		return "object"
	}
	if _, ok := s["items"]; ok {
		return "array"
	}
	return ""
}

// sample returns a value shaped like the data a submission of this form
// holds: an object has every property, so that a template naming one that
// does not exist fails when run on it.
func (d *schemaDoc) sample() any {
	return d.sampleOf(d.root, 0)
}

func (d *schemaDoc) sampleOf(s map[string]any, depth int) any {
	s = d.deref(s)
	switch schemaType(s) {
	case "object":
		out := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			ps, _ := p.(map[string]any)
			if depth < maxSchemaDepth {
				out[name] = d.sampleOf(ps, depth+1)
			}
		}
		return out
	case "array":
		return []any{}
	case "boolean":
		return true
	case "integer", "number":
		return 1
	}
	return "…"
}

// splitPointer splits a JSON pointer (RFC 6901) into unescaped tokens.
func splitPointer(ptr string) []string {
	if ptr == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return slices.Clip(toks)
}
