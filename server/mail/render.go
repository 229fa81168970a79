package mail

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"
	"unicode"
	"unicode/utf8"

	"github.com/guichet/guichet/builder"
)

// MaxTemplateBytes is the largest source accepted for the subject or the
// body of a [builder.Template].
const MaxTemplateBytes = 64 << 10

// maxSubjectOutput bounds what a subject template may write before it is
// collapsed to one line and truncated to [MaxSubjectRunes].
const maxSubjectOutput = 16 << 10

// The parts of a [builder.Template], as reported in [TemplateError.Part].
const (
	PartSubject = "subject"
	PartBody    = "body"
)

// ErrTooLarge is wrapped by a [TemplateError] when a template's source or
// its output exceeds the limits of this package.
var ErrTooLarge = errors.New("too large")

// TemplateError says which part of a [builder.Template] failed to parse or
// to render. It is permanent: [IsPermanent] reports true for it.
type TemplateError struct {
	Part string // PartSubject or PartBody
	Err  error
}

// Error names the part, then the text/template error with its position.
func (e *TemplateError) Error() string {
	return "mail: " + e.Part + " template: " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *TemplateError) Unwrap() error { return e.Err }

// CheckTemplate parses both parts of t as [Render] would, so that
// builder.Check can report a broken template before it is published. Besides
// syntax errors, it rejects {{define}}, {{block}} and {{template}}, and
// fields that [builder.MessageData] lacks ({{.Referense}}). It returns one
// [*TemplateError] per failing part, joined with [errors.Join].
func CheckTemplate(t builder.Template) error {
	_, errSubject := parseTemplate(PartSubject, t.Subject)
	_, errBody := parseTemplate(PartBody, t.Body)
	return errors.Join(errSubject, errBody)
}

// Render executes t over d and returns a subject of one line, at most
// [MaxSubjectRunes] characters long, and a body with "\n" line ends.
//
// A missing or null value ({{.Data.nickname}} when the form left it out)
// renders as an empty string, never as "<no value>"; numbers render as
// written in the form (1000000, not 1e+06); lists render comma-separated.
// Every control character in the subject, CR and LF among them, becomes a
// space, so applicant data cannot add header lines. Errors are
// [*TemplateError].
func Render(t builder.Template, d builder.MessageData) (subject, body string, err error) {
	subject, err = execute(PartSubject, t.Subject, d, maxSubjectOutput)
	if err != nil {
		return "", "", err
	}
	body, err = execute(PartBody, t.Body, d, MaxBodyBytes)
	if err != nil {
		return "", "", err
	}
	return oneLine(subject), cleanBody(body), nil
}

func execute(part, src string, d builder.MessageData, limit int) (string, error) {
	tmpl, err := parseTemplate(part, src)
	if err != nil {
		return "", err
	}
	w := &limitedWriter{limit: limit}
	if err := tmpl.Execute(w, d); err != nil {
		return "", &TemplateError{Part: part, Err: err}
	}
	return w.b.String(), nil
}

// parsed is one entry of the template cache: the ready template, or the
// error that parsing it gave.
type parsed struct {
	tmpl *template.Template
	err  error
}

// maxCached bounds the template cache. Procedures have a handful of
// templates each, so the bound is only reached if templates churn a lot;
// beyond it, templates are parsed on every use.
const maxCached = 4096

var (
	cache     sync.Map // part + "\x00" + source → *parsed
	cacheSize atomic.Int64
)

// parseTemplate returns the prepared template for src, from the cache when it can.
// A cached template is only ever executed, which is safe concurrently.
func parseTemplate(part, src string) (*template.Template, error) {
	key := part + "\x00" + src
	if p, ok := cache.Load(key); ok {
		return p.(*parsed).tmpl, p.(*parsed).err
	}
	p := &parsed{}
	p.tmpl, p.err = parseUncached(part, src)
	if p.err != nil {
		p.err = &TemplateError{Part: part, Err: p.err}
	}
	if cacheSize.Load() < maxCached {
		if _, loaded := cache.LoadOrStore(key, p); !loaded {
			cacheSize.Add(1)
		}
	}
	return p.tmpl, p.err
}

func parseUncached(part, src string) (*template.Template, error) {
	if len(src) > MaxTemplateBytes {
		return nil, fmt.Errorf("%d bytes, more than %d: %w", len(src), MaxTemplateBytes, ErrTooLarge)
	}
	tmpl, err := template.New(part).
		Option("missingkey=default"). // a missing key is an invalid value, which textValue turns into ""
		Funcs(template.FuncMap{textFunc: textValue}).
		Parse(src)
	if err != nil {
		return nil, err
	}
	if err := prepare(tmpl); err != nil {
		return nil, err
	}
	return tmpl, nil
}

// limitedWriter fails the execution of a template once it has written more
// than limit bytes; text/template then returns that error.
type limitedWriter struct {
	b     strings.Builder
	limit int
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > w.limit {
		return 0, fmt.Errorf("output exceeds %d bytes: %w", w.limit, ErrTooLarge)
	}
	return w.b.Write(p)
}

// oneLine turns every run of spaces and control characters into one space,
// trims the ends and cuts the result to MaxSubjectRunes characters.
func oneLine(s string) string {
	var b strings.Builder
	pending := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			pending = b.Len() > 0
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if utf8.RuneCountInString(out) <= MaxSubjectRunes {
		return out
	}
	runes := []rune(out)[:MaxSubjectRunes-1]
	return strings.TrimRightFunc(string(runes), unicode.IsSpace) + "…"
}

// cleanBody makes line ends "\n" and drops control characters other than
// tab and newline.
func cleanBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}
