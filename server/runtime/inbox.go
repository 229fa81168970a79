package runtime

import (
	"context"
	"strings"

	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// InboxFilter narrows an actor's inbox.
type InboxFilter struct {
	ProcedureID string
	State       string
	Pending     bool   // dossiers where one of my roles is invited and has not returned its opinion
	Overdue     bool   // dossiers with an invitation past its deadline
	Query       string // reference or applicant name
	Page        int    // 1-based
	PerPage     int
}

// InboxCounts are the counts per filter shown next to the filters.
type InboxCounts struct {
	All     int
	Pending int
	Overdue int
}

// Inbox is one page of the dossiers an actor may see.
type Inbox struct {
	Dossiers []store.Dossier
	Total    int // matching the filter
	Counts   InboxCounts
}

// Inbox lists the dossiers the actor may see, newest first.
func (e *Engine) Inbox(ctx context.Context, a *Actor, f InboxFilter) (*Inbox, error) {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	now := e.now().UTC()
	base := func(pending, overdue bool) *bun.SelectQuery {
		q := a.VisibleFilter(e.db.Read.NewSelect().TableExpr("dossiers AS d"))
		if f.ProcedureID != "" {
			q = q.Where("d.procedure_id = ?", f.ProcedureID)
		}
		if f.State != "" {
			q = q.Where("d.state = ?", f.State)
		}
		if s := strings.TrimSpace(f.Query); s != "" {
			like := "%" + strings.ToLower(escapeLike(s)) + "%"
			q = q.Where("(LOWER(d.reference) LIKE ? ESCAPE '\\' OR LOWER(d.applicant_name) LIKE ? ESCAPE '\\')", like, like)
		}
		if pending {
			q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
				q = q.Where("1 = 0")
				for p, rs := range a.roles {
					q = q.WhereOr("EXISTS (SELECT 1 FROM invitations AS pi WHERE pi.dossier_id = d.id AND pi.procedure_id = ? "+
						"AND pi.role_id IN (?) AND pi.status = ?)", p, bun.In(roleIDs(rs)), store.InvitationInvited)
				}
				return q
			})
		}
		if overdue {
			q = q.Where("EXISTS (SELECT 1 FROM invitations AS oi WHERE oi.dossier_id = d.id AND oi.status = ? AND oi.due_at < ?)",
				store.InvitationInvited, now)
		}
		return q
	}
	out := &Inbox{}
	q := base(f.Pending, f.Overdue).ColumnExpr("d.*").OrderExpr("d.submitted_at DESC, d.id DESC").
		Limit(int64(f.PerPage)).Offset(int64((f.Page - 1) * f.PerPage))
	if err := q.Scan(ctx, &out.Dossiers); err != nil {
		return nil, err
	}
	var err error
	count := func(pending, overdue bool) (int, error) {
		n, err := base(pending, overdue).Count(ctx)
		return int(n), err
	}
	if out.Total, err = count(f.Pending, f.Overdue); err != nil {
		return nil, err
	}
	if out.Counts.All, err = count(false, false); err != nil {
		return nil, err
	}
	if len(a.roles) > 0 {
		if out.Counts.Pending, err = count(true, false); err != nil {
			return nil, err
		}
	}
	if out.Counts.Overdue, err = count(false, true); err != nil {
		return nil, err
	}
	return out, nil
}

func roleIDs(rs map[string]string) []string {
	ids := make([]string, 0, len(rs))
	for r := range rs {
		ids = append(ids, r)
	}
	return ids
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
