// Package mail owns outgoing mail: it renders the message templates of a
// procedure ([Render], [CheckTemplate]), and delivers a [Message] through a
// [Sender], either a real SMTP relay ([SMTPSender]) or the dev mailbox that
// admins read when no relay is configured ([DevMailbox]).
//
// Mail is never sent from the request path: the runtime enqueues a job in the
// same transaction as the dossier change, and a worker calls [Sender.Send].
// A send may therefore be repeated after a crash or a retry; [Message.ID] is
// the idempotency key that makes this safe.
package mail

import (
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
)

// The kinds of [Message] the platform sends.
const (
	KindAck        = "ack"        // acknowledgement of a submitted dossier
	KindUpdate     = "update"     // the dossier moved to another state
	KindClosure    = "closure"    // the dossier was closed (accepted, refused…)
	KindInvitation = "invitation" // an agent or a third party is invited to a dossier
	KindReminder   = "reminder"   // a deadline is near
)

// Limits on what a [Message] may carry.
const (
	// MaxIDLen is the longest accepted [Message.ID].
	MaxIDLen = 200
	// MaxSubjectRunes is the longest subject, in characters; [Render]
	// truncates longer subjects to it.
	MaxSubjectRunes = 250
	// MaxBodyBytes is the largest body; [Render] fails beyond it.
	MaxBodyBytes = 256 << 10
	// MaxRecipients is the largest number of addresses in [Message.To].
	MaxRecipients = 50
)

// ErrInvalidMessage is wrapped by every error that comes from the content of
// a [Message] rather than from the relay. Such an error never goes away by
// retrying, so [IsPermanent] reports true for it.
var ErrInvalidMessage = errors.New("invalid message")

// Message is one mail to send. It is built by the job that renders a
// template and is stored with that job, so it must stay plain data.
type Message struct {
	// ID is a stable idempotency key, the same for every attempt to send
	// this message (for example the job ID). It becomes the Message-ID
	// header <ID@guichet>, and the dev mailbox stores a message once per ID.
	// Letters, digits and "-._+=" only.
	ID string
	// From is the sender's address; empty means the sender's default.
	From string
	// To lists the recipients' addresses (RFC 5322, "Name <a@b.fr>" allowed).
	To []string
	// Subject is one line of plain text.
	Subject string
	// Body is plain text (UTF-8); it is sent quoted-printable.
	Body string
	// Kind is one of the Kind constants.
	Kind string
	// DossierID is the dossier the message is about, if any.
	DossierID string
}

// MessageIDHeader returns the value of the Message-ID header of m:
// "<ID@guichet>".
func (m *Message) MessageIDHeader() string {
	return "<" + m.ID + "@guichet>"
}

// Validate reports the first problem that would make m undeliverable. The
// error wraps [ErrInvalidMessage].
func (m *Message) Validate() error {
	if err := m.validate(); err != nil {
		return fmt.Errorf("mail: %w: %w", ErrInvalidMessage, err)
	}
	return nil
}

func (m *Message) validate() error {
	switch {
	case m == nil:
		return errors.New("nil message")
	case m.ID == "" || len(m.ID) > MaxIDLen || strings.IndexFunc(m.ID, badIDRune) >= 0:
		return fmt.Errorf("id %q: want 1 to %d letters, digits or -._+=", m.ID, MaxIDLen)
	case len(m.To) == 0:
		return fmt.Errorf("message %s has no recipient", m.ID)
	case len(m.To) > MaxRecipients:
		return fmt.Errorf("message %s has %d recipients, more than %d", m.ID, len(m.To), MaxRecipients)
	case strings.ContainsAny(m.Subject, "\r\n"):
		return fmt.Errorf("message %s: subject spans several lines", m.ID)
	case len(m.Body) > MaxBodyBytes:
		return fmt.Errorf("message %s: body of %d bytes exceeds %d", m.ID, len(m.Body), MaxBodyBytes)
	}
	if m.From != "" {
		if _, err := netmail.ParseAddress(m.From); err != nil {
			return fmt.Errorf("message %s: sender %q: %w", m.ID, m.From, err)
		}
	}
	for _, to := range m.To {
		if _, err := netmail.ParseAddress(to); err != nil {
			return fmt.Errorf("message %s: recipient %q: %w", m.ID, to, err)
		}
	}
	return nil
}

// badIDRune reports whether r may not appear in a [Message.ID], which must be
// usable as the left part of a Message-ID without quoting.
func badIDRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	}
	return !strings.ContainsRune("-._+=", r)
}
