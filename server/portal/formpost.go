package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/store"
)

const ownerCookie = "guichet_owner"

// owner returns the hash of this browser's owner cookie, setting one if
// needed. Drafts and uploads belong to it, so a leaked draft URL alone
// opens nothing.
func (h *Handler) owner(c *fiber.Ctx) string {
	v := c.Cookies(ownerCookie)
	if len(v) != 43 {
		v = store.NewToken()
		c.Cookie(&fiber.Cookie{Name: ownerCookie, Value: v, Path: "/d/", HTTPOnly: true, SameSite: "Lax",
			Secure: h.secure, Expires: time.Now().Add(30 * 24 * time.Hour)})
		c.Request().Header.SetCookie(ownerCookie, v)
	}
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

// post builds the forms.Post of a request: uploads pass the field's limits
// (checked by forms) and are stored as files of owner.
func (h *Handler) post(c *fiber.Ctx, owner string) (forms.Post, error) {
	return httpx.FormPost(c, h.db.Write, owner)
}
