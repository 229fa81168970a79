package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/guichet/guichet/server/store"
	"github.com/robfig/cron/v3"
	"github.com/uptrace/bun"
)

// Scheduler turns cron schedules into jobs. It only enqueues: each tick
// inserts one job whose unique key is (schedule name, tick time), so with
// several instances on one database every tick runs once.
type Scheduler struct {
	cron  *cron.Cron
	batch *store.Batcher
	queue *Queue
	log   *slog.Logger
}

// NewScheduler returns a scheduler enqueueing through b and waking q.
func NewScheduler(b *store.Batcher, q *Queue, logger *slog.Logger) *Scheduler {
	cl := cronLogger{logger.With("component", "cron")}
	return &Scheduler{
		cron:  cron.New(cron.WithLogger(cl), cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl))),
		batch: b, queue: q, log: cl.l,
	}
}

// ParseSpec parses a standard cron expression or descriptor (@every 10m,
// @hourly, CRON_TZ=Europe/Zurich 0 8 * * 1-5).
func ParseSpec(spec string) (cron.Schedule, error) {
	return cron.ParseStandard(spec)
}

// Add schedules a job of kind with payload(tick) on spec under a name that
// must be the same on every instance.
func (s *Scheduler) Add(name, spec, kind string, payload func(tick time.Time) any) error {
	sched, err := ParseSpec(spec)
	if err != nil {
		return fmt.Errorf("schedule %s: %w", name, err)
	}
	s.cron.Schedule(sched, cron.FuncJob(func() {
		tick := alignedTick(sched, time.Now())
		if err := s.Fire(context.Background(), name, kind, tick, payload(tick)); err != nil {
			s.log.Error("enqueue scheduled job", "schedule", name, "error", err)
		}
	}))
	return nil
}

// alignedTick returns the tick that a firing of sched at now stands for,
// the same on every instance. "@every d" fires d after each instance's
// own start, so its tick is now truncated to a multiple of d; the other
// schedules fire on whole minutes, so a firing a little late (or a clock
// a little off) still names the same minute.
func alignedTick(sched cron.Schedule, now time.Time) time.Time {
	if every, ok := sched.(cron.ConstantDelaySchedule); ok && every.Delay >= time.Second {
		return now.UTC().Truncate(every.Delay)
	}
	return now.UTC().Truncate(time.Minute)
}

// Fire enqueues the job of one tick (idempotent per name and tick).
func (s *Scheduler) Fire(ctx context.Context, name, kind string, tick time.Time, payload any) error {
	j, err := New(kind, payload)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("%s@%d", name, tick.Unix())
	j.UniqueKey = &key
	// Group commit may put several ticks in one transaction, so two
	// instances firing the same ticks can deadlock on the unique keys;
	// the victim's ticks were committed by the other, and run again they
	// are skipped at once.
	enqueue := func(ctx context.Context, tx bun.Tx) error { return Enqueue(ctx, tx, j) }
	err = s.batch.Do(ctx, enqueue)
	for try := 0; try < 3 && store.IsTransient(err); try++ {
		err = s.batch.Do(ctx, enqueue)
	}
	if err != nil {
		return err
	}
	s.queue.Notify()
	return nil
}

// Start starts the cron clock.
func (s *Scheduler) Start() { s.cron.Start() }

// Stop stops the clock and waits for running enqueues.
func (s *Scheduler) Stop() { <-s.cron.Stop().Done() }

// cronLogger adapts cron.Logger to slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug(msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error(msg, append(kv, "error", err)...)
}
