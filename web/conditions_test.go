package web

import (
	"strings"
	"testing"

	"github.com/guichet/guichet/forms"
)

// A two-page form with conditional fields: "tables" and "cook" depend on
// fields of their own page, "stage" on a field of the first page.
const conditionalSchema = `{
  "type": "object",
  "properties": {
    "room": {"type": "string", "title": "Salle", "oneOf": [
      {"const": "salle-communale", "title": "Salle communale"},
      {"const": "salle-polyvalente", "title": "Salle polyvalente"}]},
    "tables": {"type": "integer", "title": "Nombre de tables"},
    "kitchen": {"type": "boolean", "title": "Cuisine"},
    "cook": {"type": "boolean", "title": "Avec cuisinier"},
    "stage": {"type": "string", "title": "Scène", "enum": ["petite", "grande"]},
    "remarks": {"type": "string", "title": "Remarques"}
  },
  "required": ["room"],
  "allOf": [{"if": {"properties": {"room": {"const": "salle-communale"}}, "required": ["room"]}, "then": {"required": ["tables", "stage"]}}]
}`

const conditionalUISchema = `{
  "ui:pages": [{"title": "Salle", "fields": ["room", "tables", "kitchen", "cook"]}, {"title": "Détails", "fields": ["stage", "remarks"]}],
  "room": {"ui:widget": "radio"},
  "tables": {"ui:showIf": {"field": "/room", "equals": "salle-communale"}},
  "cook": {"ui:showIf": {"field": "/kitchen", "checked": true}},
  "stage": {"ui:widget": "radio", "ui:showIf": {"field": "/room", "equals": "salle-communale"}}
}`

func TestConditionalFieldsRender(t *testing.T) {
	f, err := forms.Compile([]byte(conditionalSchema), []byte(conditionalUISchema))
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	r := newTestRenderer(t)
	tests := []struct {
		name, lang string
		page       int
		data       map[string]any
		want, not  []string
	}{
		{"same page, fr", "fr", 0, nil, []string{
			`<div class="hint hint--condition" id="f-tables-condition">À remplir seulement si «` + "\u00a0" + `Salle` + "\u00a0" + `» est «` + "\u00a0" + `Salle communale` + "\u00a0" + `»</div>`,
			`id="f-tables" name="tables" type="text" value="" inputmode="numeric" aria-describedby="f-tables-condition">`,
			`<div class="hint choice__hint hint--condition" id="f-cook-condition">À remplir seulement si la case «`,
			`aria-describedby="f-cook-condition"`,
			`<label class="label" for="f-tables">Nombre de tables</label>`, // required when shown
		}, nil},
		{"same page, en", "en", 0, map[string]any{"room": "salle-polyvalente"}, []string{
			`id="f-tables-condition">Only fill this in if “Salle” is “Salle communale”</div>`,
			`id="f-cook-condition">Only fill this in if “Cuisine” is ticked</div>`,
		}, nil},
		{"earlier page, condition false", "fr", 1, map[string]any{"room": "salle-polyvalente"}, []string{`name="remarks"`},
			[]string{`name="stage"`, `hint--condition`, `Scène`}},
		{"earlier page, condition true", "fr", 1, map[string]any{"room": "salle-communale"}, []string{
			`<legend class="legend">Scène</legend>`, `name="stage" type="radio" value="petite"`, `name="remarks"`,
		}, []string{`hint--condition`}},
		{"all on one page", "fr", -1, map[string]any{"room": "salle-polyvalente"}, []string{`id="f-stage-condition"`, `id="f-tables-condition"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := f.Bind(tt.page, tt.data, nil, tt.lang)
			html := render(t, r, tt.lang, "form", FormPage{ProcedureTitle: "Salle", Action: "/d/salle/form", Page: page, Step: 1, Steps: 2, Nonce: "n"})
			checkPage(t, html, tt.lang)
			mustContain(t, html, tt.want...)
			for _, s := range tt.not {
				if strings.Contains(html, s) {
					t.Errorf("unexpected %q", s)
				}
			}
		})
	}
}
