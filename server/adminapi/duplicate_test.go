package adminapi_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/apptest"
)

// TestDuplicateProcedure copies a published preset, from its version 1 and
// from its draft: the copy is a new draft under its own slug and title,
// whose integrations are off and whose reference prefix, still the
// source's, is listed as a problem (as on import).
func TestDuplicateProcedure(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		const src = "/api/admin/procedures/signalement-voirie"
		// The draft differs from version 1.
		orig := decodeProcedure(t, ad.call(http.MethodGet, src, nil, 200))
		ad.call(http.MethodPut, src+"/draft", replaceOnce(t, orig.Draft, `"title":"`+orig.Title+`"`, `"title":"Signalement (brouillon)"`), 200)

		checkCopy := func(p procedure, slug, title string) *builder.Procedure {
			t.Helper()
			if p.Slug != slug || p.Title != title || p.Status != "draft" || p.CurrentVersion != 0 {
				t.Errorf("copy = %+v, want a draft %s titled %q", p, slug, title)
			}
			var ptrs []string
			for _, pr := range p.Problems {
				ptrs = append(ptrs, pr.Pointer)
			}
			if !slices.Equal(ptrs, []string{"/referencePrefix"}) || !strings.Contains(p.Problems[0].Detail, "signalement-voirie") {
				t.Errorf("copy's problems = %+v, want its prefix taken by signalement-voirie", p.Problems)
			}
			def, err := builder.Parse(p.Draft)
			if err != nil {
				t.Fatal(err)
			}
			if def.Slug != slug || def.Title != title || def.ReferencePrefix != "SV" {
				t.Errorf("copy's document: slug %q, title %q, prefix %q", def.Slug, def.Title, def.ReferencePrefix)
			}
			integrations := 0
			for _, s := range def.Scenarios {
				if s.Integration != nil {
					integrations++
					if s.Integration.Enabled {
						t.Errorf("the copy's integration %s is enabled", s.Integration.ID)
					}
					if s.Integration.Auth == nil || s.Integration.Push == nil {
						t.Errorf("the copy's integration %s lost its settings", s.Integration.ID)
					}
				}
			}
			if integrations != 1 {
				t.Errorf("copy has %d integrations, want the preset's one", integrations)
			}
			return def
		}

		// From version 1, default title.
		resp, body := ad.send(http.MethodPost, src+"/duplicate", map[string]any{"slug": "voirie-copie", "from": 1})
		if resp.StatusCode != 201 || resp.Header.Get("Location") != "/api/admin/procedures/voirie-copie" {
			t.Fatalf("duplicate v1: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		checkCopy(decodeProcedure(t, body), "voirie-copie", orig.Title+" (copie)")
		ad.call(http.MethodGet, "/api/admin/procedures/voirie-copie", nil, 200)
		ad.call(http.MethodGet, "/api/admin/procedures/voirie-copie/versions", nil, 200)
		if prob := decodeProblem(t, ad.call(http.MethodPost, "/api/admin/procedures/voirie-copie/publish", nil, 422)); !slices.Equal(prob.pointers(), []string{"/referencePrefix"}) {
			t.Errorf("publish the copy = %+v", prob)
		}

		// From the draft (the default), with a title.
		p := decodeProcedure(t, ad.call(http.MethodPost, src+"/duplicate",
			map[string]any{"slug": "voirie-ete", "title": "Signalement d'été"}, 201))
		checkCopy(p, "voirie-ete", "Signalement d'été")
		p = decodeProcedure(t, ad.call(http.MethodPost, src+"/duplicate", map[string]any{"slug": "voirie-brouillon", "from": "draft"}, 201))
		checkCopy(p, "voirie-brouillon", "Signalement (brouillon) (copie)")

		// The source is unchanged; its integration is still on.
		after := decodeProcedure(t, ad.call(http.MethodGet, src, nil, 200))
		if after.Slug != "signalement-voirie" || after.Status != "published" || after.CurrentVersion != 1 || !strings.Contains(string(after.Draft), `"enabled":true`) {
			t.Errorf("source after duplicating = %+v", after)
		}

		// Conflicts and invalid requests.
		for _, slug := range []string{"voirie-copie", "reservation-salle"} {
			ad.call(http.MethodPost, src+"/duplicate", map[string]any{"slug": slug}, 409)
		}
		ad.call(http.MethodPost, "/api/admin/procedures/voirie-ete/rename", map[string]string{"slug": "voirie-ete-2"}, 200)
		ad.call(http.MethodPost, src+"/duplicate", map[string]any{"slug": "voirie-ete"}, 409) // an old slug
		for _, slug := range []string{"Bad_Slug", "", "ab"} {
			prob := decodeProblem(t, ad.call(http.MethodPost, src+"/duplicate", map[string]any{"slug": slug}, 422))
			if len(prob.Errors) == 0 || prob.Errors[0].Pointer != "/slug" {
				t.Errorf("slug %q: %+v", slug, prob)
			}
		}
		for _, from := range []any{2, 0, "latest", true} {
			prob := decodeProblem(t, ad.call(http.MethodPost, src+"/duplicate", map[string]any{"slug": "voirie-x", "from": from}, 422))
			if !slices.Equal(prob.pointers(), []string{"/from"}) {
				t.Errorf("from %v: %+v", from, prob)
			}
		}
		ad.call(http.MethodPost, src+"/duplicate", map[string]any{"slug": "voirie-x", "other": 1}, 400)
		ad.call(http.MethodPost, "/api/admin/procedures/nulle-part/duplicate", map[string]any{"slug": "voirie-x"}, 404)
		ad.call(http.MethodGet, "/api/admin/procedures/voirie-x", nil, 404)

		// A copy that was never published can be deleted.
		ad.call(http.MethodDelete, "/api/admin/procedures/voirie-copie", nil, 204)
	})
}
