package backoffice

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// opinionSummary reads an opinion through its role's opinion form.
func opinionSummary(p *runtime.Compiled, o store.Opinion, lang string) []forms.SummarySection {
	if p.Pipeline == nil || p.Pipeline.OpinionForms[o.RoleID] == nil {
		return nil
	}
	var data map[string]any
	if json.Unmarshal(o.Data, &data) != nil {
		return nil
	}
	return p.Pipeline.OpinionForms[o.RoleID].Summary(data, lang)
}

// transitionSummary reads the data of a transition's form recorded on a
// "transition" event, nil for other events.
func transitionSummary(p *runtime.Compiled, ev store.Event, lang string) []forms.SummarySection {
	if ev.Kind != store.EventTransition || p.Pipeline == nil {
		return nil
	}
	var d struct {
		Transition string         `json:"transition"`
		Data       map[string]any `json:"data"`
	}
	if json.Unmarshal(ev.Details, &d) != nil || d.Data == nil {
		return nil
	}
	f := p.Pipeline.TransitionForms[d.Transition]
	if f == nil {
		return nil
	}
	return f.Summary(d.Data, lang)
}

// decisionLabel shows an opinion's decision by its option's label in the
// role's opinion form.
func decisionLabel(p *runtime.Compiled, role, decision, lang string) string {
	if decision == "" || p.Pipeline == nil || p.Pipeline.OpinionForms[role] == nil {
		return decision
	}
	for _, s := range p.Pipeline.OpinionForms[role].Summary(map[string]any{"decision": decision}, lang) {
		for _, r := range s.Rows {
			if r.Pointer == "/decision" && r.Value != "" {
				return r.Value
			}
		}
	}
	return decision
}

// timelineEvent describes an event for agents: title and body (the actor
// and the data of a transition's form are added by the caller).
func timelineEvent(p *runtime.Compiled, ev store.Event, lang string) web.StaffEvent {
	var d map[string]any
	_ = json.Unmarshal(ev.Details, &d)
	str := func(k string) string { s, _ := d[k].(string); return s }
	date := func(k string) string {
		if t, err := time.Parse(time.RFC3339, str(k)); err == nil {
			return web.FormatDate(lang, t)
		}
		return "—"
	}
	role := roleLabel(p, str("role"))
	se := web.StaffEvent{At: ev.At}
	switch {
	case ev.Kind == store.EventSubmitted:
		se.Title = web.T(lang, "event.submitted")
		if ch := str("channel"); ch != "" {
			se.Body = web.T(lang, "dossier.channel."+ch)
		}
	case ev.Kind == store.EventMessageSent:
		se.Title = web.T(lang, "event.message", str("subject"))
		if to := str("to"); to != "" {
			se.Body = web.T(lang, "event.message.to", to)
		}
	case ev.Kind == store.EventTransition:
		se.Title = web.T(lang, "event.transition", str("label"), stateLabel(p, str("from"), lang), stateLabel(p, str("to"), lang))
	case strings.HasPrefix(ev.Kind, "state."):
		se.Title = web.T(lang, "event.state", str("public_label"))
	case ev.Kind == store.EventActivated:
		se.Title = web.T(lang, "event.activated", role)
	case ev.Kind == store.EventInvited:
		key := "event.invited"
		if re, _ := d["reinvite"].(bool); re {
			key = "event.reinvited"
		}
		se.Title = web.T(lang, key, role, date("due_at"))
	case ev.Kind == store.EventOpinion:
		se.Title = web.T(lang, "event.opinion", role, decisionLabel(p, str("role"), str("decision"), lang))
	case ev.Kind == store.EventOverdue:
		se.Title = web.T(lang, "event.overdue", role)
	case ev.Kind == store.EventFieldSet:
		se.Title = web.T(lang, "event.field_set", str("field"))
	case ev.Kind == store.EventAssigned:
		se.Title = web.T(lang, "event.assigned", str("group"))
	case ev.Kind == store.EventComment:
		se.Title, se.Body = web.T(lang, "event.comment"), str("text")
	case ev.Kind == store.EventIntegration:
		se.Title = web.T(lang, "event.integration")
	default:
		se.Title = web.T(lang, "event.other", ev.Kind)
	}
	return se
}

// invitationRows lists a dossier's invitations in the pipeline's role
// order.
func invitationRows(p *runtime.Compiled, invs map[string]*store.Invitation, lang string, now time.Time) []web.InvitationRow {
	var order []string
	if p.Pipeline != nil {
		for _, r := range p.Pipeline.Def.Roles {
			order = append(order, r.ID)
		}
	}
	for id := range invs {
		if p.Pipeline == nil || p.Pipeline.Roles[id] == nil {
			order = append(order, id)
		}
	}
	var out []web.InvitationRow
	for _, id := range order {
		i := invs[id]
		if i == nil {
			continue
		}
		tag := invitationTag(lang, i, now)
		if isOverdue(i, now) {
			// The row says "invited" and, beside it, "overdue".
			tag = web.Tag{Label: web.T(lang, "tag.invited")}
		}
		out = append(out, web.InvitationRow{Role: roleLabel(p, id), Status: tag, ActivatedAt: i.ActivatedAt,
			InvitedAt: i.InvitedAt, DueAt: i.DueAt, ReturnedAt: i.ReturnedAt, Overdue: isOverdue(i, now)})
	}
	return out
}

// actorNames shows who did what on a timeline.
type actorNames struct {
	lang  string
	users map[string]*store.User
}

func (n actorNames) name(actor string) string {
	switch {
	case actor == "system":
		return web.T(n.lang, "actor.system")
	case actor == "applicant":
		return web.T(n.lang, "actor.applicant")
	case strings.HasPrefix(actor, "user:"):
		if u := n.users[strings.TrimPrefix(actor, "user:")]; u != nil {
			return u.Name
		}
		return web.T(n.lang, "actor.unknown")
	}
	return actor
}

// actorNames loads the names of the staff who acted on the dossier.
func (h *Handler) actorNames(c *fiber.Ctx, v *runtime.DossierView) (actorNames, error) {
	var ids []string
	for _, ev := range v.Events {
		if id, ok := strings.CutPrefix(ev.Actor, "user:"); ok {
			ids = append(ids, id)
		}
	}
	for _, o := range v.Opinions {
		ids = append(ids, o.AuthorID)
	}
	users, err := store.UsersByIDs(c.UserContext(), h.db.Read, ids)
	return actorNames{lang: httpx.Lang(c), users: users}, err
}
