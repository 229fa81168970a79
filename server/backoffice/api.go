package backoffice

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

const localActor = "actor"

// actor returns the request's runtime actor (set by requireActor*).
func actor(c *fiber.Ctx) *runtime.Actor { return c.Locals(localActor).(*runtime.Actor) }

// requireActorJSON answers 401 to anonymous JSON calls and loads the
// signed-in user's roles.
func (h *Handler) requireActorJSON(c *fiber.Ctx) error {
	u, ok := c.Locals(localUser).(*store.User)
	if !ok {
		return fiber.NewError(fiber.StatusUnauthorized, "sign in first")
	}
	a, err := h.rt.ActorFor(c.UserContext(), u)
	if err != nil {
		return err
	}
	c.Locals(localActor, a)
	return c.Next()
}

// localizeErrors puts the refusals of the runtime (runtime.ActionError) in
// the request's language (as the admin API: ?lang=, Accept-Language, the
// lang cookie), for the problem details of the error handler.
func localizeErrors(c *fiber.Ctx) error {
	return runtime.Localize(c.Next(), httpx.APILang(c))
}

func (h *Handler) apiSession(c *fiber.Ctx) error {
	a := actor(c)
	return c.JSON(fiber.Map{"user": fiber.Map{"id": a.User.ID, "email": a.User.Email, "name": a.User.Name,
		"is_admin": a.IsAdmin}, "csrf_token": httpx.CSRFToken(c)})
}

func inboxFilter(c *fiber.Ctx) runtime.InboxFilter {
	page, _ := strconv.Atoi(c.Query("page"))
	return runtime.InboxFilter{ProcedureID: c.Query("procedure"), State: c.Query("state"), Query: c.Query("q"),
		Pending: c.Query("pending") == "1", Overdue: c.Query("overdue") == "1", Page: page}
}

func (h *Handler) apiInbox(c *fiber.Ctx) error {
	in, err := h.rt.Inbox(c.UserContext(), actor(c), inboxFilter(c))
	if err != nil {
		return err
	}
	items := make([]fiber.Map, 0, len(in.Dossiers))
	for _, d := range in.Dossiers {
		items = append(items, fiber.Map{"id": d.ID, "reference": d.Reference, "state": d.State,
			"applicant_name": d.ApplicantName, "submitted_at": d.SubmittedAt})
	}
	return c.JSON(fiber.Map{"dossiers": items, "total": in.Total, "counts": in.Counts})
}

// dossierJSON is the JSON shape of a DossierView.
type dossierJSON struct {
	ID          string                       `json:"id"`
	Reference   string                       `json:"reference"`
	Procedure   string                       `json:"procedure"`
	Version     int                          `json:"version"`
	State       string                       `json:"state"`
	Data        json.RawMessage              `json:"data"`
	SubmittedAt time.Time                    `json:"submitted_at"`
	ClosedAt    *time.Time                   `json:"closed_at,omitempty"`
	Invitations map[string]*store.Invitation `json:"invitations"`
	Opinions    []store.Opinion              `json:"opinions"`
	Timeline    []store.Event                `json:"timeline"`
	Roles       []string                     `json:"roles"`
	Actions     map[string][]string          `json:"actions"`
}

func (h *Handler) apiDossier(c *fiber.Ctx) error {
	v, err := h.rt.Dossier(c.UserContext(), actor(c), c.Params("id"))
	if err != nil {
		return err
	}
	out := dossierJSON{ID: v.Dossier.ID, Reference: v.Dossier.Reference, Procedure: v.Procedure.Def.Slug,
		Version: v.Procedure.Version, State: v.Dossier.State, Data: v.Dossier.Data, SubmittedAt: v.Dossier.SubmittedAt,
		ClosedAt: v.Dossier.ClosedAt, Invitations: v.Invitations, Opinions: v.Opinions, Timeline: v.Events,
		Roles: v.Roles, Actions: map[string][]string{"transitions": {}, "circulate": {}, "opinion": {}}}
	for _, t := range v.Transitions {
		out.Actions["transitions"] = append(out.Actions["transitions"], t.ID)
	}
	for _, r := range v.Circulable {
		out.Actions["circulate"] = append(out.Actions["circulate"], r.ID)
	}
	for _, r := range v.OpinionRoles {
		out.Actions["opinion"] = append(out.Actions["opinion"], r.ID)
	}
	return c.JSON(out)
}

// decodeJSON decodes a small JSON body into v (400 when malformed).
func decodeJSON(c *fiber.Ctx, v any) error {
	if len(c.Body()) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fiber.NewError(fiber.StatusBadRequest, "malformed JSON: "+err.Error())
	}
	return nil
}

func (h *Handler) apiFire(c *fiber.Ctx) error {
	var in struct {
		Data map[string]any `json:"data"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.rt.Fire(c.UserContext(), actor(c), c.Params("id"), c.Params("transition"), in.Data); err != nil {
		return err
	}
	return h.apiDossier(c)
}

func (h *Handler) apiCirculate(c *fiber.Ctx) error {
	var in struct {
		Role   string `json:"role"`
		Invite bool   `json:"invite"`
		DueAt  string `json:"due_at"` // YYYY-MM-DD, optional
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	due, err := parseDueDate(in.DueAt)
	if err != nil {
		return err
	}
	if err := h.rt.Circulate(c.UserContext(), actor(c), c.Params("id"), in.Role, in.Invite, due); err != nil {
		return err
	}
	return h.apiDossier(c)
}

// parseDueDate reads an optional YYYY-MM-DD deadline (end of that day).
func parseDueDate(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, runtime.Zurich)
	if err != nil {
		return nil, fiber.NewError(fiber.StatusBadRequest, "due date must be YYYY-MM-DD")
	}
	end := runtime.EndOfDay(t)
	return &end, nil
}

func (h *Handler) apiReturnOpinion(c *fiber.Ctx) error {
	var in struct {
		Data map[string]any `json:"data"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.rt.ReturnOpinion(c.UserContext(), actor(c), c.Params("id"), c.Params("role"), in.Data); err != nil {
		return err
	}
	return h.apiDossier(c)
}

func (h *Handler) apiComment(c *fiber.Ctx) error {
	var in struct {
		Text string `json:"text"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := h.rt.Comment(c.UserContext(), actor(c), c.Params("id"), in.Text); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// downloadFile sends a dossier's file to an actor who may see the dossier.
func (h *Handler) downloadFile(c *fiber.Ctx) error {
	f, err := h.rt.File(c.UserContext(), actor(c), c.Params("id"), c.Params("file"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+sanitizeHeader(f.Name)+`"`)
	c.Set("X-Content-Type-Options", "nosniff")
	return c.Send(f.Content)
}

func sanitizeHeader(s string) string {
	b := []rune{}
	for _, r := range s {
		if r >= 0x20 && r != '"' && r != '\\' && r != 0x7f {
			b = append(b, r)
		}
	}
	return string(b)
}
