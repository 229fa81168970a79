package mail

import (
	"context"
	"errors"
	"fmt"
)

// Sender delivers one message. It is declared here, next to its two
// implementations, because the mail job is its only consumer; tests use a
// fake such as apptest's.
//
// Send may be called again with the same [Message.ID] after a failure or a
// crash, and by several workers at once. An error for which [IsPermanent]
// reports true will not go away by retrying.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// MailboxStore keeps the messages of the dev mailbox, which admins read when
// no SMTP relay is configured.
//
// SaveMailboxMessage must be idempotent on [Message.ID]: saving a message
// whose ID is already stored returns nil and leaves the stored copy as it
// was (for example INSERT … ON CONFLICT (id) DO NOTHING). The mail job may
// save the same message twice when a worker dies between the save and the
// job's completion, and the mailbox must then still show it once.
type MailboxStore interface {
	SaveMailboxMessage(ctx context.Context, m *Message) error
}

// DevMailbox is the [Sender] used when GUICHET_SMTP_URL is unset: instead of
// sending, it stores each message in Store for the admins to read.
type DevMailbox struct {
	Store MailboxStore
}

var (
	_ Sender = DevMailbox{}
	_ Sender = (*SMTPSender)(nil)
)

// Send validates m as [SMTPSender.Send] would, then saves it once.
func (d DevMailbox) Send(ctx context.Context, m *Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if d.Store == nil {
		return errors.New("mail: dev mailbox has no store")
	}
	if err := d.Store.SaveMailboxMessage(ctx, m); err != nil {
		return fmt.Errorf("mail: save %s to the dev mailbox: %w", m.ID, err)
	}
	return nil
}
