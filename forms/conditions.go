package forms

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// cond is a compiled "ui:showIf" (see the package doc).
type cond struct {
	ctl      *node        // the controlling field
	prefix   int          // tokens of the controlling field's object: its value is at toks[:prefix] + ctl.name
	op       string       // equals, in, checked
	values   []string     // equals, in: option values (formatted)
	typed    []any        // equals, in: the same, typed as the controlling field's values
	checked  bool         // checked
	samePage bool         // both fields are on the same page
	public   Condition    // the static part of Field.Condition
	texts    [2][2]string // [fr, en][text, hint]
}

// compileConditions gives every field its place in the whole tree and
// compiles the "ui:showIf" of those that have one, checking them against
// the schema's if/then rules. rootS is the root object schema.
func (f *Form) compileConditions(rootS *object) error {
	var all []*node
	byTmpl := map[string]*node{}
	var walk func(nodes []*node, parent *node, prefix string)
	walk = func(nodes []*node, parent *node, prefix string) {
		for _, n := range nodes {
			n.parent, n.tmpl, n.seq = parent, prefix+"/"+escapeToken(n.name), len(all)
			n.top = n
			if parent != nil {
				n.top = parent.top
			}
			all = append(all, n)
			byTmpl[n.tmpl] = n
			switch n.field.Widget {
			case WidgetFieldset:
				walk(n.children, n, n.tmpl)
			case WidgetRepeat:
				walk(n.children, n, n.tmpl+"/-")
			}
		}
	}
	walk(f.top, nil, "")
	for _, n := range all {
		if n.showIf == nil {
			continue
		}
		c, err := parseShowIf(n, byTmpl)
		if err != nil {
			return err
		}
		n.cond = c
		f.conds = true
		for p := n; p != nil; p = p.parent {
			p.conds = true
		}
		if n.listed {
			return uiErr(n.uiPath+"/ui:showIf", "%q has ui:showIf but its object lists it in \"required\", so it would be required even when hidden: "+
				"require it in an \"allOf\" rule {\"if\": …, \"then\": {\"required\": [%q]}} instead", n.name, n.name)
		}
		if n.field.Required, err = checkRules(n, rootS); err != nil {
			return err
		}
	}
	return nil
}

