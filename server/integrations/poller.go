package integrations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"golang.org/x/time/rate"
)

// poller polls the dossiers of one run with bounded concurrency and rate.
type poller struct {
	s       *Service
	ci      *compiled
	c       *conn
	runID   string
	log     *slog.Logger
	limiter *rate.Limiter
	workers int
	// downAfter retryable failures in a row stop the run: the business
	// application is down, and hammering it helps nobody.
	downAfter int32
	inARow    atomic.Int32
	logged    atomic.Int32
}

func newPoller(s *Service, ci *compiled, c *conn, runID string, log *slog.Logger) *poller {
	workers, perSecond := ci.def.Poll.Limits()
	return &poller{s: s, ci: ci, c: c, runID: runID, log: log, workers: workers,
		limiter:   rate.NewLimiter(rate.Limit(perSecond), workers),
		downAfter: int32(max(10, 2*workers))}
}

// pageResult sums up the polls of a page.
type pageResult struct {
	polled, changed, errors int
	retry                   []string // dossiers whose poll failed with a retryable error
	lastErr                 string
	aborted                 error // the page stopped: the business application is down, or time is up
}

// pollResult is the outcome of one dossier's poll.
type pollResult struct {
	changed   bool
	err       error
	retryable bool
}

// errDown stops a page.
type errDown struct{ last error }

func (e *errDown) Error() string {
	return fmt.Sprintf("the business application seems down (failures in a row); last error: %v", e.last)
}
func (e *errDown) Unwrap() error { return e.last }

// page polls ds with the poller's workers.
func (p *poller) page(ctx context.Context, ds []*store.Dossier) pageResult {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	results := make([]pollResult, len(ds))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for range min(p.workers, len(ds)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(ds); i = int(next.Add(1) - 1) {
				if err := p.limiter.Wait(ctx); err != nil {
					return
				}
				r := p.one(ctx, ds[i])
				results[i] = r
				done.Add(1)
				switch {
				case r.err == nil:
					p.inARow.Store(0)
				case r.retryable && ctx.Err() == nil:
					if p.inARow.Add(1) >= p.downAfter {
						cancel(&errDown{last: r.err})
					}
				}
			}
		})
	}
	wg.Wait()
	var res pageResult
	if err := context.Cause(ctx); err != nil {
		res.aborted = err
		return res
	}
	if int(done.Load()) < len(ds) { // the rate limiter saw the deadline coming
		res.aborted = errors.New("the run ran out of time")
		return res
	}
	for i, r := range results {
		res.polled++
		if r.changed {
			res.changed++
		}
		if r.err != nil {
			res.errors++
			res.lastErr = fmt.Sprintf("%s: %v", ds[i].Reference, r.err)
			if r.retryable {
				res.retry = append(res.retry, ds[i].ID)
			}
			if p.logged.Add(1) <= 5 {
				p.log.Warn("poll of a dossier failed", "reference", ds[i].Reference, "error", r.err, "retry", r.retryable)
			}
		}
	}
	return res
}

// one polls a dossier and applies the answer; an answer that changes
// nothing writes nothing.
func (p *poller) one(ctx context.Context, d *store.Dossier) pollResult {
	poll := p.ci.def.Poll
	url := joinURL(p.c.def.URL, builder.ExpandPath(poll.Path, pathValues(d)))
	a, err := p.c.request(ctx, "GET", url, nil, "poll_"+p.runID+"_"+d.ID)
	if err != nil {
		var ce *CallError
		return pollResult{err: err, retryable: errors.As(err, &ce) && ce.Retryable}
	}
	response, err := pollAnswer(url, a)
	if err != nil {
		return pollResult{err: err, retryable: true}
	}
	var data map[string]any
	if err := json.Unmarshal(d.Data, &data); err != nil {
		return pollResult{err: fmt.Errorf("dossier data: %v", err)}
	}
	mapOn := func(d *store.Dossier, data map[string]any) (runtime.IntegrationUpdate, error) {
		e := env(d, data, p.s.now())
		e.Response, e.Status = response, a.status
		return p.ci.poll.eval(e)
	}
	upd, err := mapOn(d, data)
	if err != nil {
		return pollResult{err: err}
	}
	changes, err := p.s.rt.IntegrationUpdateChanges(ctx, d, data, upd)
	if err != nil {
		return pollResult{err: err, retryable: true}
	}
	if !changes {
		return pollResult{}
	}
	changed, err := p.s.rt.ApplyIntegrationUpdate(ctx, d.ID, runtime.IntegrationChange{
		Integration: p.ci.key, Source: "poll", Delivery: p.runID, Map: mapOn})
	if err != nil {
		var me *MappingError
		var ve *forms.ValidationError
		var ae *runtime.ActionError
		return pollResult{err: err, retryable: !errors.As(err, &me) && !errors.As(err, &ve) && !errors.As(err, &ae)}
	}
	return pollResult{changed: changed}
}

// pollAnswer decodes the JSON answer of a poll; one that is not JSON is
// a retryable *CallError.
func pollAnswer(url string, a *answer) (any, error) {
	var response any
	if err := json.Unmarshal(a.body, &response); err != nil {
		return nil, &CallError{Status: a.status, Retryable: true,
			Msg: fmt.Sprintf("GET %s: the answer %d is not valid JSON (%v): %s", url, a.status, err, a.quote())}
	}
	return response, nil
}
