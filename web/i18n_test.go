package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestCatalogueComplete fails on a French key without English text (or the
// reverse), and on a translation whose fmt verbs differ from the French.
func TestCatalogueComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
	for key, fr := range messagesFR {
		en, ok := messagesEN[key]
		if !ok {
			t.Errorf("%q has no English translation", key)
			continue
		}
		if a, b := verbs.FindAllString(fr, -1), verbs.FindAllString(en, -1); strings.Join(a, " ") != strings.Join(b, " ") {
			t.Errorf("%q: verbs %v in French, %v in English", key, a, b)
		}
		if strings.TrimSpace(en) == "" || strings.TrimSpace(fr) == "" {
			t.Errorf("%q is empty", key)
		}
	}
	for key := range messagesEN {
		if _, ok := messagesFR[key]; !ok {
			t.Errorf("%q is in English only", key)
		}
	}
}

// TestTemplateKeys checks that every literal key the templates use exists.
func TestTemplateKeys(t *testing.T) {
	use := regexp.MustCompile(`\{\{-?\s*(?:[^}]*[\s(])?(?:t|tn) "([^"]+)"`)
	n := 0
	err := fs.WalkDir(templatesFS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templatesFS, path)
		if err != nil {
			return err
		}
		for _, m := range use.FindAllStringSubmatch(string(b), -1) {
			n++
			key := m[1]
			_, one := messagesFR[key+".one"]
			if _, ok := messagesFR[key]; !ok && !one {
				t.Errorf("%s: unknown key %q", path, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("found only %d keys in templates; is the pattern broken?", n)
	}
}

func TestT(t *testing.T) {
	defer func(en map[string]string) { catalogue["en"] = en }(catalogue["en"])
	catalogue["en"] = map[string]string{"form.step": "Step %d of %d"}
	tests := []struct {
		lang, key string
		args      []any
		want      string
	}{
		{"fr", "form.step", []any{2, 3}, "Étape 2 sur 3"},
		{"en", "form.step", []any{2, 3}, "Step 2 of 3"},
		{"de", "form.step", []any{2, 3}, "Étape 2 sur 3"}, // unknown language: French
		{"en", "form.continue", nil, "Continuer"},         // missing in English: French
		{"en", "no.such.key", nil, "no.such.key"},         // missing everywhere: the key
		{"", "form.optional", nil, "(facultatif)"},
	}
	for _, tt := range tests {
		if got := T(tt.lang, tt.key, tt.args...); got != tt.want {
			t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
}

func TestTN(t *testing.T) {
	tests := []struct {
		lang string
		n    int
		want string
	}{
		{"fr", 0, "0 démarche"},
		{"fr", 1, "1 démarche"},
		{"fr", 2, "2 démarches"},
		{"en", 0, "0 services"},
		{"en", 1, "1 service"},
	}
	for _, tt := range tests {
		if got := TN(tt.lang, "catalogue.results", tt.n); got != tt.want {
			t.Errorf("TN(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestLang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"fr", "fr"},
		{"en", "en"},
		{"EN", "en"},
		{"en-GB", "en"},
		{"fr_CH", "fr"},
		{"de", "fr"},
		{"", "fr"},
		{"de-CH,de;q=0.9,en;q=0.8", "en"},
		{"fr-CH, fr;q=0.9, en;q=0.8", "fr"},
		{"xx, yy", "fr"},
	}
	for _, tt := range tests {
		if got := Lang(tt.in); got != tt.want {
			t.Errorf("Lang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
