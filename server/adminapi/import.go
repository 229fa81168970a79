package adminapi

import (
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
)

// importProcedure creates a draft procedure from an exported document,
// sent as the JSON body or as the multipart file "file". The query's slug
// replaces the document's (to import a copy).
func (h *Handler) importProcedure(c *fiber.Ctx) error {
	data, err := h.importedDocument(c)
	if err != nil {
		return err
	}
	def, err := builder.Parse(data)
	if err != nil {
		return documentError(err)
	}
	if slug := c.Query("slug"); slug != "" {
		def.Slug = slug
	}
	o, err := h.insertDraft(c, def)
	if err != nil {
		return err
	}
	c.Location("/api/admin/procedures/" + o.Slug)
	return h.sendProcedure(c, fiber.StatusCreated, o)
}

// importedDocument returns the uploaded document.
func (h *Handler) importedDocument(c *fiber.Ctx) ([]byte, error) {
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEMultipartForm) {
		return c.Body(), nil
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, invalid("/file", "upload the exported JSON file in the part named \"file\"")
	}
	if fh.Size > int64(h.MaxImportBytes) {
		return nil, fiber.ErrRequestEntityTooLarge
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, int64(h.MaxImportBytes)))
}
