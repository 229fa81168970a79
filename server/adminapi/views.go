package adminapi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/store"
)

// procedureSummary is a procedure in the list.
type procedureSummary struct {
	Slug                  string    `json:"slug"`
	Title                 string    `json:"title"`
	Audience              string    `json:"audience"`
	Status                string    `json:"status"`
	CurrentVersion        int       `json:"current_version"`
	UpdatedAt             time.Time `json:"updated_at"`
	HasUnpublishedChanges bool      `json:"has_unpublished_changes"`
}

// procedureView is a procedure with its draft and the draft's problems.
type procedureView struct {
	procedureSummary
	Revision string               `json:"revision"`
	Draft    json.RawMessage      `json:"draft"`
	Problems []httpx.FieldProblem `json:"problems"`
}

// summarize describes o; the title and audience are the draft's.
func summarize(o *store.ProcedureOverview) procedureSummary {
	s := procedureSummary{Slug: o.Slug, Status: o.Status, CurrentVersion: o.CurrentVersion,
		UpdatedAt: o.UpdatedAt.UTC(), HasUnpublishedChanges: true}
	def, err := builder.Parse(o.Draft)
	if err == nil {
		s.Title, s.Audience = def.Title, string(def.Audience)
	}
	if o.Current != nil && err == nil {
		s.HasUnpublishedChanges = !sameDefinition(def, o.Current)
	}
	return s
}

// sameDefinition reports whether raw is the definition def, compared in
// canonical form (whatever spacing the database kept).
func sameDefinition(def *builder.Procedure, raw json.RawMessage) bool {
	other, err := builder.Parse(raw)
	if err != nil {
		return false
	}
	a, errA := def.JSON()
	b, errB := other.JSON()
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// sendProcedure answers with o and the problems of its draft, its
// revision as ETag.
func (h *Handler) sendProcedure(c *fiber.Ctx, status int, o *store.ProcedureOverview) error {
	v := procedureView{procedureSummary: summarize(o), Revision: strconv.Itoa(o.DraftRevision), Draft: o.Draft}
	if def, err := builder.Parse(o.Draft); err != nil {
		v.Problems = []httpx.FieldProblem{{Pointer: "", Path: "$", Detail: err.Error()}}
	} else {
		probs, err := h.problems(ctx(c), o.ID, def)
		if err != nil {
			return err
		}
		v.Problems = problemsOf(probs, apiLang(c))
	}
	c.Set(fiber.HeaderETag, strconv.Quote(v.Revision))
	return c.Status(status).JSON(v)
}

// versionView is a published version.
type versionView struct {
	Version     int             `json:"version"`
	PublishedAt time.Time       `json:"published_at"`
	PublishedBy *string         `json:"published_by"`
	Current     bool            `json:"current"`
	Definition  json.RawMessage `json:"definition,omitempty"`
}

func versionOf(v *store.ProcedureVersion, current int) versionView {
	return versionView{Version: v.Version, PublishedAt: v.PublishedAt.UTC(), PublishedBy: v.PublishedBy,
		Current: v.Version == current}
}
