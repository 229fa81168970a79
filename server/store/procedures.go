package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Procedure statuses.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusArchived  = "archived"
)

// Procedure is a démarche: its editable draft and the number of its
// current published version.
type Procedure struct {
	bun.BaseModel `bun:"table:procedures"`

	ID             string          `bun:"id,pk"`
	Slug           string          `bun:"slug"`
	Status         string          `bun:"status"`
	Draft          json.RawMessage `bun:"draft"`
	CurrentVersion int             `bun:"current_version"`
	CreatedAt      time.Time       `bun:"created_at"`
	UpdatedAt      time.Time       `bun:"updated_at"`
}

// ProcedureVersion is an immutable published definition. Dossiers are
// pinned to the version they were submitted on.
type ProcedureVersion struct {
	bun.BaseModel `bun:"table:procedure_versions"`

	ID          string          `bun:"id,pk"`
	ProcedureID string          `bun:"procedure_id"`
	Version     int             `bun:"version"`
	Definition  json.RawMessage `bun:"definition"`
	PublishedAt time.Time       `bun:"published_at"`
	PublishedBy *string         `bun:"published_by"`
}

// InsertProcedure inserts a new procedure.
func InsertProcedure(ctx context.Context, db bun.IDB, p *Procedure) error {
	if _, err := db.NewInsert().Model(p).Exec(ctx); err != nil {
		if IsUniqueViolation(err) {
			return fmt.Errorf("procedure %q: %w", p.Slug, ErrConflict)
		}
		return fmt.Errorf("insert procedure: %w", err)
	}
	return nil
}

// CountProcedures returns how many procedures exist.
func CountProcedures(ctx context.Context, db bun.IDB) (int64, error) {
	return db.NewSelect().Model((*Procedure)(nil)).Count(ctx)
}

// ProcedureBySlug returns the procedure with that slug.
func ProcedureBySlug(ctx context.Context, db bun.IDB, slug string) (*Procedure, error) {
	p := new(Procedure)
	if err := db.NewSelect().Model(p).Where("slug = ?", slug).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return p, nil
}

// Publish freezes def as the next version of procedure p and makes it
// current, in the caller's transaction.
func Publish(ctx context.Context, db bun.IDB, p *Procedure, def json.RawMessage, by *string, now time.Time) (*ProcedureVersion, error) {
	v := &ProcedureVersion{
		ID: NewID(), ProcedureID: p.ID, Version: p.CurrentVersion + 1,
		Definition: def, PublishedAt: now, PublishedBy: by,
	}
	if _, err := db.NewInsert().Model(v).Exec(ctx); err != nil {
		return nil, fmt.Errorf("insert version: %w", err)
	}
	res, err := db.NewUpdate().Model((*Procedure)(nil)).
		Set("current_version = ?", v.Version).Set("status = ?", StatusPublished).Set("updated_at = ?", now).
		Where("id = ? AND current_version = ?", p.ID, p.CurrentVersion).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("update procedure: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, fmt.Errorf("publish %s: concurrent publication: %w", p.Slug, ErrConflict)
	}
	p.CurrentVersion, p.Status, p.UpdatedAt = v.Version, StatusPublished, now
	return v, nil
}

// PublishedVersion is a published procedure with its current definition.
type PublishedVersion struct {
	ProcedureID string          `bun:"procedure_id"`
	Slug        string          `bun:"slug"`
	VersionID   string          `bun:"version_id"`
	Version     int             `bun:"version"`
	Definition  json.RawMessage `bun:"definition"`
}

// CurrentVersions returns every published procedure's current version.
func CurrentVersions(ctx context.Context, db bun.IDB) ([]PublishedVersion, error) {
	var out []PublishedVersion
	err := db.NewSelect().TableExpr("procedures AS p").
		Join("JOIN procedure_versions AS v ON v.procedure_id = p.id AND v.version = p.current_version").
		ColumnExpr("p.id AS procedure_id, p.slug, v.id AS version_id, v.version, v.definition").
		Where("p.status = ?", StatusPublished).OrderExpr("p.slug").Scan(ctx, &out)
	return out, err
}

// VersionByID returns one published version.
func VersionByID(ctx context.Context, db bun.IDB, id string) (*ProcedureVersion, error) {
	v := new(ProcedureVersion)
	if err := db.NewSelect().Model(v).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return v, nil
}

// SlugDefinition is the slug of a procedure and one of its versions.
type SlugDefinition struct {
	Slug       string          `bun:"slug"`
	Definition json.RawMessage `bun:"definition"`
}

// OtherVersions returns every published version of the procedures other
// than procedureID, for checks across procedures.
func OtherVersions(ctx context.Context, db bun.IDB, procedureID string) ([]SlugDefinition, error) {
	var out []SlugDefinition
	err := db.NewSelect().TableExpr("procedure_versions AS v").
		Join("JOIN procedures AS p ON p.id = v.procedure_id").
		ColumnExpr("p.slug, v.definition").Where("v.procedure_id <> ?", procedureID).Scan(ctx, &out)
	return out, err
}
