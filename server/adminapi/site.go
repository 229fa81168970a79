package adminapi

import (
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// SiteSettings is the administration's branding on every page: its name,
// logo and accent colour. The server's configuration (GUICHET_SITE_*)
// gives the defaults; what admins set here overrides them, member by
// member, and an emptied member goes back to its default.
type SiteSettings struct {
	Defaults web.Site
	// Changed is called after a change, so that pages show it at once.
	Changed func()
}

// siteKey is the setting the branding is stored under (the app reads it).
const siteKey = "site"

// maxSiteName bounds the administration's name (it fits page headers).
const maxSiteName = 120

type siteView struct {
	// Settings is what admins set; an empty member means the default.
	Settings web.Site `json:"settings"`
	Defaults web.Site `json:"defaults"`
	// Effective is what pages show.
	Effective web.Site `json:"effective"`
}

func (h *Handler) siteView(c *fiber.Ctx) (siteView, error) {
	v := siteView{Defaults: h.Site.Defaults}
	if err := store.Setting(ctx(c), h.db.Read, siteKey, &v.Settings); err != nil && !errors.Is(err, store.ErrNotFound) {
		return v, err
	}
	v.Effective = v.Defaults
	if v.Settings.Name != "" {
		v.Effective.Name = v.Settings.Name
	}
	if v.Settings.LogoURL != "" {
		v.Effective.LogoURL = v.Settings.LogoURL
	}
	if v.Settings.AccentColor != "" {
		v.Effective.AccentColor = v.Settings.AccentColor
	}
	return v, nil
}

func (h *Handler) showSite(c *fiber.Ctx) error {
	v, err := h.siteView(c)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *Handler) saveSite(c *fiber.Ctx) error {
	var in web.Site
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	in.Name = strings.TrimSpace(in.Name)
	in.LogoURL = strings.TrimSpace(in.LogoURL)
	in.AccentColor = strings.ToLower(strings.TrimSpace(in.AccentColor))
	if errs := checkSite(in, apiLang(c)); len(errs) > 0 {
		return problem(fiber.StatusUnprocessableEntity, errs[0].Detail, errs...)
	}
	if err := store.SetSetting(ctx(c), h.db.Write, siteKey, in); err != nil {
		return err
	}
	if h.Site.Changed != nil {
		h.Site.Changed()
	}
	slog.InfoContext(ctx(c), "site branding changed", "name", in.Name, "by", h.adminID(c))
	return h.showSite(c)
}

// checkSite returns the problems of branding settings, in lang.
func checkSite(s web.Site, lang string) []httpx.FieldProblem {
	var errs []httpx.FieldProblem
	if utf8.RuneCountInString(s.Name) > maxSiteName {
		errs = append(errs, httpx.FieldProblem{Pointer: "/name",
			Detail: inLang(lang, "Le nom est trop long (120 caractères au plus).", "The name is too long (at most 120 characters).")})
	}
	if s.LogoURL != "" {
		u, err := url.Parse(s.LogoURL)
		ok := err == nil && (u.Scheme == "https" && u.Host != "" || u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/") && !strings.HasPrefix(s.LogoURL, "//"))
		if !ok {
			errs = append(errs, httpx.FieldProblem{Pointer: "/logoUrl",
				Detail: inLang(lang, "Indiquez une adresse https://… ou un chemin de ce site commençant par /.", "Give an https://… address or a path on this site starting with /.")})
		}
	}
	if s.AccentColor != "" {
		switch r := web.ContrastOnWhite(s.AccentColor); {
		case r == 0:
			errs = append(errs, httpx.FieldProblem{Pointer: "/accentColor",
				Detail: inLang(lang, "Indiquez une couleur sous la forme #rrggbb.", "Give a colour as #rrggbb.")})
		case r < 4.5:
			errs = append(errs, httpx.FieldProblem{Pointer: "/accentColor",
				Detail: inLang(lang, "Contraste insuffisant sur fond blanc : il faut au moins 4,5:1 pour que les textes et boutons restent lisibles.",
					"Not enough contrast on white: at least 4.5:1 is needed for text and buttons to stay readable.")})
		}
	}
	return errs
}
