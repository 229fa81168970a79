package apptest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
)

// RawJSON sends body, as it is, with the JSON content type to path, and
// returns the whole response (headers included). Calls other than GET and
// HEAD carry the X-CSRF-Token header with c.CSRF, as the admin SPA does;
// headers are extra request headers ("Content-Type" replaces the JSON one).
func (c *Client) RawJSON(method, path string, body []byte, headers ...string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.url(path), bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(req)
}

// AdminAPI signs in as the test admin and reads the admin API's session,
// whose CSRF token the following JSON calls carry.
func (c *Client) AdminAPI() {
	c.t.Helper()
	c.Login(AdminEmail, AdminPassword)
	resp, body := c.Get("/api/admin/session")
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("admin session: status %d: %s", resp.StatusCode, body)
	}
	var s struct {
		CSRFToken string `json:"csrf_token"`
	}
	DecodeJSON(c.t, body, &s)
	if s.CSRFToken == "" {
		c.t.Fatalf("admin session has no csrf_token: %s", body)
	}
	c.CSRF = s.CSRFToken
}

// DecodeJSON decodes body into v, failing the test when it cannot.
func DecodeJSON(t testing.TB, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, clip(body))
	}
}
