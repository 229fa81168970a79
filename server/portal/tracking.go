package portal

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
)

func (h *Handler) showTracking(c *fiber.Ctx) error {
	t, err := h.rt.Track(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	page := web.TrackingPage{
		ProcedureTitle: t.Procedure.Def.Title, Reference: t.Dossier.Reference,
		State: runtime.PublicStateLabel(t.Procedure, t.Dossier.State, lang), SubmittedAt: t.Dossier.SubmittedAt,
	}
	for _, ev := range t.Events {
		page.Timeline = append(page.Timeline, timelineEntry(ev, lang))
	}
	c.Set("X-Robots-Tag", "noindex")
	return h.pages.Render(c, fiber.StatusOK, "tracking", t.Dossier.Reference, false, page)
}

// timelineEntry turns a public event into what the applicant reads.
func timelineEntry(ev store.Event, lang string) web.TimelineEntry {
	var d map[string]any
	_ = json.Unmarshal(ev.Details, &d)
	e := web.TimelineEntry{At: ev.At}
	switch ev.Kind {
	case store.EventSubmitted:
		e.Title = web.T(lang, "timeline.submitted")
	case store.EventMessageSent:
		e.Title = web.T(lang, "timeline.message_sent")
		if s, ok := d["subject"].(string); ok {
			e.Body = s
		}
	default:
		e.Title = ev.Kind
		if s, ok := d["public_label"].(string); ok {
			e.Title = s
		}
	}
	return e
}

func (h *Handler) showConfirmation(c *fiber.Ctx) error {
	t, err := h.rt.Track(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	if t.Procedure.Def.Slug != c.Params("slug") {
		return store.ErrNotFound
	}
	page := web.ConfirmationPage{
		ProcedureTitle: t.Procedure.Def.Title, Reference: t.Dossier.Reference,
		TrackingURL: h.rt.TrackingURL(t.Dossier.TrackingToken), Email: t.Dossier.ApplicantEmail,
	}
	if t.Procedure.Online != nil {
		page.NextSteps = Markdown(t.Procedure.Online.NextSteps)
	}
	c.Set("X-Robots-Tag", "noindex")
	return h.pages.Render(c, fiber.StatusOK, "confirmation", web.T(httpx.Lang(c), "confirmation.title"), false, page)
}
