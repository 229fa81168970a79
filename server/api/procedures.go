package api

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/portal"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// procedureSummary is a procedure in the list.
type procedureSummary struct {
	Slug      string   `json:"slug"`
	Title     string   `json:"title"`
	Summary   string   `json:"summary,omitempty"`
	Category  string   `json:"category,omitempty"`
	Keywords  []string `json:"keywords,omitempty"`
	Version   int      `json:"version"`
	Scenarios []string `json:"scenarios"`
	HasForm   bool     `json:"has_form"`
	URL       string   `json:"url"`
}

func summaryOf(rt *runtime.Engine, p *runtime.Compiled) procedureSummary {
	s := procedureSummary{Slug: p.Def.Slug, Title: p.Def.Title, Summary: p.Def.Summary, Category: p.Def.Category,
		Keywords: p.Def.Keywords, Version: p.Version, HasForm: p.Form != nil, URL: rt.BaseURL + "/d/" + p.Def.Slug}
	for _, sc := range p.Def.Scenarios {
		s.Scenarios = append(s.Scenarios, string(sc.Kind))
	}
	return s
}

func (h *Handler) listProcedures(c *fiber.Ctx) error {
	list, err := h.rt.Catalogue(c.UserContext())
	if err != nil {
		return err
	}
	q, cat := c.Query("q"), c.Query("category")
	out := []procedureSummary{}
	for _, p := range portal.PublicProcedures(list) {
		if (cat == "" || p.Def.Category == cat) && portal.Matches(p.Def, q) {
			out = append(out, summaryOf(h.rt, p))
		}
	}
	return c.JSON(fiber.Map{"procedures": out})
}

// procedureDetail is one procedure with its scenarios and form.
type procedureDetail struct {
	procedureSummary
	Information []builder.Scenario `json:"information,omitempty"`
	RedirectURL string             `json:"redirect_url,omitempty"`
	Form        *formDetail        `json:"form,omitempty"`
}

type formDetail struct {
	Schema   json.RawMessage `json:"schema"`
	UISchema json.RawMessage `json:"ui_schema,omitempty"`
	Submit   string          `json:"submit_url"`
}

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

func (h *Handler) showProcedure(c *fiber.Ctx) error {
	p, err := h.publicProcedure(c)
	if err != nil {
		return err
	}
	d := procedureDetail{procedureSummary: summaryOf(h.rt, p)}
	for _, s := range p.Def.Scenarios {
		switch s.Kind {
		case builder.ScenarioInformation:
			d.Information = append(d.Information, s)
		case builder.ScenarioRedirect:
			d.RedirectURL = s.URL
		}
	}
	if p.Form != nil {
		d.Form = &formDetail{Schema: p.Form.Schema(), UISchema: p.Form.UISchema(),
			Submit: h.rt.BaseURL + "/api/v1/procedures/" + p.Def.Slug + "/dossiers"}
	}
	return c.JSON(d)
}
