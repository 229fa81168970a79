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

// SetBindingKind records the kind a published version gives role: the
// bindings keep a copy of it so that access is decided without loading
// pipelines.
func SetBindingKind(ctx context.Context, db bun.IDB, procedureID, roleID, kind string) error {
	_, err := db.NewUpdate().Model((*RoleBinding)(nil)).Set("kind = ?", kind).
		Where("procedure_id = ? AND role_id = ? AND kind <> ?", procedureID, roleID, kind).Exec(ctx)
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
// they belong to).
func UserRoles(ctx context.Context, db bun.IDB, userID string) ([]RoleBinding, error) {
	var bs []RoleBinding
	err := db.NewSelect().Model(&bs).
		Where("group_id IN (?)", db.NewSelect().Model((*GroupMember)(nil)).Column("group_id").Where("user_id = ?", userID)).
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
				Where("procedure_id = ? AND role_id = ?", procedureID, roleID))).
		Order("email").Scan(ctx, &emails)
	return emails, err
}

// Users lists every user by name.
func Users(ctx context.Context, db bun.IDB) ([]User, error) {
	var us []User
	return us, db.NewSelect().Model(&us).Order("name").Scan(ctx)
}
