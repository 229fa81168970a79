package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// KindSweep is the scheduled sweep of stuck jobs.
const KindSweep = "jobs.sweep"

// SweepGrace is how long past its lease a running job must be before the
// sweep resets it: queues reclaim expired leases of the kinds they handle
// within a second or so, so the sweep only catches what none reclaims.
const SweepGrace = time.Minute

// Swept is what a sweep found.
type Swept struct {
	// Reset running jobs whose lease expired: made available again.
	Reset map[string]int `json:"reset"`
	// Killed running jobs whose lease expired after their last attempt
	// (a job that kills its worker every time): kept as dead.
	Killed map[string]int `json:"killed"`
	// Late available jobs due for more than SweepGrace×10: a backlog, or
	// a kind no running instance handles.
	Late map[string]int `json:"late"`
}

// Sweep resets jobs stuck in running past their lease (their worker was
// lost: process killed, machine gone), marks those that had used their
// last attempt as dead, and counts the available jobs that are long
// overdue. Resetting is safe: a worker that was only slow finds its
// lease taken when it records its outcome, which then changes nothing.
func Sweep(ctx context.Context, db bun.IDB, now time.Time) (Swept, error) {
	out := Swept{Reset: map[string]int{}, Killed: map[string]int{}, Late: map[string]int{}}
	var stuck []Job
	err := db.NewSelect().Model(&stuck).Column("id", "kind", "attempts", "max_attempts").
		Where("status = ? AND locked_until < ?", StatusRunning, now.Add(-SweepGrace)).Limit(1000).Scan(ctx)
	if err != nil {
		return out, fmt.Errorf("find stuck jobs: %w", err)
	}
	for _, j := range stuck {
		q := db.NewUpdate().Model((*Job)(nil)).Set("locked_until = NULL").Set("locked_by = NULL").
			Where("id = ? AND status = ? AND locked_until < ?", j.ID, StatusRunning, now.Add(-SweepGrace))
		if j.Attempts >= j.MaxAttempts {
			q = q.Set("status = ?", StatusDead).Set("finished_at = ?", now).
				Set("last_error = ?", fmt.Sprintf("worker lost during attempt %d of %d (lease expired)", j.Attempts, j.MaxAttempts))
		} else {
			q = q.Set("status = ?", StatusAvailable).Set("run_at = ?", now).
				Set("last_error = ?", fmt.Sprintf("worker lost during attempt %d (lease expired)", j.Attempts))
		}
		res, err := q.Exec(ctx)
		if err != nil {
			return out, fmt.Errorf("reset stuck job %s: %w", j.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if j.Attempts >= j.MaxAttempts {
				out.Killed[j.Kind]++
			} else {
				out.Reset[j.Kind]++
			}
		}
	}
	var late []struct {
		Kind string `bun:"kind"`
		N    int    `bun:"n"`
	}
	err = db.NewSelect().Model((*Job)(nil)).ColumnExpr("kind, COUNT(*) AS n").
		Where("status = ? AND run_at < ?", StatusAvailable, now.Add(-10*SweepGrace)).Group("kind").Scan(ctx, &late)
	for _, l := range late {
		out.Late[l.Kind] = l.N
	}
	return out, err
}

// SweepHandler returns the handler of the KindSweep job (schedule it with
// a Scheduler, say every minute): it sweeps, logs what it found, and
// wakes q when it made jobs available.
func SweepHandler(db *store.DB, q *Queue, log *slog.Logger) Handler {
	log = log.With("component", "jobs")
	return func(ctx context.Context, _ *Job) error {
		s, err := Sweep(ctx, db.Write, time.Now().UTC())
		if err != nil {
			return err
		}
		if len(s.Reset) > 0 || len(s.Killed) > 0 {
			log.Warn("stuck jobs swept", "reset", s.Reset, "dead", s.Killed)
			q.Notify()
		}
		if len(s.Late) > 0 {
			log.Warn("jobs long overdue: a backlog, or a kind no instance handles", "by_kind", s.Late)
		}
		return nil
	}
}
