package forms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// schemaURL names the schema inside the compiler. The .invalid domain is
// never fetched: every load is refused.
const schemaURL = "https://forms.guichet.invalid/schema.json"

// Form is a compiled schema and UI schema: the field tree, its pages and
// the validator. A *Form is immutable and safe for concurrent use; compile
// it once per form version and share it.
type Form struct {
	schema   []byte
	uiSchema []byte
	doc      any // the parsed schema, to read keyword values for errors
	compiled *jsonschema.Schema
	title    string
	top      []*node // top-level fields in form order, page after page
	byName   map[string]*node
	pages    []pageDef
	conds    bool // some field has a ui:showIf
}

type pageDef struct {
	title string
	nodes []*node
}

// CompileError says why a schema or UI schema cannot make a form, and
// where: Source is "schema" or "ui", Pointer a JSON pointer in that
// document.
type CompileError struct {
	Source  string
	Pointer string
	Msg     string
	Err     error // the underlying error, e.g. a *jsonschema.SchemaError
}

// Error reads "forms: <source> <pointer>: <message>".
func (e *CompileError) Error() string {
	where := e.Source
	if e.Pointer != "" {
		where += " " + e.Pointer
	}
	return "forms: " + where + ": " + e.Msg
}

// Unwrap returns the underlying error, if any.
func (e *CompileError) Unwrap() error { return e.Err }

// Compile checks schema (JSON Schema draft 2020-12) and uiSchema (may be
// empty) and builds the form. References may only be local ("#/$defs/…");
// nothing is ever loaded from a URL or a file. The error is a
// *CompileError.
func Compile(schema, uiSchema []byte) (*Form, error) {
	doc, err := parseOrdered(schema)
	if err != nil {
		return nil, &CompileError{Source: "schema", Msg: "not valid JSON: " + err.Error(), Err: err}
	}
	root, ok := doc.(*object)
	if !ok {
		return nil, schemaErr("", "the schema must be a JSON object")
	}
	var ui *object
	if len(bytes.TrimSpace(uiSchema)) > 0 {
		uv, err := parseOrdered(uiSchema)
		if err != nil {
			return nil, &CompileError{Source: "ui", Msg: "not valid JSON: " + err.Error(), Err: err}
		}
		if ui, ok = uv.(*object); !ok {
			return nil, uiErr("", "the UI schema must be a JSON object")
		}
	}
	compiled, err := compileSchema(schema)
	if err != nil {
		return nil, err
	}
	b := &builder{root: root}
	rootS, err := b.deref(root, "")
	if err != nil {
		return nil, err
	}
	if kind, _ := b.kindOf(rootS, ""); kind != "object" {
		return nil, schemaErr("", "the root of a form schema must be an object with properties")
	}
	top, err := b.properties(rootS, ui, "", "", 0)
	if err != nil {
		return nil, err
	}
	texts, err := uiStrings(ui, "", "ui:title")
	if err != nil {
		return nil, err
	}
	f := &Form{
		schema:   bytes.Clone(schema),
		uiSchema: bytes.Clone(uiSchema),
		doc:      root,
		compiled: compiled,
		title:    firstOf(texts["ui:title"], rootS.str("title")),
		byName:   make(map[string]*node, len(top)),
	}
	for _, n := range top {
		f.byName[n.name] = n
	}
	if f.pages, err = f.buildPages(top, ui); err != nil {
		return nil, err
	}
	for i, p := range f.pages {
		for _, n := range p.nodes {
			n.index, n.page = len(f.top), i
			f.top = append(f.top, n)
		}
	}
	if err := f.compileConditions(rootS); err != nil {
		return nil, err
	}
	return f, nil
}

