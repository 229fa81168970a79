package backoffice

import (
	"context"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// staffOwner owns the files a staff member uploads until the dossier
// (intake) or the change (opinion, transition) they belong to takes them.
func staffOwner(a *runtime.Actor) string { return "staff:" + a.User.ID }

// decoded is a form post read against a compiled form.
type decoded struct {
	data map[string]any
	errs []forms.FieldError
	// repeat is set when the post was an add/remove button of a repeat
	// group: the page is shown again, nothing is done.
	repeat bool
}

// decodeForm reads the whole form f (page -1) from the request, the way
// the portal reads a step: uploads pass the field's limits and are stored
// for owner, files already uploaded by owner and posted back in hidden
// inputs are kept, and the data is validated.
func (h *Handler) decodeForm(c *fiber.Ctx, f *forms.Form, owner string) (decoded, error) {
	post, err := h.formPost(c, owner)
	if err != nil {
		return decoded{}, err
	}
	dec, err := f.Decode(-1, h.keptUploads(c.UserContext(), f, post, owner), post)
	if err != nil {
		if errors.Is(err, forms.ErrInvalidAction) {
			return decoded{}, fiber.NewError(fiber.StatusBadRequest, "invalid form action")
		}
		return decoded{}, err
	}
	if dec.Action.Kind != "" {
		return decoded{data: dec.Data, errs: dec.Errors, repeat: true}, nil
	}
	return decoded{data: dec.Data, errs: f.Merge(dec.Errors, f.Validate(dec.Data))}, nil
}

// keptUploads returns the data that files uploaded earlier by owner, and
// posted back in the hidden inputs of a page shown again with errors,
// still hold. A hidden input naming any other file is ignored.
func (h *Handler) keptUploads(ctx context.Context, f *forms.Form, post forms.Post, owner string) map[string]any {
	data := map[string]any{}
	var walk func(fs []forms.Field, m map[string]any)
	walk = func(fs []forms.Field, m map[string]any) {
		for _, fd := range fs {
			switch fd.Widget {
			case forms.WidgetFieldset:
				sub := map[string]any{}
				walk(fd.Fields, sub)
				if len(sub) > 0 {
					m[fd.Name] = sub
				}
			case forms.WidgetFile:
				id := strings.TrimSpace(post.Values.Get(fd.InputName))
				if id == "" {
					continue
				}
				if meta, err := store.FileMeta(ctx, h.db.Read, id); err == nil && meta.Owner == owner && meta.DossierID == nil {
					m[fd.Name] = id
				}
			}
		}
	}
	walk(f.Bind(-1, nil, nil, "fr").Fields, data)
	return data
}

// formPost reads the posted form; uploads become files of owner.
func (h *Handler) formPost(c *fiber.Ctx, owner string) (forms.Post, error) {
	return httpx.FormPost(c, h.db.Write, owner)
}

// fileIDs returns the file IDs a summary holds, at any depth.
func fileIDs(sections []forms.SummarySection) []string {
	var out []string
	var walk func(rows []forms.SummaryRow)
	walk = func(rows []forms.SummaryRow) {
		for _, r := range rows {
			if r.FileID != "" {
				out = append(out, r.FileID)
			}
			for _, g := range r.Nested {
				walk(g.Rows)
			}
		}
	}
	for _, s := range sections {
		walk(s.Rows)
	}
	return out
}

// attachUploads gives the dossier the files owner uploaded for data (an
// opinion, a transition's form), once the change that records them is
// committed.
func (h *Handler) attachUploads(ctx context.Context, f *forms.Form, data map[string]any, owner, dossierID string) error {
	ids := fileIDs(f.Summary(data, "fr"))
	if len(ids) == 0 {
		return nil
	}
	return store.AttachFiles(ctx, h.db.Write, owner, dossierID, ids)
}
