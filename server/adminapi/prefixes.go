package adminapi

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/store"
)

// usedPrefixes returns the reference prefixes of the published versions
// of every procedure but procedureID, each with the slug of a procedure
// using it.
func (h *Handler) usedPrefixes(ctx context.Context, procedureID string) (map[string]string, error) {
	others, err := store.OtherVersions(ctx, h.db.Read, procedureID)
	if err != nil {
		return nil, err
	}
	used := map[string]string{}
	for _, o := range others {
		var d struct {
			ReferencePrefix string `json:"referencePrefix"`
		}
		if json.Unmarshal(o.Definition, &d) == nil && d.ReferencePrefix != "" {
			used[d.ReferencePrefix] = o.Slug
		}
	}
	return used, nil
}

// problems returns what keeps def, the draft of procedure procedureID,
// from being published: the problems of builder.Check, and a reference
// prefix that another procedure uses (which publication refuses, since
// references must be unique), so the builder shows them all before
// publishing.
func (h *Handler) problems(ctx context.Context, procedureID string, def *builder.Procedure) ([]builder.Problem, error) {
	probs := builder.Check(def)
	if def.ReferencePrefix == "" {
		return probs, nil
	}
	used, err := h.usedPrefixes(ctx, procedureID)
	if err != nil {
		return nil, err
	}
	if slug, taken := used[def.ReferencePrefix]; taken {
		const path = "$.referencePrefix"
		at := slices.IndexFunc(probs, func(p builder.Problem) bool { return p.Path > path })
		if at < 0 {
			at = len(probs)
		}
		probs = slices.Insert(probs, at, builder.PrefixTakenProblem(def.ReferencePrefix, slug))
	}
	return probs, nil
}

// freePrefix replaces the reference prefix of a procedure made from a
// preset when another procedure uses it, by one made from the slug's
// initials ("location-salle" → "LS", then "LS2", "LS3"…).
func (h *Handler) freePrefix(ctx context.Context, def *builder.Procedure) error {
	used, err := h.usedPrefixes(ctx, "")
	if err != nil || def.ReferencePrefix == "" || used[def.ReferencePrefix] == "" {
		return err
	}
	base := ""
	for w := range strings.SplitSeq(strings.ToUpper(def.Slug), "-") {
		if w != "" && len(base) < 6 {
			base += w[:1]
		}
	}
	if len(base) < 2 {
		base = strings.ToUpper(strings.ReplaceAll(def.Slug, "-", "") + "XX")[:2]
	}
	for n := 1; n < 10000; n++ {
		p := base
		if n > 1 {
			p += strconv.Itoa(n)
		}
		if used[p] == "" {
			def.ReferencePrefix = p
			return nil
		}
	}
	return nil // every one taken: Check and publication say so
}
