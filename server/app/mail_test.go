package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/mail/smtptest"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

const booking = `{
	"first_name": "Marie", "last_name": "Dupont", "email": "marie.dupont@example.ch",
	"address": {"street": "Rue du Lac 1", "postcode": "1000", "city": "Lausanne"},
	"room": "salle-communale", "event_date": "2026-06-20", "attendees": 50, "consent": true
}`

type created struct {
	ID          string `json:"id"`
	Reference   string `json:"reference"`
	TrackingURL string `json:"tracking_url"`
}

func submit(t testing.TB, a *app.App) created {
	t.Helper()
	resp, body := apptest.Do(t, a, apptest.JSON(http.MethodPost, "/api/v1/procedures/reservation-salle/dossiers", booking))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("submit: %d %s", resp.StatusCode, body)
	}
	var c created
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// ackJob returns the acknowledgement job of dossier id.
func ackJob(t testing.TB, a *app.App, id string) *jobs.Job {
	t.Helper()
	var js []jobs.Job
	if err := a.DB.Read.NewSelect().Model(&js).Where("kind = ?", runtime.JobSendMessage).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, j := range js {
		var p runtime.MessagePayload
		if j.Decode(&p) == nil && p.DossierID == id && p.Kind == "ack" {
			return &j
		}
	}
	t.Fatalf("no ack job for dossier %s among %d jobs", id, len(js))
	return nil
}

// waitAck polls the ack job of dossier id until it has status.
func waitAck(t testing.TB, a *app.App, id, status string) *jobs.Job {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		j := ackJob(t, a, id)
		if j.Status == status {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("ack job %+v never became %s", j, status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func messageSentEvents(t testing.TB, a *app.App, id string) int {
	t.Helper()
	evs, err := store.Events(context.Background(), a.DB.Read, id, true)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Kind == store.EventMessageSent {
			n++
		}
	}
	return n
}

// checkAck checks a received acknowledgement of dossier c.
func checkAck(t testing.TB, m smtptest.Received, c created) {
	t.Helper()
	if !slices.Equal(m.To, []string{"marie.dupont@example.ch"}) || m.From != "no-reply@test.local" {
		t.Errorf("envelope %s → %v", m.From, m.To)
	}
	if !strings.Contains(m.Subject, c.Reference) {
		t.Errorf("subject %q lacks the reference %s", m.Subject, c.Reference)
	}
	if !strings.Contains(m.Body, c.Reference) || !strings.Contains(m.Body, c.TrackingURL) || !strings.Contains(m.Body, "Bonjour Marie") {
		t.Errorf("body lacks the reference, the tracking URL %s or the greeting:\n%s", c.TrackingURL, m.Body)
	}
	if m.MessageID != "<ack-"+c.ID+"@guichet>" {
		t.Errorf("Message-ID %q", m.MessageID)
	}
}

func TestAckBySMTP(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		tests := []struct {
			name         string
			failN, code  int
			wantStatus   string
			wantAttempts int
			wantMessages int
			wantError    string
		}{
			{name: "delivered", wantStatus: jobs.StatusDone, wantAttempts: 1, wantMessages: 1},
			{name: "temporary failures are retried", failN: 2, code: 451, wantStatus: jobs.StatusDone, wantAttempts: 3, wantMessages: 1},
			{name: "permanent failure", failN: 1, code: 550, wantStatus: jobs.StatusDead, wantAttempts: 1, wantError: "550"},
		}
		srv := smtptest.Start(t)
		a := apptest.New(t, db, apptest.Options{SMTPURL: srv.URL()})
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(srv.Messages())
				if tt.failN > 0 {
					srv.FailNext(tt.failN, tt.code)
				}
				c := submit(t, a)
				j := waitAck(t, a, c.ID, tt.wantStatus)
				if j.Attempts != tt.wantAttempts {
					t.Errorf("attempts %d, want %d", j.Attempts, tt.wantAttempts)
				}
				if tt.wantError != "" && (j.LastError == nil || !strings.Contains(*j.LastError, tt.wantError)) {
					t.Errorf("last_error %v, want it to mention %s", j.LastError, tt.wantError)
				}
				got := srv.Messages()[before:]
				if len(got) != tt.wantMessages {
					t.Fatalf("%d messages received, want %d", len(got), tt.wantMessages)
				}
				if tt.wantMessages == 0 {
					if n := messageSentEvents(t, a, c.ID); n != 0 {
						t.Errorf("%d message.sent events for an undelivered message", n)
					}
					return
				}
				checkAck(t, got[0], c)
				if n := messageSentEvents(t, a, c.ID); n != 1 {
					t.Errorf("%d message.sent events, want 1", n)
				}
			})
		}
	})
}

// A dossier committed by an instance that dies before its workers send
// the acknowledgement gets it from the next instance.
func TestAckSurvivesRestart(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		srv := smtptest.Start(t)
		dir := t.TempDir()
		first := apptest.New(t, db, apptest.Options{SMTPURL: srv.URL(), DataDir: dir, NoStart: true})
		c := submit(t, first)
		if j := ackJob(t, first, c.ID); j.Status != jobs.StatusAvailable || j.Attempts != 0 {
			t.Fatalf("ack job before the crash: %+v", j)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := first.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("%d messages sent by an instance without workers", n)
		}

		second := apptest.New(t, db, apptest.Options{SMTPURL: srv.URL(), DataDir: dir, Database: db.URL})
		got := srv.WaitFor(t, 1, 15*time.Second)
		checkAck(t, got[0], c)
		waitAck(t, second, c.ID, jobs.StatusDone)
		if n := len(srv.Messages()); n != 1 {
			t.Errorf("%d messages, want 1", n)
		}
	})
}
