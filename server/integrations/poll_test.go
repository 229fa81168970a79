package integrations_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/integrations"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
)

// tickAt enqueues the poll of tick and waits until every job is done.
func tickAt(t testing.TB, a *app.App, k string, tick time.Time) {
	t.Helper()
	if err := a.Integrations.FireTick(context.Background(), k, tick); err != nil {
		t.Fatal(err)
	}
	apptest.WaitJobs(t, a)
}

func runOf(t testing.TB, a *app.App, k string, tick time.Time) *store.IntegrationRun {
	t.Helper()
	r := findRun(a, k, tick)
	if r == nil {
		t.Fatalf("no run of %s", tick)
	}
	return r
}

// runStatus returns the status of a run, or "" before it starts.
func runStatus(a *app.App, k string, tick time.Time) string {
	if r := findRun(a, k, tick); r != nil {
		return r.Status
	}
	return ""
}

func findRun(a *app.App, k string, tick time.Time) *store.IntegrationRun {
	var r store.IntegrationRun
	err := a.DB.Read.NewSelect().Model(&r).Where("integration = ? AND tick = ?", k, tick.UTC().Truncate(time.Second)).Scan(context.Background())
	if err != nil {
		return nil
	}
	return &r
}

// A tick polls each eligible dossier once and applies what changed; an
// unchanged answer changes nothing and records nothing; a tick enqueued
// twice runs once.
func TestPollAppliesChangesOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		fake := newFakeApp(t, signingSecret)
		c := connect(t, a, fake, nil)
		ds := pushed(t, a, c, 3)
		fake.setStatus(*ds[0].ExternalID, "planifie", "Passage prévu jeudi.")
		fake.setStatus(*ds[1].ExternalID, "resolu", "Réparé.")
		before := make([]snapshot, len(ds))
		for i, d := range ds {
			before[i] = snap(t, a, d.ID)
		}

		t1 := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
		tickAt(t, a, key, t1)
		tickAt(t, a, key, t1) // another instance, or a restart, fires the same tick
		r := runOf(t, a, key, t1)
		if r.Status != store.RunDone || r.Dossiers != 3 || r.Changed != 2 || r.Errors != 0 || r.FinishedAt == nil {
			t.Errorf("run: %+v", r)
		}
		if n := len(fake.reqs(http.MethodGet, "/signalements/")); n != 3 {
			t.Errorf("%d polls, want 3", n)
		}
		for i, want := range []string{"planifie", "resolu", "transmis"} {
			if got := dossier(t, a, ds[i].ID).State; got != want {
				t.Errorf("%s is %s, want %s", ds[i].Reference, got, want)
			}
		}
		if after := snap(t, a, ds[2].ID); after != before[2] {
			t.Errorf("the unchanged dossier changed: %+v → %+v", before[2], after)
		}

		// Nothing changed since: nothing is written.
		for i, d := range ds {
			before[i] = snap(t, a, d.ID)
		}
		updated := dossier(t, a, ds[0].ID).UpdatedAt
		t2 := t1.Add(15 * time.Minute)
		tickAt(t, a, key, t2)
		r = runOf(t, a, key, t2)
		if r.Status != store.RunDone || r.Dossiers != 2 || r.Changed != 0 { // the closed one is not polled
			t.Errorf("second run: %+v", r)
		}
		for i, d := range ds {
			if after := snap(t, a, d.ID); after != before[i] {
				t.Errorf("%s changed on an unchanged answer: %+v → %+v", d.Reference, before[i], after)
			}
		}
		if dossier(t, a, ds[0].ID).UpdatedAt != updated {
			t.Error("updated_at moved on an unchanged answer")
		}
		var runs []store.IntegrationRun
		if err := a.DB.Read.NewSelect().Model(&runs).Scan(context.Background()); err != nil || len(runs) != 2 {
			t.Errorf("%d runs (%v), want 2", len(runs), err)
		}
	})
}

