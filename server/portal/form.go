package portal

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// formState is what renders one step of a form.
type formState struct {
	p       *runtime.Compiled
	page    int // 0-based
	data    map[string]any
	errs    []forms.FieldError
	action  string
	back    string
	nonce   string
	status  int
	decoded bool
}

func (h *Handler) renderStep(c *fiber.Ctx, st formState) error {
	lang := httpx.Lang(c)
	f := st.p.Form
	bound := f.Bind(st.page, st.data, st.errs, lang)
	fp := web.FormPage{
		ProcedureSlug: st.p.Def.Slug, ProcedureTitle: st.p.Def.Title, Action: st.action,
		Page: bound, Step: st.page + 1, Steps: f.PageCount(), Nonce: st.nonce, BackURL: st.back,
		HasFiles: hasWidget(bound.Fields, forms.WidgetFile),
	}
	if st.page == 0 && st.p.Online != nil {
		fp.Intro = Markdown(st.p.Online.Body)
	}
	fp.Errors = errorLinks(bound.Fields)
	title := st.p.Def.Title
	if bound.Title != "" {
		title = bound.Title + " – " + st.p.Def.Title
	}
	status := st.status
	if status == 0 {
		status = fiber.StatusOK
	}
	return h.pages.Render(c, status, "form", title, len(fp.Errors) > 0, fp)
}

// errorLinks collects the error summary in form order.
func errorLinks(fs []forms.Field) []web.ErrorLink {
	var out []web.ErrorLink
	for _, f := range fs {
		if f.Hidden && (f.Condition == nil || !f.Condition.SamePage) {
			continue // not rendered
		}
		if f.Error != "" {
			out = append(out, web.ErrorLink{FieldID: f.ID, Message: f.Error})
		}
		out = append(out, errorLinks(f.Fields)...)
		for _, it := range f.Items {
			out = append(out, errorLinks(it)...)
		}
	}
	return out
}

func hasWidget(fs []forms.Field, w forms.Widget) bool {
	for _, f := range fs {
		if f.Widget == w || hasWidget(f.Fields, w) {
			return true
		}
	}
	return false
}

// onlineProcedure returns the public procedure with a form.
func (h *Handler) onlineProcedure(c *fiber.Ctx) (*runtime.Compiled, error) {
	p, err := h.publicProcedure(c)
	if err != nil {
		return nil, err
	}
	if p.Form == nil {
		return nil, store.ErrNotFound
	}
	return p, nil
}

func (h *Handler) showForm(c *fiber.Ctx) error {
	p, err := h.onlineProcedure(c)
	if err != nil {
		return err
	}
	h.owner(c)
	return h.renderStep(c, formState{p: p, page: 0, data: map[string]any{}, nonce: store.NewToken(),
		action: "/d/" + p.Def.Slug + "/form", back: "/d/" + p.Def.Slug})
}

// postForm handles the first step. A single-page form is submitted here
// with the page's nonce as idempotency key; a multi-page form becomes a
// draft whose ID is that nonce, so a double click makes one draft.
func (h *Handler) postForm(c *fiber.Ctx) error {
	p, err := h.onlineProcedure(c)
	if err != nil {
		return err
	}
	owner := h.owner(c)
	nonce := c.FormValue("_nonce")
	if len(nonce) != 43 {
		nonce = store.NewToken()
	}
	single := p.Form.PageCount() == 1
	page := 0
	st := formState{p: p, page: page, data: map[string]any{}, nonce: nonce,
		action: "/d/" + p.Def.Slug + "/form", back: "/d/" + p.Def.Slug}
	post, err := h.post(c, owner)
	if err != nil {
		return err
	}
	dec, err := p.Form.Decode(page, st.data, post)
	if err != nil {
		return decodeError(err)
	}
	st.data = dec.Data
	if dec.Action.Kind != "" {
		st.errs = dec.Errors
		return h.renderStep(c, st)
	}
	st.errs = p.Form.Merge(dec.Errors, p.Form.ValidatePage(page, st.data))
	if len(st.errs) > 0 {
		st.status = fiber.StatusUnprocessableEntity
		return h.renderStep(c, st)
	}
	if single {
		rc, err := h.rt.Submit(c.UserContext(), runtime.Submission{Procedure: p, Data: st.data,
			IdempotencyKey: nonce, FileOwner: owner, Channel: "portal"})
		if err != nil {
			var ve *forms.ValidationError
			if errors.As(err, &ve) {
				st.errs, st.status = ve.Errors, fiber.StatusUnprocessableEntity
				return h.renderStep(c, st)
			}
			return err
		}
		return c.Redirect("/d/"+p.Def.Slug+"/confirmation/"+rc.TrackingToken, fiber.StatusSeeOther)
	}
	if err := h.saveDraft(c, &store.Draft{ID: nonce, ProcedureID: p.ProcedureID, VersionID: p.VersionID, Owner: owner}, st.data); err != nil {
		return err
	}
	if next := nextStep(p.Form, st.data, 1); next > 0 {
		return c.Redirect(stepURL(p.Def.Slug, nonce, next), fiber.StatusSeeOther)
	}
	return c.Redirect(checkURL(p.Def.Slug, nonce), fiber.StatusSeeOther)
}

