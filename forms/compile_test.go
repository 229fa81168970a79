package forms

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// one wraps a single property "x" in a root object schema.
func one(prop string, required bool) string {
	req := ""
	if required {
		req = `, "required": ["x"]`
	}
	return `{"type": "object", "properties": {"x": ` + prop + `}` + req + `}`
}

func TestCompileWidgets(t *testing.T) {
	tests := []struct {
		name, prop, ui string
		required       bool
		want           Widget
		check          func(t *testing.T, f Field)
	}{
		{name: "string", prop: `{"type": "string", "title": "Nom", "minLength": 2, "maxLength": 40, "pattern": "^[A-Z]"}`,
			required: true, want: WidgetText, check: func(t *testing.T, f Field) {
				assertEqual(t, "label", f.Label, "Nom")
				assertEqual(t, "required", f.Required, true)
				assertEqual(t, "minLength", *f.MinLength, 2)
				assertEqual(t, "maxLength", *f.MaxLength, 40)
				assertEqual(t, "pattern", f.Pattern, "^[A-Z]")
			}},
		{name: "label falls back to name", prop: `{"type": "string"}`, want: WidgetText, check: func(t *testing.T, f Field) {
			assertEqual(t, "label", f.Label, "x")
			assertEqual(t, "required", f.Required, false)
		}},
		{name: "ui:title, ui:help, placeholder, autocomplete", prop: `{"type": "string", "title": "T", "description": "D"}`,
			ui:   `{"x": {"ui:title": "UT", "ui:help": "UH", "ui:placeholder": "P", "ui:autocomplete": "given-name"}}`,
			want: WidgetText, check: func(t *testing.T, f Field) {
				assertEqual(t, "texts", []string{f.Label, f.Help, f.Placeholder, f.Autocomplete}, []string{"UT", "UH", "P", "given-name"})
			}},
		{name: "description is help", prop: `{"type": "string", "description": "D"}`, want: WidgetText,
			check: func(t *testing.T, f Field) { assertEqual(t, "help", f.Help, "D") }},
		{name: "email format", prop: `{"type": "string", "format": "email"}`, want: WidgetEmail},
		{name: "date format", prop: `{"type": "string", "format": "date"}`, want: WidgetDate},
		{name: "file format", prop: `{"type": "string", "format": "file", "x-accept": ["application/pdf", "image/*"], "x-maxBytes": 1024}`,
			want: WidgetFile, check: func(t *testing.T, f Field) {
				assertEqual(t, "accept", f.Accept, []string{"application/pdf", "image/*"})
				assertEqual(t, "maxBytes", f.MaxBytes, int64(1024))
			}},
		{name: "textarea with rows", prop: `{"type": "string"}`, ui: `{"x": {"ui:widget": "textarea", "ui:options": {"rows": 6}}}`,
			want: WidgetTextarea, check: func(t *testing.T, f Field) { assertEqual(t, "rows", f.Rows, 6) }},
		{name: "tel", prop: `{"type": "string"}`, ui: `{"x": {"ui:widget": "tel"}}`, want: WidgetTel},
		{name: "email widget", prop: `{"type": "string"}`, ui: `{"x": {"ui:widget": "email"}}`, want: WidgetEmail},
		{name: "hidden", prop: `{"type": "string"}`, ui: `{"x": {"ui:widget": "hidden"}}`, want: WidgetHidden},
		{name: "password", prop: `{"type": "string"}`, ui: `{"x": {"ui:widget": "password"}}`, want: WidgetPassword},
		{name: "number", prop: `{"type": "number", "minimum": 0.5, "maximum": 10}`, want: WidgetNumber,
			check: func(t *testing.T, f Field) {
				assertEqual(t, "range", []float64{*f.Minimum, *f.Maximum}, []float64{0.5, 10})
			}},
		{name: "integer", prop: `{"type": "integer"}`, want: WidgetInteger},
		{name: "nullable integer", prop: `{"type": ["null", "integer"]}`, want: WidgetInteger},
		{name: "boolean", prop: `{"type": "boolean", "title": "Newsletter"}`, want: WidgetCheckbox,
			check: func(t *testing.T, f Field) { assertEqual(t, "required", f.Required, false) }},
		{name: "consent is required", prop: `{"type": "boolean", "const": true}`, want: WidgetCheckbox,
			check: func(t *testing.T, f Field) { assertEqual(t, "required", f.Required, true) }},
		{name: "enum select", prop: `{"type": "string", "enum": ["a", "b", null]}`, want: WidgetSelect,
			check: func(t *testing.T, f Field) {
				assertEqual(t, "options", f.Options, []Option{{Value: "a", Label: "a"}, {Value: "b", Label: "b"}})
			}},
		{name: "enum names", prop: `{"enum": [1, 2.5]}`, ui: `{"x": {"ui:enumNames": ["One", "Two and a half"]}}`,
			want: WidgetSelect, check: func(t *testing.T, f Field) {
				assertEqual(t, "options", f.Options, []Option{{Value: "1", Label: "One"}, {Value: "2.5", Label: "Two and a half"}})
			}},
		{name: "oneOf radio", prop: `{"oneOf": [{"const": "aula", "title": "Aula"}, {"const": "b"}]}`,
			ui: `{"x": {"ui:widget": "radio", "ui:options": {"inline": true}}}`, want: WidgetRadio,
			check: func(t *testing.T, f Field) {
				assertEqual(t, "options", f.Options, []Option{{Value: "aula", Label: "Aula"}, {Value: "b", Label: "b"}})
				assertEqual(t, "inline", f.Inline, true)
			}},
		{name: "checkboxes from items.enum", prop: `{"type": "array", "minItems": 1, "items": {"enum": ["a", "b"]}}`,
			want: WidgetCheckboxes, check: func(t *testing.T, f Field) {
				assertEqual(t, "options", len(f.Options), 2)
				assertEqual(t, "minItems", f.MinItems, 1)
			}},
		{name: "checkboxes labelled on the array", prop: `{"type": "array", "items": {"enum": ["a", "b"]}}`,
			ui: `{"x": {"ui:enumNames": ["A", "B"]}}`, want: WidgetCheckboxes, check: func(t *testing.T, f Field) {
				assertEqual(t, "options", f.Options, []Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}})
			}},
		{name: "checkboxes from items.oneOf", prop: `{"type": "array", "items": {"oneOf": [{"const": 1, "title": "Un"}]}}`,
			want: WidgetCheckboxes, check: func(t *testing.T, f Field) {
				assertEqual(t, "options", f.Options, []Option{{Value: "1", Label: "Un"}})
			}},
		{name: "fieldset", prop: `{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}, "required": ["b"]}`,
			want: WidgetFieldset, check: func(t *testing.T, f Field) {
				assertEqual(t, "children", []string{f.Fields[0].Pointer, f.Fields[1].InputName, f.Fields[1].ID}, []string{"/x/a", "x.b", "f-x-b"})
				assertEqual(t, "required", []bool{f.Fields[0].Required, f.Fields[1].Required}, []bool{false, true})
			}},
		{name: "repeat", prop: `{"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "object", "title": "Pièce", "properties": {"n": {"type": "string"}}}}`,
			ui: `{"x": {"ui:options": {"addLabel": "Ajouter une pièce"}}}`, want: WidgetRepeat,
			check: func(t *testing.T, f Field) {
				assertEqual(t, "limits", []int{f.MinItems, f.MaxItems}, []int{1, 3})
				assertEqual(t, "addLabel", f.AddLabel, "Ajouter une pièce")
				assertEqual(t, "template", []string{f.Fields[0].Pointer, f.Fields[0].InputName, f.Fields[0].ID}, []string{"/x/-/n", "x.-.n", "f-x---n"})
				assertEqual(t, "items", f.Items, [][]Field(nil))
			}},
		{name: "local $ref with sibling title", prop: `{"$ref": "#/$defs/addr", "title": "Adresse"}`, want: WidgetFieldset,
			check: func(t *testing.T, f Field) {
				assertEqual(t, "label", f.Label, "Adresse")
				assertEqual(t, "child", f.Fields[0].Pointer, "/x/street")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			schema := one(tt.prop, tt.required)
			schema = strings.Replace(schema, `{"type": "object",`,
				`{"type": "object", "$defs": {"addr": {"type": "object", "properties": {"street": {"type": "string"}}}},`, 1)
			f := mustCompile(t, schema, tt.ui)
			fd := f.Pages()[0].Fields[0]
			assertEqual(t, "widget", fd.Widget, tt.want)
			assertEqual(t, "ids", []string{fd.Pointer, fd.InputName, fd.ID}, []string{"/x", "x", "f-x"})
			if tt.check != nil {
				tt.check(t, fd)
			}
		})
	}
}

