package portal

import (
	"context"

	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/store"
)

// nameFiles shows the names of owner's uploads instead of their stored IDs
// in a summary, so that applicants recognise the files they attached.
func (h *Handler) nameFiles(ctx context.Context, owner string, sections []forms.SummarySection) {
	for i := range sections {
		h.nameFileRows(ctx, owner, sections[i].Rows)
	}
}

func (h *Handler) nameFileRows(ctx context.Context, owner string, rows []forms.SummaryRow) {
	for i := range rows {
		r := &rows[i]
		if r.FileID != "" {
			if f, err := store.FileMeta(ctx, h.db.Read, r.FileID); err == nil && f.Owner == owner {
				r.Value = f.Name
			}
		}
		for _, g := range r.Nested {
			h.nameFileRows(ctx, owner, g.Rows)
		}
	}
}
