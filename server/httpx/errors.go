package httpx

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// actionError is a refused or rolled-back action (runtime.ActionError),
// whose message is meant for the user.
type actionError interface {
	error
	PublicMessage() string
	Forbidden() bool
}

// ErrorPageRenderer renders a full-page HTML error.
type ErrorPageRenderer func(c *fiber.Ctx, status int) error

// ErrorHandler returns fiber's error handler: the one place where errors
// become responses. JSON clients (paths under /api/ or /hooks/, or an
// Accept of JSON) get problem details; browsers get an error page.
func ErrorHandler(log *slog.Logger, page ErrorPageRenderer) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status := http.StatusInternalServerError
		var p Problem
		var fe *fiber.Error
		var ve *forms.ValidationError
		var ae actionError
		var pe *ProblemError
		lang := Lang(c)
		switch {
		case errors.As(err, &pe):
			p, status = pe.Problem, pe.Problem.Status
		case errors.Is(err, store.ErrNotFound):
			status = http.StatusNotFound
		case errors.As(err, &ve):
			status = http.StatusUnprocessableEntity
			p.Detail = web.T(lang, "error.validation")
			for _, e := range ve.Errors {
				p.Errors = append(p.Errors, FieldProblem{Pointer: e.Pointer, Detail: e.Message(lang)})
			}
		case errors.As(err, &fe):
			status = fe.Code
			if status < 500 && fe.Message != http.StatusText(status) {
				p.Detail = fe.Message
			}
		case errors.As(err, &ae):
			status = http.StatusConflict
			if ae.Forbidden() {
				status = http.StatusForbidden
			}
			p.Detail = ae.PublicMessage()
		case errors.Is(err, store.ErrConflict):
			status = http.StatusConflict
		}
		if status >= 500 {
			log.Error("request failed", "error", err, "method", c.Method(), "path", c.Path(),
				"request_id", c.Locals(localRequestID))
		}
		if wantsJSON(c) {
			p.Status = status
			p.Title = http.StatusText(status)
			return WriteProblem(c, p)
		}
		return page(c, status)
	}
}

func wantsJSON(c *fiber.Ctx) bool {
	path := c.Path()
	if strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/hooks/") {
		return true
	}
	accept := c.Get(fiber.HeaderAccept)
	return strings.Contains(accept, "json") && !strings.Contains(accept, "html")
}
