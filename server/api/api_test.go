package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// validBooking is a complete, valid room booking.
const validBooking = `{
	"first_name": "Marie", "last_name": "Dupont", "email": "marie.dupont@example.ch",
	"address": {"street": "Rue du Lac 1", "postcode": "1000", "city": "Lausanne"},
	"room": "salle-communale", "event_date": "2026-06-20", "attendees": 50,
	"equipment": [{"item": "Tables", "quantity": 10}], "consent": true
}`

const dossiersURL = "/api/v1/procedures/reservation-salle/dossiers"

var referenceRe = regexp.MustCompile(`^RS-(\d{4})-(\d{5})$`)

// listSlugs returns the slugs of a GET /api/v1/procedures answer.
func listSlugs(t testing.TB, body string) []string {
	t.Helper()
	var out struct {
		Procedures []struct {
			Slug string `json:"slug"`
		} `json:"procedures"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatalf("decode list: %v\n%s", err, body)
	}
	if out.Procedures == nil {
		t.Fatalf("procedures is not a list: %s", body)
	}
	slugs := []string{}
	for _, p := range out.Procedures {
		slugs = append(slugs, p.Slug)
	}
	return slugs
}

func wantSlugs(want ...string) func(testing.TB, *app.App, *http.Response, string) {
	return func(t testing.TB, _ *app.App, _ *http.Response, body string) {
		t.Helper()
		if got := listSlugs(t, body); !slices.Equal(got, want) {
			t.Errorf("slugs = %v, want %v", got, want)
		}
	}
}

// publicPresets returns the slugs of the public presets, which an empty
// database starts with, sorted.
func publicPresets(t testing.TB) []string {
	t.Helper()
	ps, err := builder.Presets()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		if p.Audience == builder.AudiencePublic {
			out = append(out, p.Slug)
		}
	}
	slices.Sort(out)
	if !slices.Contains(out, "reservation-salle") || slices.Contains(out, "saisie-guichet") {
		t.Fatalf("presets changed: %v", out)
	}
	return out
}

func TestProcedures(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	apptest.RunScenarios(t, a, []apptest.Scenario{
		{
			Name: "list has public procedures only", URL: "/api/v1/procedures",
			ExpectedStatus:     200,
			ExpectedHeaders:    map[string]string{"Content-Type": "application/json"},
			NotExpectedContent: []string{"saisie-guichet"},
			After:              wantSlugs(publicPresets(t)...),
		},
		{
			Name: "search ignores case and accents", URL: "/api/v1/procedures?q=NOEL",
			ExpectedStatus: 200, After: wantSlugs("broyage-sapins"),
		},
		{
			Name: "search needs every word", URL: "/api/v1/procedures?q=salle+carnotzet",
			ExpectedStatus: 200, After: wantSlugs("reservation-salle"),
		},
		{
			Name: "search never finds agent-only procedures", URL: "/api/v1/procedures?q=guichet+saisie",
			ExpectedStatus: 200, After: wantSlugs(),
		},
		{
			Name: "category filter", URL: "/api/v1/procedures?category=Environnement",
			ExpectedStatus: 200, After: wantSlugs("broyage-sapins"),
		},
		{
			Name: "category of an agent-only procedure", URL: "/api/v1/procedures?category=Administration+g%C3%A9n%C3%A9rale",
			ExpectedStatus: 200, After: wantSlugs(),
		},
		{
			Name: "search and category together", URL: "/api/v1/procedures?q=salle&category=Environnement",
			ExpectedStatus: 200, After: wantSlugs(),
		},
		{
			Name: "procedure with its form schema", URL: "/api/v1/procedures/reservation-salle",
			ExpectedStatus: 200,
			After: func(t testing.TB, _ *app.App, _ *http.Response, body string) {
				var d struct {
					Slug        string   `json:"slug"`
					Scenarios   []string `json:"scenarios"`
					HasForm     bool     `json:"has_form"`
					Information []any    `json:"information"`
					Form        struct {
						Schema struct {
							Required   []string       `json:"required"`
							Properties map[string]any `json:"properties"`
						} `json:"schema"`
						UISchema map[string]any `json:"ui_schema"`
						Submit   string         `json:"submit_url"`
					} `json:"form"`
				}
				if err := json.Unmarshal([]byte(body), &d); err != nil {
					t.Fatal(err)
				}
				if d.Slug != "reservation-salle" || !d.HasForm || !slices.Equal(d.Scenarios, []string{"information", "online"}) {
					t.Errorf("summary = %+v", d)
				}
				if _, ok := d.Form.Schema.Properties["address"]; !ok || !slices.Contains(d.Form.Schema.Required, "email") {
					t.Errorf("schema lacks address/required email: %+v", d.Form.Schema)
				}
				if d.Form.UISchema["ui:pages"] == nil || len(d.Information) != 1 {
					t.Errorf("ui schema or information missing: %s", body)
				}
				if d.Form.Submit != "http://guichet.test"+dossiersURL {
					t.Errorf("submit_url = %q", d.Form.Submit)
				}
			},
		},
		{
			Name: "information-only procedure has no form", URL: "/api/v1/procedures/broyage-sapins",
			ExpectedStatus: 200, ExpectedContent: []string{`"has_form":false`}, NotExpectedContent: []string{`"form"`},
		},
		{
			Name: "redirect procedure gives its URL", URL: "/api/v1/procedures/portail-famille",
			ExpectedStatus: 200, ExpectedContent: []string{`"redirect_url":"https://famille.example.ch"`},
		},
		{
			Name: "agent-only procedure is not found", URL: "/api/v1/procedures/saisie-guichet",
			ExpectedStatus:     404,
			ExpectedHeaders:    map[string]string{"Content-Type": "application/problem+json"},
			NotExpectedContent: []string{"schema", "Saisie"},
		},
		{
			Name: "unknown procedure", URL: "/api/v1/procedures/nope",
			ExpectedStatus: 404, ExpectedHeaders: map[string]string{"Content-Type": "application/problem+json"},
			ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "unknown API path", URL: "/api/v1/nope",
			ExpectedStatus: 404, ExpectedHeaders: map[string]string{"Content-Type": "application/problem+json"},
		},
	})
}

// problem is an RFC 9457 answer.
type problem struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Errors []struct {
		Pointer string `json:"pointer"`
		Detail  string `json:"detail"`
	} `json:"errors"`
}

func decodeProblem(t testing.TB, resp *http.Response, body string) problem {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("decode problem: %v\n%s", err, body)
	}
	if p.Status != resp.StatusCode {
		t.Errorf("problem status %d, response %d", p.Status, resp.StatusCode)
	}
	return p
}

// noDossier checks that nothing was written.
func noDossier(t testing.TB, a *app.App, _ *http.Response, _ string) {
	t.Helper()
	if n := countRows(t, a, "dossiers"); n != 0 {
		t.Errorf("%d dossiers written, want 0", n)
	}
}

func countRows(t testing.TB, a *app.App, table string) int {
	t.Helper()
	n, err := a.DB.Read.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestCreateDossierErrors(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	bigDescription := strings.Repeat("x", 1<<20)
	apptest.RunScenarios(t, a, []apptest.Scenario{
		{
			Name: "each invalid field with its pointer", Method: "POST", URL: dossiersURL,
			Body: `{
				"last_name": "Dupont", "email": "pas-une-adresse",
				"address": {"street": "Rue du Lac 1", "postcode": "12", "city": "Lausanne"},
				"room": "salle-communale", "event_date": "2026-06-20", "attendees": 50,
				"equipment": [{"item": "Tables", "quantity": 0}], "consent": true
			}`,
			ExpectedStatus: 422,
			After: func(t testing.TB, a *app.App, resp *http.Response, body string) {
				p := decodeProblem(t, resp, body)
				got := map[string]string{}
				for _, e := range p.Errors {
					got[e.Pointer] = e.Detail
				}
				want := []string{"/first_name", "/email", "/address/postcode", "/equipment/0/quantity"}
				if len(got) != len(want) {
					t.Errorf("errors = %v, want exactly %v", got, want)
				}
				for _, ptr := range want {
					if got[ptr] == "" {
						t.Errorf("no error with a message at %s: %v", ptr, got)
					}
				}
				if !strings.Contains(got["/email"], "adresse e-mail") {
					t.Errorf("/email message %q is not the French one", got["/email"])
				}
				noDossier(t, a, resp, body)
			},
		},
		{
			Name: "messages in English with ?lang=en", Method: "POST", URL: dossiersURL + "?lang=en",
			Body:           `{"email": "x"}`,
			ExpectedStatus: 422, ExpectedContent: []string{"Enter an email address in the correct format"},
		},
		{
			Name: "malformed JSON", Method: "POST", URL: dossiersURL, Body: `{"first_name": "Marie",`,
			ExpectedStatus: 400, ExpectedContent: []string{"malformed JSON"},
			After: func(t testing.TB, a *app.App, resp *http.Response, body string) {
				decodeProblem(t, resp, body)
				noDossier(t, a, resp, body)
			},
		},
		{Name: "array instead of object", Method: "POST", URL: dossiersURL, Body: `[]`, ExpectedStatus: 400, After: noDossier},
		{Name: "string instead of object", Method: "POST", URL: dossiersURL, Body: `"hello"`, ExpectedStatus: 400},
		{Name: "null", Method: "POST", URL: dossiersURL, Body: `null`, ExpectedStatus: 400, ExpectedContent: []string{"JSON object"}},
		{Name: "empty body", Method: "POST", URL: dossiersURL, ExpectedStatus: 400},
		{
			Name: "trailing object", Method: "POST", URL: dossiersURL, Body: validBooking + ` {}`,
			ExpectedStatus: 400, ExpectedContent: []string{"data after the object"}, After: noDossier,
		},
		{Name: "trailing garbage", Method: "POST", URL: dossiersURL, Body: validBooking + `x`, ExpectedStatus: 400, After: noDossier},
		{
			Name: "unknown procedure", Method: "POST", URL: "/api/v1/procedures/nope/dossiers", Body: validBooking,
			ExpectedStatus: 404, ExpectedHeaders: map[string]string{"Content-Type": "application/problem+json"},
		},
		{
			Name: "information-only procedure", Method: "POST", URL: "/api/v1/procedures/broyage-sapins/dossiers", Body: `{}`,
			ExpectedStatus: 404, ExpectedHeaders: map[string]string{"Content-Type": "application/problem+json"}, After: noDossier,
		},
		{
			Name: "redirect procedure", Method: "POST", URL: "/api/v1/procedures/portail-famille/dossiers", Body: `{}`,
			ExpectedStatus: 404, After: noDossier,
		},
		{
			Name: "agent-only procedure", Method: "POST", URL: "/api/v1/procedures/saisie-guichet/dossiers",
			Body:           `{"channel": "guichet", "name": "Marie Dupont", "subject": "voirie", "description": "Un lampadaire est en panne."}`,
			ExpectedStatus: 404, After: noDossier,
		},
		{
			Name: "body over 1 MiB", Method: "POST", URL: dossiersURL,
			Body:           strings.Replace(validBooking, `"consent": true`, `"consent": true, "description": "`+bigDescription+`"`, 1),
			ExpectedStatus: 413,
			After: func(t testing.TB, a *app.App, resp *http.Response, body string) {
				decodeProblem(t, resp, body)
				noDossier(t, a, resp, body)
			},
		},
		{
			Name: "idempotency key too long", Method: "POST", URL: dossiersURL, Body: validBooking,
			Headers:        map[string]string{"Idempotency-Key": strings.Repeat("k", 101)},
			ExpectedStatus: 400, After: noDossier,
		},
	})
}

type created struct {
	ID          string `json:"id"`
	Reference   string `json:"reference"`
	TrackingURL string `json:"tracking_url"`
}

// post submits body with an Idempotency-Key (none if ""). It reports
// problems with t.Errorf only, so goroutines may call it.
func post(t testing.TB, a *app.App, body, key string) (int, created) {
	t.Helper()
	req := apptest.JSON(http.MethodPost, dossiersURL, body)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	var c created
	resp, err := a.HTTP.Test(req, 30_000)
	if err != nil {
		t.Errorf("POST: %v", err)
		return 0, c
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 200 || resp.StatusCode == 201 {
		if err := json.Unmarshal(b, &c); err != nil {
			t.Errorf("decode: %v\n%s", err, b)
		}
		if loc := resp.Header.Get("Location"); loc != c.TrackingURL {
			t.Errorf("Location = %q, want the tracking URL %q", loc, c.TrackingURL)
		}
	}
	return resp.StatusCode, c
}

func TestCreateDossier(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{NoStart: true})
		status, c := post(t, a, validBooking, "")
		if status != 201 {
			t.Fatalf("status %d, want 201", status)
		}
		m := referenceRe.FindStringSubmatch(c.Reference)
		if m == nil || m[1] != fmt.Sprint(time.Now().UTC().Year()) || m[2] != "00001" {
			t.Errorf("reference %q, want RS-%d-00001", c.Reference, time.Now().UTC().Year())
		}
		if !strings.HasPrefix(c.TrackingURL, "http://guichet.test/suivi/") || len(c.TrackingURL) < len("http://guichet.test/suivi/")+40 {
			t.Errorf("tracking_url %q", c.TrackingURL)
		}
		d, err := store.DossierByID(context.Background(), a.DB.Read, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Reference != c.Reference || !strings.HasSuffix(c.TrackingURL, "/"+d.TrackingToken) ||
			d.ApplicantEmail != "marie.dupont@example.ch" || d.ApplicantName != "Dupont" || d.State != initialState(t, a) {
			t.Errorf("stored dossier %+v does not match the answer %+v", d, c)
		}
		var data map[string]any
		if err := json.Unmarshal(d.Data, &data); err != nil || data["attendees"] != 50.0 {
			t.Errorf("stored data %s (%v)", d.Data, err)
		}

		// The tracking link opens the dossier.
		resp, body := apptest.Do(t, a, httptestGet(strings.TrimPrefix(c.TrackingURL, "http://guichet.test")))
		if resp.StatusCode != 200 || !strings.Contains(body, c.Reference) {
			t.Errorf("tracking page: %d, reference missing", resp.StatusCode)
		}

		status, c2 := post(t, a, validBooking, "")
		if status != 201 || c2.Reference != strings.Replace(c.Reference, "00001", "00002", 1) {
			t.Errorf("second submission: %d %q, want the next reference", status, c2.Reference)
		}
	})
}

// initialState returns the state new room bookings start in.
func initialState(t testing.TB, a *app.App) string {
	t.Helper()
	c, err := a.Engine.Published(context.Background(), "reservation-salle")
	if err != nil {
		t.Fatal(err)
	}
	return c.InitialState()
}

func httptestGet(path string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, "http://guichet.test"+path, nil)
	return req
}

func TestIdempotencyKey(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{NoStart: true})

		t.Run("sequential", func(t *testing.T) {
			s1, c1 := post(t, a, validBooking, "retry-1")
			s2, c2 := post(t, a, validBooking, "retry-1")
			if s1 != 201 || s2 != 200 {
				t.Errorf("statuses %d, %d; want 201, 200", s1, s2)
			}
			if c1 != c2 {
				t.Errorf("second answer %+v, want the first %+v", c2, c1)
			}
			if n := countRows(t, a, "dossiers"); n != 1 {
				t.Errorf("%d dossiers, want 1", n)
			}
			// Another key is another dossier.
			if s, c := post(t, a, validBooking, "retry-2"); s != 201 || c.ID == c1.ID {
				t.Errorf("other key: %d %+v", s, c)
			}
		})

		t.Run("concurrent", func(t *testing.T) {
			// Several rounds, so that duplicates meet both inside one
			// group commit and across groups (and writers on PostgreSQL).
			for round := range 5 {
				key := fmt.Sprintf("burst-%d", round)
				const n = 20
				var wg sync.WaitGroup
				statuses := make([]int, n)
				answers := make([]created, n)
				for i := range n {
					wg.Go(func() { statuses[i], answers[i] = post(t, a, validBooking, key) })
				}
				wg.Wait()
				var first int
				for i := range n {
					switch statuses[i] {
					case 201:
						first++
					case 200:
					default:
						t.Errorf("%s request %d: status %d", key, i, statuses[i])
					}
					if answers[i] != answers[0] {
						t.Errorf("%s answer %d = %+v, want %+v", key, i, answers[i], answers[0])
					}
				}
				if first != 1 {
					t.Errorf("%s: %d answers were 201 Created, want exactly 1", key, first)
				}
				ctx := context.Background()
				got, err := a.DB.Read.NewSelect().Model((*store.Dossier)(nil)).Where("idempotency_key = ?", key).Count(ctx)
				if err != nil || got != 1 {
					t.Errorf("%s: %d dossiers with the key (%v), want 1", key, got, err)
				}
				acks, err := a.DB.Read.NewSelect().Model((*jobs.Job)(nil)).
					Where("kind = ? AND CAST(payload AS TEXT) LIKE ?", runtime.JobSendMessage, "%"+answers[0].ID+"%").Count(ctx)
				if err != nil || acks != 1 {
					t.Errorf("%s: %d ack jobs for the dossier (%v), want 1", key, acks, err)
				}
			}
		})
	})
}
