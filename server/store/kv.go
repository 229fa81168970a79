package store

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// kvRow is one key of the shared key-value table.
type kvRow struct {
	bun.BaseModel `bun:"table:kv"`

	K         string `bun:"k,pk"`
	V         []byte `bun:"v"`
	ExpiresAt int64  `bun:"expires_at"`
}

// KV implements fiber.Storage on the database, so that sessions, CSRF
// tokens and rate-limit counters are shared by every instance.
type KV struct {
	db     *DB
	Prefix string
}

// NewKV returns a storage whose keys are prefixed with prefix.
func NewKV(db *DB, prefix string) *KV { return &KV{db: db, Prefix: prefix} }

// Get returns the value of key, or nil when absent or expired.
func (s *KV) Get(key string) ([]byte, error) {
	var row kvRow
	err := s.db.Read.NewSelect().Model(&row).Where("k = ?", s.Prefix+key).Scan(context.Background())
	if err != nil {
		if notFound(err) == ErrNotFound {
			return nil, nil
		}
		return nil, err
	}
	if row.ExpiresAt != 0 && row.ExpiresAt <= time.Now().Unix() {
		return nil, nil
	}
	return row.V, nil
}

// Set stores val under key for exp (0: no expiry).
func (s *KV) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	row := kvRow{K: s.Prefix + key, V: val}
	if exp > 0 {
		row.ExpiresAt = time.Now().Add(exp).Unix()
	}
	_, err := s.db.Write.NewInsert().Model(&row).
		On("CONFLICT (k) DO UPDATE").Set("v = EXCLUDED.v").Set("expires_at = EXCLUDED.expires_at").
		Exec(context.Background())
	return err
}

// Delete removes key.
func (s *KV) Delete(key string) error {
	_, err := s.db.Write.NewDelete().Model((*kvRow)(nil)).Where("k = ?", s.Prefix+key).Exec(context.Background())
	return err
}

// Reset removes every key of this storage's prefix.
func (s *KV) Reset() error {
	_, err := s.db.Write.NewDelete().Model((*kvRow)(nil)).Where("k LIKE ?", s.Prefix+"%").Exec(context.Background())
	return err
}

// Close does nothing: the database outlives the storage.
func (s *KV) Close() error { return nil }

// DeleteExpiredKV removes expired keys of every storage.
func DeleteExpiredKV(ctx context.Context, db bun.IDB, now time.Time) (int64, error) {
	res, err := db.NewDelete().Model((*kvRow)(nil)).Where("expires_at > 0 AND expires_at <= ?", now.Unix()).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
