package portal

import (
	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/web"
)

func (h *Handler) showProcedure(c *fiber.Ctx) error {
	p, err := h.publicProcedure(c)
	if err != nil {
		return err
	}
	page := web.ProcedurePage{Slug: p.Def.Slug, Title: p.Def.Title, Summary: p.Def.Summary, Category: p.Def.Category}
	for _, s := range p.Def.Scenarios {
		v := web.ScenarioView{Kind: string(s.Kind), Title: s.Title}
		switch s.Kind {
		case builder.ScenarioInformation:
			v.Body = Markdown(s.Body)
			for _, a := range s.Attachments {
				v.Attachments = append(v.Attachments, web.LinkView{Title: a.Title, URL: a.URL})
			}
		case builder.ScenarioRedirect:
			v.URL = s.URL
		case builder.ScenarioOnline, builder.ScenarioAPI:
			v.Body = Markdown(s.Body)
			v.URL = "/d/" + p.Def.Slug + "/form"
		}
		page.Scenarios = append(page.Scenarios, v)
	}
	return h.pages.Render(c, fiber.StatusOK, "procedure", p.Def.Title, false, page)
}
