package integrations_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/integrations"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
)

// webhookAt is webhook to /hooks/{at}.
func webhookAt(t testing.TB, a *app.App, at, id string, body any) (int, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	ts := time.Now()
	req, _ := http.NewRequest(http.MethodPost, "http://guichet.test/hooks/"+at, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(integrations.HeaderID, id)
	req.Header.Set(integrations.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
	req.Header.Set(integrations.HeaderSignature, integrations.Sign(webhookSecret, id, ts, b))
	resp, out := apptest.Do(t, a, req)
	return resp.StatusCode, out
}

// Renaming a procedure keeps its integration working: the business
// application's webhooks to the old key, a push enqueued before the
// rename (under the old key) and a poll tick of the old key.
func TestRenameKeepsIntegration(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ctx := context.Background()
		a := apptest.New(t, db, apptest.Options{})
		fake := newFakeApp(t, signingSecret)
		c := connect(t, a, fake, nil)
		d := pushed(t, a, c, 1)[0]

		// A push that fails until after the rename.
		fake.failAlways(&fault{status: http.StatusServiceUnavailable})
		pending := submit(t, a, c, 1)[0]
		waitFor(t, "a first failed push", func() bool { return len(fake.reqs(http.MethodPost, "/signalements")) >= 2 })

		admin := apptest.NewClient(t, apptest.Serve(t, a))
		admin.AdminAPI()
		resp, body := admin.RawJSON(http.MethodPost, "/api/admin/procedures/"+slug+"/rename", []byte(`{"slug":"voirie"}`))
		if resp.StatusCode != 200 {
			t.Fatalf("rename: %d %s", resp.StatusCode, body)
		}
		const newKey = "voirie.sig"
		fake.failAlways(nil)
		apptest.WaitJobs(t, a)
		if p := dossier(t, a, pending); p.ExternalID == nil || p.State != "transmis" {
			t.Errorf("push enqueued under the old key: external id %v, state %q", p.ExternalID, p.State)
		}
		for _, j := range integrationJobs(t, a, integrations.KindPush) {
			if j.Status != "done" {
				t.Errorf("push job %s is %s: %v", j.ID, j.Status, j.LastError)
			}
		}

		// Webhooks to the old key (how the application is configured) and
		// to the new one.
		ext := *d.ExternalID
		status, body := webhookAt(t, a, key, "msg_old", map[string]any{"id": ext, "status": "planifie", "comment": "Lundi."})
		if status != 200 || !strings.Contains(body, `"status":"applied"`) {
			t.Fatalf("webhook to the old key: %d %s", status, body)
		}
		if got := dossier(t, a, d.ID).State; got != "planifie" {
			t.Errorf("state after the webhook = %q, want planifie", got)
		}
		// Its replay, to either key, is a duplicate.
		for _, at := range []string{key, newKey} {
			if status, body := webhookAt(t, a, at, "msg_old", map[string]any{"id": ext, "status": "planifie"}); status != 200 ||
				!strings.Contains(body, `"status":"duplicate"`) {
				t.Errorf("replay to %s: %d %s", at, status, body)
			}
		}
		status, body = webhookAt(t, a, newKey, "msg_new", map[string]any{"id": ext, "status": "resolu", "comment": "Réparé."})
		if status != 200 || !strings.Contains(body, `"status":"applied"`) {
			t.Fatalf("webhook to the new key: %d %s", status, body)
		}
		if status, _ := webhookAt(t, a, "nulle-part.sig", "msg_x", map[string]any{"id": ext}); status != 404 {
			t.Errorf("webhook to an unknown key: %d", status)
		}

		// A poll tick fired under the old key runs as the new key's.
		tick := time.Now().UTC().Truncate(time.Second)
		if err := a.Integrations.FireTick(ctx, key, tick); err != nil {
			t.Fatal(err)
		}
		a.Queue.Notify()
		apptest.WaitJobs(t, a)
		runs, err := store.Runs(ctx, a.DB.Read, newKey, 5)
		if err != nil || len(runs) != 1 {
			t.Fatalf("runs of %s = %v, %v", newKey, runs, err)
		}
		if old, _ := store.Runs(ctx, a.DB.Read, key, 5); len(old) != 0 {
			t.Errorf("runs under the old key: %v", old)
		}
	})
}

