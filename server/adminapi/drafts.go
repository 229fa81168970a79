package adminapi

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// blankProcedure is the draft of a procedure made from scratch: the
// smallest procedure that passes builder.Check, one information page.
func blankProcedure() *builder.Procedure {
	return &builder.Procedure{
		Title:    "Nouvelle démarche",
		Audience: builder.AudiencePublic,
		Scenarios: []builder.Scenario{{
			ID: "information", Kind: builder.ScenarioInformation, Title: "Informations",
			Body: "Décrivez ici la démarche : à qui elle s'adresse, comment la faire et les documents à préparer.",
		}},
	}
}

// insertDraft stores def as a new, unpublished procedure. Its slug must
// be valid (422 on /slug) and free (409).
func (h *Handler) insertDraft(c *fiber.Ctx, def *builder.Procedure) (*store.ProcedureOverview, error) {
	if probs := slugProblems(def, apiLang(c)); len(probs) > 0 {
		return nil, problem(fiber.StatusUnprocessableEntity, probs[0].Detail, probs...)
	}
	raw, err := def.JSON()
	if err != nil {
		return nil, err
	}
	now := h.now().UTC()
	p := &store.Procedure{ID: store.NewID(), Slug: def.Slug, Status: store.StatusDraft, Draft: raw,
		CreatedAt: now, UpdatedAt: now}
	// An old slug of a renamed procedure stays its address: checked in
	// the insert's transaction, after it (see store.CheckSlugNotAlias).
	err = h.db.Tx(ctx(c), func(tctx context.Context, tx bun.Tx) error {
		if err := store.InsertProcedure(tctx, tx, p); err != nil {
			return err
		}
		return store.CheckSlugNotAlias(tctx, tx, def.Slug, "")
	})
	switch {
	case errors.Is(err, store.ErrSlugTaken):
		return nil, slugTaken(def.Slug)
	case errors.Is(err, store.ErrConflict):
		return nil, problem(fiber.StatusConflict, "a procedure with the slug \""+def.Slug+"\" exists already: choose another slug")
	case err != nil:
		return nil, err
	}
	return &store.ProcedureOverview{ID: p.ID, Slug: p.Slug, Status: p.Status, Draft: raw, UpdatedAt: now}, nil
}

// draft returns the procedure of the request's slug and its parsed draft.
func (h *Handler) draft(c *fiber.Ctx) (*store.ProcedureOverview, *builder.Procedure, error) {
	o, err := h.overview(c)
	if err != nil {
		return nil, nil, err
	}
	def, err := builder.Parse(o.Draft)
	if err != nil {
		return nil, nil, err
	}
	return o, def, nil
}

// presetView is a preset in the list.
type presetView struct {
	Slug      string                 `json:"slug"`
	Title     string                 `json:"title"`
	Summary   string                 `json:"summary,omitempty"`
	Scenarios []builder.ScenarioKind `json:"scenarios"`
}

func (h *Handler) listPresets(c *fiber.Ctx) error {
	ps, err := builder.Presets()
	if err != nil {
		return err
	}
	out := make([]presetView, 0, len(ps))
	for _, p := range ps {
		v := presetView{Slug: p.Slug, Title: p.Title, Summary: p.Summary, Scenarios: []builder.ScenarioKind{}}
		for _, s := range p.Scenarios {
			v.Scenarios = append(v.Scenarios, s.Kind)
		}
		out = append(out, v)
	}
	return c.JSON(fiber.Map{"presets": out})
}
