package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
)

const kind = "test.job"

// newQueue returns a started queue on s running handler for kind; it is
// shut down when the test ends.
func newQueue(t testing.TB, s *store.DB, cfg jobs.KindConfig, workers int) *jobs.Queue {
	t.Helper()
	b := store.NewBatcher(s.Write, 1, 64)
	t.Cleanup(b.Close)
	q := jobs.NewQueue(s, b, jobs.Options{Workers: workers, PollInterval: 20 * time.Millisecond})
	q.Handle(kind, cfg)
	q.Start(context.Background())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return q
}

func enqueue(t testing.TB, s *store.DB, q *jobs.Queue, js ...*jobs.Job) {
	t.Helper()
	if err := jobs.Enqueue(context.Background(), s.Write, js...); err != nil {
		t.Fatal(err)
	}
	if q != nil {
		q.Notify()
	}
}

func newJob(t testing.TB, payload any) *jobs.Job {
	t.Helper()
	j, err := jobs.New(kind, payload)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// waitJob polls job id until ok holds, for at most 10 s.
func waitJob(t testing.TB, s *store.DB, id, what string, ok func(j *jobs.Job) bool) *jobs.Job {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		j, err := jobs.ByID(context.Background(), s.Read, id)
		if err == nil && ok(j) {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s never became %s; last: %+v (%v)", id, what, j, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func isStatus(status string, attempts int) func(*jobs.Job) bool {
	return func(j *jobs.Job) bool { return j.Status == status && j.Attempts == attempts }
}

func TestRetryWithBackoff(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		s := apptest.OpenStore(t, db, "")
		const delay = 300 * time.Millisecond
		var mu sync.Mutex
		var calls []time.Time
		var backoffs []int
		q := newQueue(t, s, jobs.KindConfig{
			Handler: func(ctx context.Context, j *jobs.Job) error {
				mu.Lock()
				defer mu.Unlock()
				calls = append(calls, time.Now())
				if len(calls) <= 2 {
					return fmt.Errorf("try %d failed", len(calls))
				}
				return nil
			},
			Backoff: func(attempt int) time.Duration {
				mu.Lock()
				defer mu.Unlock()
				backoffs = append(backoffs, attempt)
				return delay
			},
		}, 2)
		j := newJob(t, map[string]int{"n": 1})
		enqueue(t, s, q, j)

		got := waitJob(t, s, j.ID, "available after one failure", isStatus(jobs.StatusAvailable, 1))
		mu.Lock()
		first := calls[0]
		mu.Unlock()
		if got.LastError == nil || *got.LastError != "try 1 failed" {
			t.Errorf("last_error = %v, want the handler's error", got.LastError)
		}
		if got.RunAt.Before(first.Add(delay-time.Millisecond)) || got.RunAt.After(first.Add(delay+5*time.Second)) {
			t.Errorf("run_at = %s, want about %s after the failure at %s", got.RunAt, delay, first)
		}
		if got.LockedBy != nil || got.LockedUntil != nil {
			t.Errorf("lease kept after the attempt: %v %v", got.LockedBy, got.LockedUntil)
		}

		done := waitJob(t, s, j.ID, "done", isStatus(jobs.StatusDone, 3))
		if done.FinishedAt == nil {
			t.Error("finished_at not set")
		}
		mu.Lock()
		defer mu.Unlock()
		if len(calls) != 3 || fmt.Sprint(backoffs) != "[1 2]" {
			t.Fatalf("%d calls, backoff asked for %v; want 3 calls and [1 2]", len(calls), backoffs)
		}
		for i := 1; i < 3; i++ {
			if gap := calls[i].Sub(calls[i-1]); gap < delay {
				t.Errorf("attempt %d ran %s after the previous one, before the %s backoff", i+1, gap, delay)
			}
		}
	})
}

