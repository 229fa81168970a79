package integrations

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// PushPayload is the payload of an integration.push job: one delivery of
// a dossier to its business application.
type PushPayload struct {
	// DeliveryID is the delivery's Standard Webhooks webhook-id and its
	// Idempotency-Key, the same across retries.
	DeliveryID  string `json:"delivery_id"`
	Integration string `json:"integration"` // key, slug.id
	DossierID   string `json:"dossier_id"`
	Event       string `json:"event"`
	State       string `json:"state,omitempty"`
}

var _ runtime.IntegrationHook = (*Service)(nil)

// DossierEvent enqueues a push when the integration of the dossier's
// version is active and pushes on ev. It runs in the change's
// transaction: the job is written with the change.
func (s *Service) DossierEvent(_ context.Context, c *runtime.Compiled, d *store.Dossier, ev builder.ExprEvent) ([]*jobs.Job, error) {
	if c.Online == nil {
		return nil, nil
	}
	in := c.Online.Integration
	if !in.Active() || in.Push == nil || !in.Push.Fires(ev.Name, ev.State) {
		return nil, nil
	}
	p := PushPayload{DeliveryID: "msg_" + strings.ReplaceAll(store.NewID(), "-", ""), Integration: builder.IntegrationKey(c.Def.Slug, in.ID),
		DossierID: d.ID, Event: ev.Name, State: ev.State}
	j, err := jobs.New(KindPush, p)
	if err != nil {
		return nil, err
	}
	j.MaxAttempts, _, _ = in.Retries()
	return []*jobs.Job{j}, nil
}

// push is the handler of integration.push jobs.
func (s *Service) push(ctx context.Context, j *jobs.Job) error {
	var p PushPayload
	if err := j.Decode(&p); err != nil {
		return permanent(fmt.Errorf("payload: %v", err))
	}
	log := s.log.With("integration", p.Integration, "delivery_id", p.DeliveryID, "dossier_id", p.DossierID, "attempt", j.Attempts)
	d, err := store.DossierByID(ctx, s.db.Read, p.DossierID)
	if errors.Is(err, store.ErrNotFound) {
		return permanent(fmt.Errorf("dossier %s no longer exists", p.DossierID))
	} else if err != nil {
		return err
	}
	log = log.With("reference", d.Reference)
	pinned, err := s.versionIntegration(ctx, d.VersionID)
	if err != nil {
		return permanent(err)
	}
	if pinned == nil || !sameIntegration(p.Integration, pinned) || pinned.def.Push == nil {
		return permanent(fmt.Errorf("the version of dossier %s has no push for integration %s", d.Reference, p.Integration))
	}
	cur, err := s.connection(ctx, pinned)
	if err != nil {
		return permanent(fmt.Errorf("%w; publish it with a URL, then retry", err))
	}
	if wait, err := s.earlierDelivery(ctx, j, p); err != nil {
		return err
	} else if wait != "" {
		log.Info("push waits for an earlier delivery of the dossier", "earlier_job", wait)
		return s.postpone(ctx, j, cur.def, fmt.Errorf("waiting for the earlier delivery %s of this dossier", wait))
	}
	var data map[string]any
	if err := json.Unmarshal(d.Data, &data); err != nil {
		return permanent(fmt.Errorf("dossier data: %v", err))
	}
	e := env(d, data, s.now())
	e.Event = builder.IntegrationEvent{Name: p.Event, State: p.State}
	v, err := run(pinned.pushBody, e, pinned.path+".push.body")
	if err != nil {
		return permanent(err)
	}
	body, err := json.Marshal(v)
	if err != nil {
		return permanent(&MappingError{Path: pinned.path + ".push.body", Err: fmt.Errorf("gave a value that is not JSON: %v", err)})
	}
	push := pinned.def.Push
	if builder.UsesPlaceholder(push.Path, "external_id") && e.ExternalID == "" {
		// The push that creates the dossier over there has not been
		// answered yet.
		return retryLater(cur.def, j.Attempts, fmt.Errorf("dossier %s has no external id yet, which %s needs", d.Reference, push.Path))
	}
	url := joinURL(cur.def.URL, builder.ExpandPath(push.Path, pathValues(d)))
	method := push.Method
	if method == "" {
		method = "POST"
	}
	c, err := s.connect(ctx, cur)
	if err != nil {
		return permanent(err)
	}
	a, err := c.request(ctx, method, url, body, p.DeliveryID)
	if err != nil {
		var ce *CallError
		retry := errors.As(err, &ce) && ce.Retryable
		log.Warn("push failed", "url", url, "error", err, "retry", retry && j.Attempts < j.MaxAttempts)
		if retry {
			return retryLater(cur.def, j.Attempts, err)
		}
		return permanent(err)
	}
	log.Info("pushed", "url", url, "status", a.status, "duration_ms", a.duration.Milliseconds())
	return s.pushed(ctx, j, p, pinned, cur, d, a)
}

