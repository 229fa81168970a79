package portal

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// Renamed wraps the handler of a route with a :slug parameter: when it
// answers 404 and the slug is an old slug of a renamed procedure, the
// request is redirected to the same address (path suffix and query) under
// the procedure's current slug: 301 for GET and HEAD, 308 otherwise (the
// method and body are kept). Only requests that would fail pay the lookup
// of the old slug.
func Renamed(rt *runtime.Engine, next fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		err := next(c)
		if err == nil || !isNotFound(err) {
			return err
		}
		to, aerr := rt.RenamedTo(c.UserContext(), c.Params("slug"))
		if aerr != nil {
			if !errors.Is(aerr, store.ErrNotFound) {
				return aerr
			}
			return err
		}
		status := fiber.StatusPermanentRedirect
		if c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
			status = fiber.StatusMovedPermanently
		}
		c.Response().ResetBody()
		return c.Redirect(renamedURL(c, to), status)
	}
}

func isNotFound(err error) bool {
	var fe *fiber.Error
	return errors.Is(err, store.ErrNotFound) || (errors.As(err, &fe) && fe.Code == fiber.StatusNotFound)
}

// renamedURL is the request's path and query with the :slug segment of its
// route replaced by slug.
func renamedURL(c *fiber.Ctx, slug string) string {
	route := strings.Split(c.Route().Path, "/")
	path := strings.Split(string(c.Request().URI().Path()), "/")
	for i, seg := range route {
		if seg == ":slug" && i < len(path) {
			path[i] = url.PathEscape(slug)
		}
	}
	u := strings.Join(path, "/")
	if q := c.Request().URI().QueryString(); len(q) > 0 {
		u += "?" + string(q)
	}
	return u
}