// Dossiers whose poll failed (5xx, timeout, malformed JSON) are polled
// again with backoff until they succeed; the run says so.
func TestPollRetriesFailures(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		fake := newFakeApp(t, signingSecret)
		c := connect(t, a, fake, func(_ *builder.Procedure, in *builder.Integration) {
			in.Retry = &builder.RetryPolicy{Attempts: 5, Initial: "500ms", Max: "1s"}
		})
		ds := pushed(t, a, c, 4)
		for _, d := range ds {
			fake.setStatus(*d.ExternalID, "planifie", "")
		}
		fake.fail(fault{method: http.MethodGet, status: http.StatusInternalServerError},
			fault{method: http.MethodGet, sleep: 1500 * time.Millisecond},
			fault{method: http.MethodGet, status: http.StatusOK, malformed: true})
		tick := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
		if err := a.Integrations.FireTick(context.Background(), key, tick); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the first pass", func() bool { return runStatus(a, key, tick) == store.RunDone })
		r := runOf(t, a, key, tick)
		if r.Dossiers != 4 || r.Changed != 1 || r.Errors != 3 || r.LastError == nil {
			t.Errorf("first pass: %+v", r)
		}
		apptest.WaitJobs(t, a)
		r = runOf(t, a, key, tick)
		if r.Changed != 4 || r.Errors != 0 {
			t.Errorf("after the retry: changed %d, errors %d", r.Changed, r.Errors)
		}
		for _, d := range ds {
			if got := dossier(t, a, d.ID).State; got != "planifie" {
				t.Errorf("%s is %s", d.Reference, got)
			}
		}
		retries := integrationJobs(t, a, integrations.KindPollRetry)
		if len(retries) != 1 || retries[0].Status != jobs.StatusDone || retries[0].Attempts != 1 {
			t.Errorf("retry jobs: %+v", retries)
		}
		gets := fake.reqs(http.MethodGet, "/signalements/")
		if len(gets) != 7 {
			t.Errorf("%d polls, want 4 + 3 retried", len(gets))
		}
		// The retry came after the configured backoff (500 ms ± 25 %)
		// counted from the end of the first pass (1 s: the timeout).
		if gap := gets[4].At.Sub(gets[0].At); gap < time.Second+375*time.Millisecond {
			t.Errorf("retry %s after the first pass began", gap)
		}
	})
}

// A business application that is down stops the run after a few failures
// in a row; the tick is retried with backoff and goes on from where it
// stopped, so each dossier is polled successfully once.
func TestPollBusinessAppDown(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{})
	fake := newFakeApp(t, signingSecret)
	c := connect(t, a, fake, func(_ *builder.Procedure, in *builder.Integration) {
		in.Poll.Concurrency = 2
		in.Retry = &builder.RetryPolicy{Attempts: 10, Initial: "1s", Max: "1s"}
	})
	ds := pushed(t, a, c, 15)
	fake.failAlways(&fault{method: http.MethodGet, status: http.StatusServiceUnavailable, body: "maintenance"})
	tick := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	if err := a.Integrations.FireTick(context.Background(), key, tick); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the run to stop", func() bool { return runStatus(a, key, tick) == store.RunFailed })
	r := runOf(t, a, key, tick)
	if r.LastError == nil || !strings.Contains(*r.LastError, "seems down") || !strings.Contains(*r.LastError, "maintenance") {
		t.Errorf("stopped run: %+v", r)
	}
	if n := len(fake.reqs(http.MethodGet, "")); n >= len(ds) {
		t.Errorf("%d polls of a dead application, want fewer than %d", n, len(ds))
	}
	fake.failAlways(nil)
	fake.resetRequests()
	apptest.WaitJobs(t, a)
	r = runOf(t, a, key, tick)
	if r.Status != store.RunDone || r.Dossiers != len(ds) || r.Errors != 0 || r.Attempts != 2 {
		t.Errorf("resumed run: %+v", r)
	}
	if n := len(fake.reqs(http.MethodGet, "")); n != len(ds) {
		t.Errorf("%d polls after the application came back, want %d", n, len(ds))
	}
}

// A slow business application delays its own procedure's poll only.
func TestPollSlowAppDoesNotDelayOthers(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{})
	slow, quick := newFakeApp(t, signingSecret), newFakeApp(t, signingSecret)
	cs := connect(t, a, slow, func(_ *builder.Procedure, in *builder.Integration) { in.Poll.Concurrency = 1 })
	cq := connectAs(t, a, quick, "signalement-voirie-2", nil)
	pushed(t, a, cs, 3)
	pushed(t, a, cq, 3)
	slow.setDelay(600 * time.Millisecond)
	tick := time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC)
	for _, k := range []string{key, "signalement-voirie-2.sig"} {
		if err := a.Integrations.FireTick(context.Background(), k, tick); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "the quick poll", func() bool { return runStatus(a, "signalement-voirie-2.sig", tick) == store.RunDone })
	if r := runOf(t, a, key, tick); r.Status == store.RunDone {
		t.Errorf("the slow run finished first: %+v", r)
	}
	apptest.WaitJobs(t, a)
	if r := runOf(t, a, key, tick); r.Status != store.RunDone || r.Dossiers != 3 || r.Errors != 0 {
		t.Errorf("slow run: %+v", r)
	}
}

