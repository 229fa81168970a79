package forms

import (
	"errors"
	"net/url"
	"testing"
)

const scalarsSchema = `{"type": "object", "properties": {
	"text": {"type": "string"},
	"note": {"type": "string"},
	"date": {"type": "string", "format": "date"},
	"num": {"type": "number"},
	"int": {"type": "integer"},
	"level": {"enum": [1, 2, 3]},
	"flag": {"type": "boolean"},
	"tags": {"type": "array", "items": {"enum": ["a", "b", "c"]}},
	"sizes": {"type": "array", "items": {"type": "integer", "enum": [10, 20]}},
	"addr": {"type": "object", "properties": {"street": {"type": "string"}, "pobox": {"type": "boolean"}}},
	"src": {"type": "string"}
}}`

const scalarsUI = `{"note": {"ui:widget": "textarea"}, "level": {"ui:widget": "radio"}, "src": {"ui:widget": "hidden"}}`

func TestDecodeFields(t *testing.T) {
	f := mustCompile(t, scalarsSchema, scalarsUI)
	tests := []struct {
		name     string
		post     url.Values
		old      map[string]any
		key      string
		want     any // nil: key absent
		wantErrs []string
	}{
		{name: "text is trimmed", post: url.Values{"text": {"  Anne  "}}, key: "text", want: "Anne"},
		{name: "empty text removes the key", post: url.Values{"text": {"   "}}, old: map[string]any{"text": "old"}, key: "text"},
		{name: "missing input removes the key", post: url.Values{}, old: map[string]any{"text": "old"}, key: "text"},
		{name: "textarea newlines", post: url.Values{"note": {"a\r\nb\r\n"}}, key: "note", want: "a\nb"},
		{name: "invalid UTF-8 replaced", post: url.Values{"text": {"a\xffb"}}, key: "text", want: "a\uFFFDb"},
		{name: "ISO date", post: url.Values{"date": {"2026-03-14"}}, key: "date", want: "2026-03-14"},
		{name: "Swiss date", post: url.Values{"date": {"14.3.2026"}}, key: "date", want: "2026-03-14"},
		{name: "impossible date kept for validation", post: url.Values{"date": {"31.02.2026"}}, key: "date", want: "31.02.2026"},
		{name: "number with decimal comma", post: url.Values{"num": {"2,5"}}, key: "num", want: 2.5},
		{name: "number with apostrophes", post: url.Values{"num": {"1'250.75"}}, key: "num", want: 1250.75},
		{name: "number with spaces", post: url.Values{"num": {"1 250"}}, key: "num", want: 1250.0},
		{name: "negative number", post: url.Values{"num": {"-0.5"}}, key: "num", want: -0.5},
		{name: "not a number", post: url.Values{"num": {"deux"}}, old: map[string]any{"num": 1.0}, key: "num",
			wantErrs: []string{"/num type"}},
		{name: "NaN is not a number", post: url.Values{"num": {"NaN"}}, key: "num", wantErrs: []string{"/num type"}},
		{name: "hex is not a number", post: url.Values{"num": {"0x10"}}, key: "num", wantErrs: []string{"/num type"}},
		{name: "thousands and decimals mixed", post: url.Values{"num": {"1,000.5"}}, key: "num", wantErrs: []string{"/num type"}},
		{name: "integer", post: url.Values{"int": {"12"}}, key: "int", want: 12.0},
		{name: "fractional integer left to validation", post: url.Values{"int": {"1.5"}}, key: "int", want: 1.5},
		{name: "integer type error", post: url.Values{"int": {"12 ans"}}, key: "int", wantErrs: []string{"/int type"}},
		{name: "numeric choice is typed", post: url.Values{"level": {"2"}}, key: "level", want: 2.0},
		{name: "unknown choice kept for validation", post: url.Values{"level": {"9"}}, key: "level", want: "9"},
		{name: "checkbox on", post: url.Values{"flag": {"on"}}, key: "flag", want: true},
		{name: "checkbox true", post: url.Values{"flag": {"true"}}, key: "flag", want: true},
		{name: "checkbox hidden false then on", post: url.Values{"flag": {"false", "on"}}, key: "flag", want: true},
		{name: "checkbox absent is false", post: url.Values{}, old: map[string]any{"flag": true}, key: "flag", want: false},
		{name: "checkboxes", post: url.Values{"tags": {"a", "c"}}, key: "tags", want: []any{"a", "c"}},
		{name: "checkboxes typed", post: url.Values{"sizes": {"20", "10"}}, key: "sizes", want: []any{20.0, 10.0}},
		{name: "no checkboxes removes the key", post: url.Values{}, old: map[string]any{"tags": []any{"a"}}, key: "tags"},
		{name: "fieldset", post: url.Values{"addr.street": {"Rue 1"}, "addr.pobox": {"on"}}, key: "addr",
			want: map[string]any{"street": "Rue 1", "pobox": true}},
		{name: "empty fieldset is absent", post: url.Values{"addr.street": {""}}, old: map[string]any{"addr": map[string]any{"street": "x"}}, key: "addr"},
		{name: "hidden", post: url.Values{"src": {"portal"}}, key: "src", want: "portal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := map[string]any{}
			for k, v := range tt.old {
				data[k] = v
			}
			res, err := f.Decode(0, data, Post{Values: tt.post})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := res.Data[tt.key]
			if tt.want == nil && ok {
				t.Errorf("%s = %#v, want absent", tt.key, got)
			} else if tt.want != nil {
				assertEqual(t, tt.key, got, tt.want)
			}
			if tt.wantErrs == nil {
				tt.wantErrs = []string{}
			}
			assertEqual(t, "errors", keys(res.Errors), tt.wantErrs)
		})
	}
}

