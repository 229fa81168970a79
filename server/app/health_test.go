package app_test

import (
	"testing"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
)

func TestHealth(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{NoStart: true})
		apptest.RunScenarios(t, a, []apptest.Scenario{
			{Name: "process up", URL: "/healthz", ExpectedStatus: 200, ExpectedContent: []string{"ok"}},
			{Name: "database reachable", URL: "/readyz", ExpectedStatus: 200, ExpectedContent: []string{"ready"}},
			{
				Name: "database gone", URL: "/readyz",
				Before: func(t testing.TB, a *app.App) {
					if err := a.DB.Close(); err != nil {
						t.Fatal(err)
					}
				},
				ExpectedStatus: 503,
			},
			{Name: "process still up", URL: "/healthz", ExpectedStatus: 200},
		})
	})
}
