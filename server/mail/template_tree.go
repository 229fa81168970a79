package mail

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/guichet/guichet/builder"
)

// textFunc is the function appended to every printing action of a template:
// {{.Data.x}} runs as {{.Data.x | guichetText}}.
const textFunc = "guichetText"

// rootFields are the names a template may use on its top-level dot.
var rootFields = func() map[string]bool {
	t := reflect.TypeFor[builder.MessageData]()
	fields := map[string]bool{}
	for i := range t.NumField() {
		fields[t.Field(i).Name] = true
	}
	for i := range t.NumMethod() {
		fields[t.Method(i).Name] = true
	}
	return fields
}()

// prepare checks a freshly parsed template and rewrites its printing
// actions to go through textFunc. It runs once per template, before the
// template is shared.
func prepare(tmpl *template.Template) error {
	if len(tmpl.Templates()) > 1 {
		return errors.New("{{define}} and {{block}} are not allowed")
	}
	if tmpl.Tree == nil || tmpl.Tree.Root == nil {
		return nil
	}
	w := &treeWalker{tree: tmpl.Tree}
	w.list(tmpl.Tree.Root, true)
	return w.err
}

// treeWalker visits a template's tree. root says whether dot is still the
// [builder.MessageData], which is false inside {{range}} and {{with}}.
type treeWalker struct {
	tree *parse.Tree
	err  error
}

func (w *treeWalker) list(l *parse.ListNode, root bool) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		w.node(n, root)
	}
}

func (w *treeWalker) node(n parse.Node, root bool) {
	switch n := n.(type) {
	case *parse.ActionNode:
		w.pipe(n.Pipe, root)
		if len(n.Pipe.Decl) == 0 { // {{$x := …}} prints nothing
			fn := parse.NewIdentifier(textFunc).SetTree(w.tree).SetPos(n.Pos)
			cmd := &parse.CommandNode{NodeType: parse.NodeCommand, Pos: n.Pos, Args: []parse.Node{fn}}
			n.Pipe.Cmds = append(n.Pipe.Cmds, cmd)
		}
	case *parse.IfNode:
		w.branch(&n.BranchNode, root, root)
	case *parse.RangeNode:
		w.branch(&n.BranchNode, root, false)
	case *parse.WithNode:
		w.branch(&n.BranchNode, root, false)
	case *parse.TemplateNode:
		w.fail(n, "{{template}} is not allowed")
	}
}

func (w *treeWalker) branch(b *parse.BranchNode, root, inner bool) {
	w.pipe(b.Pipe, root)
	w.list(b.List, inner)
	w.list(b.ElseList, root)
}

func (w *treeWalker) pipe(p *parse.PipeNode, root bool) {
	if p == nil {
		return
	}
	for _, cmd := range p.Cmds {
		for _, arg := range cmd.Args {
			switch arg := arg.(type) {
			case *parse.FieldNode:
				if root {
					w.field(arg, arg.Ident[0])
				}
			case *parse.VariableNode:
				if arg.Ident[0] == "$" && len(arg.Ident) > 1 {
					w.field(arg, arg.Ident[1])
				}
			case *parse.PipeNode:
				w.pipe(arg, root)
			case *parse.ChainNode:
				if inner, ok := arg.Node.(*parse.PipeNode); ok {
					w.pipe(inner, root)
				}
			}
		}
	}
}

func (w *treeWalker) field(n parse.Node, name string) {
	if !rootFields[name] {
		w.fail(n, fmt.Sprintf("unknown field .%s (use .Reference, .Procedure, .TrackingURL or .Data.<field>)", name))
	}
}

func (w *treeWalker) fail(n parse.Node, msg string) {
	if w.err == nil {
		location, _ := w.tree.ErrorContext(n)
		w.err = fmt.Errorf("%s: %s", location, msg)
	}
}

// textValue prints a value of form data the way an applicant wrote it.
func textValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64) // 1000000, not 1e+06
	case json.Number:
		return v.String()
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = textValue(e)
		}
		return strings.Join(parts, ", ")
	case []string:
		return strings.Join(v, ", ")
	}
	return fmt.Sprint(v)
}
