// Package backoffice serves the staff side: sign-in; the back-office pages
// (inbox, dossier page and its actions, intake of requests made at the
// counter) rendered on the server and usable without JavaScript; for
// admins the users, groups and role bindings pages and the dev mailbox;
// and the staff JSON API that mirrors the pages.
package backoffice

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/portal"
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
	app.Get("/admin", h.requireAdmin(h.showHome))

	// Back-office pages (staff session; POST forms carry the CSRF token).
	// Each action redirects to its page with a flash message when done.
	app.Get("/backoffice", h.requireStaff(h.showInbox))
	app.Get("/backoffice/dossiers/:id", h.requireStaff(h.showDossier))
	app.Get("/backoffice/dossiers/:id/files/:file", h.requireStaff(h.downloadFile))
	app.Post("/backoffice/dossiers/:id/transitions/:transition", h.requireStaff(h.fireTransition))
	app.Post("/backoffice/dossiers/:id/circulation", h.requireStaff(h.circulate))
	app.Post("/backoffice/dossiers/:id/opinions/:role", h.requireStaff(h.returnOpinion))
	app.Post("/backoffice/dossiers/:id/comments", h.requireStaff(h.addComment))
	app.Get("/backoffice/saisie", h.requireStaff(h.listIntake))
	app.Get("/backoffice/saisie/:slug", h.requireStaff(portal.Renamed(h.rt, h.showIntake)))
	app.Post("/backoffice/saisie/:slug", h.requireStaff(portal.Renamed(h.rt, h.submitIntake)))
	app.Get("/backoffice/mailbox", h.requireAdmin(h.showMailbox))
	app.Get("/backoffice/mailbox/:id", h.requireAdmin(h.showMailbox))
	app.Get("/backoffice/admin/users", h.requireAdmin(h.listUsers))
	app.Post("/backoffice/admin/users", h.requireAdmin(h.createUser))
	app.Get("/backoffice/admin/users/:id", h.requireAdmin(h.showUser))
	app.Post("/backoffice/admin/users/:id/password", h.requireAdmin(h.resetPassword))
	app.Get("/backoffice/admin/groups", h.requireAdmin(h.listGroups))
	app.Post("/backoffice/admin/groups", h.requireAdmin(h.createGroup))
	app.Post("/backoffice/admin/groups/:id/members", h.requireAdmin(h.addMember))
	app.Post("/backoffice/admin/groups/:id/members/:user/remove", h.requireAdmin(h.removeMember))
	app.Get("/backoffice/admin/roles", h.requireAdmin(h.listBindings))
	app.Post("/backoffice/admin/roles", h.requireAdmin(h.bindRole))
	app.Post("/backoffice/admin/roles/remove", h.requireAdmin(h.unbindRole))

	// Staff JSON API (session + X-CSRF-Token), same runtime and visibility
	// as the pages.
	api := app.Group("/api/staff", h.requireActorJSON, localizeErrors)
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
