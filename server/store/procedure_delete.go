package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// ErrProcedureUsed is returned by [DeleteUnpublishedProcedure] when the
// procedure has a published version or a dossier: it must be archived,
// not deleted. It wraps [ErrConflict].
var ErrProcedureUsed = fmt.Errorf("procedure published or with dossiers: %w", ErrConflict)

// procedureOwnedTables are the tables whose rows belong to one procedure
// only, by their procedure_id, removed with it (children first). Rows of
// tables that reach a procedure through its versions or dossiers
// (dossier_events, opinions, webhook_deliveries, files of dossiers)
// cannot exist for a procedure without versions and dossiers.
var procedureOwnedTables = []string{
	"drafts",             // citizens' forms in progress (need a version: none expected)
	"invitations",        // of its dossiers (none expected)
	"integration_runs",   // poll runs (published procedures only: none expected)
	"reference_counters", // references handed out by year
	"role_bindings",      // groups holding its pipeline roles
	"procedure_aliases",  // its old slugs, which become free
}

// DeleteUnpublishedProcedure removes procedure id and everything that
// belongs to it alone, in the caller's transaction, provided it was never
// published and has no dossier; otherwise the error wraps
// [ErrProcedureUsed] (and the caller rolls back). It returns
// [ErrNotFound] when there is no such procedure.
func DeleteUnpublishedProcedure(ctx context.Context, db bun.IDB, id string) error {
	for _, table := range []string{"procedure_versions", "dossiers"} {
		n, err := db.NewSelect().Table(table).Where("procedure_id = ?", id).Count(ctx)
		if err != nil {
			return fmt.Errorf("delete procedure: count %s: %w", table, err)
		}
		if n > 0 {
			return fmt.Errorf("delete procedure: %d rows of %s: %w", n, table, ErrProcedureUsed)
		}
	}
	for _, table := range procedureOwnedTables {
		if _, err := db.NewDelete().Table(table).Where("procedure_id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("delete procedure: %s: %w", table, err)
		}
	}
	// The conditions hold again at the deletion itself, so that a
	// publication between the checks and here is not lost.
	res, err := db.NewDelete().Table("procedures").Where("id = ?", id).Where("current_version = 0").
		Where("NOT EXISTS (SELECT 1 FROM procedure_versions AS v WHERE v.procedure_id = ?)", id).
		Where("NOT EXISTS (SELECT 1 FROM dossiers AS d WHERE d.procedure_id = ?)", id).Exec(ctx)
	if err != nil {
		if isForeignKeyViolation(err) {
			return fmt.Errorf("delete procedure: %w", ErrProcedureUsed)
		}
		return fmt.Errorf("delete procedure: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		if c, cerr := db.NewSelect().Table("procedures").Where("id = ?", id).Count(ctx); cerr == nil && c == 1 {
			return fmt.Errorf("delete procedure: %w", ErrProcedureUsed)
		}
		return fmt.Errorf("delete procedure %s: %w", id, ErrNotFound)
	}
	return nil
}

// isForeignKeyViolation reports whether err is a refused foreign key (a
// row of another table still refers to the deleted one).
func isForeignKeyViolation(err error) bool {
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "SQLSTATE=23503") ||
		strings.Contains(s, "violates foreign key constraint")
}
