package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// ErrForbidden is returned when the actor may see the dossier but not do
// what was asked (wrong role, wrong state).
var ErrForbidden = errors.New("not allowed")

// maxRuleDepth bounds chains of rules triggering rules.
const maxRuleDepth = 8

// change is one change of a dossier in progress, inside its transaction:
// everything it does (state, data, invitations, events, jobs) is written
// when it commits, or nothing is.
type change struct {
	e      *Engine
	tx     bun.Tx
	ctx    context.Context
	c      *Compiled
	p      *Pipeline
	d      *store.Dossier
	data   map[string]any
	invs   map[string]*store.Invitation
	actor  string
	now    time.Time
	events []*store.Event
	jobs   []*jobs.Job
	chain  []string // rules fired, for the loop error
	dirty  bool     // dossier row changed
	// decisions are the decisions of returned opinions by role, for
	// expressions; nil until loaded (see exprEnv).
	decisions map[string]string
}

// inTx runs f on the dossier in a write transaction: the dossier row is
// locked (FOR UPDATE on PostgreSQL; SQLite has one writer), f's change is
// written, rules included, then committed.
func (e *Engine) inTx(ctx context.Context, dossierID, actor string, f func(ch *change) error) error {
	return e.inTxAs(ctx, nil, dossierID, actor, f)
}

// inTxAs is inTx for a staff member (a non-nil), who must see the dossier:
// visibility is checked by the read that locks the row, so a dossier a may
// not see is not found, with no round trip of its own.
func (e *Engine) inTxAs(ctx context.Context, a *Actor, dossierID, actor string, f func(ch *change) error) error {
	err := e.db.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d := new(store.Dossier)
		q := tx.NewSelect().Model(d).Where("d.id = ?", dossierID)
		if a != nil {
			q = a.VisibleFilter(q)
		}
		if e.db.IsPostgres() {
			q = q.For("UPDATE")
		}
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("dossier %s: %w", dossierID, store.ErrNotFound)
		}
		c, err := e.Version(ctx, d.VersionID)
		if err != nil {
			return err
		}
		ch := &change{e: e, tx: tx, ctx: ctx, c: c, p: c.Pipeline, d: d, actor: actor, now: e.now().UTC()}
		if err := json.Unmarshal(d.Data, &ch.data); err != nil {
			return err
		}
		if ch.invs, err = store.Invitations(ctx, tx, d.ID); err != nil {
			return err
		}
		if err := f(ch); err != nil {
			return err
		}
		return ch.write()
	})
	if err == nil {
		e.queue.Notify()
	}
	return err
}

// write saves the dossier row, events and jobs of the change.
func (ch *change) write() error {
	if ch.dirty {
		data, err := json.Marshal(ch.data)
		if err != nil {
			return err
		}
		ch.d.Data, ch.d.UpdatedAt = data, ch.now
		if _, err := ch.tx.NewUpdate().Model(ch.d).
			Column("state", "data", "assigned_group", "closed_at", "updated_at").WherePK().Exec(ch.ctx); err != nil {
			return fmt.Errorf("update dossier: %w", err)
		}
	}
	if err := store.InsertEvents(ch.ctx, ch.tx, ch.events); err != nil {
		return err
	}
	return jobs.Enqueue(ch.ctx, ch.tx, ch.jobs...)
}

// event records a timeline event.
func (ch *change) event(kind string, public bool, details map[string]any) {
	b, _ := json.Marshal(details)
	// Events of one change share a time; the ID orders them.
	ch.events = append(ch.events, &store.Event{ID: store.NewID(), DossierID: ch.d.ID, At: ch.now, Kind: kind,
		Actor: ch.actor, Public: public, Details: b})
}

// env is what rule expressions see.
func (ch *change) env(ev builder.ExprEvent) builder.ExprEnv {
	invs := map[string]builder.ExprInvitation{}
	if ch.p != nil {
		for id := range ch.p.Roles {
			invs[id] = builder.ExprInvitation{Status: builder.InvitationNone}
		}
	}
	for id, i := range ch.invs {
		invs[id] = builder.ExprInvitation{Status: i.Status, InvitedAt: i.InvitedAt, DueAt: i.DueAt, ReturnedAt: i.ReturnedAt}
	}
	return builder.ExprEnv{
		Dossier: builder.ExprDossier{Reference: ch.d.Reference, State: ch.d.State, SubmittedAt: ch.d.SubmittedAt, Group: ch.d.AssignedGroup},
		Data:    ch.data, Invitations: invs, Event: ev, Now: ch.now,
	}
}

// sendMessage enqueues message id of the pipeline (to the applicant or a
// role's members).
func (ch *change) sendMessage(id, kind string) error {
	m, ok := ch.p.Messages[id]
	if !ok {
		return fmt.Errorf("unknown message %q", id)
	}
	if m.To == builder.RecipientApplicant && ch.d.ApplicantEmail == "" {
		return nil // nobody to write to
	}
	j, err := jobs.New(JobSendMessage, MessagePayload{MessageID: "msg-" + store.NewID(), DossierID: ch.d.ID,
		Kind: kind, Template: id, Role: roleOf(m)})
	if err != nil {
		return err
	}
	ch.jobs = append(ch.jobs, j)
	return nil
}

func roleOf(m *builder.Message) string {
	if m.To == builder.RecipientApplicant {
		return ""
	}
	return m.To
}
