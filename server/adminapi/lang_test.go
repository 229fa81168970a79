package adminapi_test

import (
	"net/http"
	"testing"

	"github.com/guichet/guichet/server/apptest"
)

// TestProblemsLanguage checks that problems, the 422 summary, expression
// checks and template variables are in the language of Accept-Language,
// French by default.
func TestProblemsLanguage(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		p := decodeProcedure(t, ad.call(http.MethodPost, "/api/admin/procedures",
			map[string]string{"slug": "location-salle", "title": "Location de salle", "preset": "reservation-salle"}, 201))
		broken := replaceOnce(t, p.Draft, `"title":"Location de salle"`, `"title":""`)
		ad.call(http.MethodPut, loc+"/draft", broken, 200)

		for _, tc := range []struct{ lang, detail, summary, expr, variable string }{
			{"fr", "le titre est obligatoire", "la démarche a 1 problème à corriger avant de pouvoir être publiée",
				"le rôle «\u00a0secc\u00a0» n’existe pas", "la référence du dossier"},
			{"fr-CH,fr;q=0.9,en;q=0.8", "le titre est obligatoire", "la démarche a 1 problème à corriger avant de pouvoir être publiée",
				"le rôle «\u00a0secc\u00a0» n’existe pas", "la référence du dossier"},
			{"en", "a title is required", "the procedure has 1 problem to fix before it can be published",
				`unknown role "secc"`, "the dossier's reference"},
			{"en-GB", "a title is required", "the procedure has 1 problem to fix before it can be published",
				`unknown role "secc"`, "the dossier's reference"},
			{"", "le titre est obligatoire", "la démarche a 1 problème à corriger avant de pouvoir être publiée",
				"le rôle «\u00a0secc\u00a0» n’existe pas", "la référence du dossier"},
		} {
			t.Run(tc.lang, func(t *testing.T) {
				call := func(method, path string, body any, want int) string {
					t.Helper()
					resp, out := ad.send(method, path, body, "Accept-Language", tc.lang)
					if resp.StatusCode != want {
						t.Fatalf("%s %s: status %d, want %d\n%s", method, path, resp.StatusCode, want, out)
					}
					return out
				}
				var check struct {
					Problems []struct{ Detail string }
				}
				apptest.DecodeJSON(t, call(http.MethodGet, loc+"/check", nil, 200), &check)
				if len(check.Problems) != 1 || check.Problems[0].Detail != tc.detail {
					t.Errorf("check = %+v, want %q", check, tc.detail)
				}
				p := decodeProcedure(t, call(http.MethodGet, loc, nil, 200))
				if len(p.Problems) != 1 || p.Problems[0].Detail != tc.detail {
					t.Errorf("procedure problems = %+v, want %q", p.Problems, tc.detail)
				}
				prob := decodeProblem(t, call(http.MethodPost, loc+"/publish", nil, 422))
				if prob.Detail != tc.summary || len(prob.Errors) != 1 || prob.Errors[0].Detail != tc.detail {
					t.Errorf("publish = %+v, want %q: %q", prob, tc.summary, tc.detail)
				}
				var expr struct{ Error string }
				apptest.DecodeJSON(t, call(http.MethodPost, "/api/admin/expressions/check", `{"kind": "condition",
					"expression": "invitations.secc.status == 'invited'",
					"pipeline": {"roles": [{"id": "ocf", "label": "OCF", "kind": "consulted"}]}}`, 200), &expr)
				if expr.Error != "invitations.secc : "+tc.expr && expr.Error != "invitations.secc: "+tc.expr {
					t.Errorf("expression error = %q, want %q", expr.Error, tc.expr)
				}
				var preview struct {
					Variables []struct{ Name, Description string }
				}
				apptest.DecodeJSON(t, call(http.MethodPost, "/api/admin/templates/preview",
					`{"procedure": "location-salle", "subject": "x", "body": "y"}`, 200), &preview)
				if len(preview.Variables) == 0 || preview.Variables[0].Description != tc.variable {
					t.Errorf("variables = %+v, want %q", preview.Variables, tc.variable)
				}
			})
		}
	})
}
