package adminapi

import (
	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/httpx"
)

// apiLang is the language of the texts an answer holds for display
// (problems, template variables): see [httpx.APILang].
func apiLang(c *fiber.Ctx) string { return httpx.APILang(c) }

// inLang returns fr for French, else en (see [httpx.InLang]).
func inLang(lang, fr, en string) string { return httpx.InLang(lang, fr, en) }
