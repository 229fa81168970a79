// Package portal serves the citizens' pages: the catalogue, procedure
// pages, forms (multi-step, without JavaScript), confirmation and tracking.
package portal

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// Handler holds the portal's dependencies.
type Handler struct {
	rt     *runtime.Engine
	db     *store.DB
	pages  *httpx.Pages
	log    *slog.Logger
	secure bool
}

// New returns the portal handler.
func New(rt *runtime.Engine, pages *httpx.Pages, log *slog.Logger, secureCookies bool) *Handler {
	return &Handler{rt: rt, db: rt.DB(), pages: pages, log: log, secure: secureCookies}
}

// Routes registers the portal's routes.
func (h *Handler) Routes(app fiber.Router) {
	app.Get("/", h.showCatalogue)
	// An old slug of a renamed procedure redirects to its new address.
	r := func(next fiber.Handler) fiber.Handler { return Renamed(h.rt, next) }
	app.Get("/d/:slug", r(h.showProcedure))
	app.Get("/d/:slug/form", r(h.showForm))
	app.Post("/d/:slug/form", r(h.postForm))
	app.Get("/d/:slug/form/:draft/etape/:step", r(h.showStep))
	app.Post("/d/:slug/form/:draft/etape/:step", r(h.postStep))
	app.Get("/d/:slug/form/:draft/verifier", r(h.showCheck))
	app.Post("/d/:slug/form/:draft/envoyer", r(h.postSubmit))
	app.Get("/d/:slug/confirmation/:token", r(h.showConfirmation))
	app.Get("/suivi/:token", h.showTracking)
}
