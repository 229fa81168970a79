package httpx

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// APILang is the language of the texts a JSON API answer holds for
// display (problems, template variables): the one asked with ?lang=, else
// the first tag of Accept-Language when it is French or English (the
// admin SPA sends its language on every call), else the page language
// ([Lang]: the lang cookie, French by default).
func APILang(c *fiber.Ctx) string {
	if c.Query("lang") != "" {
		return Lang(c)
	}
	first, _, _ := strings.Cut(c.Get(fiber.HeaderAcceptLanguage), ",")
	tag, _, _ := strings.Cut(first, ";")
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	if base == "fr" || base == "en" {
		return base
	}
	return Lang(c)
}

// InLang returns fr when lang is French, else en: the two texts of a
// message written in place (catalogues hold the others).
func InLang(lang, fr, en string) string {
	if lang == "fr" {
		return fr
	}
	return en
}

// PathPointer turns a builder JSONPath ($.scenarios[1]["ui:pages"]), or
// the rest of one (.push.on[0]), into an RFC 6901 pointer
// (/scenarios/1/ui:pages, /push/on/0); "$" is "". It stops at the first
// part it cannot read.
func PathPointer(path string) string {
	var b strings.Builder
	rest := strings.TrimPrefix(path, "$")
	for rest != "" {
		var tok string
		switch {
		case rest[0] == '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			tok, rest = rest[1:end+1], rest[end+1:]
		case strings.HasPrefix(rest, `["`):
			q, err := strconv.QuotedPrefix(rest[1:])
			if err != nil {
				return b.String()
			}
			tok, _ = strconv.Unquote(q)
			rest = strings.TrimPrefix(rest[1+len(q):], "]")
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return b.String()
			}
			tok, rest = rest[1:end], rest[end+1:]
		default:
			return b.String()
		}
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(tok))
	}
	return b.String()
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")
