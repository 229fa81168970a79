package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPTimeout bounds connecting to the relay and each step of the SMTP
// conversation.
const SMTPTimeout = 10 * time.Second

// SMTPSender is the [Sender] that delivers through an SMTP relay. It opens
// one connection per message, so it is safe for concurrent use. Printing or
// logging it shows its URL with the password redacted.
type SMTPSender struct {
	cfg    *smtpConfig // a pointer, so that printing an SMTPSender value shows no field of it
	logger *slog.Logger
}

// NewSMTPSender returns a sender for the relay at rawURL (GUICHET_SMTP_URL):
//
//	smtp://user:pass@host:587    STARTTLS whenever the relay offers it (default port 587)
//	smtps://user:pass@host:465   TLS from the first byte (default port 465)
//	…?tls=starttls               refuse to send if the relay does not offer STARTTLS
//	…?tls=none                   never TLS, for a relay on localhost or a private network
//	…?insecure=1                 do not verify the relay's certificate
//	…?from=noreply@ville.fr      overrides from
//
// With a user, the sender authenticates with PLAIN or LOGIN, and only over
// TLS (or to localhost) unless tls=none. Messages without a From use from.
// A nil logger discards logs. Errors never contain the password.
func NewSMTPSender(rawURL string, from string, logger *slog.Logger) (*SMTPSender, error) {
	cfg, err := parseSMTPURL(rawURL, from)
	if err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &SMTPSender{cfg: &cfg, logger: logger}, nil
}

// Send delivers m over a new connection. It returns once the relay has
// accepted the message; a failure after that (QUIT) is only logged, so that
// a retry does not send the message twice. Cancelling ctx aborts the
// conversation. See [IsPermanent] for classifying errors.
func (s *SMTPSender) Send(ctx context.Context, m *Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	msg, err := s.newMsg(m)
	if err != nil {
		return err
	}

	var raw net.Conn // closed when Send returns or ctx is cancelled
	stop := func() bool { return false }
	defer func() {
		stop()
		if raw != nil {
			_ = raw.Close() // usually already closed after QUIT
		}
	}()
	dial := func(dialCtx context.Context, network, addr string) (net.Conn, error) {
		c, err := s.dialer().DialContext(dialCtx, network, addr)
		if err != nil {
			return nil, err
		}
		raw, stop = c, context.AfterFunc(ctx, func() { _ = c.Close() })
		return c, nil
	}

	client, err := gomail.NewClient(s.cfg.host, s.clientOptions(dial)...)
	if err != nil {
		return fmt.Errorf("mail: SMTP client for %s: %w", s.cfg.host, err)
	}
	conn, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("mail: connect to %s: %w", s.cfg.host, withCause(ctx, err))
	}
	sendErr := client.SendWithSMTPClient(conn, msg)
	quitErr := client.CloseWithSMTPClient(conn)
	if !msg.IsDelivered() {
		return fmt.Errorf("mail: send %s via %s: %w", m.ID, s.cfg.host, withCause(ctx, sendErr))
	}
	log := s.logger.With("message_id", m.ID, "kind", m.Kind, "dossier_id", m.DossierID)
	if err := errors.Join(sendErr, quitErr); err != nil {
		log.Warn("mail accepted by the relay, then the session failed", "error", err)
	}
	log.Debug("mail sent", "recipients", len(m.To))
	return nil
}

// withCause puts the reason first when err comes from ctx closing the
// connection ("context canceled: … use of closed network connection").
func withCause(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); cause != nil && err != nil {
		return fmt.Errorf("%w: %w", cause, err)
	}
	return err
}

// newMsg builds the MIME message: one quoted-printable UTF-8 text part.
func (s *SMTPSender) newMsg(m *Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	from := m.From
	if from == "" {
		from = s.cfg.from
	}
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("mail: %w: message %s: sender: %w", ErrInvalidMessage, m.ID, err)
	}
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("mail: %w: message %s: recipients: %w", ErrInvalidMessage, m.ID, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.ID + "@guichet")
	msg.SetDate()
	msg.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies, please
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	return msg, nil
}

// contextDialer is what net.Dialer and tls.Dialer have in common.
type contextDialer interface {
	DialContext(ctx context.Context, network, addr string) (net.Conn, error)
}

func (s *SMTPSender) dialer() contextDialer {
	if s.cfg.tls == tlsImplicit {
		return &tls.Dialer{Config: s.tlsConfig()}
	}
	return &net.Dialer{}
}

func (s *SMTPSender) tlsConfig() *tls.Config {
	return &tls.Config{
		ServerName:         s.cfg.host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: s.cfg.insecure, //nolint:gosec // only with an explicit ?insecure=1
	}
}

func (s *SMTPSender) clientOptions(dial gomail.DialContextFunc) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.port),
		gomail.WithTimeout(SMTPTimeout),
		gomail.WithTLSConfig(s.tlsConfig()),
		gomail.WithDialContextFunc(dial),
		gomail.WithoutNoop(),
	}
	switch s.cfg.tls {
	case tlsOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case tlsStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case tlsImplicit:
		opts = append(opts, gomail.WithSSL()) // the dialer does the TLS; this skips STARTTLS
	case tlsNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.cfg.user != "" {
		// PLAIN and LOGIN refuse to run on a plain connection, except to
		// localhost; the -NOENC variants are only chosen with tls=none.
		mechs := []gomail.SMTPAuthType{gomail.SMTPAuthPlain, gomail.SMTPAuthLogin}
		if s.cfg.tls == tlsNone {
			mechs = []gomail.SMTPAuthType{gomail.SMTPAuthPlainNoEnc, gomail.SMTPAuthLoginNoEnc}
		}
		opts = append(opts, gomail.WithOpportunisticSMTPAuth(mechs...),
			gomail.WithUsername(s.cfg.user), gomail.WithPassword(s.cfg.secret()))
	}
	return opts
}
