package runtime

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// visibleDossier returns the dossier if the actor may see it, else
// store.ErrNotFound (a forbidden dossier looks like a missing one).
func (e *Engine) visibleDossier(ctx context.Context, a *Actor, id string) (*store.Dossier, error) {
	d := new(store.Dossier)
	q := e.db.Read.NewSelect().Model(d).Where("d.id = ?", id)
	if err := a.VisibleFilter(q).Scan(ctx); err != nil {
		return nil, fmt.Errorf("dossier %s: %w", id, store.ErrNotFound)
	}
	return d, nil
}

// DossierView is a dossier as one actor may see it.
type DossierView struct {
	Dossier     *store.Dossier
	Procedure   *Compiled
	Invitations map[string]*store.Invitation
	// Opinions are the returned opinions the actor may read.
	Opinions []store.Opinion
	Events   []store.Event
	// Roles are the actor's roles on the procedure.
	Roles []string
	// Transitions the actor may fire; Circulable the roles they may
	// activate or invite; OpinionRoles the roles whose opinion they may
	// return now.
	Transitions  []*builder.Transition
	Circulable   []*builder.Role
	OpinionRoles []*builder.Role
}

// Dossier returns the dossier for a, with what a may read and do.
func (e *Engine) Dossier(ctx context.Context, a *Actor, id string) (*DossierView, error) {
	d, err := e.visibleDossier(ctx, a, id)
	if err != nil {
		return nil, err
	}
	c, err := e.Version(ctx, d.VersionID)
	if err != nil {
		return nil, err
	}
	v := &DossierView{Dossier: d, Procedure: c, Roles: a.RolesOn(d.ProcedureID)}
	if v.Invitations, err = store.Invitations(ctx, e.db.Read, d.ID); err != nil {
		return nil, err
	}
	if v.Events, err = store.Events(ctx, e.db.Read, d.ID, false); err != nil {
		return nil, err
	}
	ops, err := store.Opinions(ctx, e.db.Read, d.ID)
	if err != nil {
		return nil, err
	}
	p := c.Pipeline
	for _, o := range ops {
		if a.IsAdmin || (p != nil && anyRole(v.Roles, func(r string) bool { return p.RoleSees(r, o.RoleID) })) {
			v.Opinions = append(v.Opinions, o)
		}
	}
	if p == nil || d.ClosedAt != nil {
		return v, nil
	}
	v.Transitions = p.AvailableTransitions(a, d)
	for i := range p.Def.Roles {
		r := &p.Def.Roles[i]
		if a.IsAdmin || anyRole(v.Roles, func(mine string) bool { return p.MayCirculate(mine, r.ID) }) {
			v.Circulable = append(v.Circulable, r)
		}
		if inv := v.Invitations[r.ID]; inv != nil && inv.Status == store.InvitationInvited && a.HasRole(d.ProcedureID, r.ID) {
			v.OpinionRoles = append(v.OpinionRoles, r)
		}
	}
	return v, nil
}

func anyRole(roles []string, f func(string) bool) bool {
	for _, r := range roles {
		if f(r) {
			return true
		}
	}
	return false
}

// File returns an uploaded file of a dossier the actor may see.
func (e *Engine) File(ctx context.Context, a *Actor, dossierID, fileID string) (*store.File, error) {
	if _, err := e.visibleDossier(ctx, a, dossierID); err != nil {
		return nil, err
	}
	f := new(store.File)
	if err := e.db.Read.NewSelect().Model(f).Where("id = ? AND dossier_id = ?", fileID, dossierID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("file %s: %w", fileID, store.ErrNotFound)
	}
	// A file attached to an opinion is readable only by those who may
	// read that opinion.
	if !a.IsAdmin {
		v, err := e.Dossier(ctx, a, dossierID)
		if err != nil {
			return nil, err
		}
		ops, err := store.Opinions(ctx, e.db.Read, dossierID)
		if err != nil {
			return nil, err
		}
		for _, o := range ops {
			if strings.Contains(string(o.Data), `"`+fileID+`"`) && !slices.ContainsFunc(v.Opinions, func(seen store.Opinion) bool { return seen.ID == o.ID }) {
				return nil, fmt.Errorf("file %s: %w", fileID, store.ErrNotFound)
			}
		}
	}
	return f, nil
}

// afterSubmit returns the hook that runs, in the submission's transaction,
// the messages of the initial state and the dossier.submitted rules.
func (e *Engine) afterSubmit(c *Compiled, d *store.Dossier, data map[string]any, actor string) func(context.Context, bun.Tx) error {
	return func(ctx context.Context, tx bun.Tx) error {
		// The hook may run twice (a group commit retried one by one): it
		// works on a copy of the data, and the submitter restores d.
		ch := &change{e: e, tx: tx, ctx: ctx, c: c, p: c.Pipeline, d: d, data: maps.Clone(data), actor: actor,
			now: d.SubmittedAt, invs: map[string]*store.Invitation{}}
		if ch.data == nil {
			ch.data = map[string]any{}
		}
		if st := c.Pipeline.States[d.State]; st != nil {
			for _, m := range st.OnEnter {
				if err := ch.sendMessage(m, "update"); err != nil {
					return err
				}
			}
		}
		if err := ch.emit(builder.ExprEvent{Name: builder.EventSubmitted, State: d.State, Actor: actor}, 0); err != nil {
			return err
		}
		return ch.write()
	}
}
