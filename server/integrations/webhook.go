package integrations

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// MaxWebhookBytes bounds a webhook's body.
const MaxWebhookBytes = 1 << 20

// errReplayed rolls back the update of a message whose id another request
// recorded first.
var errReplayed = errors.New("webhook already applied")

// webhookResult is the answer to an accepted webhook.
type webhookResult struct {
	// Status is "applied" (the dossier changed), "unchanged" (the message
	// was valid and described the dossier as it already is) or
	// "duplicate" (this webhook-id was applied before: nothing done).
	Status    string `json:"status"`
	Dossier   string `json:"dossier,omitempty"` // its reference
	WebhookID string `json:"webhook_id"`
}

// receiveWebhook handles POST /hooks/:integration. It answers 401 to a
// bad signature or a timestamp outside the window, 400 to a body that is
// not JSON, 404 when the integration or the dossier is unknown, 422 when
// the mapping fails on the payload (nothing is changed), and 200 once the
// update and the message's id are committed together. A replayed id
// answers 200 "duplicate" and changes nothing.
func (s *Service) receiveWebhook(c *fiber.Ctx) error {
	start := time.Now()
	ctx := c.UserContext()
	key := c.Params("integration")
	ci, err := s.active(ctx, key)
	if err != nil || ci.def.Webhook == nil {
		return problem(http.StatusNotFound, "there is no active integration %q with a webhook", key)
	}
	log := s.log.With("integration", key, "webhook_id", c.Get(HeaderID), "request_id", c.Locals("requestid"))
	if len(c.Body()) > MaxWebhookBytes {
		return problem(http.StatusRequestEntityTooLarge, "a webhook body is at most %d bytes", MaxWebhookBytes)
	}
	body := bytes.Clone(c.Body()) // fiber reuses its buffers
	id := c.Get(HeaderID)
	secret, err := s.secrets.Get(ctx, ci.def.Webhook.Secret)
	if err != nil {
		log.Error("webhook secret unavailable", "error", err)
		return problem(http.StatusServiceUnavailable, "this webhook is not configured yet (its secret is not set): try again later")
	}
	if err := Verify(secret, id, c.Get(HeaderTimestamp), c.Get(HeaderSignature), body, s.now()); err != nil {
		log.Warn("webhook refused", "reason", err.Error(), "remote_ip", c.IP())
		return problem(http.StatusUnauthorized, "%s", err.Error())
	}
	if len(id) > 200 {
		return problem(http.StatusBadRequest, "webhook-id is longer than 200 characters")
	}
	// Deliveries are recorded under the integration's current key; those
	// received before a rename of its procedure are under an old key
	// (/hooks/{old slug}.{id}). A replay to any of its addresses is found.
	key = ci.key
	keys, err := s.keys(ctx, s.db.Read, ci)
	if err != nil {
		return err
	}
	if dup, err := replayed(ctx, s.db.Read, keys, id); err != nil {
		return err
	} else if dup {
		log.Info("webhook replayed: already applied")
		return c.JSON(webhookResult{Status: "duplicate", WebhookID: id})
	}
	var payload any
	if err := json.Unmarshal(body, &payload); err != nil {
		return problem(http.StatusBadRequest, "the body is not valid JSON: %v", err)
	}
	d, err := s.webhookDossier(ctx, ci, payload)
	if err != nil {
		log.Warn("webhook refused", "reason", err.Error())
		return err
	}
	changed, err := s.rt.ApplyIntegrationUpdate(ctx, d.ID, runtime.IntegrationChange{
		Integration: key, Source: "webhook", Delivery: id,
		Map: func(d *store.Dossier, data map[string]any) (runtime.IntegrationUpdate, error) {
			e := env(d, data, s.now())
			e.Payload = payload
			return ci.webhook.eval(e)
		},
		Also: func(ctx context.Context, tx bun.Tx, d *store.Dossier, changed bool) error {
			// Recorded since the check above, under an old key.
			if dup, err := replayed(ctx, tx, keys, id); err != nil {
				return err
			} else if dup {
				return errReplayed
			}
			ok, err := store.RecordWebhookDelivery(ctx, tx, &store.WebhookDelivery{Integration: key, WebhookID: id,
				DossierID: d.ID, Changed: changed, ReceivedAt: s.now().UTC()})
			if err == nil && !ok {
				return errReplayed
			}
			return err
		},
	})
	switch {
	case errors.Is(err, errReplayed):
		log.Info("webhook replayed concurrently: already applied")
		return c.JSON(webhookResult{Status: "duplicate", Dossier: d.Reference, WebhookID: id})
	case err != nil:
		log.Warn("webhook not applied", "reference", d.Reference, "error", err)
		return mappingProblem(err)
	}
	res := webhookResult{Status: "unchanged", Dossier: d.Reference, WebhookID: id}
	if changed {
		res.Status = "applied"
	}
	log.Info("webhook received", "reference", d.Reference, "status", res.Status, "duration_ms", time.Since(start).Milliseconds())
	return c.JSON(res)
}

