package integrations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// tickPayload is the payload of an integration.poll job: one tick of an
// integration's schedule.
type tickPayload struct {
	Integration string    `json:"integration"`
	Tick        time.Time `json:"tick"`
}

// retryPayload is the payload of an integration.poll.retry job: poll the
// dossiers of a run that failed with a retryable error again.
type retryPayload struct {
	Integration string `json:"integration"`
	RunID       string `json:"run_id"`
}

// pageSize is how many dossiers a run reads, polls and records at once.
const pageSize = 500

// pollTick runs one tick of a poll schedule. The tick's job is unique
// across instances, and its run row (unique per integration and tick)
// records how far it got: a run cut short (timeout, crash, business
// application down) goes on from there when its job is retried, so each
// eligible dossier is polled once per tick (a page in flight when an
// instance dies is polled again). A tick that comes while the previous
// run is still going is skipped and recorded as such.
func (s *Service) pollTick(ctx context.Context, j *jobs.Job) error {
	var p tickPayload
	if err := j.Decode(&p); err != nil {
		return permanent(fmt.Errorf("payload: %v", err))
	}
	ci, err := s.active(ctx, p.Integration)
	if err != nil || ci.def.Poll == nil {
		s.log.Info("poll tick of an integration that no longer polls: nothing to do", "integration", p.Integration, "tick", p.Tick)
		return nil
	}
	now := s.now().UTC()
	var run *store.IntegrationRun
	var created bool
	err = s.batch.Do(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		// Under the current key: a tick fired under the old key of a
		// renamed procedure is the same run.
		run, created, err = store.ClaimRun(ctx, tx, &store.IntegrationRun{ID: store.NewID(), Integration: ci.key,
			ProcedureID: ci.procedureID, Tick: p.Tick, Status: store.RunRunning, StartedAt: now, UpdatedAt: now})
		return err
	})
	if err != nil {
		return retryLater(ci.def, j.Attempts, err)
	}
	if run.Status == store.RunDone || run.Status == store.RunSkipped {
		return nil
	}
	if created {
		prev, err := store.RunningRun(ctx, s.db.Read, ci.key, p.Tick, now.Add(-s.opts.PollTimeout-time.Minute))
		if err == nil {
			msg := fmt.Sprintf("skipped: the run of %s was still going (is the schedule too tight, or the business application slow?)",
				prev.Tick.Format(time.RFC3339))
			run.Status, run.LastError, run.FinishedAt = store.RunSkipped, &msg, &now
			s.log.Warn("poll tick skipped", "integration", p.Integration, "tick", p.Tick, "running_tick", prev.Tick)
			return s.saveRun(ctx, run, nil)
		}
	}
	return s.runPoll(ctx, j, ci, run)
}

// runPoll polls the eligible dossiers of a run, page by page from where
// the run stopped, recording its progress after each page.
func (s *Service) runPoll(ctx context.Context, j *jobs.Job, ci *compiled, run *store.IntegrationRun) error {
	start := time.Now()
	log := s.log.With("integration", ci.key, "tick", run.Tick, "run_id", run.ID, "attempt", j.Attempts)
	run.Attempts++
	run.Status = store.RunRunning
	c, err := s.connect(ctx, ci)
	if err != nil {
		return s.stopRun(ctx, j, ci, run, log, permanent(err))
	}
	p := newPoller(s, ci, c, run.ID, log)
	failed := decodeIDs(run.Failed)
	for {
		ds, err := s.eligible(ctx, ci, run.AfterID, nil)
		if err != nil {
			return s.stopRun(ctx, j, ci, run, log, retryLater(ci.def, j.Attempts, err))
		}
		if len(ds) == 0 {
			break
		}
		res := p.page(ctx, ds)
		if res.aborted != nil {
			return s.stopRun(ctx, j, ci, run, log, retryLater(ci.def, j.Attempts, res.aborted))
		}
		run.Dossiers += res.polled
		run.Changed += res.changed
		run.Errors += res.errors
		if res.lastErr != "" {
			run.LastError = &res.lastErr
		}
		failed = append(failed, res.retry...)
		run.AfterID = ds[len(ds)-1].ID
		run.Failed = encodeIDs(failed)
		if len(ds) < pageSize {
			break
		}
		if err := s.saveRun(ctx, run, nil); err != nil {
			return retryLater(ci.def, j.Attempts, err)
		}
	}
	now := s.now().UTC()
	run.Status, run.FinishedAt = store.RunDone, &now
	var retry *jobs.Job
	if len(failed) > 0 {
		retry, _ = jobs.New(KindPollRetry, retryPayload{Integration: ci.key, RunID: run.ID})
		retry.MaxAttempts, _, _ = ci.def.Retries()
		retry.RunAt = now.Add(backoff(ci.def, 1))
	}
	if err := s.saveRun(ctx, run, retry); err != nil {
		return retryLater(ci.def, j.Attempts, err)
	}
	log.Info("poll run done", "dossiers", run.Dossiers, "changed", run.Changed, "errors", run.Errors,
		"to_retry", len(failed), "duration_ms", time.Since(start).Milliseconds())
	return nil
}

