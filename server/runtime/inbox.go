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

// Inbox lists the dossiers the actor may see, newest first, with the
// counts of the filters. It makes two round trips: the page, and the
// three counts (a third when both pending and overdue are asked for).
func (e *Engine) Inbox(ctx context.Context, a *Actor, f InboxFilter) (*Inbox, error) {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	iq := newInboxQuery(e, a, f)
	out := &Inbox{}
	// The page's IDs first, from the (procedure, submitted_at, id) or
	// (submitted_at, id) index alone, then those dossiers' rows: the rows
	// of the dossiers skipped on the way are not read.
	ids := iq.dossiers(visibleInOrder, f.Pending, f.Overdue).Column("d.id").
		OrderExpr("d.submitted_at DESC, d.id DESC").Limit(int64(f.PerPage)).Offset(int64((f.Page - 1) * f.PerPage))
	err := e.db.Read.NewSelect().TableExpr("dossiers AS d").ColumnExpr("d.*").Where("d.id IN (?)", ids).
		OrderExpr("d.submitted_at DESC, d.id DESC").Scan(ctx, &out.Dossiers)
	if err != nil {
		return nil, err
	}
	err = e.db.Read.NewSelect().ColumnExpr("(?)", iq.count(false, false)).ColumnExpr("(?)", iq.count(true, false)).
		ColumnExpr("(?)", iq.count(false, true)).Scan(ctx, &out.Counts.All, &out.Counts.Pending, &out.Counts.Overdue)
	if err != nil {
		return nil, err
	}
	switch {
	case f.Pending && f.Overdue:
		if err := iq.count(true, true).Scan(ctx, &out.Total); err != nil {
			return nil, err
		}
	case f.Pending:
		out.Total = out.Counts.Pending
	case f.Overdue:
		out.Total = out.Counts.Overdue
	default:
		out.Total = out.Counts.All
	}
	return out, nil
}

// inboxQuery builds the queries of one inbox listing.
type inboxQuery struct {
	e *Engine
	a *Actor
	f InboxFilter
	// pending holds when one of the actor's roles is invited and has not
	// returned its opinion; overdue(col) when an invitation of dossier col
	// is past its deadline.
	pending     string
	pendingArgs []any
	overdueArgs []any
}

func newInboxQuery(e *Engine, a *Actor, f InboxFilter) *inboxQuery {
	iq := &inboxQuery{e: e, a: a, f: f, pending: "1 = 0",
		overdueArgs: []any{store.InvitationInvited, e.now().UTC()}}
	if invs, args := a.invitationsOf("pi", false); invs != "" {
		iq.pending = "d.id IN (SELECT pi.dossier_id FROM invitations AS pi WHERE pi.status = ? AND (" + invs + "))"
		iq.pendingArgs = append([]any{store.InvitationInvited}, args...)
	}
	return iq
}

func (iq *inboxQuery) overdue(col string) string {
	return col + " IN (SELECT oi.dossier_id FROM invitations AS oi WHERE oi.status = ? AND oi.due_at < ?)"
}

// dossiers selects the visible dossiers matching the filter and, when
// asked, pending or overdue; these hold for few dossiers, so they drive
// the query then.
func (iq *inboxQuery) dossiers(use visibleUse, pending, overdue bool) *bun.SelectQuery {
	if pending || overdue {
		use = visibleChecks
	}
	f := iq.f
	q := iq.a.visibleFilter(iq.e.db.Read.NewSelect().TableExpr("dossiers AS d"), use)
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
		q = q.Where(iq.pending, iq.pendingArgs...)
	}
	if overdue {
		q = q.Where(iq.overdue("d.id"), iq.overdueArgs...)
	}
	return q
}

// count counts the dossiers of dossiers(pending, overdue).
func (iq *inboxQuery) count(pending, overdue bool) *bun.SelectQuery {
	a, f := iq.a, iq.f
	invs, args := a.invitationsOf("vi", true)
	if a.IsAdmin || len(a.processingProcedures()) > 0 || invs == "" ||
		f.ProcedureID != "" || f.State != "" || strings.TrimSpace(f.Query) != "" {
		return iq.dossiers(visibleDrives, pending, overdue).ColumnExpr("count(*)")
	}
	// A consulted role's dossiers are those of its invitations, each of
	// which has its dossier (a foreign key): count them without reading
	// the dossiers.
	q := iq.e.db.Read.NewSelect().TableExpr("invitations AS vi").ColumnExpr("count(DISTINCT vi.dossier_id)")
	if pending { // an invited role sees the dossier: visibility adds nothing
		q = q.Where("vi.status = ?", store.InvitationInvited)
	} else {
		q = q.Where("vi.status IN (?, ?)", store.InvitationInvited, store.InvitationReturned)
	}
	q = q.Where("("+invs+")", args...)
	if overdue {
		q = q.Where(iq.overdue("vi.dossier_id"), iq.overdueArgs...)
	}
	return q
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
