package httpx

import (
	"encoding/base64"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// flashCookie carries a one-time message across a POST/redirect/GET: the
// handler of the POST sets it, the next page rendered shows it in
// Envelope.Flash and clears it.
const flashCookie = "guichet_flash"

// maxFlash bounds a flash message, so that the cookie stays small.
const maxFlash = 500

// SetFlash shows msg (already in the page's language) on the next page
// this browser gets. secure marks the cookie Secure (behind https).
func SetFlash(c *fiber.Ctx, msg string, secure bool) {
	if len(msg) > maxFlash {
		msg = msg[:maxFlash]
		for !utf8.ValidString(msg) {
			msg = msg[:len(msg)-1]
		}
	}
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)),
		Path: "/", HTTPOnly: true, SameSite: "Lax", Secure: secure, SessionOnly: true})
}

// TakeFlash returns the pending flash message, if any, and clears it.
func TakeFlash(c *fiber.Ctx) string {
	v := c.Cookies(flashCookie)
	if v == "" {
		return ""
	}
	c.Cookie(&fiber.Cookie{Name: flashCookie, Value: "", Path: "/", HTTPOnly: true, SameSite: "Lax",
		Expires: time.Unix(0, 0).UTC()})
	b, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || !utf8.Valid(b) {
		return ""
	}
	return string(b)
}
