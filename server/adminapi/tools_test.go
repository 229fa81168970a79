package adminapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
)

const signup = `{"type": "object", "title": "Inscription", "required": ["name", "age"],
	"properties": {"name": {"type": "string", "title": "Nom"}, "age": {"type": "integer", "title": "Âge", "minimum": 18}}}`

func TestPreviewForm(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		const url = "/api/admin/preview/form"
		var out struct {
			HTML   string
			Errors []struct {
				Pointer, Detail string
				Page            int
			}
			Pages []struct {
				Index int
				Title string
			}
		}
		apptest.DecodeJSON(t, ad.call(http.MethodPost, url,
			`{"schema": `+signup+`, "data": {"age": 12}, "validate": true, "lang": "fr"}`, 200), &out)
		contains(t, out.HTML, `name="name"`, `name="age"`, `value="12"`, "Nom", "Âge")
		if len(out.Errors) != 2 || out.Errors[0].Pointer != "/name" || out.Errors[1].Pointer != "/age" {
			t.Fatalf("errors = %+v", out.Errors)
		}
		for _, e := range out.Errors {
			if !strings.Contains(out.HTML, e.Detail) {
				t.Errorf("the fields do not show %q:\n%s", e.Detail, out.HTML)
			}
		}

		apptest.DecodeJSON(t, ad.call(http.MethodPost, url, `{"schema": `+signup+`}`, 200), &out)
		if len(out.Errors) != 0 || strings.Contains(out.HTML, "error") {
			t.Errorf("without validate: errors %+v\n%s", out.Errors, out.HTML)
		}

		paged := `{"schema": ` + signup + `, "uiSchema": {"ui:pages": [{"title": "Vous", "fields": ["name"]}, {"title": "Votre âge", "fields": ["age"]}]}, "page": 1, "validate": true, "lang": "en"}`
		apptest.DecodeJSON(t, ad.call(http.MethodPost, url, paged, 200), &out)
		if len(out.Pages) != 2 || out.Pages[1].Title != "Votre âge" || strings.Contains(out.HTML, `name="name"`) || !strings.Contains(out.HTML, `name="age"`) {
			t.Errorf("page 2 = %+v\n%s", out.Pages, out.HTML)
		}
		if len(out.Errors) != 2 || out.Errors[0].Page != 0 || out.Errors[1].Page != 1 {
			t.Errorf("errors by page = %+v", out.Errors)
		}

		for _, tc := range []struct{ name, body, pointer string }{
			{"no schema", `{}`, "/schema"},
			{"unknown UI key", `{"schema": ` + signup + `, "uiSchema": {"nope": {}}}`, "/uiSchema/nope"},
			{"bad schema keyword", `{"schema": {"type": "object", "properties": {"n": {"type": "strin"}}}}`, "/schema/properties/n"},
			{"no such page", `{"schema": ` + signup + `, "page": 3}`, "/page"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := decodeProblem(t, ad.call(http.MethodPost, url, tc.body, 422))
				if len(p.Errors) != 1 || !strings.HasPrefix(p.Errors[0].Pointer, tc.pointer) {
					t.Errorf("problem = %+v, want a pointer under %s", p, tc.pointer)
				}
			})
		}
	})
}

func TestExpressionCheck(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		pipeline := `{"states": [{"id": "new", "label": "New", "publicLabel": "New", "kind": "initial"}],
			"roles": [{"id": "ocf", "label": "OCF", "kind": "consulted"}]}`
		for _, tc := range []struct {
			name, body string
			ok         bool
			err        string
		}{
			{"condition", `{"kind": "condition", "expression": "invitations.ocf.status in ['pending', 'invited']"}`, true, ""},
			{"syntax error", `{"kind": "condition", "expression": "dossier.reference =="}`, false, "unexpected"},
			{"not a boolean", `{"kind": "condition", "expression": "dossier.reference"}`, false, "bool"},
			{"unknown name", `{"kind": "value", "expression": "dossier.nothing"}`, false, "nothing"},
			{"value", `{"kind": "value", "expression": "now.Year()"}`, true, ""},
			{"empty", `{"kind": "value", "expression": " "}`, false, "expression"},
			{"known role", `{"kind": "condition", "expression": "invitations.ocf.status == 'invited'", "pipeline": ` + pipeline + `}`, true, ""},
			{"unknown role", `{"kind": "condition", "expression": "invitations.secc.status == 'invited'", "pipeline": ` + pipeline + `}`, false, "le rôle «\u00a0secc\u00a0» n’existe pas"},
			{"known field", `{"kind": "value", "expression": "data.age + 1", "schema": ` + signup + `}`, true, ""},
			{"unknown field", `{"kind": "value", "expression": "data.agee", "schema": ` + signup + `}`, false, "pas de champ «\u00a0agee\u00a0»"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var out struct {
					OK    bool
					Error string
				}
				apptest.DecodeJSON(t, ad.call(http.MethodPost, "/api/admin/expressions/check", tc.body, 200), &out)
				if out.OK != tc.ok || !strings.Contains(out.Error, tc.err) || (tc.ok && out.Error != "") {
					t.Errorf("= %+v, want ok %v and an error with %q", out, tc.ok, tc.err)
				}
			})
		}
		p := decodeProblem(t, ad.call(http.MethodPost, "/api/admin/expressions/check", `{"kind": "rule", "expression": "true"}`, 422))
		if !slices.Equal(p.pointers(), []string{"/kind"}) {
			t.Errorf("bad kind = %+v", p)
		}
	})
}

