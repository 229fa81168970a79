package adminapi

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/httpx"
)

// openAPI is the API's contract, committed next to its handlers.
//
//go:embed openapi.json
var openAPI []byte

func (h *Handler) showOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(openAPI)
}

// requireAdmin answers 401 to anonymous callers and 403 to staff who are
// not admins. Answers are never cached.
func (h *Handler) requireAdmin(c *fiber.Ctx) error {
	u := h.user(c)
	if u == nil {
		return fiber.NewError(fiber.StatusUnauthorized, "sign in as an administrator first")
	}
	if !u.IsAdmin {
		return fiber.NewError(fiber.StatusForbidden, "only administrators may use the builder")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Next()
}

type userView struct {
	ID      string `json:"id"`
	Email   string `json:"email"`
	Name    string `json:"name"`
	IsAdmin bool   `json:"is_admin"`
}

type sessionView struct {
	User      userView `json:"user"`
	CSRFToken string   `json:"csrf_token"`
}

func (h *Handler) showSession(c *fiber.Ctx) error {
	u := h.user(c)
	return c.JSON(sessionView{
		User:      userView{ID: u.ID, Email: u.Email, Name: u.Name, IsAdmin: u.IsAdmin},
		CSRFToken: httpx.CSRFToken(c),
	})
}
