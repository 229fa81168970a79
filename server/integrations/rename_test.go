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
