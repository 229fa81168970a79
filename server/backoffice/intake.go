package backoffice

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// Intake: an agent records a request made at the counter, by phone or by
// mail, through the procedure's whole form on one page. Procedures for
// agents only are offered too; an agent sees those they process, an
// admin all of them.

func intakeURL(slug string) string { return "/backoffice/saisie/" + slug }

func (h *Handler) listIntake(c *fiber.Ctx) error {
	a := actor(c)
	cat, err := h.rt.Catalogue(c.UserContext())
	if err != nil {
		return err
	}
	page := web.IntakeListPage{}
	for _, p := range cat {
		if p.Form != nil && a.Processes(p.ProcedureID) {
			page.Items = append(page.Items, web.IntakeItem{Title: p.Def.Title, Summary: p.Def.Summary,
				URL: intakeURL(p.Def.Slug), AgentsOnly: p.Def.Audience == builder.AudienceAgents})
		}
	}
	return h.pages.Render(c, fiber.StatusOK, "intake", t(c, "intake.title"), false, page)
}

// intakeProcedure returns the procedure of the URL if the agent may
// record requests for it.
func (h *Handler) intakeProcedure(c *fiber.Ctx) (*runtime.Compiled, error) {
	p, err := h.rt.Published(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	if p.Form == nil || !actor(c).Processes(p.ProcedureID) {
		return nil, store.ErrNotFound
	}
	return p, nil
}

// intakeForm is what renders the intake form.
type intakeForm struct {
	p      *runtime.Compiled
	data   map[string]any
	errs   []forms.FieldError
	nonce  string
	status int
}

func (h *Handler) renderIntake(c *fiber.Ctx, st intakeForm) error {
	bound := st.p.Form.Bind(-1, st.data, st.errs, httpx.Lang(c))
	page := web.IntakeFormPage{ProcedureTitle: st.p.Def.Title, Summary: st.p.Def.Summary, Action: intakeURL(st.p.Def.Slug),
		Nonce: st.nonce, Page: bound, HasFiles: hasFileField(bound.Fields), Errors: web.FieldErrors(bound.Fields),
		BackURL: "/backoffice/saisie"}
	status := st.status
	if status == 0 {
		status = fiber.StatusOK
	}
	return h.pages.Render(c, status, "intake_form", st.p.Def.Title, len(page.Errors) > 0, page)
}

func (h *Handler) showIntake(c *fiber.Ctx) error {
	p, err := h.intakeProcedure(c)
	if err != nil {
		return err
	}
	return h.renderIntake(c, intakeForm{p: p, data: map[string]any{}, nonce: store.NewToken()})
}

// submitIntake creates the dossier, created by the agent, and opens it.
// The page's nonce is the idempotency key: a double click makes one
// dossier.
func (h *Handler) submitIntake(c *fiber.Ctx) error {
	p, err := h.intakeProcedure(c)
	if err != nil {
		return err
	}
	a := actor(c)
	st := intakeForm{p: p, nonce: c.FormValue("_nonce")}
	if len(st.nonce) != 43 {
		st.nonce = store.NewToken()
	}
	dec, err := h.decodeForm(c, p.Form, staffOwner(a))
	if err != nil {
		return err
	}
	st.data, st.errs = dec.data, dec.errs
	if dec.repeat {
		return h.renderIntake(c, st)
	}
	if len(st.errs) > 0 {
		st.status = fiber.StatusUnprocessableEntity
		return h.renderIntake(c, st)
	}
	by := a.User.ID
	rc, err := h.rt.Submit(c.UserContext(), runtime.Submission{Procedure: p, Data: st.data, IdempotencyKey: st.nonce,
		FileOwner: staffOwner(a), CreatedBy: &by, Channel: "intake"})
	var ve *forms.ValidationError
	if errors.As(err, &ve) {
		st.errs, st.status = ve.Errors, fiber.StatusUnprocessableEntity
		return h.renderIntake(c, st)
	}
	if err != nil {
		return err
	}
	return h.redirect(c, dossierURL(rc.DossierID), t(c, "flash.intake", rc.Reference))
}
