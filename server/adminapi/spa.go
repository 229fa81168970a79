package adminapi

import (
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/web"
)

// SPA returns the handler of the builder SPA under /admin, serving dist
// (web/admin/dist), or nil when dist has no index.html (the SPA is not
// built). Only admins get it: anonymous visitors are sent to the sign-in
// page, other staff get a 404. Files under assets/ carry a content hash
// and are cached for a year; index.html, which every other path (the
// SPA's own routes) answers with, is never cached (after PocketBase
// apis/serve.go).
//
// Mount it with app.Use("/admin", h).
func SPA(dist fs.FS, user func(c *fiber.Ctx) *web.User) fiber.Handler {
	if dist == nil {
		return nil
	}
	index, err := fs.ReadFile(dist, "index.html")
	if err != nil {
		return nil
	}
	return func(c *fiber.Ctx) error {
		p := c.Path()
		if p != "/admin" && !strings.HasPrefix(p, "/admin/") || (c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead) {
			return c.Next()
		}
		switch u := user(c); {
		case u == nil:
			return c.Redirect("/login?next="+p, fiber.StatusSeeOther)
		case !u.IsAdmin:
			return fiber.ErrNotFound
		}
		rel := strings.TrimPrefix(path.Clean(p), "/admin/")
		if data, err := fs.ReadFile(dist, rel); err == nil && rel != "index.html" && fs.ValidPath(rel) {
			c.Set(fiber.HeaderCacheControl, "no-cache")
			if strings.HasPrefix(rel, "assets/") {
				c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
			}
			c.Set(fiber.HeaderContentType, mimeType(rel))
			return c.Send(data)
		}
		c.Set(fiber.HeaderCacheControl, "no-cache")
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		return c.Send(index)
	}
}

func mimeType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return fiber.MIMEOctetStream
}
