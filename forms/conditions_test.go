package forms

import (
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
)

// conditional compiles the form of testdata/conditional.*.json: two pages
// with ui:showIf on a radio, a checkbox, checkboxes, a field of an earlier
// page, a chain, a fieldset child and a repeat item child.
func conditional(tb testing.TB) *Form {
	tb.Helper()
	schema, err := os.ReadFile("testdata/conditional.schema.json")
	if err != nil {
		tb.Fatal(err)
	}
	ui, err := os.ReadFile("testdata/conditional.ui.json")
	if err != nil {
		tb.Fatal(err)
	}
	f, err := Compile(schema, ui)
	if err != nil {
		tb.Fatalf("Compile conditional: %v", err)
	}
	return f
}

// fieldsByPointer indexes the fields of pages (and of their groups and
// repeat items) by pointer.
func fieldsByPointer(pages ...Page) map[string]Field {
	by := map[string]Field{}
	var walk func([]Field)
	walk = func(fs []Field) {
		for _, fd := range fs {
			by[fd.Pointer] = fd
			walk(fd.Fields)
			for _, item := range fd.Items {
				walk(item)
			}
		}
	}
	for _, p := range pages {
		walk(p.Fields)
	}
	return by
}

func TestConditionCompileErrors(t *testing.T) {
	const props = `"room": {"type": "string", "enum": ["a", "b"]}, "ok": {"type": "boolean"}, "name": {"type": "string"},
		"tables": {"type": "integer"}, "g": {"type": "object", "properties": {"k": {"enum": ["x", "y"]}, "v": {"type": "string"}}},
		"h": {"type": "object", "properties": {"w": {"type": "string"}}}`
	schema := func(extra string) string { return `{"type": "object", "properties": {` + props + `}` + extra + `}` }
	rule := func(ifs, then string) string {
		return `, "allOf": [{"if": ` + ifs + `, "then": ` + then + `}]`
	}
	tests := []struct {
		name, schema, ui string
		source, ptr, msg string
	}{
		{"not an object", schema(""), `{"tables": {"ui:showIf": "/room"}}`, "ui", "/tables/ui:showIf", "must be an object"},
		{"no field", schema(""), `{"tables": {"ui:showIf": {"equals": "a"}}}`, "ui", "/tables/ui:showIf/field", "needs \"field\""},
		{"unknown pointer", schema(""), `{"tables": {"ui:showIf": {"field": "/salle", "equals": "a"}}}`, "ui", "/tables/ui:showIf/field",
			`names no field of the form: "/salle"`},
		{"pointer without slash", schema(""), `{"tables": {"ui:showIf": {"field": "room", "equals": "a"}}}`, "ui", "/tables/ui:showIf/field", "names no field"},
		{"itself", schema(""), `{"room": {"ui:showIf": {"field": "/room", "equals": "a"}}}`, "ui", "/room/ui:showIf/field", "itself"},
		{"later field", schema(""), `{"room": {"ui:showIf": {"field": "/ok", "checked": true}}}`, "ui", "/room/ui:showIf/field", "comes before"},
		{"later page", schema(""), `{"ui:pages": [{"title": "1", "fields": ["tables"]}, {"title": "2", "fields": ["room"]}],
			"tables": {"ui:showIf": {"field": "/room", "equals": "a"}}}`, "ui", "/tables/ui:showIf/field", "comes before"},
		{"text field", schema(""), `{"tables": {"ui:showIf": {"field": "/name", "equals": "a"}}}`, "ui", "/tables/ui:showIf/field", "choice"},
		{"inside another group", schema(""), `{"h": {"w": {"ui:showIf": {"field": "/g/k", "equals": "x"}}}}`, "ui", "/h/w/ui:showIf/field", "same group"},
		{"value not a choice", schema(""), `{"tables": {"ui:showIf": {"field": "/room", "equals": "c"}}}`, "ui", "/tables/ui:showIf/equals",
			`"c" is not one of the choices of "/room" ("a", "b")`},
		{"value of the wrong type", schema(""), `{"tables": {"ui:showIf": {"field": "/room", "equals": 1}}}`, "ui", "/tables/ui:showIf/equals", "not one of the choices"},
		{"in element", schema(""), `{"tables": {"ui:showIf": {"field": "/room", "in": ["a", "z"]}}}`, "ui", "/tables/ui:showIf/in/1", "not one of the choices"},
		{"in empty", schema(""), `{"tables": {"ui:showIf": {"field": "/room", "in": []}}}`, "ui", "/tables/ui:showIf/in", "non-empty list"},
		{"checked on choices", schema(""), `{"tables": {"ui:showIf": {"field": "/room", "checked": true}}}`, "ui", "/tables/ui:showIf/checked", "checkbox"},
		{"equals on a checkbox", schema(""), `{"tables": {"ui:showIf": {"field": "/ok", "equals": true}}}`, "ui", "/tables/ui:showIf/equals", "use \"checked\""},
		{"two operators", schema(""), `{"tables": {"ui:showIf": {"field": "/room", "equals": "a", "in": ["b"]}}}`, "ui", "/tables/ui:showIf", "exactly one"},
		{"unknown key", schema(""), `{"tables": {"ui:showIf": {"field": "/room", "is": "a"}}}`, "ui", "/tables/ui:showIf/is", "unknown ui:showIf key"},
		{"always required", schema(`, "required": ["tables"]`), `{"tables": {"ui:showIf": {"field": "/room", "equals": "a"}}}`,
			"ui", "/tables/ui:showIf", `lists it in "required"`},
		{"rule with another value", schema(rule(`{"properties": {"room": {"const": "b"}}, "required": ["room"]}`, `{"required": ["tables"]}`)),
			`{"tables": {"ui:showIf": {"field": "/room", "equals": "a"}}}`, "schema", "/allOf/0/if", "another condition"},
		{"rule without required", schema(rule(`{"properties": {"room": {"const": "a"}}}`, `{"required": ["tables"]}`)),
			`{"tables": {"ui:showIf": {"field": "/room", "equals": "a"}}}`, "schema", "/allOf/0/if", `"required": ["room"]`},
		{"rule in the wrong object", schema(rule(`{"properties": {"g": {"properties": {"k": {"const": "x"}}}}}`, `{"properties": {"g": {"required": ["v"]}}}`)),
			`{"g": {"v": {"ui:showIf": {"field": "/g/k", "equals": "x"}}}}`, "schema", "/allOf/0/if", "must sit in the object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile([]byte(tt.schema), []byte(tt.ui))
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Compile error = %v, want a *CompileError", err)
			}
			if ce.Source != tt.source || ce.Pointer != tt.ptr || !strings.Contains(ce.Msg, tt.msg) {
				t.Errorf("got %s %s: %s\nwant %s %s: …%s…", ce.Source, ce.Pointer, ce.Msg, tt.source, tt.ptr, tt.msg)
			}
		})
	}
}

