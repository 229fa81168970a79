package integrations_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
)

// snapshot is what a webhook may change on a dossier.
type snapshot struct {
	state, data string
	events      int
}

func snap(t testing.TB, a *app.App, id string) snapshot {
	d := dossier(t, a, id)
	return snapshot{state: d.State, data: string(d.Data), events: len(events(t, a, id))}
}

func TestWebhook(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		fake := newFakeApp(t, signingSecret)
		c := connect(t, a, fake, nil)
		ds := pushed(t, a, c, 2)
		d, other := ds[0], ds[1]
		ext := *d.ExternalID
		now := time.Now()
		planned := map[string]any{"id": ext, "status": "planifie", "comment": "L'équipe passe lundi matin.", "date": "2026-11-30"}

		tests := []struct {
			name    string
			id      string // webhook-id ("" sends no signature headers)
			ts      time.Time
			secret  string
			body    any
			status  int
			answer  []string // substrings of the answer
			changes bool     // the dossier changed
		}{
			{"wrong signature", "msg_1", now, signingSecret, planned, 401, []string{"no webhook-signature matches"}, false},
			{"no signature", "", now, webhookSecret, planned, 401, []string{"missing webhook-id"}, false},
			{"stale timestamp", "msg_2", now.Add(-6 * time.Minute), webhookSecret, planned, 401, []string{"within 5 minutes"}, false},
			{"timestamp from the future", "msg_3", now.Add(6 * time.Minute), webhookSecret, planned, 401, []string{"within 5 minutes"}, false},
			{"not JSON", "msg_4", now, webhookSecret, []byte(`{"id": `), 400, []string{"not valid JSON"}, false},
			{"unknown dossier", "msg_5", now, webhookSecret, map[string]any{"id": "SIG-999", "status": "resolu"}, 404,
				[]string{`no dossier of this procedure has the externalId \"SIG-999\"`}, false},
			{"payload without the dossier's id", "msg_6", now, webhookSecret, map[string]any{"status": "resolu"}, 422,
				[]string{"webhook.dossier.value", "does not name its dossier"}, false},
			{"payload of the wrong shape", "msg_7", now, webhookSecret, []any{planned}, 422,
				[]string{`"path":"$.scenarios[1].integration.webhook.dossier.value"`, "nothing was changed"}, false},
			{"value the form refuses", "msg_8", now, webhookSecret, map[string]any{"id": ext, "status": "planifie", "date": "lundi"}, 422,
				[]string{`"pointer":"/intervention_date"`}, false},
			{"valid", "msg_9", now, webhookSecret, planned, 200, []string{`"status":"applied"`, d.Reference}, true},
			{"replay", "msg_9", now, webhookSecret, planned, 200, []string{`"status":"duplicate"`}, false},
			{"same news, new message", "msg_10", now, webhookSecret, planned, 200, []string{`"status":"unchanged"`}, false},
			{"resolved", "msg_11", now.Add(-4 * time.Minute), webhookSecret, map[string]any{"id": ext, "status": "resolu", "comment": "Réparé."},
				200, []string{`"status":"applied"`}, true},
			{"resolved again", "msg_12", now, webhookSecret, map[string]any{"id": ext, "status": "resolu", "comment": "Réparé."},
				200, []string{`"status":"unchanged"`}, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				apptest.WaitJobs(t, a) // mail of the previous change, recorded on the timeline once sent
				before := snap(t, a, d.ID)
				status, body := webhook(t, a, tt.id, tt.ts, tt.secret, tt.body)
				if status != tt.status {
					t.Fatalf("status %d, want %d: %s", status, tt.status, body)
				}
				for _, s := range tt.answer {
					if !strings.Contains(body, s) {
						t.Errorf("answer lacks %q: %s", s, body)
					}
				}
				if after := snap(t, a, d.ID); (after != before) != tt.changes {
					t.Errorf("dossier changed = %v, want %v: %+v → %+v", after != before, tt.changes, before, after)
				}
			})
		}

		got := dossier(t, a, d.ID)
		var data map[string]any
		_ = json.Unmarshal(got.Data, &data)
		if got.State != "resolu" || got.ClosedAt == nil || data["intervention_date"] != "2026-11-30" {
			t.Errorf("dossier after the webhooks: %s closed %v data %v", got.State, got.ClosedAt, data)
		}
		evs := events(t, a, d.ID)
		var msgs []string
		for _, e := range evs {
			if e.Kind == store.EventIntegrationMessage && e.Public {
				var m struct{ Message string }
				_ = json.Unmarshal(e.Details, &m)
				msgs = append(msgs, m.Message)
			}
		}
		if want := []string{"L'équipe passe lundi matin.", "Réparé."}; strings.Join(msgs, "|") != strings.Join(want, "|") {
			t.Errorf("public messages %q, want %q", msgs, want)
		}
		apptest.WaitJobs(t, a)
		mails := strings.Join(apptest.MailTo(t, a, d.ApplicantEmail), "|")
		if strings.Count(mails, "|") != 2 || !strings.Contains(mails, "intervention planifiée") || !strings.Contains(mails, "problème réglé") {
			t.Errorf("mails to the applicant: %q", mails)
		}
		if s := snap(t, a, other.ID); s.state != "transmis" {
			t.Errorf("the other dossier moved: %+v", s)
		}
	})
}

