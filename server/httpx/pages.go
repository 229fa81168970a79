package httpx

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/web"
)

// Pages renders server-side pages inside the common envelope.
type Pages struct {
	R    *web.Renderer
	Site func(ctx context.Context) web.Site
	User func(c *fiber.Ctx) *web.User
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render writes page with data and status. Title is the page's own title;
// hasErrors prefixes it with "Erreur :".
func (p *Pages) Render(c *fiber.Ctx, status int, page, title string, hasErrors bool, data any) error {
	env := web.Envelope{
		Lang: Lang(c), Path: c.Path(), CSRF: CSRFToken(c), Title: title, HasErrors: hasErrors, Data: data,
		Flash: TakeFlash(c),
	}
	if p.Site != nil {
		env.Site = p.Site(c.UserContext())
	}
	if p.User != nil {
		env.User = p.User(c)
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := p.R.Render(buf, page, env); err != nil {
		return err
	}
	c.Status(status)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	// SetBody copies: buf goes back to the pool when Render returns, long
	// before fasthttp writes the response (c.Send would keep a reference
	// and another request's page could be sent instead).
	c.Response().SetBody(buf.Bytes())
	return nil
}

// ErrorPage renders the error page for status.
func (p *Pages) ErrorPage(c *fiber.Ctx, status int) error {
	lang := Lang(c)
	key := "error.internal"
	switch status {
	case http.StatusNotFound:
		key = "error.not_found"
	case http.StatusForbidden:
		key = "error.csrf"
	case http.StatusRequestEntityTooLarge:
		key = "error.too_large"
	case http.StatusTooManyRequests:
		key = "error.rate_limited"
	case http.StatusMethodNotAllowed:
		key = "error.method_not_allowed"
	case http.StatusServiceUnavailable:
		key = "error.unavailable"
	default:
		if status < 500 {
			key = "error.bad_request"
		}
	}
	title := web.T(lang, fmt.Sprintf("error.%d.title", status))
	if strings.HasPrefix(title, "error.") {
		title = web.T(lang, "error.title")
	}
	return p.Render(c, status, "error", title, false, web.ErrorPage{
		Status: status, Heading: title, Message: web.T(lang, key),
	})
}
