package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// Group commit: each caller's writes commit or roll back on their own,
// whatever the others in the same transaction do.
func TestBatcherIsolatesCallers(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ctx := context.Background()
		s := apptest.OpenStore(t, db, "")
		writers := 1
		if s.IsPostgres() {
			writers = 4
		}
		b := store.NewBatcher(s.Write, writers, 64)
		t.Cleanup(b.Close)
		if err := store.SetSetting(ctx, s.Write, "taken", 0); err != nil {
			t.Fatal(err)
		}

		const n = 60
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				errs[i] = b.Do(ctx, func(ctx context.Context, tx bun.Tx) error {
					if err := store.SetSetting(ctx, tx, fmt.Sprintf("k%02d", i), i); err != nil {
						return err
					}
					switch i % 4 {
					case 1: // the caller gives up after writing
						return errors.New("changed my mind")
					case 2: // the database refuses the second write
						_, err := tx.NewInsert().Model(&struct {
							bun.BaseModel `bun:"table:settings"`
							K             string `bun:"k"`
							V             string `bun:"v"`
						}{K: "taken", V: "1"}).Exec(ctx)
						return err
					case 3:
						if i == 3 {
							panic("bug in a write")
						}
					}
					return nil
				})
			})
		}
		wg.Wait()
		for i, err := range errs {
			wantOK := i%4 == 0 || (i%4 == 3 && i != 3)
			if (err == nil) != wantOK {
				t.Errorf("caller %d: err = %v, want success %v", i, err, wantOK)
			}
			var v int
			err := store.Setting(ctx, s.Read, fmt.Sprintf("k%02d", i), &v)
			if wantOK && (err != nil || v != i) {
				t.Errorf("caller %d: committed write missing (%v)", i, err)
			}
			if !wantOK && !errors.Is(err, store.ErrNotFound) {
				t.Errorf("caller %d failed but its write is there (%v)", i, err)
			}
		}

		b.Close()
		if err := b.Do(ctx, func(context.Context, bun.Tx) error { return nil }); !errors.Is(err, store.ErrClosed) {
			t.Errorf("Do after Close = %v, want ErrClosed", err)
		}
	})
}

// Concurrent transactions reserving reference numbers get disjoint,
// gap-free ranges.
func TestNextReferenceSeqs(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ctx := context.Background()
		s := apptest.OpenStore(t, db, "")
		p := &store.Procedure{ID: store.NewID(), Slug: "p", Status: store.StatusDraft, Draft: []byte(`{}`),
			CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
		if err := store.InsertProcedure(ctx, s.Write, p); err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		var got []int64
		var wg sync.WaitGroup
		total := 0
		for i := range 20 {
			n := i%5 + 1
			total += n
			wg.Go(func() {
				err := s.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
					first, err := store.NextReferenceSeqs(ctx, tx, p.ID, 2026, n)
					if err != nil {
						return err
					}
					mu.Lock()
					for k := range int64(n) {
						got = append(got, first+k)
					}
					mu.Unlock()
					return nil
				})
				if err != nil {
					t.Errorf("reserve %d: %v", n, err)
				}
			})
		}
		wg.Wait()
		slices.Sort(got)
		for i, v := range got {
			if v != int64(i+1) {
				t.Fatalf("reserved %v, want 1..%d once each", got, total)
			}
		}
		if len(got) != total {
			t.Errorf("%d numbers, want %d", len(got), total)
		}
		// Years count separately; a rolled-back reservation is given again.
		if first, err := store.NextReferenceSeqs(ctx, s.Write, p.ID, 2027, 1); err != nil || first != 1 {
			t.Errorf("first of 2027 = %d, %v", first, err)
		}
		_ = s.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			_, _ = store.NextReferenceSeqs(ctx, tx, p.ID, 2027, 5)
			return errors.New("roll back")
		})
		if first, err := store.NextReferenceSeqs(ctx, s.Write, p.ID, 2027, 1); err != nil || first != 2 {
			t.Errorf("after a rollback = %d, %v; want 2", first, err)
		}
		if ref := store.FormatReference("RS", 2026, 42); ref != "RS-2026-00042" {
			t.Errorf("FormatReference = %q", ref)
		}
	})
}