func TestCompileOrderAndPages(t *testing.T) {
	f := roomBooking(t)
	assertEqual(t, "page count", f.PageCount(), 3)
	var got [][]string
	for _, p := range f.Pages() {
		names := []string{p.Title}
		for _, fd := range p.Fields {
			names = append(names, fd.Name)
		}
		got = append(got, names)
	}
	assertEqual(t, "pages", got, [][]string{
		{"Demandeur", "last_name", "first_name", "email", "phone", "address"},
		{"Événement", "event_date", "duration_hours", "attendees", "room", "catering", "equipment"},
		{"Documents et confirmation", "programme", "remarks", "source", "consent"}, // unlisted ones join the last page
	})
	for ptr, want := range map[string]int{"/email": 0, "/address/city": 0, "/equipment/3/quantity": 1, "/remarks": 2, "/nope": -1, "": -1} {
		assertEqual(t, "PageOf "+ptr, f.PageOf(ptr), want)
	}
	assertEqual(t, "title", f.Title(), "Réservation d'une salle communale")
}

func TestCompileUIOrderStar(t *testing.T) {
	f := mustCompile(t, `{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}, "d": {"type": "string"}}}`,
		`{"ui:order": ["c", "*", "a"]}`)
	var names []string
	for _, fd := range f.Pages()[0].Fields {
		names = append(names, fd.Name)
	}
	assertEqual(t, "order", names, []string{"c", "b", "d", "a"})
}

