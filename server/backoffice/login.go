package backoffice

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/auth"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/web"
)

func (h *Handler) showLogin(c *fiber.Ctx) error {
	return h.pages.Render(c, fiber.StatusOK, "login", web.T(httpx.Lang(c), "login.title"), false,
		web.LoginPage{Next: safeNext(c.Query("next"))})
}

func (h *Handler) login(c *fiber.Ctx) error {
	email, password := strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	u, err := auth.Authenticate(c.UserContext(), h.db.Read, email, password)
	if errors.Is(err, auth.ErrInvalidCredentials) {
		h.log.Info("login failed", "ip", c.IP())
		lang := httpx.Lang(c)
		return h.pages.Render(c, fiber.StatusUnauthorized, "login", web.T(lang, "login.title"), true,
			web.LoginPage{Email: email, Next: next, Error: web.T(lang, "login.invalid")})
	}
	if err != nil {
		return err
	}
	if err := h.sessions.Login(c, u.ID); err != nil {
		return err
	}
	h.log.Info("login", "user_id", u.ID)
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (h *Handler) logout(c *fiber.Ctx) error {
	if err := h.sessions.Logout(c); err != nil {
		return err
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

// safeNext keeps only local paths as redirect targets (no open redirect).
// Control characters are refused too: browsers drop tabs and newlines
// from URLs ("/\t/evil.example" would become "//evil.example"), and a
// newline would split the Location header.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/backoffice"
	}
	return next
}

func (h *Handler) showHome(c *fiber.Ctx) error {
	return h.pages.Render(c, fiber.StatusOK, "staff_home", web.T(httpx.Lang(c), "staff.title"), false, web.StaffHomePage{})
}
