// Package i18ncheck checks, in tests, that the messages a package writes
// with printf-style formats all have a French translation: it finds the
// formats in the package's source with go/ast, then compares them with
// the package's catalogue.
package i18ncheck

import (
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

// Source says where a package writes its messages.
type Source struct {
	// Translatable maps a function's name to the index of its argument
	// that is a format (or a noun) of the catalogue.
	Translatable map[string]int
	// Plumbing are the functions that pass a format on rather than write
	// one: inside them a format that is not a literal is fine.
	Plumbing []string
	// Visit, when set, sees every node as well (to refuse other ways of
	// building a message); enclosing is the function it is in.
	Visit func(t testing.TB, fset *token.FileSet, n ast.Node, enclosing string)
}

// Formats returns the formats written in the non-test Go files of the
// current directory (the package under test), with their positions. It
// fails on a format that is not a string literal outside the plumbing,
// and when it finds fewer than atLeast formats (the parsing is broken).
func (s Source) Formats(t testing.TB, atLeast int) map[string]string {
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
			enclosing := "" // the function, or "" for a package-level declaration
			if fn, ok := decl.(*ast.FuncDecl); ok {
				enclosing = fn.Name.Name
			}
			ast.Inspect(decl, func(n ast.Node) bool {
				if s.Visit != nil {
					s.Visit(t, fset, n, enclosing)
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				var callee string
				switch f := call.Fun.(type) {
				case *ast.Ident:
					callee = f.Name
				case *ast.SelectorExpr:
					callee = f.Sel.Name
				}
				at, ok := s.Translatable[callee]
				if !ok || len(call.Args) <= at {
					return true
				}
				pos := fset.Position(call.Args[at].Pos()).String()
				lit, ok := call.Args[at].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					if !slices.Contains(s.Plumbing, enclosing) {
						t.Errorf("%s: the format of %s is not a string literal, so it cannot be checked for a translation", pos, callee)
					}
					return true
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatalf("%s: %v", pos, err)
				}
				keys[v] = pos
				return true
			})
		}
	}
	if len(keys) < atLeast {
		t.Fatalf("found only %d formats: is the parsing broken?", len(keys))
	}
	return keys
}

// Compare fails when a format has no translation in french (named file in
// messages), when a translation has other verbs than its format or quotes
// with "…" rather than « … », and when french holds a translation that no
// format uses.
func Compare(t testing.TB, formats, french map[string]string, file string) {
	t.Helper()
	for k, pos := range formats {
		fr, ok := french[k]
		if !ok {
			t.Errorf("%s: no French translation of %q in %s", pos, k, file)
			continue
		}
		if got, want := Verbs(fr), Verbs(k); !slices.Equal(got, want) {
			t.Errorf("%s: the translation of %q has verbs %v, want %v", pos, k, got, want)
		}
		if strings.Contains(fr, `"%s"`) || strings.Contains(fr, "%q") {
			t.Errorf("the translation of %q should quote with « %%s »: %q", k, fr)
		}
	}
	for k := range french {
		if _, ok := formats[k]; !ok {
			t.Errorf("%s translates %q, which nothing uses", file, k)
		}
	}
}

var verbRE = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// Verbs returns the sorted verbs of a format, %q counting as %s since
// French quotes with « %s ».
func Verbs(format string) []string {
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