// Admins see each integration's runs: when, how many dossiers, how many
// changed, errors; and may poll now.
func TestPollRunsForAdmins(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{})
	fake := newFakeApp(t, signingSecret)
	c := connect(t, a, fake, nil)
	ds := pushed(t, a, c, 2)
	fake.setStatus(*ds[0].ExternalID, "planifie", "")
	admin := apptest.NewClient(t, apptest.Serve(t, a))
	admin.AdminAPI()
	status, body := admin.JSON(http.MethodPost, "/api/admin/integrations/"+key+"/poll", nil)
	if status != http.StatusAccepted {
		t.Fatalf("poll now: %d %s", status, body)
	}
	apptest.WaitJobs(t, a)
	status, body = admin.JSON(http.MethodGet, "/api/admin/integrations/"+key+"/runs", nil)
	for _, s := range []string{`"status":"done"`, `"dossiers":2`, `"changed":1`, `"errors":0`, `"started_at"`, `"finished_at"`} {
		if status != http.StatusOK || !strings.Contains(body, s) {
			t.Errorf("runs lack %s: %d %s", s, status, body)
		}
	}
	status, body = admin.JSON(http.MethodGet, "/api/admin/integrations/"+key, nil)
	for _, s := range []string{`"status":"active"`, `"webhook_url":"http://guichet.test/hooks/` + key + `"`, `"name":"voirie-webhook"`,
		`"set":true`, `"last_run"`} {
		if status != http.StatusOK || !strings.Contains(body, s) {
			t.Errorf("integration lacks %s: %d %s", s, status, body)
		}
	}
	if strings.Contains(body, webhookSecret) || strings.Contains(body, signingSecret) {
		t.Error("a secret is shown in full")
	}
	user := apptest.CreateStaff(t, a, "agent", slug, "voirie", "processing")
	agent := apptest.NewClient(t, admin.Base)
	agent.StaffLogin(user.Email, "password-agent")
	if status, _ := agent.JSON(http.MethodGet, "/api/admin/integrations", nil); status != http.StatusForbidden {
		t.Errorf("an agent sees integrations: %d", status)
	}
}

// Two instances on one PostgreSQL database with one poll schedule: every
// tick is claimed once, and each dossier is polled exactly once per tick.
func TestPollTwoInstancesPostgres(t *testing.T) {
	base := os.Getenv("GUICHET_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("GUICHET_TEST_POSTGRES_URL unset")
	}
	db := apptest.DB{Name: "postgres", URL: apptest.FreshPostgres(t, base)}
	dir := t.TempDir() // shared: the instances share the secrets' key
	a1 := apptest.New(t, db, apptest.Options{DataDir: dir})
	a2 := apptest.New(t, db, apptest.Options{DataDir: dir})
	fake := newFakeApp(t, signingSecret)
	c := connect(t, a1, fake, func(_ *builder.Procedure, in *builder.Integration) {
		in.Push = nil
		in.Poll.Schedule = "@every 1s"
		in.Poll.Path = "/by-ref/{reference}"
		in.Poll.States = nil
		in.Poll.Concurrency = 8
		in.Poll.RatePerSecond = 1000
	})
	ids := submit(t, a1, c, 40)
	for _, id := range ids {
		fake.addReport(dossier(t, a1, id).Reference, "recu")
	}
	for _, a := range []*app.App{a1, a2} {
		waitFor(t, "the schedule", func() bool {
			_ = a.Integrations.RefreshSchedules(context.Background())
			return len(a.Integrations.Schedules()) == 1
		})
	}
	runs := func() []store.IntegrationRun {
		rs, err := store.Runs(context.Background(), a1.DB.Read, key, 100)
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	waitFor(t, "four runs", func() bool { return len(runs()) >= 4 })
	a1.Integrations.Stop()
	a2.Integrations.Stop()
	apptest.WaitJobs(t, a1)

	rs := runs()
	polls := map[string]int{} // webhook-id = poll_<run>_<dossier>
	for _, r := range fake.reqs(http.MethodGet, "/by-ref/") {
		polls[r.WebhookID]++
	}
	ticks := map[time.Time]bool{}
	for _, r := range rs {
		if r.Status != store.RunDone || r.Dossiers != len(ids) || r.Errors != 0 || r.Changed != 0 {
			t.Errorf("run of %s: %+v", r.Tick, r)
		}
		if ticks[r.Tick] {
			t.Errorf("tick %s ran twice", r.Tick)
		}
		ticks[r.Tick] = true
		for _, id := range ids {
			if n := polls[fmt.Sprintf("poll_%s_%s", r.ID, id)]; n != 1 {
				t.Errorf("tick %s polled dossier %s %d times", r.Tick, id, n)
			}
		}
	}
	if got, want := len(fake.reqs(http.MethodGet, "/by-ref/")), len(rs)*len(ids); got != want {
		t.Errorf("%d polls for %d runs of %d dossiers", got, len(rs), len(ids))
	}
	var js []jobs.Job
	if err := a1.DB.Read.NewSelect().Model(&js).Where("kind = ?", integrations.KindPollTick).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(js) != len(rs) {
		t.Errorf("%d tick jobs for %d runs", len(js), len(rs))
	}
	t.Logf("%d ticks, %d polls, by two instances", len(rs), len(fake.reqs(http.MethodGet, "/by-ref/")))
}
