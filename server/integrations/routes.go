package integrations

import (
	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/web"
)

// Routes registers the inbound webhooks and the admins' JSON endpoints.
// user returns the signed-in staff member of a request, or nil. Register
// them before the admin API's catch-all of /api/admin.
//
//	POST   /hooks/:integration                          signed webhook (Standard Webhooks)
//	GET    /api/admin/integrations                      integrations, status, secrets, dead deliveries
//	GET    /api/admin/integrations/secrets              secret names, masked
//	PUT    /api/admin/integrations/secrets/:name        {"value": "…"}: set or rotate
//	DELETE /api/admin/integrations/secrets/:name
//	POST   /api/admin/integrations/jobs/:id/retry       retry a dead delivery or poll now
//	POST   /api/admin/integrations/test                 test call of a draft integration (ping, push, poll)
//	GET    /api/admin/integrations/:key                 one integration, recent runs, dead deliveries
//	GET    /api/admin/integrations/:key/runs            recent poll runs (?limit=)
//	GET    /api/admin/integrations/:key/deliveries      push and poll jobs (?status=dead|available|running|done)
//	POST   /api/admin/integrations/:key/poll            poll now
func (s *Service) Routes(app fiber.Router, user func(c *fiber.Ctx) *web.User) {
	s.user = user
	app.Post("/hooks/:integration", s.receiveWebhook)

	g := app.Group("/api/admin/integrations", requireAdmin(user))
	g.Get("/", s.listIntegrations)
	g.Get("/secrets", s.listSecrets)
	g.Put("/secrets/:name", s.setSecret)
	g.Delete("/secrets/:name", s.deleteSecret)
	g.Post("/jobs/:id/retry", s.retryJob)
	g.Post("/test", s.testCall)
	g.Get("/:key", s.showIntegration)
	g.Get("/:key/runs", s.listRuns)
	g.Get("/:key/deliveries", s.listDeliveries)
	g.Post("/:key/poll", s.pollNow)
}

func requireAdmin(user func(c *fiber.Ctx) *web.User) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := user(c)
		if u == nil {
			return fiber.NewError(fiber.StatusUnauthorized, "sign in as an administrator first")
		}
		if !u.IsAdmin {
			return fiber.NewError(fiber.StatusForbidden, "only administrators manage integrations")
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Next()
	}
}
