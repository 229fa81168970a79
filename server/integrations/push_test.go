package integrations_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/integrations"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// A submission is pushed once, signed, with the mapped body; the answer's
// id is stored and its transition fired, and the acknowledgement still
// goes out through the same job machinery.
func TestPushOnSubmission(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		fake := newFakeApp(t, signingSecret)
		c := connect(t, a, fake, nil)
		ds := pushed(t, a, c, 3)

		posts := fake.reqs(http.MethodPost, "/signalements")
		if len(posts) != 3 || fake.created() != 3 {
			t.Fatalf("fake got %d posts and created %d reports, want 3 and 3", len(posts), fake.created())
		}
		byRef := map[any]fakeRequest{}
		for _, r := range posts {
			byRef[r.Body["reference"]] = r
		}
		for i, d := range ds {
			r := byRef[d.Reference]
			if !r.SigOK || r.WebhookID == "" || r.Key != r.WebhookID {
				t.Errorf("post %d: signature ok %v, webhook-id %q, idempotency key %q", i, r.SigOK, r.WebhookID, r.Key)
			}
			if r.Body["reference"] != d.Reference || r.Body["category"] != "chaussee" || r.Body["has_photo"] != false {
				t.Errorf("post %d body = %v", i, r.Body)
			}
			if contact, _ := r.Body["contact"].(map[string]any); contact["email"] != report(i)["email"] {
				t.Errorf("post %d contact = %v", i, r.Body["contact"])
			}
			if d.State != "transmis" {
				t.Errorf("%s is %q, want transmis (the answer's transition)", d.Reference, d.State)
			}
			evs := events(t, a, d.ID)
			if countKind(evs, store.EventIntegrationPushed) != 1 || countKind(evs, store.EventIntegration) != 1 {
				t.Errorf("%s timeline: %d pushed, %d integration.updated events", d.Reference,
					countKind(evs, store.EventIntegrationPushed), countKind(evs, store.EventIntegration))
			}
		}
		if got := apptest.MailTo(t, a, "habitant0@example.ch"); len(got) != 1 || !strings.Contains(got[0], "reçu") {
			t.Errorf("acknowledgement = %q", got)
		}
	})
}

// Network errors, timeouts, 5xx and a malformed answer are retried with
// the configured backoff and jitter, under one idempotency key: the
// application creates one report and the dossier gets one id.
func TestPushRetriesWithBackoff(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		fake := newFakeApp(t, signingSecret)
		c := connect(t, a, fake, nil)
		fake.fail(
			fault{method: http.MethodPost, status: http.StatusInternalServerError, body: "boom"},
			fault{method: http.MethodPost, sleep: 1500 * time.Millisecond}, // beyond the 1 s timeout
			fault{method: http.MethodPost, status: http.StatusCreated, malformed: true},
		)
		ds := pushed(t, a, c, 1)

		posts := fake.reqs(http.MethodPost, "/signalements")
		if len(posts) != 4 {
			t.Fatalf("%d attempts, want 4", len(posts))
		}
		for _, p := range posts[1:] {
			if p.Key != posts[0].Key || p.WebhookID != posts[0].WebhookID {
				t.Errorf("the idempotency key changed across retries: %q then %q", posts[0].Key, p.Key)
			}
		}
		if fake.created() != 1 || *ds[0].ExternalID != "SIG-1" {
			t.Errorf("created %d reports, external id %v", fake.created(), *ds[0].ExternalID)
		}
		// Attempt n+1 starts about 100ms·2^(n-1) (±25 %) after attempt n
		// ended (the timed-out one ends 1 s after it started).
		ends := []time.Time{posts[0].At, posts[1].At.Add(time.Second), posts[2].At}
		for i, want := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond} {
			gap := posts[i+1].At.Sub(ends[i])
			if gap < want*3/4-20*time.Millisecond || gap > want*5/4+400*time.Millisecond {
				t.Errorf("gap before attempt %d = %s, want about %s", i+2, gap, want)
			}
		}
		j := integrationJobs(t, a, integrations.KindPush)[0]
		if j.Status != jobs.StatusDone || j.Attempts != 4 {
			t.Errorf("job %s after %d attempts", j.Status, j.Attempts)
		}
		if got := countKind(events(t, a, ds[0].ID), store.EventIntegrationPushed); got != 1 {
			t.Errorf("%d pushed events, want 1", got)
		}
	})
}