// nextStep returns the 1-based step after step n that has something to
// fill in on data (see forms.Form.PageShown), or 0 when none is left.
func nextStep(f *forms.Form, data map[string]any, n int) int {
	for next := n + 1; next <= f.PageCount(); next++ {
		if f.PageShown(next-1, data) {
			return next
		}
	}
	return 0
}

// prevStep returns the 1-based step before step n that has something to
// fill in on data, or 0 when none is.
func prevStep(f *forms.Form, data map[string]any, n int) int {
	for prev := n - 1; prev >= 1; prev-- {
		if f.PageShown(prev-1, data) {
			return prev
		}
	}
	return 0
}

func stepURL(slug, draft string, step int) string {
	return fmt.Sprintf("/d/%s/form/%s/etape/%d", slug, draft, step)
}

func checkURL(slug, draft string) string { return "/d/" + slug + "/form/" + draft + "/verifier" }

func (h *Handler) saveDraft(c *fiber.Ctx, d *store.Draft, data map[string]any) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	d.Data, d.UpdatedAt = b, now
	if d.CreatedAt.IsZero() {
		d.CreatedAt = now
	}
	return store.SaveDraft(c.UserContext(), h.db.Write, d)
}

// loadDraft returns this browser's draft of the URL with its pinned
// procedure version and data.
func (h *Handler) loadDraft(c *fiber.Ctx) (*store.Draft, *runtime.Compiled, map[string]any, error) {
	d, err := store.DraftByID(c.UserContext(), h.db.Read, c.Params("draft"), h.owner(c))
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := h.rt.Version(c.UserContext(), d.VersionID)
	if err != nil {
		return nil, nil, nil, err
	}
	if p.Def.Slug != c.Params("slug") || p.Form == nil {
		return nil, nil, nil, store.ErrNotFound
	}
	data := map[string]any{}
	if err := json.Unmarshal(d.Data, &data); err != nil {
		return nil, nil, nil, err
	}
	return d, p, data, nil
}

func stepParam(c *fiber.Ctx, p *runtime.Compiled) (int, error) {
	n, err := strconv.Atoi(c.Params("step"))
	if err != nil || n < 1 || n > p.Form.PageCount() {
		return 0, store.ErrNotFound
	}
	return n, nil
}

func (h *Handler) stepState(c *fiber.Ctx, d *store.Draft, p *runtime.Compiled, data map[string]any, n int) formState {
	st := formState{p: p, page: n - 1, data: data, action: stepURL(p.Def.Slug, d.ID, n)}
	if c.Query("retour") == "verifier" {
		st.action += "?retour=verifier"
	}
	if prev := prevStep(p.Form, data, n); prev > 0 {
		st.back = stepURL(p.Def.Slug, d.ID, prev)
	} else {
		st.back = "/d/" + p.Def.Slug
	}
	return st
}

func (h *Handler) showStep(c *fiber.Ctx) error {
	d, p, data, err := h.loadDraft(c)
	if err != nil {
		return err
	}
	if d.DossierID != nil {
		return h.redirectSubmitted(c, p, *d.DossierID)
	}
	n, err := stepParam(c, p)
	if err != nil {
		return err
	}
	return h.renderStep(c, h.stepState(c, d, p, data, n))
}

