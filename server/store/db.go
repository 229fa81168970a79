// Package store owns Guichet's persistence: opening SQLite or PostgreSQL
// through bun, the models, and the queries of each aggregate. Query
// functions take a bun.IDB so that callers compose them in one transaction.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	_ "modernc.org/sqlite" // pure-Go SQLite driver, registered as "sqlite"
)

// DB holds the database handles. On SQLite, writes go through a pool of
// one connection (SQLite has one writer) and reads through a larger pool
// (PocketBase's two pools); on PostgreSQL both are the same pool.
type DB struct {
	Write *bun.DB
	Read  *bun.DB
}

// Open opens the database named by url: "" or "sqlite:" paths mean SQLite
// in dataDir/guichet.db; "postgres://" or "postgresql://" mean PostgreSQL.
func Open(ctx context.Context, url, dataDir string) (*DB, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return openPostgres(ctx, url)
	}
	path := strings.TrimPrefix(url, "sqlite:")
	if path == "" {
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
		path = filepath.Join(dataDir, "guichet.db")
	}
	return openSQLite(ctx, path)
}

// sqliteDSN sets busy_timeout first, then WAL, foreign keys and a durable
// synchronous mode: every committed submission survives a power loss.
func sqliteDSN(path string, write bool) string {
	q := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(ON)" +
		"&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)&_time_format=sqlite"
	if write {
		q += "&_txlock=immediate"
	}
	q += os.Getenv("GUICHET_DEBUG_DSN")
	return "file:" + path + "?" + q
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	w, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	r.SetConnMaxIdleTime(0)
	r.SetConnMaxLifetime(0)
	return &DB{Write: bun.NewDB(w, sqlitedialect.New()), Read: bun.NewDB(r, sqlitedialect.New())}, nil
}

func openPostgres(ctx context.Context, url string) (*DB, error) {
	sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(url), pgdriver.WithTimeout(30*time.Second)))
	sqldb.SetMaxOpenConns(32)
	sqldb.SetMaxIdleConns(32)
	if err := sqldb.PingContext(ctx); err != nil {
		sqldb.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db := bun.NewDB(sqldb, pgdialect.New())
	return &DB{Write: db, Read: db}, nil
}

// IsPostgres reports whether the database is PostgreSQL.
func (db *DB) IsPostgres() bool { return db.Write.Dialect().Name() == dialect.PG }

// Ping checks that the database answers (readiness).
func (db *DB) Ping(ctx context.Context) error { return db.Read.PingContext(ctx) }

// Close closes both pools.
func (db *DB) Close() error {
	err := db.Write.Close()
	if db.Read != db.Write {
		if rerr := db.Read.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Tx runs f in a write transaction, committed when f returns nil.
func (db *DB) Tx(ctx context.Context, f func(ctx context.Context, tx bun.Tx) error) error {
	return db.Write.RunInTx(ctx, nil, f)
}
