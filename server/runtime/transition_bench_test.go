package runtime_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/guichet/guichet/server/apptest"
)

// benchRules makes entering each of examen and attente fire two rules: a
// set and a send.
const benchRules = `[
	{"id": "noter-attente", "on": "dossier.entered", "state": "attente",
	 "do": [{"set": "statut", "value": "'en attente depuis le ' + now.Format('02.01.2006')"}]},
	{"id": "prevenir-attente", "on": "dossier.entered", "state": "attente", "do": [{"send": "note"}]},
	{"id": "noter-examen", "on": "dossier.entered", "state": "examen",
	 "do": [{"set": "statut", "value": "'en examen depuis le ' + now.Format('02.01.2006')"}]},
	{"id": "prevenir-examen", "on": "dossier.entered", "state": "examen", "do": [{"send": "note"}]}]`

// BenchmarkTransition fires a transition whose target state has two rules
// (set a field, send a message), alternately examen → attente and back, as
// an agent through Engine.Fire: the visibility check, the locked read, the
// rules, and one transaction writing the dossier, three events and a job.
// Target: p95 ≤ 5 ms. See docs/PERFORMANCE.md.
//
//	go test -run '^$' -bench BenchmarkTransition -benchtime 2000x ./server/runtime/
func BenchmarkTransition(b *testing.B) {
	for _, db := range benchDBs(b) {
		b.Run(db.Name, func(b *testing.B) {
			a := apptest.New(b, db.Fresh(b), apptest.Options{NoStart: true, Now: apptest.NewClock(monday).Now})
			ctx := context.Background()
			c := publishPipeline(b, a, "banc-transition", benchRules)
			agent := staffActor(b, a, "agent", "banc-transition", "agent", "processing")
			id := submitTo(b, a, c, `{"nom": "Rochat", "email": "claude@example.ch"}`)
			if err := a.Engine.Fire(ctx, agent, id, "examiner", nil); err != nil {
				b.Fatal(err)
			}
			next := map[string]string{"attendre": "reprendre", "reprendre": "attendre"}
			t := "attendre"
			if os.Getenv("GUICHET_BENCH_EXPLAIN") != "" { // log the statements of one transition
				rec := &queryRecorder{}
				a.DB.Read.AddQueryHook(rec)
				if a.DB.Write != a.DB.Read {
					a.DB.Write.AddQueryHook(rec)
				}
				rec.on.Store(true)
				if err := a.Engine.Fire(ctx, agent, id, t, nil); err != nil {
					b.Fatal(err)
				}
				rec.on.Store(false)
				t = next[t]
				b.Logf("%d statements:\n  %s", len(rec.queries), strings.Join(rec.queries, "\n  "))
			}
			var l latencies
			for b.Loop() {
				l.time(func() {
					if err := a.Engine.Fire(ctx, agent, id, t, nil); err != nil {
						b.Fatal(err)
					}
				})
				t = next[t]
			}
			l.report(b)
			if d, data := dossierRow(b, a, id); data["statut"] == nil || (d.State != "examen" && d.State != "attente") {
				b.Fatalf("dossier %s, data %v: the rules did not run", d.State, data)
			}
		})
	}
}