// compileSchema compiles with jsonschema v5, refusing every remote load.
func compileSchema(schema []byte) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("loading %s is not allowed: use local references such as \"#/$defs/address\"", u)
	}
	c.Formats["file"] = func(v any) bool {
		s, ok := v.(string)
		return !ok || s != ""
	}
	if err := c.AddResource(schemaURL, bytes.NewReader(schema)); err != nil {
		return nil, &CompileError{Source: "schema", Msg: err.Error(), Err: err}
	}
	compiled, err := c.Compile(schemaURL)
	if err == nil {
		return compiled, nil
	}
	msg := err.Error()
	var se *jsonschema.SchemaError
	if errors.As(err, &se) && se.Err != nil {
		msg = se.Err.Error() // without "jsonschema <url> compilation failed"
	}
	msg = strings.ReplaceAll(msg, schemaURL, "")
	ce := &CompileError{Source: "schema", Msg: "invalid JSON Schema: " + msg, Err: err}
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		// Not a valid draft 2020-12 schema: report the first leaf.
		for len(ve.Causes) > 0 {
			ve = ve.Causes[0]
		}
		ce.Pointer, ce.Msg = ve.InstanceLocation, "invalid JSON Schema: "+ve.Message
	}
	return nil, ce
}

// buildPages splits the top-level fields along "ui:pages". Within a page
// fields keep the form order; fields no page lists go on the last one.
func (f *Form) buildPages(top []*node, ui *object) ([]pageDef, error) {
	raw, ok := ui.get("ui:pages")
	if !ok {
		return []pageDef{{title: f.title, nodes: top}}, nil
	}
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		return nil, uiErr("/ui:pages", "ui:pages must be a non-empty list of {\"title\": …, \"fields\": […]}")
	}
	pages := make([]pageDef, len(list))
	onPage := map[string]int{}
	for i, rp := range list {
		path := fmt.Sprintf("/ui:pages/%d", i)
		p, ok := rp.(*object)
		if !ok {
			return nil, uiErr(path, "a page must be an object with \"title\" and \"fields\"")
		}
		texts, err := uiStrings(p, path, "title")
		if err != nil {
			return nil, err
		}
		pages[i].title = texts["title"]
		fields, ok := p.vals["fields"].([]any)
		if !ok {
			return nil, uiErr(path+"/fields", "fields must be a list of property names")
		}
		for j, rf := range fields {
			name, _ := rf.(string)
			fpath := fmt.Sprintf("%s/fields/%d", path, j)
			if f.byName[name] == nil {
				return nil, uiErr(fpath, "ui:pages names unknown property %q", name)
			}
			if prev, dup := onPage[name]; dup {
				return nil, uiErr(fpath, "property %q is already on page %d", name, prev+1)
			}
			onPage[name] = i
		}
	}
	for _, n := range top {
		i, ok := onPage[n.name]
		if !ok {
			i = len(pages) - 1
		}
		pages[i].nodes = append(pages[i].nodes, n)
	}
	for i, p := range pages {
		if len(p.nodes) == 0 {
			return nil, uiErr(fmt.Sprintf("/ui:pages/%d", i), "page %d has no fields", i+1)
		}
	}
	return pages, nil
}

// Schema returns a copy of the JSON Schema the form was compiled from.
func (f *Form) Schema() json.RawMessage { return bytes.Clone(f.schema) }

// UISchema returns a copy of the UI schema the form was compiled from.
func (f *Form) UISchema() json.RawMessage { return bytes.Clone(f.uiSchema) }

// Title returns the form's title: the root "ui:title" or "title".
func (f *Form) Title() string { return f.title }

// PageCount returns the number of pages; a form without "ui:pages" has one.
func (f *Form) PageCount() int { return len(f.pages) }

// Pages returns every page with its unbound fields. The result is a fresh
// deep copy that the caller may change.
func (f *Form) Pages() []Page {
	out := make([]Page, len(f.pages))
	for i := range f.pages {
		out[i] = f.bind(i, nil, nil, "", false)
	}
	return out
}

// PageOf returns the page holding the value at pointer (for example
// "/equipment/1/quantity"), or -1 when no field of the form holds it.
func (f *Form) PageOf(pointer string) int {
	toks := splitPointer(pointer)
	if len(toks) == 0 {
		return -1
	}
	if n := f.byName[toks[0]]; n != nil {
		return n.page
	}
	return -1
}