// parseShowIf checks and compiles the "ui:showIf" of n.
func parseShowIf(n *node, byTmpl map[string]*node) (*cond, error) {
	path := n.uiPath + "/ui:showIf"
	o, ok := n.showIf.(*object)
	if !ok {
		return nil, uiErr(path, "ui:showIf must be an object such as {\"field\": \"/room\", \"equals\": \"salle-communale\"}")
	}
	var ops []string
	for _, k := range o.keys {
		switch k {
		case "field":
		case "equals", "in", "checked":
			ops = append(ops, k)
		default:
			return nil, uiErr(path+"/"+escapeToken(k), "unknown ui:showIf key %q: use \"field\" and one of \"equals\", \"in\", \"checked\"", k)
		}
	}
	ptr, ok := o.vals["field"].(string)
	if !ok || ptr == "" {
		return nil, uiErr(path+"/field", "ui:showIf needs \"field\": the JSON pointer of the field it depends on, such as \"/room\"")
	}
	ctl := byTmpl[ptr]
	switch {
	case ctl == nil:
		return nil, uiErr(path+"/field", "ui:showIf names no field of the form: %q (write the pointer from the root, with \"-\" for a repeat item: \"/equipment/-/item\")", ptr)
	case ctl == n:
		return nil, uiErr(path+"/field", "a field cannot depend on itself")
	case !encloses(ctl.parent, n):
		return nil, uiErr(path+"/field", "ui:showIf can only depend on a field of the same group as %q or of an enclosing one, not on %q", n.name, ptr)
	case ctl.seq > n.seq:
		return nil, uiErr(path+"/field", "ui:showIf can only depend on a field that comes before %q in the form, not on %q", n.name, ptr)
	}
	choices := ctl.field.Options != nil // select, radio, checkboxes, hidden choice
	if !choices && ctl.kind != "boolean" {
		return nil, uiErr(path+"/field", "ui:showIf can only depend on a choice (select, radio, checkboxes) or a checkbox; %q is neither", ptr)
	}
	if len(ops) != 1 {
		return nil, uiErr(path, "ui:showIf needs exactly one of \"equals\", \"in\" or \"checked\"")
	}
	c := &cond{ctl: ctl, op: ops[0], samePage: ctl.top.page == n.top.page}
	c.prefix = len(splitPointer(ctl.tmpl)) - 1
	raw := o.vals[c.op]
	switch c.op {
	case "checked":
		b, ok := raw.(bool)
		if !ok {
			return nil, uiErr(path+"/checked", "checked must be true or false")
		}
		if ctl.kind != "boolean" {
			return nil, uiErr(path+"/checked", "checked goes with a checkbox; %q has choices: use \"equals\" or \"in\"", ptr)
		}
		c.checked = b
	case "equals", "in":
		if !choices {
			return nil, uiErr(path+"/"+c.op, "%s goes with a field that has choices; %q is a checkbox: use \"checked\"", c.op, ptr)
		}
		list := []any{raw}
		where := func(int) string { return path + "/equals" }
		if c.op == "in" {
			l, ok := raw.([]any)
			if !ok || len(l) == 0 {
				return nil, uiErr(path+"/in", "in must be a non-empty list of values")
			}
			list, where = l, func(i int) string { return fmt.Sprintf("%s/in/%d", path, i) }
		}
		for i, v := range list {
			j := optionIndex(ctl, v)
			if j < 0 {
				return nil, uiErr(where(i), "%s is not one of the choices of %q (%s)", jsonText(v), ptr, choiceList(ctl))
			}
			if slices.Contains(c.values, ctl.field.Options[j].Value) {
				return nil, uiErr(where(i), "%s is listed twice", jsonText(v))
			}
			c.values = append(c.values, ctl.field.Options[j].Value)
			c.typed = append(c.typed, ctl.optVals[j])
		}
	}
	c.public = Condition{Field: ptr, Label: ctl.field.Label, Op: c.op, Values: c.values, Checked: c.checked}
	for _, v := range c.values {
		c.public.Labels = append(c.public.Labels, optionLabel(ctl, v))
	}
	for i, en := range []bool{false, true} {
		c.texts[i][0] = conditionText(c, en)
		c.texts[i][1] = conditionHint(c, en)
	}
	return c, nil
}

// encloses tells whether the object of container (nil: the root) holds n
// at some depth.
func encloses(container, n *node) bool {
	if container == nil {
		return true
	}
	for p := n.parent; p != nil; p = p.parent {
		if p == container {
			return true
		}
	}
	return false
}

// optionIndex returns the index of the option of n whose value is v (a
// value parsed from the UI schema), or -1.
func optionIndex(n *node, v any) int {
	if valueKind(v) == "" {
		return -1
	}
	tv := typedValue(v)
	for i, ov := range n.optVals {
		if valueKind(jsonValue(ov)) == valueKind(v) && formatValue(ov) == formatValue(tv) {
			return i
		}
	}
	return -1
}

