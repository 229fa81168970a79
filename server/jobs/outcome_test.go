package jobs_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/jobs"
	"github.com/uptrace/bun"
)

// OnDone's writes are committed with the job's completion, and a failing
// one fails the attempt instead.
func TestOnDone(t *testing.T) {
	if jobs.OnDone(context.Background(), func(context.Context, bun.Tx) error { return nil }) {
		t.Fatal("OnDone outside a job's handler returned true")
	}
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		s := apptest.OpenStore(t, db, "")
		var calls atomic.Int32
		q := newQueue(t, s, jobs.KindConfig{
			Handler: func(ctx context.Context, j *jobs.Job) error {
				var p string
				_ = j.Decode(&p)
				calls.Add(1)
				ok := jobs.OnDone(ctx, func(ctx context.Context, tx bun.Tx) error {
					if p == "bad" {
						_, err := tx.ExecContext(ctx, "INSERT INTO no_such_table VALUES (1)")
						return err
					}
					_, err := tx.NewRaw("INSERT INTO settings (k, v) VALUES (?, ?)", "ondone:"+j.ID, `"x"`).Exec(ctx)
					return err
				})
				if !ok {
					t.Error("OnDone in a handler returned false")
				}
				return nil
			},
			Backoff: func(int) time.Duration { return 10 * time.Millisecond },
		}, 2)
		good, bad := newJob(t, "good"), newJob(t, "bad")
		bad.MaxAttempts = 2
		enqueue(t, s, q, good, bad)

		waitJob(t, s, good.ID, "done", isStatus(jobs.StatusDone, 1))
		n, err := s.Read.NewSelect().Table("settings").Where("k = ?", "ondone:"+good.ID).Count(context.Background())
		if err != nil || n != 1 {
			t.Errorf("OnDone row of the done job: %d, %v; want 1", n, err)
		}
		dead := waitJob(t, s, bad.ID, "dead after its OnDone write failed twice", isStatus(jobs.StatusDead, 2))
		if dead.LastError == nil || !strings.Contains(*dead.LastError, "record job outcome") {
			t.Errorf("last_error = %v, want the failed OnDone write", dead.LastError)
		}
	})
}