// What happened under the old key before a rename stays the
// integration's: a webhook delivered to the old address is a duplicate
// when replayed to the new one, and the runs and dead deliveries of the
// old key are listed under the new key, where a dead one is retried.
func TestRenameKeepsActivity(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		fake := newFakeApp(t, signingSecret)
		c := connect(t, a, fake, nil)
		d := pushed(t, a, c, 1)[0]
		ext := *d.ExternalID
		admin := apptest.NewClient(t, apptest.Serve(t, a))
		admin.AdminAPI()

		// Before the rename: a webhook, a dead push and a poll run, all
		// under the old key.
		status, body := webhookAt(t, a, key, "msg_1", map[string]any{"id": ext, "status": "planifie", "comment": "Lundi."})
		if status != 200 || !strings.Contains(body, `"status":"applied"`) {
			t.Fatalf("webhook before the rename: %d %s", status, body)
		}
		fake.fail(fault{method: http.MethodPost, status: http.StatusBadRequest, body: `{"error": "category unknown"}`})
		pending := submit(t, a, c, 1)[0]
		apptest.WaitJobs(t, a)
		var dead *jobs.Job
		for _, j := range integrationJobs(t, a, integrations.KindPush) {
			if j.Status == jobs.StatusDead {
				dead = &j
			}
		}
		if dead == nil {
			t.Fatal("no dead push before the rename")
		}
		if status, body := admin.JSON(http.MethodPost, "/api/admin/integrations/"+key+"/poll", nil); status != http.StatusAccepted {
			t.Fatalf("poll now: %d %s", status, body)
		}
		apptest.WaitJobs(t, a)
		runs, err := store.Runs(context.Background(), a.DB.Read, key, 5)
		if err != nil || len(runs) != 1 {
			t.Fatalf("runs under the old key: %v, %v", runs, err)
		}

		resp, body := admin.RawJSON(http.MethodPost, "/api/admin/procedures/"+slug+"/rename", []byte(`{"slug":"voirie"}`))
		if resp.StatusCode != 200 {
			t.Fatalf("rename: %d %s", resp.StatusCode, body)
		}
		const newKey = "voirie.sig"
		evs := len(events(t, a, d.ID))

		// The replay, to the new address and to the old one, is a
		// duplicate: nothing is applied twice.
		for _, at := range []string{newKey, key} {
			status, body := webhookAt(t, a, at, "msg_1", map[string]any{"id": ext, "status": "planifie", "comment": "Lundi."})
			if status != 200 || !strings.Contains(body, `"status":"duplicate"`) {
				t.Errorf("replay of msg_1 to %s: %d %s", at, status, body)
			}
		}
		if n := len(events(t, a, d.ID)); n != evs {
			t.Errorf("events after the replays: %d, want %d", n, evs)
		}

		// The admins' view under the new key.
		status, body = admin.JSON(http.MethodGet, "/api/admin/integrations/"+newKey, nil)
		for _, s := range []string{dead.ID, `"dead":1`, `"last_run"`, runs[0].ID} {
			if status != http.StatusOK || !strings.Contains(body, s) {
				t.Errorf("integration %s lacks %s: %d %s", newKey, s, status, body)
			}
		}
		status, body = admin.JSON(http.MethodGet, "/api/admin/integrations/"+newKey+"/deliveries", nil)
		if status != http.StatusOK || !strings.Contains(body, dead.ID) || !strings.Contains(body, "category unknown") {
			t.Errorf("dead deliveries of %s: %d %s", newKey, status, body)
		}
		status, body = admin.JSON(http.MethodGet, "/api/admin/integrations/"+newKey+"/runs", nil)
		if status != http.StatusOK || !strings.Contains(body, runs[0].ID) {
			t.Errorf("runs of %s: %d %s", newKey, status, body)
		}
		status, body = admin.JSON(http.MethodGet, "/api/admin/integrations", nil)
		if status != http.StatusOK || !strings.Contains(body, `"dead":1`) {
			t.Errorf("integrations: %d %s", status, body)
		}
		if status, body := admin.JSON(http.MethodPost, "/api/admin/integrations/jobs/"+dead.ID+"/retry", nil); status != http.StatusOK {
			t.Fatalf("retry now: %d %s", status, body)
		}
		apptest.WaitJobs(t, a)
		if p := dossier(t, a, pending); p.ExternalID == nil || p.State != "transmis" {
			t.Errorf("after retry now: external id %v, state %q", p.ExternalID, p.State)
		}
		if status, body := admin.JSON(http.MethodGet, "/api/admin/integrations/"+newKey+"/deliveries", nil); status != http.StatusOK || strings.Contains(body, dead.ID) {
			t.Errorf("dead deliveries after the retry: %d %s", status, body)
		}
	})
}
