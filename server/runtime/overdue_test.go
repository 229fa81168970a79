package runtime_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
)

// subjectsWith returns the subjects of mails to address that start with
// prefix.
func subjectsWith(subjects []string, prefix string) []string {
	var out []string
	for _, s := range subjects {
		if strings.HasPrefix(s, prefix) {
			out = append(out, s)
		}
	}
	return out
}

// TestOverdueFiresOnce invites the expert (5 calendar days), lets the
// deadline pass and sweeps twice: invitation.overdue fires once, its rule
// runs once, and the reminder goes to the role's members once.
func TestOverdueFiresOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		clock := apptest.NewClock(monday)
		a := newPipelineApp(t, db, clock)
		ctx := context.Background()
		c := publishPipeline(t, a, "retard", `[
			{"id": "relance", "on": "invitation.overdue", "role": "expert",
			 "do": [{"set": "statut", "value": "'en retard depuis le ' + string(invitations.expert.due_at.Day())"}]}]`)
		agent := staffActor(t, a, "agent", "retard", "agent", "processing")
		staffActor(t, a, "expert", "retard", "expert", "consulted")
		apptest.CreateStaff(t, a, "expert2", "retard", "expert", "consulted") // a second member of the role
		id := submitTo(t, a, c, `{"nom": "Rochat"}`)
		if err := a.Engine.Circulate(ctx, agent, id, "expert", true, nil); err != nil {
			t.Fatal(err)
		}
		inv := invitation(t, a, id, "expert")
		// Monday 23.11 + 5 days is Saturday 28.11: the deadline is Monday 30.11.
		if want := utc(2026, 11, 30, 22, 59, 59); inv.DueAt == nil || !inv.DueAt.Equal(want) {
			t.Fatalf("due %v, want %v", inv.DueAt, want)
		}

		sweep := func() int {
			t.Helper()
			n, err := a.Engine.SweepOverdue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		clock.Advance(7*24*time.Hour + 13*time.Hour) // Monday 30.11, 22:00 in Zurich: not yet
		if n := sweep(); n != 0 {
			t.Errorf("swept %d invitations before the deadline", n)
		}
		clock.Advance(2 * time.Hour) // Tuesday 1.12, 00:00 in Zurich
		if n := sweep(); n != 1 {
			t.Errorf("first sweep after the deadline handled %d invitations, want 1", n)
		}
		if n := sweep(); n != 0 {
			t.Errorf("second sweep handled %d invitations, want 0", n)
		}
		clock.Advance(24 * time.Hour)
		if n := sweep(); n != 0 {
			t.Errorf("sweep a day later handled %d invitations, want 0", n)
		}

		apptest.WaitJobs(t, a)
		for _, who := range []string{"expert@test.local", "expert2@test.local"} {
			mails := apptest.MailTo(t, a, who)
			if got := subjectsWith(mails, "Rappel"); len(got) != 1 {
				t.Errorf("%s got reminders %q, want one", who, got)
			}
			if got := subjectsWith(mails, "Avis demandé"); len(got) != 1 {
				t.Errorf("%s got invitations %q, want one", who, got)
			}
		}
		if got := apptest.MailTo(t, a, "agent@test.local"); len(got) != 0 {
			t.Errorf("the agent got %q, want nothing", got)
		}
		kinds := eventKinds(t, a, id)
		if n := countOf(kinds, store.EventOverdue); n != 1 {
			t.Errorf("%d overdue events in %v, want 1", n, kinds)
		}
		if n := countOf(kinds, store.EventFieldSet); n != 1 {
			t.Errorf("the overdue rule ran %d times (%v), want once", n, kinds)
		}
		if _, data := dossierRow(t, a, id); data["statut"] != "en retard depuis le 30" {
			t.Errorf("statut = %v, want the rule's value", data["statut"])
		}
		inv = invitation(t, a, id, "expert")
		if inv.Status != store.InvitationInvited || inv.OverdueAt == nil {
			t.Errorf("invitation %+v, want still invited, marked overdue", inv)
		}

		// Re-inviting gives new dates: the new deadline may fire again, once.
		if err := a.Engine.Circulate(ctx, agent, id, "expert", true, nil); err != nil {
			t.Fatal(err)
		}
		if inv = invitation(t, a, id, "expert"); inv.OverdueAt != nil {
			t.Errorf("re-invited invitation still overdue at %v", inv.OverdueAt)
		}
		clock.Advance(10 * 24 * time.Hour)
		if n := sweep(); n != 1 {
			t.Errorf("sweep after the new deadline handled %d invitations, want 1", n)
		}
		if n := sweep(); n != 0 {
			t.Errorf("second sweep after the new deadline handled %d, want 0", n)
		}
	})
}

