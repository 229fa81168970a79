package forms

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Bind returns a page ready to render: deep copies of its fields with
// Value, Values, Checked, Options[].Selected and Error filled from data and
// errs (messages in lang, see [Form.Message]). Page -1 gives every field as
// one page; an unknown page gives an empty Page.
//
// A repeat field gets one Items entry per element of its array in data, and
// at least MinItems (at least one) entries, whose pointers, input names and
// ids carry the item index ("/equipment/1/name", "equipment.1.name",
// "f-equipment-1-name"). Its Fields stay the unbound item template, whose
// index is "-" ("/equipment/-/name", "equipment.-.name").
//
// A "type" error from [Form.Decode] carries the text the applicant typed
// (FieldError.Input); Bind shows that text again instead of the value in
// data, so nothing typed is lost.
//
// A field with a "ui:showIf" gets its Condition, in lang, and is Hidden
// when the condition is false on data. Condition.SamePage tells whether
// the controlling field is on page (always for page -1): templates render
// a hidden field only then, with Condition.Hint.
func (f *Form) Bind(page int, data map[string]any, errs []FieldError, lang string) Page {
	return f.bind(page, data, errs, lang, true)
}

func (f *Form) bind(page int, data map[string]any, errs []FieldError, lang string, bound bool) Page {
	p := Page{Index: page}
	nodes, ok := f.pageNodes(page)
	if !ok {
		return p
	}
	p.Title = f.title
	if page >= 0 {
		p.Title = f.pages[page].title
	}
	b := &binder{f: f, lang: lang, bound: bound, page: page, root: data}
	if len(errs) > 0 {
		b.errs = make(map[string]FieldError, len(errs))
		for _, e := range errs {
			if _, dup := b.errs[e.Pointer]; !dup {
				b.errs[e.Pointer] = e
			}
		}
	}
	p.Fields = make([]Field, len(nodes))
	for i, n := range nodes {
		v, has := data[n.name]
		p.Fields[i] = b.field(n, v, has, "/"+escapeToken(n.name), n.name)
	}
	return p
}

// binder fills fields from one data document.
type binder struct {
	f     *Form
	lang  string
	bound bool // false: templates only, no repeat items
	errs  map[string]FieldError
	page  int            // the page bound, -1 for all
	root  map[string]any // the whole data, for conditions
}

// field returns a fresh copy of n at pointer ptr and input name, bound to v.
func (b *binder) field(n *node, v any, has bool, ptr, name string) Field {
	fd := n.field
	fd.Pointer, fd.InputName, fd.ID = ptr, name, htmlID(ptr)
	fd.Options = slices.Clone(n.field.Options)
	fd.Accept = slices.Clone(n.field.Accept)
	fd.MinLength, fd.MaxLength = clonePtr(fd.MinLength), clonePtr(fd.MaxLength)
	fd.Minimum, fd.Maximum = clonePtr(fd.Minimum), clonePtr(fd.Maximum)
	if n.cond != nil {
		toks := splitPointer(ptr)
		fd.Condition = n.cond.bind(toks, b.lang, b.page)
		fd.Hidden = b.bound && !b.f.holds(n, toks, b.root)
	}
	switch fd.Widget {
	case WidgetFieldset:
		m, _ := v.(map[string]any)
		fd.Fields = b.children(n, m, ptr, name)
	case WidgetRepeat:
		tb := &binder{f: b.f, lang: b.lang, page: b.page}
		fd.Fields = tb.children(n, nil, ptr+"/-", name+".-")
		if b.bound {
			list := asList(v)
			fd.Items = make([][]Field, max(len(list), fd.MinItems, 1))
			for i := range fd.Items {
				var m map[string]any
				if i < len(list) {
					m, _ = list[i].(map[string]any)
				}
				idx := strconv.Itoa(i)
				fd.Items[i] = b.children(n, m, ptr+"/"+idx, name+"."+idx)
			}
		}
	case WidgetCheckboxes:
		for _, x := range asList(v) {
			fd.Values = append(fd.Values, formatValue(x))
		}
		for i := range fd.Options {
			fd.Options[i].Selected = slices.Contains(fd.Values, fd.Options[i].Value)
		}
	case WidgetCheckbox:
		fd.Checked = v == true
	default:
		if has {
			fd.Value = formatValue(v)
		}
		if e, ok := b.errs[ptr]; ok && e.Input != "" {
			fd.Value = e.Input
		}
		for i := range fd.Options {
			fd.Options[i].Selected = has && fd.Options[i].Value == fd.Value
		}
	}
	if e, ok := b.errs[ptr]; ok {
		fd.Error = b.f.Message(e, b.lang)
	}
	return fd
}

func (b *binder) children(n *node, m map[string]any, ptr, name string) []Field {
	out := make([]Field, len(n.children))
	for i, c := range n.children {
		v, has := m[c.name]
		out[i] = b.field(c, v, has, ptr+"/"+escapeToken(c.name), name+"."+c.name)
	}
	return out
}

// asList returns the elements of a JSON array held as []any or []string.
func asList(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return nil
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// htmlID makes the HTML id of a pointer: "/address/street" → "f-address-street".
// Characters that are awkward in ids and CSS selectors become "_".
func htmlID(ptr string) string {
	var sb strings.Builder
	sb.Grow(len(ptr) + 1)
	sb.WriteByte('f')
	for _, r := range ptr {
		switch {
		case r == '/' || r == '-':
			sb.WriteByte('-')
		case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			sb.WriteRune(r)
		default:
			sb.WriteByte('_')
		}
	}
	return sb.String()
}
