package adminapi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// renameRequest is the body of POST /procedures/{slug}/rename.
type renameRequest struct {
	Slug string `json:"slug"`
}

// renameProcedure gives a procedure a new slug. In one transaction the
// procedure and its draft document take the new slug (the draft's
// revision goes up, so an editor still open on the old slug gets 404 or
// 412, never overwrites it) and the old slug becomes an alias of the
// procedure: its portal and API addresses redirect to the new ones, its
// webhooks (/hooks/{old}.{id}) keep working. Published versions keep
// their stored definitions. Renaming back to an old slug removes that
// alias. An If-Match header, when sent, must be the draft's revision.
//
// It answers the procedure under its new slug (200, Location), 422 on
// /slug for a slug that creation would refuse, 409 when the slug is
// another procedure's slug or old slug.
func (h *Handler) renameProcedure(c *fiber.Ctx) error {
	var in renameRequest
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	to := strings.TrimSpace(in.Slug)
	ifRev, err := ifMatch(c)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		o, def, err := h.draft(c)
		if err != nil {
			return err
		}
		if ifRev != nil && *ifRev != o.DraftRevision {
			return problem(fiber.StatusPreconditionFailed, "the draft was saved elsewhere since you opened it: reload it before renaming")
		}
		if to == o.Slug {
			return h.sendProcedure(c, fiber.StatusOK, o)
		}
		def.Slug = to
		if probs := slugProblems(def, apiLang(c)); len(probs) > 0 {
			return problem(fiber.StatusUnprocessableEntity, probs[0].Detail, probs...)
		}
		raw, err := def.JSON()
		if err != nil {
			return err
		}
		now := h.now().UTC()
		var rev int
		err = h.db.Tx(ctx(c), func(tctx context.Context, tx bun.Tx) error {
			rev, err = store.RenameProcedure(tctx, tx, o.ID, o.Slug, to, o.DraftRevision, raw, now)
			return err
		})
		switch {
		case errors.Is(err, store.ErrSlugTaken):
			return slugTaken(to)
		case errors.Is(err, store.ErrStaleRevision) && attempt < 2:
			continue // saved or renamed meanwhile: read it again
		case errors.Is(err, store.ErrStaleRevision):
			return problem(fiber.StatusConflict, "the procedure was saved or renamed at the same time: reload it and try again")
		case err != nil:
			return err
		}
		h.rt.Invalidate() // cached versions, catalogue and integrations under the new slug now
		o.Slug, o.Draft, o.DraftRevision, o.UpdatedAt = to, raw, rev, now
		c.Location("/api/admin/procedures/" + to)
		return h.sendProcedure(c, fiber.StatusOK, o)
	}
}

// slugProblems returns what builder.Check says of def's slug, as field
// problems of /slug in lang (the rules of creation).
func slugProblems(def *builder.Procedure, lang string) []httpx.FieldProblem {
	var ps []builder.Problem
	for _, p := range builder.Check(def) {
		if p.Path == "$.slug" {
			ps = append(ps, p)
		}
	}
	return problemsOf(ps, lang)
}

// slugTaken is the 409 of a slug that another procedure has, or had.
func slugTaken(slug string) error {
	return problem(fiber.StatusConflict, fmt.Sprintf("the slug %q is taken: another procedure has it, or had it (its old addresses redirect there): choose another slug", slug))
}

// overview returns the procedure of the request's slug. An old slug of a
// renamed procedure is a 404 whose detail names the new slug, so that an
// editor left open on the old slug says what happened.
func (h *Handler) overview(c *fiber.Ctx) (*store.ProcedureOverview, error) {
	slug := c.Params("slug")
	o, err := store.ProcedureOverviewBySlug(ctx(c), h.db.Read, slug)
	if !errors.Is(err, store.ErrNotFound) {
		return o, err
	}
	return nil, h.renamedProblem(c, slug, err)
}

// renamedProblem returns the 404 of slug, an address that found no
// procedure (err): when slug is an old slug of a renamed procedure, its
// detail names the new slug.
func (h *Handler) renamedProblem(c *fiber.Ctx, slug string, err error) error {
	if to, aerr := h.rt.RenamedTo(ctx(c), slug); aerr == nil {
		return problem(fiber.StatusNotFound, fmt.Sprintf("the procedure %q was renamed: its slug is now %q (open /api/admin/procedures/%s)", slug, to, to))
	}
	return err
}
