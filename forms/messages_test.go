package forms

import (
	"flag"
	"fmt"
	"mime/multipart"
	"net/url"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// plain shows no-break spaces as spaces, to keep expectations readable.
func plain(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }

func TestFieldErrorMessage(t *testing.T) {
	tests := []struct {
		e      FieldError
		fr, en string
	}{
		{FieldError{Key: "required"}, "Ce champ est obligatoire", "This field is required"},
		{FieldError{Key: "consent"}, "Vous devez cocher cette case", "You must tick this box"},
		{FieldError{Key: "type", Args: []any{"integer"}}, "Saisissez un nombre entier", "Enter a whole number"},
		{FieldError{Key: "type", Args: []any{"number"}}, "Saisissez un nombre", "Enter a number"},
		{FieldError{Key: "enum"}, "Sélectionnez une option de la liste", "Select an option from the list"},
		{FieldError{Key: "format", Args: []any{"email"}}, "Saisissez une adresse e-mail valide, par exemple nom@exemple.ch",
			"Enter an email address in the correct format, like name@example.com"},
		{FieldError{Key: "format", Args: []any{"date"}}, "Saisissez une date valide, par exemple 31.12.2025", "Enter a real date, like 31.12.2025"},
		{FieldError{Key: "minLength", Args: []any{1}}, "Saisissez au moins 1 caractère", "Enter at least 1 character"},
		{FieldError{Key: "maxLength", Args: []any{50}}, "Saisissez 50 caractères au maximum", "Enter 50 characters or fewer"},
		{FieldError{Key: "minimum", Args: []any{0.5}}, "Saisissez un nombre supérieur ou égal à 0.5", "Enter a number that is 0.5 or more"},
		{FieldError{Key: "maximum", Args: []any{200}}, "Saisissez un nombre inférieur ou égal à 200", "Enter a number that is 200 or less"},
		{FieldError{Key: "pattern", Args: []any{"^[0-9]{4}$"}}, "Le format n'est pas valide", "Enter a value in the correct format"},
		{FieldError{Key: "minItems", Args: []any{2}}, "Sélectionnez au moins 2 options", "Select at least 2 options"},
		{FieldError{Key: "maxItems", Args: []any{1}}, "Sélectionnez au plus 1 option", "Select no more than 1 option"},
		{FieldError{Key: "uniqueItems"}, "Chaque réponse ne peut figurer qu'une fois", "Each answer can only be given once"},
		{FieldError{Key: "additionalProperties", Args: []any{"a", "b"}}, "Champs inconnus : a, b", "Unknown fields: a, b"},
		{FieldError{Key: "fileType", Args: []any{"application/pdf", "image/jpeg", "image/png"}},
			"Le fichier choisi doit être au format PDF, JPG ou PNG", "The selected file must be a PDF, JPG or PNG"},
		{FieldError{Key: "fileSize", Args: []any{int64(5 << 20)}}, "Le fichier choisi doit peser moins de 5 Mo", "The selected file must be smaller than 5MB"},
		{FieldError{Key: "fileSize", Args: []any{int64(1536)}}, "Le fichier choisi doit peser moins de 1,5 ko", "The selected file must be smaller than 1.5KB"},
		{FieldError{Key: "fileEmpty"}, "Le fichier choisi est vide", "The selected file is empty"},
		{FieldError{Key: "somethingNew"}, "La valeur saisie n'est pas valide", "Enter a valid value"},
	}
	for _, tt := range tests {
		t.Run(tt.e.Key, func(t *testing.T) {
			assertEqual(t, "fr", plain(tt.e.Message("fr")), tt.fr)
			assertEqual(t, "en", tt.e.Message("en"), tt.en)
			assertEqual(t, "en-GB", tt.e.Message("en-GB"), tt.en)
			assertEqual(t, "unknown language is French", plain(tt.e.Message("de")), tt.fr)
		})
	}
}

func TestFormMessage(t *testing.T) {
	f := mustCompile(t, `{"type": "object", "properties": {
		"last_name": {"type": "string", "title": "Last name", "minLength": 2},
		"avs": {"type": "string", "title": "AVS number"},
		"room": {"title": "Room", "enum": ["a"]},
		"tags": {"title": "Catering", "type": "array", "items": {"enum": ["a"]}},
		"doc": {"title": "Floor plan", "type": "string", "format": "file"},
		"people": {"title": "People", "type": "array", "items": {"type": "object", "title": "Person",
			"properties": {"age": {"type": "integer", "title": "Age"}}}},
		"ok": {"type": "boolean", "const": true, "title": "I agree"}
	}}`, `{"room": {"ui:widget": "radio"}}`)
	tests := []struct {
		name   string
		e      FieldError
		fr, en string
	}{
		{"text required", FieldError{Pointer: "/last_name", Key: "required"}, "Remplissez le champ « Last name »", "Enter last name"},
		{"acronym keeps its case", FieldError{Pointer: "/avs", Key: "required"}, "Remplissez le champ « AVS number »", "Enter AVS number"},
		{"radio required", FieldError{Pointer: "/room", Key: "required"}, "Sélectionnez une réponse pour « Room »", "Select room"},
		{"checkboxes required", FieldError{Pointer: "/tags", Key: "required"}, "Cochez au moins une case pour « Catering »", "Select at least one option for catering"},
		{"file required", FieldError{Pointer: "/doc", Key: "required"}, "Joignez un fichier pour « Floor plan »", "Upload floor plan"},
		{"repeat required", FieldError{Pointer: "/people", Key: "required"}, "Ajoutez au moins un élément à « People »", "Add at least one item to people"},
		{"repeat minItems", FieldError{Pointer: "/people", Key: "minItems", Args: []any{2}}, "Ajoutez au moins 2 éléments à « People »", "Add at least 2 items to people"},
		{"repeat maxItems", FieldError{Pointer: "/people", Key: "maxItems", Args: []any{5}}, "Vous pouvez ajouter au plus 5 éléments à « People »", "You can add no more than 5 items to people"},
		{"item field", FieldError{Pointer: "/people/2/age", Key: "type", Args: []any{"integer"}}, "« Age (Person 3) » doit être un nombre entier", "Age (Person 3) must be a whole number"},
		{"minLength", FieldError{Pointer: "/last_name", Key: "minLength", Args: []any{2}}, "« Last name » doit comporter au moins 2 caractères", "Last name must be 2 characters or more"},
		{"consent", FieldError{Pointer: "/ok", Key: "consent"}, "Vous devez cocher cette case", "You must tick this box"},
		{"unknown pointer", FieldError{Pointer: "/zz", Key: "required"}, "Ce champ est obligatoire", "This field is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertEqual(t, "fr", plain(f.Message(tt.e, "fr")), tt.fr)
			assertEqual(t, "en", f.Message(tt.e, "en"), tt.en)
		})
	}
}

