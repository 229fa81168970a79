package adminapi

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/httpx"
)

// apiLang is the language of the texts an answer holds for display
// (problems, template variables): the first tag of Accept-Language when
// it is French or English (the SPA sends its language on every call),
// else the page language.
func apiLang(c *fiber.Ctx) string {
	first, _, _ := strings.Cut(c.Get(fiber.HeaderAcceptLanguage), ",")
	tag, _, _ := strings.Cut(first, ";")
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	if base == "fr" || base == "en" {
		return base
	}
	return httpx.Lang(c)
}

// inLang returns fr for French, else en.
func inLang(lang, fr, en string) string {
	if lang == "fr" {
		return fr
	}
	return en
}