// The same message delivered many times at once is applied once.
func TestWebhookConcurrentReplays(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		fake := newFakeApp(t, signingSecret)
		c := connect(t, a, fake, nil)
		d := pushed(t, a, c, 1)[0]
		body := map[string]any{"id": *d.ExternalID, "status": "planifie", "comment": "Planifié."}
		now := time.Now()
		var wg sync.WaitGroup
		var mu sync.Mutex
		answers := map[string]int{}
		for range 10 {
			wg.Go(func() {
				status, out := webhook(t, a, "msg_same", now, webhookSecret, body)
				var r struct{ Status string }
				_ = json.Unmarshal([]byte(out), &r)
				mu.Lock()
				answers[fmt.Sprintf("%d %s", status, r.Status)]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if answers["200 applied"] != 1 || answers["200 duplicate"] != 9 {
			t.Errorf("answers: %v", answers)
		}
		evs := events(t, a, d.ID)
		if n := countKind(evs, store.EventIntegrationMessage); n != 1 {
			t.Errorf("%d messages, want 1", n)
		}
		if n := countKind(evs, "state.planifie"); n != 1 {
			t.Errorf("entered planifie %d times", n)
		}
	})
}

// Webhooks of an unknown or disabled integration, or whose secret is not
// set, are refused without touching anything.
func TestWebhookNotConfigured(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{})
	body := map[string]any{"id": "SIG-1", "status": "resolu"}
	// The preset as loaded: no URL yet.
	if status, out := webhook(t, a, "msg_1", time.Now(), webhookSecret, body); status != http.StatusNotFound {
		t.Errorf("disabled integration: %d %s", status, out)
	}
	fake := newFakeApp(t, signingSecret)
	connect(t, a, fake, nil)
	if err := a.Integrations.Secrets().Delete(context.Background(), "voirie-webhook"); err != nil {
		t.Fatal(err)
	}
	if status, out := webhook(t, a, "msg_1", time.Now(), webhookSecret, body); status != http.StatusServiceUnavailable ||
		!strings.Contains(out, "secret is not set") {
		t.Errorf("secret not set: %d %s", status, out)
	}
	req := apptest.JSON(http.MethodPost, "/hooks/autre.sig", "{}")
	if resp, out := apptest.Do(t, a, req); resp.StatusCode != http.StatusNotFound || !strings.Contains(out, "application/problem+json") &&
		resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("unknown integration: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), out)
	}
}

// Secrets are stored encrypted, shown back masked, and bound to their
// name.
func TestWebhookSecretsAdmin(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{})
	admin := apptest.NewClient(t, apptest.Serve(t, a))
	admin.AdminAPI()
	value := "whsec_c2VjcmV0LXZhbHVlLWZvci10ZXN0cw=="
	status, body := admin.JSON(http.MethodPut, "/api/admin/integrations/secrets/voirie-webhook", map[string]string{"value": value})
	if status != http.StatusOK || !strings.Contains(body, `"masked":"••••cw=="`) || strings.Contains(body, "c2VjcmV0") {
		t.Fatalf("set secret: %d %s", status, body)
	}
	var row store.IntegrationSecret
	if err := a.DB.Read.NewSelect().Model(&row).Where("name = ?", "voirie-webhook").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(row.Ciphertext), "c2VjcmV0") || len(row.Ciphertext) < len(value)+12 {
		t.Error("the secret is stored in clear")
	}
	if got, err := a.Integrations.Secrets().Get(context.Background(), "voirie-webhook"); err != nil || got != value {
		t.Errorf("get = %q, %v", got, err)
	}
	status, body = admin.JSON(http.MethodGet, "/api/admin/integrations/secrets", nil)
	if status != http.StatusOK || strings.Contains(body, "c2VjcmV0") || !strings.Contains(body, "voirie-webhook") {
		t.Errorf("list: %d %s", status, body)
	}
	if status, body = admin.JSON(http.MethodPut, "/api/admin/integrations/secrets/Bad%20Name", map[string]string{"value": "x"}); status != 422 {
		t.Errorf("bad name: %d %s", status, body)
	}
	if status, body = admin.JSON(http.MethodPut, "/api/admin/integrations/secrets/ok", map[string]string{"value": ""}); status != 422 ||
		!strings.Contains(body, `"pointer":"/value"`) {
		t.Errorf("empty value: %d %s", status, body)
	}
	// A ciphertext moved to another name does not open.
	row.Name = "copie"
	if err := store.SaveSecret(context.Background(), a.DB.Write, &row); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Integrations.Secrets().Get(context.Background(), "copie"); err == nil {
		t.Error("a ciphertext opened under another name")
	}
	anon := apptest.NewClient(t, admin.Base)
	if status, _ := anon.JSON(http.MethodGet, "/api/admin/integrations/secrets", nil); status != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", status)
	}
	if status, _ = admin.JSON(http.MethodDelete, "/api/admin/integrations/secrets/copie", nil); status != http.StatusNoContent {
		t.Errorf("delete: %d", status)
	}
}
