package mail

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/mail/smtptest"
)

func testMessage(id string) *Message {
	return &Message{
		ID:        id,
		To:        []string{"Zoé Martin <zoe@example.com>"},
		Subject:   "Réservation PC-2025-0042 enregistrée",
		Body:      "Bonjour Zoé,\n\nVotre réservation est enregistrée : salle « Été », 14h–16h.\n" + strings.Repeat("ligne longue ", 20) + "\n",
		Kind:      KindAck,
		DossierID: "dos-1",
	}
}

func newTestSender(t *testing.T, rawURL string) *SMTPSender {
	t.Helper()
	s, err := NewSMTPSender(rawURL, "Mairie <noreply@ville.example>", nil)
	if err != nil {
		t.Fatalf("NewSMTPSender: %v", err)
	}
	return s
}

func TestSMTPSenderDelivers(t *testing.T) {
	srv := smtptest.Start(t)
	m := testMessage("job-0001")
	if err := newTestSender(t, srv.URL()).Send(t.Context(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]

	if got.From != "noreply@ville.example" || len(got.To) != 1 || got.To[0] != "zoe@example.com" {
		t.Errorf("envelope = %s → %v, want noreply@ville.example → [zoe@example.com]", got.From, got.To)
	}
	if got.Subject != m.Subject {
		t.Errorf("Subject = %q, want %q", got.Subject, m.Subject)
	}
	if got.Body != m.Body {
		t.Errorf("Body = %q, want %q", got.Body, m.Body)
	}
	if got.TLS || got.Authenticated {
		t.Errorf("TLS, Authenticated = %v, %v; want false, false with tls=none and no user", got.TLS, got.Authenticated)
	}
	headers := []struct{ name, want string }{
		{"Message-Id", "<job-0001@guichet>"},
		{"From", `"Mairie" <noreply@ville.example>`},
		{"Auto-Submitted", "auto-generated"},
		{"Content-Type", "text/plain; charset=UTF-8"},
		{"Content-Transfer-Encoding", "quoted-printable"},
	}
	for _, h := range headers {
		if v := got.Header.Get(h.name); v != h.want {
			t.Errorf("header %s = %q, want %q", h.name, v, h.want)
		}
	}
	if date, err := got.Header.Date(); err != nil || time.Since(date) > time.Minute {
		t.Errorf("Date header = %q (%v), want about now", got.Header.Get("Date"), err)
	}
	raw := string(got.Data)
	if strings.Contains(raw, "Réservation") || strings.Contains(raw, "Été") {
		t.Error("raw message carries unencoded UTF-8; want encoded words and quoted-printable")
	}
	for line := range strings.SplitSeq(raw, "\r\n") {
		if len(line) > 78 {
			t.Errorf("raw line of %d characters, want at most 78: %q", len(line), line)
		}
	}
}

func TestSMTPSenderFailures(t *testing.T) {
	tests := []struct {
		name          string
		code          int
		wantPermanent bool
	}{
		{"greylisted 451 is temporary", 451, false},
		{"mailbox full 452 is temporary", 452, false},
		{"no such user 550 is permanent", 550, true},
		{"rejected 554 is permanent", 554, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t)
			sender := newTestSender(t, srv.URL())
			srv.FailNext(1, tt.code)

			err := sender.Send(t.Context(), testMessage("job-fail"))
			if err == nil || !strings.Contains(err.Error(), fmt.Sprint(tt.code)) {
				t.Fatalf("Send error = %v, want one with code %d", err, tt.code)
			}
			if IsPermanent(err) != tt.wantPermanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, !tt.wantPermanent, tt.wantPermanent)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Fatalf("server kept %d message(s) after a failure", n)
			}
			if err := sender.Send(t.Context(), testMessage("job-fail")); err != nil {
				t.Fatalf("retry: %v", err)
			}
			srv.WaitFor(t, 1, 5*time.Second)
		})
	}
}

