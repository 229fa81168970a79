package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// SetPassword replaces a user's password hash.
func SetPassword(ctx context.Context, db bun.IDB, userID, hash string) error {
	res, err := db.NewUpdate().Model((*User)(nil)).Set("password_hash = ?", hash).Where("id = ?", userID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("set password of %s: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %s: %w", userID, ErrNotFound)
	}
	return nil
}

// UsersByIDs returns the users among ids, by ID (unknown IDs are left
// out), for showing names on a timeline.
func UsersByIDs(ctx context.Context, db bun.IDB, ids []string) (map[string]*User, error) {
	out := make(map[string]*User, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var us []*User
	if err := db.NewSelect().Model(&us).Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, u := range us {
		out[u.ID] = u
	}
	return out, nil
}

// GroupByID returns one group.
func GroupByID(ctx context.Context, db bun.IDB, id string) (*Group, error) {
	g := new(Group)
	if err := db.NewSelect().Model(g).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return g, nil
}

// Memberships returns every group membership, for the admin pages that
// list groups with their members and users with their groups.
func Memberships(ctx context.Context, db bun.IDB) ([]GroupMember, error) {
	var ms []GroupMember
	return ms, db.NewSelect().Model(&ms).Order("group_id", "user_id").Scan(ctx)
}
