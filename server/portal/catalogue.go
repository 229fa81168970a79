package portal

import (
	"slices"
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

func (h *Handler) showCatalogue(c *fiber.Ctx) error {
	list, err := h.rt.Catalogue(c.UserContext())
	if err != nil {
		return err
	}
	q := strings.TrimSpace(c.Query("q"))
	cat := strings.TrimSpace(c.Query("category")) // the name of the page's select
	page := web.CataloguePage{Query: q, Category: cat}
	for _, p := range PublicProcedures(list) {
		if p.Def.Category != "" && !slices.Contains(page.Categories, p.Def.Category) {
			page.Categories = append(page.Categories, p.Def.Category)
		}
		if (cat == "" || p.Def.Category == cat) && Matches(p.Def, q) {
			page.Items = append(page.Items, web.CatalogueItem{
				Slug: p.Def.Slug, Title: p.Def.Title, Summary: p.Def.Summary, Category: p.Def.Category,
			})
		}
	}
	slices.Sort(page.Categories)
	slices.SortFunc(page.Items, func(a, b web.CatalogueItem) int { return strings.Compare(fold(a.Title), fold(b.Title)) })
	return h.pages.Render(c, fiber.StatusOK, "catalogue", web.T(httpx.Lang(c), "catalogue.title"), false, page)
}

// PublicProcedures keeps the procedures listed on the portal: agent-only
// procedures never are.
func PublicProcedures(list []*runtime.Compiled) []*runtime.Compiled {
	out := make([]*runtime.Compiled, 0, len(list))
	for _, p := range list {
		if p.Def.Audience == builder.AudiencePublic {
			out = append(out, p)
		}
	}
	return out
}

// Matches reports whether every word of query appears in the procedure's
// title, summary, category or keywords, ignoring case and accents.
func Matches(p *builder.Procedure, query string) bool {
	if query == "" {
		return true
	}
	hay := fold(p.Title + " " + p.Summary + " " + p.Category + " " + strings.Join(p.Keywords, " "))
	for _, w := range strings.Fields(fold(query)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

var folder = cases.Fold()

// fold lower-cases and strips accents: "Réservation" matches "reservation".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return folder.String(out)
}

// publicProcedure returns the published public procedure slug.
func (h *Handler) publicProcedure(c *fiber.Ctx) (*runtime.Compiled, error) {
	p, err := h.rt.Published(c.UserContext(), c.Params("slug"))
	if err != nil {
		return nil, err
	}
	if p.Def.Audience != builder.AudiencePublic {
		return nil, store.ErrNotFound
	}
	return p, nil
}
