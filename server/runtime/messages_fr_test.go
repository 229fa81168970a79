package runtime

import (
	"errors"
	"go/ast"
	"go/token"
	"testing"

	"github.com/guichet/guichet/internal/i18ncheck"
)

// refusalSource is where the runtime writes the formats of its refusals;
// an ActionError built without its format (a literal outside the
// plumbing) cannot be translated.
var refusalSource = i18ncheck.Source{
	Translatable: map[string]int{"refuse": 0, "actionErrorf": 1},
	Plumbing:     []string{"refuse", "actionErrorf"},
	Visit: func(t testing.TB, fset *token.FileSet, n ast.Node, enclosing string) {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return
		}
		if id, ok := lit.Type.(*ast.Ident); ok && id.Name == "ActionError" && enclosing != "refuse" && enclosing != "actionErrorf" {
			t.Errorf("%s: an ActionError literal has no format to translate: use refuse or actionErrorf", fset.Position(lit.Pos()))
		}
	},
}

// TestFrenchRefusals fails when a refusal's format has no French
// translation, when the translation has other verbs, and when the
// catalogue holds a translation nothing uses.
func TestFrenchRefusals(t *testing.T) {
	i18ncheck.Compare(t, refusalSource.Formats(t, 15), french, "messages_fr.go")
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
