package builder

import (
	"fmt"
	"regexp"

	"github.com/guichet/guichet/internal/l10n"
	"golang.org/x/text/message"
)

// A problem's message is kept as its format and arguments, so that it can
// be rendered in the reader's language: [Problem.Message] is the English
// text (logs, tests), [Problem.In] renders it in French or English with the
// catalogue of problems_fr.go, whose keys are the English formats.
//
// Every format is a string literal passed to addf, newProblem or textf,
// and every word inserted in a sentence is a noun(...) literal: a test
// checks that each one has a French translation with the same verbs.

// text is a translatable message: a format of the catalogue and its
// arguments, which may themselves be texts or nouns.
type text struct {
	format string
	args   []any
}

// textf returns the text of format and args.
func textf(format string, args ...any) text { return text{format: format, args: args} }

// String renders t in English.
func (t text) String() string {
	if t.format == "" {
		return ""
	}
	return fmt.Sprintf(t.format, t.args...)
}

// none reports whether t is the zero text, meaning "no problem".
func (t text) none() bool { return t.format == "" }

// in renders t with the printer of a language.
func (t text) in(p *message.Printer) string {
	args := make([]any, len(t.args))
	for i, a := range t.args {
		switch a := a.(type) {
		case text:
			args[i] = a.in(p)
		case noun:
			args[i] = p.Sprintf(string(a))
		default:
			args[i] = a
		}
	}
	return p.Sprintf(t.format, args...)
}

// noun is an English word or phrase inserted in a message ("state",
// "private"), translated with it.
type noun string

// String returns the English noun.
func (n noun) String() string { return string(n) }

// newProblem returns the problem at path of format and args.
func newProblem(path, format string, args ...any) Problem {
	t := textf(format, args...)
	return Problem{Path: path, Message: t.String(), text: &t}
}

// PrefixTakenProblem is the problem of a reference prefix that the
// procedure slug uses already.
func PrefixTakenProblem(prefix, slug string) Problem {
	return newProblem("$.referencePrefix", "the reference prefix %q is already used by the procedure %q: choose another one", prefix, slug)
}

// frenchPrinter renders the French catalogue.
var frenchPrinter = l10n.FrenchPrinter(french)

// In returns the message in lang: French for "fr" (and "fr-CH"…), else
// English. A problem made outside this package, with only a Message, is
// the same in every language.
func (p Problem) In(lang string) string {
	if p.text == nil || !l10n.IsFrench(lang) {
		return p.Message
	}
	return p.text.in(frenchPrinter)
}

// unknownNameRE matches the message of exprProblem (expr.go) for a wrong
// name inside dossier, invitations.<role> or event.
var unknownNameRE = regexp.MustCompile(`^unknown name (.+); (\S+) has (.+)$`)

// exprError is a compile error of an expression, translatable when it is
// one of ours (an unknown name in a struct of the environment); the
// other messages come from the expr library, in English.
func exprError(err error) any {
	m := unknownNameRE.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	names := map[string]noun{
		"reference, state, submitted_at and group":             noun("reference, state, submitted_at and group"),
		"status, invited_at, due_at, returned_at and decision": noun("status, invited_at, due_at, returned_at and decision"),
		"name, state, role, actor and data":                    noun("name, state, role, actor and data"),
	}
	n, ok := names[m[3]]
	if !ok {
		return err
	}
	return textf("unknown name %s; %s has %s", m[1], m[2], n)
}

// ExprErrorIn renders a compile error of [CompileCondition],
// [CompileValue] or [CompileMapping] in lang ("fr" or "en").
func ExprErrorIn(err error, lang string) string {
	if t, ok := exprError(err).(text); ok && l10n.IsFrench(lang) {
		return t.in(frenchPrinter)
	}
	return err.Error()
}
