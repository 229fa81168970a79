package mail

import (
	"bytes"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"
)

func TestNewSMTPSenderConfig(t *testing.T) {
	tests := []struct {
		name string
		url  string
		from string
		want smtpConfig
		pass string
	}{
		{"smtp defaults", "smtp://relay.example", "noreply@ville.fr",
			smtpConfig{host: "relay.example", port: 587, tls: tlsOpportunistic, from: "noreply@ville.fr"}, ""},
		{"smtp with credentials", "smtp://agent%40ville.fr:p%40ss%2Fw0rd@relay.example:2525", "noreply@ville.fr",
			smtpConfig{host: "relay.example", port: 2525, user: "agent@ville.fr", tls: tlsOpportunistic, from: "noreply@ville.fr"}, "p@ss/w0rd"},
		{"smtps defaults to 465", "smtps://u:p@relay.example", "noreply@ville.fr",
			smtpConfig{host: "relay.example", port: 465, user: "u", tls: tlsImplicit, from: "noreply@ville.fr"}, "p"},
		{"local relay without TLS", "smtp://127.0.0.1:25?tls=none", "noreply@ville.fr",
			smtpConfig{host: "127.0.0.1", port: 25, tls: tlsNone, from: "noreply@ville.fr"}, ""},
		{"mandatory STARTTLS, insecure", "smtp://relay.example/?tls=starttls&insecure=1", "noreply@ville.fr",
			smtpConfig{host: "relay.example", port: 587, tls: tlsStartTLS, insecure: true, from: "noreply@ville.fr"}, ""},
		{"from in the URL wins", "smtp://relay.example?from=Mairie%20%3Cmairie@ville.fr%3E", "noreply@ville.fr",
			smtpConfig{host: "relay.example", port: 587, from: "Mairie <mairie@ville.fr>"}, ""},
		{"from only in the URL", "smtp://[::1]:25?from=a@b.fr", "",
			smtpConfig{host: "::1", port: 25, from: "a@b.fr"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSMTPSender(tt.url, tt.from, nil)
			if err != nil {
				t.Fatalf("NewSMTPSender: %v", err)
			}
			got := *s.cfg
			if pass := got.secret(); pass != tt.pass {
				t.Errorf("password = %q, want %q", pass, tt.pass)
			}
			got.password = nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("config = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNewSMTPSenderErrors(t *testing.T) {
	const secret = "S3cr3tPa55"
	tests := []struct {
		name    string
		url     string
		from    string
		wantErr string
	}{
		{"unparsable, with a slash in the password", "smtp://user:" + secret + "/x@relay.example", "a@b.fr", "does not parse"},
		{"control character", "smtp://user:" + secret + "\n@relay.example", "a@b.fr", "does not parse"},
		{"bad scheme", "http://user:" + secret + "@relay.example", "a@b.fr", `scheme "http"`},
		{"no host", "smtp://user:" + secret + "@:25", "a@b.fr", "no host"},
		{"bad port", "smtp://user:" + secret + "@relay.example:99999", "a@b.fr", "port"},
		{"path", "smtp://user:" + secret + "@relay.example/x", "a@b.fr", "path"},
		{"password without user", "smtp://:" + secret + "@relay.example", "a@b.fr", "no user"},
		{"unknown option", "smtp://user:" + secret + "@relay.example?tls=off", "a@b.fr", "tls="},
		{"typo in an option name", "smtp://user:" + secret + "@relay.example?sslmode=1", "a@b.fr", `"sslmode" unknown`},
		{"tls with smtps", "smtps://user:" + secret + "@relay.example?tls=none", "a@b.fr", "tls="},
		{"insecure not a boolean", "smtp://user:" + secret + "@relay.example?insecure=yes", "a@b.fr", "insecure="},
		{"no sender", "smtp://user:" + secret + "@relay.example", "", "no sender"},
		{"bad sender", "smtp://user:" + secret + "@relay.example", "not an address", "sender address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewSMTPSender(tt.url, tt.from, nil)
			if err == nil {
				t.Fatal("NewSMTPSender: no error")
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), secret[:4]) {
				t.Errorf("error %q reveals the password", err)
			}
		})
	}
}

func TestSMTPSenderRedactsPassword(t *testing.T) {
	const secret = "S3cr3tPa55"
	s, err := NewSMTPSender("smtps://agent:"+secret+"@relay.example?insecure=1", "noreply@ville.fr", nil)
	if err != nil {
		t.Fatal(err)
	}
	const want = "smtps://agent:xxxxx@relay.example:465?from=noreply%40ville.fr&insecure=1"
	if got := s.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	var logged bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logged, nil))
	logger.Info("configured", "sender", s, "value", *s, "config", s.cfg)
	printed := map[string]string{"slog": logged.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		printed[verb+" pointer"] = fmt.Sprintf(verb, s)
		printed[verb+" value"] = fmt.Sprintf(verb, *s)
		printed[verb+" config"] = fmt.Sprintf(verb, s.cfg)
		printed[verb+" in a struct"] = fmt.Sprintf(verb, struct{ S Sender }{s})
		printed[verb+" unexported"] = fmt.Sprintf(verb, struct{ s SMTPSender }{*s})
	}
	for how, out := range printed {
		if strings.Contains(out, secret) {
			t.Errorf("%s prints the password: %s", how, out)
		}
	}
}
