// Package l10n renders messages written as English printf formats in
// French, from a catalogue keyed by those formats (golang.org/x/text).
// Each package keeps its own catalogue: the same English format may read
// differently in two places.
package l10n

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// nbsp puts the no-break spaces of French typography inside guillemets.
var nbsp = strings.NewReplacer("« ", "«\u00a0", " »", "\u00a0»")

// FrenchPrinter returns the printer of translations (English format →
// French text, « » with ordinary spaces: they become no-break spaces).
// It panics on a translation the catalogue refuses (a programming error,
// found at start-up).
func FrenchPrinter(translations map[string]string) *message.Printer {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for en, fr := range translations {
		if err := b.SetString(language.French, en, nbsp.Replace(fr)); err != nil {
			panic(err)
		}
	}
	return message.NewPrinter(language.French, message.Catalog(b))
}

// IsFrench reports whether lang names French ("fr", "fr-CH"…).
func IsFrench(lang string) bool {
	return lang == "fr" || strings.HasPrefix(strings.ToLower(lang), "fr-")
}
