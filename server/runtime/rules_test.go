package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// tableCounts returns how many dossiers, events, jobs and invitations
// exist.
func tableCounts(t testing.TB, a *app.App) map[string]int {
	t.Helper()
	out := map[string]int{}
	for name, model := range map[string]any{"dossiers": (*store.Dossier)(nil), "events": (*store.Event)(nil),
		"jobs": (*jobs.Job)(nil), "invitations": (*store.Invitation)(nil)} {
		n, err := a.DB.Read.NewSelect().Model(model).Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out[name] = int(n)
	}
	return out
}

// wantRuleError checks that err is a rule's ActionError naming what the
// message must contain, and that it is not a refusal of the agent.
func wantRuleError(t *testing.T, err error, contains ...string) {
	t.Helper()
	var ae *runtime.ActionError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v (%T), want an ActionError", err, err)
	}
	for _, s := range contains {
		if !strings.Contains(ae.Error(), s) {
			t.Errorf("error %q does not contain %q", ae.Error(), s)
		}
	}
	if !errors.Is(err, runtime.ErrRuleFailed) {
		t.Errorf("error %q is not ErrRuleFailed", err)
	}
	if ae.Forbidden() {
		t.Errorf("error %q is Forbidden: a rule failure is a conflict (409), not the agent's fault", err)
	}
}

// TestRuleFailureRollsBackTheChange fires a transition whose
// dossier.entered rule fails: nothing of the change is written (state,
// data, events, jobs) and the error names the rule.
func TestRuleFailureRollsBackTheChange(t *testing.T) {
	tests := []struct {
		name  string
		rules string
		want  []string
		fr    string // the French message, when checked
	}{
		{"set value fails at run time",
			`[{"id": "compter", "on": "dossier.entered", "state": "examen",
			   "do": [{"send": "note"}, {"set": "statut", "value": "'vu'"}, {"set": "tours", "value": "int(data.montant)"}]}]`,
			[]string{`rule "compter", action 3`, "value of tours"}, "règle «\u00a0compter\u00a0», action 3 : value of tours: "},
		{"transition action from a wrong state",
			`[{"id": "reprendre-auto", "on": "dossier.entered", "state": "examen",
			   "do": [{"set": "statut", "value": "'vu'"}, {"send": "note"}, {"transition": "reprendre"}]}]`,
			[]string{`rule "reprendre-auto", action 3`, `"Reprendre" is not possible from the state "Examen"`},
			"règle «\u00a0reprendre-auto\u00a0», action 3 : «\u00a0Reprendre\u00a0» n’est pas possible depuis l’état «\u00a0Examen\u00a0»"},
		{"condition fails at run time",
			`[{"id": "seuil", "on": "dossier.entered", "state": "examen", "if": "int(data.montant) > 3",
			   "do": [{"send": "note"}]}]`,
			[]string{`rule "seuil": condition failed`}, "règle «\u00a0seuil\u00a0» : la condition n’a pas pu être évaluée : "},
		{"a rule triggered by a rule fails",
			`[{"id": "enchainer", "on": "dossier.entered", "state": "examen", "do": [{"send": "note"}, {"transition": "attendre"}]},
			  {"id": "compter", "on": "dossier.entered", "state": "attente", "do": [{"set": "tours", "value": "int(data.montant)"}]}]`,
			[]string{`rule "compter", action 1`}, "règle «\u00a0compter\u00a0», action 1 : "},
	}
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := newPipelineApp(t, db, apptest.NewClock(monday))
		ctx := context.Background()
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				slug := fmt.Sprintf("echec-%d", i)
				c := publishPipeline(t, a, slug, tc.rules)
				agent := staffActor(t, a, fmt.Sprintf("agent%d", i), slug, "agent", "processing")
				id := submitTo(t, a, c, `{"nom": "Rochat", "email": "claude@example.ch", "montant": "beaucoup"}`)
				apptest.WaitJobs(t, a)
				before := tableCounts(t, a)
				beforeKinds := eventKinds(t, a, id)

				err := a.Engine.Fire(ctx, agent, id, "examiner", nil)
				wantRuleError(t, err, tc.want...)
				if fr := runtime.Message(err, "fr"); tc.fr != "" && !strings.HasPrefix(fr, tc.fr) {
					t.Errorf("in French: %q, want it to start with %q", fr, tc.fr)
				}
				if en := runtime.Message(err, "en"); en != err.Error() {
					t.Errorf("in English: %q, want %q", en, err.Error())
				}

				d, data := dossierRow(t, a, id)
				if d.State != "recu" || d.ClosedAt != nil {
					t.Errorf("dossier state %q (closed %v), want recu: the transition was rolled back", d.State, d.ClosedAt)
				}
				if _, ok := data["statut"]; ok {
					t.Errorf("data %v: the set of the failed change was written", data)
				}
				if after := tableCounts(t, a); !mapsEqual(after, before) {
					t.Errorf("rows after the failed change %v, want %v", after, before)
				}
				if got := eventKinds(t, a, id); !slices.Equal(got, beforeKinds) {
					t.Errorf("timeline %v, want %v", got, beforeKinds)
				}
			})
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestRuleLoopStops has two rules move a dossier back and forth on
// dossier.entered: the chain stops at the depth limit with an error naming
// it, and nothing is written.
func TestRuleLoopStops(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := newPipelineApp(t, db, apptest.NewClock(monday))
		c := publishPipeline(t, a, "boucle", `[
			{"id": "aller", "on": "dossier.entered", "state": "examen", "do": [{"set": "statut", "value": "'aller'"}, {"transition": "attendre"}]},
			{"id": "retour", "on": "dossier.entered", "state": "attente", "do": [{"send": "note"}, {"transition": "reprendre"}]}]`)
		agent := staffActor(t, a, "agent", "boucle", "agent", "processing")
		id := submitTo(t, a, c, `{"nom": "Rochat", "email": "claude@example.ch"}`)
		apptest.WaitJobs(t, a)
		before := tableCounts(t, a)

		err := a.Engine.Fire(context.Background(), agent, id, "examiner", nil)
		wantRuleError(t, err, "rules triggered each other more than 8 times", "aller → retour → aller → retour")
		if fr := runtime.Message(err, "fr-CH"); !strings.HasPrefix(fr, "les règles se sont déclenchées l’une l’autre plus de 8 fois (aller → retour → ") {
			t.Errorf("in French: %q", fr)
		}

		if d, data := dossierRow(t, a, id); d.State != "recu" || data["statut"] != nil {
			t.Errorf("dossier %s with %v after the loop, want recu untouched", d.State, data)
		}
		if after := tableCounts(t, a); !mapsEqual(after, before) {
			t.Errorf("rows after the loop %v, want %v", after, before)
		}
	})
}