func TestConditionCompile(t *testing.T) {
	f := conditional(t)
	by := fieldsByPointer(f.Pages()...)
	tests := []struct {
		ptr      string
		required bool
		want     Condition
	}{
		{"/tables", true, Condition{Field: "/room", Label: "Salle", Op: "equals", Values: []string{"salle-polyvalente"},
			Labels: []string{"Salle polyvalente"}, SamePage: true, Pointer: "/room",
			Text: "« Salle » est « Salle polyvalente »", Hint: "À remplir seulement si « Salle » est « Salle polyvalente »"}},
		{"/cook", false, Condition{Field: "/kitchen", Label: "Cuisine", Op: "checked", Checked: true, SamePage: true, Pointer: "/kitchen",
			Text: "la case « Cuisine » est cochée", Hint: "À remplir seulement si la case « Cuisine » est cochée"}},
		{"/diet", true, Condition{Field: "/catering", Label: "Restauration", Op: "in", Values: []string{"lunch"}, Labels: []string{"Repas"},
			SamePage: true, Pointer: "/catering", Text: "« Restauration » comprend « Repas »", Hint: "À remplir seulement si « Restauration » comprend « Repas »"}},
		{"/stage", false, Condition{Field: "/room", Label: "Salle", Op: "equals", Values: []string{"salle-polyvalente"},
			Labels: []string{"Salle polyvalente"}, Pointer: "/room",
			Text: "« Salle » est « Salle polyvalente »", Hint: "À remplir seulement si « Salle » est « Salle polyvalente »"}},
		{"/contact/phone", true, Condition{Field: "/contact/kind", Label: "Par", Op: "equals", Values: []string{"phone"}, Labels: []string{"phone"},
			SamePage: true, Pointer: "/contact/kind", Text: "« Par » est « phone »", Hint: "À remplir seulement si « Par » est « phone »"}},
		{"/equipment/-/watts", true, Condition{Field: "/equipment/-/item", Label: "Article", Op: "equals", Values: []string{"sono"}, Labels: []string{"sono"},
			SamePage: true, Pointer: "/equipment/-/item", Text: "« Article » est « sono »", Hint: "À remplir seulement si « Article » est « sono »"}},
		{"/technician", true, Condition{Field: "/room", Label: "Salle", Op: "in", Values: []string{"salle-polyvalente", "salle-communale"},
			Labels: []string{"Salle polyvalente", "Salle communale"}, Pointer: "/room",
			Text: "« Salle » est « Salle polyvalente » ou « Salle communale »", Hint: "À remplir seulement si « Salle » est « Salle polyvalente » ou « Salle communale »"}},
	}
	for _, tt := range tests {
		t.Run(tt.ptr, func(t *testing.T) {
			fd, ok := by[tt.ptr]
			if !ok {
				t.Fatalf("no field at %s", tt.ptr)
			}
			assertEqual(t, "required", fd.Required, tt.required)
			assertEqual(t, "hidden", fd.Hidden, false) // unbound
			if fd.Condition == nil {
				t.Fatal("no condition")
			}
			c := *fd.Condition
			c.Text, c.Hint = plain(c.Text), plain(c.Hint)
			assertEqual(t, "condition", c, tt.want)
		})
	}
	for _, ptr := range []string{"/room", "/kitchen", "/contact", "/contact/kind", "/equipment/-/item"} {
		if by[ptr].Condition != nil {
			t.Errorf("%s has a condition", ptr)
		}
	}
}