// pushed records an accepted delivery on the dossier's timeline and maps
// the answer back into the dossier, in one transaction.
func (s *Service) pushed(ctx context.Context, j *jobs.Job, p PushPayload, pinned, cur *compiled, d *store.Dossier, a *answer) error {
	details, _ := json.Marshal(map[string]any{"integration": p.Integration, "delivery": p.DeliveryID, "status": a.status,
		"event": p.Event, "state": p.State, "attempt": j.Attempts})
	ev := &store.Event{ID: store.NewID(), DossierID: d.ID, At: s.now().UTC(), Kind: store.EventIntegrationPushed,
		Actor: "integration:" + p.Integration, Details: details}
	if pinned.pushResponse == nil {
		return s.batch.Do(ctx, func(ctx context.Context, tx bun.Tx) error { return store.InsertEvents(ctx, tx, []*store.Event{ev}) })
	}
	response, err := pushAnswer(a)
	if err != nil {
		// Sent again with the same idempotency key, the delivery gives
		// the application a chance to answer properly.
		return retryLater(cur.def, j.Attempts, err)
	}
	_, err = s.rt.ApplyIntegrationUpdate(ctx, d.ID, runtime.IntegrationChange{
		Integration: p.Integration, Source: "push", Delivery: p.DeliveryID,
		Map: func(d *store.Dossier, data map[string]any) (runtime.IntegrationUpdate, error) {
			e := env(d, data, s.now())
			e.Event, e.Response, e.Status = builder.IntegrationEvent{Name: p.Event, State: p.State}, response, a.status
			return pinned.pushResponse.eval(e)
		},
		Also: func(ctx context.Context, tx bun.Tx, _ *store.Dossier, _ bool) error {
			return store.InsertEvents(ctx, tx, []*store.Event{ev})
		},
	})
	var me *MappingError
	if errors.As(err, &me) {
		return permanent(err)
	}
	if err != nil {
		var ae *runtime.ActionError
		if errors.As(err, &ae) { // a rule of the pipeline refused: retrying does not help
			return permanent(fmt.Errorf("applying the answer: %w", err))
		}
		return fmt.Errorf("applying the answer: %w", err)
	}
	return nil
}

// pushAnswer decodes the answer of a push that has a response mapping:
// its JSON body, or nil when empty; a body that is not JSON is a
// retryable *CallError.
func pushAnswer(a *answer) (any, error) {
	var response any
	if len(strings.TrimSpace(string(a.body))) > 0 {
		if err := json.Unmarshal(a.body, &response); err != nil {
			return nil, &CallError{Status: a.status, Retryable: true,
				Msg: fmt.Sprintf("the answer %d is not valid JSON (%v): %s", a.status, err, a.quote())}
		}
	}
	return response, nil
}

// connection returns the integration whose connection settings a
// delivery uses: the procedure's current version's, or the dossier's own
// version's when that is newer than what the (cached) catalogue says is
// current, as right after a publication.
func (s *Service) connection(ctx context.Context, pinned *compiled) (*compiled, error) {
	cur, err := s.current(ctx, pinned.key)
	if err != nil && !errors.Is(err, ErrNoIntegration) {
		return nil, err
	}
	if cur == nil || cur.version.Version < pinned.version.Version {
		cur = pinned
	}
	if !cur.def.Active() {
		return nil, fmt.Errorf("integration %q is disabled or has no URL in version %d of the procedure: %w",
			cur.key, cur.version.Version, ErrNoIntegration)
	}
	return cur, nil
}

// versionIntegration returns the compiled integration of a version.
func (s *Service) versionIntegration(ctx context.Context, versionID string) (*compiled, error) {
	c, err := s.rt.Version(ctx, versionID)
	if err != nil {
		return nil, err
	}
	return s.compile(c)
}

// earlierDelivery returns the ID of an earlier push of the same dossier
// and integration still waiting or running, so that deliveries of one
// dossier arrive in order (its creation before its updates).
func (s *Service) earlierDelivery(ctx context.Context, j *jobs.Job, p PushPayload) (string, error) {
	field := "json_extract(payload, '$.dossier_id')"
	if s.db.IsPostgres() {
		field = "payload->>'dossier_id'"
	}
	var ids []string
	err := s.db.Read.NewSelect().Model((*jobs.Job)(nil)).Column("id").
		Where("kind = ? AND status IN (?, ?) AND id < ?", KindPush, jobs.StatusAvailable, jobs.StatusRunning, j.ID).
		Where("? = ?", bun.Safe(field), p.DossierID).Order("id").Limit(1).Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return "", err
	}
	return ids[0], nil
}

// postpone asks for a later attempt without spending one: waiting for an
// earlier delivery is not a failure of this one. (The queue counts an
// attempt when it claims a job; this gives it back.)
func (s *Service) postpone(ctx context.Context, j *jobs.Job, in *builder.Integration, err error) error {
	_, uerr := s.db.Write.NewUpdate().Model((*jobs.Job)(nil)).Set("attempts = attempts - 1").
		Where("id = ? AND attempts > 0", j.ID).Exec(ctx)
	if uerr != nil {
		return uerr
	}
	j.Attempts-- // the queue decides on this copy whether the job is dead
	_, initial, _ := in.Retries()
	return &jobs.RetryAfterError{After: min(initial, 5*time.Second), Err: err}
}

// pathValues are the placeholders of push and poll paths.
func pathValues(d *store.Dossier) map[string]string {
	v := map[string]string{"reference": d.Reference, "dossier_id": d.ID}
	if d.ExternalID != nil {
		v["external_id"] = *d.ExternalID
	}
	return v
}

// joinURL appends a path to the integration's base URL.
func joinURL(base, path string) string {
	return strings.TrimRight(base, "/") + path
}
