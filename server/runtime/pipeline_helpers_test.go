package runtime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// testPipelineProcedure is a small procedure whose pipeline tests fill with
// rules: recu → examen ⇄ attente → fin, an agent (processing) and an
// expert (consulted, 5 calendar days, invitation and reminder messages).
const testPipelineProcedure = `{
  "slug": %q, "title": "Essai de pipeline", "audience": "agents", "referencePrefix": %q,
  "scenarios": [{
    "id": "saisie", "kind": "online",
    "form": {"schema": {"type": "object", "properties": {
      "nom": {"type": "string"}, "email": {"type": "string", "format": "email"},
      "montant": {"type": "string"}, "statut": {"type": "string"}, "tours": {"type": "integer"}}}},
    "pipeline": {
      "states": [
        {"id": "recu", "label": "Reçu", "publicLabel": "Reçu", "kind": "initial"},
        {"id": "examen", "label": "Examen", "publicLabel": "En examen", "kind": "intermediate"},
        {"id": "attente", "label": "Attente", "publicLabel": "En attente", "kind": "intermediate"},
        {"id": "fin", "label": "Fin", "publicLabel": "Terminé", "kind": "final"}
      ],
      "transitions": [
        {"id": "examiner", "label": "Examiner", "from": ["recu"], "to": "examen", "roles": ["agent"]},
        {"id": "attendre", "label": "Attendre", "from": ["examen"], "to": "attente", "roles": ["agent"]},
        {"id": "reprendre", "label": "Reprendre", "from": ["attente"], "to": "examen", "roles": ["agent"]},
        {"id": "clore", "label": "Clore", "from": ["examen", "attente"], "to": "fin", "roles": ["agent"]}
      ],
      "roles": [
        {"id": "agent", "label": "Agent", "kind": "processing", "mayCirculate": ["*"], "seesOpinionsOf": ["*"]},
        {"id": "expert", "label": "Expert", "kind": "consulted", "delay": {"days": 5},
         "invitation": "invitation-expert", "reminder": "rappel-expert"}
      ],
      "messages": [
        {"id": "invitation-expert", "to": "expert", "subject": "Avis demandé {{.Reference}}", "body": "Délai : {{.DueAt}}"},
        {"id": "rappel-expert", "to": "expert", "subject": "Rappel {{.Reference}}", "body": "Échu le {{.DueAt}}"},
        {"id": "note", "to": "applicant", "subject": "Note {{.Reference}}", "body": "Bonjour {{.Data.nom}}"}
      ],
      "rules": %s
    }
  }],
  "messages": {"applicantEmail": "/email", "applicantName": "/nom"}
}`

// prefixes numbers the reference prefixes of test procedures: references
// are unique across procedures.
var prefixes atomic.Int64

// publishPipeline publishes the test procedure slug with rules (a JSON
// array) and returns its current version.
func publishPipeline(t testing.TB, a *app.App, slug, rules string) *runtime.Compiled {
	t.Helper()
	prefix := fmt.Sprintf("T%d", prefixes.Add(1))
	def, err := builder.Parse(fmt.Appendf(nil, testPipelineProcedure, slug, prefix, rules))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Engine.PublishDefinition(context.Background(), def, nil); err != nil {
		t.Fatal(err)
	}
	c, err := a.Engine.Published(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// monday is the test clock's start: Monday 23 November 2026, 10:00 in Zurich.
var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// newPipelineApp returns an app on a fresh database with the clock.
func newPipelineApp(t testing.TB, db apptest.DB, clock *apptest.Clock) *app.App {
	t.Helper()
	return apptest.New(t, db.Fresh(t), apptest.Options{Now: clock.Now})
}

// submitTo submits data (JSON) to c and returns the dossier ID.
func submitTo(t testing.TB, a *app.App, c *runtime.Compiled, data string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		t.Fatal(err)
	}
	r, err := a.Engine.Submit(context.Background(), runtime.Submission{Procedure: c, Data: m, Channel: "api"})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return r.DossierID
}

// staffActor creates a member of role on slug and returns their actor.
func staffActor(t testing.TB, a *app.App, name, slug, role, kind string) *runtime.Actor {
	t.Helper()
	u := apptest.CreateStaff(t, a, name, slug, role, kind)
	act, err := a.Engine.ActorFor(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return act
}

// dossierRow reads a dossier and its data.
func dossierRow(t testing.TB, a *app.App, id string) (*store.Dossier, map[string]any) {
	t.Helper()
	d, err := store.DossierByID(context.Background(), a.DB.Read, id)
	if err != nil {
		t.Fatal(err)
	}
	var data map[string]any
	if err := json.Unmarshal(d.Data, &data); err != nil {
		t.Fatal(err)
	}
	return d, data
}

// eventKinds returns the kinds of a dossier's timeline, oldest first.
func eventKinds(t testing.TB, a *app.App, id string) []string {
	t.Helper()
	evs, err := store.Events(context.Background(), a.DB.Read, id, false)
	if err != nil {
		t.Fatal(err)
	}
	kinds := make([]string, 0, len(evs))
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	return kinds
}

// invitation returns the invitation of role on a dossier, or nil.
func invitation(t testing.TB, a *app.App, id, role string) *store.Invitation {
	t.Helper()
	invs, err := store.Invitations(context.Background(), a.DB.Read, id)
	if err != nil {
		t.Fatal(err)
	}
	return invs[role]
}
