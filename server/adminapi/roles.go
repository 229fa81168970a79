package adminapi

import (
	"log/slog"
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/store"
)

// Role bindings give the members of a group a pipeline role on a
// procedure. The pipeline editor shows them next to each role and changes
// them at once: unlike the draft, a binding is not versioned (it says who
// works on the procedure, not how the procedure works), so it also applies
// to the dossiers of published versions. A role that only the draft has
// can be bound ahead of publication: its binding is pending, and gives no
// access until a version with the role is published; a role that the
// published version dropped leaves pending bindings, listed so that they
// can be removed.

// roleView is a role of the draft or of the published version, with the
// groups bound to it.
type roleView struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	Kind  string `json:"kind"`
	// Published tells whether the current version has the role; a role
	// only in the draft can be bound ahead of publication.
	Published bool `json:"published"`
	// InDraft tells whether the draft still has the role.
	InDraft bool     `json:"inDraft"`
	Groups  []string `json:"groups"`
	// Kind of the bindings: the published role's kind, or "pending"
	// (no access) when the published version does not have the role.
	Binding string `json:"binding"`
}

type groupView struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Label string `json:"label"`
}

// rolesOf returns the roles of every pipeline of def, by ID.
func rolesOf(def *builder.Procedure) map[string]builder.Role {
	out := map[string]builder.Role{}
	if def == nil {
		return out
	}
	for _, s := range def.Scenarios {
		if s.Pipeline == nil {
			continue
		}
		for _, r := range s.Pipeline.Roles {
			out[r.ID] = r
		}
	}
	return out
}

// procedureRoles returns the overview of the procedure of the request and
// the roles of its draft and current version; the current version's kind
// wins, since it is the one that decides today's access.
func (h *Handler) procedureRoles(c *fiber.Ctx) (*store.ProcedureOverview, []roleView, error) {
	o, draft, err := h.draft(c)
	if err != nil {
		return nil, nil, err
	}
	var current *builder.Procedure
	if len(o.Current) > 0 {
		if current, err = builder.Parse(o.Current); err != nil {
			return nil, nil, err
		}
	}
	inDraft, published := rolesOf(draft), rolesOf(current)
	var out []roleView
	add := func(r builder.Role) {
		_, d := inDraft[r.ID]
		_, p := published[r.ID]
		v := roleView{ID: r.ID, Label: r.Label, Kind: string(r.Kind), Published: p, InDraft: d, Groups: []string{}, Binding: store.BindingPending}
		if p {
			v.Binding = string(published[r.ID].Kind)
		}
		out = append(out, v)
	}
	for _, r := range published {
		add(r)
	}
	for id, r := range inDraft {
		if _, ok := published[id]; !ok {
			add(r)
		}
	}
	// Roles that neither has any more, still bound.
	bs, err := store.Bindings(ctx(c), h.db.Read, o.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, b := range bs {
		_, d := inDraft[b.RoleID]
		_, p := published[b.RoleID]
		if !d && !p && !slices.ContainsFunc(out, func(r roleView) bool { return r.ID == b.RoleID }) {
			out = append(out, roleView{ID: b.RoleID, Label: b.RoleID, Groups: []string{}, Binding: store.BindingPending})
		}
	}
	slices.SortFunc(out, func(a, b roleView) int {
		if a.Label != b.Label {
			if a.Label < b.Label {
				return -1
			}
			return 1
		}
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	return o, out, nil
}

func (h *Handler) listRoleBindings(c *fiber.Ctx) error {
	o, roles, err := h.procedureRoles(c)
	if err != nil {
		return err
	}
	return h.sendBindings(c, o.ID, roles)
}

func (h *Handler) sendBindings(c *fiber.Ctx, procedureID string, roles []roleView) error {
	gs, err := store.Groups(ctx(c), h.db.Read)
	if err != nil {
		return err
	}
	bs, err := store.Bindings(ctx(c), h.db.Read, procedureID)
	if err != nil {
		return err
	}
	for _, b := range bs {
		if i := slices.IndexFunc(roles, func(r roleView) bool { return r.ID == b.RoleID }); i >= 0 {
			roles[i].Groups = append(roles[i].Groups, b.GroupID)
		}
	}
	groups := make([]groupView, 0, len(gs))
	for _, g := range gs {
		groups = append(groups, groupView{ID: g.ID, Name: g.Name, Label: g.Label})
	}
	if roles == nil {
		roles = []roleView{}
	}
	return c.JSON(fiber.Map{"roles": roles, "groups": groups})
}

// bindingTarget resolves the role and group of a bind or unbind request.
func (h *Handler) bindingTarget(c *fiber.Ctx) (*store.ProcedureOverview, []roleView, roleView, *store.Group, error) {
	o, roles, err := h.procedureRoles(c)
	if err != nil {
		return nil, nil, roleView{}, nil, err
	}
	i := slices.IndexFunc(roles, func(r roleView) bool { return r.ID == c.Params("role") })
	if i < 0 {
		return nil, nil, roleView{}, nil, problem(fiber.StatusNotFound, "the procedure "+o.Slug+" has no role "+c.Params("role"))
	}
	gs, err := store.Groups(ctx(c), h.db.Read)
	if err != nil {
		return nil, nil, roleView{}, nil, err
	}
	j := slices.IndexFunc(gs, func(g store.Group) bool { return g.ID == c.Params("group") })
	if j < 0 {
		return nil, nil, roleView{}, nil, problem(fiber.StatusNotFound, "there is no group "+c.Params("group"))
	}
	return o, roles, roles[i], &gs[j], nil
}

func (h *Handler) bindRole(c *fiber.Ctx) error {
	o, roles, r, g, err := h.bindingTarget(c)
	if err != nil {
		return err
	}
	if !r.Published && !r.InDraft {
		return problem(fiber.StatusNotFound, "the procedure "+o.Slug+" has no role "+r.ID+" any more: its bindings can only be removed")
	}
	if err := store.Bind(ctx(c), h.db.Write, &store.RoleBinding{ProcedureID: o.ID, RoleID: r.ID, GroupID: g.ID, Kind: r.Binding}); err != nil {
		return err
	}
	slog.InfoContext(ctx(c), "role bound", "procedure", o.Slug, "role", r.ID, "group", g.Name, "by", h.adminID(c))
	return h.sendBindings(c, o.ID, clearGroups(roles))
}

func (h *Handler) unbindRole(c *fiber.Ctx) error {
	o, roles, r, g, err := h.bindingTarget(c)
	if err != nil {
		return err
	}
	if err := store.Unbind(ctx(c), h.db.Write, o.ID, r.ID, g.ID); err != nil {
		return err
	}
	slog.InfoContext(ctx(c), "role unbound", "procedure", o.Slug, "role", r.ID, "group", g.Name, "by", h.adminID(c))
	return h.sendBindings(c, o.ID, clearGroups(roles))
}

func clearGroups(rs []roleView) []roleView {
	for i := range rs {
		rs[i].Groups = []string{}
	}
	return rs
}
