package store

import (
	"context"
	"encoding/json"

	"github.com/uptrace/bun"
)

type settingRow struct {
	bun.BaseModel `bun:"table:settings"`

	K string          `bun:"k,pk"`
	V json.RawMessage `bun:"v"`
}

// Setting reads the admin-edited setting key into v; ErrNotFound if unset.
func Setting(ctx context.Context, db bun.IDB, key string, v any) error {
	var row settingRow
	if err := db.NewSelect().Model(&row).Where("k = ?", key).Scan(ctx); err != nil {
		return notFound(err)
	}
	return json.Unmarshal(row.V, v)
}

// SetSetting stores v as the setting key.
func SetSetting(ctx context.Context, db bun.IDB, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = db.NewInsert().Model(&settingRow{K: key, V: b}).
		On("CONFLICT (k) DO UPDATE").Set("v = EXCLUDED.v").Exec(ctx)
	return err
}
