package app

import (
	"context"
	"time"

	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

const jobCleanup = "maintenance.cleanup"

// cleanup removes expired sessions and limiter counters, drafts abandoned
// for 30 days with their uploads, and finished jobs older than 30 days
// (dead jobs stay until an admin deals with them).
func (a *App) cleanup(ctx context.Context, _ *jobs.Job) error {
	now := time.Now().UTC()
	return a.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := store.DeleteExpiredKV(ctx, tx, now); err != nil {
			return err
		}
		if _, err := store.DeleteStaleDrafts(ctx, tx, now.Add(-30*24*time.Hour)); err != nil {
			return err
		}
		_, err := tx.NewDelete().Model((*jobs.Job)(nil)).
			Where("status = ? AND finished_at < ?", jobs.StatusDone, now.Add(-30*24*time.Hour)).Exec(ctx)
		return err
	})
}
