package apptest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/auth"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
)

// Clock is a settable clock for the runtime (Options.Now).
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// CreateStaff creates a user (password "password-"+name) in a group of the
// same name bound to role on procedure slug, and returns the user.
func CreateStaff(t testing.TB, a *app.App, name, slug, role, kind string) *store.User {
	t.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword("password-" + name)
	if err != nil {
		t.Fatal(err)
	}
	u := &store.User{ID: store.NewID(), Email: name + "@test.local", Name: name, PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := store.InsertUser(ctx, a.DB.Write, u); err != nil {
		t.Fatal(err)
	}
	p, err := store.ProcedureBySlug(ctx, a.DB.Read, slug)
	if err != nil {
		t.Fatal(err)
	}
	g := &store.Group{ID: store.NewID(), Name: name, Label: name, CreatedAt: time.Now().UTC()}
	if err := store.InsertGroup(ctx, a.DB.Write, g); err != nil {
		t.Fatal(err)
	}
	if err := store.AddMember(ctx, a.DB.Write, g.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	if err := store.Bind(ctx, a.DB.Write, &store.RoleBinding{ProcedureID: p.ID, RoleID: role, GroupID: g.ID, Kind: kind}); err != nil {
		t.Fatal(err)
	}
	return u
}

// WaitJobs waits until no job is available or running (background work
// such as mail has been done), failing the test after 15 s.
func WaitJobs(t testing.TB, a *app.App) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		n, err := a.DB.Read.NewSelect().Model((*jobs.Job)(nil)).
			Where("status IN (?, ?)", jobs.StatusAvailable, jobs.StatusRunning).Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs still pending after 15 s", n)
		}
		a.Queue.Notify()
		time.Sleep(20 * time.Millisecond)
	}
}

// MailTo returns the subjects of the dev-mailbox messages to address.
func MailTo(t testing.TB, a *app.App, address string) []string {
	t.Helper()
	ms, err := store.MailboxMessages(context.Background(), a.DB.Read, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		for _, r := range strings.Split(m.Recipient, ", ") {
			if r == address {
				out = append(out, m.Subject)
			}
		}
	}
	return out
}

// StaffLogin signs c in and fetches the CSRF token of the staff JSON API.
func (c *Client) StaffLogin(email, password string) {
	c.t.Helper()
	c.Login(email, password)
	resp, body := c.Get("/api/staff/session")
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("staff session: %d %s", resp.StatusCode, body)
	}
	var s struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		c.t.Fatal(err)
	}
	c.CSRF = s.CSRF
}

// JSON sends a JSON request with the CSRF header and returns the status
// and body.
func (c *Client) JSON(method, path string, body any) (int, string) {
	c.t.Helper()
	var r *strings.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		r = strings.NewReader(string(b))
	} else {
		r = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, c.url(path), r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", c.CSRF)
	resp, out := c.Do(req)
	return resp.StatusCode, out
}
