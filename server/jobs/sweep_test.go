package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/jobs"
)

// The sweep resets jobs whose worker was lost, kills those that had used
// their last attempt, counts long overdue ones, and leaves live leases
// alone.
func TestSweepStuckJobs(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ctx := context.Background()
		s := apptest.OpenStore(t, db, "")
		now := time.Now().UTC()
		lost := now.Add(-2 * jobs.SweepGrace)
		live := now.Add(time.Minute)
		owner := "gone/1/x"
		mk := func(kind, status string, attempts int, lockedUntil *time.Time, runAt time.Time) *jobs.Job {
			j := newJob(t, map[string]string{"k": kind})
			j.Kind, j.Status, j.Attempts, j.MaxAttempts, j.RunAt = kind, status, attempts, 3, runAt
			if lockedUntil != nil {
				j.LockedUntil, j.LockedBy = lockedUntil, &owner
			}
			return j
		}
		reset := mk("a", jobs.StatusRunning, 1, &lost, now)
		killed := mk("b", jobs.StatusRunning, 3, &lost, now)
		running := mk("a", jobs.StatusRunning, 1, &live, now)
		late := mk("c", jobs.StatusAvailable, 0, nil, now.Add(-time.Hour))
		enqueue(t, s, nil, reset, killed, running, late)

		got, err := jobs.Sweep(ctx, s.Write, now)
		if err != nil {
			t.Fatal(err)
		}
		if got.Reset["a"] != 1 || got.Killed["b"] != 1 || got.Late["c"] != 1 || len(got.Reset) != 1 {
			t.Errorf("swept %+v", got)
		}
		for _, c := range []struct {
			j      *jobs.Job
			status string
		}{{reset, jobs.StatusAvailable}, {killed, jobs.StatusDead}, {running, jobs.StatusRunning}, {late, jobs.StatusAvailable}} {
			j, err := jobs.ByID(ctx, s.Read, c.j.ID)
			if err != nil || j.Status != c.status {
				t.Errorf("job %s: %v %v, want %s", c.j.Kind, j.Status, err, c.status)
			}
			if c.j == reset && (j.LockedBy != nil || j.LastError == nil) {
				t.Errorf("reset job keeps its lease or has no error: %+v", j)
			}
		}
		if again, _ := jobs.Sweep(ctx, s.Write, now); len(again.Reset)+len(again.Killed) != 0 {
			t.Errorf("second sweep: %+v", again)
		}
	})
}
