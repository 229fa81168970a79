package runtime

import (
	"context"

	"github.com/guichet/guichet/server/store"
)

// Tracked is what the applicant's tracking page shows.
type Tracked struct {
	Dossier   *store.Dossier
	Procedure *Compiled
	Events    []store.Event // public events only
}

// Track returns the dossier a tracking token opens, with its public
// timeline. An unknown token is store.ErrNotFound.
func (e *Engine) Track(ctx context.Context, token string) (*Tracked, error) {
	d, err := store.DossierByToken(ctx, e.db.Read, token)
	if err != nil {
		return nil, err
	}
	c, err := e.Version(ctx, d.VersionID)
	if err != nil {
		return nil, err
	}
	evs, err := store.Events(ctx, e.db.Read, d.ID, true)
	if err != nil {
		return nil, err
	}
	return &Tracked{Dossier: d, Procedure: c, Events: evs}, nil
}

// PublicStateLabel returns the label of a state for the applicant.
func PublicStateLabel(c *Compiled, state, lang string) string {
	if c.Pipeline != nil {
		if s := c.Pipeline.States[state]; s != nil {
			return s.PublicLabel
		}
	}
	if state == InitialState {
		if lang == "en" {
			return "Received"
		}
		return "Reçue"
	}
	return state
}