// jsonValue turns a typed option value back into the parsed form, to
// compare kinds (float64 → json.Number).
func jsonValue(v any) any {
	if f, ok := v.(float64); ok {
		return json.Number(formatValue(f))
	}
	return v
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func choiceList(n *node) string {
	vals := make([]string, len(n.optVals))
	for i, v := range n.optVals {
		vals[i] = jsonText(v)
	}
	return strings.Join(vals, ", ")
}

// checkRules finds the "allOf" if/then rules whose "then" requires n and
// checks that they are the rule of its ui:showIf, in the object of the
// controlling field. It reports whether n is required when shown.
func checkRules(n *node, rootS *object) (bool, error) {
	// The objects from the root down to n's parent, and the steps from each
	// to n's object: "properties/<name>" and "items" for a repeat group.
	type level struct {
		obj   *object
		path  string
		owner *node // nil for the root
	}
	var chain []*node
	for p := n.parent; p != nil; p = p.parent {
		chain = append([]*node{p}, chain...)
	}
	levels := []level{{rootS, "", nil}}
	for _, p := range chain {
		levels = append(levels, level{p.obj, p.objPth, p})
	}
	required := false
	for li, lv := range levels {
		rules, _ := lv.obj.get("allOf")
		list, _ := rules.([]any)
		for ri, r := range list {
			rule, _ := r.(*object)
			then := rule.obj("then")
			if rule.obj("if") == nil || then == nil {
				continue
			}
			// Walk "then" down to n's object.
			for _, p := range chain[li:] {
				then = then.obj("properties").obj(p.name)
				if p.field.Widget == WidgetRepeat {
					then = then.obj("items")
				}
			}
			req, _ := then.get("required")
			if !slices.Contains(stringList(req), n.name) {
				continue
			}
			rp := fmt.Sprintf("%s/allOf/%d/if", lv.path, ri)
			if lv.owner != n.cond.ctl.parent {
				return false, schemaErr(rp, "this rule requires %q, which has ui:showIf on %q: the rule must sit in the object that holds %q", n.name, n.cond.ctl.tmpl, n.cond.ctl.name)
			}
			want := n.cond.ifSchema()
			if !sameJSON(rule.vals["if"], want) {
				ifs := rule.obj("if")
				if _, ok := ifs.get("required"); !ok && sameJSON(ifs.vals["properties"], want["properties"]) {
					return false, schemaErr(rp, "the \"if\" of the rule that requires %q must also have \"required\": [%q], else the rule applies while %q is unanswered",
						n.name, n.cond.ctl.name, n.cond.ctl.name)
				}
				return false, schemaErr(rp, "this rule requires %q under another condition than its ui:showIf: write \"if\": %s", n.name, jsonText(want))
			}
			required = true
		}
	}
	return required, nil
}

// ifSchema is the "if" of the rule that mirrors the condition, in
// the JSON form that encoding/json writes.
func (c *cond) ifSchema() map[string]any {
	var v any
	switch c.op {
	case "checked":
		v = map[string]any{"const": c.checked}
	case "equals":
		v = map[string]any{"const": c.typed[0]}
	case "in":
		v = map[string]any{"enum": c.typed}
	}
	if c.ctl.field.Widget == WidgetCheckboxes {
		v = map[string]any{"contains": v}
	}
	return map[string]any{"properties": map[string]any{c.ctl.name: v}, "required": []any{c.ctl.name}}
}

// sameJSON compares a parsed schema value with a plain Go value, ignoring
// the order of keys and of "enum" values and the spelling of numbers.
func sameJSON(parsed any, want any) bool {
	return canon(plainJSON(parsed), false) == canon(want, false)
}

// plainJSON converts a parsed tree (*object, json.Number) to plain values.
func plainJSON(v any) any {
	switch x := v.(type) {
	case *object:
		m := make(map[string]any, len(x.vals))
		for k, e := range x.vals {
			m[k] = plainJSON(e)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainJSON(e)
		}
		return out
	case json.Number:
		return typedValue(x)
	}
	return v
}

// canon writes v as text with sorted keys; the elements of "enum" lists
// are sorted too.
func canon(v any, set bool) string {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var sb strings.Builder
		sb.WriteByte('{')
		for _, k := range keys {
			sb.WriteString(jsonText(k) + ":" + canon(x[k], k == "enum") + ",")
		}
		return sb.String() + "}"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = canon(e, false)
		}
		if set {
			slices.Sort(parts)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case float64:
		return "n" + formatValue(x)
	}
	return jsonText(v)
}

// ---------------------------------------------------------------- runtime

// PageShown tells whether page has something to fill in on data: a field
// without "ui:showIf", one whose condition holds, or one whose controlling
// field is on the page itself. A step whose fields all depend on earlier
// answers that hide them can be skipped. Unknown pages are not shown.
func (f *Form) PageShown(page int, data map[string]any) bool {
	nodes, ok := f.pageNodes(page)
	if !ok {
		return false
	}
	for _, n := range nodes {
		if n.cond == nil || (page == -1 || n.cond.samePage) || f.holds(n, []string{n.name}, data) {
			return true
		}
	}
	return false
}

// holds tells whether the condition of n is true in root for the field
// at toks (its value pointer's tokens): the controlling field is shown
// and has one of the values.
func (f *Form) holds(n *node, toks []string, root map[string]any) bool {
	c := n.cond
	if c == nil {
		return true
	}
	if len(toks) < c.prefix {
		return false
	}
	ctoks := append(slices.Clip(toks[:c.prefix]), c.ctl.name)
	if c.ctl.cond != nil && !f.holds(c.ctl, ctoks, root) {
		return false
	}
	v, ok := valueAt(root, ctoks)
	if !ok {
		return false
	}
	switch c.op {
	case "checked":
		b, ok := v.(bool)
		return ok && b == c.checked
	}
	if c.ctl.field.Widget == WidgetCheckboxes {
		for _, x := range asList(v) {
			if slices.Contains(c.values, formatValue(x)) {
				return true
			}
		}
		return false
	}
	if v == nil {
		return false
	}
	return slices.Contains(c.values, formatValue(v))
}

