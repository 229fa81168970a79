package forms

import (
	"encoding/json"
	"strings"
	"testing"
)

const validSchema = `{"type": "object", "properties": {
	"name": {"type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-z]+$"},
	"email": {"type": "string", "format": "email"},
	"day": {"type": "string", "format": "date"},
	"age": {"type": "integer", "minimum": 18, "maximum": 120},
	"ratio": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.5},
	"color": {"enum": ["red", "blue"]},
	"size": {"oneOf": [{"const": "s", "title": "Small"}, {"const": "l", "title": "Large"}]},
	"tags": {"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": true, "items": {"enum": ["a", "b", "c"]}},
	"addr": {"type": "object", "properties": {"city": {"type": "string"}, "zip": {"type": "string"}}, "required": ["city", "zip"]},
	"kids": {"type": "array", "minItems": 1, "items": {"type": "object", "properties": {"n": {"type": "string"}, "age": {"type": "integer"}}, "required": ["n"]}},
	"doc": {"type": "string", "format": "file"},
	"ok": {"type": "boolean", "const": true}
}, "required": ["name", "ok"], "additionalProperties": false}`

func TestValidate(t *testing.T) {
	f := mustCompile(t, validSchema, "")
	base := func() map[string]any { return map[string]any{"name": "anne", "ok": true} }
	tests := []struct {
		name string
		set  map[string]any // merged into a valid document
		json string         // or a whole JSON document
		want []FieldError
	}{
		{name: "valid", want: nil},
		{name: "required", json: `{"ok": true}`, want: []FieldError{{Pointer: "/name", Key: "required"}}},
		{name: "consent missing", json: `{"name": "anne"}`, want: []FieldError{{Pointer: "/ok", Key: "consent"}}},
		{name: "consent false", set: map[string]any{"ok": false}, want: []FieldError{{Pointer: "/ok", Key: "consent"}}},
		{name: "minLength", set: map[string]any{"name": "a"}, want: []FieldError{{Pointer: "/name", Key: "minLength", Args: []any{2}}}},
		{name: "maxLength", set: map[string]any{"name": "abcdef"}, want: []FieldError{{Pointer: "/name", Key: "maxLength", Args: []any{5}}}},
		{name: "pattern", set: map[string]any{"name": "ABC"}, want: []FieldError{{Pointer: "/name", Key: "pattern", Args: []any{"^[a-z]+$"}}}},
		{name: "length before pattern", set: map[string]any{"name": "A"}, want: []FieldError{{Pointer: "/name", Key: "minLength", Args: []any{2}}}},
		{name: "type", set: map[string]any{"name": 12.0}, want: []FieldError{{Pointer: "/name", Key: "type", Args: []any{"string"}}}},
		{name: "email", set: map[string]any{"email": "anne@"}, want: []FieldError{{Pointer: "/email", Key: "format", Args: []any{"email"}}}},
		{name: "date", set: map[string]any{"day": "31.02.2026"}, want: []FieldError{{Pointer: "/day", Key: "format", Args: []any{"date"}}}},
		{name: "file must not be empty", set: map[string]any{"doc": ""}, want: []FieldError{{Pointer: "/doc", Key: "format", Args: []any{"file"}}}},
		{name: "integer type", set: map[string]any{"age": 20.5}, want: []FieldError{{Pointer: "/age", Key: "type", Args: []any{"integer"}}}},
		{name: "minimum", set: map[string]any{"age": 17.0}, want: []FieldError{{Pointer: "/age", Key: "minimum", Args: []any{18}}}},
		{name: "maximum", set: map[string]any{"age": 121}, want: []FieldError{{Pointer: "/age", Key: "maximum", Args: []any{120}}}},
		{name: "exclusiveMinimum", set: map[string]any{"ratio": 0.0}, want: []FieldError{{Pointer: "/ratio", Key: "exclusiveMinimum", Args: []any{0}}}},
		{name: "multipleOf", set: map[string]any{"ratio": 0.7}, want: []FieldError{{Pointer: "/ratio", Key: "multipleOf", Args: []any{0.5}}}},
		{name: "enum", set: map[string]any{"color": "green"}, want: []FieldError{{Pointer: "/color", Key: "enum"}}},
		{name: "enum wrong type", set: map[string]any{"color": 3.0}, want: []FieldError{{Pointer: "/color", Key: "enum"}}},
		{name: "oneOf const", set: map[string]any{"size": "m"}, want: []FieldError{{Pointer: "/size", Key: "enum"}}},
		{name: "checkboxes value", set: map[string]any{"tags": []any{"a", "z"}}, want: []FieldError{{Pointer: "/tags", Key: "enum"}}},
		{name: "minItems", set: map[string]any{"tags": []any{}}, want: []FieldError{{Pointer: "/tags", Key: "minItems", Args: []any{1}}}},
		{name: "maxItems", set: map[string]any{"tags": []any{"a", "b", "c"}}, want: []FieldError{{Pointer: "/tags", Key: "maxItems", Args: []any{2}}}},
		{name: "uniqueItems", set: map[string]any{"tags": []any{"a", "a"}}, want: []FieldError{{Pointer: "/tags", Key: "uniqueItems"}}},
		{name: "nested required", set: map[string]any{"addr": map[string]any{"zip": "1000"}}, want: []FieldError{{Pointer: "/addr/city", Key: "required"}}},
		{name: "nested required, several", set: map[string]any{"addr": map[string]any{}},
			want: []FieldError{{Pointer: "/addr/city", Key: "required"}, {Pointer: "/addr/zip", Key: "required"}}},
		{name: "repeat items", set: map[string]any{"kids": []any{map[string]any{"n": "a"}, map[string]any{"age": "x"}}},
			want: []FieldError{{Pointer: "/kids/1/n", Key: "required"}, {Pointer: "/kids/1/age", Key: "type", Args: []any{"integer"}}}},
		{name: "repeat minItems", set: map[string]any{"kids": []any{}}, want: []FieldError{{Pointer: "/kids", Key: "minItems", Args: []any{1}}}},
		{name: "additionalProperties", set: map[string]any{"zz": 1, "aa": 2},
			want: []FieldError{{Pointer: "", Key: "additionalProperties", Args: []any{"aa", "zz"}}}},
		{name: "JSON numbers", json: `{"name": "anne", "ok": true, "age": 17, "ratio": 1.5}`,
			want: []FieldError{{Pointer: "/age", Key: "minimum", Args: []any{18}}}},
		{name: "Go values", set: map[string]any{"age": int16(30), "tags": []string{"a"}, "addr": map[string]string{"city": "x"}},
			want: []FieldError{{Pointer: "/addr/zip", Key: "required"}}},
		{name: "form order", set: map[string]any{"ok": false, "name": "a", "color": "x", "email": "x"},
			want: []FieldError{{Pointer: "/name", Key: "minLength", Args: []any{2}}, {Pointer: "/email", Key: "format", Args: []any{"email"}},
				{Pointer: "/color", Key: "enum"}, {Pointer: "/ok", Key: "consent"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var data any
			if tt.json != "" {
				var m any
				if err := json.Unmarshal([]byte(tt.json), &m); err != nil {
					t.Fatal(err)
				}
				data = m
			} else {
				m := base()
				for k, v := range tt.set {
					m[k] = v
				}
				data = m
			}
			assertEqual(t, "errors", f.Validate(data), tt.want)
		})
	}
}

func TestValidateJSONNumber(t *testing.T) {
	f := mustCompile(t, validSchema, "")
	dec := json.NewDecoder(strings.NewReader(`{"name": "anne", "ok": true, "age": 1e1, "ratio": 2.5}`))
	dec.UseNumber()
	var data any
	if err := dec.Decode(&data); err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "errors", keys(f.Validate(data)), []string{"/age minimum"})
	assertEqual(t, "raw JSON", keys(f.Validate(json.RawMessage(`{"name": "anne", "ok": true, "age": 19}`))), []string{})
	assertEqual(t, "struct", keys(f.Validate(struct {
		Name string `json:"name"`
		OK   bool   `json:"ok"`
	}{"anne", true})), []string{})
}

