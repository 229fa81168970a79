package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// Handler runs one job. A nil error completes it; an error schedules a
// retry (or kills the job after its last attempt, or at once when the
// error wraps ErrPermanent).
type Handler func(ctx context.Context, j *Job) error

// ErrPermanent marks an error that retrying cannot fix.
var ErrPermanent = errors.New("permanent failure")

// RetryAfterError asks for the next attempt no earlier than After.
type RetryAfterError struct {
	After time.Duration
	Err   error
}

func (e *RetryAfterError) Error() string { return e.Err.Error() }
func (e *RetryAfterError) Unwrap() error { return e.Err }

// KindConfig tunes one kind of job.
type KindConfig struct {
	Handler Handler
	Timeout time.Duration                   // per attempt; default 1 min
	Backoff func(attempt int) time.Duration // default: Backoff
}

// Backoff is the default retry delay: 10 s doubling per attempt, capped at
// 1 h, with ±25 % jitter so that retries of a burst spread out.
func Backoff(attempt int) time.Duration {
	d := 10 * time.Second << min(attempt-1, 9)
	d = min(d, time.Hour)
	return time.Duration(float64(d) * (0.75 + rand.Float64()*0.5))
}

// Options configure a Queue.
type Options struct {
	Workers      int           // concurrent jobs; default 16
	PollInterval time.Duration // how often to look for due jobs when idle; default 1 s
	Logger       *slog.Logger
}

// Queue claims and runs jobs.
type Queue struct {
	db      *store.DB
	batch   *store.Batcher
	kinds   map[string]KindConfig
	opts    Options
	id      string
	log     *slog.Logger
	wake    chan struct{}
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	running chan struct{} // semaphore of busy workers

	// Outcomes of finished attempts are recorded by one goroutine, many
	// per statement, so that workers do not each wait for a commit.
	outcomes chan outcome
	recorded sync.WaitGroup
	stopOnce sync.Once

	lastSweep time.Time // last look for expired leases (fetchLoop only)
}

// sweepEvery is how often the fetcher looks for jobs whose worker died
// (expired leases); leases last at least 30 s, so this is plenty.
const sweepEvery = time.Second

// NewQueue returns a queue on db; writes go through the group-commit
// batcher b.
func NewQueue(db *store.DB, b *store.Batcher, opts Options) *Queue {
	if opts.Workers <= 0 {
		opts.Workers = 16
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	host, _ := os.Hostname()
	return &Queue{
		db: db, batch: b, kinds: map[string]KindConfig{}, opts: opts,
		id:  fmt.Sprintf("%s/%d/%s", host, os.Getpid(), store.NewID()[24:]),
		log: opts.Logger.With("component", "jobs"), wake: make(chan struct{}, 1),
		running: make(chan struct{}, opts.Workers), outcomes: make(chan outcome, opts.Workers*4),
	}
}

// Handle registers the handler of a kind. Call before Start.
func (q *Queue) Handle(kind string, cfg KindConfig) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.Backoff == nil {
		cfg.Backoff = Backoff
	}
	q.kinds[kind] = cfg
}

// Notify wakes the fetcher: call it after committing new jobs.
func (q *Queue) Notify() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Start runs the fetcher until Shutdown.
func (q *Queue) Start(ctx context.Context) {
	ctx, q.cancel = context.WithCancel(context.WithoutCancel(ctx))
	q.recorded.Add(1)
	go q.recordLoop()
	q.wg.Add(1)
	go q.fetchLoop(ctx)
}

