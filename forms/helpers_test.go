package forms

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"os"
	"reflect"
	"testing"
)

// roomBooking compiles the realistic multi-page form of testdata.
func roomBooking(tb testing.TB) *Form {
	tb.Helper()
	schema, err := os.ReadFile("testdata/room_booking.schema.json")
	if err != nil {
		tb.Fatal(err)
	}
	ui, err := os.ReadFile("testdata/room_booking.ui.json")
	if err != nil {
		tb.Fatal(err)
	}
	f, err := Compile(schema, ui)
	if err != nil {
		tb.Fatalf("Compile room booking: %v", err)
	}
	return f
}

// mustCompile compiles a schema written in a test.
func mustCompile(tb testing.TB, schema, ui string) *Form {
	tb.Helper()
	f, err := Compile([]byte(schema), []byte(ui))
	if err != nil {
		tb.Fatalf("Compile: %v", err)
	}
	return f
}

// upload builds a real *multipart.FileHeader by encoding and parsing a
// multipart body, as net/http would.
func upload(tb testing.TB, name, filename, contentType string, content []byte) *multipart.FileHeader {
	tb.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+name+`"; filename="`+filename+`"`)
	h.Set("Content-Type", contentType)
	part, err := w.CreatePart(h)
	if err != nil {
		tb.Fatal(err)
	}
	part.Write(content)
	w.Close()
	form, err := multipart.NewReader(&body, w.Boundary()).ReadForm(1 << 20)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { form.RemoveAll() })
	return form.File[name][0]
}

// Sample file contents that http.DetectContentType recognises.
var (
	pdfBytes = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
	pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
	exeBytes = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
)

// fullPost is a complete, valid submission of the room booking form.
func fullPost() url.Values {
	return url.Values{
		"first_name":           {"  Anne "},
		"last_name":            {"Dupont"},
		"email":                {"anne.dupont@example.ch"},
		"phone":                {"+41 21 555 12 34"},
		"address.street":       {"Rue du Lac 12"},
		"address.postcode":     {"1000"},
		"address.city":         {"Lausanne"},
		"event_date":           {"14.03.2026"},
		"duration_hours":       {"2,5"},
		"attendees":            {"45"},
		"room":                 {"salle-b"},
		"catering":             {"coffee", "aperitif"},
		"equipment.0.item":     {"projector"},
		"equipment.0.quantity": {"1"},
		"equipment.1.item":     {"chairs"},
		"equipment.1.quantity": {"45"},
		"remarks":              {"Accès\r\nchaise roulante"},
		"source":               {"portal"},
		"consent":              {"on"},
	}
}

// roundTrip encodes v to JSON and back, as a stored dossier would be.
func roundTrip(tb testing.TB, v any) map[string]any {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

func assertEqual(tb testing.TB, what string, got, want any) {
	tb.Helper()
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("%s:\n got  %#v\n want %#v", what, got, want)
	}
}

// keys lists "pointer key" of errors, for compact comparisons.
func keys(errs []FieldError) []string {
	out := []string{}
	for _, e := range errs {
		out = append(out, e.Pointer+" "+e.Key)
	}
	return out
}
