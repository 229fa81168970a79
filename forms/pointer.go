package forms

import "strconv"

// located is where a value pointer falls in the field tree.
type located struct {
	node  *node     // deepest field on the path; nil when none
	ptr   string    // that field's pointer (with item indexes)
	key   []int     // position in form order, for sorting errors
	items []itemRef // enclosing repeat items, outermost first
}

// itemRef is one element of a repeat field.
type itemRef struct {
	repeat *node
	index  int
}

// locate walks pointer (RFC 6901) down the field tree and stops at the
// deepest field, so "/tags/2" lands on the checkboxes "/tags" and
// "/equipment/1/quantity" on the quantity of the second item.
func (f *Form) locate(pointer string) located {
	toks := splitPointer(pointer)
	var l located
	var parent *node
	prefix := ""
	for i := 0; i < len(toks); i++ {
		var n *node
		if parent == nil {
			n = f.byName[toks[i]]
		} else {
			n = parent.child(toks[i])
		}
		if n == nil {
			return l
		}
		prefix += "/" + escapeToken(toks[i])
		l.node, l.ptr = n, prefix
		l.key = append(l.key, n.index)
		switch n.field.Widget {
		case WidgetFieldset:
			parent = n
		case WidgetRepeat:
			if i+1 >= len(toks) {
				return l
			}
			idx, err := strconv.Atoi(toks[i+1])
			if err != nil || idx < 0 || strconv.Itoa(idx) != toks[i+1] {
				return l
			}
			i++
			prefix += "/" + toks[i]
			l.key = append(l.key, idx)
			l.items = append(l.items, itemRef{n, idx})
			parent = n
		default:
			return l
		}
	}
	return l
}

// child returns the property called name of a fieldset or repeat item.
func (n *node) child(name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// pageNodes returns the top-level fields of page, or all for -1.
func (f *Form) pageNodes(page int) ([]*node, bool) {
	if page == -1 {
		return f.top, true
	}
	if page < 0 || page >= len(f.pages) {
		return nil, false
	}
	return f.pages[page].nodes, true
}

// valueAt returns the value at the pointer tokens inside data.
func valueAt(data any, toks []string) (any, bool) {
	cur := data
	for _, t := range toks {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[t]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}
