package store

import (
	"database/sql"
	"errors"
	"strings"
)

// ErrNotFound is returned when a row does not exist or the caller may not
// see it: both look the same from outside.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a unique constraint refuses a write.
var ErrConflict = errors.New("conflict")

// notFound maps sql.ErrNoRows to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// SQLite or PostgreSQL.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE=23505") ||
		strings.Contains(s, "duplicate key value")
}

// IsTransient reports whether err is a PostgreSQL deadlock or
// serialization failure: the transaction was chosen as the victim of a
// conflict with another one and succeeds when run again.
func IsTransient(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "SQLSTATE=40P01") || strings.Contains(s, "SQLSTATE=40001")
}