func TestConditionTexts(t *testing.T) {
	const schema = `{"type": "object", "properties": {
		"room": {"oneOf": [{"const": "a", "title": "Aula"}, {"const": "b", "title": "Salle B"}, {"const": "c", "title": "Salle C"}], "title": "Salle"},
		"ok": {"type": "boolean", "title": "Cuisine"},
		"tags": {"type": "array", "title": "Repas", "items": {"enum": [1, 2]}},
		"x": {"type": "string", "title": "X"}}}`
	tests := []struct {
		name, showIf string
		fr, en       string
	}{
		{"equals", `{"field": "/room", "equals": "b"}`, "À remplir seulement si « Salle » est « Salle B »", "Only fill this in if “Salle” is “Salle B”"},
		{"in two", `{"field": "/room", "in": ["a", "c"]}`, "À remplir seulement si « Salle » est « Aula » ou « Salle C »",
			"Only fill this in if “Salle” is “Aula” or “Salle C”"},
		{"in three", `{"field": "/room", "in": ["a", "b", "c"]}`, "À remplir seulement si « Salle » est « Aula », « Salle B » ou « Salle C »",
			"Only fill this in if “Salle” is “Aula”, “Salle B” or “Salle C”"},
		{"checked", `{"field": "/ok", "checked": true}`, "À remplir seulement si la case « Cuisine » est cochée", "Only fill this in if “Cuisine” is ticked"},
		{"not checked", `{"field": "/ok", "checked": false}`, "À remplir seulement si la case « Cuisine » n'est pas cochée", "Only fill this in if “Cuisine” is not ticked"},
		{"checkboxes with numbers", `{"field": "/tags", "equals": 2}`, "À remplir seulement si « Repas » comprend « Soir »", "Only fill this in if “Repas” includes “Soir”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustCompile(t, schema, `{"tags": {"ui:enumNames": ["Midi", "Soir"]}, "x": {"ui:showIf": `+tt.showIf+`}}`)
			for lang, want := range map[string]string{"fr": tt.fr, "en": tt.en} {
				p := f.Bind(0, nil, nil, lang)
				c := p.Fields[3].Condition
				assertEqual(t, lang+" hint", plain(c.Hint), want)
				assertEqual(t, lang+" text", strings.HasSuffix(plain(c.Hint), plain(c.Text)), true)
			}
		})
	}
}