func TestTemplatePreview(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		const url = "/api/admin/templates/preview"
		var out struct {
			Subject, Body string
			Variables     []struct{ Name, Description, Example string }
		}
		apptest.DecodeJSON(t, ad.call(http.MethodPost, url, `{"procedure": "reservation-salle",
			"subject": "Demande {{.Reference}}\nreçue", "body": "Bonjour {{.Data.first_name}} {{.Data.last_name}}, {{.Data.address.city}}. Suivi : {{.TrackingURL}}"}`, 200), &out)
		year := time.Now().Year()
		if want := "Demande RS-" + itoa(year) + "-00042 reçue"; out.Subject != want {
			t.Errorf("subject = %q, want %q", out.Subject, want)
		}
		if want := "Bonjour Marie Dupont, Lausanne. Suivi : http://guichet.test/suivi/exemple"; out.Body != want {
			t.Errorf("body = %q, want %q", out.Body, want)
		}
		var names []string
		for _, v := range out.Variables {
			names = append(names, v.Name)
		}
		for _, want := range []string{"{{.Reference}}", "{{.Data.first_name}}", "{{.Data.address.city}}", "{{range .Data.equipment}}…{{end}}"} {
			if !slices.Contains(names, want) {
				t.Errorf("variables lack %s: %v", want, names)
			}
		}

		apptest.DecodeJSON(t, ad.call(http.MethodPost, url,
			`{"subject": "{{.Procedure}}", "body": "{{.Data.name}}", "sample": {"procedure": "Ma démarche", "data": {"name": "Léa"}}}`, 200), &out)
		if out.Subject != "Ma démarche" || out.Body != "Léa" {
			t.Errorf("with sample = %q / %q", out.Subject, out.Body)
		}

		for _, tc := range []struct{ name, body, pointer string }{
			{"unknown field", `{"subject": "ok", "body": "{{.Referense}}"}`, "/body"},
			{"syntax", `{"subject": "{{if}}", "body": ""}`, "/subject"},
			{"bad schema", `{"subject": "", "body": "", "schema": {"type": "strin"}}`, "/schema"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := decodeProblem(t, ad.call(http.MethodPost, url, tc.body, 422))
				if len(p.Errors) != 1 || !strings.HasPrefix(p.Errors[0].Pointer, tc.pointer) {
					t.Errorf("problem = %+v, want %s", p, tc.pointer)
				}
			})
		}
		ad.call(http.MethodPost, url, `{"procedure": "inconnue"}`, 404)
	})
}

func TestCronNext(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		var out struct {
			Timezone string
			Next     []time.Time
		}
		apptest.DecodeJSON(t, ad.call(http.MethodPost, "/api/admin/cron/next",
			`{"spec": "CRON_TZ=Europe/Zurich 0 8 * * 1-5", "count": 3, "from": "2026-01-02T10:00:00+01:00"}`, 200), &out)
		var got []string
		for _, n := range out.Next {
			got = append(got, n.Format(time.RFC3339))
		}
		want := []string{"2026-01-05T08:00:00+01:00", "2026-01-06T08:00:00+01:00", "2026-01-07T08:00:00+01:00"}
		if !slices.Equal(got, want) || out.Timezone != "Europe/Zurich" {
			t.Errorf("next = %v (%s), want %v", got, out.Timezone, want)
		}
		apptest.DecodeJSON(t, ad.call(http.MethodPost, "/api/admin/cron/next", `{"spec": "@every 10m"}`, 200), &out)
		if len(out.Next) != 5 || out.Next[1].Sub(out.Next[0]) != 10*time.Minute {
			t.Errorf("@every 10m = %v", out.Next)
		}
		for _, tc := range []struct{ body, pointer string }{
			{`{"spec": "61 * * * *"}`, "/spec"},
			{`{"spec": ""}`, "/spec"},
			{`{"spec": "@daily", "count": 500}`, "/count"},
		} {
			p := decodeProblem(t, ad.call(http.MethodPost, "/api/admin/cron/next", tc.body, 422))
			if !slices.Equal(p.pointers(), []string{tc.pointer}) {
				t.Errorf("%s: problem = %+v", tc.body, p)
			}
		}
	})
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
