package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// User is a staff account (admin or agent).
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID           string    `bun:"id,pk"`
	Email        string    `bun:"email"`
	Name         string    `bun:"name"`
	PasswordHash string    `bun:"password_hash"`
	IsAdmin      bool      `bun:"is_admin"`
	CreatedAt    time.Time `bun:"created_at"`
}

// InsertUser inserts a user; the email is stored lower-cased.
func InsertUser(ctx context.Context, db bun.IDB, u *User) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if _, err := db.NewInsert().Model(u).Exec(ctx); err != nil {
		if IsUniqueViolation(err) {
			return fmt.Errorf("user %s: %w", u.Email, ErrConflict)
		}
		return fmt.Errorf("insert user: %w", err)
	}
	return nil
}

// UserByEmail returns the user with that email (case-insensitive).
func UserByEmail(ctx context.Context, db bun.IDB, email string) (*User, error) {
	u := new(User)
	err := db.NewSelect().Model(u).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return u, nil
}

// UserByID returns one user.
func UserByID(ctx context.Context, db bun.IDB, id string) (*User, error) {
	u := new(User)
	if err := db.NewSelect().Model(u).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return u, nil
}

// CountAdmins returns how many admin accounts exist.
func CountAdmins(ctx context.Context, db bun.IDB) (int64, error) {
	return db.NewSelect().Model((*User)(nil)).Where("is_admin = ?", true).Count(ctx)
}
