package runtime

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// translatable are the functions whose argument at the index is a format
// of the catalogue.
var translatable = map[string]int{"refuse": 0, "actionErrorf": 1}

// plumbing are the functions that pass a format on rather than write one.
var plumbing = []string{"refuse", "actionErrorf"}

// refusalFormats returns the formats of the ActionErrors written in
// server/runtime/*.go, failing on a format that is not a string literal
// and on an ActionError built without its format.
func refusalFormats(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	keys := map[string]string{} // format → position
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			enclosing := ""
			if fn, ok := decl.(*ast.FuncDecl); ok {
				enclosing = fn.Name.Name
			}
			ast.Inspect(decl, func(n ast.Node) bool {
				if lit, ok := n.(*ast.CompositeLit); ok {
					if id, ok := lit.Type.(*ast.Ident); ok && id.Name == "ActionError" && !slices.Contains(plumbing, enclosing) {
						t.Errorf("%s: an ActionError literal has no format to translate: use refuse or actionErrorf", fset.Position(lit.Pos()))
					}
					return true
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				id, ok := call.Fun.(*ast.Ident)
				if !ok {
					return true
				}
				at, ok := translatable[id.Name]
				if !ok || len(call.Args) <= at {
					return true
				}
				pos := fset.Position(call.Args[at].Pos()).String()
				lit, ok := call.Args[at].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					if !slices.Contains(plumbing, enclosing) {
						t.Errorf("%s: the format of %s is not a string literal, so it cannot be checked for a translation", pos, id.Name)
					}
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatalf("%s: %v", pos, err)
				}
				keys[s] = pos
				return true
			})
		}
	}
	if len(keys) < 15 {
		t.Fatalf("found only %d formats: is the parsing broken?", len(keys))
	}
	return keys
}

var verbRE = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// verbs returns the sorted verbs of a format, %q counting as %s since
// French quotes with « %s ».
func verbs(format string) []string {
	var out []string
	for _, v := range verbRE.FindAllString(format, -1) {
		if v == "%%" {
			continue
		}
		v = v[len(v)-1:]
		if v == "q" {
			v = "s"
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

// TestFrenchRefusals fails when a refusal's format has no French
// translation, when the translation has other verbs, and when the
// catalogue holds a translation nothing uses.
func TestFrenchRefusals(t *testing.T) {
	keys := refusalFormats(t)
	for k, pos := range keys {
		fr, ok := french[k]
		if !ok {
			t.Errorf("%s: no French translation of %q in messages_fr.go", pos, k)
			continue
		}
		if got, want := verbs(fr), verbs(k); !slices.Equal(got, want) {
			t.Errorf("%s: the translation of %q has verbs %v, want %v", pos, k, got, want)
		}
		if strings.Contains(fr, `"%s"`) || strings.Contains(fr, "%q") {
			t.Errorf("the translation of %q should quote with « %%s »: %q", k, fr)
		}
	}
	for k := range french {
		if _, ok := keys[k]; !ok {
			t.Errorf("messages_fr.go translates %q, which no refusal uses", k)
		}
	}
}

// TestActionErrorIn renders refusals, nested ones included, in French and
// English.
func TestActionErrorIn(t *testing.T) {
	inner := refuse("%q is not possible from the state %q", "Reprendre", "Examen")
	var ae *ActionError
	if !errors.As(inner, &ae) {
		t.Fatal("refuse returned no ActionError")
	}
	outer := actionErrorf(ErrRuleFailed, "rule %q, action %d: %s", "reprendre-auto", 3, ae)
	for _, tc := range []struct {
		err        error
		lang, want string
	}{
		{inner, "fr", "«\u00a0Reprendre\u00a0» n’est pas possible depuis l’état «\u00a0Examen\u00a0»"},
		{inner, "en", `"Reprendre" is not possible from the state "Examen"`},
		{outer, "fr-CH", "règle «\u00a0reprendre-auto\u00a0», action 3 : «\u00a0Reprendre\u00a0» n’est pas possible depuis l’état «\u00a0Examen\u00a0»"},
		{outer, "en", `rule "reprendre-auto", action 3: "Reprendre" is not possible from the state "Examen"`},
		{outer, "de", outer.Error()},
		{refuse("the dossier is closed"), "fr", "le dossier est clos"},
		{&ActionError{Msg: "made elsewhere"}, "fr", "made elsewhere"},
		{errors.New("not a refusal"), "fr", "not a refusal"},
	} {
		if got := Message(tc.err, tc.lang); got != tc.want {
			t.Errorf("Message(%q, %s) = %q, want %q", tc.err, tc.lang, got, tc.want)
		}
	}
	if outer.Error() != `rule "reprendre-auto", action 3: "Reprendre" is not possible from the state "Examen"` {
		t.Errorf("Error() = %q, want the English message", outer.Error())
	}
	loc := Localize(outer, "fr")
	if !errors.As(loc, &ae) || ae.PublicMessage() != Message(outer, "fr") || !errors.Is(loc, ErrRuleFailed) {
		t.Errorf("Localize = %v, want the French ActionError of the same cause", loc)
	}
	if Localize(outer, "en") != error(outer) {
		t.Error("Localize in English changed the error")
	}
}
