package backoffice

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// groupName is the shape of a group's identifier, which assignment rules
// of pipelines name.
var groupName = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

func groupURL(id string) string { return "/backoffice/admin/groups/" + url.PathEscape(id) }

func (h *Handler) renderGroups(c *fiber.Ctx, status int, form web.GroupForm) error {
	ctx := c.UserContext()
	gs, err := store.Groups(ctx, h.db.Read)
	if err != nil {
		return err
	}
	us, err := store.Users(ctx, h.db.Read)
	if err != nil {
		return err
	}
	ms, err := store.Memberships(ctx, h.db.Read)
	if err != nil {
		return err
	}
	member := map[string]map[string]bool{}
	for _, m := range ms {
		if member[m.GroupID] == nil {
			member[m.GroupID] = map[string]bool{}
		}
		member[m.GroupID][m.UserID] = true
	}
	page := web.GroupsPage{Form: form}
	for _, g := range gs {
		row := web.GroupRow{ID: g.ID, Name: g.Name, Label: g.Label, AddAction: groupURL(g.ID) + "/members"}
		for _, u := range us {
			if member[g.ID][u.ID] {
				row.Members = append(row.Members, web.MemberRow{Name: u.Name, Email: u.Email,
					RemoveAction: groupURL(g.ID) + "/members/" + url.PathEscape(u.ID) + "/remove"})
			} else {
				row.Candidates = append(row.Candidates, web.Choice{Value: u.ID, Label: u.Name + " (" + u.Email + ")"})
			}
		}
		page.Groups = append(page.Groups, row)
	}
	page.Errors = errorLinks(web.ErrorLink{FieldID: "group-label", Message: form.LabelError},
		web.ErrorLink{FieldID: "group-name", Message: form.NameError})
	return h.pages.Render(c, status, "admin_groups", t(c, "groups.title"), len(page.Errors) > 0, page)
}

func (h *Handler) listGroups(c *fiber.Ctx) error {
	return h.renderGroups(c, fiber.StatusOK, web.GroupForm{})
}

func (h *Handler) createGroup(c *fiber.Ctx) error {
	f := web.GroupForm{Name: strings.TrimSpace(c.FormValue("name")), Label: strings.TrimSpace(c.FormValue("label"))}
	if f.Label == "" || utf8.RuneCountInString(f.Label) > 200 {
		f.LabelError = t(c, "groups.label.required")
	}
	if !groupName.MatchString(f.Name) || len(f.Name) > 100 {
		f.NameError = t(c, "groups.name.invalid")
	}
	if f.LabelError != "" || f.NameError != "" {
		return h.renderGroups(c, fiber.StatusUnprocessableEntity, f)
	}
	g := &store.Group{ID: store.NewID(), Name: f.Name, Label: f.Label, CreatedAt: time.Now().UTC()}
	if err := store.InsertGroup(c.UserContext(), h.db.Write, g); errors.Is(err, store.ErrConflict) {
		f.NameError = t(c, "groups.name.taken")
		return h.renderGroups(c, fiber.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return h.redirect(c, "/backoffice/admin/groups", t(c, "flash.group_created", g.Label))
}

// groupAndUser loads the group of the URL and a user (404 when either is
// unknown).
func (h *Handler) groupAndUser(c *fiber.Ctx, userID string) (*store.Group, *store.User, error) {
	g, err := store.GroupByID(c.UserContext(), h.db.Read, c.Params("id"))
	if err != nil {
		return nil, nil, err
	}
	u, err := store.UserByID(c.UserContext(), h.db.Read, userID)
	if err != nil {
		return nil, nil, err
	}
	return g, u, nil
}

func (h *Handler) addMember(c *fiber.Ctx) error {
	g, u, err := h.groupAndUser(c, c.FormValue("user"))
	if err != nil {
		return err
	}
	if err := store.AddMember(c.UserContext(), h.db.Write, g.ID, u.ID); err != nil {
		return err
	}
	h.log.Info("group member added", "group_id", g.ID, "user_id", u.ID, "by", actorID(c))
	return h.redirect(c, "/backoffice/admin/groups", t(c, "flash.member_added", u.Name, g.Label))
}

func (h *Handler) removeMember(c *fiber.Ctx) error {
	g, u, err := h.groupAndUser(c, c.Params("user"))
	if err != nil {
		return err
	}
	if err := store.RemoveMember(c.UserContext(), h.db.Write, g.ID, u.ID); err != nil {
		return err
	}
	h.log.Info("group member removed", "group_id", g.ID, "user_id", u.ID, "by", actorID(c))
	return h.redirect(c, "/backoffice/admin/groups", t(c, "flash.member_removed", u.Name, g.Label))
}
