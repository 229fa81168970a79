package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// MailboxMessage is a message delivered to the dev mailbox instead of SMTP.
type MailboxMessage struct {
	bun.BaseModel `bun:"table:mailbox"`

	ID        string    `bun:"id,pk"`
	DossierID *string   `bun:"dossier_id"`
	Kind      string    `bun:"kind"`
	Recipient string    `bun:"recipient"`
	Subject   string    `bun:"subject"`
	Body      string    `bun:"body"`
	CreatedAt time.Time `bun:"created_at"`
}

// SaveMailboxMessage stores m; saving the same ID twice keeps the first.
func SaveMailboxMessage(ctx context.Context, db bun.IDB, m *MailboxMessage) error {
	_, err := db.NewInsert().Model(m).On("CONFLICT (id) DO NOTHING").Exec(ctx)
	return err
}

// MailboxMessages returns the newest messages first.
func MailboxMessages(ctx context.Context, db bun.IDB, limit int64) ([]MailboxMessage, error) {
	var ms []MailboxMessage
	err := db.NewSelect().Model(&ms).Order("created_at DESC", "id DESC").Limit(limit).Scan(ctx)
	return ms, err
}

// MailboxMessageByID returns one message.
func MailboxMessageByID(ctx context.Context, db bun.IDB, id string) (*MailboxMessage, error) {
	m := new(MailboxMessage)
	if err := db.NewSelect().Model(m).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return m, nil
}
