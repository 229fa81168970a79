package integrations

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// integrationView is an integration as admins see it.
type integrationView struct {
	Key        string                `json:"key"`
	Procedure  string                `json:"procedure"`
	Version    int                   `json:"version"`
	Label      string                `json:"label,omitempty"`
	Active     bool                  `json:"active"`
	Status     string                `json:"status"` // active, disabled, no-url
	URL        string                `json:"url"`
	Internal   bool                  `json:"internal"`
	WebhookURL string                `json:"webhook_url,omitempty"`
	Push       []builder.PushTrigger `json:"push,omitempty"`
	Poll       *pollView             `json:"poll,omitempty"`
	Secrets    []secretStatus        `json:"secrets"`
	Jobs       map[string]int        `json:"jobs"` // deliveries and polls by status
	LastRun    *store.IntegrationRun `json:"last_run,omitempty"`
}

type pollView struct {
	Schedule string    `json:"schedule"`
	Next     time.Time `json:"next,omitzero"`
}

type secretStatus struct {
	Name     string `json:"name"`
	Use      string `json:"use"` // auth, webhook
	Set      bool   `json:"set"`
	Masked   string `json:"masked,omitempty"`
	Readable bool   `json:"readable"`
}

func (s *Service) view(ctx context.Context, ci *compiled) (integrationView, error) {
	in := ci.def
	v := integrationView{Key: ci.key, Procedure: ci.version.Def.Slug, Version: ci.version.Version, Label: in.Label,
		Active: in.Active(), URL: in.URL, Internal: in.Internal, Status: "active", Secrets: []secretStatus{}}
	switch {
	case !in.Enabled:
		v.Status = "disabled"
	case strings.TrimSpace(in.URL) == "":
		v.Status = "no-url"
	}
	if in.Webhook != nil {
		v.WebhookURL = strings.TrimRight(s.rt.BaseURL, "/") + "/hooks/" + ci.key
	}
	if in.Push != nil {
		v.Push = in.Push.On
	}
	if in.Poll != nil {
		v.Poll = &pollView{Schedule: in.Poll.Schedule}
		if ci.schedule != nil && v.Active {
			v.Poll.Next = nextTick(ci.schedule, in.Poll.Schedule, s.now())
		}
	}
	secrets, err := s.secrets.List(ctx)
	if err != nil {
		return v, err
	}
	addSecret := func(name, use string) {
		st := secretStatus{Name: name, Use: use}
		if i := slices.IndexFunc(secrets, func(sv SecretView) bool { return sv.Name == name }); i >= 0 {
			st.Set, st.Masked, st.Readable = true, secrets[i].Masked, secrets[i].Readable
		}
		v.Secrets = append(v.Secrets, st)
	}
	if a := in.Auth; a != nil && a.Secret != "" {
		addSecret(a.Secret, "auth")
	}
	if in.Webhook != nil {
		addSecret(in.Webhook.Secret, "webhook")
	}
	keys, err := s.keys(ctx, s.db.Read, ci)
	if err != nil {
		return v, err
	}
	if v.Jobs, err = s.jobCounts(ctx, keys); err != nil {
		return v, err
	}
	if runs, err := s.runs(ctx, keys, 1); err == nil && len(runs) > 0 {
		v.LastRun = &runs[0]
	}
	return v, nil
}

func (s *Service) listIntegrations(c *fiber.Ctx) error {
	cis, err := s.all(c.UserContext())
	if err != nil {
		return err
	}
	out := []integrationView{}
	for _, ci := range cis {
		v, err := s.view(c.UserContext(), ci)
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	return c.JSON(fiber.Map{"integrations": out})
}

func (s *Service) showIntegration(c *fiber.Ctx) error {
	ctx := c.UserContext()
	ci, err := s.current(ctx, c.Params("key"))
	if err != nil {
		return store.ErrNotFound
	}
	v, err := s.view(ctx, ci)
	if err != nil {
		return err
	}
	keys, err := s.keys(ctx, s.db.Read, ci)
	if err != nil {
		return err
	}
	runs, err := s.runs(ctx, keys, 20)
	if err != nil {
		return err
	}
	dead, err := s.deliveries(ctx, keys, jobs.StatusDead, 50)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"integration": v, "runs": runs, "dead": dead})
}

