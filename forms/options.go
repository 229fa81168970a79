package forms

import (
	"encoding/json"
	"math"
	"strings"
)

// options reads the choices of a property: "enum" (labels from
// "ui:enumNames") or "oneOf"/"anyOf" whose branches are all {"const",
// "title"}. It returns nil when the property has no fixed choices.
func (b *builder) options(s, ui *object, sPath, uiPath string) ([]Option, []any, error) {
	if enum, ok := s.vals["enum"].([]any); ok {
		var names []any
		if raw, ok := ui.get("ui:enumNames"); ok {
			names, _ = raw.([]any)
			if len(names) != len(enum) {
				return nil, nil, uiErr(uiPath+"/ui:enumNames", "ui:enumNames must list one label per enum value (%d)", len(enum))
			}
		}
		var opts []Option
		var vals []any
		for i, v := range enum {
			if v == nil {
				continue // null only makes the field optional
			}
			tv := typedValue(v)
			label := formatValue(tv)
			if names != nil {
				if l, ok := names[i].(string); ok {
					label = l
				}
			}
			opts = append(opts, Option{Value: formatValue(tv), Label: label})
			vals = append(vals, tv)
		}
		return opts, vals, nil
	}
	for _, key := range []string{"oneOf", "anyOf"} {
		branches, ok := s.vals[key].([]any)
		if !ok || len(branches) == 0 {
			continue
		}
		var opts []Option
		var vals []any
		for _, raw := range branches {
			br, ok := raw.(*object)
			if !ok {
				return nil, nil, nil
			}
			br, err := b.deref(br, sPath+"/"+key)
			if err != nil {
				return nil, nil, err
			}
			c, ok := br.get("const")
			if !ok {
				return nil, nil, nil // not a list of choices
			}
			if c == nil {
				continue
			}
			tv := typedValue(c)
			opts = append(opts, Option{Value: formatValue(tv), Label: firstOf(br.str("title"), formatValue(tv))})
			vals = append(vals, tv)
		}
		return opts, vals, nil
	}
	return nil, nil, nil
}

// typedValue converts a parsed schema value to the type a decoded JSON
// document would hold (json.Number → float64).
func typedValue(v any) any {
	if n, ok := v.(json.Number); ok {
		f, _ := n.Float64()
		return f
	}
	return v
}

// uiOptions reads "ui:options": rows, inline and addLabel.
func uiOptions(f *Field, ui *object, uiPath string) error {
	raw, ok := ui.get("ui:options")
	if !ok {
		return nil
	}
	opts, ok := raw.(*object)
	path := uiPath + "/ui:options"
	if !ok {
		return uiErr(path, "ui:options must be an object")
	}
	if v, ok := opts.get("rows"); ok {
		n, ok := intOf(v)
		if !ok || n < 1 {
			return uiErr(path+"/rows", "rows must be a positive integer")
		}
		f.Rows = n
	}
	if v, ok := opts.get("inline"); ok {
		if f.Inline, ok = v.(bool); !ok {
			return uiErr(path+"/inline", "inline must be true or false")
		}
	}
	if v, ok := opts.get("addLabel"); ok {
		if f.AddLabel, ok = v.(string); !ok {
			return uiErr(path+"/addLabel", "addLabel must be a string")
		}
	}
	return nil
}

// constraints copies the schema's limits onto the field, for HTML
// attributes (maxlength, min, max, pattern, accept) and help texts.
func constraints(f *Field, s *object, sPath string) error {
	ints := map[string]*int{}
	for _, k := range []string{"minLength", "maxLength", "minItems", "maxItems"} {
		if v, ok := s.get(k); ok {
			n, ok := intOf(v)
			if !ok {
				return schemaErr(sPath+"/"+k, "%s must be a non-negative integer", k)
			}
			ints[k] = &n
		}
	}
	f.MinLength, f.MaxLength = ints["minLength"], ints["maxLength"]
	if p := ints["minItems"]; p != nil {
		f.MinItems = *p
	}
	if p := ints["maxItems"]; p != nil {
		f.MaxItems = *p
	}
	for k, dst := range map[string]**float64{"minimum": &f.Minimum, "maximum": &f.Maximum} {
		if v, ok := s.get(k); ok {
			n, isNum := v.(json.Number)
			x, err := n.Float64()
			if !isNum || err != nil {
				return schemaErr(sPath+"/"+k, "%s must be a number", k)
			}
			*dst = &x
		}
	}
	f.Pattern = s.str("pattern")
	if v, ok := s.get("x-accept"); ok {
		var list []any
		switch a := v.(type) {
		case string:
			for _, t := range strings.Split(a, ",") {
				list = append(list, strings.TrimSpace(t))
			}
		case []any:
			list = a
		}
		for _, t := range list {
			mt, _ := t.(string)
			if i := strings.IndexByte(mt, '/'); i <= 0 || i == len(mt)-1 {
				return schemaErr(sPath+"/x-accept", "x-accept must list media types such as \"application/pdf\" or \"image/*\"")
			}
			f.Accept = append(f.Accept, strings.ToLower(mt))
		}
		if len(f.Accept) == 0 {
			return schemaErr(sPath+"/x-accept", "x-accept must list at least one media type")
		}
	}
	if v, ok := s.get("x-maxBytes"); ok {
		n, ok := intOf(v)
		if !ok || n <= 0 {
			return schemaErr(sPath+"/x-maxBytes", "x-maxBytes must be a positive integer")
		}
		f.MaxBytes = int64(n)
	}
	return nil
}

// intOf reads a non-negative integral JSON number.
func intOf(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	x, err := n.Float64()
	if err != nil || x < 0 || x != math.Trunc(x) || x > 1<<50 {
		return 0, false
	}
	return int(x), true
}
