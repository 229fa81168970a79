package adminapi

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/store"
)

func (h *Handler) listProcedures(c *fiber.Ctx) error {
	os, err := store.ProcedureOverviews(ctx(c), h.db.Read)
	if err != nil {
		return err
	}
	out := make([]procedureSummary, 0, len(os))
	for i := range os {
		out = append(out, summarize(&os[i]))
	}
	return c.JSON(fiber.Map{"procedures": out})
}

func (h *Handler) showProcedure(c *fiber.Ctx) error {
	o, err := h.overview(c)
	if err != nil {
		return err
	}
	return h.sendProcedure(c, fiber.StatusOK, o)
}

// createRequest starts a procedure from scratch or from a preset.
type createRequest struct {
	Slug   string `json:"slug"`
	Title  string `json:"title"`
	Preset string `json:"preset"`
}

// definition returns the new procedure's draft.
func (r *createRequest) definition() (*builder.Procedure, error) {
	def := blankProcedure()
	if r.Preset != "" {
		var err error
		if def, err = builder.Preset(r.Preset); errors.Is(err, builder.ErrNoPreset) {
			return nil, invalid("/preset", "there is no preset %q", r.Preset)
		} else if err != nil {
			return nil, err
		}
	}
	def.Slug = r.Slug
	if t := strings.TrimSpace(r.Title); t != "" {
		def.Title = t
	}
	return def, nil
}

func (h *Handler) createProcedure(c *fiber.Ctx) error {
	var in createRequest
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	def, err := in.definition()
	if err != nil {
		return err
	}
	if err := h.freePrefix(ctx(c), def); err != nil {
		return err
	}
	o, err := h.insertDraft(c, def)
	if err != nil {
		return err
	}
	c.Location("/api/admin/procedures/" + o.Slug)
	return h.sendProcedure(c, fiber.StatusCreated, o)
}

func (h *Handler) saveDraft(c *fiber.Ctx) error {
	o, err := h.overview(c)
	if err != nil {
		return err
	}
	def, err := builder.Parse(c.Body())
	if err != nil {
		return documentError(err)
	}
	if def.Slug != o.Slug {
		return invalid("/slug", "the slug of a procedure cannot change (it is %q): export it and import it under another slug", o.Slug)
	}
	ifRev, err := ifMatch(c)
	if err != nil {
		return err
	}
	raw, err := def.JSON()
	if err != nil {
		return err
	}
	now := h.now().UTC()
	// The slug is part of the update: a rename committed since the
	// procedure was read above makes it miss (404 naming the new slug),
	// so the draft document never keeps the old slug.
	rev, err := store.SaveProcedureDraft(ctx(c), h.db.Write, o.ID, o.Slug, raw, ifRev, now)
	switch {
	case errors.Is(err, store.ErrStaleRevision):
		return problem(fiber.StatusPreconditionFailed, "the draft was saved elsewhere since you opened it: reload it before saving")
	case errors.Is(err, store.ErrNotFound):
		return h.renamedProblem(c, o.Slug, err)
	case err != nil:
		return err
	}
	o.Draft, o.DraftRevision, o.UpdatedAt = raw, rev, now
	return h.sendProcedure(c, fiber.StatusOK, o)
}

// ifMatch returns the revision of the If-Match header, or nil when there
// is none (or it is "*").
func ifMatch(c *fiber.Ctx) (*int, error) {
	v := strings.TrimSpace(c.Get(fiber.HeaderIfMatch))
	if v == "" || v == "*" {
		return nil, nil
	}
	rev, err := strconv.Atoi(strings.Trim(strings.TrimPrefix(v, "W/"), `"`))
	if err != nil {
		return nil, problem(fiber.StatusPreconditionFailed, fmt.Sprintf("If-Match %q is not a revision of this draft", v))
	}
	return &rev, nil
}
