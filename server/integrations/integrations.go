// Package integrations connects the api scenarios of procedures to
// business applications (seed 003, scenario 4):
//
//   - push: a change of a dossier (submission, entering a state) enqueues
//     a delivery job in the change's own transaction; the job sends the
//     dossier, mapped to JSON, signed, with an idempotency key that stays
//     the same across retries, retries network errors, timeouts, 5xx, 408
//     and 429 with backoff, and maps the answer back into the dossier;
//   - webhook: /hooks/{slug}.{id} verifies Standard Webhooks signatures,
//     refuses stale timestamps, applies a replayed message once, and
//     updates the dossier through the runtime in the transaction that
//     records the message's id;
//   - poll: each procedure's cron schedule enqueues one job per tick
//     across instances; the job polls every eligible dossier once, with a
//     bounded concurrency and rate, writing nothing for an unchanged
//     answer, and records the run for admins;
//   - secrets, encrypted at rest, and SSRF protection of every outgoing
//     connection.
//
// Admins see integrations, runs and dead deliveries, retry them and set
// secrets through JSON endpoints under /api/admin/integrations.
package integrations

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// Job kinds of the integrations.
const (
	KindPush      = "integration.push"
	KindPollTick  = "integration.poll"
	KindPollRetry = "integration.poll.retry"
	KindCleanup   = "integration.cleanup"
)

// Options configure the integrations.
type Options struct {
	// SecretKey is GUICHET_SECRET_KEY; when empty a development key is
	// kept in DataDir (see NewSecrets).
	SecretKey string
	DataDir   string
	Logger    *slog.Logger
	// RefreshEvery is how often the poll schedules are reloaded from the
	// published procedures (default 30 s).
	RefreshEvery time.Duration
	// PollTimeout bounds one poll run (default 15 min); a run cut short
	// goes on from where it stopped.
	PollTimeout time.Duration
}

// Service is the integrations of a Guichet instance.
type Service struct {
	db      *store.DB
	batch   *store.Batcher
	queue   *jobs.Queue
	sched   *jobs.Scheduler
	rt      *runtime.Engine
	log     *slog.Logger
	secrets *Secrets
	clients map[bool]*http.Client // by Internal
	opts    Options
	now     func() time.Time
	user    func(c *fiber.Ctx) *web.User // the signed-in staff member (set by Routes)

	mu       sync.Mutex
	compiled map[string]*compiled // by version ID; nil value: no integration
	reloaded time.Time            // last forced reload of the catalogue
	polls    *pollSchedules
}

// New returns the integrations of an instance and registers them: the
// job handlers on q, the hook on rt that enqueues pushes, and a daily
// cleanup on sched. Call before q starts; Start runs the poll schedules.
func New(db *store.DB, b *store.Batcher, q *jobs.Queue, sched *jobs.Scheduler, rt *runtime.Engine, opts Options) (*Service, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.RefreshEvery <= 0 {
		opts.RefreshEvery = 30 * time.Second
	}
	if opts.PollTimeout <= 0 {
		opts.PollTimeout = 15 * time.Minute
	}
	log := opts.Logger.With("component", "integrations")
	secrets, err := NewSecrets(db, opts.SecretKey, opts.DataDir, log)
	if err != nil {
		return nil, err
	}
	s := &Service{db: db, batch: b, queue: q, sched: sched, rt: rt, log: log, secrets: secrets, opts: opts,
		clients: map[bool]*http.Client{false: newClient(false), true: newClient(true)}, now: time.Now,
		compiled: map[string]*compiled{}}
	s.polls = newPollSchedules(s)
	noBackoff := func(int) time.Duration { return 0 } // handlers return RetryAfterError with the integration's policy
	q.Handle(KindPush, jobs.KindConfig{Handler: s.push, Timeout: 2 * builder.MaxIntegrationTimeout, Backoff: noBackoff})
	q.Handle(KindPollTick, jobs.KindConfig{Handler: s.pollTick, Timeout: opts.PollTimeout, Backoff: noBackoff})
	q.Handle(KindPollRetry, jobs.KindConfig{Handler: s.pollRetry, Timeout: opts.PollTimeout, Backoff: noBackoff})
	q.Handle(KindCleanup, jobs.KindConfig{Handler: s.cleanup, Timeout: 5 * time.Minute})
	if err := sched.Add("integrations-cleanup", "@daily", KindCleanup, func(time.Time) any { return struct{}{} }); err != nil {
		return nil, err
	}
	rt.SetIntegrationHook(s)
	return s, nil
}

// Secrets returns the secret store.
func (s *Service) Secrets() *Secrets { return s.secrets }

// Start runs the poll schedules until Stop.
func (s *Service) Start(ctx context.Context) { s.polls.start(ctx) }

// Stop stops the poll schedules (running polls are jobs: the queue's
// shutdown waits for them).
func (s *Service) Stop() { s.polls.stop() }

