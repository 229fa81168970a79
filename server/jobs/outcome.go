package jobs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// outcome is a finished attempt waiting to be recorded.
type outcome struct {
	j      *Job
	err    error
	cfg    KindConfig
	at     time.Time
	writes []func(ctx context.Context, tx bun.Tx) error // OnDone's
}

// doneKey is the context key of a running job's OnDone writes.
type doneKey struct{}

type doneWrites struct {
	mu sync.Mutex
	fs []func(ctx context.Context, tx bun.Tx) error
}

// OnDone asks that f run in the transaction that records the running
// job of ctx (a Handler's ctx) as done: f's writes are then committed if
// and only if the job is, and the worker does not wait for a commit of
// its own. It returns false, and does nothing, when ctx is not a
// handler's; the caller then writes f itself:
//
//	if !jobs.OnDone(ctx, write) {
//		return batch.Do(ctx, write)
//	}
//
// f may run more than once (see store.Batcher.Do). If it fails, the
// attempt is recorded as failed with f's error and retried later.
func OnDone(ctx context.Context, f func(ctx context.Context, tx bun.Tx) error) bool {
	dw, ok := ctx.Value(doneKey{}).(*doneWrites)
	if !ok {
		return false
	}
	dw.mu.Lock()
	dw.fs = append(dw.fs, f)
	dw.mu.Unlock()
	return true
}

// recordLoop records outcomes as they come, all those waiting in one
// write, until Shutdown closes the channel.
func (q *Queue) recordLoop() {
	defer q.recorded.Done()
	batch := make([]outcome, 0, 256)
	for o := range q.outcomes {
		batch = append(batch[:0], o)
	more:
		for len(batch) < cap(batch) {
			select {
			case o, ok := <-q.outcomes:
				if !ok {
					break more
				}
				batch = append(batch, o)
			default:
				break more
			}
		}
		if err := q.finish(batch); err != nil {
			q.log.Error("record job outcomes", "jobs", len(batch), "error", err)
		}
		// Finished jobs free their slots for waiting work.
		q.Notify()
	}
}

// finish records the outcomes of attempts: done (one statement for all,
// after the jobs' OnDone writes), retry later, or dead. If that write
// fails, each job is recorded in its own savepoint, and a job whose
// OnDone writes fail is recorded as failed instead of done.
func (q *Queue) finish(outs []outcome) error {
	// Retry delays are drawn once, before the write, which may run twice.
	failed := make([]failure, len(outs))
	for i, o := range outs {
		if o.err != nil {
			failed[i] = failureOf(o, o.err)
		}
	}
	if q.batch.Do(context.Background(), q.record(outs, failed, false)) == nil {
		return nil
	}
	// An outcome must not be lost to a passing error (a job left running
	// would run again after its lease): try a few times.
	var err error
	for attempt := range 5 {
		if err = q.batch.Do(context.Background(), q.record(outs, failed, true)); err == nil {
			return nil
		}
		time.Sleep(time.Duration(attempt+1) * 100 * time.Millisecond)
	}
	return err
}

// failure is how a failed attempt is recorded.
type failure struct {
	id, status, lastError string
	at                    time.Time // run_at (retry) or finished_at (dead)
}

func failureOf(o outcome, err error) failure {
	if isDead(o.j, err) {
		return failure{o.j.ID, StatusDead, truncate(err.Error()), o.at}
	}
	delay := o.cfg.Backoff(o.j.Attempts)
	var ra *RetryAfterError
	if errors.As(err, &ra) && ra.After > delay {
		delay = ra.After
	}
	return failure{o.j.ID, StatusAvailable, truncate(err.Error()), o.at.Add(delay)}
}

// record returns the write of outcomes (failed[i] for those that
// failed), each in its own savepoint if one is true.
func (q *Queue) record(outs []outcome, failed []failure, one bool) func(ctx context.Context, tx bun.Tx) error {
	markFailed := func(ctx context.Context, tx bun.Tx, f failure) error {
		u := tx.NewUpdate().Model((*Job)(nil)).Set("locked_until = NULL").Set("locked_by = NULL").
			Set("status = ?", f.status).Set("last_error = ?", f.lastError).
			Where("id = ? AND locked_by = ?", f.id, q.id)
		if f.status == StatusDead {
			u = u.Set("finished_at = ?", f.at)
		} else {
			u = u.Set("run_at = ?", f.at)
		}
		_, err := u.Exec(ctx)
		return err
	}
	markDone := func(ctx context.Context, tx bun.Tx, ids []string, at time.Time) error {
		if len(ids) == 0 {
			return nil
		}
		_, err := tx.NewUpdate().Model((*Job)(nil)).Set("locked_until = NULL").Set("locked_by = NULL").
			Set("status = ?", StatusDone).Set("finished_at = ?", at).
			Where("id IN (?) AND locked_by = ?", bun.In(ids), q.id).Exec(ctx)
		return err
	}
	writes := func(ctx context.Context, tx bun.Tx, o outcome) error {
		for _, w := range o.writes {
			if err := w(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	}
	return func(ctx context.Context, tx bun.Tx) error {
		var done []string
		var doneAt time.Time
		for i, o := range outs {
			switch {
			case o.err != nil:
				if err := markFailed(ctx, tx, failed[i]); err != nil {
					return err
				}
			case !one:
				if err := writes(ctx, tx, o); err != nil {
					return err
				}
				done, doneAt = append(done, o.j.ID), o.at
			default:
				err := store.Savepoint(ctx, tx, func(ctx context.Context) error {
					if err := writes(ctx, tx, o); err != nil {
						return err
					}
					return markDone(ctx, tx, []string{o.j.ID}, o.at)
				})
				if err != nil {
					if err := markFailed(ctx, tx, failureOf(o, fmt.Errorf("record job outcome: %w", err))); err != nil {
						return err
					}
				}
			}
		}
		return markDone(ctx, tx, done, doneAt)
	}
}

func truncate(s string) string {
	if len(s) > 2000 {
		return s[:2000]
	}
	return s
}
