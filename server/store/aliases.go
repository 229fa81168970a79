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

// ProcedureAlias is an old slug of a renamed procedure: its old addresses
// keep working (redirected to the new ones, webhooks resolved).
type ProcedureAlias struct {
	bun.BaseModel `bun:"table:procedure_aliases"`

	Slug        string    `bun:"slug,pk"`
	ProcedureID string    `bun:"procedure_id"`
	CreatedAt   time.Time `bun:"created_at"`
}

// ErrSlugTaken is returned by [RenameProcedure] when the new slug is the
// slug or an old slug of another procedure. It wraps [ErrConflict].
var ErrSlugTaken = fmt.Errorf("slug taken: %w", ErrConflict)

// AliasTarget returns the current slug of the procedure whose old slug is
// alias, or [ErrNotFound] when alias is no procedure's old slug.
func AliasTarget(ctx context.Context, db bun.IDB, alias string) (string, error) {
	var slugs []string
	err := db.NewSelect().TableExpr("procedure_aliases AS a").Join("JOIN procedures AS p ON p.id = a.procedure_id").
		ColumnExpr("p.slug").Where("a.slug = ?", alias).Where("p.slug <> ?", alias).Limit(1).Scan(ctx, &slugs)
	if err != nil {
		return "", fmt.Errorf("alias %q: %w", alias, err)
	}
	if len(slugs) == 0 {
		return "", fmt.Errorf("alias %q: %w", alias, ErrNotFound)
	}
	return slugs[0], nil
}

// AliasOwner returns the ID of the procedure whose old slug is alias, or
// [ErrNotFound].
func AliasOwner(ctx context.Context, db bun.IDB, alias string) (string, error) {
	var ids []string
	if err := db.NewSelect().Model((*ProcedureAlias)(nil)).Column("procedure_id").
		Where("slug = ?", alias).Limit(1).Scan(ctx, &ids); err != nil {
		return "", fmt.Errorf("alias %q: %w", alias, err)
	}
	if len(ids) == 0 {
		return "", fmt.Errorf("alias %q: %w", alias, ErrNotFound)
	}
	return ids[0], nil
}

// ProcedureAliases returns the old slugs of a procedure, oldest first.
func ProcedureAliases(ctx context.Context, db bun.IDB, procedureID string) ([]string, error) {
	out := []string{}
	err := db.NewSelect().Model((*ProcedureAlias)(nil)).Column("slug").Where("procedure_id = ?", procedureID).
		OrderExpr("created_at, slug").Scan(ctx, &out)
	return out, err
}

// ProcedureSlug returns the current slug of procedure id.
func ProcedureSlug(ctx context.Context, db bun.IDB, id string) (string, error) {
	var slugs []string
	if err := db.NewSelect().Table("procedures").Column("slug").Where("id = ?", id).Scan(ctx, &slugs); err != nil {
		return "", err
	}
	if len(slugs) == 0 {
		return "", fmt.Errorf("procedure %s: %w", id, ErrNotFound)
	}
	return slugs[0], nil
}

// CheckSlugNotAlias returns an error wrapping [ErrSlugTaken] when slug is
// an old slug of a procedure other than id (id "" for a procedure being
// created). Call it in the transaction that gives a procedure the slug,
// after the statement that writes the slug: on PostgreSQL that statement
// waits for a concurrent rename of the slug's previous owner to commit,
// so the alias that rename records is seen here.
func CheckSlugNotAlias(ctx context.Context, db bun.IDB, slug, id string) error {
	owner, err := AliasOwner(ctx, db, slug)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		return err
	case owner != id:
		return fmt.Errorf("%q: an old slug of another procedure: %w", slug, ErrSlugTaken)
	}
	return nil
}

// RenameProcedure gives procedure id, whose slug is from and whose draft
// is at revision rev, the slug to with draft (the draft document under
// its new slug), in the caller's transaction: the draft's revision goes
// up, from becomes an alias of the procedure, and an alias to of the same
// procedure (renaming back) is removed. It returns the new revision. The
// error wraps [ErrSlugTaken] when to is another procedure's slug or old
// slug (or from is already another procedure's old slug), and
// [ErrStaleRevision] when the draft or slug changed since rev was read;
// the caller then rolls its transaction back.
//
// The alias checks come after the procedure's row is updated, in the same
// transaction, and the alias is recorded by a plain INSERT: a concurrent
// rename or creation either conflicts on a unique key or is seen, and an
// alias never moves from one procedure to another.
func RenameProcedure(ctx context.Context, db bun.IDB, id, from, to string, rev int, draft json.RawMessage, now time.Time) (int, error) {
	var newRev int
	err := db.NewUpdate().Table("procedures").
		Set("slug = ?", to).Set("draft = ?", string(draft)).Set("draft_revision = draft_revision + 1").Set("updated_at = ?", now).
		Where("id = ? AND slug = ? AND draft_revision = ?", id, from, rev).Returning("draft_revision").Scan(ctx, &newRev)
	switch {
	case IsUniqueViolation(err):
		return 0, fmt.Errorf("rename to %q: %w", to, ErrSlugTaken)
	case errors.Is(err, sql.ErrNoRows):
		return 0, fmt.Errorf("rename %q: %w", from, ErrStaleRevision)
	case err != nil:
		return 0, fmt.Errorf("rename: %w", err)
	}
	if err := CheckSlugNotAlias(ctx, db, to, id); err != nil {
		return 0, fmt.Errorf("rename to %q: %w", to, err)
	}
	// Renaming back: the old slug is the procedure's own again.
	if _, err := db.NewDelete().Model((*ProcedureAlias)(nil)).Where("slug = ? AND procedure_id = ?", to, id).Exec(ctx); err != nil {
		return 0, fmt.Errorf("rename: drop alias: %w", err)
	}
	a := &ProcedureAlias{Slug: from, ProcedureID: id, CreatedAt: now}
	if _, err := db.NewInsert().Model(a).Exec(ctx); IsUniqueViolation(err) {
		return 0, fmt.Errorf("rename: %q is an old slug of another procedure: %w", from, ErrSlugTaken)
	} else if err != nil {
		return 0, fmt.Errorf("rename: record alias: %w", err)
	}
	return newRev, nil
}
