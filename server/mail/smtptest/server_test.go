package smtptest

import (
	"errors"
	"fmt"
	"net/smtp"
	"net/textproto"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

const qpMessage = "From: a@example.com\r\n" +
	"To: b@example.com\r\n" +
	"Subject: =?UTF-8?q?R=C3=A9servation?= confirmée\r\n" +
	"Message-ID: <m1@guichet>\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Salle =C2=AB =C3=89t=C3=A9 =C2=BB, une ligne tr=\r\n" +
	"=C3=A8s longue.\r\n"

const base64Message = "Subject: =?utf-8?b?w4l0w6k=?=\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"w4l0w6kg\r\nw6AgTHlvbg==\r\n"

func TestServerRecordsDecodedMessages(t *testing.T) {
	tests := []struct {
		name        string
		data        string
		wantSubject string
		wantBody    string
		wantID      string
	}{
		{"quoted-printable", qpMessage, "Réservation confirmée", "Salle « Été », une ligne très longue.\n", "<m1@guichet>"},
		{"base64", base64Message, "Été", "Été à Lyon", ""},
		{"not MIME", "no header here", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := Start(t)
			if err := smtp.SendMail(srv.Addr(), nil, "a@example.com", []string{"b@example.com", "c@example.com"}, []byte(tt.data)); err != nil {
				t.Fatalf("SendMail: %v", err)
			}
			got := srv.WaitFor(t, 1, 5*time.Second)[0]
			if got.From != "a@example.com" || strings.Join(got.To, ",") != "b@example.com,c@example.com" {
				t.Errorf("envelope = %s → %v", got.From, got.To)
			}
			if got.Subject != tt.wantSubject || got.Body != tt.wantBody || got.MessageID != tt.wantID {
				t.Errorf("Subject, Body, MessageID = %q, %q, %q; want %q, %q, %q",
					got.Subject, got.Body, got.MessageID, tt.wantSubject, tt.wantBody, tt.wantID)
			}
		})
	}
}

func TestServerFailNext(t *testing.T) {
	srv := Start(t)
	srv.FailNext(2, 451)
	for i, wantCode := range []int{451, 451, 0} {
		err := smtp.SendMail(srv.Addr(), nil, "a@example.com", []string{"b@example.com"}, []byte(qpMessage))
		var tpErr *textproto.Error
		switch {
		case wantCode == 0 && err != nil:
			t.Fatalf("send %d: %v, want success", i, err)
		case wantCode != 0 && (!errors.As(err, &tpErr) || tpErr.Code != wantCode):
			t.Fatalf("send %d: %v, want code %d", i, err, wantCode)
		}
	}
	if n := len(srv.WaitFor(t, 1, 5*time.Second)); n != 1 {
		t.Errorf("recorded %d messages, want 1", n)
	}
}

func TestServerAuth(t *testing.T) {
	srv := Start(t, WithAuth("u", "p"))
	if !strings.HasPrefix(srv.URL(), "smtp://u:p@127.0.0.1:") {
		t.Errorf("URL() = %q, want the credentials in it", srv.URL())
	}
	err := smtp.SendMail(srv.Addr(), nil, "a@example.com", []string{"b@example.com"}, []byte(qpMessage))
	if tpErr := (*textproto.Error)(nil); !errors.As(err, &tpErr) || tpErr.Code != 530 {
		t.Errorf("unauthenticated send: %v, want 530", err)
	}
	err = smtp.SendMail(srv.Addr(), smtp.PlainAuth("", "u", "nope", "127.0.0.1"), "a@example.com", []string{"b@example.com"}, []byte(qpMessage))
	if tpErr := (*textproto.Error)(nil); !errors.As(err, &tpErr) || tpErr.Code != 535 {
		t.Errorf("wrong password: %v, want 535", err)
	}
	if err := smtp.SendMail(srv.Addr(), smtp.PlainAuth("", "u", "p", "127.0.0.1"), "a@example.com", []string{"b@example.com"}, []byte(qpMessage)); err != nil {
		t.Fatalf("authenticated send: %v", err)
	}
	if got := srv.WaitFor(t, 1, 5*time.Second); !got[0].Authenticated {
		t.Error("Authenticated = false after PLAIN")
	}
}

// fatalRecorder is a testing.TB whose Fatalf records the message and ends
// the goroutine, as the real one does.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestWaitForTimesOut(t *testing.T) {
	srv := Start(t)
	rec := &fatalRecorder{}
	var wg sync.WaitGroup
	wg.Go(func() { srv.WaitFor(rec, 1, 50*time.Millisecond) })
	wg.Wait()
	if want := "received 0 message(s) after 50ms, want 1"; !strings.Contains(rec.msg, want) {
		t.Errorf("WaitFor failed with %q, want it to say %q", rec.msg, want)
	}
}
