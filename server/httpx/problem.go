// Package httpx holds what every HTTP package of Guichet shares: RFC 9457
// problem details, the one error handler that maps domain errors to
// responses, and the middleware (request ID, access log, recover,
// security headers, language, CSRF, sessions).
package httpx

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// ProblemContentType is the media type of RFC 9457 problem details.
const ProblemContentType = "application/problem+json"

// Problem is an RFC 9457 problem details object.
type Problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Errors   []FieldProblem `json:"errors,omitempty"`
	// RequestID lets an integrator quote the failing request to support.
	RequestID string `json:"request_id,omitempty"`
	// Line and Column locate a syntax error in a JSON document of the
	// request body (1-based; columns in characters).
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

// FieldProblem is one invalid field of a 422 problem: where (a JSON
// pointer into the request body) and why.
type FieldProblem struct {
	Pointer string `json:"pointer"`
	// Path is the builder's JSONPath of the same place, for problems of a
	// procedure definition ($.scenarios[1].form).
	Path   string `json:"path,omitempty"`
	Detail string `json:"detail"`
}

// ProblemError is an error that carries its own problem details, for
// answers a status and a message cannot say: a 422 listing several
// errors, a parse error with its line and column. [ErrorHandler] sends
// Problem as it is (Status must be set).
type ProblemError struct {
	Problem Problem
}

// Error returns the problem's detail.
func (e *ProblemError) Error() string {
	if e.Problem.Detail != "" {
		return e.Problem.Detail
	}
	return http.StatusText(e.Problem.Status)
}

// WriteProblem sends p with its status and media type.
func WriteProblem(c *fiber.Ctx, p Problem) error {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Instance == "" {
		p.Instance = c.OriginalURL()
	}
	if id, ok := c.Locals(localRequestID).(string); ok {
		p.RequestID = id
	}
	c.Status(p.Status)
	c.Set(fiber.HeaderContentType, ProblemContentType)
	return c.JSON(p, ProblemContentType)
}
