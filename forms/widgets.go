package forms

import (
	"encoding/json"
	"slices"
	"strings"
)

// allowedWidgets lists the ui:widget values each kind of property accepts;
// the first one is the default.
var allowedWidgets = map[string][]Widget{
	"string":     {WidgetText, WidgetTextarea, WidgetEmail, WidgetTel, WidgetDate, WidgetFile, WidgetPassword, WidgetHidden},
	"number":     {WidgetNumber, WidgetHidden},
	"integer":    {WidgetInteger, WidgetHidden},
	"boolean":    {WidgetCheckbox, WidgetHidden},
	"options":    {WidgetSelect, WidgetRadio, WidgetHidden},
	"checkboxes": {WidgetCheckboxes},
	"object":     {WidgetFieldset},
	"repeat":     {WidgetRepeat},
}

// node compiles one property schema s (with its UI schema ui) into a node.
func (b *builder) node(name string, s, ui *object, sPath, uiPath string, required bool, depth int) (*node, error) {
	if depth > maxDepth {
		return nil, schemaErr(sPath, "nested too deeply (a recursive $ref?)")
	}
	s, err := b.deref(s, sPath)
	if err != nil {
		return nil, err
	}
	kind, err := b.kindOf(s, sPath)
	if err != nil {
		return nil, err
	}
	texts, err := uiStrings(ui, uiPath, "ui:widget", "ui:title", "ui:help", "ui:placeholder", "ui:autocomplete")
	if err != nil {
		return nil, err
	}
	n := &node{name: name, kind: kind, format: s.str("format"), uiPath: uiPath, listed: required}
	n.showIf, _ = ui.get("ui:showIf")
	f := &n.field
	f.Name = name
	f.Label = firstOf(texts["ui:title"], s.str("title"), name)
	f.Help = firstOf(texts["ui:help"], s.str("description"))
	f.Placeholder = texts["ui:placeholder"]
	f.Autocomplete = texts["ui:autocomplete"]
	f.Required = required
	if err := uiOptions(f, ui, uiPath); err != nil {
		return nil, err
	}
	group := kind
	switch kind {
	case "object":
		if n.children, err = b.properties(s, ui, sPath, uiPath, depth); err != nil {
			return nil, err
		}
		n.obj, n.objPth = s, sPath
	case "array":
		if group, err = b.array(n, s, ui, sPath, uiPath, depth); err != nil {
			return nil, err
		}
	case "boolean":
		if c, ok := s.get("const"); ok && c == true {
			n.consent, f.Required = true, true
		}
	default:
		if f.Options, n.optVals, err = b.options(s, ui, sPath, uiPath); err != nil {
			return nil, err
		}
		if f.Options != nil {
			group = "options"
		}
	}
	if kind != "object" && kind != "array" {
		if err := checkUIKeys(ui, uiPath, func(string) bool { return false }); err != nil {
			return nil, err
		}
	}
	allowed := allowedWidgets[group]
	f.Widget = allowed[0]
	if group == "string" {
		switch n.format {
		case "email":
			f.Widget = WidgetEmail
		case "date":
			f.Widget = WidgetDate
		case "file":
			f.Widget = WidgetFile
		}
	}
	if w := Widget(texts["ui:widget"]); w != "" {
		if !slices.Contains(allowed, w) {
			return nil, uiErr(uiPath+"/ui:widget", "ui:widget %q cannot show this %s property (use one of %s)", w, kind, joinWidgets(allowed))
		}
		f.Widget = w
	}
	if err := constraints(f, s, sPath); err != nil {
		return nil, err
	}
	return n, nil
}

// array compiles an array property as checkboxes (array of enum) or a
// repeat group (array of objects) and returns the widget group.
func (b *builder) array(n *node, s, ui *object, sPath, uiPath string, depth int) (string, error) {
	f := &n.field
	if err := checkUIKeys(ui, uiPath, func(k string) bool { return k == "items" }); err != nil {
		return "", err
	}
	raw := s.obj("items")
	if raw == nil {
		return "", schemaErr(sPath, "an array needs an \"items\" schema")
	}
	items, err := b.deref(raw, sPath+"/items")
	if err != nil {
		return "", err
	}
	itemUI, itemPath := ui.obj("items"), uiPath+"/items"
	optUI, optPath := itemUI, itemPath
	if _, ok := itemUI.get("ui:enumNames"); !ok {
		// A ui:enumNames on the array itself is the common RJSF spelling.
		optUI, optPath = ui, uiPath
	}
	if f.Options, n.optVals, err = b.options(items, optUI, sPath+"/items", optPath); err != nil {
		return "", err
	}
	if f.Options != nil {
		if n.itemKind, err = b.kindOf(items, sPath+"/items"); err != nil {
			return "", err
		}
		return "checkboxes", nil
	}
	if kind, _ := b.kindOf(items, sPath+"/items"); kind != "object" {
		return "", schemaErr(sPath+"/items", "an array field needs items with \"enum\"/\"oneOf\" (checkboxes) or an object (repeat group)")
	}
	if n.children, err = b.properties(items, itemUI, sPath+"/items", itemPath, depth+1); err != nil {
		return "", err
	}
	n.obj, n.objPth = items, sPath+"/items"
	texts, err := uiStrings(itemUI, itemPath, "ui:title")
	if err != nil {
		return "", err
	}
	n.itemName = firstOf(texts["ui:title"], items.str("title"), f.Label)
	return "repeat", nil
}

// kindOf returns the JSON type a property holds, from "type" or inferred
// from const, enum, oneOf, properties or items.
func (b *builder) kindOf(s *object, sPath string) (string, error) {
	var kind string
	switch t := s.vals["type"].(type) {
	case string:
		kind = t
	case []any:
		for _, v := range t {
			if name, _ := v.(string); name != "null" && name != "" {
				kind = name
				break
			}
		}
	}
	if kind == "" {
		kind = b.inferKind(s)
	}
	switch kind {
	case "string", "number", "integer", "boolean", "object", "array":
		return kind, nil
	case "":
		return "", schemaErr(sPath, "cannot tell what type of value this property holds; add \"type\"")
	}
	return "", schemaErr(sPath, "type %q cannot be shown in a form", kind)
}

func (b *builder) inferKind(s *object) string {
	if enum, ok := s.vals["enum"].([]any); ok {
		for _, v := range enum {
			if k := valueKind(v); k != "" {
				return k
			}
		}
	}
	if c, ok := s.get("const"); ok {
		return valueKind(c)
	}
	for _, key := range []string{"oneOf", "anyOf"} {
		if branches, ok := s.vals[key].([]any); ok && len(branches) > 0 {
			if br, ok := branches[0].(*object); ok {
				if br, err := b.deref(br, ""); err == nil {
					return b.inferKind(br)
				}
			}
		}
	}
	if s.obj("properties") != nil {
		return "object"
	}
	if _, ok := s.get("items"); ok {
		return "array"
	}
	return ""
}

func valueKind(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return ""
}

// uiStrings reads string-valued UI keys, rejecting values of another type.
func uiStrings(ui *object, uiPath string, keys ...string) (map[string]string, error) {
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		v, ok := ui.get(k)
		if !ok {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return nil, uiErr(uiPath+"/"+k, "%s must be a string", k)
		}
		out[k] = s
	}
	return out, nil
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func joinWidgets(ws []Widget) string {
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = string(w)
	}
	return strings.Join(names, ", ")
}
