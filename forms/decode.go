package forms

import (
	"errors"
	"fmt"
	"mime/multipart"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// actionKey is the name of the submit buttons that change a repeat group.
const actionKey = "_action"

// ErrInvalidAction is returned by [Form.Decode] when the "_action" button
// names no repeat field (or item) of the decoded page: a forged post.
var ErrInvalidAction = errors.New("forms: invalid _action")

// Post is an HTML form submission as the HTTP layer parsed it.
type Post struct {
	Values url.Values
	Files  map[string][]*multipart.FileHeader
	// SaveFile stores an upload and returns its ID. Decode calls it only
	// for uploads that passed the field's x-accept and x-maxBytes checks.
	SaveFile func(f *Field, fh *multipart.FileHeader) (id string, err error)
}

// Action is a change to a repeat group asked for by a submit button named
// "_action": "add:/equipment" appends an empty item, "remove:/equipment/1"
// removes the second one. Kind is "" for any other submission.
type Action struct {
	Kind    string // "", "add" or "remove"
	Pointer string // the repeat field (add) or the item (remove)
}

// Decoded is the outcome of [Form.Decode].
type Decoded struct {
	// Data is the data given to Decode (or a new map when it was nil) with
	// the page's values overwritten from the post and Action applied.
	Data   map[string]any
	Action Action
	// Errors are the problems Decode itself found: "type" (a number that
	// does not parse; Input keeps the text), "fileType", "fileSize",
	// "fileEmpty", and "maxItems" for an add beyond the limit. Schema
	// validation is separate: see [Form.ValidatePage] and [Form.Merge].
	Errors []FieldError
}

// Decode reads the fields of page (-1: all fields) from an HTML post into
// data and returns it in Decoded.Data, typed as the schema says:
//
//   - text is trimmed and an empty input removes the key, so "required"
//     catches it; dates typed as 14.03.2025 are stored as 2025-03-14;
//   - numbers (and integers) are float64, as encoding/json decodes them;
//     "1 250", "1'250" and "3,5" are accepted; text that is no number is
//     a "type" error and the key is removed;
//   - a checkbox is true when posted ("on", "true"), else false;
//   - checkboxes give a list of option values, typed as the items;
//   - a fieldset with no value at all is removed;
//   - repeat items come from indexed names (equipment.0.name) and are
//     renumbered densely; items with every field empty are dropped unless
//     fewer than MinItems would remain, or the post is an add/remove (an
//     item of checkboxes only posts nothing: templates may add a hidden
//     input "equipment.0._" so it is counted);
//   - a file input with an upload is checked and saved through
//     Post.SaveFile; without one the ID already in data is kept. A hidden
//     input of the same name may carry an existing ID (for items that
//     client-side code moved); it is used only when data already holds
//     that ID for this field, never a new one;
//   - then, over the whole data (every page), the value of a field whose
//     "ui:showIf" is false is removed, in form order, with the errors
//     Decode found on it.
//
// The error is ErrInvalidAction for a forged "_action", or comes from
// reading an upload or from SaveFile.
func (f *Form) Decode(page int, data map[string]any, p Post) (Decoded, error) {
	nodes, ok := f.pageNodes(page)
	if !ok {
		return Decoded{Data: data}, fmt.Errorf("forms: page %d does not exist", page)
	}
	if data == nil {
		data = map[string]any{}
	}
	act, err := f.parseAction(page, p.Values.Get(actionKey))
	if err != nil {
		return Decoded{Data: data}, err
	}
	d := &decoder{f: f, post: p, act: act, known: map[string][]string{}}
	for _, n := range nodes {
		old := data[n.name]
		ptr := "/" + escapeToken(n.name)
		if n.cond != nil && !f.holds(n, []string{n.name}, data) {
			// Hidden by an answer given before it (on this page or an
			// earlier one): not read, so no upload is saved for nothing.
			delete(data, n.name)
			continue
		}
		d.collectFiles(n, old, ptr)
		v, ok, err := d.value(n, old, ptr, ptr, n.name)
		if err != nil {
			return Decoded{Data: data}, err
		}
		if ok {
			data[n.name] = v
		} else {
			delete(data, n.name)
		}
	}
	errs := f.dropHidden(data, d.errs)
	return Decoded{Data: data, Action: act, Errors: errs}, nil
}

// parseAction reads the "_action" button; other values are not ours.
func (f *Form) parseAction(page int, raw string) (Action, error) {
	kind, ptr, _ := strings.Cut(raw, ":")
	if kind != "add" && kind != "remove" {
		return Action{}, nil
	}
	l := f.locate(ptr)
	valid := l.node != nil && l.node.field.Widget == WidgetRepeat
	if valid && kind == "add" {
		valid = l.ptr == ptr
	} else if valid {
		last := len(l.items) - 1
		valid = last >= 0 && l.items[last].repeat == l.node &&
			ptr == l.ptr+"/"+strconv.Itoa(l.items[last].index)
	}
	if !valid || (page != -1 && f.PageOf(ptr) != page) {
		return Action{}, fmt.Errorf("%w %q", ErrInvalidAction, raw)
	}
	return Action{Kind: kind, Pointer: ptr}, nil
}

// decoder holds the state of one Decode call.
type decoder struct {
	f     *Form
	post  Post
	act   Action
	errs  []FieldError
	known map[string][]string // template pointer of a file field → IDs in data
}

// value decodes node n at pointer ptr (tmpl: the same with "-" for item
// indexes) from input name; old is the value data held before.
func (d *decoder) value(n *node, old any, ptr, tmpl, name string) (any, bool, error) {
	switch n.field.Widget {
	case WidgetFieldset:
		return d.object(n, old, ptr, tmpl, name)
	case WidgetRepeat:
		return d.repeat(n, old, ptr, tmpl, name)
	case WidgetCheckboxes:
		v, ok := d.checkboxes(n, name)
		return v, ok, nil
	case WidgetFile:
		return d.file(n, old, ptr, tmpl, name)
	}
	if n.kind == "boolean" {
		return d.boolean(name), true, nil
	}
	v, ok := d.scalar(n, ptr, name)
	return v, ok, nil
}

// object decodes the properties of a fieldset or repeat item. An object
// whose values are all absent or false is itself absent.
func (d *decoder) object(n *node, old any, ptr, tmpl, name string) (any, bool, error) {
	oldM, _ := old.(map[string]any)
	m := make(map[string]any, len(n.children))
	empty := true
	for _, c := range n.children {
		cp := "/" + escapeToken(c.name)
		v, ok, err := d.value(c, oldM[c.name], ptr+cp, tmpl+cp, name+"."+c.name)
		if err != nil {
			return nil, false, err
		}
		if ok {
			m[c.name] = v
			empty = empty && v == false
		}
	}
	if empty {
		return nil, false, nil
	}
	return m, true, nil
}

// repeat decodes the items of a repeat group and applies an add or remove
// action aimed at it.
func (d *decoder) repeat(n *node, old any, ptr, tmpl, name string) (any, bool, error) {
	oldList := asList(old)
	type item struct {
		v     any
		empty bool
		from  string // pointer prefix the item was decoded at
		errs  [2]int // its range in d.errs
	}
	var items []item
	for _, i := range d.itemIndexes(name + ".") {
		idx := strconv.Itoa(i)
		if d.act.Kind == "remove" && d.act.Pointer == ptr+"/"+idx {
			continue
		}
		var oldItem any
		if i < len(oldList) {
			oldItem = oldList[i]
		}
		start := len(d.errs)
		v, ok, err := d.object(n, oldItem, ptr+"/"+idx, tmpl+"/-", name+"."+idx)
		if err != nil {
			return nil, false, err
		}
		if !ok {
			v = map[string]any{}
		}
		items = append(items, item{v: v, empty: !ok && len(d.errs) == start, from: ptr + "/" + idx, errs: [2]int{start, len(d.errs)}})
	}
	if d.act.Kind == "" {
		// Drop empty items from the end, keeping MinItems.
		for j := len(items) - 1; j >= 0 && len(items) > n.field.MinItems; j-- {
			if items[j].empty {
				items = slices.Delete(items, j, j+1)
			}
		}
	}
	out := make([]any, len(items))
	for pos, it := range items {
		out[pos] = it.v
		to := ptr + "/" + strconv.Itoa(pos)
		for k := it.errs[0]; k < it.errs[1]; k++ {
			d.errs[k].Pointer = to + strings.TrimPrefix(d.errs[k].Pointer, it.from)
		}
	}
	if d.act.Kind == "add" && d.act.Pointer == ptr {
		if n.field.MaxItems > 0 && len(out) >= n.field.MaxItems {
			d.errs = append(d.errs, FieldError{Pointer: ptr, Key: "maxItems", Args: []any{n.field.MaxItems}})
		} else {
			out = append(out, map[string]any{})
		}
	}
	if len(out) == 0 {
		return nil, false, nil
	}
	return out, true, nil
}

// itemIndexes returns the sorted item indexes posted under prefix
// ("equipment."), from both values and files.
func (d *decoder) itemIndexes(prefix string) []int {
	var idxs []int
	add := func(key string) {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok {
			return
		}
		if j := strings.IndexByte(rest, '.'); j >= 0 {
			rest = rest[:j]
		}
		i, err := strconv.Atoi(rest)
		if err == nil && i >= 0 && strconv.Itoa(i) == rest && !slices.Contains(idxs, i) {
			idxs = append(idxs, i)
		}
	}
	for k := range d.post.Values {
		add(k)
	}
	for k := range d.post.Files {
		add(k)
	}
	slices.Sort(idxs)
	return idxs
}
