package backoffice

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// inboxPerPage is the number of dossiers on one page of the inbox.
const inboxPerPage = 25

// inboxQuery is the inbox's URL query: the procedure by slug, the state,
// the search, the tab (pending, overdue) and the page.
type inboxQuery struct {
	procedure, state, q string
	pending, overdue    bool
	page                int
}

func parseInboxQuery(c *fiber.Ctx) inboxQuery {
	page, _ := strconv.Atoi(c.Query("page"))
	return inboxQuery{procedure: c.Query("procedure"), state: c.Query("state"), q: c.Query("q"),
		pending: c.Query("pending") == "1", overdue: c.Query("overdue") == "1", page: max(page, 1)}
}

// url returns the inbox URL of q.
func (q inboxQuery) url() string {
	v := url.Values{}
	for k, s := range map[string]string{"procedure": q.procedure, "state": q.state, "q": q.q} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.pending {
		v.Set("pending", "1")
	}
	if q.overdue {
		v.Set("overdue", "1")
	}
	if q.page > 1 {
		v.Set("page", strconv.Itoa(q.page))
	}
	if len(v) == 0 {
		return "/backoffice"
	}
	return "/backoffice?" + v.Encode()
}

// showInbox lists the dossiers the agent may see, filtered, with the
// counts of each tab.
func (h *Handler) showInbox(c *fiber.Ctx) error {
	ctx, a, lang := c.UserContext(), actor(c), httpx.Lang(c)
	procs, err := h.visibleProcedures(ctx, a)
	if err != nil {
		return err
	}
	q := parseInboxQuery(c)
	f := runtime.InboxFilter{State: q.state, Query: q.q, Pending: q.pending, Overdue: q.overdue, Page: q.page, PerPage: inboxPerPage}
	page := web.InboxPage{Query: q.q, Pending: q.pending, Overdue: q.overdue, Page: q.page}
	shown := procs
	for _, p := range procs {
		sel := p.Def.Slug == q.procedure
		page.Procedures = append(page.Procedures, web.Choice{Value: p.Def.Slug, Label: p.Def.Title, Selected: sel})
		if sel {
			f.ProcedureID, shown = p.ProcedureID, []*runtime.Compiled{p}
		}
	}
	if q.procedure != "" && f.ProcedureID == "" {
		f.ProcedureID = "-" // a procedure the agent does not see: nothing
	}
	for _, s := range statesOf(shown, lang) {
		s.Selected = s.Value == q.state
		page.States = append(page.States, s)
	}
	in, err := h.rt.Inbox(ctx, a, f)
	if err != nil {
		return err
	}
	page.Total, page.Pages = in.Total, (in.Total+inboxPerPage-1)/inboxPerPage
	all, pending, overdue := q, q, q
	all.pending, all.overdue, all.page = false, false, 1
	pending.pending, pending.overdue, pending.page = true, false, 1
	overdue.pending, overdue.overdue, overdue.page = false, true, 1
	page.Tabs = []web.InboxTab{
		{Label: web.T(lang, "inbox.tab.all"), Count: in.Counts.All, URL: all.url(), Current: !q.pending && !q.overdue},
		{Label: web.T(lang, "inbox.tab.pending"), Count: in.Counts.Pending, URL: pending.url(), Current: q.pending},
		{Label: web.T(lang, "inbox.tab.overdue"), Count: in.Counts.Overdue, URL: overdue.url(), Current: q.overdue && !q.pending},
	}
	if q.page > 1 {
		prev := q
		prev.page--
		page.PrevURL = prev.url()
	}
	if q.page < page.Pages {
		next := q
		next.page++
		page.NextURL = next.url()
	}
	if q.procedure != "" || q.state != "" || q.q != "" {
		reset := inboxQuery{pending: q.pending, overdue: q.overdue}
		page.ResetURL = reset.url()
	}
	if page.Rows, err = h.inboxRows(c, in.Dossiers); err != nil {
		return err
	}
	return h.pages.Render(c, fiber.StatusOK, "inbox", web.T(lang, "inbox.title"), false, page)
}

// inboxRows describes the dossiers of one inbox page.
func (h *Handler) inboxRows(c *fiber.Ctx, ds []store.Dossier) ([]web.InboxRow, error) {
	ctx, lang := c.UserContext(), httpx.Lang(c)
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	invs, err := store.InvitationsOf(ctx, h.db.Read, ids)
	if err != nil {
		return nil, err
	}
	now := h.rt.Now()
	rows := make([]web.InboxRow, 0, len(ds))
	for _, d := range ds {
		p, err := h.rt.Version(ctx, d.VersionID)
		if err != nil {
			return nil, err
		}
		row := web.InboxRow{URL: dossierURL(d.ID), Reference: d.Reference, Procedure: p.Def.Title,
			State: stateLabel(p, d.State, lang), Applicant: d.ApplicantName, SubmittedAt: d.SubmittedAt, Closed: d.ClosedAt != nil}
		for _, i := range invs[d.ID] {
			tag := invitationTag(lang, &i, now)
			tag.Label = web.T(lang, "inbox.tag", roleLabel(p, i.RoleID), tag.Label)
			row.Tags = append(row.Tags, tag)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// invitationTag describes an invitation's status: pending (grey), invited
// until its deadline, overdue (red), returned (green).
func invitationTag(lang string, i *store.Invitation, now time.Time) web.Tag {
	switch {
	case i.Status == store.InvitationPending:
		return web.Tag{Label: web.T(lang, "tag.pending"), Kind: "grey"}
	case i.Status == store.InvitationReturned:
		return web.Tag{Label: web.T(lang, "tag.returned"), Kind: "green"}
	case isOverdue(i, now):
		return web.Tag{Label: web.T(lang, "tag.overdue"), Kind: "red"}
	case i.DueAt != nil:
		return web.Tag{Label: web.T(lang, "tag.invited_due", web.FormatDate(lang, *i.DueAt))}
	}
	return web.Tag{Label: web.T(lang, "tag.invited")}
}

// isOverdue reports whether an invited role is past its deadline.
func isOverdue(i *store.Invitation, now time.Time) bool {
	return i.Status == store.InvitationInvited && i.DueAt != nil && i.DueAt.Before(now)
}

func dossierURL(id string) string { return "/backoffice/dossiers/" + url.PathEscape(id) }
