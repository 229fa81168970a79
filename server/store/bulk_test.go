package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// InsertRows writes the same values as bun's own INSERT, down to the text
// of times and JSON on SQLite (queries compare times as text).
func TestInsertRowsWritesWhatBunWrites(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ctx := context.Background()
		s := apptest.OpenStore(t, db, "")
		at := time.Date(2026, 11, 23, 17, 4, 5, 123456789, time.FixedZone("CET", 3600))
		key := "k1"
		mk := func(id string) *jobs.Job {
			return &jobs.Job{ID: id, Kind: "test", Payload: []byte(`{"a":"é","n":1.5}`), Status: jobs.StatusAvailable,
				MaxAttempts: 3, RunAt: at, CreatedAt: at, LockedUntil: &at, UniqueKey: &key}
		}
		viaBun, viaRows := mk("bun"), mk("rows")
		viaRows.UniqueKey = nil
		viaBun.LockedUntil = nil
		if err := jobs.Enqueue(ctx, s.Write, viaBun); err != nil {
			t.Fatal(err)
		}
		err := s.Tx(ctx, func(ctx context.Context, tx bun.Tx) error { return store.InsertRows(ctx, tx, []*jobs.Job{viaRows}) })
		if err != nil {
			t.Fatal(err)
		}
		type raw struct {
			RunAt, Payload, LockedUntil, UniqueKey string
		}
		read := func(id string) raw {
			var r raw
			err := s.Read.NewRaw(`SELECT CAST(run_at AS TEXT), CAST(payload AS TEXT),
				COALESCE(CAST(locked_until AS TEXT), 'NULL'), COALESCE(unique_key, 'NULL') FROM jobs WHERE id = ?`, id).
				Scan(ctx, &r.RunAt, &r.Payload, &r.LockedUntil, &r.UniqueKey)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		b, r := read("bun"), read("rows")
		if b.RunAt != r.RunAt || b.Payload != r.Payload {
			t.Errorf("bun wrote run_at %q payload %q; InsertRows wrote %q %q", b.RunAt, b.Payload, r.RunAt, r.Payload)
		}
		if b.LockedUntil != "NULL" || r.LockedUntil != b.RunAt || r.UniqueKey != "NULL" || b.UniqueKey != key {
			t.Errorf("nullable columns: bun %+v, InsertRows %+v", b, r)
		}
		got, err := jobs.ByID(ctx, s.Read, "rows")
		if err != nil {
			t.Fatal(err)
		}
		if !got.RunAt.Equal(at.Truncate(time.Microsecond)) || got.LockedUntil == nil || got.MaxAttempts != 3 {
			t.Errorf("read back %+v", got)
		}
	})
}
