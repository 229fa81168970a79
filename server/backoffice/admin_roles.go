package backoffice

import (
	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// listBindings shows, for each published procedure with a pipeline, the
// groups bound to each of its roles.
func (h *Handler) listBindings(c *fiber.Ctx) error {
	ctx, lang := c.UserContext(), httpx.Lang(c)
	cat, err := h.rt.Catalogue(ctx)
	if err != nil {
		return err
	}
	gs, err := store.Groups(ctx, h.db.Read)
	if err != nil {
		return err
	}
	bs, err := store.Bindings(ctx, h.db.Read, "")
	if err != nil {
		return err
	}
	bound := map[[2]string]map[string]bool{} // (procedure, role) → group IDs
	for _, b := range bs {
		k := [2]string{b.ProcedureID, b.RoleID}
		if bound[k] == nil {
			bound[k] = map[string]bool{}
		}
		bound[k][b.GroupID] = true
	}
	page := web.RolesPage{HasGroups: len(gs) > 0}
	for _, p := range cat {
		if p.Pipeline == nil || len(p.Pipeline.Def.Roles) == 0 {
			continue
		}
		pr := web.ProcedureRoles{ProcedureID: p.ProcedureID, Title: p.Def.Title}
		for _, r := range p.Pipeline.Def.Roles {
			row := web.RoleRow{ID: "role-" + p.Def.Slug + "-" + r.ID, RoleID: r.ID, Label: r.Label, Kind: roleKindLabel(lang, r.Kind)}
			for _, g := range gs {
				if bound[[2]string{p.ProcedureID, r.ID}][g.ID] {
					row.Groups = append(row.Groups, web.BoundGroup{ID: g.ID, Label: g.Label})
				} else {
					row.Candidates = append(row.Candidates, web.Choice{Value: g.ID, Label: g.Label})
				}
			}
			pr.Roles = append(pr.Roles, row)
		}
		page.Procedures = append(page.Procedures, pr)
	}
	return h.pages.Render(c, fiber.StatusOK, "admin_roles", t(c, "roles.title"), false, page)
}

// bindingForm reads the procedure, role and group a bind or unbind form
// posts, and checks that the procedure is published with that role.
func (h *Handler) bindingForm(c *fiber.Ctx) (*builder.Role, *store.Group, string, error) {
	ctx := c.UserContext()
	procID, roleID := c.FormValue("procedure"), c.FormValue("role")
	cat, err := h.rt.Catalogue(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	for _, p := range cat {
		if p.ProcedureID != procID || p.Pipeline == nil || p.Pipeline.Roles[roleID] == nil {
			continue
		}
		g, err := store.GroupByID(ctx, h.db.Read, c.FormValue("group"))
		if err != nil {
			return nil, nil, "", err
		}
		return p.Pipeline.Roles[roleID], g, procID, nil
	}
	return nil, nil, "", store.ErrNotFound
}

func (h *Handler) bindRole(c *fiber.Ctx) error {
	r, g, procID, err := h.bindingForm(c)
	if err != nil {
		return err
	}
	if err := store.Bind(c.UserContext(), h.db.Write, &store.RoleBinding{ProcedureID: procID, RoleID: r.ID, GroupID: g.ID,
		Kind: string(r.Kind)}); err != nil {
		return err
	}
	h.log.Info("role bound", "procedure_id", procID, "role", r.ID, "group_id", g.ID, "by", actorID(c))
	return h.redirect(c, "/backoffice/admin/roles", t(c, "flash.bound", r.Label, g.Label))
}

func (h *Handler) unbindRole(c *fiber.Ctx) error {
	r, g, procID, err := h.bindingForm(c)
	if err != nil {
		return err
	}
	if err := store.Unbind(c.UserContext(), h.db.Write, procID, r.ID, g.ID); err != nil {
		return err
	}
	h.log.Info("role unbound", "procedure_id", procID, "role", r.ID, "group_id", g.ID, "by", actorID(c))
	return h.redirect(c, "/backoffice/admin/roles", t(c, "flash.unbound", r.Label, g.Label))
}
