package forms

import (
	"fmt"
	"slices"
	"strings"
)

// node is the compiled, immutable description of one field. Bound copies
// ([Field]) are made from it on demand, so a *Form never changes.
type node struct {
	name     string
	field    Field  // static part; Pointer, InputName, ID, Fields and Items unset
	kind     string // JSON type of the value: string, number, integer, boolean, object, array
	itemKind string // checkboxes: JSON type of one element
	optVals  []any  // typed values of field.Options (float64 for numbers)
	format   string
	consent  bool    // boolean with "const": true
	children []*node // fieldset: its properties; repeat: the properties of one item
	itemName string  // repeat: label of one item ("Équipement" → "Équipement 2")
	index    int     // position among its siblings, in form order
	page     int     // top-level fields: the page they are on

	// Set by Compile once every field is known (see conditions.go).
	parent *node   // enclosing fieldset or repeat group; nil at the top level
	tmpl   string  // pointer with "-" for item indexes: /equipment/-/item
	seq    int     // position in form order over the whole tree
	top    *node   // the top-level field this one is in (itself at the top level)
	cond   *cond   // compiled ui:showIf; nil when always shown
	conds  bool    // cond, or a field inside has one
	showIf any     // raw "ui:showIf", checked by Compile
	uiPath string  // UI schema path, for errors about ui:showIf
	listed bool    // listed in the plain "required" of its object
	obj    *object // fieldset: its schema; repeat: its items schema (where allOf rules sit)
	objPth string  // schema path of obj
}

// maxDepth bounds nesting, which also stops recursive $ref.
const maxDepth = 16

// builder turns the parsed schema and UI schema into nodes.
type builder struct {
	root *object // the whole schema, for local $ref
}

func schemaErr(ptr, format string, args ...any) error {
	return &CompileError{Source: "schema", Pointer: ptr, Msg: fmt.Sprintf(format, args...)}
}

func uiErr(ptr, format string, args ...any) error {
	return &CompileError{Source: "ui", Pointer: ptr, Msg: fmt.Sprintf(format, args...)}
}

// properties builds the fields of an object schema, in UI order.
func (b *builder) properties(s, ui *object, sPath, uiPath string, depth int) ([]*node, error) {
	props := s.obj("properties")
	if props == nil || len(props.keys) == 0 {
		return nil, schemaErr(sPath, "an object needs \"properties\" to be shown as a form")
	}
	if err := checkUIKeys(ui, uiPath, func(k string) bool { _, ok := props.vals[k]; return ok }); err != nil {
		return nil, err
	}
	required := map[string]bool{}
	if req, ok := s.get("required"); ok {
		list, _ := req.([]any)
		for _, r := range list {
			if name, ok := r.(string); ok {
				required[name] = true
			}
		}
	}
	order, err := uiOrder(props.keys, ui, uiPath)
	if err != nil {
		return nil, err
	}
	nodes := make([]*node, 0, len(order))
	for i, name := range order {
		p := sPath + "/properties/" + escapeToken(name)
		if name == "" || strings.Contains(name, ".") || name == actionKey {
			return nil, schemaErr(p, "property name %q cannot be used in a form (no dots, not %q)", name, actionKey)
		}
		ps, ok := props.vals[name].(*object)
		if !ok {
			return nil, schemaErr(p, "property %q must be a schema object", name)
		}
		n, err := b.node(name, ps, ui.obj(name), p, uiPath+"/"+escapeToken(name), required[name], depth+1)
		if err != nil {
			return nil, err
		}
		n.index = i
		nodes = append(nodes, n)
	}
	return nodes, nil
}

// uiOrder applies "ui:order" (with "*" for the rest) to the schema's keys.
func uiOrder(keys []string, ui *object, uiPath string) ([]string, error) {
	raw, ok := ui.get("ui:order")
	if !ok {
		return keys, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, uiErr(uiPath+"/ui:order", "ui:order must be a list of property names")
	}
	var head, tail []string
	seen := map[string]bool{}
	star := false
	for i, v := range list {
		name, _ := v.(string)
		switch {
		case name == "*" && !star:
			star = true
		case name == "*" || seen[name]:
			return nil, uiErr(fmt.Sprintf("%s/ui:order/%d", uiPath, i), "ui:order lists %q twice", name)
		case !slices.Contains(keys, name):
			return nil, uiErr(fmt.Sprintf("%s/ui:order/%d", uiPath, i), "ui:order names unknown property %q", name)
		default:
			seen[name] = true
			if star {
				tail = append(tail, name)
			} else {
				head = append(head, name)
			}
		}
	}
	out := head
	for _, k := range keys {
		if !seen[k] {
			out = append(out, k)
		}
	}
	return append(out, tail...), nil
}

// checkUIKeys rejects UI schema keys that name nothing in the schema, so a
// typo does not silently lose its settings.
func checkUIKeys(ui *object, uiPath string, known func(string) bool) error {
	if ui == nil {
		return nil
	}
	for _, k := range ui.keys {
		if strings.HasPrefix(k, "ui:") {
			continue
		}
		if !known(k) {
			return uiErr(uiPath+"/"+escapeToken(k), "the schema has no property %q here", k)
		}
		if _, ok := ui.vals[k].(*object); !ok {
			return uiErr(uiPath+"/"+escapeToken(k), "must be an object")
		}
	}
	return nil
}

// deref resolves a local "$ref", merging sibling keywords over the target.
func (b *builder) deref(s *object, sPath string) (*object, error) {
	for range maxDepth {
		ref := s.str("$ref")
		if ref == "" {
			return s, nil
		}
		if !strings.HasPrefix(ref, "#/") && ref != "#" {
			return nil, schemaErr(sPath, "$ref %q: only local references such as \"#/$defs/address\" are allowed", ref)
		}
		target, ok := resolvePointer(b.root, splitLocation(ref))
		t, isObj := target.(*object)
		if !ok || !isObj {
			return nil, schemaErr(sPath, "$ref %q does not point to a schema object", ref)
		}
		// The target's keywords, then the siblings of "$ref" over them; a
		// "$ref" of the target itself is followed on the next turn.
		merged := &object{keys: slices.Clone(t.keys), vals: make(map[string]any, len(t.vals)+len(s.vals))}
		for k, v := range t.vals {
			merged.vals[k] = v
		}
		for _, k := range s.keys {
			if k == "$ref" {
				continue
			}
			if _, ok := merged.vals[k]; !ok {
				merged.keys = append(merged.keys, k)
			}
			merged.vals[k] = s.vals[k]
		}
		s = merged
	}
	return nil, schemaErr(sPath, "$ref chain too long (a reference cycle?)")
}
