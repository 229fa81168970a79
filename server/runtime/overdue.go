package runtime

import (
	"context"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
)

// JobOverdue is the scheduled sweep of invitations past their deadline.
const JobOverdue = "invitations.overdue"

// OverdueHandler returns the job handler of the sweep: each invitation
// past its deadline fires invitation.overdue once (its overdue_at is set in
// the same transaction) and sends the role's reminder.
func (e *Engine) OverdueHandler() jobs.Handler {
	return func(ctx context.Context, _ *jobs.Job) error {
		_, err := e.SweepOverdue(ctx)
		return err
	}
}

// SweepOverdue handles the invitations overdue now and returns how many.
func (e *Engine) SweepOverdue(ctx context.Context) (int, error) {
	n := 0
	for {
		invs, err := store.OverdueInvitations(ctx, e.db.Read, e.now().UTC(), 200)
		if err != nil || len(invs) == 0 {
			return n, err
		}
		for _, inv := range invs {
			err := e.inTx(ctx, inv.DossierID, "system", func(ch *change) error {
				i := ch.invs[inv.RoleID]
				if i == nil || i.Status != store.InvitationInvited || i.OverdueAt != nil || i.DueAt == nil || !i.DueAt.Before(ch.now) {
					return nil // changed meanwhile
				}
				now := ch.now
				i.OverdueAt, i.UpdatedAt = &now, now
				if err := store.SaveInvitation(ch.ctx, ch.tx, i); err != nil {
					return err
				}
				ch.event(store.EventOverdue, false, map[string]any{"role": i.RoleID, "due_at": i.DueAt})
				if ch.p != nil {
					if r := ch.p.Roles[i.RoleID]; r != nil && r.Reminder != "" {
						if err := ch.sendMessage(r.Reminder, "reminder"); err != nil {
							return err
						}
					}
				}
				return ch.emit(builder.ExprEvent{Name: builder.EventInvitationOverdue, Role: i.RoleID, Actor: "system"}, 0)
			})
			if err != nil {
				e.log.Error("overdue invitation", "dossier_id", inv.DossierID, "role", inv.RoleID, "error", err)
				// Mark it so that one broken pipeline does not block the
				// sweep; only overdue_at, so as not to undo a change made
				// meanwhile (an opinion returned, a re-invitation).
				if _, err := e.db.Write.NewUpdate().Model((*store.Invitation)(nil)).Set("overdue_at = ?", e.now().UTC()).
					Where("id = ? AND overdue_at IS NULL", inv.ID).Exec(ctx); err != nil {
					return n, err
				}
			}
			n++
		}
	}
}
