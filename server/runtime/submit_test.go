package runtime_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

const validBooking = `{
	"first_name": "Marie", "last_name": "Dupont", "email": "marie.dupont@example.ch",
	"address": {"street": "Rue du Lac 1", "postcode": "1000", "city": "Lausanne"},
	"room": "salle-communale", "event_date": "2026-06-20", "attendees": 50, "consent": true
}`

func booking(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(validBooking), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func published(t testing.TB, a *app.App, slug string) *runtime.Compiled {
	t.Helper()
	c, err := a.Engine.Published(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func count(t testing.TB, a *app.App, model any, where ...any) int {
	t.Helper()
	q := a.DB.Read.NewSelect().Model(model)
	if len(where) > 0 {
		q = q.Where(where[0].(string), where[1:]...)
	}
	n, err := q.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// counts returns how many dossiers, submitted events and acknowledgement
// jobs exist.
func counts(t testing.TB, a *app.App) [3]int {
	t.Helper()
	return [3]int{
		count(t, a, (*store.Dossier)(nil)),
		count(t, a, (*store.Event)(nil), "kind = ?", store.EventSubmitted),
		count(t, a, (*jobs.Job)(nil), "kind = ? AND CAST(payload AS TEXT) LIKE ?", runtime.JobSendMessage, `%"ack-%`),
	}
}

// totals returns how many dossiers, events and jobs of any kind exist.
func totals(t testing.TB, a *app.App) [3]int {
	t.Helper()
	return [3]int{count(t, a, (*store.Dossier)(nil)), count(t, a, (*store.Event)(nil)), count(t, a, (*jobs.Job)(nil))}
}

var seqRe = regexp.MustCompile(`^RS-(\d{4})-(\d{5})$`)

// seqs returns the sequence numbers of references, sorted, failing on a
// reference that is not RS-<this year>-NNNNN.
func seqs(t testing.TB, refs []string) []int {
	t.Helper()
	year := strconv.Itoa(time.Now().UTC().Year())
	var out []int
	for _, r := range refs {
		m := seqRe.FindStringSubmatch(r)
		if m == nil || m[1] != year {
			t.Fatalf("reference %q is not RS-%s-NNNNN", r, year)
		}
		n, _ := strconv.Atoi(m[2])
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

func oneToN(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// submitConcurrently submits n bookings at once through each app and
// returns their references.
func submitConcurrently(t testing.TB, n int, apps ...*app.App) []string {
	t.Helper()
	var mu sync.Mutex
	var refs []string
	var wg sync.WaitGroup
	for _, a := range apps {
		c := published(t, a, "reservation-salle")
		for range n {
			data := booking(t)
			wg.Go(func() {
				rc, err := a.Engine.Submit(context.Background(), runtime.Submission{Procedure: c, Data: data, Channel: "api"})
				if err != nil {
					t.Errorf("submit: %v", err)
					return
				}
				mu.Lock()
				refs = append(refs, rc.Reference)
				mu.Unlock()
			})
		}
	}
	wg.Wait()
	return refs
}

func TestReferencesUniqueAndConsecutive(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{NoStart: true})
		refs := submitConcurrently(t, 200, a)
		if got := seqs(t, refs); !slices.Equal(got, oneToN(200)) {
			t.Errorf("sequence numbers %v, want 1..200 once each", got)
		}
		if got := counts(t, a); got != [3]int{200, 200, 200} {
			t.Errorf("dossiers, events, jobs = %v, want 200 each", got)
		}
	})
}

// Two instances on one database share the reference counter.
func TestReferencesAcrossInstances(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		dir := t.TempDir()
		a1 := apptest.New(t, db, apptest.Options{NoStart: true, DataDir: dir})
		a2 := apptest.New(t, db, apptest.Options{NoStart: true, DataDir: dir})
		refs := submitConcurrently(t, 100, a1, a2)
		if got := seqs(t, refs); !slices.Equal(got, oneToN(200)) {
			t.Errorf("sequence numbers %v, want 1..200 once each", got)
		}
	})
}

func TestSubmitWritesDossierEventAndJobTogether(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ctx := context.Background()
		a := apptest.New(t, db, apptest.Options{NoStart: true})
		v1 := published(t, a, "reservation-salle")
		rc, err := a.Engine.Submit(ctx, runtime.Submission{Procedure: v1, Data: booking(t), Channel: "api"})
		if err != nil {
			t.Fatal(err)
		}
		d, err := store.DossierByID(ctx, a.DB.Read, rc.DossierID)
		if err != nil {
			t.Fatal(err)
		}
		if d.VersionID != v1.VersionID || d.ProcedureID != v1.ProcedureID || d.Reference != rc.Reference {
			t.Errorf("dossier %+v not pinned to version %s", d, v1.VersionID)
		}
		evs, err := store.Events(ctx, a.DB.Read, d.ID, true)
		if err != nil || len(evs) != 1 || evs[0].Kind != store.EventSubmitted || evs[0].Actor != "applicant" {
			t.Fatalf("public events %+v (%v), want one submitted event", evs, err)
		}
		var details map[string]any
		_ = json.Unmarshal(evs[0].Details, &details)
		if details["channel"] != "api" || details["version"] != 1.0 {
			t.Errorf("event details %s", evs[0].Details)
		}
		var js []jobs.Job
		if err := a.DB.Read.NewSelect().Model(&js).Where("kind = ? AND CAST(payload AS TEXT) LIKE ?",
			runtime.JobSendMessage, "%"+d.ID+"%").Scan(ctx); err != nil || len(js) != 1 {
			t.Fatalf("message jobs of the dossier %+v (%v), want one", js, err)
		}
		var p runtime.MessagePayload
		if err := js[0].Decode(&p); err != nil || js[0].Kind != runtime.JobSendMessage || js[0].Status != jobs.StatusAvailable ||
			p != (runtime.MessagePayload{MessageID: "ack-" + d.ID, DossierID: d.ID, Kind: "ack"}) {
			t.Errorf("job %+v payload %+v, want an available ack of the dossier", js[0], p)
		}

		// A new version does not move the dossier; new dossiers take it.
		def, err := builder.Preset("reservation-salle")
		if err != nil {
			t.Fatal(err)
		}
		def.Title = "Réservation d'une salle communale"
		if _, err := a.Engine.PublishDefinition(ctx, def, nil); err != nil {
			t.Fatal(err)
		}
		v2 := published(t, a, "reservation-salle")
		if v2.VersionID == v1.VersionID || v2.Version != 2 {
			t.Fatalf("republished version %d %s", v2.Version, v2.VersionID)
		}
		rc2, err := a.Engine.Submit(ctx, runtime.Submission{Procedure: v2, Data: booking(t), Channel: "portal"})
		if err != nil {
			t.Fatal(err)
		}
		for id, want := range map[string]*runtime.Compiled{rc.DossierID: v1, rc2.DossierID: v2} {
			d, err := store.DossierByID(ctx, a.DB.Read, id)
			if err != nil || d.VersionID != want.VersionID {
				t.Errorf("dossier %s on version %s (%v), want %s", id, d.VersionID, err, want.VersionID)
			}
		}
		tr, err := a.Engine.Track(ctx, rc.TrackingToken)
		if err != nil || tr.Procedure.Def.Title != "Réservation de salle" {
			t.Errorf("the first dossier is tracked with title %q (%v), want its own version's", tr.Procedure.Def.Title, err)
		}
	})
}

