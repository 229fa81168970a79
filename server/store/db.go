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

	stopCheckpoints func() // SQLite: stops the background checkpointer
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
// Checkpoints (copying the WAL back into the database file) are mostly
// done by a background goroutine (see checkpoints), so that they rarely
// hold up a commit. That goroutine cannot finish a checkpoint while
// commits go on, though, and only a finished one lets the WAL start
// over: the writer therefore still checkpoints itself once the WAL
// reaches 8,192 pages (32 MiB; SQLite's default is 1,000), copying the
// little the background has not, so that the WAL stays bounded under
// sustained load. The WAL file is cut back to 64 MiB after it starts over.
func sqliteDSN(path string, write bool) string {
	q := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(ON)" +
		"&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)&_time_format=sqlite"
	if write {
		q += "&_txlock=immediate&_pragma=wal_autocheckpoint(8192)&_pragma=journal_size_limit(67108864)"
	}
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
	db := &DB{Write: bun.NewDB(w, sqlitedialect.New()), Read: bun.NewDB(r, sqlitedialect.New())}
	db.stopCheckpoints = checkpoints(r, checkpointEvery)
	return db, nil
}

// checkpointEvery is how often the WAL is copied back into the database
// file in the background. At a few thousand submissions a second that
// is a couple of thousand pages each time.
const checkpointEvery = 100 * time.Millisecond

// checkpoints runs a PASSIVE checkpoint every interval on a connection of
// pool r until the returned function is called. A passive checkpoint
// takes no lock that writers or readers wait for: it copies what it can
// and the writer starts the WAL afresh once all of it has been copied.
func checkpoints(r *sql.DB, every time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			var busy, frames, copied int
			_ = r.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
		}
	}()
	return func() { cancel(); <-done }
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
	if db.stopCheckpoints != nil {
		db.stopCheckpoints()
	}
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
