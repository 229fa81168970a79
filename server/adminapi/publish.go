package adminapi

import (
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

func (h *Handler) checkProcedure(c *fiber.Ctx) error {
	o, def, err := h.draft(c)
	if err != nil {
		return err
	}
	probs, err := h.problems(ctx(c), o.ID, def)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"ok": len(probs) == 0, "problems": problemsOf(probs, apiLang(c))})
}

// publishProcedure freezes the draft as the next version. Dossiers already
// made stay pinned to their version.
func (h *Handler) publishProcedure(c *fiber.Ctx) error {
	o, def, err := h.draft(c)
	if err != nil {
		return err
	}
	v, err := h.rt.PublishDefinition(ctx(c), def, h.userID(c))
	var pe *runtime.ProblemsError
	switch {
	case errors.As(err, &pe):
		return definitionProblems(pe.Problems, apiLang(c))
	case errors.Is(err, store.ErrConflict):
		return problem(fiber.StatusConflict, inLang(apiLang(c),
			"une autre publication de "+o.Slug+" a eu lieu au même moment : rechargez la page et réessayez",
			"another publication of "+o.Slug+" happened at the same time: reload and try again"))
	case err != nil:
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(versionOf(v, v.Version))
}

func (h *Handler) archiveProcedure(c *fiber.Ctx) error {
	return h.setStatus(c, func(*store.ProcedureOverview) string { return store.StatusArchived })
}

// unarchiveProcedure puts a procedure back: published when it has a
// version, else a draft.
func (h *Handler) unarchiveProcedure(c *fiber.Ctx) error {
	return h.setStatus(c, func(o *store.ProcedureOverview) string {
		if o.CurrentVersion > 0 {
			return store.StatusPublished
		}
		return store.StatusDraft
	})
}

func (h *Handler) setStatus(c *fiber.Ctx, status func(*store.ProcedureOverview) string) error {
	o, err := h.overview(c)
	if err != nil {
		return err
	}
	now := h.now().UTC()
	if err := store.SetProcedureStatus(ctx(c), h.db.Write, o.ID, status(o), now); err != nil {
		return err
	}
	h.rt.Invalidate() // the portal's catalogue drops or shows it now
	o.Status, o.UpdatedAt = status(o), now
	return c.JSON(summarize(o))
}
