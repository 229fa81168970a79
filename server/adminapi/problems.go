package adminapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/httpx"
)

// problem returns an error that the error handler sends as is.
func problem(status int, detail string, errs ...httpx.FieldProblem) error {
	return &httpx.ProblemError{Problem: httpx.Problem{Status: status, Detail: detail, Errors: errs}}
}

// invalid is a 422 about one place of the request body.
func invalid(pointer, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return problem(fiber.StatusUnprocessableEntity, msg, httpx.FieldProblem{Pointer: pointer, Detail: msg})
}

// problemsOf turns builder problems into field problems pointing into the
// procedure document, in lang (see apiLang); the result is never nil, so
// it encodes as [].
func problemsOf(ps []builder.Problem, lang string) []httpx.FieldProblem {
	out := make([]httpx.FieldProblem, 0, len(ps))
	for _, p := range ps {
		out = append(out, httpx.FieldProblem{Pointer: pathToPointer(p.Path), Path: p.Path, Detail: p.In(lang)})
	}
	return out
}

// definitionProblems is the 422 of a procedure that does not pass Check,
// in lang.
func definitionProblems(ps []builder.Problem, lang string) error {
	var detail string
	switch {
	case len(ps) == 1:
		detail = inLang(lang, "la démarche a 1 problème à corriger avant de pouvoir être publiée",
			"the procedure has 1 problem to fix before it can be published")
	default:
		detail = fmt.Sprintf(inLang(lang, "la démarche a %d problèmes à corriger avant de pouvoir être publiée",
			"the procedure has %d problems to fix before it can be published"), len(ps))
	}
	return problem(fiber.StatusUnprocessableEntity, detail, problemsOf(ps, lang)...)
}

var parseErrRE = regexp.MustCompile(`^parse procedure: (?:line (\d+), column (\d+): )?(.*)$`)

// documentError is the 400 of a procedure document that builder.Parse
// refused, with the line and column it names.
func documentError(err error) error {
	p := httpx.Problem{Status: fiber.StatusBadRequest, Detail: err.Error()}
	if m := parseErrRE.FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Column, _ = strconv.Atoi(m[2])
		p.Detail = m[3]
	}
	return &httpx.ProblemError{Problem: p}
}

// decodeBody decodes the JSON request body strictly into v: unknown
// members and trailing data are 400s, with the line and column of syntax
// and type errors.
func decodeBody(c *fiber.Ctx, v any) error {
	body := c.Body()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the JSON document")
	}
	if err == nil {
		return nil
	}
	p := httpx.Problem{Status: fiber.StatusBadRequest, Detail: "the body is not valid JSON: " + err.Error()}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		p.Detail = "the body is empty: send a JSON object"
	case errors.As(err, &syntax):
		p.Line, p.Column = position(body, syntax.Offset-1)
	case errors.As(err, &typ):
		p.Line, p.Column = position(body, typ.Offset-1)
		p.Detail = fmt.Sprintf("%s must be of JSON type %s, not %s", typ.Field, jsonType(typ), typ.Value)
	default:
		p.Detail = strings.TrimPrefix(err.Error(), "json: ")
	}
	return &httpx.ProblemError{Problem: p}
}

func jsonType(e *json.UnmarshalTypeError) string {
	switch e.Type.Kind().String() {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "struct", "map", "ptr":
		return "object"
	}
	return "number"
}

// position returns the 1-based line and column (in characters) of the
// byte at offset.
func position(data []byte, offset int64) (line, col int) {
	offset = max(0, min(offset, int64(len(data))))
	before := data[:offset]
	line = 1 + bytes.Count(before, []byte("\n"))
	return line, 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
}

// pathToPointer turns a builder JSONPath ($.scenarios[1]["ui:pages"])
// into an RFC 6901 pointer (/scenarios/1/ui:pages); "$" is "".
func pathToPointer(path string) string { return httpx.PathPointer(path) }
