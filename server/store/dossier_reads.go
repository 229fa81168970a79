package store

import (
	"context"

	"github.com/uptrace/bun"
)

// InvitationsOf returns the invitations of several dossiers, by dossier
// ID, for a list of dossiers the caller may already see.
func InvitationsOf(ctx context.Context, db bun.IDB, dossierIDs []string) (map[string][]Invitation, error) {
	out := make(map[string][]Invitation, len(dossierIDs))
	if len(dossierIDs) == 0 {
		return out, nil
	}
	var is []Invitation
	err := db.NewSelect().Model(&is).Where("dossier_id IN (?)", bun.In(dossierIDs)).
		Order("dossier_id", "activated_at", "role_id").Scan(ctx)
	if err != nil {
		return nil, err
	}
	for _, i := range is {
		out[i.DossierID] = append(out[i.DossierID], i)
	}
	return out, nil
}

// FilesMeta returns the metadata (not the content) of the files among
// ids, by ID.
func FilesMeta(ctx context.Context, db bun.IDB, ids []string) (map[string]*File, error) {
	out := make(map[string]*File, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var fs []*File
	if err := db.NewSelect().Model(&fs).ExcludeColumn("content").Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, f := range fs {
		out[f.ID] = f
	}
	return out, nil
}