func TestSubmitWithoutEmailQueuesNoMessage(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	agent := "agent-1"
	rc, err := a.Engine.Submit(context.Background(), runtime.Submission{
		Procedure: published(t, a, "saisie-guichet"), CreatedBy: &agent, Channel: "intake",
		Data: map[string]any{"channel": "telephone", "name": "Jean Martin", "subject": "voirie", "description": "Un lampadaire est en panne."},
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`^GU-\d{4}-00001$`); !m.MatchString(rc.Reference) {
		t.Errorf("reference %q", rc.Reference)
	}
	evs, _ := store.Events(context.Background(), a.DB.Read, rc.DossierID, false)
	if got := counts(t, a); got != [3]int{1, 1, 0} || len(evs) != 1 || evs[0].Actor != "user:agent-1" {
		t.Errorf("dossiers, events, jobs = %v, events %+v; want 1, 1, 0 by user:agent-1", got, evs)
	}
}

func TestSubmitFailureWritesNothing(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ctx := context.Background()
		a := apptest.New(t, db, apptest.Options{NoStart: true})
		good := published(t, a, "reservation-salle")
		// A version that does not exist: the dossier insert breaks its
		// foreign key, after the reference was reserved and before the
		// event and the job are written.
		bad := *good
		bad.VersionID = store.NewID()

		t.Run("alone", func(t *testing.T) {
			_, err := a.Engine.Submit(ctx, runtime.Submission{Procedure: &bad, Data: booking(t), Channel: "api"})
			if err == nil {
				t.Fatal("submit on a missing version succeeded")
			}
			if got := totals(t, a); got != [3]int{0, 0, 0} {
				t.Errorf("dossiers, events, jobs = %v after a failed submission, want none", got)
			}
		})

		t.Run("invalid data", func(t *testing.T) {
			data := booking(t)
			data["email"] = "nope"
			_, err := a.Engine.Submit(ctx, runtime.Submission{Procedure: good, Data: data})
			var ve *forms.ValidationError
			if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Pointer != "/email" {
				t.Fatalf("err = %v, want a validation error on /email", err)
			}
			if got := totals(t, a); got != [3]int{0, 0, 0} {
				t.Errorf("dossiers, events, jobs = %v, want none", got)
			}
		})

		// Failing submissions committed in the same group as good ones
		// take nothing down with them and burn no reference number.
		t.Run("among good ones", func(t *testing.T) {
			var wg sync.WaitGroup
			var mu sync.Mutex
			var refs []string
			var failed int
			for i := range 40 {
				p := good
				if i%8 == 0 {
					p = &bad
				}
				data := booking(t)
				wg.Go(func() {
					rc, err := a.Engine.Submit(ctx, runtime.Submission{Procedure: p, Data: data,
						IdempotencyKey: fmt.Sprintf("k%d", i)})
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						failed++
						return
					}
					refs = append(refs, rc.Reference)
				})
			}
			wg.Wait()
			if failed != 5 || len(refs) != 35 {
				t.Fatalf("%d failed, %d succeeded; want 5 and 35", failed, len(refs))
			}
			if got := seqs(t, refs); !slices.Equal(got, oneToN(35)) {
				t.Errorf("sequence numbers %v, want 1..35", got)
			}
			if got := counts(t, a); got != [3]int{35, 35, 35} {
				t.Errorf("dossiers, events, jobs = %v, want 35 each", got)
			}
			orphans, err := a.DB.Read.NewSelect().Model((*store.Event)(nil)).
				Where("dossier_id NOT IN (SELECT id FROM dossiers)").Count(ctx)
			if err != nil || orphans != 0 {
				t.Errorf("%d events without dossier (%v)", orphans, err)
			}
		})
	})
}

