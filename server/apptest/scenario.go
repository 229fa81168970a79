package apptest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/guichet/guichet/server/app"
)

// Scenario is one HTTP request through the app's router and what its
// answer must be (after PocketBase's tests.ApiScenario). Run a table of
// them with [RunScenarios].
type Scenario struct {
	Name    string
	Method  string // default GET
	URL     string // path and query
	Body    string
	Headers map[string]string // Content-Type defaults to application/json with a body

	ExpectedStatus     int
	ExpectedHeaders    map[string]string // header → value the header must start with
	ExpectedContent    []string          // substrings the body must contain
	NotExpectedContent []string          // substrings the body must not contain

	// Before runs before the request; After checks what the table cannot
	// say (decoded JSON, database rows).
	Before func(t testing.TB, a *app.App)
	After  func(t testing.TB, a *app.App, resp *http.Response, body string)
}

// RunScenarios runs each scenario as a subtest against a.
func RunScenarios(t *testing.T, a *app.App, scenarios []Scenario) {
	t.Helper()
	for _, s := range scenarios {
		t.Run(s.Name, func(t *testing.T) { s.Test(t, a) })
	}
}

// Test sends the scenario's request to a and checks the answer.
func (s Scenario) Test(t testing.TB, a *app.App) {
	t.Helper()
	if s.Before != nil {
		s.Before(t, a)
	}
	method := s.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequest(method, "http://guichet.test"+s.URL, strings.NewReader(s.Body))
	if err != nil {
		t.Fatal(err)
	}
	if s.Body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range s.Headers {
		req.Header.Set(k, v)
	}
	resp, body := Do(t, a, req)
	if resp.StatusCode != s.ExpectedStatus {
		t.Fatalf("%s %s: status %d, want %d; body:\n%s", method, s.URL, resp.StatusCode, s.ExpectedStatus, clip(body))
	}
	for k, want := range s.ExpectedHeaders {
		if got := resp.Header.Get(k); !strings.HasPrefix(got, want) {
			t.Errorf("header %s = %q, want it to start with %q", k, got, want)
		}
	}
	for _, want := range s.ExpectedContent {
		if !strings.Contains(body, want) {
			t.Errorf("body does not contain %q; body:\n%s", want, clip(body))
		}
	}
	for _, unwanted := range s.NotExpectedContent {
		if strings.Contains(body, unwanted) {
			t.Errorf("body contains %q; body:\n%s", unwanted, clip(body))
		}
	}
	if s.After != nil {
		s.After(t, a, resp, body)
	}
}

// clip shortens a body for a failure message.
func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}
