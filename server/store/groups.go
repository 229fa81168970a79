package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Group is a team of agents (a service: SeCC, OCF…).
type Group struct {
	bun.BaseModel `bun:"table:groups"`

	ID        string    `bun:"id,pk"`
	Name      string    `bun:"name"`
	Label     string    `bun:"label"`
	CreatedAt time.Time `bun:"created_at"`
}

// GroupMember puts a user in a group.
type GroupMember struct {
	bun.BaseModel `bun:"table:group_members"`

	GroupID string `bun:"group_id,pk"`
	UserID  string `bun:"user_id,pk"`
}

// RoleBinding gives a group's members a pipeline role on a procedure.
type RoleBinding struct {
	bun.BaseModel `bun:"table:role_bindings"`

	ProcedureID string `bun:"procedure_id,pk"`
	RoleID      string `bun:"role_id,pk"`
	GroupID     string `bun:"group_id,pk"`
	Kind        string `bun:"kind"`
}

// InsertGroup creates a group.
func InsertGroup(ctx context.Context, db bun.IDB, g *Group) error {
	if _, err := db.NewInsert().Model(g).Exec(ctx); err != nil {
		if IsUniqueViolation(err) {
			return fmt.Errorf("group %s: %w", g.Name, ErrConflict)
		}
		return err
	}
	return nil
}

// Groups lists every group by name.
func Groups(ctx context.Context, db bun.IDB) ([]Group, error) {
	var gs []Group
	return gs, db.NewSelect().Model(&gs).Order("name").Scan(ctx)
}

// GroupByName returns one group.
func GroupByName(ctx context.Context, db bun.IDB, name string) (*Group, error) {
	g := new(Group)
	if err := db.NewSelect().Model(g).Where("name = ?", name).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return g, nil
}

// AddMember puts user in group (idempotent).
func AddMember(ctx context.Context, db bun.IDB, groupID, userID string) error {
	_, err := db.NewInsert().Model(&GroupMember{GroupID: groupID, UserID: userID}).
		On("CONFLICT (group_id, user_id) DO NOTHING").Exec(ctx)
	return err
}

// RemoveMember takes user out of group.
func RemoveMember(ctx context.Context, db bun.IDB, groupID, userID string) error {
	_, err := db.NewDelete().Model((*GroupMember)(nil)).Where("group_id = ? AND user_id = ?", groupID, userID).Exec(ctx)
	return err
}

// GroupMembers returns the users of a group.
func GroupMembers(ctx context.Context, db bun.IDB, groupID string) ([]User, error) {
	var us []User
	err := db.NewSelect().Model(&us).
		Where("id IN (?)", db.NewSelect().Model((*GroupMember)(nil)).Column("user_id").Where("group_id = ?", groupID)).
		Order("name").Scan(ctx)
	return us, err
}

// Bind binds role of procedure to group (idempotent).
func Bind(ctx context.Context, db bun.IDB, b *RoleBinding) error {
	_, err := db.NewInsert().Model(b).On("CONFLICT (procedure_id, role_id, group_id) DO UPDATE").
		Set("kind = EXCLUDED.kind").Exec(ctx)
	return err
}

// BindingPending is the kind of a binding whose role the published
// version does not have (yet, or any more): it gives no access.
const BindingPending = "pending"

// SyncBindingKinds gives the bindings of a procedure the kinds of the
// roles of the version that now decides access (kinds maps role ID →
// kind); bindings of any other role become [BindingPending]. The bindings
// keep a copy of the kind so that access is decided without loading
// pipelines.
func SyncBindingKinds(ctx context.Context, db bun.IDB, procedureID string, kinds map[string]string) error {
	ids := make([]string, 0, len(kinds))
	for role, kind := range kinds {
		ids = append(ids, role)
		if _, err := db.NewUpdate().Model((*RoleBinding)(nil)).Set("kind = ?", kind).
			Where("procedure_id = ? AND role_id = ? AND kind <> ?", procedureID, role, kind).Exec(ctx); err != nil {
			return err
		}
	}
	q := db.NewUpdate().Model((*RoleBinding)(nil)).Set("kind = ?", BindingPending).
		Where("procedure_id = ? AND kind <> ?", procedureID, BindingPending)
	if len(ids) > 0 {
		q = q.Where("role_id NOT IN (?)", bun.In(ids))
	}
	_, err := q.Exec(ctx)
	return err
}

// Unbind removes a binding.
func Unbind(ctx context.Context, db bun.IDB, procedureID, roleID, groupID string) error {
	_, err := db.NewDelete().Model((*RoleBinding)(nil)).
		Where("procedure_id = ? AND role_id = ? AND group_id = ?", procedureID, roleID, groupID).Exec(ctx)
	return err
}

// Bindings lists the bindings of a procedure ("" for all).
func Bindings(ctx context.Context, db bun.IDB, procedureID string) ([]RoleBinding, error) {
	var bs []RoleBinding
	q := db.NewSelect().Model(&bs).Order("procedure_id", "role_id", "group_id")
	if procedureID != "" {
		q = q.Where("procedure_id = ?", procedureID)
	}
	return bs, q.Scan(ctx)
}

// UserRoles returns the bindings that apply to a user (through the groups
// they belong to); pending bindings give no role.
func UserRoles(ctx context.Context, db bun.IDB, userID string) ([]RoleBinding, error) {
	var bs []RoleBinding
	err := db.NewSelect().Model(&bs).
		Where("group_id IN (?)", db.NewSelect().Model((*GroupMember)(nil)).Column("group_id").Where("user_id = ?", userID)).
		Where("kind <> ?", BindingPending).
		Scan(ctx)
	return bs, err
}

// RoleMemberEmails returns the addresses of the members of the groups bound
// to role on procedure.
func RoleMemberEmails(ctx context.Context, db bun.IDB, procedureID, roleID string) ([]string, error) {
	var emails []string
	err := db.NewSelect().Model((*User)(nil)).Column("email").
		Where("id IN (?)", db.NewSelect().Model((*GroupMember)(nil)).Column("user_id").
			Where("group_id IN (?)", db.NewSelect().Model((*RoleBinding)(nil)).Column("group_id").
				Where("procedure_id = ? AND role_id = ? AND kind <> ?", procedureID, roleID, BindingPending))).
		Order("email").Scan(ctx, &emails)
	return emails, err
}

// Users lists every user by name.
func Users(ctx context.Context, db bun.IDB) ([]User, error) {
	var us []User
	return us, db.NewSelect().Model(&us).Order("name").Scan(ctx)
}
