package adminapi

import "github.com/gofiber/fiber/v2"

// Routes registers the admin API under /api/admin. Every route after
// requireAdmin needs a signed-in admin.
func (h *Handler) Routes(app fiber.Router) {
	g := app.Group("/api/admin")
	g.Get("/openapi.json", h.showOpenAPI)
	g.Use(h.requireAdmin)
	g.Get("/session", h.showSession)
	g.Get("/presets", h.listPresets)
	g.Get("/site", h.showSite)
	g.Put("/site", h.saveSite)

	g.Get("/procedures", h.listProcedures)
	g.Post("/procedures", h.createProcedure)
	g.Post("/procedures/import", h.importProcedure)
	g.Get("/procedures/:slug", h.showProcedure)
	g.Delete("/procedures/:slug", h.deleteProcedure)
	g.Put("/procedures/:slug/draft", h.saveDraft)
	g.Get("/procedures/:slug/check", h.checkProcedure)
	g.Post("/procedures/:slug/publish", h.publishProcedure)
	g.Post("/procedures/:slug/archive", h.archiveProcedure)
	g.Post("/procedures/:slug/unarchive", h.unarchiveProcedure)
	g.Post("/procedures/:slug/rename", h.renameProcedure)
	g.Post("/procedures/:slug/duplicate", h.duplicateProcedure)
	g.Get("/procedures/:slug/versions", h.listVersions)
	g.Get("/procedures/:slug/versions/:version", h.showVersion)
	g.Get("/procedures/:slug/diff", h.diffVersions)
	g.Get("/procedures/:slug/export", h.exportProcedure)
	g.Get("/procedures/:slug/roles", h.listRoleBindings)
	g.Put("/procedures/:slug/roles/:role/groups/:group", h.bindRole)
	g.Delete("/procedures/:slug/roles/:role/groups/:group", h.unbindRole)

	g.Post("/preview/form", h.previewForm)
	g.Post("/expressions/check", h.checkExpression)
	g.Post("/templates/preview", h.previewTemplate)
	g.Post("/cron/next", h.nextCronTimes)
	g.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
