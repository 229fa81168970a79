package backoffice

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// requireStaff lets signed-in staff through with their runtime actor (see
// actor); anonymous visitors are sent to the sign-in page.
func (h *Handler) requireStaff(next fiber.Handler) fiber.Handler {
	return h.requireUser(func(c *fiber.Ctx) error {
		a, err := h.rt.ActorFor(c.UserContext(), c.Locals(localUser).(*store.User))
		if err != nil {
			return err
		}
		c.Locals(localActor, a)
		return next(c)
	})
}

// redirect answers a successful POST: the flash message shows on the
// next page (POST/redirect/GET).
func (h *Handler) redirect(c *fiber.Ctx, to, flash string) error {
	if flash != "" {
		httpx.SetFlash(c, flash, h.sessions.Secure())
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}

// t returns a catalogue message in the request's language.
func t(c *fiber.Ctx, key string, args ...any) string { return web.T(httpx.Lang(c), key, args...) }

// stateLabel is a state's label for agents.
func stateLabel(p *runtime.Compiled, state, lang string) string {
	if p.Pipeline != nil {
		if s := p.Pipeline.States[state]; s != nil {
			return s.Label
		}
	}
	return runtime.PublicStateLabel(p, state, lang)
}

// roleLabel is a pipeline role's label, or its ID.
func roleLabel(p *runtime.Compiled, role string) string {
	if p.Pipeline != nil {
		if r := p.Pipeline.Roles[role]; r != nil {
			return r.Label
		}
	}
	return role
}

// visibleProcedures are the published procedures whose dossiers the actor
// may meet: all for admins, else those where they hold a role.
func (h *Handler) visibleProcedures(ctx context.Context, a *runtime.Actor) ([]*runtime.Compiled, error) {
	cat, err := h.rt.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	var out []*runtime.Compiled
	for _, p := range cat {
		if p.Form != nil && (a.IsAdmin || len(a.RolesOn(p.ProcedureID)) > 0) {
			out = append(out, p)
		}
	}
	return out, nil
}

// statesOf lists the states of the procedures' pipelines, once each.
func statesOf(ps []*runtime.Compiled, lang string) []web.Choice {
	seen := map[string]bool{}
	var out []web.Choice
	for _, p := range ps {
		if p.Pipeline == nil {
			if !seen[runtime.InitialState] {
				seen[runtime.InitialState] = true
				out = append(out, web.Choice{Value: runtime.InitialState, Label: runtime.PublicStateLabel(p, runtime.InitialState, lang)})
			}
			continue
		}
		for _, s := range p.Pipeline.Def.States {
			if !seen[s.ID] {
				seen[s.ID] = true
				out = append(out, web.Choice{Value: s.ID, Label: s.Label})
			}
		}
	}
	return out
}

// roleKindLabel names a role's kind for admins.
func roleKindLabel(lang string, k builder.RoleKind) string {
	if k == builder.RoleProcessing {
		return web.T(lang, "roles.kind.processing")
	}
	return web.T(lang, "roles.kind.consulted")
}