// Shutdown stops claiming and waits for running jobs (up to ctx's end;
// jobs still running then are released by their lease expiring).
func (q *Queue) Shutdown(ctx context.Context) error {
	if q.cancel == nil {
		return nil
	}
	q.cancel()
	done := make(chan struct{})
	go func() {
		q.wg.Wait()
		q.stopOnce.Do(func() { close(q.outcomes) }) // every worker has handed its outcome over
		q.recorded.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (q *Queue) fetchLoop(ctx context.Context) {
	defer q.wg.Done()
	kinds := make([]string, 0, len(q.kinds))
	var lease time.Duration
	for k, c := range q.kinds {
		kinds = append(kinds, k)
		lease = max(lease, c.Timeout+30*time.Second)
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-q.wake:
		case <-timer.C:
		}
		free := cap(q.running) - len(q.running)
		n := 0
		// While workers are busy, wait until a quarter of them are free:
		// each claim is a write, and claiming one job per finished job
		// would cost a write per job.
		if busy := len(q.running); busy > 0 && free < max(cap(q.running)/4, 1) {
			free = 0
		}
		if free > 0 && len(kinds) > 0 {
			js, err := q.claim(ctx, kinds, free, lease)
			if err != nil && ctx.Err() == nil {
				q.log.Error("claim jobs", "error", err)
			}
			for _, j := range js {
				q.running <- struct{}{}
				q.wg.Add(1)
				go q.run(ctx, j)
			}
			n = len(js)
		}
		// Full batch: look again at once; otherwise sleep until woken.
		wait := q.opts.PollInterval
		if n > 0 && n == free {
			wait = 0
		}
		timer.Reset(wait)
	}
}

// claim marks up to limit due jobs (or jobs whose lease expired) as
// running under this queue's lease and returns them. Due jobs are read in
// run_at order through the (status, run_at) index, so a claim costs the
// same with a backlog of a hundred thousand jobs as with none; expired
// leases are looked for once per sweepEvery.
func (q *Queue) claim(ctx context.Context, kinds []string, limit int, lease time.Duration) ([]*Job, error) {
	sweep := time.Since(q.lastSweep) >= sweepEvery
	var js []*Job
	err := q.batch.Do(ctx, func(ctx context.Context, tx bun.Tx) error {
		js = js[:0]
		now := time.Now().UTC()
		take := func(status, column string, n int) error {
			sub := tx.NewSelect().Model((*Job)(nil)).Column("id").
				Where("status = ?", status).Where("? <= ?", bun.Ident(column), now).
				Where("kind IN (?)", bun.In(kinds)).OrderExpr("?", bun.Ident(column)).Limit(int64(n))
			if q.db.IsPostgres() {
				sub = sub.For("UPDATE SKIP LOCKED")
			}
			var got []*Job
			err := tx.NewUpdate().Model((*Job)(nil)).
				Set("status = ?", StatusRunning).Set("attempts = attempts + 1").
				Set("locked_until = ?", now.Add(lease)).Set("locked_by = ?", q.id).
				Where("id IN (?)", sub).Returning("*").Scan(ctx, &got)
			js = append(js, got...)
			return err
		}
		if sweep {
			if err := take(StatusRunning, "locked_until", limit); err != nil {
				return err
			}
		}
		if n := limit - len(js); n > 0 {
			return take(StatusAvailable, "run_at", n)
		}
		return nil
	})
	if err == nil && sweep {
		q.lastSweep = time.Now()
	}
	return js, err
}

func (q *Queue) run(ctx context.Context, j *Job) {
	defer q.wg.Done()
	defer func() { <-q.running }()
	cfg := q.kinds[j.Kind]
	dw := &doneWrites{}
	jctx, cancel := context.WithTimeout(context.WithValue(context.WithoutCancel(ctx), doneKey{}, dw), cfg.Timeout)
	start := time.Now()
	err := safeRun(jctx, cfg.Handler, j)
	cancel()
	dw.mu.Lock()
	writes := dw.fs
	dw.mu.Unlock()
	if err != nil {
		q.log.Warn("job failed", "job_id", j.ID, "kind", j.Kind, "attempt", j.Attempts,
			"duration_ms", time.Since(start).Milliseconds(), "error", err, "dead", isDead(j, err))
	} else {
		q.log.Debug("job done", "job_id", j.ID, "kind", j.Kind, "attempt", j.Attempts, "duration_ms", time.Since(start).Milliseconds())
	}
	// The slot is free once the outcome is handed to recordLoop; until
	// it is committed the job keeps its lease, so nobody else takes it.
	q.outcomes <- outcome{j: j, err: err, cfg: cfg, at: time.Now().UTC(), writes: writes}
}

func isDead(j *Job, err error) bool {
	return errors.Is(err, ErrPermanent) || j.Attempts >= j.MaxAttempts
}

func safeRun(ctx context.Context, h Handler, j *Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return h(ctx, j)
}