func TestConditionBind(t *testing.T) {
	f := conditional(t)
	tests := []struct {
		name     string
		page     int
		data     map[string]any
		hidden   []string // pointers of hidden fields
		shown    []string // pointers of conditional fields shown
		samePage []string // conditional fields whose controlling field is on the page
	}{
		{"nothing answered, page 1", 0, nil, []string{"/tables", "/cook", "/diet"}, nil, []string{"/tables", "/cook", "/diet"}},
		{"answered, page 1", 0, map[string]any{"room": "salle-polyvalente", "kitchen": true, "catering": []any{"coffee", "lunch"}},
			nil, []string{"/tables", "/cook", "/diet"}, []string{"/tables", "/cook", "/diet"}},
		{"other answers, page 1", 0, map[string]any{"room": "carnotzet", "kitchen": false, "catering": []any{"coffee"}},
			[]string{"/tables", "/cook", "/diet"}, nil, nil},
		{"earlier page false", 1, map[string]any{"room": "carnotzet"},
			[]string{"/stage", "/stage_size", "/technician"}, nil, []string{"/stage_size", "/contact/phone", "/equipment/0/watts"}},
		{"earlier page true, chain off", 1, map[string]any{"room": "salle-polyvalente"},
			[]string{"/stage_size"}, []string{"/stage", "/technician"}, nil},
		{"chain on", 1, map[string]any{"room": "salle-polyvalente", "stage": true}, nil, []string{"/stage", "/stage_size"}, nil},
		{"chain with its head hidden", 1, map[string]any{"room": "salle-communale", "stage": true},
			[]string{"/stage", "/stage_size"}, []string{"/technician"}, nil},
		{"fieldset and repeat items", 1, map[string]any{"contact": map[string]any{"kind": "phone"},
			"equipment": []any{map[string]any{"item": "chairs"}, map[string]any{"item": "sono"}}},
			[]string{"/equipment/0/watts"}, []string{"/contact/phone", "/equipment/1/watts"}, nil},
		{"all on one page", -1, map[string]any{"room": "carnotzet"}, []string{"/stage"}, nil, []string{"/tables", "/stage", "/technician"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			by := fieldsByPointer(f.Bind(tt.page, tt.data, nil, "fr"))
			for _, ptr := range tt.hidden {
				if fd, ok := by[ptr]; !ok || !fd.Hidden {
					t.Errorf("%s: hidden = false, want true (bound: %v)", ptr, ok)
				}
			}
			for _, ptr := range tt.shown {
				if fd, ok := by[ptr]; !ok || fd.Hidden || fd.Condition == nil {
					t.Errorf("%s: want a shown conditional field (bound: %v)", ptr, ok)
				}
			}
			for _, ptr := range tt.samePage {
				if fd := by[ptr]; fd.Condition == nil || !fd.Condition.SamePage {
					t.Errorf("%s: SamePage = false, want true", ptr)
				}
			}
		})
	}
	t.Run("repeat item pointer", func(t *testing.T) {
		by := fieldsByPointer(f.Bind(1, map[string]any{"equipment": []any{map[string]any{}, map[string]any{"item": "sono"}}}, nil, "en"))
		c := by["/equipment/1/watts"].Condition
		assertEqual(t, "pointer", c.Pointer, "/equipment/1/item")
		assertEqual(t, "hint", c.Hint, "Only fill this in if “Article” is “sono”")
		assertEqual(t, "template", by["/equipment/-/watts"].Condition.Pointer, "/equipment/-/item")
	})
}

