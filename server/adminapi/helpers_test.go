package adminapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
)

// admin is a test app served on a port and a client signed in as its
// admin, holding the admin API's CSRF token.
type admin struct {
	t testing.TB
	a *app.App
	c *apptest.Client
}

func newAdmin(t testing.TB, db apptest.DB) *admin {
	t.Helper()
	a := apptest.New(t, db, apptest.Options{})
	c := apptest.NewClient(t, apptest.Serve(t, a))
	c.AdminAPI()
	return &admin{t: t, a: a, c: c}
}

// call sends body (raw JSON when a string or []byte, else marshalled) and
// checks the status; it returns the response body.
func (ad *admin) call(method, path string, body any, want int) string {
	ad.t.Helper()
	resp, out := ad.send(method, path, body)
	if resp.StatusCode != want {
		ad.t.Fatalf("%s %s: status %d, want %d\n%s", method, path, resp.StatusCode, want, out)
	}
	return out
}

func (ad *admin) send(method, path string, body any, headers ...string) (*http.Response, string) {
	ad.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			ad.t.Fatal(err)
		}
	}
	return ad.c.RawJSON(method, path, raw, headers...)
}

// problem is an RFC 9457 answer of the admin API.
type problem struct {
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Errors []struct {
		Pointer string `json:"pointer"`
		Path    string `json:"path"`
		Detail  string `json:"detail"`
	} `json:"errors"`
}

func decodeProblem(t testing.TB, body string) problem {
	t.Helper()
	var p problem
	apptest.DecodeJSON(t, body, &p)
	return p
}

// pointers returns the pointers of a problem's errors.
func (p problem) pointers() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Pointer)
	}
	return out
}

// procedure is the admin API's view of a procedure.
type procedure struct {
	Slug                  string          `json:"slug"`
	Title                 string          `json:"title"`
	Status                string          `json:"status"`
	CurrentVersion        int             `json:"current_version"`
	HasUnpublishedChanges bool            `json:"has_unpublished_changes"`
	Revision              string          `json:"revision"`
	Draft                 json.RawMessage `json:"draft"`
	Problems              []struct {
		Pointer string `json:"pointer"`
		Path    string `json:"path"`
		Detail  string `json:"detail"`
	} `json:"problems"`
}

func decodeProcedure(t testing.TB, body string) procedure {
	t.Helper()
	var p procedure
	apptest.DecodeJSON(t, body, &p)
	return p
}

// replaceOnce returns the draft with the first old replaced by new. It
// edits the text, so that the document keeps its key order (as the SPA
// sends it).
func replaceOnce(t testing.TB, draft json.RawMessage, old, new string) []byte {
	t.Helper()
	if !strings.Contains(string(draft), old) {
		t.Fatalf("draft has no %s:\n%s", old, draft)
	}
	return []byte(strings.Replace(string(draft), old, new, 1))
}

func contains(t testing.TB, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("body does not contain %q:\n%s", w, body)
		}
	}
}
