package migrations_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/guichet/guichet/migrations"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// initTables are the tables of the first migration; later migrations add
// more.
var initTables = []string{
	"dossier_events", "dossiers", "drafts", "files", "jobs", "kv", "mailbox",
	"procedure_versions", "procedures", "reference_counters", "settings", "users",
}

func open(t *testing.T, db apptest.DB, dir string) *store.DB {
	t.Helper()
	s, err := store.Open(context.Background(), db.URL, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// schema returns the database's tables, columns and indexes, one line
// each, sorted, without the bookkeeping tables of bun and SQLite.
func schema(t *testing.T, db *bun.DB) []string {
	t.Helper()
	ctx := context.Background()
	var lines []string
	var err error
	if db.Dialect().Name().String() == "pg" {
		var cols []string
		err = db.NewRaw(`SELECT table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable ||
			' default=' || COALESCE(column_default, '') FROM information_schema.columns WHERE table_schema = 'public'`).Scan(ctx, &cols)
		if err == nil {
			var idx []string
			err = db.NewRaw(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'`).Scan(ctx, &idx)
			lines = append(cols, idx...)
		}
	} else {
		err = db.NewRaw(`SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master`).Scan(ctx, &lines)
	}
	if err != nil {
		t.Fatalf("read schema: %v", err)
	}
	lines = slices.DeleteFunc(lines, func(l string) bool {
		return strings.Contains(l, "bun_migration") || strings.Contains(l, " sqlite_sequence")
	})
	slices.Sort(lines)
	return lines
}

// hasTable reports whether a line of schema names table.
func hasTable(lines []string, table string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, table+".") || strings.HasPrefix(l, "table "+table+":") {
			return true
		}
	}
	return false
}

func TestUpDownUp(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ctx := context.Background()
		s := open(t, db, t.TempDir())
		if got := schema(t, s.Write); len(got) != 0 {
			t.Fatalf("fresh database has a schema: %v", got)
		}
		ups := upFiles(t)

		g, err := migrations.Up(ctx, s.Write)
		if err != nil {
			t.Fatalf("up: %v", err)
		}
		if g.ID == 0 || len(g.Migrations) != len(ups) {
			t.Fatalf("up applied group %d with %d migrations, want the %d files", g.ID, len(g.Migrations), len(ups))
		}
		first := schema(t, s.Write)
		for _, table := range initTables {
			if !hasTable(first, table) {
				t.Errorf("table %s missing after up", table)
			}
		}
		// The schema takes rows.
		if err := store.SetSetting(ctx, s.Write, "site", map[string]string{"Name": "Commune"}); err != nil {
			t.Errorf("write a setting: %v", err)
		}

		if g, err := migrations.Up(ctx, s.Write); err != nil || !g.IsZero() {
			t.Errorf("second up = group %v, %v; want nothing to do", g, err)
		}

		if g, err := migrations.Down(ctx, s.Write); err != nil || len(g.Migrations) != len(ups) {
			t.Fatalf("down = %v, %v; want the whole group rolled back", g, err)
		}
		if got := schema(t, s.Write); len(got) != 0 {
			t.Errorf("down left a schema behind:\n%q", got)
		}

		if _, err := migrations.Up(ctx, s.Write); err != nil {
			t.Fatalf("up again: %v", err)
		}
		if again := schema(t, s.Write); !slices.Equal(again, first) {
			t.Errorf("schema after up, down, up differs from the first up:\n%s\n---\n%s",
				strings.Join(again, "\n"), strings.Join(first, "\n"))
		}
	})
}

// Instances starting together on one database migrate it once.
func TestConcurrentUp(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		dir := t.TempDir()
		dbs := []*store.DB{open(t, db, dir), open(t, db, dir), open(t, db, dir)}
		var wg sync.WaitGroup
		applied := make([]int, len(dbs))
		for i, s := range dbs {
			wg.Go(func() {
				g, err := migrations.Up(context.Background(), s.Write)
				if err != nil {
					t.Errorf("instance %d: up: %v", i, err)
					return
				}
				applied[i] = len(g.Migrations)
			})
		}
		wg.Wait()
		var total int
		for _, n := range applied {
			total += n
		}
		if want := len(upFiles(t)); total != want {
			t.Errorf("instances applied %v migrations, want %d in all", applied, want)
		}
		if got := schema(t, dbs[0].Write); !hasTable(got, "dossiers") {
			t.Error("no dossiers table")
		}
	})
}

// upFiles returns the up migrations, checking each has its down.
func upFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var ups []string
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	for name := range names {
		if base, ok := strings.CutSuffix(name, ".up.sql"); ok {
			ups = append(ups, name)
			if !names[base+".down.sql"] {
				t.Errorf("%s has no down migration", name)
			}
		}
	}
	return ups
}
