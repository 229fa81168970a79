// Package forms turns a JSON Schema (draft 2020-12) and its RJSF-style UI
// schema into a form: an ordered tree of fields to render on the server,
// a decoder from an HTML form post into typed JSON, and a validator whose
// errors carry the JSON pointer of their field and a message in French or
// English. It knows nothing of HTTP or databases.
//
// A portal handler for one step of a multi-page form reads:
//
//	form, _ := forms.Compile(schema, uiSchema) // once per form version, cached
//	res, err := form.Decode(page, dossier.Data, forms.Post{Values: r.Values, Files: r.Files, SaveFile: save})
//	if err != nil { return err } // forged _action, upload I/O
//	errs := res.Errors
//	if res.Action.Kind == "" { // "next", not an add/remove button
//		errs = form.Merge(res.Errors, form.ValidatePage(page, res.Data))
//	}
//	view := form.Bind(page, res.Data, errs, lang) // re-render, or move on when errs is empty
//
// and the check-your-answers page renders form.Summary(data, lang).
//
// UI schema keys understood (RJSF names, so existing schemas carry over):
//
//	ui:order        ordering of an object's properties ("*" = the rest)
//	ui:widget       text, textarea, email, tel, date, file, password,
//	                hidden (strings); select, radio, hidden (choices);
//	                checkbox (booleans); checkboxes (arrays of choices)
//	ui:help         help text under the label (else the schema description)
//	ui:placeholder  placeholder of text inputs
//	ui:title        overrides the schema title as the label
//	ui:autocomplete HTML autocomplete token (e.g. "given-name")
//	ui:enumNames    labels of "enum" values, in order
//	ui:options      {"rows": 5, "inline": true, "addLabel": "…"}
//	ui:pages        (root only, Guichet's key) the steps of a multi-page
//	                form: [{"title": "…", "fields": ["name", "address"]}]
//	                Properties not listed go on the last page.
//
// Nested objects take the UI schema of their properties under the
// property's name, arrays under "items", as in RJSF. A UI key naming no
// property is a compile error, as is an unknown widget.
//
// Widgets follow the schema: strings are text (format email → email, date
// → date, file → file), numbers number, integers integer, booleans a
// checkbox, "enum" or a "oneOf" of {"const", "title"} a select, an array
// of such choices checkboxes, an object a fieldset and an array of
// objects a repeat group. Local "$ref"s ("#/$defs/address") are followed;
// nothing is ever loaded from a URL or a file. Property names must not
// contain "." (input names are dotted paths: "address.street",
// "equipment.0.name").
//
// File fields are strings with "format": "file"; their limits are schema
// keywords: "x-accept" (media types, "image/*" allowed) and "x-maxBytes".
// The stored value is the ID the caller's SaveFile returned.
package forms

// Widget names the HTML control a field renders as.
type Widget string

// The widgets the server renderer supports.
const (
	WidgetText       Widget = "text"
	WidgetTextarea   Widget = "textarea"
	WidgetEmail      Widget = "email"
	WidgetTel        Widget = "tel"
	WidgetNumber     Widget = "number"
	WidgetInteger    Widget = "integer"
	WidgetDate       Widget = "date"
	WidgetSelect     Widget = "select"
	WidgetRadio      Widget = "radio"
	WidgetCheckboxes Widget = "checkboxes" // array of enum
	WidgetCheckbox   Widget = "checkbox"   // boolean (consent)
	WidgetFieldset   Widget = "fieldset"   // nested object
	WidgetRepeat     Widget = "repeat"     // array of objects
	WidgetFile       Widget = "file"
	WidgetHidden     Widget = "hidden"
	WidgetPassword   Widget = "password"
)

// Option is one choice of a select, radio or checkboxes field.
type Option struct {
	Value    string
	Label    string
	Selected bool // bound state: this option is chosen
}

// Field is one node of the form tree, ready for a template. The schema
// part is fixed at compile time; the bound part (Value, Values, Checked,
// Items, Error) is filled by [Form.Bind].
type Field struct {
	Name         string // property name
	Pointer      string // JSON pointer of the value, e.g. /address/street, /equipment/0/name
	InputName    string // HTML name attribute: address.street, equipment.0.name
	ID           string // HTML id, unique in the page: f-address-street
	Label        string
	Help         string
	Placeholder  string
	Autocomplete string
	Widget       Widget
	Required     bool
	Options      []Option
	Fields       []Field   // fieldset: its children; repeat: the item template, index "-" (/equipment/-/name)
	Items        [][]Field // repeat: one child list per bound item (see [Form.Bind])
	MinItems     int
	MaxItems     int // 0: no limit
	AddLabel     string
	Accept       []string // file: accepted media types
	MaxBytes     int64    // file: size limit
	MinLength    *int
	MaxLength    *int
	Minimum      *float64
	Maximum      *float64
	Pattern      string
	Rows         int  // textarea
	Inline       bool // radio/checkboxes laid out inline

	// Bound state.
	Value   string   // scalar value as typed (or the file ID)
	Values  []string // checkboxes
	Checked bool     // checkbox
	Error   string   // message of the first error on this field, in the bound language
}

// Page is one step of a multi-page form. A single-page form has one Page.
type Page struct {
	Index  int // 0-based; -1 for Bind(-1, …), every field on one page
	Title  string
	Fields []Field
}

// FieldError is one validation problem, attached to the JSON pointer of
// the field it is about ("" for the whole form).
type FieldError struct {
	Pointer string
	Key     string // message key, e.g. "required", "minLength"
	Args    []any  // message arguments
	// Input is the text the applicant typed when it could not be stored
	// (a "type" error from [Form.Decode]); [Form.Bind] shows it again.
	Input string
}

// ValidationError lists every problem found in a submission.
type ValidationError struct {
	Errors []FieldError
}

// Error gives the first problem in English, or a count.
func (e *ValidationError) Error() string {
	if len(e.Errors) == 1 {
		return "validation failed: " + e.Errors[0].Pointer + ": " + e.Errors[0].Message("en")
	}
	return "validation failed"
}
