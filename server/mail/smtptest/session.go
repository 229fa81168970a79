package smtptest

import (
	"crypto/subtle"
	"io"
	"slices"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// session is one SMTP transaction state of one connection.
type session struct {
	srv    *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*session)(nil)

// errAuthRequired is what real relays answer to MAIL FROM before AUTH (RFC
// 4954); go-smtp's own smtp.ErrAuthRequired says 502.
var errAuthRequired = &smtp.SMTPError{
	Code:         530,
	EnhancedCode: smtp.EnhancedCode{5, 7, 0},
	Message:      "Authentication required",
}

func (s *session) Reset() { s.from, s.to = "", nil }

func (s *session) Logout() error { return nil }

func (s *session) AuthMechanisms() []string {
	if s.srv.opts.user == "" {
		return nil
	}
	return s.srv.opts.mechanisms
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	if s.srv.opts.user == "" || !slices.Contains(s.srv.opts.mechanisms, mech) {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	switch mech {
	case "PLAIN":
		return sasl.NewPlainServer(func(_, user, password string) error {
			return s.login(user, password)
		}), nil
	case "LOGIN":
		return &loginServer{check: s.login}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *session) login(user, password string) error {
	o := s.srv.opts
	if subtle.ConstantTimeCompare([]byte(user), []byte(o.user)) != 1 ||
		subtle.ConstantTimeCompare([]byte(password), []byte(o.password)) != 1 {
		return smtp.ErrAuthFailed
	}
	s.authed = true
	return nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.opts.user != "" && !s.authed {
		return errAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if code := s.srv.takeFailure(); code != 0 {
		return &smtp.SMTPError{
			Code:         code,
			EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0},
			Message:      "smtptest: failure injected by FailNext",
		}
	}
	rec := decode(data)
	rec.From, rec.To = s.from, slices.Clone(s.to)
	_, rec.TLS = s.conn.TLSConnectionState()
	rec.Authenticated = s.authed
	s.srv.record(rec)
	return nil
}

// loginServer is the server side of the LOGIN mechanism, which go-sasl
// only implements as a client: ask for the user, then the password.
type loginServer struct {
	check func(user, password string) error
	step  int
	user  string
}

func (l *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	l.step++
	switch l.step {
	case 1:
		if response == nil { // no initial response: ask for the user
			return []byte("Username:"), false, nil
		}
		l.step++
		fallthrough
	case 2:
		l.user = string(response)
		return []byte("Password:"), false, nil
	case 3:
		return nil, true, l.check(l.user, string(response))
	}
	return nil, true, sasl.ErrUnexpectedClientResponse
}