func TestConditionDecode(t *testing.T) {
	f := conditional(t)
	tests := []struct {
		name   string
		page   int
		data   map[string]any // before
		post   url.Values
		want   map[string]any
		errors []string
	}{
		{"shown values are kept", 0, nil,
			url.Values{"room": {"salle-polyvalente"}, "tables": {"12"}, "kitchen": {"on"}, "cook": {"Dupont"}, "catering": {"lunch"}, "diet": {"Sans gluten"}},
			map[string]any{"room": "salle-polyvalente", "tables": 12.0, "kitchen": true, "cook": "Dupont", "catering": []any{"lunch"}, "diet": "Sans gluten"}, nil},
		{"hidden values are dropped", 0, nil,
			url.Values{"room": {"carnotzet"}, "tables": {"12"}, "cook": {"Dupont"}, "catering": {"coffee"}, "diet": {"Sans gluten"}},
			map[string]any{"room": "carnotzet", "kitchen": false, "catering": []any{"coffee"}}, nil},
		{"errors on hidden fields go too", 0, nil,
			url.Values{"room": {"carnotzet"}, "tables": {"douze"}},
			map[string]any{"room": "carnotzet", "kitchen": false}, nil},
		{"errors on shown fields stay", 0, nil,
			url.Values{"room": {"salle-polyvalente"}, "tables": {"douze"}},
			map[string]any{"room": "salle-polyvalente", "kitchen": false}, []string{"/tables type"}},
		{"a changed answer drops later pages' values", 0,
			map[string]any{"stage": true, "stage_size": 20.0, "technician": "Marc", "equipment": []any{map[string]any{"item": "sono", "watts": 500.0}}},
			url.Values{"room": {"carnotzet"}},
			map[string]any{"room": "carnotzet", "kitchen": false, "equipment": []any{map[string]any{"item": "sono", "watts": 500.0}}}, nil},
		{"chain", 1, map[string]any{"room": "salle-communale"},
			url.Values{"stage": {"on"}, "stage_size": {"20"}, "technician": {"Marc"}},
			map[string]any{"room": "salle-communale", "technician": "Marc"}, nil},
		{"fieldset emptied", 1, map[string]any{"room": "salle-polyvalente"},
			url.Values{"contact.phone": {"021 000 00 00"}, "stage": {"on"}, "stage_size": {"20"}},
			map[string]any{"room": "salle-polyvalente", "stage": true, "stage_size": 20.0}, nil},
		{"repeat items", 1, map[string]any{"room": "carnotzet"},
			url.Values{"equipment.0.item": {"chairs"}, "equipment.0.watts": {"100"}, "equipment.1.item": {"sono"}, "equipment.1.watts": {"cent"},
				"contact.kind": {"email"}, "contact.phone": {"021"}},
			map[string]any{"room": "carnotzet", "contact": map[string]any{"kind": "email"},
				"equipment": []any{map[string]any{"item": "chairs"}, map[string]any{"item": "sono"}}}, []string{"/equipment/1/watts type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.Decode(tt.page, tt.data, Post{Values: tt.post})
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, "data", res.Data, tt.want)
			assertEqual(t, "errors", keys(res.Errors), append([]string{}, tt.errors...))
		})
	}
}

func TestConditionValidate(t *testing.T) {
	f := conditional(t)
	tests := []struct {
		name   string
		page   int
		data   map[string]any
		want   []string
		fr, en string // message of the first error
	}{
		{"condition false: not required", -1, map[string]any{"room": "carnotzet"}, []string{}, "", ""},
		{"condition true: required", 0, map[string]any{"room": "salle-polyvalente"}, []string{"/tables required"},
			"Remplissez le champ « Nombre de tables »", "Enter nombre de tables"},
		{"other constraints of a shown field", 0, map[string]any{"room": "salle-polyvalente", "tables": 50.0}, []string{"/tables maximum"},
			"« Nombre de tables » doit être inférieur ou égal à 40", "Nombre de tables must be 40 or less"},
		{"in", 1, map[string]any{"room": "salle-communale"}, []string{"/technician required"}, "Remplissez le champ « Technicien »", "Enter technicien"},
		{"contains", 0, map[string]any{"room": "carnotzet", "catering": []any{"coffee", "lunch"}}, []string{"/diet required"},
			"Remplissez le champ « Régimes »", "Enter régimes"},
		{"rule in a fieldset", 1, map[string]any{"room": "carnotzet", "contact": map[string]any{"kind": "phone"}}, []string{"/contact/phone required"},
			"Remplissez le champ « Téléphone »", "Enter téléphone"},
		{"rule in repeat items", 1, map[string]any{"room": "carnotzet", "equipment": []any{map[string]any{"item": "chairs"}, map[string]any{"item": "sono"}}},
			[]string{"/equipment/1/watts required"}, "Remplissez le champ « Puissance (Matériel 2) »", "Enter puissance (Matériel 2)"},
		{"errors of another page are left out", 1, map[string]any{"room": "salle-polyvalente"}, []string{"/technician required"},
			"Remplissez le champ « Technicien »", "Enter technicien"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := f.ValidatePage(tt.page, tt.data)
			assertEqual(t, "errors", keys(errs), tt.want)
			if len(errs) > 0 {
				assertEqual(t, "fr", plain(f.Message(errs[0], "fr")), tt.fr)
				assertEqual(t, "en", f.Message(errs[0], "en"), tt.en)
			}
		})
	}
}