func TestDecodeTypeErrorKeepsText(t *testing.T) {
	f := roomBooking(t)
	post := fullPost()
	post.Set("attendees", " quarante-cinq ")
	res, err := f.Decode(1, nil, Post{Values: post})
	if err != nil {
		t.Fatal(err)
	}
	want := FieldError{Pointer: "/attendees", Key: "type", Args: []any{"integer"}, Input: "quarante-cinq"}
	assertEqual(t, "errors", res.Errors, []FieldError{want})
	if _, ok := res.Data["attendees"]; ok {
		t.Error("attendees stored although it is no number")
	}
	errs := f.Merge(res.Errors, f.ValidatePage(1, res.Data))
	assertEqual(t, "merged", keys(errs), []string{"/attendees type"})
	field := f.Bind(1, res.Data, errs, "fr").Fields[2]
	assertEqual(t, "re-rendered", []string{field.Value, plain(field.Error)},
		[]string{"quarante-cinq", "« Nombre de participants » doit être un nombre entier"})
}

func TestDecodePageScope(t *testing.T) {
	f := roomBooking(t)
	data := map[string]any{"attendees": 10.0, "last_name": "Old"}
	res, err := f.Decode(0, data, Post{Values: fullPost()})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "page 0 field", res.Data["last_name"], "Dupont")
	assertEqual(t, "page 1 field untouched", res.Data["attendees"], 10.0)
	if _, ok := res.Data["room"]; ok {
		t.Error("page 0 decode wrote a page 1 field")
	}
	assertEqual(t, "same map", res.Data["first_name"], data["first_name"])
}

func TestDecodeFullForm(t *testing.T) {
	f := roomBooking(t)
	res, err := f.Decode(-1, nil, Post{Values: fullPost()})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "data", res.Data, map[string]any{
		"first_name": "Anne", "last_name": "Dupont", "email": "anne.dupont@example.ch", "phone": "+41 21 555 12 34",
		"address":        map[string]any{"street": "Rue du Lac 12", "postcode": "1000", "city": "Lausanne"},
		"event_date":     "2026-03-14",
		"duration_hours": 2.5,
		"attendees":      45.0,
		"room":           "salle-b",
		"catering":       []any{"coffee", "aperitif"},
		"equipment":      []any{map[string]any{"item": "projector", "quantity": 1.0}, map[string]any{"item": "chairs", "quantity": 45.0}},
		"remarks":        "Accès\nchaise roulante",
		"source":         "portal",
		"consent":        true,
	})
	assertEqual(t, "errors", len(res.Errors), 0)
	assertEqual(t, "valid", keys(f.Validate(res.Data)), []string{})
}

