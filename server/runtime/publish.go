package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// ProblemsError is returned when a definition does not pass builder.Check.
type ProblemsError struct {
	Problems []builder.Problem
}

func (e *ProblemsError) Error() string {
	msgs := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		msgs = append(msgs, p.Path+": "+p.Message)
	}
	return "definition has problems: " + strings.Join(msgs, "; ")
}

// PublishDefinition checks def and publishes it as the next version of the
// procedure with its slug, creating the procedure if needed.
func (e *Engine) PublishDefinition(ctx context.Context, def *builder.Procedure, by *string) (*store.ProcedureVersion, error) {
	if probs := builder.Check(def); len(probs) > 0 {
		return nil, &ProblemsError{Problems: probs}
	}
	raw, err := def.JSON()
	if err != nil {
		return nil, err
	}
	var v *store.ProcedureVersion
	err = e.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		p, err := store.ProcedureBySlug(ctx, tx, def.Slug)
		if errors.Is(err, store.ErrNotFound) {
			// An old slug of a renamed procedure stays its address.
			if _, aerr := store.AliasOwner(ctx, tx, def.Slug); aerr == nil {
				return fmt.Errorf("%q is an old slug of a renamed procedure: %w", def.Slug, store.ErrSlugTaken)
			} else if !errors.Is(aerr, store.ErrNotFound) {
				return aerr
			}
			now := e.now().UTC()
			p = &store.Procedure{ID: store.NewID(), Slug: def.Slug, Status: store.StatusDraft, Draft: raw, CreatedAt: now, UpdatedAt: now}
			err = store.InsertProcedure(ctx, tx, p)
		}
		if err != nil {
			return err
		}
		if err := checkPrefixFree(ctx, tx, p.ID, def.ReferencePrefix); err != nil {
			return err
		}
		if v, err = store.Publish(ctx, tx, p, raw, by, e.now().UTC()); err != nil {
			return err
		}
		// Bindings follow the version that now decides access: a role may
		// change kind (consulted → processing), appear (bound ahead of
		// publication) or go (its bindings give no access any more).
		kinds := map[string]string{}
		for _, s := range def.Scenarios {
			if s.Pipeline != nil {
				for _, r := range s.Pipeline.Roles {
					kinds[r.ID] = string(r.Kind)
				}
			}
		}
		return store.SyncBindingKinds(ctx, tx, p.ID, kinds)
	})
	if err != nil {
		return nil, fmt.Errorf("publish %s: %w", def.Slug, err)
	}
	e.Invalidate()
	return v, nil
}

// checkPrefixFree refuses a reference prefix that a version of another
// procedure uses: references are unique across procedures but numbered
// per procedure, so two procedures sharing a prefix would both make
// PREFIX-YEAR-00001 and the second could never create a dossier.
func checkPrefixFree(ctx context.Context, db bun.IDB, procedureID, prefix string) error {
	if prefix == "" {
		return nil
	}
	others, err := store.OtherVersions(ctx, db, procedureID)
	if err != nil {
		return err
	}
	for _, o := range others {
		var d struct {
			ReferencePrefix string `json:"referencePrefix"`
		}
		if json.Unmarshal(o.Definition, &d) == nil && d.ReferencePrefix == prefix {
			return &ProblemsError{Problems: []builder.Problem{builder.PrefixTakenProblem(prefix, o.Slug)}}
		}
	}
	return nil
}

// LoadPresets publishes the preset procedures into an empty database.
func (e *Engine) LoadPresets(ctx context.Context) (int, error) {
	n, err := store.CountProcedures(ctx, e.db.Read)
	if err != nil || n > 0 {
		return 0, err
	}
	presets, err := builder.Presets()
	if err != nil {
		return 0, err
	}
	for _, p := range presets {
		if _, err := e.PublishDefinition(ctx, p, nil); err != nil {
			return 0, err
		}
	}
	return len(presets), nil
}
