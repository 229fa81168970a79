package adminapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// deleteProcedure removes a procedure that was never published and has
// no dossier (a test or an abandoned draft), with everything that belongs
// to it alone (see store.DeleteUnpublishedProcedure), in one transaction;
// its slug and old slugs become free. A procedure that was published or
// has dossiers is a 409: archive it instead. 204 on success.
func (h *Handler) deleteProcedure(c *fiber.Ctx) error {
	o, err := h.overview(c)
	if err != nil {
		return err
	}
	if o.CurrentVersion > 0 {
		return procedureUsed(c, o.Slug)
	}
	err = h.db.Tx(ctx(c), func(tctx context.Context, tx bun.Tx) error {
		return store.DeleteUnpublishedProcedure(tctx, tx, o.ID)
	})
	switch {
	case errors.Is(err, store.ErrProcedureUsed):
		return procedureUsed(c, o.Slug)
	case err != nil:
		return err
	}
	h.rt.Invalidate() // no cached slug may still name it
	slog.InfoContext(ctx(c), "procedure deleted", "procedure", o.Slug, "id", o.ID, "by", h.adminID(c))
	return c.SendStatus(fiber.StatusNoContent)
}

// procedureUsed is the 409 of deleting a procedure that was published or
// has dossiers.
func procedureUsed(c *fiber.Ctx, slug string) error {
	return problem(fiber.StatusConflict, fmt.Sprintf(inLang(apiLang(c),
		"la démarche «\u00a0%s\u00a0» a été publiée ou a des dossiers : elle ne peut pas être supprimée, archivez-la plutôt",
		"the procedure %q was published or has dossiers: it cannot be deleted, archive it instead"), slug))
}

// duplicateRequest is the body of POST /procedures/{slug}/duplicate.
type duplicateRequest struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
	// From is "draft" (the default) or the number of a published version.
	From json.RawMessage `json:"from"`
}

// copySuffix ends the default title of a copy.
const copySuffix = " (copie)"

// duplicateProcedure creates a new draft procedure (never published) from
// the draft or a published version of another: the same document under
// the new slug and title (by default the title followed by " (copie)").
// Like an import, the copy keeps its reference prefix: while another
// procedure publishes under it, the copy's problems say so and
// publication refuses it until the admin chooses another. Integrations of
// the copy are disabled (enabled: false), so that a copy never calls a
// business application until an admin turns them on. Role bindings are
// not copied. It answers 201 with the new procedure (as creation does),
// 422 on /slug (the rules of creation) or /from, 409 when the slug is
// another procedure's slug or old slug.
func (h *Handler) duplicateProcedure(c *fiber.Ctx) error {
	var in duplicateRequest
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	o, err := h.overview(c)
	if err != nil {
		return err
	}
	ref, err := duplicateRef(in.From)
	if err != nil {
		return err
	}
	if ref != draftRef {
		n, _ := strconv.Atoi(ref)
		if _, err := store.VersionByNumber(ctx(c), h.db.Read, o.ID, n); errors.Is(err, store.ErrNotFound) {
			return invalid("/from", "the procedure %q has no published version %d", o.Slug, n)
		} else if err != nil {
			return err
		}
	}
	def, err := h.document(c, o, ref, "/from")
	if err != nil {
		return err
	}
	def.Slug = strings.TrimSpace(in.Slug)
	if t := strings.TrimSpace(in.Title); t != "" {
		def.Title = t
	} else {
		def.Title += copySuffix
	}
	disableIntegrations(def)
	n, err := h.insertDraft(c, def)
	if err != nil {
		return err
	}
	slog.InfoContext(ctx(c), "procedure duplicated", "procedure", n.Slug, "from", o.Slug, "version", ref, "by", h.adminID(c))
	c.Location("/api/admin/procedures/" + n.Slug)
	return h.sendProcedure(c, fiber.StatusCreated, n)
}

// duplicateRef returns the document to copy: "draft" when raw is absent,
// null or "draft", else a version number (a JSON number or a string of
// digits); anything else is a 422 on /from.
func duplicateRef(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return draftRef, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		raw = []byte(s)
	}
	if string(raw) == draftRef {
		return draftRef, nil
	}
	if n, err := strconv.Atoi(string(raw)); err == nil && n > 0 {
		return strconv.Itoa(n), nil
	}
	return "", invalid("/from", `from must be "draft" or the number of a published version, not %s`, raw)
}

// disableIntegrations turns off every integration of def.
func disableIntegrations(def *builder.Procedure) {
	for i := range def.Scenarios {
		if in := def.Scenarios[i].Integration; in != nil {
			in.Enabled = false
		}
	}
}

// adminID is the signed-in admin's ID for the log.
func (h *Handler) adminID(c *fiber.Ctx) string {
	if id := h.userID(c); id != nil {
		return *id
	}
	return ""
}
