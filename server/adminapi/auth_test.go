package adminapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/auth"
	"github.com/guichet/guichet/server/store"
)

func TestAuth(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{NoStart: true})
		base := apptest.Serve(t, a)

		anon := apptest.NewClient(t, base)
		resp, body := anon.Get("/api/admin/procedures")
		if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
			t.Fatalf("anonymous: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if resp, body = anon.Get("/api/admin/openapi.json"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"openapi": "3.1.0"`) {
			t.Fatalf("openapi.json: %d %.200s", resp.StatusCode, body)
		}

		hash, err := auth.HashPassword("agent-password")
		if err != nil {
			t.Fatal(err)
		}
		agent := &store.User{ID: store.NewID(), Email: "agent@test.local", Name: "Agent", PasswordHash: hash, CreatedAt: time.Now().UTC()}
		if err := store.InsertUser(context.Background(), a.DB.Write, agent); err != nil {
			t.Fatal(err)
		}
		staff := apptest.NewClient(t, base)
		staff.Login(agent.Email, "agent-password")
		if resp, body = staff.Get("/api/admin/session"); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("non-admin: %d %s", resp.StatusCode, body)
		}
		if resp, body = staff.RawJSON(http.MethodPost, "/api/admin/procedures", []byte(`{"slug":"par-agent"}`)); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("non-admin create: %d %s", resp.StatusCode, body)
		}

		ad := &admin{t: t, a: a, c: apptest.NewClient(t, base)}
		ad.c.AdminAPI()
		var s struct {
			User struct {
				Email   string `json:"email"`
				IsAdmin bool   `json:"is_admin"`
			} `json:"user"`
			CSRFToken string `json:"csrf_token"`
		}
		apptest.DecodeJSON(t, ad.call(http.MethodGet, "/api/admin/session", nil, http.StatusOK), &s)
		if s.User.Email != apptest.AdminEmail || !s.User.IsAdmin || s.CSRFToken == "" {
			t.Errorf("session = %+v", s)
		}

		token := ad.c.CSRF
		for name, header := range map[string]string{"missing": "", "wrong": "not-the-token"} {
			ad.c.CSRF = header
			resp, body := ad.send(http.MethodPost, "/api/admin/procedures", `{"slug":"sans-jeton"}`)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
				t.Errorf("CSRF %s: %d %s", name, resp.StatusCode, body)
			}
		}
		ad.c.CSRF = token
		ad.call(http.MethodGet, "/api/admin/procedures/sans-jeton", nil, http.StatusNotFound)
		ad.call(http.MethodGet, "/api/admin/nothing-here", nil, http.StatusNotFound)
	})
}
