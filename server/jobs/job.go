// Package jobs is Guichet's durable job queue, kept in the application's
// own database: a job is inserted in the same transaction as the change
// that causes it, claimed by workers under a lease (FOR UPDATE SKIP LOCKED
// on PostgreSQL, the single writer on SQLite), retried with exponential
// backoff and jitter, and kept as dead with its last error after its last
// attempt. Cron schedules only enqueue, one job per tick across instances.
package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// Job statuses.
const (
	StatusAvailable = "available"
	StatusRunning   = "running"
	StatusDone      = "done"
	StatusDead      = "dead"
)

// DefaultMaxAttempts is the number of attempts of a job before it is dead.
const DefaultMaxAttempts = 12

// Job is one unit of background work.
type Job struct {
	bun.BaseModel `bun:"table:jobs"`

	ID          string          `bun:"id,pk"`
	Kind        string          `bun:"kind"`
	Payload     json.RawMessage `bun:"payload"`
	Status      string          `bun:"status"`
	Attempts    int             `bun:"attempts"`
	MaxAttempts int             `bun:"max_attempts"`
	RunAt       time.Time       `bun:"run_at"`
	LockedUntil *time.Time      `bun:"locked_until"`
	LockedBy    *string         `bun:"locked_by"`
	LastError   *string         `bun:"last_error"`
	CreatedAt   time.Time       `bun:"created_at"`
	FinishedAt  *time.Time      `bun:"finished_at"`
	UniqueKey   *string         `bun:"unique_key"`
}

// New returns a job of kind with payload marshalled to JSON, ready now.
func New(kind string, payload any) (*Job, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, fmt.Errorf("job %s payload: %w", kind, err)
	}
	now := time.Now().UTC()
	return &Job{
		ID: store.NewID(), Kind: kind, Payload: b, Status: StatusAvailable,
		MaxAttempts: DefaultMaxAttempts, RunAt: now, CreatedAt: now,
	}, nil
}

// Decode unmarshals the job's payload into v.
func (j *Job) Decode(v any) error { return json.Unmarshal(j.Payload, v) }

// Enqueue inserts jobs in the caller's transaction: they run only if it
// commits. Jobs with a UniqueKey already present are skipped.
func Enqueue(ctx context.Context, db bun.IDB, js ...*Job) error {
	if len(js) == 0 {
		return nil
	}
	q := db.NewInsert().Model(&js)
	for _, j := range js {
		if j.UniqueKey != nil {
			q = q.On("CONFLICT (unique_key) DO NOTHING")
			break
		}
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	return nil
}

// ByID returns one job.
func ByID(ctx context.Context, db bun.IDB, id string) (*Job, error) {
	j := new(Job)
	if err := db.NewSelect().Model(j).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("job %s: %w", id, store.ErrNotFound)
	}
	return j, nil
}

// List returns jobs of a status (all if ""), newest first.
func List(ctx context.Context, db bun.IDB, status string, limit int) ([]Job, error) {
	var js []Job
	q := db.NewSelect().Model(&js).Order("created_at DESC").Limit(int64(limit))
	if status != "" {
		q = q.Where("status = ?", status)
	}
	return js, q.Scan(ctx)
}

// Retry makes a dead job available again now, with a fresh attempt budget.
func Retry(ctx context.Context, db bun.IDB, id string) error {
	res, err := db.NewUpdate().Model((*Job)(nil)).
		Set("status = ?", StatusAvailable).Set("run_at = ?", time.Now().UTC()).
		Set("attempts = 0").Set("finished_at = NULL").
		Where("id = ? AND status = ?", id, StatusDead).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("dead job %s: %w", id, store.ErrNotFound)
	}
	return nil
}

// CountByStatus returns the number of jobs in each status.
func CountByStatus(ctx context.Context, db bun.IDB) (map[string]int, error) {
	var rows []struct {
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	err := db.NewSelect().Model((*Job)(nil)).ColumnExpr("status, COUNT(*) AS n").Group("status").Scan(ctx, &rows)
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, err
}
