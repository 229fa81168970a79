package integrations_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
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

const (
	slug = "signalement-voirie"
	key  = "signalement-voirie.sig"
)

var (
	// signingSecret signs Guichet's requests; webhookSecret the
	// application's webhooks (Standard Webhooks form).
	signingSecret = "whsec_" + base64.StdEncoding.EncodeToString([]byte("guichet signs its requests with this"))
	webhookSecret = "whsec_" + base64.StdEncoding.EncodeToString([]byte("the business app signs its webhooks"))
)

// connect publishes the road-problem preset connected to fake: its URL
// set, marked internal (the fake listens on loopback), short timeouts and
// retries, and a date field the webhooks may set; change adjusts it
// further. It stores the secrets and returns the published version.
func connect(t testing.TB, a *app.App, fake *fakeApp, change func(p *builder.Procedure, in *builder.Integration)) *runtime.Compiled {
	t.Helper()
	return connectAs(t, a, fake, slug, change)
}

// connectAs is connect for a copy of the preset under another slug.
func connectAs(t testing.TB, a *app.App, fake *fakeApp, as string, change func(p *builder.Procedure, in *builder.Integration)) *runtime.Compiled {
	t.Helper()
	ctx := context.Background()
	p, err := builder.Preset(slug)
	if err != nil {
		t.Fatal(err)
	}
	if as != slug {
		p.Slug, p.ReferencePrefix = as, "SX"
	}
	s := p.OnlineScenario()
	addDateField(t, s.Form)
	in := s.Integration
	in.URL, in.Internal, in.Timeout = fake.URL(), true, "1s"
	in.Retry = &builder.RetryPolicy{Attempts: 5, Initial: "100ms", Max: "400ms"}
	in.Webhook.Update.Set = []builder.MappedField{{Field: "intervention_date",
		Value: `"date" in payload ? payload.date : data.intervention_date`}}
	if change != nil {
		change(p, in)
	}
	v, err := a.Engine.PublishDefinition(ctx, p, nil)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	for name, v := range map[string]string{"voirie-signature": signingSecret, "voirie-webhook": webhookSecret} {
		if _, err := a.Integrations.Secrets().Set(ctx, name, v, nil); err != nil {
			t.Fatal(err)
		}
	}
	// By ID: the catalogue may still serve the previous version for a
	// moment if it was being reloaded during the publication.
	c, err := a.Engine.Version(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// addDateField adds an optional "intervention_date" to the form's first
// page.
func addDateField(t testing.TB, f *builder.Form) {
	t.Helper()
	var schema, ui map[string]any
	if err := json.Unmarshal(f.Schema, &schema); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(f.UISchema, &ui); err != nil {
		t.Fatal(err)
	}
	schema["properties"].(map[string]any)["intervention_date"] = map[string]any{
		"type": "string", "format": "date", "title": "Date d'intervention"}
	page := ui["ui:pages"].([]any)[0].(map[string]any)
	page["fields"] = append(page["fields"].([]any), "intervention_date")
	f.Schema, _ = json.Marshal(schema)
	f.UISchema, _ = json.Marshal(ui)
}

// report is a valid submission.
func report(i int) map[string]any {
	return map[string]any{"category": "chaussee", "location": fmt.Sprintf("Grand-Rue %d", i+1),
		"description": "Un nid-de-poule profond devant la boulangerie", "last_name": "Dupont",
		"email": fmt.Sprintf("habitant%d@example.ch", i)}
}

// submit submits n reports and returns their dossier IDs.
func submit(t testing.TB, a *app.App, c *runtime.Compiled, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		rc, err := a.Engine.Submit(context.Background(), runtime.Submission{Procedure: c, Data: report(i), Channel: "api"})
		if err != nil {
			t.Fatalf("submit: %v", err)
		}
		ids = append(ids, rc.DossierID)
	}
	a.Queue.Notify()
	return ids
}

func dossier(t testing.TB, a *app.App, id string) *store.Dossier {
	t.Helper()
	d, err := store.DossierByID(context.Background(), a.DB.Read, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func events(t testing.TB, a *app.App, id string) []store.Event {
	t.Helper()
	evs, err := store.Events(context.Background(), a.DB.Read, id, false)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func countKind(evs []store.Event, kind string) int {
	n := 0
	for _, e := range evs {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// integrationJobs returns the jobs of kind.
func integrationJobs(t testing.TB, a *app.App, kind string) []jobs.Job {
	t.Helper()
	var js []jobs.Job
	if err := a.DB.Read.NewSelect().Model(&js).Where("kind = ?", kind).Order("created_at").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return js
}

// waitFor polls cond for up to 15 s.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// webhook sends a signed webhook to the app and returns the status and
// body of the answer. ts is the signing time; secret the signing secret.
func webhook(t testing.TB, a *app.App, id string, ts time.Time, secret string, body any) (int, string) {
	t.Helper()
	b, ok := body.([]byte)
	if !ok {
		b, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://guichet.test/hooks/"+key, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if id != "" {
		req.Header.Set(integrations.HeaderID, id)
		req.Header.Set(integrations.HeaderTimestamp, strconv.FormatInt(ts.Unix(), 10))
		req.Header.Set(integrations.HeaderSignature, integrations.Sign(secret, id, ts, b))
	}
	resp, out := apptest.Do(t, a, req)
	return resp.StatusCode, out
}

// pushed submits n reports to an app connected to fake and waits until
// each has the application's id.
func pushed(t testing.TB, a *app.App, c *runtime.Compiled, n int) []*store.Dossier {
	t.Helper()
	ids := submit(t, a, c, n)
	apptest.WaitJobs(t, a)
	var ds []*store.Dossier
	for _, id := range ids {
		d := dossier(t, a, id)
		if d.ExternalID == nil {
			t.Fatalf("dossier %s has no external id after its push", d.Reference)
		}
		ds = append(ds, d)
	}
	return ds
}
