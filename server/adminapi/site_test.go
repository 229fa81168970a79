package adminapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/guichet/guichet/server/apptest"
)

// TestSiteBranding changes the administration's name, logo and accent
// from the admin API and sees them on the portal at once; bad values get
// a problem at their field and change nothing.
func TestSiteBranding(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		var v struct {
			Settings, Defaults, Effective struct {
				Name        string `json:"name"`
				LogoURL     string `json:"logoUrl"`
				AccentColor string `json:"accentColor"`
			}
		}
		apptest.DecodeJSON(t, ad.call(http.MethodGet, "/api/admin/site", nil, 200), &v)
		if v.Defaults.Name != "Commune de Test" || v.Effective.Name != "Commune de Test" || v.Settings.Name != "" {
			t.Fatalf("initial site = %+v", v)
		}

		apptest.DecodeJSON(t, ad.call(http.MethodPut, "/api/admin/site",
			`{"name": " Commune de Montagny ", "logoUrl": "/static/logo-test.svg", "accentColor": "#0B5394"}`, 200), &v)
		if v.Effective.Name != "Commune de Montagny" || v.Effective.AccentColor != "#0b5394" || v.Effective.LogoURL != "/static/logo-test.svg" {
			t.Fatalf("after save = %+v", v)
		}
		_, page := ad.c.Get("/")
		contains(t, page, "Commune de Montagny", "#0b5394", `src="/static/logo-test.svg"`)

		for _, bad := range []struct{ body, pointer, detail string }{
			{`{"accentColor": "#ffff00"}`, "/accentColor", "4,5:1"},
			{`{"accentColor": "blue"}`, "/accentColor", "#rrggbb"},
			{`{"logoUrl": "javascript:alert(1)"}`, "/logoUrl", "https://"},
			{`{"logoUrl": "//evil.example/logo.png"}`, "/logoUrl", "https://"},
			{`{"name": "` + strings.Repeat("x", 121) + `"}`, "/name", "120"},
		} {
			resp, body := ad.send(http.MethodPut, "/api/admin/site", bad.body, "Accept-Language", "fr")
			p := decodeProblem(t, body)
			if resp.StatusCode != 422 || len(p.Errors) != 1 || p.Errors[0].Pointer != bad.pointer || !strings.Contains(p.Errors[0].Detail, bad.detail) {
				t.Errorf("PUT %s: %d %+v", bad.body, resp.StatusCode, p)
			}
		}
		_, page = ad.c.Get("/")
		contains(t, page, "Commune de Montagny", "#0b5394")

		// Emptied members go back to the server's defaults (PUT replaces
		// every member).
		var cleared map[string]map[string]string
		apptest.DecodeJSON(t, ad.call(http.MethodPut, "/api/admin/site", `{"name": ""}`, 200), &cleared)
		if e := cleared["effective"]; len(cleared["settings"]) != 0 || e["name"] != "Commune de Test" || e["logoUrl"] != "" || e["accentColor"] != "#0b4f8a" {
			t.Errorf("after clearing = %+v", cleared)
		}
		_, page = ad.c.Get("/")
		contains(t, page, "Commune de Test")
	})
}