// compile returns the compiled integration of a version (cached), or nil.
func (s *Service) compile(c *runtime.Compiled) (*compiled, error) {
	// By version and slug: the key of a version's integration changes
	// when its procedure is renamed (runtime.Engine.Version).
	id := c.VersionID + "\x00" + c.Def.Slug
	s.mu.Lock()
	ci, ok := s.compiled[id]
	s.mu.Unlock()
	if ok {
		return ci, nil
	}
	ci, err := compileIntegration(c)
	if err != nil {
		return nil, fmt.Errorf("integration of %s v%d: %w", c.Def.Slug, c.Version, err)
	}
	s.mu.Lock()
	s.compiled[id] = ci
	s.mu.Unlock()
	return ci, nil
}

// sameIntegration reports whether key names the integration ci: its key,
// or its key under an old slug of its procedure (jobs enqueued before a
// rename carry the old key). The procedure is the dossier's, which the
// caller found ci from, so the integration's id is what tells.
func sameIntegration(key string, ci *compiled) bool {
	if key == ci.key {
		return true
	}
	_, id, ok := strings.Cut(key, ".")
	return ok && id == ci.def.ID
}

// canonicalKey returns the key of an integration whose procedure was
// renamed since key was given out (/hooks/{old}.{id}, jobs and schedules
// of the old key): the same id under the procedure's current slug.
func (s *Service) canonicalKey(ctx context.Context, key string) (string, bool) {
	slug, id, ok := strings.Cut(key, ".")
	if !ok {
		return "", false
	}
	to, err := s.rt.RenamedTo(ctx, slug)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("resolve an old slug", "slug", slug, "error", err)
		}
		return "", false
	}
	return builder.IntegrationKey(to, id), true
}

// ErrNoIntegration is returned for an integration key that no published
// procedure has, or whose integration is not active.
var ErrNoIntegration = errors.New("no active integration")

// current returns the integration key of the procedures' current
// versions, whether active or not.
func (s *Service) current(ctx context.Context, key string) (*compiled, error) {
	ci, err := s.currentKey(ctx, key)
	if !errors.Is(err, ErrNoIntegration) {
		return ci, err
	}
	// The key of a renamed procedure's old slug.
	if to, ok := s.canonicalKey(ctx, key); ok {
		return s.currentKey(ctx, to)
	}
	return nil, err
}

func (s *Service) currentKey(ctx context.Context, key string) (*compiled, error) {
	list, err := s.rt.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		if c.Online == nil || c.Online.Integration == nil ||
			builder.IntegrationKey(c.Def.Slug, c.Online.Integration.ID) != key {
			continue
		}
		return s.compile(c)
	}
	return nil, fmt.Errorf("integration %q: %w", key, ErrNoIntegration)
}

// active is current for an integration that must be active. The
// runtime's catalogue may lag a publication made on another instance by
// a moment: when the integration is not active there, it is reloaded
// (at most once a second) and looked up again, so that a tick or a
// webhook right after a publication is not lost.
func (s *Service) active(ctx context.Context, key string) (*compiled, error) {
	ci, err := s.activeCached(ctx, key)
	if !errors.Is(err, ErrNoIntegration) {
		return ci, err
	}
	s.mu.Lock()
	reload := time.Since(s.reloaded) >= time.Second
	if reload {
		s.reloaded = time.Now()
	}
	s.mu.Unlock()
	if !reload {
		return nil, err
	}
	s.rt.Invalidate()
	return s.activeCached(ctx, key)
}

func (s *Service) activeCached(ctx context.Context, key string) (*compiled, error) {
	ci, err := s.current(ctx, key)
	if err != nil {
		return nil, err
	}
	if !ci.def.Active() {
		return nil, fmt.Errorf("integration %q is disabled or has no URL in the current version of the procedure: %w", key, ErrNoIntegration)
	}
	return ci, nil
}

// all returns the integrations of the current versions.
func (s *Service) all(ctx context.Context) ([]*compiled, error) {
	list, err := s.rt.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	var out []*compiled
	for _, c := range list {
		ci, err := s.compile(c)
		if err != nil {
			s.log.Error("skip broken integration", "slug", c.Def.Slug, "error", err)
			continue
		}
		if ci != nil {
			out = append(out, ci)
		}
	}
	return out, nil
}

// cleanup forgets webhook deliveries after 30 days (their timestamps are
// long outside the replay window) and poll runs after 90 days.
func (s *Service) cleanup(ctx context.Context, _ *jobs.Job) error {
	now := s.now().UTC()
	if _, err := store.DeleteWebhookDeliveries(ctx, s.db.Write, now.Add(-30*24*time.Hour)); err != nil {
		return err
	}
	_, err := store.DeleteRuns(ctx, s.db.Write, now.Add(-90*24*time.Hour))
	return err
}