func TestDeadAfterMaxAttemptsThenRetry(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ctx := context.Background()
		s := apptest.OpenStore(t, db, "")
		var calls atomic.Int32
		var healed atomic.Bool
		q := newQueue(t, s, jobs.KindConfig{
			Handler: func(ctx context.Context, j *jobs.Job) error {
				n := calls.Add(1)
				if healed.Load() {
					return nil
				}
				return fmt.Errorf("boom %d", n)
			},
			Backoff: func(int) time.Duration { return 10 * time.Millisecond },
		}, 2)
		j := newJob(t, nil)
		j.MaxAttempts = 3
		enqueue(t, s, q, j)

		dead := waitJob(t, s, j.ID, "dead", isStatus(jobs.StatusDead, 3))
		if dead.LastError == nil || *dead.LastError != "boom 3" || dead.FinishedAt == nil {
			t.Errorf("dead job %+v, want last_error boom 3 and finished_at", dead)
		}
		if n := calls.Load(); n != 3 {
			t.Errorf("handler ran %d times, want 3", n)
		}

		if err := jobs.Retry(ctx, s.Write, "no-such-job"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Retry(unknown) = %v, want ErrNotFound", err)
		}
		healed.Store(true)
		if err := jobs.Retry(ctx, s.Write, j.ID); err != nil {
			t.Fatal(err)
		}
		q.Notify()
		done := waitJob(t, s, j.ID, "done after Retry", isStatus(jobs.StatusDone, 1))
		if calls.Load() != 4 || done.FinishedAt == nil {
			t.Errorf("after Retry: %d calls, job %+v", calls.Load(), done)
		}
		if err := jobs.Retry(ctx, s.Write, j.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Retry(done job) = %v, want ErrNotFound", err)
		}
	})
}

func TestPermanentErrorKillsAtOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		s := apptest.OpenStore(t, db, "")
		var calls atomic.Int32
		q := newQueue(t, s, jobs.KindConfig{Handler: func(ctx context.Context, j *jobs.Job) error {
			calls.Add(1)
			return fmt.Errorf("%w: mailbox does not exist", jobs.ErrPermanent)
		}}, 2)
		j := newJob(t, nil)
		enqueue(t, s, q, j)
		dead := waitJob(t, s, j.ID, "dead", isStatus(jobs.StatusDead, 1))
		if dead.LastError == nil || !strings.Contains(*dead.LastError, "mailbox does not exist") {
			t.Errorf("last_error = %v", dead.LastError)
		}
		if calls.Load() != 1 || dead.MaxAttempts != jobs.DefaultMaxAttempts {
			t.Errorf("%d calls with max_attempts %d, want 1 call of %d", calls.Load(), dead.MaxAttempts, jobs.DefaultMaxAttempts)
		}
	})
}

func TestRetryAfterAndPanic(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		s := apptest.OpenStore(t, db, "")
		q := newQueue(t, s, jobs.KindConfig{
			Handler: func(ctx context.Context, j *jobs.Job) error {
				var p string
				_ = j.Decode(&p)
				if p == "panic" {
					panic("handler bug")
				}
				return &jobs.RetryAfterError{After: time.Hour, Err: errors.New("429 slow down")}
			},
			Backoff: func(int) time.Duration { return time.Minute },
		}, 2)
		later, panics := newJob(t, "later"), newJob(t, "panic")
		start := time.Now()
		enqueue(t, s, q, later, panics)

		got := waitJob(t, s, later.ID, "retried later", isStatus(jobs.StatusAvailable, 1))
		if got.RunAt.Before(start.Add(time.Hour)) || *got.LastError != "429 slow down" {
			t.Errorf("run_at %s (want ≥ 1 h after %s), last_error %q", got.RunAt, start, *got.LastError)
		}
		got = waitJob(t, s, panics.ID, "retried after its panic", isStatus(jobs.StatusAvailable, 1))
		if got.LastError == nil || !strings.Contains(*got.LastError, "panic: handler bug") {
			t.Errorf("last_error = %v, want the panic", got.LastError)
		}
	})
}

