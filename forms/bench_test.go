package forms

import (
	"encoding/json"
	"os"
	"testing"
)

func BenchmarkCompile(b *testing.B) {
	schema, _ := os.ReadFile("testdata/room_booking.schema.json")
	ui, _ := os.ReadFile("testdata/room_booking.ui.json")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(schema, ui); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeValidate decodes a full post of the room booking form
// and validates the result, as the portal does on the last step.
func BenchmarkDecodeValidate(b *testing.B) {
	f := roomBooking(b)
	post := fullPost()
	b.ReportAllocs()
	for b.Loop() {
		res, err := f.Decode(-1, nil, Post{Values: post})
		if err != nil {
			b.Fatal(err)
		}
		if errs := f.Merge(res.Errors, f.Validate(res.Data)); len(errs) != 0 {
			b.Fatal(errs)
		}
	}
}

// BenchmarkValidateJSON decodes a JSON submission and validates it, as
// the public API does.
func BenchmarkValidateJSON(b *testing.B) {
	f := roomBooking(b)
	res, err := f.Decode(-1, nil, Post{Values: fullPost()})
	if err != nil {
		b.Fatal(err)
	}
	body, _ := json.Marshal(res.Data)
	b.ReportAllocs()
	for b.Loop() {
		var data any
		if err := json.Unmarshal(body, &data); err != nil {
			b.Fatal(err)
		}
		if errs := f.Validate(data); len(errs) != 0 {
			b.Fatal(errs)
		}
	}
}

func BenchmarkBind(b *testing.B) {
	f := roomBooking(b)
	res, _ := f.Decode(-1, nil, Post{Values: fullPost()})
	b.ReportAllocs()
	for b.Loop() {
		_ = f.Bind(-1, res.Data, nil, "fr")
	}
}
