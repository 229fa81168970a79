package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// ErrStaleRevision is returned by [SaveProcedureDraft] when the draft was saved by
// someone else since the revision the caller edited.
var ErrStaleRevision = errors.New("the draft was changed since that revision")

// ProcedureOverview is a procedure as the builder lists it: its draft,
// the revision of that draft, and the definition of its current version
// (nil when it was never published).
type ProcedureOverview struct {
	ID             string          `bun:"id"`
	Slug           string          `bun:"slug"`
	Status         string          `bun:"status"`
	Draft          json.RawMessage `bun:"draft"`
	DraftRevision  int             `bun:"draft_revision"`
	CurrentVersion int             `bun:"current_version"`
	UpdatedAt      time.Time       `bun:"updated_at"`
	Current        json.RawMessage `bun:"current"`
}

func overviewQuery(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("procedures AS p").
		Join("LEFT JOIN procedure_versions AS v ON v.procedure_id = p.id AND v.version = p.current_version").
		ColumnExpr("p.id, p.slug, p.status, p.draft, p.draft_revision, p.current_version, p.updated_at").
		ColumnExpr("v.definition AS current")
}

// ProcedureOverviews returns every procedure, by slug.
func ProcedureOverviews(ctx context.Context, db bun.IDB) ([]ProcedureOverview, error) {
	out := []ProcedureOverview{}
	if err := overviewQuery(db).OrderExpr("p.slug").Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("list procedures: %w", err)
	}
	return out, nil
}

// ProcedureOverviewBySlug returns the procedure with that slug.
func ProcedureOverviewBySlug(ctx context.Context, db bun.IDB, slug string) (*ProcedureOverview, error) {
	var out ProcedureOverview
	if err := overviewQuery(db).Where("p.slug = ?", slug).Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("procedure %q: %w", slug, notFound(err))
	}
	return &out, nil
}

// SaveProcedureDraft replaces the draft of procedure id, whose slug the
// caller read as slug, and returns its new revision. The draft is saved
// only if the procedure still has that slug: a rename committed since the
// caller read it (the draft document names the slug) makes the error wrap
// [ErrNotFound], as for a procedure that does not exist. When ifRevision
// is not nil, the draft is saved only if its revision is still
// *ifRevision; otherwise the error wraps [ErrStaleRevision].
func SaveProcedureDraft(ctx context.Context, db bun.IDB, id, slug string, draft json.RawMessage, ifRevision *int, now time.Time) (int, error) {
	var rev int
	q := db.NewUpdate().Table("procedures").
		Set("draft = ?", string(draft)).Set("draft_revision = draft_revision + 1").Set("updated_at = ?", now).
		Where("id = ? AND slug = ?", id, slug).Returning("draft_revision")
	if ifRevision != nil {
		q = q.Where("draft_revision = ?", *ifRevision)
	}
	if err := q.Scan(ctx, &rev); err != nil {
		if errors.Is(err, sql.ErrNoRows) && ifRevision != nil {
			if n, cerr := db.NewSelect().Table("procedures").Where("id = ? AND slug = ?", id, slug).Count(ctx); cerr == nil && n == 1 {
				return 0, fmt.Errorf("save draft: %w", ErrStaleRevision)
			}
		}
		return 0, fmt.Errorf("save draft of %q: %w", slug, notFound(err))
	}
	return rev, nil
}

// SetProcedureStatus sets the status of procedure id (archiving takes a
// procedure off the portal; its dossiers go on).
func SetProcedureStatus(ctx context.Context, db bun.IDB, id, status string, now time.Time) error {
	res, err := db.NewUpdate().Table("procedures").Set("status = ?", status).Set("updated_at = ?", now).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("set procedure status: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("set procedure status: %w", ErrNotFound)
	}
	return nil
}

// ProcedureVersions returns the published versions of a procedure, newest
// first, without their definitions.
func ProcedureVersions(ctx context.Context, db bun.IDB, procedureID string) ([]ProcedureVersion, error) {
	out := []ProcedureVersion{}
	err := db.NewSelect().Model(&out).Column("id", "procedure_id", "version", "published_at", "published_by").
		Where("procedure_id = ?", procedureID).OrderExpr("version DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	return out, nil
}

// VersionByNumber returns version n of a procedure.
func VersionByNumber(ctx context.Context, db bun.IDB, procedureID string, n int) (*ProcedureVersion, error) {
	v := new(ProcedureVersion)
	if err := db.NewSelect().Model(v).Where("procedure_id = ? AND version = ?", procedureID, n).Scan(ctx); err != nil {
		return nil, fmt.Errorf("version %d: %w", n, notFound(err))
	}
	return v, nil
}
