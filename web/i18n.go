package web

import (
	"fmt"
	"strings"
)

// DefaultLang is the language of the portal when none is asked for.
const DefaultLang = "fr"

// Langs lists the supported languages, the default first.
var Langs = []string{"fr", "en"}

// T returns the message of key in lang, formatted with args the way
// [fmt.Sprintf] does. An unknown language falls back to French, a key
// missing in English falls back to its French text, and a key missing
// everywhere is returned as is, so a gap shows on the page rather than
// breaking it.
//
// Example:
//
//	web.T("en", "form.step", 2, 3) // "Step 2 of 3"
func T(lang, key string, args ...any) string {
	msg, ok := catalogue[Lang(lang)][key]
	if !ok {
		msg, ok = catalogue[DefaultLang][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// TN is [T] for a message that depends on a count n: it picks key+".one"
// or key+".other" with the plural rule of lang (in French 0 and 1 are
// singular) and passes n as the first argument.
func TN(lang, key string, n int, args ...any) string {
	form := ".other"
	if lang = Lang(lang); n == 1 || (lang == "fr" && n == 0) {
		form = ".one"
	}
	return T(lang, key+form, append([]any{n}, args...)...)
}

// Lang normalises a language tag, a list of them (an Accept-Language
// header) or a ?lang= value to "fr" or "en": the first supported primary
// subtag wins, anything else is French.
func Lang(s string) string {
	if s == "fr" || s == "en" {
		return s
	}
	for tag := range strings.SplitSeq(s, ",") {
		tag, _, _ = strings.Cut(tag, ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		if i := strings.IndexAny(tag, "-_"); i >= 0 {
			tag = tag[:i]
		}
		if _, ok := catalogue[tag]; ok {
			return tag
		}
	}
	return DefaultLang
}

// otherLang is the language the header's switch link offers.
func otherLang(lang string) string {
	if Lang(lang) == "en" {
		return "fr"
	}
	return "en"
}