func TestSMTPSenderAuth(t *testing.T) {
	const user, password = "guichet", "S3cr3t-Pa55"
	tests := []struct {
		name    string
		opts    []smtptest.Option
		url     func(srv *smtptest.Server) string
		wantErr string // empty: delivered
		wantTLS bool
	}{
		{"PLAIN", []smtptest.Option{smtptest.WithAuth(user, password, "PLAIN")}, (*smtptest.Server).URL, "", false},
		{"LOGIN", []smtptest.Option{smtptest.WithAuth(user, password, "LOGIN")}, (*smtptest.Server).URL, "", false},
		{"PLAIN after STARTTLS", []smtptest.Option{smtptest.WithSTARTTLS(), smtptest.WithAuth(user, password)}, (*smtptest.Server).URL, "", true},
		{"PLAIN over implicit TLS", []smtptest.Option{smtptest.WithImplicitTLS(), smtptest.WithAuth(user, password)}, (*smtptest.Server).URL, "", true},
		{"implicit TLS verifies the certificate", []smtptest.Option{smtptest.WithImplicitTLS()}, withQuery(""), "certificate", false},
		{"no credentials", []smtptest.Option{smtptest.WithAuth(user, password)}, withoutUser, "530", false},
		{"wrong password", []smtptest.Option{smtptest.WithAuth(user, password)}, withPassword("wr0ng-" + password), "535", false},
		{"certificate not verified unless insecure=1", []smtptest.Option{smtptest.WithSTARTTLS()}, withQuery(""), "certificate", false},
		{"tls=starttls needs STARTTLS", nil, withQuery("tls=starttls"), "STARTTLS", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t, tt.opts...)
			err := newTestSender(t, tt.url(srv)).Send(t.Context(), testMessage("job-auth"))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Send: %v", err)
				}
				got := srv.WaitFor(t, 1, 5*time.Second)[0]
				if !got.Authenticated || got.TLS != tt.wantTLS {
					t.Errorf("Authenticated, TLS = %v, %v; want true, %v", got.Authenticated, got.TLS, tt.wantTLS)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Send error = %v, want one mentioning %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), password) {
				t.Errorf("error %q reveals the password", err)
			}
			if IsPermanent(err) {
				t.Errorf("IsPermanent(%v) = true; a session failure is about the relay, want false", err)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server received %d message(s), want none", n)
			}
		})
	}
}

func withoutUser(srv *smtptest.Server) string {
	u, _ := url.Parse(srv.URL())
	u.User = nil
	return u.String()
}

func withPassword(p string) func(*smtptest.Server) string {
	return func(srv *smtptest.Server) string {
		u, _ := url.Parse(srv.URL())
		u.User = url.UserPassword(u.User.Username(), p)
		return u.String()
	}
}

func withQuery(q string) func(*smtptest.Server) string {
	return func(srv *smtptest.Server) string {
		u, _ := url.Parse(srv.URL())
		u.RawQuery = q
		return u.String()
	}
}

func TestSMTPSenderRejectsInvalidMessages(t *testing.T) {
	srv := smtptest.Start(t)
	sender := newTestSender(t, srv.URL())
	tests := []struct {
		name   string
		modify func(m *Message)
	}{
		{"no ID", func(m *Message) { m.ID = "" }},
		{"ID that would break the header", func(m *Message) { m.ID = "a>\r\nBcc: x@y.z" }},
		{"no recipient", func(m *Message) { m.To = nil }},
		{"bad recipient", func(m *Message) { m.To = []string{"zoe@"} }},
		{"bad sender", func(m *Message) { m.From = "mairie" }},
		{"subject on two lines", func(m *Message) { m.Subject = "a\r\nBcc: x@y.z" }},
		{"body too large", func(m *Message) { m.Body = strings.Repeat("a", MaxBodyBytes+1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMessage("job-invalid")
			tt.modify(m)
			err := sender.Send(t.Context(), m)
			if !errors.Is(err, ErrInvalidMessage) || !IsPermanent(err) {
				t.Fatalf("Send error = %v, want a permanent ErrInvalidMessage", err)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d message(s), want none", n)
	}
}