// keysOf returns the keys whose activity is that of the integration key:
// those of its integration (its current key and its keys under the old
// slugs of its procedure), or key alone when no current version has it.
func (s *Service) keysOf(ctx context.Context, key string) ([]string, error) {
	ci, err := s.current(ctx, key)
	if err != nil {
		return []string{key}, nil
	}
	return s.keys(ctx, s.db.Read, ci)
}

// runs returns the poll runs of keys, newest first.
func (s *Service) runs(ctx context.Context, keys []string, limit int) ([]store.IntegrationRun, error) {
	rs := []store.IntegrationRun{}
	err := s.db.Read.NewSelect().Model(&rs).Where("integration IN (?)", bun.In(keys)).
		Order("tick DESC").Limit(int64(limit)).Scan(ctx)
	if rs == nil {
		rs = []store.IntegrationRun{}
	}
	return rs, err
}

func (s *Service) listRuns(c *fiber.Ctx) error {
	limit, _ := strconv.Atoi(c.Query("limit"))
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	keys, err := s.keysOf(c.UserContext(), c.Params("key"))
	if err != nil {
		return err
	}
	runs, err := s.runs(c.UserContext(), keys, limit)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"runs": runs})
}

// deliveryView is a push or poll job as admins see it.
type deliveryView struct {
	ID          string     `json:"id"`
	Kind        string     `json:"kind"`
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts"`
	MaxAttempts int        `json:"max_attempts"`
	LastError   *string    `json:"last_error,omitempty"`
	RunAt       time.Time  `json:"run_at"`
	CreatedAt   time.Time  `json:"created_at"`
	FinishedAt  *time.Time `json:"finished_at,omitempty"`
	DeliveryID  string     `json:"delivery_id,omitempty"`
	DossierID   string     `json:"dossier_id,omitempty"`
	Reference   string     `json:"reference,omitempty"`
	Event       string     `json:"event,omitempty"`
	Tick        *time.Time `json:"tick,omitempty"`
}

func (s *Service) listDeliveries(c *fiber.Ctx) error {
	status := c.Query("status", jobs.StatusDead)
	if !slices.Contains([]string{jobs.StatusDead, jobs.StatusAvailable, jobs.StatusRunning, jobs.StatusDone}, status) {
		return problem(http.StatusBadRequest, "status is dead, available, running or done")
	}
	keys, err := s.keysOf(c.UserContext(), c.Params("key"))
	if err != nil {
		return err
	}
	ds, err := s.deliveries(c.UserContext(), keys, status, 200)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"deliveries": ds})
}

// kinds are the job kinds admins see and retry here.
var kinds = []string{KindPush, KindPollTick, KindPollRetry}

// integrationField is the SQL of a job payload's integration key.
func (s *Service) integrationField() bun.Safe {
	if s.db.IsPostgres() {
		return bun.Safe("payload->>'integration'")
	}
	return bun.Safe("json_extract(payload, '$.integration')")
}

// deliveries returns the jobs of an integration's keys of a status,
// newest first.
func (s *Service) deliveries(ctx context.Context, keys []string, status string, limit int) ([]deliveryView, error) {
	var js []jobs.Job
	err := s.db.Read.NewSelect().Model(&js).Where("kind IN (?) AND status = ?", bun.In(kinds), status).
		Where("? IN (?)", s.integrationField(), bun.In(keys)).Order("created_at DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]deliveryView, 0, len(js))
	var ids []string
	for _, j := range js {
		v := deliveryView{ID: j.ID, Kind: j.Kind, Status: j.Status, Attempts: j.Attempts, MaxAttempts: j.MaxAttempts,
			LastError: j.LastError, RunAt: j.RunAt, CreatedAt: j.CreatedAt, FinishedAt: j.FinishedAt}
		var p struct {
			PushPayload
			Tick *time.Time `json:"tick"`
		}
		_ = json.Unmarshal(j.Payload, &p)
		v.DeliveryID, v.DossierID, v.Event, v.Tick = p.DeliveryID, p.DossierID, p.Event, p.Tick
		if v.DossierID != "" {
			ids = append(ids, v.DossierID)
		}
		out = append(out, v)
	}
	if len(ids) > 0 {
		var ds []store.Dossier
		if err := s.db.Read.NewSelect().Model(&ds).Column("id", "reference").Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
			return nil, err
		}
		for i := range out {
			if k := slices.IndexFunc(ds, func(d store.Dossier) bool { return d.ID == out[i].DossierID }); k >= 0 {
				out[i].Reference = ds[k].Reference
			}
		}
	}
	return out, nil
}

