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
//	ui:showIf       (Guichet's key) show the field only when another one
//	                has a value: {"field": "/room", "equals": "salle-communale"},
//	                {"field": "/room", "in": ["aula", "salle-b"]} or
//	                {"field": "/newsletter", "checked": true}; see below.
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
//
// # Conditional fields
//
// "ui:showIf" shows a field only when a controlling field has one of some
// values. "field" is the JSON pointer of the controlling field's value,
// written from the root with "-" for the index of a repeat item
// ("/equipment/-/item": the item the dependent field is in). Exactly one
// operator follows:
//
//	"equals": v        a select, radio or hidden choice holds v; a
//	                   checkboxes field has v among its ticked values
//	"in": [v1, v2, …]  the same, for any of the values
//	"checked": true    a boolean (checkbox) is ticked; false: unticked
//
// The values must be among the controlling field's choices. The
// controlling field must come before the dependent one in form order (on
// an earlier page, or earlier on the same page) and sit in the same object
// as the dependent field or in an enclosing one (the root, a fieldset, a
// repeat item). The condition is false while the controlling field is
// unanswered, and while the controlling field is itself hidden.
//
// A field hidden by its condition is never required. The schema therefore
// does not list it in the plain "required" of its object (a compile error)
// but in an "if"/"then" rule of "allOf" in the object that holds the
// controlling field, one rule per conditional field, whose "if" mirrors
// ui:showIf exactly:
//
//	"allOf": [{
//	  "if": {"properties": {"room": {"const": "salle-polyvalente"}}, "required": ["room"]},
//	  "then": {"required": ["tables"]}
//	}]
//
// "in" is written {"enum": [v1, v2]}, "checked" {"const": true}; on a
// checkboxes field the value schema is wrapped in "contains" ({"contains":
// {"const": v}}). The if's "required" makes the rule off while the
// controlling field is unanswered. When the dependent field is deeper than
// the controlling one, "then" goes down to it through "properties" (and
// "items" for repeat groups): {"properties": {"address": {"required":
// ["canton"]}}}. A conditional field without such a rule is optional when
// shown; a rule whose "then" requires a conditional field under another
// condition is a compile error. Other "if"/"then" rules (RJSF style) are
// left alone: jsonschema evaluates them as usual.
//
// [Form.Bind] marks a field Hidden when its condition is false on the data.
// A field whose controlling field is on an earlier page is then not
// rendered at all; one whose controlling field is on the same page (no
// script ever runs) is rendered anyway, with Condition.Hint ("À remplir
// seulement si « Salle » est « Salle communale »"). [Form.Decode] drops
// the values of every field whose condition is false, and
// [Form.Summary] leaves hidden fields out.
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
// Items, Error, Hidden and the bound parts of Condition) is filled by
// [Form.Bind].
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
	// Condition is the field's "ui:showIf", nil for a field always shown.
	Condition *Condition

	// Bound state.
	Value   string   // scalar value as typed (or the file ID)
	Values  []string // checkboxes
	Checked bool     // checkbox
	Error   string   // message of the first error on this field, in the bound language
	// Hidden is true when the field has a Condition that is false on the
	// bound data. Templates leave a hidden field out unless
	// Condition.SamePage (then they show it with Condition.Hint).
	Hidden bool
}

// Condition says when a field is shown ("ui:showIf"): when the
// controlling field, which comes before it, has one of Values (or, for a
// checkbox, is ticked as Checked says). The texts are in the bound
// language (French for unbound pages).
type Condition struct {
	Field   string   // pointer of the controlling field as written: "/room", "/equipment/-/item"
	Pointer string   // bound: pointer of the controlling value ("/equipment/2/item")
	Label   string   // label of the controlling field
	Op      string   // "equals", "in" or "checked"
	Values  []string // equals, in: the option values that show the field
	Labels  []string // equals, in: their labels
	Checked bool     // checked: the state of the checkbox that shows the field
	// SamePage is true when the controlling field is on the page being
	// bound (always for Bind(-1, …)): the answer may still change on this
	// page, so the field is rendered whatever its state, with Hint.
	SamePage bool
	Text     string // the condition in words: « Salle » est « Salle communale »
	Hint     string // the hint for SamePage: À remplir seulement si « Salle » est « Salle communale »
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
