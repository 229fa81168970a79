package jobs_test

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
)

func newScheduler(t testing.TB, s *store.DB, q *jobs.Queue) *jobs.Scheduler {
	t.Helper()
	b := store.NewBatcher(s.Write, 1, 64)
	t.Cleanup(b.Close)
	if q == nil {
		q = jobs.NewQueue(s, b, jobs.Options{})
	}
	return jobs.NewScheduler(b, q, slog.New(slog.DiscardHandler))
}

// Schedulers of two instances firing the same ticks enqueue one job per
// tick, which runs once.
func TestSchedulersFireOneJobPerTick(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		s1, s2 := apptest.OpenStore(t, db, dir), apptest.OpenStore(t, db, dir)
		var runs atomic.Int32
		cfg := jobs.KindConfig{Handler: func(context.Context, *jobs.Job) error { runs.Add(1); return nil }}
		q1, q2 := newQueue(t, s1, cfg, 2), newQueue(t, s2, cfg, 2)
		schedulers := []*jobs.Scheduler{newScheduler(t, s1, q1), newScheduler(t, s2, q2)}

		base := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
		const ticks = 5
		var wg sync.WaitGroup
		for i := range ticks {
			tick := base.Add(time.Duration(i) * time.Hour)
			for _, sc := range schedulers {
				for range 2 { // and each instance twice, as after a restart
					wg.Go(func() {
						if err := sc.Fire(ctx, "reminders", kind, tick, map[string]string{"tick": tick.String()}); err != nil {
							t.Errorf("fire %s: %v", tick, err)
						}
					})
				}
			}
		}
		wg.Wait()
		var js []jobs.Job
		if err := s1.Read.NewSelect().Model(&js).Order("unique_key").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(js) != ticks {
			t.Fatalf("%d jobs for %d ticks", len(js), ticks)
		}
		if js[0].UniqueKey == nil || *js[0].UniqueKey != "reminders@"+strconv.FormatInt(base.Unix(), 10) {
			t.Errorf("unique key %v", js[0].UniqueKey)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			m, err := jobs.CountByStatus(ctx, s1.Read)
			if err != nil {
				t.Fatal(err)
			}
			if m[jobs.StatusDone] == ticks {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("jobs by status %v, want %d done", m, ticks)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if runs.Load() != ticks {
			t.Errorf("%d runs, want %d", runs.Load(), ticks)
		}
	})
}

func TestSchedulerAdd(t *testing.T) {
	s := apptest.OpenStore(t, apptest.DB{Name: "sqlite"}, "")
	sc := newScheduler(t, s, nil)
	tests := []struct {
		spec    string
		wantErr bool
	}{
		{"@every 10m", false},
		{"@hourly", false},
		{"0 8 * * 1-5", false},
		{"CRON_TZ=Europe/Zurich 0 8 * * 1-5", false},
		{"61 * * * *", true},
		{"every day", true},
		{"", true},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			err := sc.Add("s", tt.spec, kind, func(time.Time) any { return nil })
			if (err != nil) != tt.wantErr {
				t.Errorf("Add(%q) = %v, want error: %v", tt.spec, err, tt.wantErr)
			}
		})
	}
}
