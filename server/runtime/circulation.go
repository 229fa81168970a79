package runtime

import (
	"context"
	"encoding/json"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/store"
)

// Circulate activates a role on a dossier (invite false: pending, no dates,
// no message, no access) or invites it (invitation date now, deadline due
// or the role's delay, invitation message, access). The actor must see the
// dossier and hold a role allowed to circulate to that role.
func (e *Engine) Circulate(ctx context.Context, a *Actor, dossierID, role string, invite bool, due *time.Time) error {
	return e.inTxAs(ctx, a, dossierID, a.Name(), func(ch *change) error {
		if ch.p == nil {
			return refuse("this procedure has no pipeline")
		}
		r, ok := ch.p.Roles[role]
		if !ok {
			return refuse("unknown role %q", role)
		}
		if !a.IsAdmin && !ch.mayCirculate(a, role) {
			return refuse("your role may not circulate the dossier to %q", r.Label)
		}
		if ch.d.ClosedAt != nil {
			return refuse("the dossier is closed")
		}
		if !invite {
			return ch.activate(role, 0)
		}
		if due == nil {
			d, err := ch.dueFor(role, "")
			if err != nil {
				return err
			}
			due = &d
		}
		return ch.invite(role, *due, 0)
	})
}

func (ch *change) mayCirculate(a *Actor, role string) bool {
	for _, mine := range a.RolesOn(ch.d.ProcedureID) {
		if ch.p.MayCirculate(mine, role) {
			return true
		}
	}
	return false
}

// dueFor returns the deadline of an invitation of role made now: from an
// explicit delay ("10d", "5wd"), else the role's delay, else 30 days.
func (ch *change) dueFor(role, explicit string) (time.Time, error) {
	if explicit != "" {
		days, working, problem := builder.ParseDue(explicit)
		if problem != "" { // builder.Check refuses such a delay: a rule has one only if published unchecked
			return time.Time{}, refuse(`write a delay as "10d" (calendar days) or "5wd" (working days)`)
		}
		return DueDate(ch.now, days, working), nil
	}
	if r := ch.p.Roles[role]; r != nil && r.Delay != nil {
		return DueDate(ch.now, r.Delay.Days, r.Delay.Working), nil
	}
	return DueDate(ch.now, 30, false), nil
}

// activate attaches role without dates.
func (ch *change) activate(role string, depth int) error {
	if _, ok := ch.p.Roles[role]; !ok {
		return refuse("unknown role %q", role)
	}
	if i, ok := ch.invs[role]; ok {
		switch i.Status {
		case store.InvitationPending:
			return refuse("the role is already pending on this dossier")
		case store.InvitationInvited:
			return refuse("the role is already invited on this dossier")
		}
		return refuse("the role has already returned its opinion on this dossier")
	}
	i := &store.Invitation{ID: store.NewID(), DossierID: ch.d.ID, ProcedureID: ch.d.ProcedureID, RoleID: role,
		Status: store.InvitationPending, ActivatedAt: ch.now, UpdatedAt: ch.now}
	if err := store.SaveInvitation(ch.ctx, ch.tx, i); err != nil {
		return err
	}
	ch.invs[role] = i
	ch.event(store.EventActivated, false, map[string]any{"role": role})
	return nil
}

// invite sets (or resets) the invitation date to now and the deadline to
// due, sends the invitation message, and runs invitation.sent rules.
func (ch *change) invite(role string, due time.Time, depth int) error {
	r, ok := ch.p.Roles[role]
	if !ok {
		return refuse("unknown role %q", role)
	}
	i, ok := ch.invs[role]
	reinvite := ok && i.InvitedAt != nil
	if !ok {
		i = &store.Invitation{ID: store.NewID(), DossierID: ch.d.ID, ProcedureID: ch.d.ProcedureID, RoleID: role, ActivatedAt: ch.now}
		ch.invs[role] = i
	}
	now := ch.now
	i.Status, i.InvitedAt, i.DueAt, i.ReturnedAt, i.OverdueAt, i.UpdatedAt = store.InvitationInvited, &now, &due, nil, nil, now
	if err := store.SaveInvitation(ch.ctx, ch.tx, i); err != nil {
		return err
	}
	ch.event(store.EventInvited, false, map[string]any{"role": role, "due_at": due, "reinvite": reinvite})
	if r.Invitation != "" {
		if err := ch.sendMessage(r.Invitation, "invitation"); err != nil {
			return err
		}
	}
	return ch.emit(builder.ExprEvent{Name: builder.EventInvitationSent, Role: role, Actor: ch.actor}, depth)
}

// ReturnOpinion records the opinion of role, which the actor must hold and
// which must be invited, and runs opinion.returned rules.
func (e *Engine) ReturnOpinion(ctx context.Context, a *Actor, dossierID, role string, data map[string]any) error {
	return e.inTxAs(ctx, a, dossierID, a.Name(), func(ch *change) error {
		if ch.p == nil || ch.p.Roles[role] == nil {
			return refuse("unknown role %q", role)
		}
		if !a.HasRole(ch.d.ProcedureID, role) {
			return refuse("you do not hold the role %q", ch.p.Roles[role].Label)
		}
		i, ok := ch.invs[role]
		if ok && i.Status == store.InvitationReturned {
			return refuse("the role %q has already returned its opinion on this dossier", ch.p.Roles[role].Label)
		}
		if !ok || i.Status != store.InvitationInvited {
			return refuse("the role %q is not invited to give its opinion on this dossier", ch.p.Roles[role].Label)
		}
		if errs := ch.p.OpinionForms[role].Validate(data); len(errs) > 0 {
			return &forms.ValidationError{Errors: errs}
		}
		raw, err := json.Marshal(data)
		if err != nil {
			return err
		}
		decision, _ := data["decision"].(string)
		if err := ch.loadDecisions(); err != nil {
			return err
		}
		ch.decisions[role] = decision
		o := &store.Opinion{ID: store.NewID(), DossierID: ch.d.ID, RoleID: role, AuthorID: a.User.ID,
			Decision: decision, Data: raw, ReturnedAt: ch.now}
		if err := store.InsertOpinion(ch.ctx, ch.tx, o); err != nil {
			return err
		}
		now := ch.now
		i.Status, i.ReturnedAt, i.UpdatedAt = store.InvitationReturned, &now, now
		if err := store.SaveInvitation(ch.ctx, ch.tx, i); err != nil {
			return err
		}
		ch.event(store.EventOpinion, false, map[string]any{"role": role, "decision": decision, "opinion_id": o.ID})
		return ch.emit(builder.ExprEvent{Name: builder.EventOpinionReturned, Role: role, Actor: ch.actor, Data: data}, 0)
	})
}

// Comment adds an internal comment to the timeline.
func (e *Engine) Comment(ctx context.Context, a *Actor, dossierID, text string) error {
	return e.inTxAs(ctx, a, dossierID, a.Name(), func(ch *change) error {
		if len(text) == 0 || len(text) > 20000 {
			return refuse("a comment is 1 to 20000 characters long")
		}
		ch.event(store.EventComment, false, map[string]any{"text": text})
		return nil
	})
}