func TestDecodeRepeat(t *testing.T) {
	f := roomBooking(t)
	tests := []struct {
		name     string
		post     url.Values
		old      any
		want     any // nil: absent
		wantErrs []string
		action   Action
	}{
		{name: "dense re-indexing", post: url.Values{
			"equipment.2.item": {"tables"}, "equipment.2.quantity": {"2"},
			"equipment.7.item": {"chairs"}, "equipment.7.quantity": {"9"},
		}, want: []any{map[string]any{"item": "tables", "quantity": 2.0}, map[string]any{"item": "chairs", "quantity": 9.0}}},
		{name: "empty items dropped", post: url.Values{
			"equipment.0.item": {""}, "equipment.0.quantity": {""},
			"equipment.1.item": {"tables"}, "equipment.1.quantity": {"2"},
			"equipment.2.item": {""}, "equipment.2.quantity": {" "},
		}, want: []any{map[string]any{"item": "tables", "quantity": 2.0}}},
		{name: "all empty is absent", post: url.Values{"equipment.0.item": {""}, "equipment.0.quantity": {""}},
			old: []any{map[string]any{"item": "tables"}}},
		{name: "type error points at the new index", post: url.Values{
			"equipment.0.item": {""}, "equipment.0.quantity": {""},
			"equipment.1.item": {"tables"}, "equipment.1.quantity": {"beaucoup"},
		}, want: []any{map[string]any{"item": "tables"}}, wantErrs: []string{"/equipment/0/quantity type"}},
		{name: "item with only a type error is kept", post: url.Values{"equipment.0.quantity": {"x"}},
			want: []any{map[string]any{}}, wantErrs: []string{"/equipment/0/quantity type"}},
		{name: "add appends an empty item", post: url.Values{
			"equipment.0.item": {"tables"}, "equipment.0.quantity": {"2"}, "_action": {"add:/equipment"},
		}, want: []any{map[string]any{"item": "tables", "quantity": 2.0}, map[string]any{}},
			action: Action{Kind: "add", Pointer: "/equipment"}},
		{name: "add keeps the empty items shown", post: url.Values{
			"equipment.0.item": {""}, "equipment.0.quantity": {""}, "_action": {"add:/equipment"},
		}, want: []any{map[string]any{}, map[string]any{}}, action: Action{Kind: "add", Pointer: "/equipment"}},
		{name: "remove drops the item", post: url.Values{
			"equipment.0.item": {"tables"}, "equipment.0.quantity": {"2"},
			"equipment.1.item": {""}, "equipment.1.quantity": {""},
			"equipment.2.item": {"chairs"}, "equipment.2.quantity": {"3"},
			"_action": {"remove:/equipment/0"},
		}, want: []any{map[string]any{}, map[string]any{"item": "chairs", "quantity": 3.0}},
			action: Action{Kind: "remove", Pointer: "/equipment/0"}},
		{name: "remove of a gone item is harmless", post: url.Values{
			"equipment.0.item": {"tables"}, "equipment.0.quantity": {"2"}, "_action": {"remove:/equipment/4"},
		}, want: []any{map[string]any{"item": "tables", "quantity": 2.0}}, action: Action{Kind: "remove", Pointer: "/equipment/4"}},
		{name: "add beyond maxItems", post: url.Values{
			"equipment.0.item": {"tables"}, "equipment.1.item": {"tables"}, "equipment.2.item": {"tables"},
			"equipment.3.item": {"tables"}, "equipment.4.item": {"tables"}, "_action": {"add:/equipment"},
		}, want: []any{map[string]any{"item": "tables"}, map[string]any{"item": "tables"}, map[string]any{"item": "tables"},
			map[string]any{"item": "tables"}, map[string]any{"item": "tables"}},
			wantErrs: []string{"/equipment maxItems"}, action: Action{Kind: "add", Pointer: "/equipment"}},
		{name: "other buttons are not actions", post: url.Values{"_action": {"next"}}, action: Action{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.Decode(1, map[string]any{"equipment": tt.old}, Post{Values: tt.post})
			if err != nil {
				t.Fatal(err)
			}
			got, ok := res.Data["equipment"]
			if tt.want == nil && ok {
				t.Errorf("equipment = %#v, want absent", got)
			} else if tt.want != nil {
				assertEqual(t, "equipment", got, tt.want)
			}
			if tt.wantErrs == nil {
				tt.wantErrs = []string{}
			}
			assertEqual(t, "errors", keys(res.Errors), tt.wantErrs)
			assertEqual(t, "action", res.Action, tt.action)
		})
	}
}

func TestDecodeRepeatMinItems(t *testing.T) {
	f := mustCompile(t, `{"type": "object", "properties": {"people": {"type": "array", "minItems": 2,
		"items": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}}}}`, "")
	res, err := f.Decode(0, nil, Post{Values: url.Values{
		"people.0.name": {""}, "people.1.name": {"Léa"}, "people.2.name": {""}, "people.3.name": {""},
	}})
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "people", res.Data["people"], []any{map[string]any{}, map[string]any{"name": "Léa"}})
	assertEqual(t, "errors", keys(f.Validate(res.Data)), []string{"/people/0/name required"})
}

func TestDecodeInvalidAction(t *testing.T) {
	f := roomBooking(t)
	for _, action := range []string{
		"add:/attendees",       // not a repeat
		"add:/nope",            // unknown
		"remove:/equipment",    // not an item
		"remove:/equipment/x",  // not an index
		"add:/equipment/0",     // an item
		"remove:/equipment/01", // not canonical
	} {
		t.Run(action, func(t *testing.T) {
			_, err := f.Decode(1, nil, Post{Values: url.Values{"_action": {action}}})
			if !errors.Is(err, ErrInvalidAction) {
				t.Errorf("err = %v, want ErrInvalidAction", err)
			}
		})
	}
	t.Run("repeat of another page", func(t *testing.T) {
		_, err := f.Decode(0, nil, Post{Values: url.Values{"_action": {"add:/equipment"}}})
		if !errors.Is(err, ErrInvalidAction) {
			t.Errorf("err = %v, want ErrInvalidAction", err)
		}
	})
	t.Run("unknown page", func(t *testing.T) {
		if _, err := f.Decode(3, nil, Post{}); err == nil {
			t.Error("Decode of page 3 succeeded")
		}
	})
}
