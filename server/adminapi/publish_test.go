package adminapi_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
)

// validBooking is a complete, valid room booking.
const validBooking = `{
	"first_name": "Marie", "last_name": "Dupont", "email": "marie.dupont@example.ch",
	"address": {"street": "Rue du Lac 1", "postcode": "1000", "city": "Lausanne"},
	"room": "salle-communale", "event_date": "2026-06-20", "attendees": 50,
	"equipment": [{"item": "Tables", "quantity": 10}], "consent": true
}`

const loc = "/api/admin/procedures/location-salle"

// TestPublishFlow creates a procedure from a preset, publishes it, takes
// a dossier on version 1, saves drafts (with a problem, then fixed),
// publishes version 2, and checks the portal, the pinned dossier, the
// versions, the diff and archiving.
func TestPublishFlow(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		contains(t, ad.call(http.MethodGet, "/api/admin/presets", nil, 200), `"slug":"reservation-salle"`, `"online"`)

		p := decodeProcedure(t, ad.call(http.MethodPost, "/api/admin/procedures",
			map[string]string{"slug": "location-salle", "title": "Location de salle", "preset": "reservation-salle"}, 201))
		if p.Status != "draft" || p.CurrentVersion != 0 || !p.HasUnpublishedChanges || len(p.Problems) != 0 || p.Title != "Location de salle" {
			t.Fatalf("created = %+v", p)
		}
		// The preset's prefix RS is taken by reservation-salle: the copy gets its own.
		contains(t, string(p.Draft), `"referencePrefix":"LS"`)
		if resp, _ := ad.c.Get("/d/location-salle"); resp.StatusCode != 404 {
			t.Fatalf("unpublished procedure on the portal: %d", resp.StatusCode)
		}

		contains(t, ad.call(http.MethodPost, loc+"/publish", nil, 201), `"version":1`, `"current":true`)
		if _, body := ad.c.Get("/d/location-salle"); !strings.Contains(body, "Location de salle") {
			t.Fatalf("portal after v1:\n%.500s", body)
		}
		resp, body := ad.c.RawJSON(http.MethodPost, "/api/v1/procedures/location-salle/dossiers", []byte(validBooking))
		if resp.StatusCode != 201 {
			t.Fatalf("dossier on v1: %d %s", resp.StatusCode, body)
		}
		var dossier struct{ Reference string }
		apptest.DecodeJSON(t, body, &dossier)

		// Autosave keeps a draft that cannot be published, and says why.
		broken := replaceOnce(t, p.Draft, `"title":"Location de salle"`, `"title":""`)
		p = decodeProcedure(t, ad.call(http.MethodPut, loc+"/draft", broken, 200))
		if len(p.Problems) != 1 || p.Problems[0].Pointer != "/title" || p.Problems[0].Path != "$.title" || !p.HasUnpublishedChanges {
			t.Fatalf("saved broken draft = %+v", p)
		}
		contains(t, ad.call(http.MethodGet, loc+"/check", nil, 200), `"ok":false`, `"pointer":"/title"`)
		prob := decodeProblem(t, ad.call(http.MethodPost, loc+"/publish", nil, 422))
		if !slices.Equal(prob.pointers(), []string{"/title"}) || prob.Errors[0].Path != "$.title" {
			t.Fatalf("publish with a problem = %+v", prob)
		}

		fixed := replaceOnce(t, p.Draft, `"title":""`, `"title":"Location des salles communales"`)
		p = decodeProcedure(t, ad.call(http.MethodPut, loc+"/draft", fixed, 200))
		if len(p.Problems) != 0 || !p.HasUnpublishedChanges {
			t.Fatalf("saved fixed draft = %+v", p)
		}
		contains(t, ad.call(http.MethodGet, loc+"/check", nil, 200), `"ok":true`, `"problems":[]`)
		contains(t, ad.call(http.MethodPost, loc+"/publish", nil, 201), `"version":2`)
		if _, body := ad.c.Get("/d/location-salle"); !strings.Contains(body, "Location des salles communales") {
			t.Fatalf("portal after v2:\n%.500s", body)
		}
		p = decodeProcedure(t, ad.call(http.MethodGet, loc, nil, 200))
		if p.Status != "published" || p.CurrentVersion != 2 || p.HasUnpublishedChanges {
			t.Fatalf("after v2 = %+v", p)
		}

		// The dossier made on version 1 stays on version 1.
		ctx := context.Background()
		var versionID string
		if err := ad.a.DB.Read.NewSelect().Table("dossiers").Column("version_id").
			Where("reference = ?", dossier.Reference).Scan(ctx, &versionID); err != nil {
			t.Fatal(err)
		}
		proc, err := store.ProcedureBySlug(ctx, ad.a.DB.Read, "location-salle")
		if err != nil {
			t.Fatal(err)
		}
		v1, err := store.VersionByNumber(ctx, ad.a.DB.Read, proc.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if versionID != v1.ID {
			t.Errorf("dossier %s is on version %s, want v1 %s", dossier.Reference, versionID, v1.ID)
		}

		var versions struct {
			Versions []struct {
				Version int  `json:"version"`
				Current bool `json:"current"`
			} `json:"versions"`
		}
		apptest.DecodeJSON(t, ad.call(http.MethodGet, loc+"/versions", nil, 200), &versions)
		if len(versions.Versions) != 2 || versions.Versions[0].Version != 2 || !versions.Versions[0].Current || versions.Versions[1].Current {
			t.Errorf("versions = %+v", versions)
		}
		contains(t, ad.call(http.MethodGet, loc+"/versions/1", nil, 200), `"title":"Location de salle"`, `"current":false`)
		ad.call(http.MethodGet, loc+"/versions/3", nil, 404)

		var diff struct {
			Changes []struct{ Path, Pointer, Kind, Before, After, Text string }
		}
		apptest.DecodeJSON(t, ad.call(http.MethodGet, loc+"/diff?from=1&to=2", nil, 200), &diff)
		if len(diff.Changes) != 1 || diff.Changes[0].Path != "$.title" || diff.Changes[0].Pointer != "/title" ||
			diff.Changes[0].Kind != "changed" || diff.Changes[0].Text != `$.title: "Location de salle" → "Location des salles communales"` {
			t.Errorf("diff 1→2 = %+v", diff)
		}
		contains(t, ad.call(http.MethodGet, loc+"/diff", nil, 200), `"from":"2"`, `"to":"draft"`, `"changes":[]`)
		prob = decodeProblem(t, ad.call(http.MethodGet, loc+"/diff?from=latest", nil, 422))
		if !slices.Equal(prob.pointers(), []string{"/from"}) {
			t.Errorf("diff from=latest = %+v", prob)
		}

		contains(t, ad.call(http.MethodPost, loc+"/archive", nil, 200), `"status":"archived"`)
		if resp, _ := ad.c.Get("/d/location-salle"); resp.StatusCode != 404 {
			t.Errorf("archived procedure on the portal: %d", resp.StatusCode)
		}
		if _, body := ad.c.Get("/"); strings.Contains(body, "Location des salles communales") {
			t.Errorf("archived procedure in the catalogue")
		}
		contains(t, ad.call(http.MethodGet, "/api/admin/procedures", nil, 200), `"status":"archived"`)
		contains(t, ad.call(http.MethodPost, loc+"/unarchive", nil, 200), `"status":"published"`)
		if resp, _ := ad.c.Get("/d/location-salle"); resp.StatusCode != 200 {
			t.Errorf("unarchived procedure on the portal: %d", resp.StatusCode)
		}
	})
}
