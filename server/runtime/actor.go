package runtime

import (
	"context"

	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// Actor is a signed-in staff member and the pipeline roles they hold,
// through their groups, on each procedure.
type Actor struct {
	User    *store.User
	IsAdmin bool
	// roles maps procedure ID → role ID → role kind.
	roles map[string]map[string]string
}

// ActorFor loads the user's roles.
func (e *Engine) ActorFor(ctx context.Context, u *store.User) (*Actor, error) {
	bs, err := store.UserRoles(ctx, e.db.Read, u.ID)
	if err != nil {
		return nil, err
	}
	a := &Actor{User: u, IsAdmin: u.IsAdmin, roles: map[string]map[string]string{}}
	for _, b := range bs {
		if a.roles[b.ProcedureID] == nil {
			a.roles[b.ProcedureID] = map[string]string{}
		}
		a.roles[b.ProcedureID][b.RoleID] = b.Kind
	}
	return a, nil
}

// Name identifies the actor on the timeline.
func (a *Actor) Name() string { return "user:" + a.User.ID }

// RolesOn returns the actor's role IDs on a procedure.
func (a *Actor) RolesOn(procedureID string) []string {
	var out []string
	for r := range a.roles[procedureID] {
		out = append(out, r)
	}
	return out
}

// HasRole reports whether the actor holds role on procedure.
func (a *Actor) HasRole(procedureID, role string) bool {
	_, ok := a.roles[procedureID][role]
	return ok
}

// Processes reports whether the actor handles every dossier of procedure.
func (a *Actor) Processes(procedureID string) bool {
	if a.IsAdmin {
		return true
	}
	for _, k := range a.roles[procedureID] {
		if k == "processing" {
			return true
		}
	}
	return false
}

// processingProcedures and consultedRoles describe what the actor may see.
func (a *Actor) processingProcedures() []string {
	var out []string
	for p, rs := range a.roles {
		for _, k := range rs {
			if k == "processing" {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// VisibleFilter restricts a query on dossiers aliased "d" to those the
// actor may see: all dossiers of the procedures they process, and those on
// which one of their roles is invited or has returned its opinion. Pending
// invitations give no access. This is the one place visibility is decided;
// every path (lists, pages, JSON, file downloads) goes through it.
func (a *Actor) VisibleFilter(q *bun.SelectQuery) *bun.SelectQuery {
	if a.IsAdmin {
		return q
	}
	procs := a.processingProcedures()
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("1 = 0")
		if len(procs) > 0 {
			q = q.WhereOr("d.procedure_id IN (?)", bun.In(procs))
		}
		for p, rs := range a.roles {
			ids := roleIDs(rs)
			q = q.WhereOr("EXISTS (SELECT 1 FROM invitations AS vi WHERE vi.dossier_id = d.id AND vi.procedure_id = ? "+
				"AND vi.role_id IN (?) AND vi.status IN (?, ?))", p, bun.In(ids), store.InvitationInvited, store.InvitationReturned)
		}
		return q
	})
}