// TestOverdueRuleFailure has an invitation.overdue rule that fails: the
// sweep logs it, marks the invitation so that it does not block later
// sweeps, and writes nothing else (no reminder, no event).
func TestOverdueRuleFailure(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		clock := apptest.NewClock(monday)
		a := newPipelineApp(t, db, clock)
		ctx := context.Background()
		c := publishPipeline(t, a, "retard-casse", `[
			{"id": "compter", "on": "invitation.overdue", "do": [{"set": "tours", "value": "int(data.montant)"}]}]`)
		agent := staffActor(t, a, "agent", "retard-casse", "agent", "processing")
		staffActor(t, a, "expert", "retard-casse", "expert", "consulted")
		id := submitTo(t, a, c, `{"nom": "Rochat", "montant": "beaucoup"}`)
		if err := a.Engine.Circulate(ctx, agent, id, "expert", true, nil); err != nil {
			t.Fatal(err)
		}
		apptest.WaitJobs(t, a)
		before := eventKinds(t, a, id)
		clock.Advance(10 * 24 * time.Hour)
		if n, err := a.Engine.SweepOverdue(ctx); err != nil || n != 1 {
			t.Fatalf("sweep = %d, %v; want 1 handled", n, err)
		}
		if n, err := a.Engine.SweepOverdue(ctx); err != nil || n != 0 {
			t.Fatalf("second sweep = %d, %v; want 0", n, err)
		}
		inv := invitation(t, a, id, "expert")
		if inv.Status != store.InvitationInvited || inv.OverdueAt == nil || inv.InvitedAt == nil || inv.DueAt == nil {
			t.Errorf("invitation %+v, want invited with its dates, marked overdue", inv)
		}
		if got := eventKinds(t, a, id); !slices.Equal(got, before) {
			t.Errorf("timeline %v, want %v (the failed change rolled back)", got, before)
		}
		apptest.WaitJobs(t, a)
		if got := subjectsWith(apptest.MailTo(t, a, "expert@test.local"), "Rappel"); len(got) != 0 {
			t.Errorf("reminders %q sent by a rolled-back change", got)
		}
	})
}

func countOf(xs []string, x string) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}

// TestReinviteReturnedRole re-invites a role that returned its opinion:
// the invitation is invited again with new dates, returned_at is cleared,
// a new invitation is sent, and the role may return a second opinion.
// Rules see the decision of the latest opinion.
func TestReinviteReturnedRole(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		clock := apptest.NewClock(monday)
		a := newPipelineApp(t, db, clock)
		ctx := context.Background()
		c := publishPipeline(t, a, "reinvitation", `[
			{"id": "noter-refus", "on": "opinion.returned", "role": "expert", "if": "invitations.expert.decision == 'unfavourable'",
			 "do": [{"set": "statut", "value": "'refus de ' + event.role"}]},
			{"id": "noter-accord", "on": "opinion.returned", "role": "expert", "if": "invitations.expert.decision == 'favourable'",
			 "do": [{"set": "statut", "value": "'accord'"}]}]`)
		agent := staffActor(t, a, "agent", "reinvitation", "agent", "processing")
		expert := staffActor(t, a, "expert", "reinvitation", "expert", "consulted")
		id := submitTo(t, a, c, `{"nom": "Rochat"}`)

		if err := a.Engine.Circulate(ctx, agent, id, "expert", true, nil); err != nil {
			t.Fatal(err)
		}
		clock.Advance(24 * time.Hour)
		if err := a.Engine.ReturnOpinion(ctx, expert, id, "expert", map[string]any{"decision": "unfavourable", "text": "Non."}); err != nil {
			t.Fatal(err)
		}
		inv := invitation(t, a, id, "expert")
		if inv.Status != store.InvitationReturned || inv.ReturnedAt == nil || !inv.ReturnedAt.Equal(clock.Now()) {
			t.Fatalf("after the opinion: %+v, want returned now", inv)
		}
		if _, data := dossierRow(t, a, id); data["statut"] != "refus de expert" {
			t.Errorf("statut = %v, want the rule reading the decision", data["statut"])
		}
		// A returned role cannot return again, nor be activated again.
		if err := a.Engine.ReturnOpinion(ctx, expert, id, "expert", map[string]any{"decision": "favourable", "text": "Oui."}); err == nil {
			t.Error("a returned role returned a second opinion without being re-invited")
		}
		if err := a.Engine.Circulate(ctx, agent, id, "expert", false, nil); err == nil {
			t.Error("a returned role was activated again")
		}

		clock.Advance(24 * time.Hour) // Wednesday 25.11
		if err := a.Engine.Circulate(ctx, agent, id, "expert", true, nil); err != nil {
			t.Fatal(err)
		}
		inv = invitation(t, a, id, "expert")
		now := clock.Now()
		if inv.Status != store.InvitationInvited || inv.ReturnedAt != nil || inv.InvitedAt == nil || !inv.InvitedAt.Equal(now) {
			t.Errorf("after re-invitation: %+v, want invited now with no returned_at", inv)
		}
		if want := utc(2026, 11, 30, 22, 59, 59); inv.DueAt == nil || !inv.DueAt.Equal(want) { // 25.11 + 5 = Monday 30.11
			t.Errorf("new deadline %v, want %v", inv.DueAt, want)
		}
		apptest.WaitJobs(t, a)
		if got := subjectsWith(apptest.MailTo(t, a, "expert@test.local"), "Avis demandé"); len(got) != 2 {
			t.Errorf("invitations to the expert %q, want two", got)
		}

		clock.Advance(time.Hour)
		if err := a.Engine.ReturnOpinion(ctx, expert, id, "expert", map[string]any{"decision": "favourable", "text": "Oui."}); err != nil {
			t.Fatal(err)
		}
		if _, data := dossierRow(t, a, id); data["statut"] != "accord" {
			t.Errorf("statut = %v, want the rule reading the latest decision", data["statut"])
		}
		ops, err := store.Opinions(ctx, a.DB.Read, id)
		if err != nil || len(ops) != 2 || ops[0].Decision != "unfavourable" || ops[1].Decision != "favourable" {
			t.Errorf("opinions %+v (%v), want both, oldest first", ops, err)
		}
		kinds := eventKinds(t, a, id)
		if n := countOf(kinds, store.EventInvited); n != 2 {
			t.Errorf("%d invitation events in %v, want 2", n, kinds)
		}
	})
}
