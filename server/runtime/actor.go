package runtime

import (
	"context"
	"slices"
	"strings"

	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
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

// processingProcedures returns the procedures whose dossiers the actor
// processes (sees all of).
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
	slices.Sort(out) // stable SQL, for the statement caches
	return out
}

// invitationsOf returns a condition on invitations aliased alias that
// holds for the invitations of the actor's roles, with its arguments: one
// (procedure, roles) term per procedure, except the procedures the actor
// processes when skipProcessed is set. It returns "" when no term remains.
func (a *Actor) invitationsOf(alias string, skipProcessed bool) (string, []any) {
	procs := make([]string, 0, len(a.roles))
	for p := range a.roles {
		if !skipProcessed || !a.Processes(p) {
			procs = append(procs, p)
		}
	}
	slices.Sort(procs)
	var terms []string
	var args []any
	for _, p := range procs {
		ids := roleIDs(a.roles[p])
		slices.Sort(ids)
		terms = append(terms, "("+alias+".procedure_id = ? AND "+alias+".role_id IN (?))")
		args = append(args, p, bun.In(ids))
	}
	return strings.Join(terms, " OR "), args
}

// VisibleFilter restricts a query on dossiers aliased "d" to those the
// actor may see: all dossiers of the procedures they process, and those on
// which one of their roles is invited or has returned its opinion. Pending
// invitations give no access. This is the one place visibility is decided;
// every path (lists, pages, JSON, file downloads) goes through it.
//
// The invitations of the procedures the actor processes are left out of
// the condition (their dossiers are all visible anyway), and the others
// are one IN (subquery) on the invitations' (procedure, role, status)
// index rather than an EXISTS per dossier: the databases then read the
// actor's dossiers from indexes instead of scanning every dossier.
func (a *Actor) VisibleFilter(q *bun.SelectQuery) *bun.SelectQuery {
	return a.visibleFilter(q, visibleDrives)
}

// visibleUse says how a query uses the visibility condition, so that
// SQLite, which has no statistics to go by, reads the right index first.
// PostgreSQL plans by its statistics and gets the same SQL for all three.
type visibleUse int

const (
	// visibleDrives: the visible dossiers are read first (counting them).
	visibleDrives visibleUse = iota
	// visibleInOrder: one page newest first; a consulted role's dossiers
	// are then read from the (submitted_at, id) index and looked up in
	// the list of its invitations, which stops after one page, rather
	// than read from that list, sorted and all but one page thrown away.
	visibleInOrder
	// visibleChecks: another condition (pending, overdue), which holds for
	// few dossiers, is read first; visibility only filters them.
	visibleChecks
)

// visibleFilter is VisibleFilter for a use. On SQLite, a unary + keeps a
// term from choosing the index the query is driven by.
func (a *Actor) visibleFilter(q *bun.SelectQuery, use visibleUse) *bun.SelectQuery {
	if a.IsAdmin {
		return q
	}
	procs := a.processingProcedures()
	invs, args := a.invitationsOf("vi", true)
	if len(procs) == 0 && invs == "" {
		return q.Where("1 = 0")
	}
	proc, id := "d.procedure_id", "d.id"
	if q.Dialect().Name() == dialect.SQLite {
		if use != visibleDrives {
			id = "+d.id"
		}
		if use == visibleChecks {
			proc = "+d.procedure_id"
		}
	}
	if invs == "" {
		return q.Where(proc+" IN (?)", bun.In(procs))
	}
	sub := id + " IN (SELECT vi.dossier_id FROM invitations AS vi WHERE vi.status IN (?, ?) AND (" + invs + "))"
	args = append([]any{store.InvitationInvited, store.InvitationReturned}, args...)
	if len(procs) == 0 {
		return q.Where(sub, args...)
	}
	return q.Where("("+proc+" IN (?) OR "+sub+")", append([]any{bun.In(procs)}, args...)...)
}