// TestErrorsGolden records the messages of a bad room booking submission,
// in both languages. Run with -update after a deliberate wording change.
func TestErrorsGolden(t *testing.T) {
	f := roomBooking(t)
	post := url.Values{
		"last_name":            {"D"},
		"email":                {"anne.dupont@"},
		"phone":                {"021"},
		"address.street":       {"Rue du Lac 12"},
		"address.postcode":     {"10000"},
		"event_date":           {"31.02.2026"},
		"duration_hours":       {"deux heures"},
		"attendees":            {"250"},
		"room":                 {"cave"},
		"equipment.0.item":     {"projector"},
		"equipment.0.quantity": {"0"},
		"equipment.1.quantity": {"3"},
		"remarks":              {strings.Repeat("bla ", 260)},
	}
	files := map[string][]*multipart.FileHeader{"programme": {upload(t, "programme", "setup.exe", "application/x-msdownload", exeBytes)}}
	res, err := f.Decode(-1, nil, Post{Values: post, Files: files, SaveFile: (&saver{}).save})
	if err != nil {
		t.Fatal(err)
	}
	errs := f.Merge(res.Errors, f.Validate(res.Data))
	var sb strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&sb, "%s\t%s\n\tfr: %s\n\ten: %s\n\tfr (no label): %s\n", e.Pointer, e.Key, f.Message(e, "fr"), f.Message(e, "en"), e.Message("fr"))
	}
	got := sb.String()
	const golden = "testdata/errors.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestErrorsGolden -update)", err)
	}
	if got != string(want) {
		t.Errorf("messages differ from %s (run with -update if intended):\n%s", golden, got)
	}
}
