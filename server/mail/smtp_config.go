package mail

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
)

// tlsMode is how an [SMTPSender] protects its connection.
type tlsMode int

const (
	tlsOpportunistic tlsMode = iota // smtp://: STARTTLS whenever the relay offers it
	tlsStartTLS                     // smtp://…?tls=starttls: STARTTLS or fail
	tlsImplicit                     // smtps://: TLS from the first byte
	tlsNone                         // smtp://…?tls=none: plain text, for a local relay
)

// smtpConfig is a parsed GUICHET_SMTP_URL. Its password must never reach a
// log line or an error message: String redacts it, and it is kept behind a
// function, which no fmt verb nor reflection-based printer can read (%s on
// a struct holding a pointer to a config prints the config field by field).
type smtpConfig struct {
	host     string
	port     int
	user     string
	password func() string // nil without a password
	tls      tlsMode
	insecure bool // skip certificate verification (?insecure=1)
	from     string
}

// redacted replaces the password wherever the configuration is printed.
const redacted = "xxxxx"

// parseSMTPURL reads rawURL as documented on [NewSMTPSender]. Its errors
// never quote rawURL, which holds the password.
func parseSMTPURL(rawURL, from string) (smtpConfig, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error quotes the URL, and even its inner error may quote a part
		// of the password (a "/" in it ends the host early).
		return smtpConfig{}, errors.New("mail: SMTP URL does not parse (percent-encode special characters of the user and password)")
	}
	var c smtpConfig
	switch u.Scheme {
	case "smtp":
		c.port = 587
	case "smtps":
		c.tls, c.port = tlsImplicit, 465
	default:
		return c, fmt.Errorf("mail: SMTP URL scheme %q: want smtp or smtps", u.Scheme)
	}
	if c.host = u.Hostname(); c.host == "" {
		return c, errors.New("mail: SMTP URL has no host")
	}
	if p := u.Port(); p != "" {
		if c.port, err = strconv.Atoi(p); err != nil || c.port < 1 || c.port > 65535 {
			return c, fmt.Errorf("mail: SMTP URL port %q is not a port number", p)
		}
	}
	if u.Path != "" && u.Path != "/" {
		return c, errors.New("mail: SMTP URL must not have a path")
	}
	if u.User != nil {
		c.user = u.User.Username()
		if password, _ := u.User.Password(); password != "" {
			c.password = func() string { return password }
		}
		if c.user == "" && c.password != nil {
			return c, errors.New("mail: SMTP URL has a password but no user")
		}
	}
	if err := c.applyQuery(u.RawQuery); err != nil {
		return c, err
	}
	if c.from == "" {
		c.from = from
	}
	if c.from == "" {
		return c, errors.New("mail: no sender address: pass one or add ?from= to the SMTP URL")
	}
	if _, err := netmail.ParseAddress(c.from); err != nil {
		return c, fmt.Errorf("mail: sender address %q: %w", c.from, err)
	}
	return c, nil
}

// applyQuery reads the options of the SMTP URL: tls, insecure and from.
func (c *smtpConfig) applyQuery(rawQuery string) error {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return errors.New("mail: SMTP URL query does not parse")
	}
	for key := range q {
		switch key {
		case "tls", "insecure", "from":
		default:
			return fmt.Errorf("mail: SMTP URL option %q unknown (want tls, insecure or from)", key)
		}
	}
	switch v := q.Get("tls"); {
	case v == "":
	case v == "none" && c.tls != tlsImplicit:
		c.tls = tlsNone
	case v == "starttls" && c.tls != tlsImplicit:
		c.tls = tlsStartTLS
	default:
		return fmt.Errorf("mail: SMTP URL option tls=%q: want none or starttls with smtp://, nothing with smtps://", v)
	}
	if v := q.Get("insecure"); v != "" {
		if c.insecure, err = strconv.ParseBool(v); err != nil {
			return fmt.Errorf("mail: SMTP URL option insecure=%q: want 1 or 0", v)
		}
	}
	c.from = q.Get("from")
	return nil
}

// String returns the configuration as an SMTP URL with the password
// replaced by "xxxxx".
func (c smtpConfig) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.host, strconv.Itoa(c.port))}
	q := url.Values{}
	switch c.tls {
	case tlsImplicit:
		u.Scheme = "smtps"
	case tlsNone:
		q.Set("tls", "none")
	case tlsStartTLS:
		q.Set("tls", "starttls")
	}
	if c.insecure {
		q.Set("insecure", "1")
	}
	q.Set("from", c.from)
	u.RawQuery = q.Encode()
	if c.user != "" {
		u.User = url.User(c.user)
		if c.password != nil {
			u.User = url.UserPassword(c.user, redacted)
		}
	}
	return u.String()
}

// secret returns the password, or "".
func (c *smtpConfig) secret() string {
	if c.password == nil {
		return ""
	}
	return c.password()
}

// GoString is String, so that %#v does not print the password either.
func (c smtpConfig) GoString() string { return "mail.smtpConfig(" + c.String() + ")" }

// String describes the sender as its SMTP URL, password redacted, so that a
// sender printed with %v, %+v or %s is safe to log.
func (s *SMTPSender) String() string { return s.cfg.String() }

// GoString is [SMTPSender.String], so that %#v does not print the password.
func (s *SMTPSender) GoString() string { return "mail.SMTPSender(" + s.cfg.String() + ")" }

// LogValue is [SMTPSender.String], so that slog never prints the password.
func (s *SMTPSender) LogValue() slog.Value { return slog.StringValue(s.cfg.String()) }
