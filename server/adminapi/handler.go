// Package adminapi serves the admin JSON API under /api/admin that the
// builder SPA (/admin) calls: procedures and their drafts, checks,
// publication, archiving, versions, diff, export and import, and the live
// tools of the builder (form preview with the portal's own templates,
// expression and template checks, cron schedules). Its contract is
// openapi.json, served at /api/admin/openapi.json.
//
// Every route but the OpenAPI document needs an admin session; mutating
// calls also need the X-CSRF-Token header, which the CSRF middleware
// installed before these routes enforces.
package adminapi

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// Handler holds the admin API's dependencies.
type Handler struct {
	rt   *runtime.Engine
	db   *store.DB
	r    *web.Renderer
	user func(c *fiber.Ctx) *web.User
	now  func() time.Time
	// MaxImportBytes bounds an imported document (413 beyond).
	MaxImportBytes int
	// Site is the branding of the portal and back-office that admins edit.
	Site SiteSettings
}

// New returns the admin API handler. user returns the signed-in staff
// member of a request, or nil (the back-office's CurrentUser).
func New(rt *runtime.Engine, r *web.Renderer, user func(c *fiber.Ctx) *web.User) *Handler {
	return &Handler{rt: rt, db: rt.DB(), r: r, user: user, now: time.Now, MaxImportBytes: 4 << 20}
}

// userID returns the signed-in admin's ID (requireAdmin has run).
func (h *Handler) userID(c *fiber.Ctx) *string {
	if u := h.user(c); u != nil {
		id := u.ID
		return &id
	}
	return nil
}

func ctx(c *fiber.Ctx) context.Context { return c.UserContext() }
