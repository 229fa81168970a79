// Package backoffice serves the staff side: sign-in, the back-office
// pages, and (for admins) the dev mailbox.
package backoffice

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// Handler holds the back-office's dependencies.
type Handler struct {
	rt       *runtime.Engine
	db       *store.DB
	pages    *httpx.Pages
	sessions *httpx.Sessions
	log      *slog.Logger
	limits   fiber.Storage
}

// New returns the back-office handler. limits stores the login rate
// limiter's counters (shared by all instances).
func New(rt *runtime.Engine, pages *httpx.Pages, sessions *httpx.Sessions, limits fiber.Storage, log *slog.Logger) *Handler {
	return &Handler{rt: rt, db: rt.DB(), pages: pages, sessions: sessions, limits: limits, log: log}
}

// Routes registers the staff routes.
func (h *Handler) Routes(app fiber.Router) {
	loginLimit := limiter.New(limiter.Config{
		Max: 10, Expiration: time.Minute, Storage: h.limits,
		KeyGenerator:           func(c *fiber.Ctx) string { return "login:" + c.IP() },
		LimitReached:           func(c *fiber.Ctx) error { return h.rateLimited(c) },
		SkipSuccessfulRequests: false,
	})
	app.Get("/login", h.showLogin)
	app.Post("/login", loginLimit, h.login)
	app.Post("/logout", h.logout)
	app.Get("/backoffice", h.requireUser(h.showHome))
	app.Get("/backoffice/mailbox", h.requireAdmin(h.showMailbox))
	app.Get("/backoffice/mailbox/:id", h.requireAdmin(h.showMailbox))
	app.Get("/admin", h.requireAdmin(h.showHome))

	// Staff JSON API (session + X-CSRF-Token), same runtime and visibility
	// as the pages.
	api := app.Group("/api/staff", h.requireActorJSON)
	api.Get("/session", h.apiSession)
	api.Get("/dossiers", h.apiInbox)
	api.Get("/dossiers/:id", h.apiDossier)
	api.Get("/dossiers/:id/files/:file", h.downloadFile)
	api.Post("/dossiers/:id/transitions/:transition", h.apiFire)
	api.Post("/dossiers/:id/circulation", h.apiCirculate)
	api.Post("/dossiers/:id/opinions/:role", h.apiReturnOpinion)
	api.Post("/dossiers/:id/comments", h.apiComment)
}

// CurrentUser returns the signed-in staff member for page envelopes.
func (h *Handler) CurrentUser(c *fiber.Ctx) *web.User {
	if u, ok := c.Locals(localUser).(*store.User); ok {
		return &web.User{ID: u.ID, Name: u.Name, Email: u.Email, IsAdmin: u.IsAdmin}
	}
	return nil
}

const localUser = "user"

// LoadUser is a middleware putting the signed-in user in the context.
func (h *Handler) LoadUser(c *fiber.Ctx) error {
	if id := h.sessions.UserID(c); id != "" {
		if u, err := store.UserByID(c.UserContext(), h.db.Read, id); err == nil {
			c.Locals(localUser, u)
		}
	}
	return c.Next()
}

func (h *Handler) requireUser(next fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if _, ok := c.Locals(localUser).(*store.User); !ok {
			return c.Redirect("/login?next="+c.Path(), fiber.StatusSeeOther)
		}
		return next(c)
	}
}

func (h *Handler) requireAdmin(next fiber.Handler) fiber.Handler {
	return h.requireUser(func(c *fiber.Ctx) error {
		if u := c.Locals(localUser).(*store.User); !u.IsAdmin {
			return store.ErrNotFound
		}
		return next(c)
	})
}

func (h *Handler) rateLimited(c *fiber.Ctx) error {
	c.Set(fiber.HeaderRetryAfter, "60")
	return h.pages.ErrorPage(c, fiber.StatusTooManyRequests)
}
