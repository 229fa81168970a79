package forms

import (
	"cmp"
	"errors"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Validate checks data (a decoded JSON document: maps, []any, float64 or
// json.Number numbers; other Go values are converted) against the whole
// schema. It returns at most one error per field, the most useful one
// (required, then type, then the others), in form order; nil when data is
// valid.
//
// Each jsonschema error becomes a [FieldError] on the pointer of its
// field: a "required" error on "/address" for "city" is reported on
// "/address/city", an enum error on "/tags/2" on the checkboxes "/tags".
// Errors of "allOf", "if"/"then"/"else" and other applicators land on the
// field they are about in the same way, so the rule that makes a
// conditional field required when shown (see the package doc) reports
// "required" on that field.
// Keys are the JSON Schema keywords, with these exceptions: const and enum
// are "enum" (as are type errors on fields with choices), and a missing or
// false checkbox declared "const": true is "consent".
func (f *Form) Validate(data any) []FieldError {
	v, _, err := normalize(data)
	if err != nil {
		return []FieldError{{Key: "type", Args: []any{"object"}}}
	}
	verr := f.compiled.Validate(v)
	if verr == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(verr, &ve) {
		return []FieldError{{Key: "invalid"}}
	}
	c := &collector{f: f, data: v, best: map[string]FieldError{}}
	c.walk(ve)
	out := make([]FieldError, 0, len(c.best))
	for _, e := range c.best {
		out = append(out, e)
	}
	return f.sortErrors(out)
}

// ValidatePage validates data like [Form.Validate] and keeps the errors
// of the fields on page (-1: all pages), so a step can be checked before
// the applicant moves on while later steps are still empty.
func (f *Form) ValidatePage(page int, data map[string]any) []FieldError {
	errs := f.Validate(data)
	if page == -1 {
		return errs
	}
	return slices.DeleteFunc(errs, func(e FieldError) bool { return f.PageOf(e.Pointer) != page })
}

// Merge combines error lists, for example those of [Form.Decode] and
// [Form.ValidatePage]: the first error for a pointer wins (so a "type"
// error from Decode hides the "required" that its missing value causes),
// and the result is in form order.
func (f *Form) Merge(lists ...[]FieldError) []FieldError {
	var out []FieldError
	seen := map[string]bool{}
	for _, list := range lists {
		for _, e := range list {
			if !seen[e.Pointer] {
				seen[e.Pointer] = true
				out = append(out, e)
			}
		}
	}
	return f.sortErrors(out)
}

// sortErrors orders errors as the fields appear in the form; errors on no
// field (pointer "") come first.
func (f *Form) sortErrors(errs []FieldError) []FieldError {
	keys := make(map[string][]int, len(errs))
	for _, e := range errs {
		keys[e.Pointer] = f.locate(e.Pointer).key
	}
	slices.SortStableFunc(errs, func(a, b FieldError) int {
		return cmp.Or(slices.Compare(keys[a.Pointer], keys[b.Pointer]), strings.Compare(a.Pointer, b.Pointer))
	})
	return errs
}

// rank orders error keys by how useful they are to the applicant.
func rank(key string) int {
	switch key {
	case "required", "consent":
		return 0
	case "type":
		return 1
	case "enum", "fileType", "fileSize", "fileEmpty":
		return 2
	case "format":
		return 3
	case "pattern":
		return 5
	case "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
		"exclusiveMaximum", "multipleOf", "minItems", "maxItems":
		return 4
	}
	return 6
}

// collector maps the leaves of a jsonschema error tree to field errors.
type collector struct {
	f    *Form
	data any
	best map[string]FieldError // pointer → most useful error
}

func (c *collector) walk(ve *jsonschema.ValidationError) {
	if len(ve.Causes) == 0 {
		c.leaf(ve)
		return
	}
	for _, cause := range ve.Causes {
		c.walk(cause)
	}
}

// add records an error on the field holding ptr, adjusting the key to the
// field, and keeps the most useful error per field.
func (c *collector) add(ptr, key string, args []any) {
	l := c.f.locate(ptr)
	if n := l.node; n != nil {
		exact := l.ptr == ptr
		ptr = l.ptr
		switch {
		case n.consent && exact && (key == "required" || key == "enum" || key == "type"):
			key, args = "consent", nil
		case n.field.Options != nil && (key == "type" || key == "enum"):
			key, args = "enum", nil
		}
	}
	e := FieldError{Pointer: ptr, Key: key, Args: args}
	if prev, ok := c.best[ptr]; ok {
		if r, pr := rank(key), rank(prev.Key); r > pr || (r == pr && key >= prev.Key) {
			return
		}
	}
	c.best[ptr] = e
}
