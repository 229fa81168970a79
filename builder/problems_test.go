package builder

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// translatable are the functions whose argument at the index is a format
// (or noun) of the catalogue.
var translatable = map[string]int{"addf": 1, "newProblem": 1, "textf": 0, "noun": 0}

// plumbing are the functions that pass a format on rather than write one.
var plumbing = []string{"addf", "newProblem", "textf", "in"}

// catalogueKeys returns the formats and nouns of the problems written in
// builder/*.go, failing on a format that is not a string literal.
func catalogueKeys(t *testing.T) map[string]string {
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
				at, ok := translatable[callee]
				if !ok || len(call.Args) <= at {
					return true
				}
				pos := fset.Position(call.Args[at].Pos()).String()
				lit, ok := call.Args[at].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					if !slices.Contains(plumbing, enclosing) {
						t.Errorf("%s: the format of %s is not a string literal, so it cannot be checked for a translation", pos, callee)
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
	if len(keys) < 100 {
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

// TestFrenchCatalogue fails when a problem's format or noun has no French
// translation, when the translation has other verbs, and when the
// catalogue holds a translation nothing uses.
func TestFrenchCatalogue(t *testing.T) {
	keys := catalogueKeys(t)
	for k, pos := range keys {
		fr, ok := french[k]
		if !ok {
			t.Errorf("%s: no French translation of %q in problems_fr.go", pos, k)
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
			t.Errorf("problems_fr.go translates %q, which no problem uses", k)
		}
	}
}

// TestCheckGoldenFrench renders the problems of testdata/*.json in French
// against testdata/*.fr.golden, for review of the whole catalogue.
func TestCheckGoldenFrench(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test procedures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(data)
			if err != nil {
				return // a parse error: no problem to render
			}
			var buf bytes.Buffer
			for _, pr := range Check(p) {
				fmt.Fprintf(&buf, "%s: %s\n", pr.Path, pr.In("fr"))
				if en := pr.In("en"); en != pr.Message {
					t.Errorf("In(en) = %q, want the Message %q", en, pr.Message)
				}
			}
			golden := strings.TrimSuffix(file, ".json") + ".fr.golden"
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./builder -run TestCheckGoldenFrench -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("problems differ from %s:\n--- got\n%s--- want\n%s", golden, buf.Bytes(), want)
			}
		})
	}
}

// TestProblemsInFrench renders real problems of a preset with mistakes.
func TestProblemsInFrench(t *testing.T) {
	p := roomBooking(t)
	p.Slug = "ab"
	p.Title = " "
	p.Messages.Ack.Subject = "Demande {{.Data.nom}}"
	p.Messages.ApplicantName = "/attendees"
	p.Scenarios[0].Attachments[0].URL = "tarifs 2024.pdf"
	want := []string{
		"$.messages.ack.subject: ligne 1 : {{.Data.nom}} : le formulaire n’a pas de champ «\u00a0nom\u00a0»",
		"$.messages.applicantName: «\u00a0/attendees\u00a0» doit désigner une propriété texte",
		"$.scenarios[0].attachments[0].url: l’URL ne doit pas contenir d’espaces (écrivez-les %20)",
		"$.slug: l’adresse (slug) doit compter de 3 à 80 caractères, et non 2",
		"$.title: le titre est obligatoire",
	}
	var got []string
	for _, pr := range Check(p) {
		got = append(got, pr.Path+": "+pr.In("fr"))
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems in French:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A pipeline: nouns inside sentences are translated too.
	p, err := Preset("permis-construire")
	if err != nil {
		t.Fatal(err)
	}
	var pl *Pipeline
	for i := range p.Scenarios {
		if p.Scenarios[i].Pipeline != nil {
			pl = p.Scenarios[i].Pipeline
		}
	}
	if pl == nil {
		t.Fatal("the preset has no pipeline")
	}
	pl.States = append(pl.States, pl.States[len(pl.States)-1]) // "refuse" twice
	pl.Transitions[0].Roles = append(pl.Transitions[0].Roles, "chef")
	pl.Transitions[0].Guard = "dossier.etat == 'recu'"
	got = nil
	for _, pr := range Check(p) {
		got = append(got, pr.In("fr"))
		if pr.In("en") != pr.Message || pr.In("de") != pr.Message || pr.In("fr-CH") != pr.In("fr") {
			t.Errorf("%s: In(en) = %q, want %q", pr.Path, pr.In("en"), pr.Message)
		}
	}
	want = []string{
		"état «\u00a0refuse\u00a0» : cet identifiant est utilisé deux fois",
		"l’expression est incorrecte : nom inconnu dossier.etat (1:9) ; dossier contient reference, state, submitted_at et group",
		"le rôle «\u00a0chef\u00a0» n’existe pas",
	}
	if !slices.Equal(got, want) {
		t.Errorf("pipeline problems in French:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
