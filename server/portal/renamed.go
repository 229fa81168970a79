package portal

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/valyala/fasthttp"
)

// Renamed wraps the handler of a route with a :slug parameter: when it
// answers 404 and the slug is an old slug of a renamed procedure, the
// request is redirected to the same address (path suffix and query) under
// the procedure's current slug. Only requests that would fail pay the
// lookup of the old slug.
//
// The redirect is temporary: 302 for GET and HEAD, 307 otherwise (the
// method and body are kept). A permanent one (301/308) is cached by
// browsers without limit, so after renaming a→b and then back b→a, a
// browser that cached a→b would loop between a and b: the old slug may
// become current again, so its redirect is never cached.
//
// The redirect carries the headers set before the handler ran (by the
// middlewares), not those of the handler (its cookies, its caching).
func Renamed(rt *runtime.Engine, next fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		saved := fasthttp.AcquireResponse()
		defer fasthttp.ReleaseResponse(saved)
		c.Response().Header.CopyTo(&saved.Header)
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
		loc, ok := renamedURL(c, to)
		if !ok {
			return err // an address that cannot be redirected safely: the 404 stands
		}
		status := fiber.StatusTemporaryRedirect
		if c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead {
			status = fiber.StatusFound
		}
		saved.Header.CopyTo(&c.Response().Header) // drop the handler's headers and cookies
		c.Response().ResetBody()
		return c.Redirect(loc, status)
	}
}

func isNotFound(err error) bool {
	var fe *fiber.Error
	return errors.Is(err, store.ErrNotFound) || (errors.As(err, &fe) && fe.Code == fiber.StatusNotFound)
}

// renamedURL is the request's path and query with the :slug segment of its
// route replaced by slug. It is built from the raw request path, still
// percent-encoded, so that its other segments and its query go through as
// the client sent them (an encoded CR LF stays %0d%0a, an encoded slash
// %2F). It reports false, and the request is not redirected, when the raw
// path does not have the route's literal segments before :slug, or when
// the address would hold a control character or not be a local path.
func renamedURL(c *fiber.Ctx, slug string) (string, bool) {
	route := strings.Split(c.Route().Path, "/")
	i := -1
	for k, seg := range route {
		if seg == ":slug" {
			i = k
			break
		}
	}
	path := strings.Split(string(c.Request().URI().PathOriginal()), "/")
	if i <= 0 || i >= len(path) || path[i] != c.Params("slug") {
		return "", false
	}
	var b strings.Builder
	for k := 0; k < i; k++ {
		if !strings.EqualFold(path[k], route[k]) || strings.ContainsAny(route[k], ":*+?") {
			return "", false
		}
		b.WriteString(route[k])
		b.WriteByte('/')
	}
	b.WriteString(url.PathEscape(slug))
	for _, seg := range path[i+1:] {
		b.WriteByte('/')
		b.WriteString(seg)
	}
	if q := c.Request().URI().QueryString(); len(q) > 0 {
		b.WriteByte('?')
		b.Write(q)
	}
	return safeLocation(b.String())
}

// safeLocation checks that loc is a path on this site that can go in a
// header: it starts with one slash (not "//" nor "/\", which browsers
// read as another host), holds no control character (no CR or LF: no
// header injection), and any byte outside ASCII is percent-encoded.
func safeLocation(loc string) (string, bool) {
	if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
		return "", false
	}
	var b strings.Builder
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(loc); i++ {
		switch ch := loc[i]; {
		case ch < 0x20 || ch == 0x7f:
			return "", false
		case ch == ' ' || ch >= 0x80:
			b.WriteByte('%')
			b.WriteByte(hex[ch>>4])
			b.WriteByte(hex[ch&15])
		default:
			b.WriteByte(ch)
		}
	}
	return b.String(), true
}