// A job whose worker died keeps status running; once its lease has
// expired another worker takes it. A live lease and other kinds are left
// alone.
func TestExpiredLeaseIsClaimedAgain(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		s := apptest.OpenStore(t, db, "")
		now := time.Now().UTC()
		lease := func(j *jobs.Job, until time.Time, by string) {
			j.Status, j.Attempts, j.LockedUntil, j.LockedBy = jobs.StatusRunning, 1, &until, &by
		}
		stale, live := newJob(t, "stale"), newJob(t, "live")
		lease(stale, now.Add(-time.Minute), "dead-worker")
		lease(live, now.Add(time.Hour), "live-worker")
		other, err := jobs.New("other.kind", nil)
		if err != nil {
			t.Fatal(err)
		}
		enqueue(t, s, nil, stale, live, other)

		var mu sync.Mutex
		var ran []string
		newQueue(t, s, jobs.KindConfig{Handler: func(ctx context.Context, j *jobs.Job) error {
			mu.Lock()
			defer mu.Unlock()
			ran = append(ran, j.ID)
			return nil
		}}, 4)
		waitJob(t, s, stale.ID, "done", isStatus(jobs.StatusDone, 2))
		mu.Lock()
		defer mu.Unlock()
		if len(ran) != 1 || ran[0] != stale.ID {
			t.Errorf("ran %v, want only the stale job %s", ran, stale.ID)
		}
		if j, _ := jobs.ByID(context.Background(), s.Read, live.ID); j.Status != jobs.StatusRunning || *j.LockedBy != "live-worker" {
			t.Errorf("job under a live lease changed: %+v", j)
		}
		if j, _ := jobs.ByID(context.Background(), s.Read, other.ID); j.Status != jobs.StatusAvailable || j.Attempts != 0 {
			t.Errorf("job of an unhandled kind was claimed: %+v", j)
		}
	})
}

// Two instances' queues on one database never run the same job.
func TestTwoQueuesRunEachJobOnce(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		dir := t.TempDir()
		s1, s2 := apptest.OpenStore(t, db, dir), apptest.OpenStore(t, db, dir)
		// 500 jobs on PostgreSQL, where several instances are the normal
		// deployment; fewer on SQLite, where two writers on one file take
		// turns through the busy timeout.
		n := 500
		if db.Name == "sqlite" {
			n = 150
		}
		js := make([]*jobs.Job, n)
		var runs sync.Map // job ID → *atomic.Int32
		for i := range js {
			js[i] = newJob(t, i)
			runs.Store(js[i].ID, new(atomic.Int32))
		}
		enqueue(t, s1, nil, js...)

		var byQueue [2]atomic.Int32
		var total atomic.Int32
		handler := func(qi int) jobs.Handler {
			return func(ctx context.Context, j *jobs.Job) error {
				c, ok := runs.Load(j.ID)
				if !ok {
					return fmt.Errorf("unknown job %s", j.ID)
				}
				c.(*atomic.Int32).Add(1)
				byQueue[qi].Add(1)
				total.Add(1)
				return nil
			}
		}
		newQueue(t, s1, jobs.KindConfig{Handler: handler(0)}, 8)
		newQueue(t, s2, jobs.KindConfig{Handler: handler(1)}, 8)

		deadline := time.Now().Add(60 * time.Second)
		for {
			m, err := jobs.CountByStatus(context.Background(), s1.Read)
			if err != nil {
				t.Fatal(err)
			}
			if m[jobs.StatusDone] == n {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("jobs by status %v after 60 s, want %d done", m, n)
			}
			time.Sleep(20 * time.Millisecond)
		}
		runs.Range(func(id, c any) bool {
			if got := c.(*atomic.Int32).Load(); got != 1 {
				t.Errorf("job %s ran %d times", id, got)
			}
			return true
		})
		if int(total.Load()) != n {
			t.Errorf("%d runs in all, want %d", total.Load(), n)
		}
		// On PostgreSQL, the deployment with several instances, both
		// queues take their share; on SQLite one may starve the other.
		if db.Name == "postgres" && (byQueue[0].Load() == 0 || byQueue[1].Load() == 0) {
			t.Errorf("runs by queue %d and %d: both queues should have worked", byQueue[0].Load(), byQueue[1].Load())
		}
		t.Logf("runs by queue: %d, %d", byQueue[0].Load(), byQueue[1].Load())
	})
}
