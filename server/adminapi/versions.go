package adminapi

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/store"
)

func (h *Handler) listVersions(c *fiber.Ctx) error {
	o, err := h.overview(c)
	if err != nil {
		return err
	}
	vs, err := store.ProcedureVersions(ctx(c), h.db.Read, o.ID)
	if err != nil {
		return err
	}
	out := make([]versionView, 0, len(vs))
	for i := range vs {
		out = append(out, versionOf(&vs[i], o.CurrentVersion))
	}
	return c.JSON(fiber.Map{"versions": out})
}

func (h *Handler) showVersion(c *fiber.Ctx) error {
	o, err := h.overview(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("version"))
	if err != nil || n < 1 {
		return store.ErrNotFound
	}
	v, err := store.VersionByNumber(ctx(c), h.db.Read, o.ID, n)
	if err != nil {
		return err
	}
	out := versionOf(v, o.CurrentVersion)
	out.Definition = v.Definition
	return c.JSON(out)
}

// draftRef names the draft where a version number is expected.
const draftRef = "draft"

// document returns the draft (ref "draft") or version ref of o, parsed. A
// ref that is neither is a 422 on param.
func (h *Handler) document(c *fiber.Ctx, o *store.ProcedureOverview, ref, param string) (*builder.Procedure, error) {
	if ref == draftRef {
		return builder.Parse(o.Draft)
	}
	n, err := strconv.Atoi(ref)
	if err != nil || n < 1 {
		return nil, invalid(param, `%s must be a version number or "draft", not %q`, param[1:], ref)
	}
	v, err := store.VersionByNumber(ctx(c), h.db.Read, o.ID, n)
	if err != nil {
		return nil, err
	}
	return builder.Parse(v.Definition)
}

// changeView is one difference between two documents.
type changeView struct {
	builder.Change
	Pointer string `json:"pointer"`
	Text    string `json:"text"`
}

// diffVersions compares two versions, or a version and the draft. By
// default it shows what publishing the draft would change.
func (h *Handler) diffVersions(c *fiber.Ctx) error {
	o, err := h.overview(c)
	if err != nil {
		return err
	}
	from, to := c.Query("from"), c.Query("to", draftRef)
	if from == "" && o.CurrentVersion > 0 {
		from = strconv.Itoa(o.CurrentVersion)
	}
	var a *builder.Procedure // nil: nothing published yet
	if from != "" {
		if a, err = h.document(c, o, from, "/from"); err != nil {
			return err
		}
	}
	b, err := h.document(c, o, to, "/to")
	if err != nil {
		return err
	}
	changes := []changeView{}
	for _, ch := range builder.Diff(a, b) {
		changes = append(changes, changeView{Change: ch, Pointer: pathToPointer(ch.Path), Text: ch.String()})
	}
	return c.JSON(fiber.Map{"from": from, "to": to, "changes": changes})
}

// exportProcedure downloads the draft or a version as a JSON file that
// import takes back.
func (h *Handler) exportProcedure(c *fiber.Ctx) error {
	o, err := h.overview(c)
	if err != nil {
		return err
	}
	ref := c.Query("version", draftRef)
	def, err := h.document(c, o, ref, "/version")
	if err != nil {
		return err
	}
	data, err := def.JSON()
	if err != nil {
		return err
	}
	name := o.Slug + ".json"
	if ref != draftRef {
		name = o.Slug + "-v" + ref + ".json"
	}
	c.Attachment(name)
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(data)
}
