package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// File is an uploaded file. Before submission it belongs to its Owner (the
// browser's draft owner hash); submission attaches it to the dossier.
type File struct {
	bun.BaseModel `bun:"table:files"`

	ID          string    `bun:"id,pk"`
	Owner       string    `bun:"owner"`
	DossierID   *string   `bun:"dossier_id"`
	Name        string    `bun:"name"`
	ContentType string    `bun:"content_type"`
	Size        int64     `bun:"size"`
	SHA256      string    `bun:"sha256"`
	Content     []byte    `bun:"content"`
	CreatedAt   time.Time `bun:"created_at"`
}

// InsertFile stores an uploaded file.
func InsertFile(ctx context.Context, db bun.IDB, f *File) error {
	_, err := db.NewInsert().Model(f).Exec(ctx)
	return err
}

// FileMeta returns a file's metadata (not its content) if owner owns it
// or it belongs to dossierID.
func FileMeta(ctx context.Context, db bun.IDB, id string) (*File, error) {
	f := new(File)
	err := db.NewSelect().Model(f).ExcludeColumn("content").Where("id = ?", id).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return f, nil
}

// AttachFiles gives the owner's unattached files among ids to a dossier.
func AttachFiles(ctx context.Context, db bun.IDB, owner, dossierID string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := db.NewUpdate().Model((*File)(nil)).Set("dossier_id = ?", dossierID).
		Where("id IN (?) AND owner = ? AND dossier_id IS NULL", bun.In(ids), owner).Exec(ctx)
	return err
}