// 429 and 503 are retried no earlier than their Retry-After.
func TestPushHonoursRetryAfter(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{})
	fake := newFakeApp(t, signingSecret)
	c := connect(t, a, fake, nil)
	fake.fail(fault{method: http.MethodPost, status: http.StatusTooManyRequests, retryAfter: "1"},
		fault{method: http.MethodPost, status: http.StatusServiceUnavailable, retryAfter: "1"})
	pushed(t, a, c, 1)
	posts := fake.reqs(http.MethodPost, "/signalements")
	if len(posts) != 3 {
		t.Fatalf("%d attempts, want 3", len(posts))
	}
	for i := 1; i < 3; i++ {
		if gap := posts[i].At.Sub(posts[i-1].At); gap < time.Second {
			t.Errorf("attempt %d came %s after a Retry-After of 1 s", i+1, gap)
		}
	}
}

// A 4xx other than 408 and 429 is not retried: the delivery is dead at
// once with the application's answer, shown to admins, who retry it
// ("retry now") once the problem is fixed; it keeps its idempotency key.
func TestPushDeadAndRetryNow(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		fake := newFakeApp(t, signingSecret)
		c := connect(t, a, fake, nil)
		fake.fail(fault{method: http.MethodPost, status: http.StatusBadRequest, body: `{"error": "category unknown"}`})
		ids := submit(t, a, c, 1)
		apptest.WaitJobs(t, a)
		j := integrationJobs(t, a, integrations.KindPush)[0]
		if j.Status != jobs.StatusDead || j.Attempts != 1 || j.LastError == nil || !strings.Contains(*j.LastError, "400 Bad Request") ||
			!strings.Contains(*j.LastError, "category unknown") {
			t.Fatalf("job after a 400: %s, %d attempts, %v", j.Status, j.Attempts, j.LastError)
		}

		admin := apptest.NewClient(t, apptest.Serve(t, a))
		admin.AdminAPI()
		status, body := admin.JSON(http.MethodGet, "/api/admin/integrations/"+key+"/deliveries", nil)
		if status != http.StatusOK || !strings.Contains(body, j.ID) || !strings.Contains(body, "category unknown") ||
			!strings.Contains(body, dossier(t, a, ids[0]).Reference) {
			t.Fatalf("dead deliveries: %d %s", status, body)
		}
		status, body = admin.JSON(http.MethodGet, "/api/admin/integrations", nil)
		if status != http.StatusOK || !strings.Contains(body, `"dead":1`) || strings.Contains(body, webhookSecret[6:]) {
			t.Errorf("integrations: %d %s", status, body)
		}
		if status, body = admin.JSON(http.MethodPost, "/api/admin/integrations/jobs/"+j.ID+"/retry", nil); status != http.StatusOK {
			t.Fatalf("retry now: %d %s", status, body)
		}
		apptest.WaitJobs(t, a)
		if d := dossier(t, a, ids[0]); d.ExternalID == nil || d.State != "transmis" {
			t.Errorf("after retry now: external id %v, state %s", d.ExternalID, d.State)
		}
		posts := fake.reqs(http.MethodPost, "/signalements")
		if len(posts) != 2 || posts[0].Key != posts[1].Key {
			t.Errorf("posts %d, keys %q", len(posts), []string{posts[0].Key, posts[len(posts)-1].Key})
		}
		if status, _ = admin.JSON(http.MethodPost, "/api/admin/integrations/jobs/"+j.ID+"/retry", nil); status != http.StatusConflict {
			t.Errorf("retrying a done job: %d, want 409", status)
		}
	})
}

// A delivery that keeps failing is dead after its last attempt, with its
// last error.
func TestPushDeadAfterLastAttempt(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{})
	fake := newFakeApp(t, signingSecret)
	c := connect(t, a, fake, func(_ *builder.Procedure, in *builder.Integration) {
		in.Retry = &builder.RetryPolicy{Attempts: 3, Initial: "50ms", Max: "100ms"}
	})
	fake.failAlways(&fault{method: http.MethodPost, status: http.StatusBadGateway, body: "upstream down"})
	submit(t, a, c, 1)
	apptest.WaitJobs(t, a)
	j := integrationJobs(t, a, integrations.KindPush)[0]
	if j.Status != jobs.StatusDead || j.Attempts != 3 || !strings.Contains(*j.LastError, "502 Bad Gateway: upstream down") {
		t.Errorf("job %s after %d attempts: %v", j.Status, j.Attempts, *j.LastError)
	}
	if n := len(fake.reqs(http.MethodPost, "")); n != 3 {
		t.Errorf("%d posts, want 3", n)
	}
}

