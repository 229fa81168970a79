package adminapi_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
)

// TestDeleteProcedure deletes a draft that was never published, with its
// old slug, role bindings and reference counters, and leaves every other
// procedure as it was; a published procedure, or one with dossiers, is
// refused (archive it instead).
func TestDeleteProcedure(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		ctx := context.Background()
		rows := func(table, procedureID string) int {
			t.Helper()
			n, err := ad.a.DB.Read.NewSelect().Table(table).Where("procedure_id = ?", procedureID).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}

		// A published procedure with a dossier, archived since.
		ad.call(http.MethodPost, "/api/admin/procedures",
			map[string]string{"slug": "location-salle", "title": "Location de salle", "preset": "reservation-salle"}, 201)
		ad.call(http.MethodPost, "/api/admin/procedures/location-salle/publish", nil, 201)
		if resp, body := ad.c.RawJSON(http.MethodPost, "/api/v1/procedures/location-salle/dossiers", []byte(validBooking)); resp.StatusCode != 201 {
			t.Fatalf("dossier: %d %s", resp.StatusCode, body)
		}
		ad.call(http.MethodPost, "/api/admin/procedures/location-salle/archive", nil, 200)
		apptest.CreateStaff(t, ad.a, "pc-team", "permis-construire", "ocf", "consulted")

		// The draft to delete: renamed once (an alias), a role bound, a
		// reference counter.
		ad.call(http.MethodPost, "/api/admin/procedures",
			map[string]string{"slug": "essai-ancien", "title": "Essai", "preset": "permis-construire"}, 201)
		ad.call(http.MethodPost, "/api/admin/procedures/essai-ancien/rename", map[string]string{"slug": "essai"}, 200)
		apptest.CreateStaff(t, ad.a, "essai-team", "essai", "ocf", "consulted")
		essai, err := store.ProcedureBySlug(ctx, ad.a.DB.Read, "essai")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.NextReferenceSeqs(ctx, ad.a.DB.Write, essai.ID, time.Now().Year(), 1); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"procedure_aliases", "role_bindings", "reference_counters"} {
			if n := rows(table, essai.ID); n != 1 {
				t.Fatalf("%s of the draft before deleting: %d rows, want 1", table, n)
			}
		}

		type snapshot struct {
			list                        string
			procedures, versions        int
			dossiers, bindings, aliases int
			counters                    int
		}
		count := func(table string) int {
			t.Helper()
			n, err := ad.a.DB.Read.NewSelect().Table(table).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		snap := func() snapshot {
			t.Helper()
			return snapshot{
				list:       ad.call(http.MethodGet, "/api/admin/procedures", nil, 200),
				procedures: count("procedures"), versions: count("procedure_versions"), dossiers: count("dossiers"),
				bindings: count("role_bindings"), aliases: count("procedure_aliases"), counters: count("reference_counters"),
			}
		}

		// Refused: published (a preset, and an archived one with a dossier).
		before := snap()
		for _, slug := range []string{"reservation-salle", "location-salle"} {
			prob := decodeProblem(t, ad.call(http.MethodDelete, "/api/admin/procedures/"+slug, nil, 409))
			if !strings.Contains(prob.Detail, "archive") {
				t.Errorf("delete %s: %+v, want a detail telling to archive it", slug, prob)
			}
		}
		resp, body := ad.send(http.MethodDelete, "/api/admin/procedures/location-salle", nil, "Accept-Language", "fr")
		if resp.StatusCode != 409 || !strings.Contains(body, "archivez-la") {
			t.Errorf("refusal in French: %d %s", resp.StatusCode, body)
		}
		if after := snap(); after != before {
			t.Errorf("a refused deletion changed something:\nbefore %+v\nafter  %+v", before, after)
		}
		ad.call(http.MethodDelete, "/api/admin/procedures/nulle-part", nil, 404)

		// Deleted: the procedure and what belongs to it alone.
		ad.call(http.MethodDelete, "/api/admin/procedures/essai", nil, 204)
		ad.call(http.MethodGet, "/api/admin/procedures/essai", nil, 404)
		if prob := decodeProblem(t, ad.call(http.MethodGet, "/api/admin/procedures/essai-ancien", nil, 404)); strings.Contains(prob.Detail, "renamed") {
			t.Errorf("the old slug still names the deleted procedure: %+v", prob)
		}
		ad.call(http.MethodDelete, "/api/admin/procedures/essai", nil, 404)
		for _, table := range []string{"procedures", "procedure_aliases", "role_bindings", "reference_counters"} {
			col := "procedure_id"
			if table == "procedures" {
				col = "id"
			}
			if n, err := ad.a.DB.Read.NewSelect().Table(table).Where(col+" = ?", essai.ID).Count(ctx); err != nil || n != 0 {
				t.Errorf("%s of the deleted procedure: %d rows (%v)", table, n, err)
			}
		}
		after := snap()
		want := before
		want.procedures--
		want.bindings--
		want.aliases--
		want.counters--
		if after.list == before.list || strings.Contains(after.list, `"slug":"essai"`) {
			t.Errorf("list after deleting still has it:\n%s", after.list)
		}
		after.list, want.list = "", ""
		if after != want {
			t.Errorf("deleting changed other procedures: got %+v, want %+v", after, want)
		}
		if !slices.Equal(procedureSlugs(t, ad), []string{"broyage-sapins", "location-salle", "permis-construire", "portail-famille",
			"reservation-salle", "saisie-guichet", "signalement-voirie"}) {
			t.Errorf("procedures after deleting: %v", procedureSlugs(t, ad))
		}

		// Its slug and old slug are free again.
		for _, slug := range []string{"essai", "essai-ancien"} {
			p := decodeProcedure(t, ad.call(http.MethodPost, "/api/admin/procedures", map[string]string{"slug": slug}, 201))
			if p.Slug != slug || p.Status != "draft" {
				t.Errorf("recreated %s = %+v", slug, p)
			}
		}
	})
}

// procedureSlugs returns the slugs of the procedure list.
func procedureSlugs(t testing.TB, ad *admin) []string {
	t.Helper()
	var list struct {
		Procedures []struct {
			Slug string `json:"slug"`
		} `json:"procedures"`
	}
	apptest.DecodeJSON(t, ad.call(http.MethodGet, "/api/admin/procedures", nil, 200), &list)
	var out []string
	for _, p := range list.Procedures {
		out = append(out, p.Slug)
	}
	return out
}
