// Package migrations holds Guichet's versioned SQL migrations, one file set
// for SQLite and PostgreSQL, rendered with the dialect's type names.
package migrations

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var sqlFiles embed.FS

// Migrations is the set of embedded migrations.
var Migrations = migrate.NewMigrations()

func init() {
	if err := Migrations.Discover(sqlFiles); err != nil {
		panic(err)
	}
}

// TemplateData gives the SQL files the type names of a dialect.
type TemplateData struct {
	Timestamp string
	JSON      string
	Blob      string
	BigInt    string
}

// DataFor returns the template data of db's dialect.
func DataFor(db *bun.DB) TemplateData {
	if db.Dialect().Name() == dialect.PG {
		return TemplateData{Timestamp: "TIMESTAMPTZ", JSON: "JSONB", Blob: "BYTEA", BigInt: "BIGINT"}
	}
	return TemplateData{Timestamp: "TIMESTAMP", JSON: "TEXT", Blob: "BLOB", BigInt: "INTEGER"}
}

// NewMigrator returns a migrator for db with the dialect's template data.
func NewMigrator(db *bun.DB) *migrate.Migrator {
	return migrate.NewMigrator(db, Migrations, migrate.WithTemplateData(DataFor(db)))
}

// Up applies every pending migration. It holds the migration lock so that
// several instances starting on one database do not race; an instance that
// finds the lock taken waits for it (up to a minute).
func Up(ctx context.Context, db *bun.DB) (*migrate.MigrationGroup, error) {
	m := NewMigrator(db)
	deadline := time.Now().Add(time.Minute)
	// Init creates bun's tables IF NOT EXISTS, which PostgreSQL does not
	// make safe against a concurrent CREATE: the loser fails on a unique
	// index of the catalog and succeeds once the winner has committed.
	for try := 0; ; try++ {
		err := m.Init(ctx)
		if err == nil {
			break
		}
		if try == 4 {
			return nil, fmt.Errorf("migrate init: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	for {
		err := m.Lock(ctx)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("migrate: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	group, err := m.Migrate(ctx)
	if uerr := m.Unlock(ctx); uerr != nil {
		err = errors.Join(err, fmt.Errorf("migrate unlock: %w", uerr))
	}
	return group, err
}

// Down rolls back the last group of migrations.
func Down(ctx context.Context, db *bun.DB) (*migrate.MigrationGroup, error) {
	m := NewMigrator(db)
	if err := m.Init(ctx); err != nil {
		return nil, err
	}
	return m.Rollback(ctx)
}
