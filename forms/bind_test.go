package forms

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func TestBindValues(t *testing.T) {
	f := roomBooking(t)
	data := roundTrip(t, map[string]any{
		"last_name":      "Dupont",
		"address":        map[string]any{"city": "Lausanne"},
		"event_date":     "2026-03-14",
		"duration_hours": 2.5,
		"attendees":      45,
		"room":           "salle-b",
		"catering":       []any{"coffee", "aperitif"},
		"equipment":      []any{map[string]any{"item": "chairs", "quantity": 45}, map[string]any{"item": "projector"}},
		"programme":      "file-123",
		"consent":        true,
	})
	all := f.Bind(-1, data, nil, "fr")
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
	walk(all.Fields)

	tests := []struct {
		name, ptr string
		check     func(t *testing.T, fd Field)
	}{
		{"text", "/last_name", func(t *testing.T, fd Field) { assertEqual(t, "value", fd.Value, "Dupont") }},
		{"absent text", "/first_name", func(t *testing.T, fd Field) { assertEqual(t, "value", fd.Value, "") }},
		{"fieldset child", "/address/city", func(t *testing.T, fd Field) {
			assertEqual(t, "value", fd.Value, "Lausanne")
			assertEqual(t, "name", fd.InputName, "address.city")
		}},
		{"date", "/event_date", func(t *testing.T, fd Field) { assertEqual(t, "value", fd.Value, "2026-03-14") }},
		{"number", "/duration_hours", func(t *testing.T, fd Field) { assertEqual(t, "value", fd.Value, "2.5") }},
		{"integer", "/attendees", func(t *testing.T, fd Field) { assertEqual(t, "value", fd.Value, "45") }},
		{"radio", "/room", func(t *testing.T, fd Field) {
			assertEqual(t, "value", fd.Value, "salle-b")
			assertEqual(t, "selected", []bool{fd.Options[0].Selected, fd.Options[1].Selected, fd.Options[2].Selected}, []bool{false, true, false})
		}},
		{"checkboxes", "/catering", func(t *testing.T, fd Field) {
			assertEqual(t, "values", fd.Values, []string{"coffee", "aperitif"})
			assertEqual(t, "selected", []bool{fd.Options[0].Selected, fd.Options[1].Selected, fd.Options[2].Selected}, []bool{true, false, true})
		}},
		{"repeat items", "/equipment", func(t *testing.T, fd Field) {
			assertEqual(t, "items", len(fd.Items), 2)
			assertEqual(t, "template", fd.Fields[1].Pointer, "/equipment/-/quantity")
		}},
		{"repeat item field", "/equipment/1/item", func(t *testing.T, fd Field) {
			assertEqual(t, "ids", []string{fd.Value, fd.InputName, fd.ID}, []string{"projector", "equipment.1.item", "f-equipment-1-item"})
			assertEqual(t, "selected", fd.Options[0].Selected, true)
		}},
		{"repeat item number", "/equipment/0/quantity", func(t *testing.T, fd Field) { assertEqual(t, "value", fd.Value, "45") }},
		{"file", "/programme", func(t *testing.T, fd Field) { assertEqual(t, "value", fd.Value, "file-123") }},
		{"checkbox", "/consent", func(t *testing.T, fd Field) { assertEqual(t, "checked", fd.Checked, true) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fd, ok := by[tt.ptr]
			if !ok {
				t.Fatalf("no field at %s", tt.ptr)
			}
			tt.check(t, fd)
		})
	}
}

func TestBindRepeatItemCount(t *testing.T) {
	schema := `{"type": "object", "properties": {"rooms": {"type": "array", "minItems": MIN, "items": {"type": "object",
		"properties": {"n": {"type": "string"}}}}}}`
	tests := []struct {
		name, min string
		data      map[string]any
		want      int
	}{
		{"missing array shows one item", "0", nil, 1},
		{"empty array shows one item", "0", map[string]any{"rooms": []any{}}, 1},
		{"minItems pads", "3", map[string]any{"rooms": []any{map[string]any{"n": "a"}}}, 3},
		{"one per element", "1", map[string]any{"rooms": []any{map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}}}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustCompile(t, strings.ReplaceAll(schema, "MIN", tt.min), "")
			p := f.Bind(0, tt.data, nil, "fr")
			assertEqual(t, "items", len(p.Fields[0].Items), tt.want)
			last := p.Fields[0].Items[tt.want-1][0]
			assertEqual(t, "last pointer", last.Pointer, "/rooms/"+strconv.Itoa(tt.want-1)+"/n")
		})
	}
}

func TestBindNumbersWithoutExponent(t *testing.T) {
	f := mustCompile(t, `{"type": "object", "properties": {"n": {"type": "number"}}}`, "")
	for _, tt := range []struct {
		name string
		v    any
		want string
	}{
		{"large float", 1e21, "1000000000000000000000"},
		{"small float", 0.000001, "0.000001"},
		{"json.Number", json.Number("1.5e3"), "1500"},
		{"int", 12, "12"},
		{"negative", -3.25, "-3.25"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := f.Bind(0, map[string]any{"n": tt.v}, nil, "fr")
			assertEqual(t, "value", p.Fields[0].Value, tt.want)
		})
	}
}

func TestBindErrors(t *testing.T) {
	f := roomBooking(t)
	errs := []FieldError{
		{Pointer: "/attendees", Key: "type", Args: []any{"integer"}, Input: "quarante"},
		{Pointer: "/attendees", Key: "required"}, // second error on a pointer: ignored
		{Pointer: "/equipment/1/quantity", Key: "minimum", Args: []any{1}},
		{Pointer: "/room", Key: "required"},
	}
	data := map[string]any{"equipment": []any{map[string]any{}, map[string]any{"quantity": 0.0}}}
	tests := []struct {
		name, lang string
		pick       func(p Page) Field
		value, msg string
	}{
		{"type error shows the typed text", "fr", func(p Page) Field { return p.Fields[2] }, "quarante",
			"« Nombre de participants » doit être un nombre entier"},
		{"english", "en", func(p Page) Field { return p.Fields[2] }, "quarante", "Nombre de participants must be a whole number"},
		{"radio", "fr", func(p Page) Field { return p.Fields[3] }, "", "Sélectionnez une réponse pour « Salle »"},
		{"repeat item", "fr", func(p Page) Field { return p.Fields[5].Items[1][1] }, "0",
			"« Quantité (Équipement 2) » doit être supérieur ou égal à 1"},
		{"no error", "fr", func(p Page) Field { return p.Fields[5].Items[0][1] }, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fd := tt.pick(f.Bind(1, data, errs, tt.lang))
			assertEqual(t, "value", fd.Value, tt.value)
			assertEqual(t, "error", plain(fd.Error), tt.msg)
		})
	}
	if p := f.Bind(7, data, nil, "fr"); p.Fields != nil {
		t.Errorf("Bind of an unknown page returned fields")
	}
}
