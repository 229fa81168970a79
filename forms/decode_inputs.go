package forms

import (
	"strings"
)

// scalar decodes a text, number, date, select, radio or hidden input.
func (d *decoder) scalar(n *node, ptr, name string) (any, bool) {
	raw := ""
	if vs := d.post.Values[name]; len(vs) > 0 {
		raw = vs[0]
	}
	s := strings.TrimSpace(strings.ToValidUTF8(raw, "\uFFFD"))
	if n.field.Widget == WidgetTextarea {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	if s == "" {
		return nil, false
	}
	for i, o := range n.field.Options {
		if o.Value == s {
			return n.optVals[i], true
		}
	}
	if n.field.Options != nil {
		return s, true // not one of the choices: validation reports it
	}
	switch n.kind {
	case "number", "integer":
		x, ok := parseNumber(s)
		if !ok {
			d.errs = append(d.errs, FieldError{Pointer: ptr, Key: "type", Args: []any{n.kind}, Input: s})
			return nil, false
		}
		return x, true
	}
	if n.format == "date" || n.field.Widget == WidgetDate {
		if iso, ok := normalizeDate(s); ok {
			return iso, true
		}
	}
	return s, true
}

// boolean decodes a checkbox: checked when posted with any value other
// than "", "false", "off" or "0" (a hidden boolean posts "true"/"false").
func (d *decoder) boolean(name string) bool {
	for _, v := range d.post.Values[name] {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "", "false", "off", "0":
		default:
			return true
		}
	}
	return false
}

// checkboxes decodes the ticked options into a list typed as the items.
func (d *decoder) checkboxes(n *node, name string) (any, bool) {
	var out []any
	for _, raw := range d.post.Values[name] {
		s := strings.TrimSpace(raw)
		if s == "" {
			continue
		}
		var v any = s // not one of the choices: validation reports it
		for i, o := range n.field.Options {
			if o.Value == s {
				v = n.optVals[i]
				break
			}
		}
		out = append(out, v)
	}
	return out, len(out) > 0
}
