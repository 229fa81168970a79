package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// dossierCreated is the 201 answer of a submission.
type dossierCreated struct {
	ID          string `json:"id"`
	Reference   string `json:"reference"`
	TrackingURL string `json:"tracking_url"`
}

// createDossier submits the JSON body (the form's data object) to the
// procedure. An Idempotency-Key header makes retries safe: the same key
// returns the dossier it created (200) instead of a second one.
func (h *Handler) createDossier(c *fiber.Ctx) error {
	p, err := h.publicProcedure(c)
	if err != nil {
		return err
	}
	if p.Form == nil {
		return fiber.NewError(fiber.StatusNotFound, "this procedure has no online form")
	}
	body := c.Body()
	if len(body) > h.MaxBody {
		return fiber.NewError(fiber.StatusRequestEntityTooLarge, fmt.Sprintf("body over %d bytes", h.MaxBody))
	}
	data, err := decodeObject(body)
	if err != nil {
		return fiber.NewError(fiber.StatusBadRequest, err.Error())
	}
	key := c.Get("Idempotency-Key")
	if len(key) > 100 {
		return fiber.NewError(fiber.StatusBadRequest, "Idempotency-Key longer than 100 characters")
	}
	rc, err := h.rt.Submit(c.UserContext(), runtime.Submission{Procedure: p, Data: data, IdempotencyKey: key, Channel: "api"})
	if err != nil {
		if errors.Is(err, runtime.ErrNoForm) {
			return store.ErrNotFound
		}
		return err
	}
	status := fiber.StatusCreated
	if rc.Duplicate {
		status = fiber.StatusOK
	}
	url := h.rt.TrackingURL(rc.TrackingToken)
	c.Location(url)
	return c.Status(status).JSON(dossierCreated{ID: rc.DossierID, Reference: rc.Reference, TrackingURL: url})
}

// decodeObject decodes one JSON object, keeping numbers exact.
func decodeObject(body []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var data map[string]any
	if err := dec.Decode(&data); err != nil {
		return nil, fmt.Errorf("malformed JSON: %v", err)
	}
	if data == nil {
		return nil, errors.New("the body must be a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("malformed JSON: data after the object")
	}
	return data, nil
}
