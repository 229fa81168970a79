package backoffice

import (
	"context"
	"errors"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/auth"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

// minPassword is the shortest password an admin may set.
const minPassword = 12

func userURL(id string) string { return "/backoffice/admin/users/" + url.PathEscape(id) }

// userGroups maps each user ID to the labels of their groups.
func (h *Handler) userGroups(ctx context.Context) (map[string][]string, error) {
	gs, err := store.Groups(ctx, h.db.Read)
	if err != nil {
		return nil, err
	}
	labels := map[string]string{}
	for _, g := range gs {
		labels[g.ID] = g.Label
	}
	ms, err := store.Memberships(ctx, h.db.Read)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, m := range ms {
		out[m.UserID] = append(out[m.UserID], labels[m.GroupID])
	}
	return out, nil
}

func userRow(u store.User, groups map[string][]string) web.UserRow {
	return web.UserRow{ID: u.ID, Name: u.Name, Email: u.Email, URL: userURL(u.ID), IsAdmin: u.IsAdmin, Groups: groups[u.ID]}
}

func (h *Handler) renderUsers(c *fiber.Ctx, status int, form web.UserForm) error {
	ctx := c.UserContext()
	us, err := store.Users(ctx, h.db.Read)
	if err != nil {
		return err
	}
	groups, err := h.userGroups(ctx)
	if err != nil {
		return err
	}
	page := web.UsersPage{Form: form}
	for _, u := range us {
		page.Users = append(page.Users, userRow(u, groups))
	}
	page.Errors = errorLinks(web.ErrorLink{FieldID: "user-name", Message: form.NameError},
		web.ErrorLink{FieldID: "user-email", Message: form.EmailError}, web.ErrorLink{FieldID: "user-password", Message: form.PasswordError})
	return h.pages.Render(c, status, "admin_users", t(c, "users.title"), len(page.Errors) > 0, page)
}

// errorLinks keeps the links that carry a message, in order.
func errorLinks(links ...web.ErrorLink) []web.ErrorLink {
	var out []web.ErrorLink
	for _, l := range links {
		if l.Message != "" {
			out = append(out, l)
		}
	}
	return out
}

func (h *Handler) listUsers(c *fiber.Ctx) error {
	return h.renderUsers(c, fiber.StatusOK, web.UserForm{})
}

// userRequest is the account creation form.
type userRequest struct {
	name, email, password string
	isAdmin               bool
}

// validate returns the form with its errors (in the page's language).
func (r userRequest) validate(c *fiber.Ctx) web.UserForm {
	f := web.UserForm{Name: r.name, Email: r.email, IsAdmin: r.isAdmin}
	if r.name == "" || utf8.RuneCountInString(r.name) > 200 {
		f.NameError = t(c, "users.name.required")
	}
	if a, err := mail.ParseAddress(r.email); err != nil || a.Address != r.email || len(r.email) > 320 {
		f.EmailError = t(c, "users.email.invalid")
	}
	if utf8.RuneCountInString(r.password) < minPassword {
		f.PasswordError = t(c, "users.password.short")
	}
	return f
}

func (h *Handler) createUser(c *fiber.Ctx) error {
	r := userRequest{name: strings.TrimSpace(c.FormValue("name")), email: strings.TrimSpace(c.FormValue("email")),
		password: c.FormValue("password"), isAdmin: c.FormValue("is_admin") == "1"}
	f := r.validate(c)
	if f.NameError != "" || f.EmailError != "" || f.PasswordError != "" {
		return h.renderUsers(c, fiber.StatusUnprocessableEntity, f)
	}
	hash, err := auth.HashPassword(r.password)
	if err != nil {
		return err
	}
	u := &store.User{ID: store.NewID(), Email: r.email, Name: r.name, PasswordHash: hash, IsAdmin: r.isAdmin,
		CreatedAt: time.Now().UTC()}
	if err := store.InsertUser(c.UserContext(), h.db.Write, u); errors.Is(err, store.ErrConflict) {
		f.EmailError = t(c, "users.email.taken")
		return h.renderUsers(c, fiber.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	h.log.Info("user created", "user_id", u.ID, "by", actorID(c), "admin", u.IsAdmin)
	return h.redirect(c, "/backoffice/admin/users", t(c, "flash.user_created", u.Name))
}

func (h *Handler) renderUser(c *fiber.Ctx, status int, passwordErr string) error {
	ctx := c.UserContext()
	u, err := store.UserByID(ctx, h.db.Read, c.Params("id"))
	if err != nil {
		return err
	}
	groups, err := h.userGroups(ctx)
	if err != nil {
		return err
	}
	page := web.UserPage{User: userRow(*u, groups), Action: userURL(u.ID) + "/password", PasswordError: passwordErr}
	if passwordErr != "" {
		page.Errors = []web.ErrorLink{{FieldID: "new-password", Message: passwordErr}}
	}
	return h.pages.Render(c, status, "admin_user", u.Name, passwordErr != "", page)
}

func (h *Handler) showUser(c *fiber.Ctx) error { return h.renderUser(c, fiber.StatusOK, "") }

// resetPassword sets a new password chosen by the admin.
func (h *Handler) resetPassword(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u, err := store.UserByID(ctx, h.db.Read, c.Params("id"))
	if err != nil {
		return err
	}
	pw := c.FormValue("password")
	if utf8.RuneCountInString(pw) < minPassword {
		return h.renderUser(c, fiber.StatusUnprocessableEntity, t(c, "users.password.short"))
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := store.SetPassword(ctx, h.db.Write, u.ID, hash); err != nil {
		return err
	}
	h.log.Info("password reset", "user_id", u.ID, "by", actorID(c))
	return h.redirect(c, userURL(u.ID), t(c, "flash.password_reset", u.Name))
}

// actorID is the signed-in user's ID, for the logs.
func actorID(c *fiber.Ctx) string {
	if u, ok := c.Locals(localUser).(*store.User); ok {
		return u.ID
	}
	return ""
}
