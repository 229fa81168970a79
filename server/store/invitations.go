package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"
)

// Invitation statuses.
const (
	InvitationPending  = "pending"
	InvitationInvited  = "invited"
	InvitationReturned = "returned"
)

// Invitation is a role attached to a dossier for its opinion: pending
// (activated, no dates, no access), invited (dates, message, access) or
// returned (opinion given).
type Invitation struct {
	bun.BaseModel `bun:"table:invitations"`

	ID          string     `bun:"id,pk" json:"id"`
	DossierID   string     `bun:"dossier_id" json:"dossier_id"`
	ProcedureID string     `bun:"procedure_id" json:"procedure_id"`
	RoleID      string     `bun:"role_id" json:"role_id"`
	Status      string     `bun:"status" json:"status"`
	ActivatedAt time.Time  `bun:"activated_at" json:"activated_at"`
	InvitedAt   *time.Time `bun:"invited_at" json:"invited_at"`
	DueAt       *time.Time `bun:"due_at" json:"due_at"`
	ReturnedAt  *time.Time `bun:"returned_at" json:"returned_at"`
	OverdueAt   *time.Time `bun:"overdue_at" json:"overdue_at"`
	UpdatedAt   time.Time  `bun:"updated_at" json:"updated_at"`
}

// Invitations returns a dossier's invitations by role ID.
func Invitations(ctx context.Context, db bun.IDB, dossierID string) (map[string]*Invitation, error) {
	var is []*Invitation
	if err := db.NewSelect().Model(&is).Where("dossier_id = ?", dossierID).Order("activated_at").Scan(ctx); err != nil {
		return nil, err
	}
	out := make(map[string]*Invitation, len(is))
	for _, i := range is {
		out[i.RoleID] = i
	}
	return out, nil
}

// SaveInvitation inserts or updates an invitation (unique per dossier and
// role).
func SaveInvitation(ctx context.Context, db bun.IDB, i *Invitation) error {
	_, err := db.NewInsert().Model(i).On("CONFLICT (dossier_id, role_id) DO UPDATE").
		Set("status = EXCLUDED.status").Set("invited_at = EXCLUDED.invited_at").Set("due_at = EXCLUDED.due_at").
		Set("returned_at = EXCLUDED.returned_at").Set("overdue_at = EXCLUDED.overdue_at").
		Set("updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

// OverdueInvitations returns invited invitations past their deadline whose
// overdue event has not fired yet.
func OverdueInvitations(ctx context.Context, db bun.IDB, now time.Time, limit int) ([]Invitation, error) {
	var is []Invitation
	err := db.NewSelect().Model(&is).
		Where("status = ? AND due_at < ? AND overdue_at IS NULL", InvitationInvited, now).
		Order("due_at").Limit(int64(limit)).Scan(ctx)
	return is, err
}

// Opinion is a role's returned opinion (préavis).
type Opinion struct {
	bun.BaseModel `bun:"table:opinions"`

	ID         string          `bun:"id,pk" json:"id"`
	DossierID  string          `bun:"dossier_id" json:"dossier_id"`
	RoleID     string          `bun:"role_id" json:"role_id"`
	AuthorID   string          `bun:"author_id" json:"author_id"`
	Decision   string          `bun:"decision" json:"decision"`
	Data       json.RawMessage `bun:"data" json:"data"`
	ReturnedAt time.Time       `bun:"returned_at" json:"returned_at"`
}

// InsertOpinion records an opinion.
func InsertOpinion(ctx context.Context, db bun.IDB, o *Opinion) error {
	_, err := db.NewInsert().Model(o).Exec(ctx)
	return err
}

// Opinions returns a dossier's opinions, oldest first.
func Opinions(ctx context.Context, db bun.IDB, dossierID string) ([]Opinion, error) {
	var os []Opinion
	return os, db.NewSelect().Model(&os).Where("dossier_id = ?", dossierID).Order("returned_at").Scan(ctx)
}