// A reference prefix belongs to one procedure: a second one using it would
// number its dossiers from 1 too and collide with the first one's.
func TestReferencePrefixBelongsToOneProcedure(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	ctx := context.Background()
	copyOf := func(slug, prefix string) *builder.Procedure {
		def, err := builder.Preset("reservation-salle")
		if err != nil {
			t.Fatal(err)
		}
		def.Slug, def.ReferencePrefix = slug, prefix
		return def
	}
	_, err := a.Engine.PublishDefinition(ctx, copyOf("reservation-carnotzet", "RS"), nil)
	var pe *runtime.ProblemsError
	if !errors.As(err, &pe) || len(pe.Problems) != 1 || pe.Problems[0].Path != "$.referencePrefix" {
		t.Fatalf("publishing with another procedure's prefix: %v, want a problem at $.referencePrefix", err)
	}
	if _, err := a.Engine.Published(ctx, "reservation-carnotzet"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("refused procedure is published (%v)", err)
	}
	// Its own prefix again, or a free one, is fine.
	for _, def := range []*builder.Procedure{copyOf("reservation-salle", "RS"), copyOf("reservation-carnotzet", "RC")} {
		if _, err := a.Engine.PublishDefinition(ctx, def, nil); err != nil {
			t.Errorf("publish %s with prefix %s: %v", def.Slug, def.ReferencePrefix, err)
		}
	}
	for slug, want := range map[string]string{"reservation-salle": "RS-", "reservation-carnotzet": "RC-"} {
		rc, err := a.Engine.Submit(ctx, runtime.Submission{Procedure: published(t, a, slug), Data: booking(t)})
		if err != nil || !strings.HasPrefix(rc.Reference, want) || !strings.HasSuffix(rc.Reference, "-00001") {
			t.Errorf("%s: reference %v (%v), want %s…-00001", slug, rc, err, want)
		}
	}
}
