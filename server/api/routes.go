// Package api serves the public JSON API under /api/v1: the catalogue of
// procedures with their form schemas, and submission of dossiers.
package api

import (
	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/portal"
	"github.com/guichet/guichet/server/runtime"
)

// Handler holds the API's dependencies.
type Handler struct {
	rt *runtime.Engine
	// MaxBody is the largest JSON body accepted (413 beyond).
	MaxBody int
}

// New returns the API handler.
func New(rt *runtime.Engine) *Handler { return &Handler{rt: rt, MaxBody: 1 << 20} }

// Routes registers the API's routes under /api/v1.
func (h *Handler) Routes(r fiber.Router) {
	g := r.Group("/api/v1")
	g.Get("/procedures", h.listProcedures)
	// An old slug of a renamed procedure redirects to its new address.
	g.Get("/procedures/:slug", portal.Renamed(h.rt, h.showProcedure))
	g.Post("/procedures/:slug/dossiers", portal.Renamed(h.rt, h.createDossier))
	g.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
