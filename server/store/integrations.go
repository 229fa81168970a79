package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Event kinds of integrations (besides EventIntegration).
const (
	// EventIntegrationMessage is a public message from the business
	// application to the applicant.
	EventIntegrationMessage = "integration.message"
	// EventIntegrationPushed records a delivery the business application
	// accepted.
	EventIntegrationPushed = "integration.pushed"
)

// WebhookDelivery is a webhook call that was applied, kept to refuse its
// replay.
type WebhookDelivery struct {
	bun.BaseModel `bun:"table:webhook_deliveries"`

	Integration string    `bun:"integration,pk"`
	WebhookID   string    `bun:"webhook_id,pk"`
	DossierID   string    `bun:"dossier_id"`
	Changed     bool      `bun:"changed"`
	ReceivedAt  time.Time `bun:"received_at"`
}

// RecordWebhookDelivery inserts d unless its (integration, webhook id) is
// already recorded; it reports whether d is new. Call it in the
// transaction of the update so that a replay is applied once.
func RecordWebhookDelivery(ctx context.Context, db bun.IDB, d *WebhookDelivery) (bool, error) {
	res, err := db.NewInsert().Model(d).On("CONFLICT (integration, webhook_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("record webhook delivery: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// WebhookDeliveryByID returns a recorded delivery.
func WebhookDeliveryByID(ctx context.Context, db bun.IDB, integration, webhookID string) (*WebhookDelivery, error) {
	d := new(WebhookDelivery)
	err := db.NewSelect().Model(d).Where("integration = ? AND webhook_id = ?", integration, webhookID).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return d, nil
}

// DeleteWebhookDeliveries forgets deliveries received before t (their
// timestamps are long outside the replay window).
func DeleteWebhookDeliveries(ctx context.Context, db bun.IDB, before time.Time) (int64, error) {
	res, err := db.NewDelete().Model((*WebhookDelivery)(nil)).Where("received_at < ?", before).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Run statuses.
const (
	RunRunning = "running"
	RunDone    = "done"
	RunFailed  = "failed"  // the run stopped before the end; its job retries it
	RunSkipped = "skipped" // the previous run was still going
)

// IntegrationRun is one tick of a poll schedule.
type IntegrationRun struct {
	bun.BaseModel `bun:"table:integration_runs"`

	ID          string          `bun:"id,pk" json:"id"`
	Integration string          `bun:"integration" json:"integration"`
	ProcedureID string          `bun:"procedure_id" json:"procedure_id"`
	Tick        time.Time       `bun:"tick" json:"tick"`
	Status      string          `bun:"status" json:"status"`
	Attempts    int             `bun:"attempts" json:"attempts"`
	Dossiers    int             `bun:"dossiers" json:"dossiers"`
	Changed     int             `bun:"changed" json:"changed"`
	Errors      int             `bun:"errors" json:"errors"`
	LastError   *string         `bun:"last_error" json:"last_error,omitempty"`
	AfterID     string          `bun:"after_id" json:"-"`
	Failed      json.RawMessage `bun:"failed" json:"-"`
	StartedAt   time.Time       `bun:"started_at" json:"started_at"`
	UpdatedAt   time.Time       `bun:"updated_at" json:"updated_at"`
	FinishedAt  *time.Time      `bun:"finished_at" json:"finished_at,omitempty"`
}

// ClaimRun inserts the run of (integration, tick) or returns the one
// already there (a retried or concurrent claim); created says which.
func ClaimRun(ctx context.Context, db bun.IDB, r *IntegrationRun) (run *IntegrationRun, created bool, err error) {
	res, err := db.NewInsert().Model(r).On("CONFLICT (integration, tick) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("claim run: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return r, true, nil
	}
	got := new(IntegrationRun)
	err = db.NewSelect().Model(got).Where("integration = ? AND tick = ?", r.Integration, r.Tick).Scan(ctx)
	return got, false, notFound(err)
}

// SaveRun writes a run's progress.
func SaveRun(ctx context.Context, db bun.IDB, r *IntegrationRun) error {
	_, err := db.NewUpdate().Model(r).
		Column("status", "attempts", "dossiers", "changed", "errors", "last_error", "after_id", "failed", "updated_at", "finished_at").
		WherePK().Exec(ctx)
	return err
}

// RunByID returns one run.
func RunByID(ctx context.Context, db bun.IDB, id string) (*IntegrationRun, error) {
	r := new(IntegrationRun)
	if err := db.NewSelect().Model(r).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return r, nil
}

// Runs returns the recent runs of an integration, newest first.
func Runs(ctx context.Context, db bun.IDB, integration string, limit int) ([]IntegrationRun, error) {
	var rs []IntegrationRun
	err := db.NewSelect().Model(&rs).Where("integration = ?", integration).
		Order("tick DESC").Limit(int64(limit)).Scan(ctx)
	return rs, err
}

// RunningRun returns the integration's unfinished run started after
// since, other than tick's, or ErrNotFound.
func RunningRun(ctx context.Context, db bun.IDB, integration string, tick, since time.Time) (*IntegrationRun, error) {
	r := new(IntegrationRun)
	err := db.NewSelect().Model(r).
		Where("integration = ? AND status IN (?, ?) AND tick <> ? AND updated_at > ?", integration, RunRunning, RunFailed, tick, since).
		Order("tick DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return r, nil
}

// DeleteRuns forgets runs that started before t.
func DeleteRuns(ctx context.Context, db bun.IDB, before time.Time) (int64, error) {
	res, err := db.NewDelete().Model((*IntegrationRun)(nil)).Where("started_at < ?", before).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// IntegrationSecret is a secret of the integrations, encrypted: the
// value is never stored in clear, nor shown back in full.
type IntegrationSecret struct {
	bun.BaseModel `bun:"table:integration_secrets"`

	Name       string    `bun:"name,pk"`
	Ciphertext []byte    `bun:"ciphertext"`
	KeyID      string    `bun:"key_id"` // which key encrypted it
	Hint       string    `bun:"hint"`   // the value's last characters, for admins to recognise it
	UpdatedAt  time.Time `bun:"updated_at"`
	UpdatedBy  *string   `bun:"updated_by"`
}

// SaveSecret inserts or replaces a secret.
func SaveSecret(ctx context.Context, db bun.IDB, s *IntegrationSecret) error {
	_, err := db.NewInsert().Model(s).On("CONFLICT (name) DO UPDATE").
		Set("ciphertext = EXCLUDED.ciphertext").Set("key_id = EXCLUDED.key_id").Set("hint = EXCLUDED.hint").
		Set("updated_at = EXCLUDED.updated_at").Set("updated_by = EXCLUDED.updated_by").Exec(ctx)
	return err
}

// SecretByName returns one secret.
func SecretByName(ctx context.Context, db bun.IDB, name string) (*IntegrationSecret, error) {
	s := new(IntegrationSecret)
	if err := db.NewSelect().Model(s).Where("name = ?", name).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return s, nil
}

// Secrets returns every secret, by name.
func Secrets(ctx context.Context, db bun.IDB) ([]IntegrationSecret, error) {
	var ss []IntegrationSecret
	return ss, db.NewSelect().Model(&ss).Order("name").Scan(ctx)
}

// DeleteSecret removes a secret.
func DeleteSecret(ctx context.Context, db bun.IDB, name string) error {
	res, err := db.NewDelete().Model((*IntegrationSecret)(nil)).Where("name = ?", name).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("secret %q: %w", name, ErrNotFound)
	}
	return nil
}

// DossierByExternalID returns the dossier of procedureID that the
// business application knows as externalID.
func DossierByExternalID(ctx context.Context, db bun.IDB, procedureID, externalID string) (*Dossier, error) {
	d := new(Dossier)
	err := db.NewSelect().Model(d).Where("procedure_id = ? AND external_id = ?", procedureID, externalID).
		Order("submitted_at DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return d, nil
}

// DossierByReference returns the dossier of procedureID with reference.
func DossierByReference(ctx context.Context, db bun.IDB, procedureID, reference string) (*Dossier, error) {
	d := new(Dossier)
	if err := db.NewSelect().Model(d).Where("procedure_id = ? AND reference = ?", procedureID, reference).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return d, nil
}

// SetExternalID stores the business application's id of a dossier.
func SetExternalID(ctx context.Context, db bun.IDB, dossierID, externalID string) error {
	_, err := db.NewUpdate().Model((*Dossier)(nil)).Set("external_id = ?", externalID).Where("id = ?", dossierID).Exec(ctx)
	return err
}

// LastEventOfKind returns the dossier's latest event of kind, or
// ErrNotFound.
func LastEventOfKind(ctx context.Context, db bun.IDB, dossierID, kind string) (*Event, error) {
	ev := new(Event)
	err := db.NewSelect().Model(ev).Where("dossier_id = ? AND kind = ?", dossierID, kind).
		Order("at DESC", "id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return ev, nil
}
