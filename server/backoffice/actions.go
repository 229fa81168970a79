package backoffice

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// The dossier page's actions post here; each one answers with a redirect
// to the dossier and a flash message when done (POST/redirect/GET), or
// with the dossier page again, what was typed kept, when it was invalid
// (422) or refused (403, 409).

// actionFailed shows the dossier page again for an action the runtime
// refused or found invalid; other errors go to the error handler. Nothing
// was written, so v still holds.
func (h *Handler) actionFailed(c *fiber.Ctx, v *runtime.DossierView, st *actionState, err error) error {
	if err == nil {
		// Only when asked why an action the page did not offer is
		// refused, and the dossier changed meanwhile so that it is not:
		// show the page as it is now.
		return h.redirect(c, dossierURL(v.Dossier.ID), "")
	}
	var ve *forms.ValidationError
	var ae *runtime.ActionError
	switch {
	case errors.As(err, &ve):
		st.errs, st.status = ve.Errors, fiber.StatusUnprocessableEntity
	case errors.As(err, &ae):
		st.refusal, st.status = ae.In(httpx.Lang(c)), fiber.StatusConflict
		if ae.Forbidden() {
			st.status = fiber.StatusForbidden
		}
	default:
		return err
	}
	return h.renderDossier(c, v, st)
}

func (h *Handler) fireTransition(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), actor(c)
	v, err := h.rt.Dossier(ctx, a, c.Params("id"))
	if err != nil {
		return err
	}
	id := c.Params("transition")
	st := &actionState{target: "transition-" + id}
	if !slices.ContainsFunc(v.Transitions, func(tr *builder.Transition) bool { return tr.ID == id }) {
		// Not offered to this agent now: the runtime says why, before the
		// form is read and its uploads stored.
		return h.actionFailed(c, v, st, h.rt.Fire(ctx, a, v.Dossier.ID, id, nil))
	}
	var data map[string]any
	f := transitionForm(v, id)
	if f != nil {
		dec, err := h.decodeForm(c, f, staffOwner(a))
		if err != nil {
			return err
		}
		st.data, st.errs = dec.data, dec.errs
		if dec.repeat {
			return h.renderDossier(c, v, st)
		}
		if len(dec.errs) > 0 {
			st.status = fiber.StatusUnprocessableEntity
			return h.renderDossier(c, v, st)
		}
		data = dec.data
	}
	if err := h.rt.Fire(ctx, a, v.Dossier.ID, id, data); err != nil {
		return h.actionFailed(c, v, st, err)
	}
	if f != nil {
		if err := h.attachUploads(ctx, f, data, staffOwner(a), v.Dossier.ID); err != nil {
			return err
		}
	}
	label := id
	if v.Procedure.Pipeline != nil && v.Procedure.Pipeline.Transitions[id] != nil {
		label = v.Procedure.Pipeline.Transitions[id].Label
	}
	return h.redirect(c, dossierURL(v.Dossier.ID), t(c, "flash.fired", label))
}

// transitionForm returns the form of transition id, nil when it has none
// (or does not exist: Fire says why).
func transitionForm(v *runtime.DossierView, id string) *forms.Form {
	if v.Procedure.Pipeline == nil {
		return nil
	}
	return v.Procedure.Pipeline.TransitionForms[id]
}

func (h *Handler) circulate(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), actor(c)
	v, err := h.rt.Dossier(ctx, a, c.Params("id"))
	if err != nil {
		return err
	}
	st := &actionState{target: "circulation", role: c.FormValue("role"), due: strings.TrimSpace(c.FormValue("due"))}
	invite := c.FormValue("mode") != "activate"
	if len(v.Circulable) == 0 {
		return h.actionFailed(c, v, st, h.rt.Circulate(ctx, a, v.Dossier.ID, st.role, invite, nil))
	}
	if st.role == "" {
		st.roleErr = t(c, "dossier.circulate.role.required")
	}
	var due *time.Time
	if st.due != "" {
		day, ok := parseDay(st.due)
		switch {
		case !ok:
			st.dueErr = t(c, "dossier.circulate.due.invalid")
		case !invite:
			st.dueErr = t(c, "dossier.circulate.due.activate")
		case runtime.EndOfDay(day).Before(h.rt.Now()):
			st.dueErr = t(c, "dossier.circulate.due.past")
		default:
			end := runtime.EndOfDay(day)
			due = &end
		}
	}
	if st.roleErr != "" || st.dueErr != "" {
		st.status = fiber.StatusUnprocessableEntity
		return h.renderDossier(c, v, st)
	}
	if err := h.rt.Circulate(ctx, a, v.Dossier.ID, st.role, invite, due); err != nil {
		return h.actionFailed(c, v, st, err)
	}
	key := "flash.invited"
	if !invite {
		key = "flash.activated"
	}
	return h.redirect(c, dossierURL(v.Dossier.ID), t(c, key, roleLabel(v.Procedure, st.role)))
}

// parseDay reads a date as a date input sends it (2026-12-15) or as
// people type it (15.12.2026), in Zurich.
func parseDay(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2.1.2006", "02.01.2006"} {
		if d, err := time.ParseInLocation(layout, s, runtime.Zurich); err == nil {
			return d, true
		}
	}
	return time.Time{}, false
}

func (h *Handler) returnOpinion(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), actor(c)
	v, err := h.rt.Dossier(ctx, a, c.Params("id"))
	if err != nil {
		return err
	}
	role := c.Params("role")
	if v.Procedure.Pipeline == nil || v.Procedure.Pipeline.OpinionForms[role] == nil {
		return store.ErrNotFound
	}
	f := v.Procedure.Pipeline.OpinionForms[role]
	st := &actionState{target: "opinion-" + role}
	if !slices.ContainsFunc(v.OpinionRoles, func(r *builder.Role) bool { return r.ID == role }) {
		return h.actionFailed(c, v, st, h.rt.ReturnOpinion(ctx, a, v.Dossier.ID, role, nil))
	}
	dec, err := h.decodeForm(c, f, staffOwner(a))
	if err != nil {
		return err
	}
	st.data, st.errs = dec.data, dec.errs
	if dec.repeat {
		return h.renderDossier(c, v, st)
	}
	if len(dec.errs) > 0 {
		st.status = fiber.StatusUnprocessableEntity
		return h.renderDossier(c, v, st)
	}
	if err := h.rt.ReturnOpinion(ctx, a, v.Dossier.ID, role, dec.data); err != nil {
		return h.actionFailed(c, v, st, err)
	}
	if err := h.attachUploads(ctx, f, dec.data, staffOwner(a), v.Dossier.ID); err != nil {
		return err
	}
	return h.redirect(c, dossierURL(v.Dossier.ID), t(c, "flash.opinion"))
}

// maxComment is the longest comment the runtime accepts, in bytes.
const maxComment = 20000

func (h *Handler) addComment(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), actor(c)
	v, err := h.rt.Dossier(ctx, a, c.Params("id"))
	if err != nil {
		return err
	}
	st := &actionState{target: "comment", text: strings.TrimSpace(c.FormValue("text"))}
	switch {
	case st.text == "":
		st.textErr = t(c, "dossier.comment.required")
	case len(st.text) > maxComment:
		st.textErr = t(c, "dossier.comment.too_long")
	}
	if st.textErr != "" {
		st.status = fiber.StatusUnprocessableEntity
		return h.renderDossier(c, v, st)
	}
	if err := h.rt.Comment(ctx, a, v.Dossier.ID, st.text); err != nil {
		return h.actionFailed(c, v, st, err)
	}
	return h.redirect(c, dossierURL(v.Dossier.ID), t(c, "flash.comment"))
}
