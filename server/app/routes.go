package app

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/guichet/guichet/server/adminapi"
	"github.com/guichet/guichet/server/api"
	"github.com/guichet/guichet/server/backoffice"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/portal"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// routes builds the fiber app with every route and its middleware.
func (a *App) routes(csrfKey []byte) (*fiber.App, error) {
	r, err := web.NewRenderer()
	if err != nil {
		return nil, err
	}
	sessions := httpx.NewSessions(store.NewKV(a.DB, "session:"), a.Cfg.SecureCookies)
	pages := &httpx.Pages{R: r, Site: a.site}
	bo := backoffice.New(a.Engine, pages, sessions, store.NewKV(a.DB, "limit:"), a.Log)
	pages.User = bo.CurrentUser

	app := fiber.New(fiber.Config{
		AppName:               "guichet",
		BodyLimit:             a.Cfg.BodyLimit,
		ReadTimeout:           60 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		ErrorHandler:          httpx.ErrorHandler(a.Log, pages.ErrorPage),
		StreamRequestBody:     false,
	})
	app.Use(recover.New(recover.Config{EnableStackTrace: true}))
	app.Use(httpx.RequestID(), httpx.AccessLog(a.Log), httpx.SecurityHeaders())

	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/readyz", func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := a.DB.Ping(ctx); err != nil {
			return fiber.NewError(fiber.StatusServiceUnavailable, "database unreachable")
		}
		return c.SendString("ready")
	})
	var static fs.FS = web.Static
	if a.Cfg.Dev {
		static = os.DirFS("web/static")
	}
	app.Use("/static", filesystem.New(filesystem.Config{Root: http.FS(static), MaxAge: 365 * 24 * 3600}))

	app.Use(httpx.Language(a.Cfg.SecureCookies), httpx.NewCSRF(csrfKey, a.Cfg.SecureCookies).Handler(), bo.LoadUser)
	api.New(a.Engine).Routes(app)
	a.Integrations.Routes(app, bo.CurrentUser) // /hooks and /api/admin/integrations, before the admin API's catch-all
	admin := adminapi.New(a.Engine, r, bo.CurrentUser)
	admin.Site = adminapi.SiteSettings{
		Defaults: web.Site{Name: a.Cfg.SiteName, LogoURL: a.Cfg.SiteLogo, AccentColor: a.Cfg.SiteAccent},
		Changed:  a.forgetSite,
	}
	admin.Routes(app)
	var adminDist fs.FS = web.Admin
	if a.Cfg.Dev {
		adminDist = os.DirFS("web/admin/dist")
	}
	if spa := adminapi.SPA(adminDist, bo.CurrentUser); spa != nil {
		app.Use("/admin", spa) // else the back-office's /admin placeholder answers
	}
	portal.New(a.Engine, pages, a.Log, a.Cfg.SecureCookies).Routes(app)
	bo.Routes(app)
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	return app, nil
}

// forgetSite makes the next page read the branding again (an admin
// changed it).
func (a *App) forgetSite() {
	a.siteMu.Lock()
	a.siteAt = time.Time{}
	a.siteMu.Unlock()
}

// site returns the administration's branding from the settings, read at
// most every 10 seconds (pages are rendered far more often than admins
// change it).
func (a *App) site(ctx context.Context) web.Site {
	a.siteMu.Lock()
	defer a.siteMu.Unlock()
	if time.Since(a.siteAt) < 10*time.Second {
		return a.siteCache
	}
	s := web.Site{Name: a.Cfg.SiteName, LogoURL: a.Cfg.SiteLogo, AccentColor: a.Cfg.SiteAccent}
	if err := store.Setting(ctx, a.DB.Read, "site", &s); err != nil && !errors.Is(err, store.ErrNotFound) {
		a.Log.Warn("read site settings", "error", err)
	}
	a.siteCache, a.siteAt = s, time.Now()
	return s
}
