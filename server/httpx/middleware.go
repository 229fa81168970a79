package httpx

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

const (
	localRequestID = "requestid"
	localLang      = "lang"
)

// RequestID gives every request an ID (X-Request-ID), echoed in problems
// and logs.
func RequestID() fiber.Handler {
	return requestid.New(requestid.Config{ContextKey: localRequestID, Generator: store.NewID})
}

// AccessLog logs each request once it is answered.
func AccessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		if err := c.Next(); err != nil {
			// Answer now, so that the status logged is the one sent.
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		status := c.Response().StatusCode()
		level := slog.LevelDebug
		if status >= 500 {
			level = slog.LevelWarn
		}
		log.Log(c.UserContext(), level, "request",
			slog.Group("request", "method", c.Method(), "path", c.Path(), "status", status,
				"duration_ms", time.Since(start).Milliseconds()),
			"request_id", c.Locals(localRequestID))
		return nil
	}
}

// SecurityHeaders sets a strict content security policy and the usual
// hardening headers. Pages need no script; the admin SPA loads its own
// bundle from 'self'.
func SecurityHeaders() fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := &c.Response().Header
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "+
			"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		return c.Next()
	}
}

// Language picks the page language: ?lang= (remembered in a cookie), then
// the cookie, then French.
func Language(secure bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		lang := ""
		if q := c.Query("lang"); q != "" {
			lang = web.Lang(q)
			c.Cookie(&fiber.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
				SameSite: "Lax", Secure: secure, HTTPOnly: true})
		} else if ck := c.Cookies("lang"); ck != "" {
			lang = web.Lang(ck)
		} else {
			lang = "fr"
		}
		c.Locals(localLang, lang)
		return c.Next()
	}
}

// Lang returns the request's page language.
func Lang(c *fiber.Ctx) string {
	if l, ok := c.Locals(localLang).(string); ok {
		return l
	}
	return "fr"
}