func TestCompileErrors(t *testing.T) {
	obj := `{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}`
	tests := []struct {
		name, schema, ui, want string
	}{
		{"not JSON", `{"type":`, "", "schema: not valid JSON"},
		{"not draft 2020-12", `{"type": "object", "properties": {"a": {"type": "strin"}}}`, "", "schema /properties/a/type: invalid JSON Schema"},
		{"bad minLength", `{"type": "object", "properties": {"a": {"type": "string", "minLength": -1}}}`, "", "invalid JSON Schema"},
		{"remote $ref", `{"type": "object", "properties": {"a": {"$ref": "https://example.com/address.json"}}}`, "", "loading https://example.com/address.json is not allowed"},
		{"file $ref", `{"type": "object", "properties": {"a": {"$ref": "file:///etc/passwd"}}}`, "", "loading file:///etc/passwd is not allowed"},
		{"relative $ref", `{"type": "object", "properties": {"a": {"$ref": "other.json"}}}`, "", "is not allowed"},
		{"remote $schema", `{"$schema": "https://example.com/meta.json", "type": "object", "properties": {"a": {"type": "string"}}}`, "", "is not allowed"},
		{"root not object", `{"type": "string"}`, "", "root of a form schema must be an object"},
		{"no type", `{"type": "object", "properties": {"a": {"title": "A"}}}`, "", "schema /properties/a: cannot tell what type"},
		{"array of strings", `{"type": "object", "properties": {"a": {"type": "array", "items": {"type": "string"}}}}`, "", "needs items with"},
		{"dotted name", `{"type": "object", "properties": {"a.b": {"type": "string"}}}`, "", "cannot be used in a form"},
		{"recursive $ref", `{"type": "object", "$defs": {"n": {"type": "object", "properties": {"c": {"$ref": "#/$defs/n"}}}}, "properties": {"a": {"$ref": "#/$defs/n"}}}`, "", "nested too deeply"},
		{"ui:pages unknown property", obj, `{"ui:pages": [{"title": "P1", "fields": ["a", "zz"]}]}`, `ui /ui:pages/0/fields/1: ui:pages names unknown property "zz"`},
		{"ui:pages twice", obj, `{"ui:pages": [{"fields": ["a"]}, {"fields": ["a"]}]}`, "already on page 1"},
		{"ui:pages empty page", obj, `{"ui:pages": [{"fields": ["a", "b"]}, {"fields": []}]}`, "page 2 has no fields"},
		{"ui:order unknown", obj, `{"ui:order": ["a", "c"]}`, `ui:order names unknown property "c"`},
		{"ui key typo", obj, `{"aa": {"ui:widget": "textarea"}}`, `ui /aa: the schema has no property "aa"`},
		{"unknown widget", obj, `{"a": {"ui:widget": "color"}}`, `ui /a/ui:widget: ui:widget "color" cannot show this string property`},
		{"widget for wrong type", `{"type": "object", "properties": {"a": {"type": "integer"}}}`, `{"a": {"ui:widget": "textarea"}}`, "cannot show this integer property"},
		{"bad enumNames", `{"type": "object", "properties": {"a": {"enum": ["x", "y"]}}}`, `{"a": {"ui:enumNames": ["X"]}}`, "one label per enum value"},
		{"bad x-accept", `{"type": "object", "properties": {"a": {"type": "string", "format": "file", "x-accept": ["pdf"]}}}`, "", "x-accept must list media types"},
		{"bad ui JSON", obj, `[1]`, "ui: the UI schema must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile([]byte(tt.schema), []byte(tt.ui))
			if err == nil {
				t.Fatalf("Compile succeeded, want error containing %q", tt.want)
			}
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Errorf("error %T is not a *CompileError", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestFormIsImmutable(t *testing.T) {
	f := roomBooking(t)
	pages := f.Pages()
	pages[0].Fields[0].Label = "changed"
	pages[1].Fields[3].Options[0].Label = "changed"
	pages[1].Fields[5].Fields[0].Label = "changed"
	*pages[0].Fields[0].MaxLength = 1
	again := f.Pages()
	assertEqual(t, "label", again[0].Fields[0].Label, "Nom")
	assertEqual(t, "option", again[1].Fields[3].Options[0].Label, "Aula (200 places)")
	assertEqual(t, "template", again[1].Fields[5].Fields[0].Label, "Article")
	assertEqual(t, "maxLength", *again[0].Fields[0].MaxLength, 50)
	s := f.Schema()
	s[0] = 'X'
	if f.Schema()[0] != '{' {
		t.Error("Schema() exposes the form's bytes")
	}
	if !strings.Contains(string(f.UISchema()), "ui:pages") {
		t.Error("UISchema() lost its content")
	}
}

// TestCompileRefusesRemoteRef serves a schema over HTTP and checks that
// Compile neither fetches it nor accepts the reference.
func TestCompileRefusesRemoteRef(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/schema+json")
		w.Write([]byte(`{"type": "string"}`))
	}))
	defer srv.Close()
	for _, ref := range []string{srv.URL + "/name.json", srv.URL + "/defs.json#/$defs/name"} {
		t.Run(ref, func(t *testing.T) {
			_, err := Compile([]byte(`{"type": "object", "properties": {"name": {"$ref": "`+ref+`"}}}`), nil)
			if err == nil || !strings.Contains(err.Error(), "is not allowed") {
				t.Errorf("Compile error = %v, want a refusal", err)
			}
		})
	}
	assertEqual(t, "requests to the server", hits.Load(), int32(0))
}