// bind returns the Field.Condition of a field bound at toks, in lang, on
// page (-1: all fields on one page).
func (c *cond) bind(toks []string, lang string, page int) *Condition {
	bc := c.public
	bc.Values, bc.Labels = slices.Clone(bc.Values), slices.Clone(bc.Labels)
	if len(toks) >= c.prefix {
		bc.Pointer = joinPointer(append(slices.Clip(toks[:c.prefix]), c.ctl.name))
	}
	bc.SamePage = page == -1 || c.samePage
	i := 0
	if isEnglish(lang) {
		i = 1
	}
	bc.Text, bc.Hint = c.texts[i][0], c.texts[i][1]
	return &bc
}

// dropHidden removes from data the values of the fields whose condition is
// false, in form order (so a field that depends on a dropped one goes too),
// and the errors about them. A fieldset left empty is removed.
func (f *Form) dropHidden(data map[string]any, errs []FieldError) []FieldError {
	if !f.conds {
		return errs
	}
	var dropped []string
	var walk func(nodes []*node, m map[string]any, toks []string)
	walk = func(nodes []*node, m map[string]any, toks []string) {
		for _, n := range nodes {
			if !n.conds {
				continue
			}
			v, ok := m[n.name]
			ctoks := append(slices.Clip(toks), n.name)
			if n.cond != nil && !f.holds(n, ctoks, data) {
				delete(m, n.name) // and errors about it, even without a value
				dropped = append(dropped, joinPointer(ctoks))
				continue
			}
			if !ok {
				continue
			}
			switch n.field.Widget {
			case WidgetFieldset:
				if child, ok := v.(map[string]any); ok {
					walk(n.children, child, ctoks)
					if len(child) == 0 {
						delete(m, n.name)
					}
				}
			case WidgetRepeat:
				for i, item := range asList(v) {
					if child, ok := item.(map[string]any); ok {
						walk(n.children, child, append(slices.Clip(ctoks), fmt.Sprint(i)))
					}
				}
			}
		}
	}
	walk(f.top, data, nil)
	if len(dropped) == 0 {
		return errs
	}
	return slices.DeleteFunc(errs, func(e FieldError) bool {
		for _, p := range dropped {
			if e.Pointer == p || strings.HasPrefix(e.Pointer, p+"/") {
				return true
			}
		}
		return false
	})
}

// ---------------------------------------------------------------- texts

// quote puts a label between « » (French, with no-break spaces) or “ ”.
func quote(s string, en bool) string {
	if en {
		return "\u201c" + s + "\u201d"
	}
	return "«\u00a0" + s + "\u00a0»"
}

// conditionText says the condition in words: « Salle » est « Salle
// communale », “Room” is “Hall” or “Aula”, la case « X » est cochée.
func conditionText(c *cond, en bool) string {
	label := quote(c.public.Label, en)
	if c.op == "checked" {
		switch {
		case en && c.checked:
			return label + " is ticked"
		case en:
			return label + " is not ticked"
		case c.checked:
			return "la case " + label + " est cochée"
		}
		return "la case " + label + " n'est pas cochée"
	}
	vals := make([]string, len(c.public.Labels))
	for i, l := range c.public.Labels {
		vals[i] = quote(l, en)
	}
	or := " ou "
	if en {
		or = " or "
	}
	list := vals[len(vals)-1]
	if len(vals) > 1 {
		list = strings.Join(vals[:len(vals)-1], ", ") + or + list
	}
	verb := " est "
	switch {
	case c.ctl.field.Widget == WidgetCheckboxes && en:
		verb = " includes "
	case c.ctl.field.Widget == WidgetCheckboxes:
		verb = " comprend "
	case en:
		verb = " is "
	}
	return label + verb + list
}

// conditionHint is the hint of a field rendered while its condition may
// still change on the page.
func conditionHint(c *cond, en bool) string {
	if en {
		return "Only fill this in if " + conditionText(c, en)
	}
	return "À remplir seulement si " + conditionText(c, en)
}
