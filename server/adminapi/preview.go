package adminapi

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/web"
)

// formPreviewRequest is a form as the builder edits it, with answers.
type formPreviewRequest struct {
	Schema   json.RawMessage `json:"schema"`
	UISchema json.RawMessage `json:"uiSchema"`
	Data     map[string]any  `json:"data"`
	Validate bool            `json:"validate"`
	Page     int             `json:"page"`
	Lang     string          `json:"lang"`
}

type previewError struct {
	Pointer string `json:"pointer"`
	Detail  string `json:"detail"`
	Page    int    `json:"page"`
}

type pageView struct {
	Index int    `json:"index"`
	Title string `json:"title"`
}

// compileForm compiles a schema and UI schema of the request body; a
// compile error is a 422 pointing into it (/schema/… or /uiSchema/…).
func compileForm(schema, uiSchema json.RawMessage) (*forms.Form, error) {
	if len(bytes.TrimSpace(schema)) == 0 || string(schema) == "null" {
		return nil, invalid("/schema", "a form schema is required")
	}
	if string(uiSchema) == "null" {
		uiSchema = nil
	}
	f, err := forms.Compile(schema, uiSchema)
	var ce *forms.CompileError
	if errors.As(err, &ce) {
		ptr := "/schema" + ce.Pointer
		if ce.Source == "ui" {
			ptr = "/uiSchema" + ce.Pointer
		}
		return nil, problem(fiber.StatusUnprocessableEntity, ce.Error(), httpx.FieldProblem{Pointer: ptr, Detail: ce.Msg})
	}
	return f, err
}

// previewForm renders one page of fields with the portal's templates, so
// the builder shows what applicants get, errors included.
func (h *Handler) previewForm(c *fiber.Ctx) error {
	var in formPreviewRequest
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	f, err := compileForm(in.Schema, in.UISchema)
	if err != nil {
		return err
	}
	if in.Page < -1 || in.Page >= f.PageCount() {
		return invalid("/page", "page must be -1 (all fields) or between 0 and %d", f.PageCount()-1)
	}
	lang := httpx.Lang(c)
	if in.Lang != "" {
		lang = web.Lang(in.Lang)
	}
	if in.Data == nil {
		in.Data = map[string]any{}
	}
	var errs []forms.FieldError
	if in.Validate {
		errs = f.Validate(in.Data)
	}
	var html bytes.Buffer
	if err := h.r.RenderFields(&html, lang, f.Bind(in.Page, in.Data, errs, lang)); err != nil {
		return err
	}
	out := fiber.Map{"html": html.String(), "errors": previewErrors(f, errs, lang), "pages": pagesOf(f), "page": in.Page}
	return c.JSON(out)
}

func previewErrors(f *forms.Form, errs []forms.FieldError, lang string) []previewError {
	out := make([]previewError, 0, len(errs))
	for _, e := range errs {
		out = append(out, previewError{Pointer: e.Pointer, Detail: f.Message(e, lang), Page: f.PageOf(e.Pointer)})
	}
	return out
}

func pagesOf(f *forms.Form) []pageView {
	out := make([]pageView, 0, f.PageCount())
	for _, p := range f.Pages() {
		out = append(out, pageView{Index: p.Index, Title: p.Title})
	}
	return out
}
