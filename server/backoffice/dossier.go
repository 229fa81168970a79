package backoffice

import (
	"encoding/json"
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// actionState is an action of the dossier page sent back to the agent:
// what they typed, and why it was not done.
type actionState struct {
	target  string // section ID: "transition-<id>", "circulation", "opinion-<role>", "comment"
	data    map[string]any
	errs    []forms.FieldError
	refusal string // runtime.ActionError message
	status  int
	// Circulation and comment fields, as typed.
	role, due, text          string
	roleErr, dueErr, textErr string
}

func (h *Handler) showDossier(c *fiber.Ctx) error {
	v, err := h.rt.Dossier(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return err
	}
	return h.renderDossier(c, v, nil)
}

// renderDossier renders the dossier page, with st (when not nil) the
// action that failed and its status.
func (h *Handler) renderDossier(c *fiber.Ctx, v *runtime.DossierView, st *actionState) error {
	page, err := h.dossierPage(c, v, st)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if st != nil && st.status != 0 {
		status = st.status
	}
	return h.pages.Render(c, status, "dossier", v.Dossier.Reference, len(page.Errors) > 0, page)
}

// dossierPage builds the view of a dossier for the agent.
func (h *Handler) dossierPage(c *fiber.Ctx, v *runtime.DossierView, st *actionState) (web.DossierPage, error) {
	ctx, lang := c.UserContext(), httpx.Lang(c)
	d, p := v.Dossier, v.Procedure
	page := web.DossierPage{
		Reference: d.Reference, ProcedureTitle: p.Def.Title, State: stateLabel(p, d.State, lang),
		Applicant: d.ApplicantName, ApplicantEmail: d.ApplicantEmail, SubmittedAt: d.SubmittedAt, ClosedAt: d.ClosedAt,
	}
	page.StateTag = web.Tag{Label: page.State}
	if d.ClosedAt != nil {
		page.StateTag.Kind = "grey"
	}
	for _, r := range v.Roles {
		page.Roles = append(page.Roles, roleLabel(p, r))
	}
	slices.Sort(page.Roles)

	var data map[string]any
	if err := json.Unmarshal(d.Data, &data); err != nil {
		return page, err
	}
	// Every summary of the page, then the names of their files at once.
	var sections []forms.SummarySection
	if p.Form != nil {
		sections = p.Form.Summary(data, lang)
	}
	opinions := make([][]forms.SummarySection, len(v.Opinions))
	for i, o := range v.Opinions {
		opinions[i] = opinionSummary(p, o, lang)
	}
	events := make([][]forms.SummarySection, len(v.Events))
	for i, ev := range v.Events {
		events[i] = transitionSummary(p, ev, lang)
	}
	ids := fileIDs(sections)
	for _, s := range slices.Concat(opinions, events) {
		ids = append(ids, fileIDs(s)...)
	}
	files, err := store.FilesMeta(ctx, h.db.Read, ids)
	if err != nil {
		return page, err
	}
	rows := rowMaker{dossierID: d.ID, files: files}

	for _, s := range sections {
		page.Data = append(page.Data, web.DataSection{Title: s.Title, Rows: rows.rows(s.Rows)})
	}
	for _, id := range fileIDs(sections) {
		if f := rows.file(id); f != nil {
			page.Files = append(page.Files, web.FileLink{Name: f.Name, URL: fileURL(d.ID, f.ID), ContentType: f.ContentType, Size: f.Size})
		}
	}
	now := h.rt.Now()
	page.Invitations = invitationRows(p, v.Invitations, lang, now)
	names, err := h.actorNames(c, v)
	if err != nil {
		return page, err
	}
	for i, o := range v.Opinions {
		page.Opinions = append(page.Opinions, web.OpinionView{ID: "opinion-" + o.ID, Role: roleLabel(p, o.RoleID),
			Decision: decisionLabel(p, o.RoleID, o.Decision, lang), Author: names.name("user:" + o.AuthorID), ReturnedAt: o.ReturnedAt,
			Rows: rows.sectionRows(opinions[i])})
	}
	for i, ev := range v.Events {
		se := timelineEvent(p, ev, lang)
		se.Actor, se.Rows = names.name(ev.Actor), rows.sectionRows(events[i])
		if ev.Kind == store.EventSubmitted {
			page.Channel = se.Body
			se.Body = ""
		}
		page.Timeline = append(page.Timeline, se)
	}
	h.actionForms(c, v, st, &page)
	return page, nil
}

// actionForms fills the forms of the actions the agent may take, and the
// error summary of the one that failed.
func (h *Handler) actionForms(c *fiber.Ctx, v *runtime.DossierView, st *actionState, page *web.DossierPage) {
	lang, p, base := httpx.Lang(c), v.Procedure, dossierURL(v.Dossier.ID)
	if st == nil {
		st = &actionState{}
	}
	found := false
	form := func(id, action, label string, f *forms.Form) web.ActionForm {
		af := web.ActionForm{ID: id, Action: action, Label: label}
		if f != nil {
			var data map[string]any
			var errs []forms.FieldError
			if st.target == id {
				data, errs = st.data, st.errs
			}
			af.Page = web.PrefixFieldIDs(f.Bind(-1, data, errs, lang), id+"-")
			af.HasFiles = hasFileField(af.Page.Fields)
		}
		if st.target == id {
			found = true
			af.Error = st.refusal
			page.Errors = append(page.Errors, web.FieldErrors(af.Page.Fields)...)
		}
		return af
	}
	for _, tr := range v.Transitions {
		page.Transitions = append(page.Transitions, form("transition-"+tr.ID, base+"/transitions/"+url.PathEscape(tr.ID),
			tr.Label, p.Pipeline.TransitionForms[tr.ID]))
	}
	for _, r := range v.OpinionRoles {
		page.OpinionForms = append(page.OpinionForms, form("opinion-"+r.ID, base+"/opinions/"+url.PathEscape(r.ID),
			r.Label, p.Pipeline.OpinionForms[r.ID]))
	}
	if len(v.Circulable) > 0 {
		cf := &web.CirculationForm{ID: "circulation", Action: base + "/circulation"}
		for _, r := range v.Circulable {
			label := r.Label
			if i := v.Invitations[r.ID]; i != nil {
				label = web.T(lang, "dossier.circulate.role_status", r.Label, invitationTag(lang, i, h.rt.Now()).Label)
			}
			cf.Roles = append(cf.Roles, web.Choice{Value: r.ID, Label: label, Selected: st.target == cf.ID && st.role == r.ID})
		}
		if st.target == cf.ID {
			found = true
			cf.Due, cf.RoleError, cf.DueError, cf.Error = st.due, st.roleErr, st.dueErr, st.refusal
			if st.roleErr != "" {
				page.Errors = append(page.Errors, web.ErrorLink{FieldID: cf.ID + "-role", Message: st.roleErr})
			}
			if st.dueErr != "" {
				page.Errors = append(page.Errors, web.ErrorLink{FieldID: cf.ID + "-due", Message: st.dueErr})
			}
		}
		page.Circulation = cf
	}
	page.Comment = &web.CommentForm{ID: "comment", Action: base + "/comments"}
	if st.target == page.Comment.ID {
		found = true
		page.Comment.Text, page.Comment.TextError, page.Comment.Error = st.text, st.textErr, st.refusal
		if st.textErr != "" {
			page.Errors = append(page.Errors, web.ErrorLink{FieldID: "comment-text", Message: st.textErr})
		}
	}
	if st.refusal != "" {
		// The refused action's section, or the top of the page when the
		// action is no longer offered (the dossier moved on meanwhile).
		target := st.target
		if !found {
			target = "main"
		}
		page.Errors = append([]web.ErrorLink{{FieldID: target, Message: web.T(lang, "dossier.refused", st.refusal)}}, page.Errors...)
	}
}

func hasFileField(fs []forms.Field) bool {
	for _, f := range fs {
		if f.Widget == forms.WidgetFile || hasFileField(f.Fields) {
			return true
		}
	}
	return false
}

func fileURL(dossierID, fileID string) string {
	return dossierURL(dossierID) + "/files/" + url.PathEscape(fileID)
}

// rowMaker turns form summaries into rows whose file answers show the
// file's name and link to its download, for the files of the dossier.
type rowMaker struct {
	dossierID string
	files     map[string]*store.File
}

func (m rowMaker) file(id string) *store.File {
	if f := m.files[id]; f != nil && f.DossierID != nil && *f.DossierID == m.dossierID {
		return f
	}
	return nil
}

func (m rowMaker) rows(rs []forms.SummaryRow) []web.DataRow {
	out := make([]web.DataRow, 0, len(rs))
	for _, r := range rs {
		row := web.DataRow{Label: r.Label, Value: r.Value}
		if r.FileID != "" {
			if f := m.file(r.FileID); f != nil {
				row.Value, row.FileURL = f.Name, fileURL(m.dossierID, f.ID)
			}
		}
		for _, g := range r.Nested {
			row.Nested = append(row.Nested, web.DataGroup{Title: g.Title, Rows: m.rows(g.Rows)})
		}
		out = append(out, row)
	}
	return out
}

// sectionRows flattens the sections of a small form (opinion, transition).
func (m rowMaker) sectionRows(ss []forms.SummarySection) []web.DataRow {
	var out []web.DataRow
	for _, s := range ss {
		out = append(out, m.rows(s.Rows)...)
	}
	return out
}