// KV backs sessions, CSRF and rate limits for every instance.
func TestKV(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		s := apptest.OpenStore(t, db, "")
		sessions, limits := store.NewKV(s, "session:"), store.NewKV(s, "limit:")
		steps := []struct {
			name string
			do   func() error
			kv   *store.KV
			key  string
			want string // "" means absent
		}{
			{"set", func() error { return sessions.Set("a", []byte("one"), time.Hour) }, sessions, "a", "one"},
			{"prefixes are apart", nil, limits, "a", ""},
			{"overwrite", func() error { return sessions.Set("a", []byte("two"), time.Hour) }, sessions, "a", "two"},
			{"no expiry", func() error { return limits.Set("a", []byte("lim"), 0) }, limits, "a", "lim"},
			{"delete", func() error { return sessions.Delete("a") }, sessions, "a", ""},
			{"delete leaves other prefixes", nil, limits, "a", "lim"},
			{"reset", func() error {
				_ = sessions.Set("b", []byte("b"), time.Hour)
				return limits.Reset()
			}, limits, "a", ""},
			{"reset leaves other prefixes", nil, sessions, "b", "b"},
		}
		for _, st := range steps {
			if st.do != nil {
				if err := st.do(); err != nil {
					t.Fatalf("%s: %v", st.name, err)
				}
			}
			got, err := st.kv.Get(st.key)
			if err != nil || string(got) != st.want {
				t.Errorf("%s: Get(%s%s) = %q, %v; want %q", st.name, st.kv.Prefix, st.key, got, err, st.want)
			}
		}
		// The cleanup removes expired keys only.
		if err := sessions.Set("short", []byte("x"), time.Second); err != nil {
			t.Fatal(err)
		}
		n, err := store.DeleteExpiredKV(context.Background(), s.Write, time.Now().Add(time.Minute))
		if err != nil || n != 1 {
			t.Errorf("DeleteExpiredKV removed %d (%v), want 1", n, err)
		}
		if got, _ := sessions.Get("short"); got != nil {
			t.Errorf("expired key still there: %q", got)
		}
		if got, _ := sessions.Get("b"); string(got) != "b" {
			t.Errorf("live key removed: %q", got)
		}
	})
}

func TestUsersAndMailbox(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ctx := context.Background()
		s := apptest.OpenStore(t, db, "")
		u := &store.User{ID: store.NewID(), Email: " Agent@Example.CH ", Name: "A", PasswordHash: "h", CreatedAt: time.Now().UTC()}
		if err := store.InsertUser(ctx, s.Write, u); err != nil {
			t.Fatal(err)
		}
		dup := &store.User{ID: store.NewID(), Email: "agent@example.ch", Name: "B", PasswordHash: "h", CreatedAt: time.Now().UTC()}
		if err := store.InsertUser(ctx, s.Write, dup); !errors.Is(err, store.ErrConflict) {
			t.Errorf("duplicate email: %v, want ErrConflict", err)
		}
		if got, err := store.UserByEmail(ctx, s.Read, "AGENT@example.ch"); err != nil || got.ID != u.ID {
			t.Errorf("UserByEmail: %v, %v", got, err)
		}
		if _, err := store.UserByID(ctx, s.Read, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("UserByID(unknown) = %v", err)
		}

		// Saving a message again (a retried job) keeps the first copy.
		m := &store.MailboxMessage{ID: "ack-1", Kind: "ack", Recipient: "a@b.ch", Subject: "first", Body: "b", CreatedAt: time.Now().UTC()}
		again := *m
		again.Subject = "second"
		for _, msg := range []*store.MailboxMessage{m, &again} {
			if err := store.SaveMailboxMessage(ctx, s.Write, msg); err != nil {
				t.Fatal(err)
			}
		}
		ms, err := store.MailboxMessages(ctx, s.Read, 10)
		if err != nil || len(ms) != 1 || ms[0].Subject != "first" {
			t.Errorf("mailbox %+v (%v), want the first copy once", ms, err)
		}
	})
}