// TestSubmittedRulesRunInTheSubmission checks that dossier.submitted rules
// run in the submission's transaction: their changes are on the dossier
// when Submit returns, and when one fails there is no dossier at all.
func TestSubmittedRulesRunInTheSubmission(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := newPipelineApp(t, db, apptest.NewClock(monday))
		c := publishPipeline(t, a, "a-l-arrivee", `[
			{"id": "marquer", "on": "dossier.submitted", "if": "dossier.state == 'recu'",
			 "do": [{"set": "statut", "value": "'nouveau ' + data.nom"}, {"assign": "guichet-nord"}, {"transition": "examiner"},
			        {"activate": "expert"}]},
			{"id": "compter", "on": "dossier.submitted", "if": "data.montant != nil", "do": [{"set": "tours", "value": "int(data.montant)"}]}]`)

		id := submitTo(t, a, c, `{"nom": "Rochat", "email": "claude@example.ch"}`)
		d, data := dossierRow(t, a, id)
		if d.State != "examen" || d.AssignedGroup != "guichet-nord" || data["statut"] != "nouveau Rochat" {
			t.Errorf("dossier %s, group %q, data %v: want the rules' transition, assignment and set", d.State, d.AssignedGroup, data)
		}
		if inv := invitation(t, a, id, "expert"); inv == nil || inv.Status != store.InvitationPending {
			t.Errorf("expert invitation %+v, want pending", inv)
		}
		want := []string{store.EventSubmitted, store.EventFieldSet, store.EventAssigned, store.EventTransition, "state.examen", store.EventActivated}
		if got := eventKinds(t, a, id); !slices.Equal(got, want) {
			t.Errorf("timeline %v, want %v", got, want)
		}

		before := tableCounts(t, a)
		_, err := a.Engine.Submit(context.Background(), runtime.Submission{Procedure: c, Channel: "api",
			Data: map[string]any{"nom": "Favre", "email": "dominique@example.ch", "montant": "beaucoup"}})
		wantRuleError(t, err, `rule "compter", action 1`)
		if after := tableCounts(t, a); !mapsEqual(after, before) {
			t.Errorf("rows after the failed submission %v, want %v (no dossier, event or job)", after, before)
		}
	})
}

// TestSubmittedRulesSurviveGroupRetry submits concurrently to a procedure
// whose dossier.submitted rule moves the dossier and fails for some
// submissions: a group that fails is retried one by one, and the
// submissions that were fine in it end up exactly as if alone (one
// transition, from the initial state).
func TestSubmittedRulesSurviveGroupRetry(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := newPipelineApp(t, db, apptest.NewClock(monday))
		c := publishPipeline(t, a, "en-groupe", `[
			{"id": "examiner-tout", "on": "dossier.submitted", "do": [{"set": "statut", "value": "'vu'"}, {"transition": "examiner"}]},
			{"id": "compter", "on": "dossier.submitted", "do": [{"set": "tours", "value": "int(data.montant)"}]}]`)
		const n = 60
		var wg sync.WaitGroup
		ids := make([]string, n)
		errs := make([]error, n)
		for i := range n {
			montant := "12"
			if i%4 == 3 {
				montant = "douze"
			}
			wg.Go(func() {
				r, err := a.Engine.Submit(context.Background(), runtime.Submission{Procedure: c, Channel: "api",
					Data: map[string]any{"nom": fmt.Sprint("N", i), "montant": montant}})
				errs[i] = err
				if err == nil {
					ids[i] = r.DossierID
				}
			})
		}
		wg.Wait()
		for i := range n {
			if i%4 == 3 {
				if errs[i] == nil {
					t.Errorf("submission %d with a failing rule succeeded", i)
				}
				continue
			}
			if errs[i] != nil {
				t.Errorf("submission %d: %v", i, errs[i])
				continue
			}
			d, data := dossierRow(t, a, ids[i])
			kinds := eventKinds(t, a, ids[i])
			want := []string{store.EventSubmitted, store.EventFieldSet, store.EventTransition, "state.examen", store.EventFieldSet}
			if d.State != "examen" || data["tours"] != float64(12) || !slices.Equal(kinds, want) {
				t.Errorf("submission %d: state %s, data %v, timeline %v; want examen, tours 12, %v", i, d.State, data, kinds, want)
			}
		}
		if got := tableCounts(t, a)["dossiers"]; got != n-n/4 {
			t.Errorf("%d dossiers, want %d", got, n-n/4)
		}
	})
}