// Deliveries of one dossier arrive in order: an update waits for the
// creation that is being retried.
func TestPushInOrder(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{})
	fake := newFakeApp(t, signingSecret)
	c := connect(t, a, fake, func(p *builder.Procedure, in *builder.Integration) {
		in.Push.Response.Transitions = nil
		in.Push.On = append(in.Push.On, builder.PushTrigger{Event: builder.EventEntered, State: "planifie"})
	})
	// The update goes to the same path (POST /signalements): the fake
	// would create a second report if it came first.
	fake.fail(fault{method: http.MethodPost, status: http.StatusInternalServerError},
		fault{method: http.MethodPost, status: http.StatusInternalServerError})
	ids := submit(t, a, c, 1)
	fireAsAdmin(t, a, ids[0], "planifier")
	apptest.WaitJobs(t, a)
	posts := fake.reqs(http.MethodPost, "/signalements")
	if len(posts) != 4 {
		t.Fatalf("%d posts, want 4 (3 for the creation, 1 update)", len(posts))
	}
	if posts[3].Key == posts[0].Key || posts[2].Key != posts[0].Key {
		t.Errorf("the update came before the creation was delivered: keys %q", []string{posts[0].Key, posts[1].Key, posts[2].Key, posts[3].Key})
	}
	js := integrationJobs(t, a, integrations.KindPush)
	if len(js) != 2 || js[1].Attempts != 1 {
		t.Errorf("the waiting delivery spent %d attempts, want 1", js[1].Attempts)
	}
}

func fireAsAdmin(t testing.TB, a *app.App, id, transition string) {
	t.Helper()
	ctx := context.Background()
	u, err := store.UserByEmail(ctx, a.DB.Read, apptest.AdminEmail)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := a.Engine.ActorFor(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Engine.Fire(ctx, actor, id, transition, nil); err != nil {
		t.Fatalf("fire %s: %v", transition, err)
	}
}

// A disabled integration (the preset, until an admin sets its URL) does
// not keep the procedure from being published and enqueues nothing.
func TestPushDisabledEnqueuesNothing(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{})
	c, err := a.Engine.Published(context.Background(), slug) // loaded from the presets
	if err != nil {
		t.Fatal(err)
	}
	if c.Online.Integration.Active() {
		t.Fatal("the preset's integration is active")
	}
	submit(t, a, c, 2)
	apptest.WaitJobs(t, a)
	if js := integrationJobs(t, a, integrations.KindPush); len(js) != 0 {
		t.Errorf("%d push jobs for a disabled integration", len(js))
	}
	if got := a.Integrations.Schedules(); len(got) != 0 {
		t.Errorf("poll schedules of a disabled integration: %v", got)
	}
}

// Outgoing calls to a private or loopback address are refused unless the
// integration is internal: at publication for a literal address, and at
// call time for any address a name resolves to.
func TestPushRefusesPrivateAddresses(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{})
	fake := newFakeApp(t, signingSecret)
	p, _ := builder.Preset(slug)
	in := p.OnlineScenario().Integration
	in.URL = fake.URL()
	_, err := a.Engine.PublishDefinition(context.Background(), p, nil)
	var pe *runtime.ProblemsError
	if !errors.As(err, &pe) || !strings.Contains(pe.Error(), "127.0.0.1 is a loopback address") {
		t.Fatalf("publish to loopback, not internal: %v", err)
	}

	// At call time: a version whose host is not internal but reaches
	// loopback, as a host name resolving to 127.0.0.1 would (stored
	// without the publication's check).
	ctx := context.Background()
	connect(t, a, fake, nil)
	in.Retry = &builder.RetryPolicy{Attempts: 5, Initial: "100ms", Max: "400ms"}
	raw, _ := p.JSON()
	proc, err := store.ProcedureBySlug(ctx, a.DB.Read, slug)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Publish(ctx, a.DB.Write, proc, raw, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	a.Engine.Invalidate()
	c2, err := a.Engine.Published(ctx, slug)
	if err != nil || c2.Online.Integration.Internal || !c2.Online.Integration.Active() {
		t.Fatalf("version without internal: %v", err)
	}
	a2 := a
	submit(t, a2, c2, 1)
	apptest.WaitJobs(t, a2)
	j := integrationJobs(t, a2, integrations.KindPush)[0]
	if j.Status != jobs.StatusDead || j.Attempts != 1 || !strings.Contains(*j.LastError, "loopback address") ||
		!strings.Contains(*j.LastError, "internal") {
		t.Errorf("call to loopback: %s after %d attempts: %v", j.Status, j.Attempts, *j.LastError)
	}
	if n := len(fake.reqs("", "")); n != 0 {
		t.Errorf("the fake received %d requests", n)
	}
}
