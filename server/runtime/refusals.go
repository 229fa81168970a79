package runtime

import (
	"errors"
	"fmt"

	"github.com/guichet/guichet/internal/l10n"
	"golang.org/x/text/message"
)

// ActionError explains why an action was refused or rolled back, in words
// for the agent. Its message is kept as an English format and arguments,
// so that it can be rendered in the agent's language: [ActionError.Error]
// (and Msg) is the English text (logs, tests), [ActionError.In] renders it
// in French or English with the catalogue of messages_fr.go, whose keys
// are the English formats.
//
// Every format is a string literal passed to refuse or actionErrorf: a
// test checks that each one has a French translation with the same verbs.
type ActionError struct {
	Msg string
	Err error // ErrForbidden, store.ErrConflict, or a rule failure

	format string
	args   []any // may hold *ActionError, rendered in the same language
}

func (e *ActionError) Error() string { return e.Msg }
func (e *ActionError) Unwrap() error { return e.Err }

// actionErrorf returns the ActionError of cause err with the message of
// format and args.
func actionErrorf(err error, format string, args ...any) *ActionError {
	return &ActionError{Msg: fmt.Sprintf(format, args...), Err: err, format: format, args: args}
}

// refuse returns the refusal (ErrForbidden) of format and args.
func refuse(format string, args ...any) error {
	return actionErrorf(ErrForbidden, format, args...)
}

// PublicMessage is the explanation shown to the user, in English; see
// [ActionError.In] for the user's language.
func (e *ActionError) PublicMessage() string { return e.Msg }

// Forbidden reports whether the action was refused (403) rather than
// rolled back by a failing rule (409).
func (e *ActionError) Forbidden() bool { return errors.Is(e.Err, ErrForbidden) }

// In returns the message in lang: French for "fr" (and "fr-CH"…), else
// English. An ActionError made with only a Msg is the same in every
// language.
func (e *ActionError) In(lang string) string {
	if e.format == "" || !l10n.IsFrench(lang) {
		return e.Msg
	}
	return e.in(frenchPrinter)
}

// in renders e with the printer of a language.
func (e *ActionError) in(p *message.Printer) string {
	if e.format == "" {
		return e.Msg
	}
	args := make([]any, len(e.args))
	for i, a := range e.args {
		if ae, ok := a.(*ActionError); ok {
			args[i] = ae.in(p)
		} else {
			args[i] = a
		}
	}
	return p.Sprintf(e.format, args...)
}

// Localized returns a copy of e whose Msg (and PublicMessage) is in lang,
// for code that shows PublicMessage, such as the JSON error handler.
func (e *ActionError) Localized(lang string) *ActionError {
	c := *e
	c.Msg = e.In(lang)
	return &c
}

// Message returns the message of err for a user reading lang: the
// localised text of the ActionError it wraps, else err's own text.
func Message(err error, lang string) string {
	var ae *ActionError
	if errors.As(err, &ae) {
		return ae.In(lang)
	}
	return err.Error()
}

// Localize returns err with its ActionError, if any, in lang; other errors
// are returned as they are.
func Localize(err error, lang string) error {
	var ae *ActionError
	if err == nil || !errors.As(err, &ae) || !l10n.IsFrench(lang) {
		return err
	}
	return ae.Localized(lang)
}

// frenchPrinter renders the translations of messages_fr.go (a catalogue
// of its own: the builder's has other words for some of the same formats).
var frenchPrinter = l10n.FrenchPrinter(french)
