package httpx

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
)

// Sessions are server-side staff sessions: the browser holds only a random
// ID in an HttpOnly, SameSite=Lax cookie (Secure behind https); the data
// live in the shared database storage.
type Sessions struct {
	store  *session.Store
	secure bool
}

const sessionUserKey = "uid"

// NewSessions returns sessions kept in storage.
func NewSessions(storage fiber.Storage, secure bool) *Sessions {
	return &Sessions{secure: secure, store: session.New(session.Config{
		Storage:        storage,
		Expiration:     12 * time.Hour,
		KeyLookup:      "cookie:guichet_session",
		CookieHTTPOnly: true,
		CookieSameSite: "Lax",
		CookieSecure:   secure,
		CookiePath:     "/",
	})}
}

// Secure reports whether the staff cookies are marked Secure (the
// flash cookie of a staff page follows them).
func (s *Sessions) Secure() bool { return s.secure }

// Login starts a fresh session for userID (a new ID, against fixation).
func (s *Sessions) Login(c *fiber.Ctx, userID string) error {
	sess, err := s.store.Get(c)
	if err != nil {
		return err
	}
	if err := sess.Regenerate(); err != nil {
		return err
	}
	sess.Set(sessionUserKey, userID)
	return sess.Save()
}

// Logout destroys the session.
func (s *Sessions) Logout(c *fiber.Ctx) error {
	sess, err := s.store.Get(c)
	if err != nil {
		return err
	}
	return sess.Destroy()
}

// UserID returns the signed-in user's ID, or "".
func (s *Sessions) UserID(c *fiber.Ctx) string {
	if c.Cookies("guichet_session") == "" {
		return ""
	}
	sess, err := s.store.Get(c)
	if err != nil {
		return ""
	}
	id, _ := sess.Get(sessionUserKey).(string)
	return id
}