// jobCounts counts the jobs of an integration's keys by status.
func (s *Service) jobCounts(ctx context.Context, keys []string) (map[string]int, error) {
	var rows []struct {
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	err := s.db.Read.NewSelect().Model((*jobs.Job)(nil)).ColumnExpr("status, COUNT(*) AS n").
		Where("kind IN (?) AND status <> ?", bun.In(kinds), jobs.StatusDone).
		Where("? IN (?)", s.integrationField(), bun.In(keys)).Group("status").Scan(ctx, &rows)
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, err
}

// retryJob makes a dead delivery or poll available again now ("retry
// now"), with a fresh attempt budget; a push keeps its delivery id.
func (s *Service) retryJob(c *fiber.Ctx) error {
	ctx := c.UserContext()
	j, err := jobs.ByID(ctx, s.db.Read, c.Params("id"))
	if err != nil || !slices.Contains(kinds, j.Kind) {
		return store.ErrNotFound
	}
	if j.Status != jobs.StatusDead {
		return problem(http.StatusConflict, "only a dead job is retried by hand; this one is %s", j.Status)
	}
	if err := jobs.Retry(ctx, s.db.Write, j.ID); err != nil {
		return err
	}
	s.queue.Notify()
	s.log.Info("dead job retried by an admin", "job_id", j.ID, "kind", j.Kind, "user_id", s.userID(c))
	return c.JSON(fiber.Map{"id": j.ID, "status": jobs.StatusAvailable})
}

func (s *Service) pollNow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	ci, err := s.active(ctx, c.Params("key"))
	if err != nil || ci.def.Poll == nil {
		return problem(http.StatusNotFound, "no active integration %q polls", c.Params("key"))
	}
	tick := s.now().UTC().Truncate(time.Second)
	if err := s.FireTick(ctx, ci.key, tick); err != nil {
		return err
	}
	c.Status(http.StatusAccepted)
	return c.JSON(fiber.Map{"integration": ci.key, "tick": tick})
}

func (s *Service) listSecrets(c *fiber.Ctx) error {
	ss, err := s.secrets.List(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"secrets": ss})
}

// secretRequest sets a secret.
type secretRequest struct {
	Value string `json:"value"`
}

func (r *secretRequest) validate() error {
	if r.Value == "" {
		return &httpx.ProblemError{Problem: httpx.Problem{Status: http.StatusUnprocessableEntity,
			Detail: "the secret needs a value", Errors: []httpx.FieldProblem{{Pointer: "/value", Detail: "required"}}}}
	}
	return nil
}

func (s *Service) setSecret(c *fiber.Ctx) error {
	var in secretRequest
	if err := json.Unmarshal(c.Body(), &in); err != nil {
		return problem(http.StatusBadRequest, "the body must be {\"value\": \"…\"}: %v", err)
	}
	if err := in.validate(); err != nil {
		return err
	}
	var by *string
	if id := s.userID(c); id != "" {
		by = &id
	}
	name := strings.Clone(c.Params("name"))
	v, err := s.secrets.Set(c.UserContext(), name, in.Value, by)
	var se *SecretError
	if errors.As(err, &se) {
		return &httpx.ProblemError{Problem: httpx.Problem{Status: http.StatusUnprocessableEntity, Detail: se.Error()}}
	}
	if err != nil {
		return err
	}
	s.log.Info("integration secret set", "secret", name, "user_id", s.userID(c)) // never the value
	return c.JSON(v)
}

func (s *Service) deleteSecret(c *fiber.Ctx) error {
	if err := s.secrets.Delete(c.UserContext(), c.Params("name")); err != nil {
		return err
	}
	s.log.Info("integration secret deleted", "secret", c.Params("name"), "user_id", s.userID(c))
	return c.SendStatus(http.StatusNoContent)
}

// userID returns the signed-in admin's ID.
func (s *Service) userID(c *fiber.Ctx) string {
	if s.user != nil {
		if u := s.user(c); u != nil {
			return u.ID
		}
	}
	return ""
}
