package apptest

import (
	"context"
	"testing"

	"github.com/guichet/guichet/migrations"
	"github.com/guichet/guichet/server/store"
)

// OpenStore opens db with its migrations applied, for tests of the store
// and the job queue that need no whole app; it is closed when the test
// ends. SQLite lives in dataDir (a fresh temporary directory if ""); call
// it again with the same dataDir, or with the same PostgreSQL db, for a
// second handle on the same database, as a second instance would have.
func OpenStore(t testing.TB, db DB, dataDir string) *store.DB {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	s, err := store.Open(context.Background(), db.URL, dataDir)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := migrations.Up(context.Background(), s.Write); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}
