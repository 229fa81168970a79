package web

import (
	"strings"
	"testing"

	"github.com/guichet/guichet/forms"
)

// A schema with every widget, compiled and bound by package forms, so the
// templates are checked against the ids and names forms really makes.
const widgetsSchema = `{
  "type": "object",
  "title": "Tous les champs",
  "properties": {
    "name": {"type": "string", "title": "Nom", "minLength": 2},
    "bio": {"type": "string", "title": "Présentation"},
    "email": {"type": "string", "format": "email", "title": "E-mail"},
    "phone": {"type": "string", "title": "Téléphone"},
    "secret": {"type": "string", "title": "Mot de passe"},
    "area": {"type": "number", "title": "Surface (m²)"},
    "guests": {"type": "integer", "title": "Participants", "minimum": 1},
    "day": {"type": "string", "format": "date", "title": "Date"},
    "room": {"type": "string", "title": "Salle", "enum": ["a", "b"]},
    "kind": {"type": "string", "title": "Type", "enum": ["private", "public"]},
    "extras": {"type": "array", "title": "Options", "uniqueItems": true, "items": {"type": "string", "enum": ["coffee", "lunch"]}},
    "address": {"type": "object", "title": "Adresse", "properties": {
      "street": {"type": "string", "title": "Rue"},
      "city": {"type": "string", "title": "Localité"}
    }, "required": ["street", "city"]},
    "equipment": {"type": "array", "title": "Équipement", "minItems": 1, "maxItems": 3, "items": {
      "type": "object", "title": "Équipement",
      "properties": {
        "item": {"type": "string", "title": "Article"},
        "tags": {"type": "array", "title": "Étiquettes", "items": {"type": "string", "enum": ["fragile", "lourd"]}}
      },
      "required": ["item"]
    }},
    "plan": {"type": "string", "format": "file", "title": "Plan", "x-accept": ["application/pdf"], "x-maxBytes": 1048576},
    "source": {"type": "string"},
    "consent": {"type": "boolean", "const": true, "title": "J’accepte le règlement"}
  },
  "required": ["name", "email", "guests", "room", "kind", "address", "equipment", "plan", "consent"]
}`

const widgetsUISchema = `{
  "bio": {"ui:widget": "textarea", "ui:help": "Quelques lignes"},
  "phone": {"ui:widget": "tel", "ui:autocomplete": "tel"},
  "secret": {"ui:widget": "password"},
  "name": {"ui:autocomplete": "name"},
  "kind": {"ui:widget": "radio"},
  "extras": {"ui:widget": "checkboxes"},
  "source": {"ui:widget": "hidden"}
}`

func TestCompiledFormRenders(t *testing.T) {
	f, err := forms.Compile([]byte(widgetsSchema), []byte(widgetsUISchema))
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	r := newTestRenderer(t)
	data := map[string]any{"name": "A", "guests": 0, "equipment": []any{map[string]any{}, map[string]any{"item": "Chaises"}}}
	for _, lang := range Langs {
		errs := f.Validate(data)
		if len(errs) == 0 {
			t.Fatal("want validation errors")
		}
		page := f.Bind(-1, data, errs, lang)
		fp := FormPage{ProcedureTitle: "Test", Action: "/d/test/form", Page: page, Step: 1, Steps: 1, Nonce: "n", HasFiles: true}
		var walk func([]forms.Field)
		walk = func(fs []forms.Field) {
			for _, fl := range fs {
				if fl.Error != "" {
					fp.Errors = append(fp.Errors, ErrorLink{FieldID: fl.ID, Message: fl.Error})
				}
				walk(fl.Fields)
				for _, it := range fl.Items {
					walk(it)
				}
			}
		}
		walk(page.Fields)
		html := render(t, r, lang, "form", fp)
		checkPage(t, html, lang)
		if got, want := strings.Count(html, `<li><a href="#`), len(fp.Errors); got != want {
			t.Errorf("%s: %d summary links, want %d", lang, got, want)
		}
		mustContain(t, html, `type="password"`, `type="tel"`, `type="radio"`, `type="checkbox"`, `type="file"`, `<textarea`, `<select`,
			`name="equipment.1.item" type="text" value="Chaises"`, `value="remove:/equipment/1"`, `value="add:/equipment"`,
			`<input type="hidden" name="equipment.0._" value="">`, `aria-invalid="true"`)

		var sb strings.Builder
		if err := r.RenderFields(&sb, lang, f.Pages()[0]); err != nil {
			t.Fatalf("RenderFields: %v", err)
		}
		if strings.Contains(sb.String(), "aria-invalid") {
			t.Error("unbound fields shown as invalid")
		}
	}
}
