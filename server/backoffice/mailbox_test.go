package backoffice_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
)

const booking = `{
	"first_name": "Marie", "last_name": "Dupont", "email": "marie.dupont@example.ch",
	"address": {"street": "Rue du Lac 1", "postcode": "1000", "city": "Lausanne"},
	"room": "salle-communale", "event_date": "2026-06-20", "attendees": 50, "consent": true
}`

// submit creates a room booking through the API and returns its reference
// and tracking URL.
func submit(t testing.TB, a *app.App) (ref, tracking string) {
	t.Helper()
	resp, body := apptest.Do(t, a, apptest.JSON(http.MethodPost, "/api/v1/procedures/reservation-salle/dossiers", booking))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("submit: %d %s", resp.StatusCode, body)
	}
	var c struct {
		Reference   string `json:"reference"`
		TrackingURL string `json:"tracking_url"`
	}
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatal(err)
	}
	return c.Reference, c.TrackingURL
}

// waitMailbox polls the dev mailbox until it holds n messages.
func waitMailbox(t testing.TB, a *app.App, n int) []store.MailboxMessage {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ms, err := store.MailboxMessages(context.Background(), a.DB.Read, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) >= n {
			return ms
		}
		if time.Now().After(deadline) {
			t.Fatalf("dev mailbox holds %d messages after 10 s, want %d", len(ms), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Without SMTP the acknowledgement lands in the dev mailbox, which only
// admins can read.
func TestDevMailbox(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		base := apptest.Serve(t, a)
		ref, tracking := submit(t, a)
		ms := waitMailbox(t, a, 1)
		m := ms[0]
		if m.Recipient != "marie.dupont@example.ch" || m.Kind != "ack" || m.DossierID == nil ||
			!strings.Contains(m.Subject, ref) || !strings.Contains(m.Body, ref) || !strings.Contains(m.Body, tracking) {
			t.Fatalf("mailbox message %+v, want the ack with %s and %s", m, ref, tracking)
		}

		t.Run("anonymous", func(t *testing.T) {
			c := apptest.NewClient(t, base)
			for _, p := range []string{"/backoffice/mailbox", "/backoffice/mailbox/" + m.ID} {
				resp, body := c.Get(p)
				if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login?next=") {
					t.Errorf("GET %s: %d → %q, want a redirect to /login", p, resp.StatusCode, resp.Header.Get("Location"))
				}
				if strings.Contains(body, ref) {
					t.Errorf("GET %s shows the message", p)
				}
			}
		})

		t.Run("agent who is not admin", func(t *testing.T) {
			newAgent(t, a, "agent@test.local", "agent-password-1")
			c := apptest.NewClient(t, base)
			c.Login("agent@test.local", "agent-password-1")
			for _, p := range []string{"/backoffice/mailbox", "/backoffice/mailbox/" + m.ID} {
				resp, body := c.Get(p)
				if resp.StatusCode != http.StatusNotFound || strings.Contains(body, ref) {
					t.Errorf("GET %s: %d, want 404 without the message", p, resp.StatusCode)
				}
			}
		})

		t.Run("admin", func(t *testing.T) {
			c := apptest.NewClient(t, base)
			c.Login(apptest.AdminEmail, apptest.AdminPassword)
			resp, body := c.Get("/backoffice/mailbox")
			if resp.StatusCode != 200 || !strings.Contains(body, m.Subject) || !strings.Contains(body, "marie.dupont@example.ch") {
				t.Fatalf("mailbox list: %d, subject missing", resp.StatusCode)
			}
			// The list links to each message; the link shows its body.
			link := regexp.MustCompile(`<a href="([^"]+)"[^>]*>` + regexp.QuoteMeta(m.Subject)).FindStringSubmatch(body)
			if link == nil {
				t.Fatal("no link to the message")
			}
			for _, p := range []string{strings.ReplaceAll(link[1], "&amp;", "&"), "/backoffice/mailbox/" + m.ID} {
				resp, body := c.Get(p)
				if resp.StatusCode != 200 || !strings.Contains(body, `<pre class="message-body">`) || !strings.Contains(body, tracking) {
					t.Errorf("GET %s: %d, want the message body with the tracking link", p, resp.StatusCode)
				}
			}
			if resp, _ := c.Get("/backoffice/mailbox/no-such-message"); resp.StatusCode != http.StatusNotFound {
				t.Errorf("unknown message: %d, want 404", resp.StatusCode)
			}
		})
	})
}