func TestConditionSummary(t *testing.T) {
	f := conditional(t)
	labels := func(s []SummarySection) []string {
		var out []string
		var walk func(rows []SummaryRow)
		walk = func(rows []SummaryRow) {
			for _, r := range rows {
				out = append(out, r.Label)
				for _, g := range r.Nested {
					walk(g.Rows)
				}
			}
		}
		for _, sec := range s {
			walk(sec.Rows)
		}
		return out
	}
	tests := []struct {
		name string
		data map[string]any
		want []string
	}{
		{"conditions false", map[string]any{"room": "carnotzet", "tables": 3.0, "contact": map[string]any{"kind": "email", "phone": "021"},
			"equipment": []any{map[string]any{"item": "chairs", "watts": 3.0}}},
			[]string{"Salle", "Cuisine", "Restauration", "Contact", "Par", "Matériel", "Article"}},
		{"conditions true", map[string]any{"room": "salle-polyvalente", "kitchen": true, "stage": true,
			"contact": map[string]any{"kind": "phone"}, "equipment": []any{map[string]any{"item": "sono"}}},
			[]string{"Salle", "Nombre de tables", "Cuisine", "Traiteur", "Restauration", "Scène", "Taille de la scène",
				"Contact", "Par", "Téléphone", "Matériel", "Article", "Puissance", "Technicien"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertEqual(t, "rows", labels(f.Summary(tt.data, "fr")), tt.want)
		})
	}
}

// TestConditionRJSF checks that if/then rules of ordinary schemas, without
// ui:showIf, still validate, with errors on the fields' pointers.
func TestConditionRJSF(t *testing.T) {
	f := mustCompile(t, `{"type": "object", "properties": {"member": {"type": "boolean"}, "number": {"type": "string", "minLength": 3}},
		"allOf": [{"if": {"properties": {"member": {"const": true}}, "required": ["member"]}, "then": {"required": ["number"]},
		"else": {"properties": {"number": {"maxLength": 0}}}}]}`, "")
	by := fieldsByPointer(f.Pages()...)
	assertEqual(t, "required", by["/number"].Required, false)
	assertEqual(t, "condition", by["/number"].Condition, (*Condition)(nil))
	for _, tt := range []struct {
		data map[string]any
		want []string
	}{
		{map[string]any{"member": true}, []string{"/number required"}},
		{map[string]any{"member": true, "number": "1"}, []string{"/number minLength"}},
		{map[string]any{"member": false, "number": "123"}, []string{"/number maxLength"}},
		{map[string]any{"member": false}, []string{}},
	} {
		assertEqual(t, "errors", keys(f.Validate(tt.data)), tt.want)
	}
}

func TestPageShown(t *testing.T) {
	f := mustCompile(t, `{"type": "object", "properties": {"a": {"type": "boolean"}, "b": {"type": "string"}, "c": {"type": "string"}}}`,
		`{"ui:pages": [{"title": "1", "fields": ["a"]}, {"title": "2", "fields": ["b"]}, {"title": "3", "fields": ["c"]}],
		"b": {"ui:showIf": {"field": "/a", "checked": true}}}`)
	for _, tt := range []struct {
		data map[string]any
		want []bool
	}{
		{nil, []bool{true, false, true}},
		{map[string]any{"a": false}, []bool{true, false, true}},
		{map[string]any{"a": true}, []bool{true, true, true}},
	} {
		got := []bool{f.PageShown(0, tt.data), f.PageShown(1, tt.data), f.PageShown(2, tt.data)}
		assertEqual(t, "pages shown", got, tt.want)
	}
	assertEqual(t, "all pages", f.PageShown(-1, nil), true)
	assertEqual(t, "unknown page", f.PageShown(3, nil), false)
}
