// Package smtptest runs a real SMTP server (emersion/go-smtp) on
// 127.0.0.1 for tests: it records what it receives, decoded, and can be told
// to require authentication, to offer STARTTLS, or to fail the next
// transactions with a given reply code.
//
// Example:
//
//	srv := smtptest.Start(t)
//	sender, err := mail.NewSMTPSender(srv.URL(), "noreply@guichet.test", nil)
//	// … run the worker …
//	got := srv.WaitFor(t, 1, 5*time.Second)
package smtptest

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Server is a running test SMTP server. It is safe for concurrent use.
type Server struct {
	srv  *smtp.Server
	addr string
	opts options

	mu       sync.Mutex
	received []Received
	failN    int // transactions left to fail
	failCode int
}

// Option configures [Start].
type Option func(*options)

type options struct {
	user, password string
	mechanisms     []string
	startTLS       bool
	implicitTLS    bool
}

// WithAuth makes the server require authentication as user with password
// before MAIL FROM. It offers the SASL mechanisms given, by default PLAIN
// and LOGIN.
func WithAuth(user, password string, mechanisms ...string) Option {
	return func(o *options) {
		o.user, o.password, o.mechanisms = user, password, mechanisms
		if len(mechanisms) == 0 {
			o.mechanisms = []string{"PLAIN", "LOGIN"}
		}
	}
}

// WithSTARTTLS makes the server offer STARTTLS with a self-signed
// certificate for 127.0.0.1, which clients must not verify.
func WithSTARTTLS() Option {
	return func(o *options) { o.startTLS = true }
}

// WithImplicitTLS makes the server speak TLS from the first byte, as on
// port 465 (smtps://), with a self-signed certificate for 127.0.0.1.
func WithImplicitTLS() Option {
	return func(o *options) { o.implicitTLS = true }
}

// Start runs a server on 127.0.0.1 on a free port until the end of the
// test. Without options it takes any message, with neither TLS nor auth.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{}
	for _, o := range opts {
		o(&s.opts)
	}
	var tlsConfig *tls.Config
	if s.opts.startTLS || s.opts.implicitTLS {
		var err error
		if tlsConfig, err = selfSignedTLS(); err != nil {
			t.Fatalf("smtptest: certificate: %v", err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.addr = l.Addr().String()
	if s.opts.implicitTLS {
		l = tls.NewListener(l, tlsConfig)
	}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{srv: s, conn: c}, nil
	}))
	s.srv.Domain = "smtptest.local"
	s.srv.AllowInsecureAuth = true
	if s.opts.startTLS {
		s.srv.TLSConfig = tlsConfig
	}
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.ErrorLog = log.New(io.Discard, "", 0) // it may log after the test ended
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = s.srv.Serve(l)
	}()
	t.Cleanup(func() {
		// Close the listener too: a Close that runs before Serve has
		// registered it would otherwise leave Serve blocked in Accept.
		_ = s.srv.Close()
		_ = l.Close()
		<-served
	})
	return s
}

// Addr returns the host:port the server listens on.
func (s *Server) Addr() string { return s.addr }

// URL returns an SMTP URL for mail.NewSMTPSender that reaches this server:
// smtp://127.0.0.1:PORT?tls=none, with the user and password of [WithAuth];
// with insecure=1 instead of tls=none under [WithSTARTTLS], and smtps://
// under [WithImplicitTLS].
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr, RawQuery: "tls=none"}
	switch {
	case s.opts.implicitTLS:
		u.Scheme, u.RawQuery = "smtps", "insecure=1"
	case s.opts.startTLS:
		u.RawQuery = "insecure=1"
	}
	if s.opts.user != "" {
		u.User = url.UserPassword(s.opts.user, s.opts.password)
	}
	return u.String()
}

// Messages returns a copy of the messages received so far, in order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// WaitFor polls until the server has received at least n messages and
// returns them all. It fails the test if that takes longer than timeout;
// like t.Fatal, call it from the test's goroutine.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := s.Messages()
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("smtptest: received %d message(s) after %s, want %d", len(got), timeout, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// FailNext makes the next n transactions fail with the SMTP reply code
// (451 for a temporary failure, 550 for a permanent one) once their data
// is sent. Failed messages are not recorded.
func (s *Server) FailNext(n int, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failN, s.failCode = n, code
}

// takeFailure returns the code a transaction must fail with, or 0.
func (s *Server) takeFailure() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failN <= 0 {
		return 0
	}
	s.failN--
	return s.failCode
}

func (s *Server) record(r Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.received = append(s.received, r)
}
