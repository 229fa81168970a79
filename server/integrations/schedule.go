package integrations

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// pollSchedules runs the poll schedules of the published procedures. Each
// schedule is a loop that sleeps until its next tick and enqueues that
// tick through jobs.Scheduler.Fire, whose unique (name, tick) key makes
// every instance's enqueue of one tick a single job. Schedules come and
// go with publications, which jobs.Scheduler.Add (fixed at start) cannot
// follow; and ticks must be the same instants on every instance, which
// robfig/cron's "@every" (counted from each process's start) is not:
// here "@every d" ticks on multiples of d (counted from Go's zero time,
// so on the hour for "@every 10m"), and cron expressions on their
// calendar times.
type pollSchedules struct {
	s       *Service
	mu      sync.Mutex
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	entries map[string]*pollEntry // by integration key
}

type pollEntry struct {
	spec   string
	cancel context.CancelFunc
}

func newPollSchedules(s *Service) *pollSchedules {
	return &pollSchedules{s: s, entries: map[string]*pollEntry{}}
}

func (ps *pollSchedules) start(ctx context.Context) {
	ps.mu.Lock()
	ps.ctx, ps.cancel = context.WithCancel(context.WithoutCancel(ctx))
	ps.mu.Unlock()
	ps.wg.Go(func() {
		t := time.NewTicker(ps.s.opts.RefreshEvery)
		defer t.Stop()
		for {
			if err := ps.refresh(ps.ctx); err != nil && ps.ctx.Err() == nil {
				ps.s.log.Error("load poll schedules", "error", err)
			}
			select {
			case <-ps.ctx.Done():
				return
			case <-t.C:
			}
		}
	})
}

func (ps *pollSchedules) stop() {
	ps.mu.Lock()
	if ps.cancel != nil {
		ps.cancel()
	}
	ps.mu.Unlock()
	ps.wg.Wait()
}

// errNotStarted is returned by RefreshSchedules before Start.
var errNotStarted = errors.New("integrations not started")

// RefreshSchedules reloads the poll schedules from the published
// procedures now (they are reloaded every Options.RefreshEvery anyway).
func (s *Service) RefreshSchedules(ctx context.Context) error { return s.polls.refresh(ctx) }

// Schedules returns the keys of the integrations whose schedule runs.
func (s *Service) Schedules() []string {
	s.polls.mu.Lock()
	defer s.polls.mu.Unlock()
	out := make([]string, 0, len(s.polls.entries))
	for k := range s.polls.entries {
		out = append(out, k)
	}
	return out
}

func (ps *pollSchedules) refresh(ctx context.Context) error {
	cis, err := ps.s.all(ctx)
	if err != nil {
		return err
	}
	want := map[string]*compiled{}
	for _, ci := range cis {
		if ci.def.Active() && ci.def.Poll != nil && ci.schedule != nil {
			want[ci.key] = ci
		}
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.ctx == nil || ps.ctx.Err() != nil {
		return errNotStarted
	}
	for key, e := range ps.entries {
		if ci, ok := want[key]; !ok || ci.def.Poll.Schedule != e.spec {
			e.cancel()
			delete(ps.entries, key)
			ps.s.log.Info("poll schedule stopped", "integration", key, "schedule", e.spec)
		}
	}
	for key, ci := range want {
		if _, ok := ps.entries[key]; ok {
			continue
		}
		ctx, cancel := context.WithCancel(ps.ctx)
		spec := ci.def.Poll.Schedule
		ps.entries[key] = &pollEntry{spec: spec, cancel: cancel}
		ps.wg.Go(func() { ps.loop(ctx, key, spec, ci.schedule) })
		ps.s.log.Info("poll schedule started", "integration", key, "schedule", spec, "next", nextTick(ci.schedule, spec, time.Now()))
	}
	return nil
}

// loop enqueues the ticks of one schedule until ctx ends.
func (ps *pollSchedules) loop(ctx context.Context, key, spec string, sched cron.Schedule) {
	for {
		next := nextTick(sched, spec, time.Now())
		if next.IsZero() {
			return // a schedule that never fires again
		}
		t := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if err := ps.s.FireTick(ctx, key, next); err != nil && ctx.Err() == nil {
			ps.s.log.Error("enqueue poll tick", "integration", key, "tick", next, "error", err)
		}
	}
}

// FireTick enqueues the poll of integration key for tick (once, however
// many instances fire it).
func (s *Service) FireTick(ctx context.Context, key string, tick time.Time) error {
	tick = tick.UTC().Truncate(time.Second)
	return s.sched.Fire(ctx, "poll:"+key, KindPollTick, tick, tickPayload{Integration: key, Tick: tick})
}

// nextTick returns the schedule's first tick after now, the same instant
// on every instance.
func nextTick(sched cron.Schedule, spec string, now time.Time) time.Time {
	if rest, ok := strings.CutPrefix(strings.TrimSpace(spec), "@every "); ok {
		if d, err := time.ParseDuration(strings.TrimSpace(rest)); err == nil && d >= time.Second {
			return now.Truncate(d).Add(d)
		}
	}
	return sched.Next(now)
}