func TestValidatePage(t *testing.T) {
	f := roomBooking(t)
	data := map[string]any{"last_name": "D", "attendees": 0.0, "remarks": strings.Repeat("x", 1001)}
	tests := []struct {
		page int
		want []string
	}{
		{0, []string{"/last_name minLength", "/first_name required", "/email required", "/address required"}},
		{1, []string{"/event_date required", "/attendees minimum", "/room required"}},
		{2, []string{"/remarks maxLength", "/consent consent"}},
		{5, []string{}},
	}
	for _, tt := range tests {
		t.Run("page "+string(rune('0'+tt.page)), func(t *testing.T) {
			assertEqual(t, "errors", keys(f.ValidatePage(tt.page, data)), tt.want)
		})
	}
	all := keys(f.ValidatePage(-1, data))
	assertEqual(t, "all pages", len(all), 9)
}

func TestMerge(t *testing.T) {
	f := roomBooking(t)
	decoded := []FieldError{{Pointer: "/attendees", Key: "type", Input: "x"}, {Pointer: "/programme", Key: "fileType"}}
	validated := []FieldError{{Pointer: "/email", Key: "format"}, {Pointer: "/attendees", Key: "required"}}
	assertEqual(t, "merged", keys(f.Merge(decoded, validated)), []string{"/email format", "/attendees type", "/programme fileType"})
}
