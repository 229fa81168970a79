package httpx

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// CSRF protects every state-changing browser request with a signed
// double-submit token (OWASP): the browser holds a random HttpOnly cookie,
// pages embed HMAC(key, cookie) in a hidden _csrf input (or the
// X-CSRF-Token header for the admin SPA), and an unsafe request whose
// token does not match is refused with 403. It needs no server-side
// storage, so every instance sharing the key can check every token —
// fiber's csrf middleware writes its storage on every request, which here
// would mean a database write per page view.
type CSRF struct {
	key    []byte
	secure bool
	// Skip exempts paths that carry no ambient authority (the public JSON
	// API, signed webhooks).
	Skip func(path string) bool
}

const (
	csrfCookie = "guichet_csrf"
	localCSRF  = "csrf"
)

// NewCSRF returns the middleware with a secret key shared by all instances.
func NewCSRF(key []byte, secure bool) *CSRF {
	return &CSRF{key: key, secure: secure, Skip: func(path string) bool {
		return strings.HasPrefix(path, "/api/v1/") || strings.HasPrefix(path, "/hooks/")
	}}
}

// Handler is the fiber middleware.
func (m *CSRF) Handler() fiber.Handler {
	return func(c *fiber.Ctx) error {
		seed := c.Cookies(csrfCookie)
		if len(seed) != 43 {
			b := make([]byte, 32)
			_, _ = rand.Read(b)
			seed = base64.RawURLEncoding.EncodeToString(b)
			c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: seed, Path: "/", HTTPOnly: true,
				SameSite: "Lax", Secure: m.secure, SessionOnly: true})
			c.Request().Header.SetCookie(csrfCookie, seed)
		}
		want := m.sign(seed)
		c.Locals(localCSRF, want)
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
			return c.Next()
		}
		if m.Skip != nil && m.Skip(c.Path()) {
			return c.Next()
		}
		got := c.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("_csrf")
		}
		if !hmac.Equal([]byte(got), []byte(want)) {
			return fiber.NewError(fiber.StatusForbidden, "CSRF token missing or invalid: reload the page and try again")
		}
		return c.Next()
	}
}

func (m *CSRF) sign(seed string) string {
	h := hmac.New(sha256.New, m.key)
	h.Write([]byte(seed))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// CSRFToken returns the token to embed in the request's page.
func CSRFToken(c *fiber.Ctx) string {
	s, _ := c.Locals(localCSRF).(string)
	return s
}