// stopRun records a run that stopped before its end and returns err for
// the job queue (which retries it, or keeps it as dead).
func (s *Service) stopRun(ctx context.Context, j *jobs.Job, ci *compiled, run *store.IntegrationRun, log *slog.Logger, err error) error {
	msg := err.Error()
	run.Status, run.LastError = store.RunFailed, &msg
	log.Warn("poll run stopped", "error", err, "dossiers", run.Dossiers, "will_retry", !errors.Is(err, jobs.ErrPermanent) && j.Attempts < j.MaxAttempts)
	if serr := s.saveRun(context.WithoutCancel(ctx), run, nil); serr != nil {
		log.Error("record poll run", "error", serr)
	}
	return err
}

// pollRetry polls again the dossiers of a run that failed with a
// retryable error, until they succeed or the job's attempts run out.
func (s *Service) pollRetry(ctx context.Context, j *jobs.Job) error {
	var p retryPayload
	if err := j.Decode(&p); err != nil {
		return permanent(fmt.Errorf("payload: %v", err))
	}
	ci, err := s.active(ctx, p.Integration)
	if err != nil || ci.def.Poll == nil {
		return nil // no longer polled
	}
	run, err := store.RunByID(ctx, s.db.Read, p.RunID)
	if err != nil {
		return permanent(err)
	}
	ids := decodeIDs(run.Failed)
	if len(ids) == 0 {
		return nil
	}
	log := s.log.With("integration", ci.key, "tick", run.Tick, "run_id", run.ID, "attempt", j.Attempts)
	c, err := s.connect(ctx, ci)
	if err != nil {
		return permanent(err)
	}
	ds, err := s.eligible(ctx, ci, "", ids)
	if err != nil {
		return retryLater(ci.def, j.Attempts, err)
	}
	res := newPoller(s, ci, c, run.ID, log).page(ctx, ds)
	if res.aborted != nil {
		return retryLater(ci.def, j.Attempts, res.aborted)
	}
	run.Changed += res.changed
	run.Errors += res.errors - len(ids)
	run.Failed = encodeIDs(res.retry)
	if res.lastErr != "" {
		run.LastError = &res.lastErr
	}
	run.UpdatedAt = s.now().UTC()
	if err := s.saveRun(ctx, run, nil); err != nil {
		return retryLater(ci.def, j.Attempts, err)
	}
	log.Info("poll retry done", "dossiers", len(ds), "changed", res.changed, "still_failing", len(res.retry))
	if len(res.retry) > 0 {
		return retryLater(ci.def, j.Attempts, fmt.Errorf("%d dossiers still fail: %s", len(res.retry), res.lastErr))
	}
	return nil
}

// saveRun records a run's progress and, in the same transaction, a job.
func (s *Service) saveRun(ctx context.Context, run *store.IntegrationRun, j *jobs.Job) error {
	run.UpdatedAt = s.now().UTC()
	err := s.batch.Do(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := store.SaveRun(ctx, tx, run); err != nil {
			return err
		}
		if j != nil {
			return jobs.Enqueue(ctx, tx, j)
		}
		return nil
	})
	if err == nil && j != nil {
		s.queue.Notify()
	}
	return err
}

// eligible returns the next page of dossiers to poll after the ID after,
// or, when ids is set, those of ids still eligible: the dossiers of the
// procedure not closed (or in the poll's states), with an external id
// when the path needs one.
func (s *Service) eligible(ctx context.Context, ci *compiled, after string, ids []string) ([]*store.Dossier, error) {
	poll := ci.def.Poll
	var ds []*store.Dossier
	q := s.db.Read.NewSelect().Model(&ds).Where("procedure_id = ?", ci.procedureID)
	if ids != nil {
		q = q.Where("id IN (?)", bun.In(ids))
	} else {
		q = q.Where("id > ?", after).Limit(pageSize)
	}
	if len(poll.States) > 0 {
		q = q.Where("state IN (?)", bun.In(poll.States))
	} else {
		q = q.Where("closed_at IS NULL")
	}
	if builder.UsesPlaceholder(poll.Path, "external_id") {
		q = q.Where("external_id IS NOT NULL")
	}
	return ds, q.Order("id").Scan(ctx)
}

func decodeIDs(raw json.RawMessage) []string {
	var ids []string
	_ = json.Unmarshal(raw, &ids)
	return ids
}

func encodeIDs(ids []string) json.RawMessage {
	if len(ids) == 0 {
		return nil
	}
	b, _ := json.Marshal(ids)
	return b
}