// keys returns the keys of integration ci: its current key, then its keys
// under the old slugs of its procedure (a rename keeps the integration:
// webhook deliveries, runs and jobs recorded before it are under the old
// key).
func (s *Service) keys(ctx context.Context, db bun.IDB, ci *compiled) ([]string, error) {
	aliases, err := store.ProcedureAliases(ctx, db, ci.procedureID)
	if err != nil {
		return nil, fmt.Errorf("keys of %s: %w", ci.key, err)
	}
	keys := []string{ci.key}
	for _, a := range aliases {
		if k := builder.IntegrationKey(a, ci.def.ID); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// replayed reports whether the webhook id was recorded under one of keys.
func replayed(ctx context.Context, db bun.IDB, keys []string, id string) (bool, error) {
	return db.NewSelect().Model((*store.WebhookDelivery)(nil)).
		Where("integration IN (?) AND webhook_id = ?", bun.In(keys), id).Exists(ctx)
}

// webhookDossier finds the dossier a payload is about.
func (s *Service) webhookDossier(ctx context.Context, ci *compiled, payload any) (*store.Dossier, error) {
	w := ci.def.Webhook
	path := ci.path + ".webhook.dossier.value"
	v, err := run(ci.match, builder.IntegrationEnv{Payload: payload, Now: s.now()}, path)
	if err != nil {
		return nil, mappingProblem(err)
	}
	ref, err := text(v, path, 200)
	if err != nil {
		return nil, mappingProblem(err)
	}
	if ref == "" {
		return nil, mappingProblem(&MappingError{Path: path, Err: fmt.Errorf("gave no %s: the payload does not name its dossier", w.Dossier.By)})
	}
	var d *store.Dossier
	if w.Dossier.By == builder.MatchReference {
		d, err = store.DossierByReference(ctx, s.db.Read, ci.procedureID, ref)
	} else {
		d, err = store.DossierByExternalID(ctx, s.db.Read, ci.procedureID, ref)
	}
	if errors.Is(err, store.ErrNotFound) {
		return nil, problem(http.StatusNotFound, "no dossier of this procedure has the %s %q", w.Dossier.By, ref)
	}
	return d, err
}

// problem returns an RFC 9457 problem for the error handler.
func problem(status int, format string, args ...any) error {
	return &httpx.ProblemError{Problem: httpx.Problem{Status: status, Detail: fmt.Sprintf(format, args...)}}
}

// mappingProblem turns a mapping failure into a 422 problem that says
// which mapping of the definition failed; other errors pass through (a
// *forms.ValidationError is a 422 with the fields' pointers).
func mappingProblem(err error) error {
	var me *MappingError
	if !errors.As(err, &me) {
		return err
	}
	return &httpx.ProblemError{Problem: httpx.Problem{
		Status: http.StatusUnprocessableEntity,
		Detail: "the payload does not fit the integration's mapping: nothing was changed",
		Errors: []httpx.FieldProblem{{Path: me.Path, Detail: me.Err.Error()}},
	}}
}