func (h *Handler) postStep(c *fiber.Ctx) error {
	d, p, data, err := h.loadDraft(c)
	if err != nil {
		return err
	}
	if d.DossierID != nil {
		return h.redirectSubmitted(c, p, *d.DossierID)
	}
	n, err := stepParam(c, p)
	if err != nil {
		return err
	}
	st := h.stepState(c, d, p, data, n)
	post, err := h.post(c, d.Owner)
	if err != nil {
		return err
	}
	dec, err := p.Form.Decode(st.page, data, post)
	if err != nil {
		return decodeError(err)
	}
	data, st.data = dec.Data, dec.Data
	// Keep what was typed (and uploaded) even when it has errors.
	if err := h.saveDraft(c, d, data); err != nil {
		return err
	}
	if dec.Action.Kind != "" {
		st.errs = dec.Errors
		return h.renderStep(c, st)
	}
	st.errs = p.Form.Merge(dec.Errors, p.Form.ValidatePage(st.page, data))
	if len(st.errs) > 0 {
		st.status = fiber.StatusUnprocessableEntity
		return h.renderStep(c, st)
	}
	// Steps whose fields are all hidden by earlier answers are skipped.
	if next := nextStep(p.Form, data, n); next > 0 && c.Query("retour") != "verifier" {
		return c.Redirect(stepURL(p.Def.Slug, d.ID, next), fiber.StatusSeeOther)
	}
	return c.Redirect(checkURL(p.Def.Slug, d.ID), fiber.StatusSeeOther)
}

// firstInvalidStep returns the 1-based step of the first error, or 0.
func firstInvalidStep(p *runtime.Compiled, errs []forms.FieldError) int {
	if len(errs) == 0 {
		return 0
	}
	return max(p.Form.PageOf(errs[0].Pointer), 0) + 1
}

func (h *Handler) showCheck(c *fiber.Ctx) error {
	d, p, data, err := h.loadDraft(c)
	if err != nil {
		return err
	}
	if d.DossierID != nil {
		return h.redirectSubmitted(c, p, *d.DossierID)
	}
	if n := firstInvalidStep(p, p.Form.Validate(data)); n > 0 {
		return c.Redirect(stepURL(p.Def.Slug, d.ID, n), fiber.StatusSeeOther)
	}
	lang := httpx.Lang(c)
	sections := p.Form.Summary(data, lang)
	h.nameFiles(c.UserContext(), d.Owner, sections)
	page := web.CheckAnswersPage{
		ProcedureSlug: p.Def.Slug, ProcedureTitle: p.Def.Title, Sections: sections,
		EditURL: func(i int) string { return stepURL(p.Def.Slug, d.ID, i+1) + "?retour=verifier" },
		Action:  "/d/" + p.Def.Slug + "/form/" + d.ID + "/envoyer", Nonce: d.ID,
	}
	return h.pages.Render(c, fiber.StatusOK, "check", web.T(lang, "check.title"), false, page)
}

func (h *Handler) postSubmit(c *fiber.Ctx) error {
	d, p, data, err := h.loadDraft(c)
	if err != nil {
		return err
	}
	if d.DossierID != nil {
		return h.redirectSubmitted(c, p, *d.DossierID)
	}
	if n := firstInvalidStep(p, p.Form.Validate(data)); n > 0 {
		return c.Redirect(stepURL(p.Def.Slug, d.ID, n), fiber.StatusSeeOther)
	}
	rc, err := h.rt.Submit(c.UserContext(), runtime.Submission{Procedure: p, Data: data,
		IdempotencyKey: d.ID, FileOwner: d.Owner, Channel: "portal"})
	if err != nil {
		return err
	}
	if err := store.MarkDraftSubmitted(c.UserContext(), h.db.Write, d.ID, rc.DossierID); err != nil {
		return err
	}
	return c.Redirect("/d/"+p.Def.Slug+"/confirmation/"+rc.TrackingToken, fiber.StatusSeeOther)
}

// redirectSubmitted sends a draft already submitted (back button, double
// click) to its confirmation instead of submitting twice.
func (h *Handler) redirectSubmitted(c *fiber.Ctx, p *runtime.Compiled, dossierID string) error {
	dos, err := store.DossierByID(c.UserContext(), h.db.Read, dossierID)
	if err != nil {
		return err
	}
	return c.Redirect("/d/"+p.Def.Slug+"/confirmation/"+dos.TrackingToken, fiber.StatusSeeOther)
}

// decodeError maps a forged repeat action to 400; other errors (reading
// or storing an upload) stay server errors.
func decodeError(err error) error {
	if errors.Is(err, forms.ErrInvalidAction) {
		return fiber.NewError(fiber.StatusBadRequest, "invalid form action")
	}
	return err
}
