package builder

import "slices"

// ChangeKind says what happened to a value between two versions.
type ChangeKind string

// The kinds of change.
const (
	Added   ChangeKind = "added"   // the value is only in the new version
	Removed ChangeKind = "removed" // the value is only in the old version
	Changed ChangeKind = "changed" // the value is in both, with another content or type
	// Reordered is an object whose members are the same but in another
	// order, which matters in a form (the order of its fields). Before and
	// After list the keys both versions have, in their order.
	Reordered ChangeKind = "reordered"
)

// Change is one difference between two versions of a procedure.
type Change struct {
	// Path is the JSONPath of the value, as in [Problem].
	Path string     `json:"path"`
	Kind ChangeKind `json:"kind"`
	// Before and After are the old and new values as compact JSON (strings
	// keep their quotes); Before is "" when added, After "" when removed.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// String returns the change on one line: "path: before → after".
func (c Change) String() string {
	switch c.Kind {
	case Added:
		return c.Path + ": added " + c.After
	case Removed:
		return c.Path + ": removed " + c.Before
	case Reordered:
		return c.Path + ": reordered " + c.Before + " → " + c.After
	}
	return c.Path + ": " + c.Before + " → " + c.After
}

// Diff returns the differences from a to b, walking both JSON documents
// (as [Procedure.JSON] writes them) down to the values that differ, forms
// included: a changed title, a field added to a form schema, a removed
// attachment. Changes come in document order; nil means no difference.
//
// Object members are matched by key; an object whose members moved is
// also reported as [Reordered]. Array elements are aligned on their
// longest common subsequence, so inserting an element reports one addition
// rather than a change at every later index; between aligned elements the
// remaining ones are paired in order and compared in depth. A removed
// element has its index in a, an added or changed one its index in b. A nil
// procedure counts as null.
func Diff(a, b *Procedure) []Change {
	ta, errA := procedureTree(a)
	tb, errB := procedureTree(b)
	if errA != nil || errB != nil {
		return []Change{{Path: "$", Kind: Changed, Before: display(ta), After: display(tb)}}
	}
	d := &differ{}
	d.value("$", ta, tb)
	return d.changes
}

// procedureTree decodes the canonical JSON of p into an ordered tree.
func procedureTree(p *Procedure) (any, error) {
	if p == nil {
		return nil, nil
	}
	data, err := p.JSON()
	if err != nil {
		return nil, err
	}
	return decodeTree(data)
}

type differ struct {
	changes []Change
}

func (d *differ) add(path string, kind ChangeKind, before, after any) {
	c := Change{Path: path, Kind: kind}
	if kind != Added {
		c.Before = display(before)
	}
	if kind != Removed {
		c.After = display(after)
	}
	d.changes = append(d.changes, c)
}

func (d *differ) value(path string, x, y any) {
	if display(x) == display(y) {
		return
	}
	switch xv := x.(type) {
	case *object:
		if yv, ok := y.(*object); ok {
			d.object(path, xv, yv)
			return
		}
	case []any:
		if yv, ok := y.([]any); ok {
			d.array(path, xv, yv)
			return
		}
	}
	d.add(path, Changed, x, y)
}

// object compares members by key, in document order: the members of y,
// each removed member of x coming where it stood.
func (d *differ) object(path string, x, y *object) {
	xi := 0
	removedUntil := func(stop func(k string) bool) {
		for ; xi < len(x.keys) && !stop(x.keys[xi]); xi++ {
			if _, ok := y.vals[x.keys[xi]]; !ok {
				d.add(keyPath(path, x.keys[xi]), Removed, x.vals[x.keys[xi]], nil)
			}
		}
		xi++ // past the stop
	}
	for _, k := range y.keys {
		if _, ok := x.vals[k]; !ok {
			d.add(keyPath(path, k), Added, nil, y.vals[k])
			continue
		}
		removedUntil(func(xk string) bool { return xk == k })
		d.value(keyPath(path, k), x.vals[k], y.vals[k])
	}
	removedUntil(func(string) bool { return false })
	kx, ky := commonKeys(x, y), commonKeys(y, x)
	if !slices.Equal(kx, ky) {
		d.changes = append(d.changes, Change{Path: path, Kind: Reordered, Before: display(kx), After: display(ky)})
	}
}

// commonKeys returns the keys of x that y also has, in the order of x.
func commonKeys(x, y *object) []any {
	var keys []any
	for _, k := range x.keys {
		if _, ok := y.vals[k]; ok {
			keys = append(keys, k)
		}
	}
	return keys
}

// maxLCSCells bounds the alignment table; longer arrays are compared index
// by index.
const maxLCSCells = 1 << 20

func (d *differ) array(path string, x, y []any) {
	pairs := align(x, y)
	i, j := 0, 0
	for _, p := range append(pairs, [2]int{len(x), len(y)}) {
		n := min(p[0]-i, p[1]-j)
		for k := range n {
			d.value(indexPath(path, j+k), x[i+k], y[j+k])
		}
		for k := i + n; k < p[0]; k++ {
			d.add(indexPath(path, k), Removed, x[k], nil)
		}
		for k := j + n; k < p[1]; k++ {
			d.add(indexPath(path, k), Added, nil, y[k])
		}
		i, j = p[0]+1, p[1]+1
	}
}

// align returns the index pairs of a longest common subsequence of equal
// elements of x and y, in increasing order.
func align(x, y []any) [][2]int {
	if len(x)*len(y) > maxLCSCells {
		return nil
	}
	cx, cy := make([]string, len(x)), make([]string, len(y))
	for i, v := range x {
		cx[i] = display(v)
	}
	for j, v := range y {
		cy[j] = display(v)
	}
	// l[i][j] is the length of the LCS of cx[i:] and cy[j:].
	l := make([][]int, len(x)+1)
	for i := range l {
		l[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if cx[i] == cy[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	var pairs [][2]int
	for i, j := 0, 0; i < len(x) && j < len(y); {
		switch {
		case cx[i] == cy[j]:
			pairs = append(pairs, [2]int{i, j})
			i, j = i+1, j+1
		case l[i+1][j] >= l[i][j+1]:
			i++
		default:
			j++
		}
	}
	return pairs
}
