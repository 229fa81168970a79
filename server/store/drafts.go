package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/uptrace/bun"
)

// Draft is a multi-page form in progress. Its ID is an unguessable token
// in the URL; Owner binds it to the browser that started it (a hash of a
// cookie), so a leaked URL alone does not open it.
type Draft struct {
	bun.BaseModel `bun:"table:drafts"`

	ID          string          `bun:"id,pk"`
	ProcedureID string          `bun:"procedure_id"`
	VersionID   string          `bun:"version_id"`
	Owner       string          `bun:"owner"`
	Data        json.RawMessage `bun:"data"`
	DossierID   *string         `bun:"dossier_id"`
	CreatedAt   time.Time       `bun:"created_at"`
	UpdatedAt   time.Time       `bun:"updated_at"`
}

// SaveDraft inserts or updates a draft that is not yet submitted.
func SaveDraft(ctx context.Context, db bun.IDB, d *Draft) error {
	_, err := db.NewInsert().Model(d).On("CONFLICT (id) DO UPDATE").
		Set("data = EXCLUDED.data").Set("updated_at = EXCLUDED.updated_at").
		Where("?TableAlias.dossier_id IS NULL AND ?TableAlias.owner = EXCLUDED.owner").Exec(ctx)
	return err
}

// DraftByID returns the draft with id owned by owner.
func DraftByID(ctx context.Context, db bun.IDB, id, owner string) (*Draft, error) {
	d := new(Draft)
	if err := db.NewSelect().Model(d).Where("id = ? AND owner = ?", id, owner).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return d, nil
}

// DeleteStaleDrafts removes unsubmitted drafts untouched since before, and
// their files.
func DeleteStaleDrafts(ctx context.Context, db bun.IDB, before time.Time) (int64, error) {
	if _, err := db.NewDelete().Model((*File)(nil)).
		Where("dossier_id IS NULL AND owner IN (?)", db.NewSelect().Model((*Draft)(nil)).Column("owner").
			Where("dossier_id IS NULL AND updated_at < ?", before)).Exec(ctx); err != nil {
		return 0, err
	}
	res, err := db.NewDelete().Model((*Draft)(nil)).Where("dossier_id IS NULL AND updated_at < ?", before).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// MarkDraftSubmitted records the dossier a draft became.
func MarkDraftSubmitted(ctx context.Context, db bun.IDB, id, dossierID string) error {
	_, err := db.NewUpdate().Model((*Draft)(nil)).Set("dossier_id = ?", dossierID).
		Where("id = ? AND dossier_id IS NULL", id).Exec(ctx)
	return err
}
