package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Dossier is one submitted request, pinned to a procedure version.
type Dossier struct {
	bun.BaseModel `bun:"table:dossiers,alias:d"`

	ID             string          `bun:"id,pk"`
	ProcedureID    string          `bun:"procedure_id"`
	VersionID      string          `bun:"version_id"`
	Reference      string          `bun:"reference"`
	TrackingToken  string          `bun:"tracking_token"`
	IdempotencyKey string          `bun:"idempotency_key"`
	State          string          `bun:"state"`
	Data           json.RawMessage `bun:"data"`
	ApplicantEmail string          `bun:"applicant_email"`
	ApplicantName  string          `bun:"applicant_name"`
	CreatedBy      *string         `bun:"created_by"`
	AssignedGroup  string          `bun:"assigned_group"`
	SubmittedAt    time.Time       `bun:"submitted_at"`
	UpdatedAt      time.Time       `bun:"updated_at"`
	ClosedAt       *time.Time      `bun:"closed_at"`
	ExternalID     *string         `bun:"external_id"` // the business application's id (api scenarios)
}

// Event is one entry of a dossier's timeline. Public events are shown to
// the applicant on the tracking page.
type Event struct {
	bun.BaseModel `bun:"table:dossier_events"`

	ID        string          `bun:"id,pk"`
	DossierID string          `bun:"dossier_id"`
	At        time.Time       `bun:"at"`
	Kind      string          `bun:"kind"`
	Actor     string          `bun:"actor"`
	Public    bool            `bun:"public"`
	Details   json.RawMessage `bun:"details"`
}

// Event kinds.
const (
	EventSubmitted   = "submitted"
	EventMessageSent = "message.sent"
	EventTransition  = "transition"
	EventActivated   = "invitation.activated"
	EventInvited     = "invitation.sent"
	EventOpinion     = "opinion.returned"
	EventOverdue     = "invitation.overdue"
	EventFieldSet    = "field.set"
	EventAssigned    = "assigned"
	EventComment     = "comment"
	EventIntegration = "integration.updated"
)

// NextReferenceSeqs reserves n consecutive sequence numbers of procedure
// procedureID for year and returns the first. The upsert holds the
// counter row's lock until the transaction ends, so concurrent
// transactions and instances never get the same numbers.
func NextReferenceSeqs(ctx context.Context, db bun.IDB, procedureID string, year, n int) (int64, error) {
	var last int64
	err := db.NewRaw(`INSERT INTO reference_counters (procedure_id, year, seq) VALUES (?, ?, ?)
		ON CONFLICT (procedure_id, year) DO UPDATE SET seq = reference_counters.seq + excluded.seq
		RETURNING seq`, procedureID, year, n).Scan(ctx, &last)
	if err != nil {
		return 0, fmt.Errorf("reserve reference: %w", err)
	}
	return last - int64(n) + 1, nil
}

// FormatReference formats a human reference: PREFIX-YEAR-SEQ.
func FormatReference(prefix string, year int, seq int64) string {
	return fmt.Sprintf("%s-%d-%05d", prefix, year, seq)
}

// InsertDossiers inserts dossiers (one statement for the batch).
func InsertDossiers(ctx context.Context, db bun.IDB, ds []*Dossier) error {
	if len(ds) == 0 {
		return nil
	}
	if _, err := db.NewInsert().Model(&ds).Exec(ctx); err != nil {
		return fmt.Errorf("insert dossiers: %w", err)
	}
	return nil
}

// InsertEvents inserts timeline events.
func InsertEvents(ctx context.Context, db bun.IDB, evs []*Event) error {
	if len(evs) == 0 {
		return nil
	}
	if _, err := db.NewInsert().Model(&evs).Exec(ctx); err != nil {
		return fmt.Errorf("insert events: %w", err)
	}
	return nil
}

// DossierByIdempotencyKey returns the dossier a key already created.
func DossierByIdempotencyKey(ctx context.Context, db bun.IDB, procedureID, key string) (*Dossier, error) {
	d := new(Dossier)
	err := db.NewSelect().Model(d).Where("procedure_id = ? AND idempotency_key = ?", procedureID, key).Scan(ctx)
	return d, notFound(err)
}

// DossiersByIdempotencyKeys returns the dossiers some keys already created,
// by key.
func DossiersByIdempotencyKeys(ctx context.Context, db bun.IDB, procedureID string, keys []string) (map[string]*Dossier, error) {
	out := map[string]*Dossier{}
	if len(keys) == 0 {
		return out, nil
	}
	var ds []*Dossier
	err := db.NewSelect().Model(&ds).Where("procedure_id = ? AND idempotency_key IN (?)", procedureID, bun.In(keys)).Scan(ctx)
	for _, d := range ds {
		out[d.IdempotencyKey] = d
	}
	return out, err
}

// DossierByToken returns the dossier a tracking token opens.
func DossierByToken(ctx context.Context, db bun.IDB, token string) (*Dossier, error) {
	d := new(Dossier)
	if err := db.NewSelect().Model(d).Where("tracking_token = ?", token).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return d, nil
}

// DossierByID returns one dossier.
func DossierByID(ctx context.Context, db bun.IDB, id string) (*Dossier, error) {
	d := new(Dossier)
	if err := db.NewSelect().Model(d).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return d, nil
}

// Events returns a dossier's timeline, oldest first; publicOnly keeps the
// events the applicant may see.
func Events(ctx context.Context, db bun.IDB, dossierID string, publicOnly bool) ([]Event, error) {
	var evs []Event
	q := db.NewSelect().Model(&evs).Where("dossier_id = ?", dossierID).Order("at", "id")
	if publicOnly {
		q = q.Where("public = ?", true)
	}
	return evs, q.Scan(ctx)
}

// CountDossiers returns how many dossiers exist.
func CountDossiers(ctx context.Context, db bun.IDB) (int64, error) {
	return db.NewSelect().Model((*Dossier)(nil)).Count(ctx)
}
