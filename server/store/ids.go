package store

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/google/uuid"
)

// NewID returns a time-ordered unique ID (UUIDv7), made in Go so that the
// same schema works on both databases.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// NewToken returns an unguessable URL-safe token of 256 random bits.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
