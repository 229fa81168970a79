package adminapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/guichet/guichet/server/apptest"
)

func TestCreateAndSaveErrors(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		const api = "/api/admin/procedures"

		for _, tc := range []struct {
			name, body string
			status     int
			pointer    string
		}{
			{"invalid slug", `{"slug": "Salle des fêtes"}`, 422, "/slug"},
			{"missing slug", `{}`, 422, "/slug"},
			{"unknown preset", `{"slug": "ma-salle", "preset": "nope"}`, 422, "/preset"},
			{"taken slug", `{"slug": "reservation-salle"}`, 409, ""},
			{"unknown member", `{"slug": "ma-salle", "bogus": 1}`, 400, ""},
			{"not JSON", `{"slug": `, 400, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := decodeProblem(t, ad.call(http.MethodPost, api, tc.body, tc.status))
				if tc.pointer != "" && !slices.Contains(p.pointers(), tc.pointer) {
					t.Errorf("problem = %+v, want an error on %s", p, tc.pointer)
				}
			})
		}

		// From scratch: a minimal draft that can be published at once.
		p := decodeProcedure(t, ad.call(http.MethodPost, api, `{"slug": "nouvelle"}`, 201))
		if p.Title != "Nouvelle démarche" || len(p.Problems) != 0 || p.Revision != "0" {
			t.Fatalf("blank procedure = %+v", p)
		}
		contains(t, ad.call(http.MethodPost, api+"/nouvelle/publish", nil, 201), `"version":1`)

		const draft = api + "/nouvelle/draft"
		body := strings.Replace(string(p.Draft), `"title":"Nouvelle démarche"`, "\n"+`"title": 12`, 1)
		prob := decodeProblem(t, ad.call(http.MethodPut, draft, body, 400))
		if prob.Line != 2 || prob.Column != 11 || !strings.Contains(prob.Detail, "$.title must be a string") {
			t.Errorf("type error = %+v", prob)
		}
		prob = decodeProblem(t, ad.call(http.MethodPut, draft, `{"slug": "nouvelle", "colour": "red"}`, 400))
		if prob.Line != 1 || prob.Column != 22 || !strings.Contains(prob.Detail, "unknown field $.colour") {
			t.Errorf("unknown field = %+v", prob)
		}
		prob = decodeProblem(t, ad.call(http.MethodPut, draft, strings.Replace(string(p.Draft), `"nouvelle"`, `"autre"`, 1), 422))
		if !slices.Equal(prob.pointers(), []string{"/slug"}) {
			t.Errorf("slug change = %+v", prob)
		}
		ad.call(http.MethodPut, api+"/inconnue/draft", p.Draft, 404)

		// If-Match refuses to overwrite a newer save.
		resp, _ := ad.send(http.MethodGet, api+"/nouvelle", nil)
		etag := resp.Header.Get("ETag")
		edited := strings.Replace(string(p.Draft), "Nouvelle démarche", "Démarche modifiée", 1)
		if resp, body := ad.send(http.MethodPut, draft, edited, "If-Match", etag); resp.StatusCode != 200 {
			t.Fatalf("save with If-Match %s: %d %s", etag, resp.StatusCode, body)
		} else if got := decodeProcedure(t, body); got.Revision != "1" || !got.HasUnpublishedChanges || resp.Header.Get("ETag") != `"1"` {
			t.Errorf("after save: %+v, ETag %s", got, resp.Header.Get("ETag"))
		}
		if resp, body := ad.send(http.MethodPut, draft, edited, "If-Match", etag); resp.StatusCode != http.StatusPreconditionFailed {
			t.Errorf("stale If-Match: %d %s", resp.StatusCode, body)
		}
		contains(t, ad.call(http.MethodGet, api, nil, 200), `"slug":"nouvelle","title":"Démarche modifiée"`)
	})
}
