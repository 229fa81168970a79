package adminapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// TestRename renames a published procedure that has a dossier: its old
// addresses redirect, the dossier still shows to agents and to its
// applicant, submissions go on under the new slug, and the old slug is
// kept from other procedures until it is taken back.
func TestRename(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		ctx := context.Background()
		const (
			oldLoc = "/api/admin/procedures/location-salle"
			newLoc = "/api/admin/procedures/location-salles"
		)
		p := decodeProcedure(t, ad.call(http.MethodPost, "/api/admin/procedures",
			map[string]string{"slug": "location-salle", "title": "Location de salle", "preset": "reservation-salle"}, 201))
		ad.call(http.MethodPost, oldLoc+"/publish", nil, 201)
		resp, body := ad.c.RawJSON(http.MethodPost, "/api/v1/procedures/location-salle/dossiers", []byte(validBooking))
		if resp.StatusCode != 201 {
			t.Fatalf("dossier before the rename: %d %s", resp.StatusCode, body)
		}
		var before struct {
			ID          string `json:"id"`
			Reference   string `json:"reference"`
			TrackingURL string `json:"tracking_url"`
		}
		apptest.DecodeJSON(t, body, &before)
		token := before.TrackingURL[strings.LastIndex(before.TrackingURL, "/")+1:]

		// Rename.
		resp, body = ad.send(http.MethodPost, oldLoc+"/rename", map[string]string{"slug": "location-salles"})
		if resp.StatusCode != 200 {
			t.Fatalf("rename: %d %s", resp.StatusCode, body)
		}
		if got := resp.Header.Get("Location"); got != newLoc {
			t.Errorf("rename Location = %q", got)
		}
		renamed := decodeProcedure(t, body)
		if renamed.Slug != "location-salles" || renamed.Status != "published" || renamed.CurrentVersion != 1 || renamed.Revision == p.Revision {
			t.Errorf("renamed = %+v (revision before %s)", renamed, p.Revision)
		}
		contains(t, string(renamed.Draft), `"slug":"location-salles"`)

		// The admin API: the old slug says where the procedure went.
		prob := decodeProblem(t, ad.call(http.MethodGet, oldLoc, nil, 404))
		if !strings.Contains(prob.Detail, `"location-salles"`) {
			t.Errorf("old slug in the admin API: %+v", prob)
		}
		resp, body = ad.send(http.MethodPut, oldLoc+"/draft", p.Draft, "If-Match", p.Revision)
		if resp.StatusCode != 404 || !strings.Contains(body, "location-salles") {
			t.Errorf("autosave to the old slug: %d %s", resp.StatusCode, body)
		}
		contains(t, ad.call(http.MethodGet, "/api/admin/procedures", nil, 200), `"slug":"location-salles"`)
		// A stale editor's save under the new slug is refused (412), not applied.
		stale := replaceOnce(t, renamed.Draft, `"title":"Location de salle"`, `"title":"Autre"`)
		ad.call(http.MethodPut, newLoc+"/draft", stale, 200)
		resp, _ = ad.send(http.MethodPut, newLoc+"/draft", stale, "If-Match", renamed.Revision)
		if resp.StatusCode != 412 {
			t.Errorf("save with the revision before the rename: %d, want 412", resp.StatusCode)
		}

		// The portal and the public API: old addresses redirect, with the
		// path suffix and query.
		redirects := []struct{ method, path string }{
			{http.MethodGet, "/d/location-salle"},
			{http.MethodGet, "/d/location-salle/form?source=lettre"},
			{http.MethodGet, "/d/location-salle/confirmation/" + token},
			{http.MethodGet, "/api/v1/procedures/location-salle"},
			{http.MethodPost, "/api/v1/procedures/location-salle/dossiers"},
		}
		for _, r := range redirects {
			resp, body := ad.c.RawJSON(r.method, r.path, nil)
			// Temporary (302, 307), never cached: the old slug may become
			// current again (renaming back, below).
			want := http.StatusFound
			if r.method != http.MethodGet {
				want = http.StatusTemporaryRedirect
			}
			to := strings.Replace(r.path, "location-salle", "location-salles", 1)
			if resp.StatusCode != want || resp.Header.Get("Location") != to {
				t.Errorf("%s %s: %d to %q, want %d to %q\n%.300s", r.method, r.path, resp.StatusCode, resp.Header.Get("Location"), want, to, body)
			}
		}
		if resp, body := ad.c.Get("/d/location-salles"); resp.StatusCode != 200 || !strings.Contains(body, "Location de salle") {
			t.Errorf("new address: %d\n%.500s", resp.StatusCode, body)
		}
		if resp, _ := ad.c.Get("/d/location-salles/form"); resp.StatusCode != 200 {
			t.Errorf("form at the new address: %d", resp.StatusCode)
		}
		if resp, _ := ad.c.Get("/d/location-salles/confirmation/" + token); resp.StatusCode != 200 {
			t.Errorf("confirmation at the new address: %d", resp.StatusCode)
		}
		if resp, _ := ad.c.Get("/d/nowhere-at-all"); resp.StatusCode != 404 {
			t.Errorf("unknown slug: %d", resp.StatusCode)
		}
		contains(t, ad.call(http.MethodGet, "/api/v1/procedures", nil, 200), `"slug":"location-salles"`, "/d/location-salles")

		// The dossier of before: agents and its applicant still see it.
		if resp, body := ad.c.Get("/backoffice/dossiers/" + before.ID); resp.StatusCode != 200 || !strings.Contains(body, before.Reference) {
			t.Errorf("dossier in the back-office: %d\n%.500s", resp.StatusCode, body)
		}
		if resp, body := ad.c.Get("/suivi/" + token); resp.StatusCode != 200 || !strings.Contains(body, before.Reference) {
			t.Errorf("tracking page: %d\n%.500s", resp.StatusCode, body)
		}

		// Submitting under the new slug.
		resp, body = ad.c.RawJSON(http.MethodPost, "/api/v1/procedures/location-salles/dossiers", []byte(validBooking))
		if resp.StatusCode != 201 {
			t.Fatalf("dossier after the rename: %d %s", resp.StatusCode, body)
		}
		proc, err := store.ProcedureBySlug(ctx, ad.a.DB.Read, "location-salles")
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		if n, err = ad.a.DB.Read.NewSelect().Table("dossiers").Where("procedure_id = ?", proc.ID).Count(ctx); err != nil || n != 2 {
			t.Errorf("dossiers of the procedure = %d, %v; want 2", n, err)
		}

		// Publishing the renamed draft makes version 2 of the same procedure.
		contains(t, ad.call(http.MethodPost, newLoc+"/publish", nil, 201), `"version":2`)
		if _, err := store.VersionByNumber(ctx, ad.a.DB.Read, proc.ID, 2); err != nil {
			t.Errorf("version 2 of the renamed procedure: %v", err)
		}

		// Invalid and taken slugs.
		prob = decodeProblem(t, ad.call(http.MethodPost, newLoc+"/rename", map[string]string{"slug": "Location Salle"}, 422))
		if !slices.Equal(prob.pointers(), []string{"/slug"}) {
			t.Errorf("invalid slug: %+v", prob)
		}
		prob = decodeProblem(t, ad.call(http.MethodPost, newLoc+"/rename", map[string]string{"slug": "ab"}, 422))
		if !slices.Equal(prob.pointers(), []string{"/slug"}) {
			t.Errorf("short slug: %+v", prob)
		}
		ad.call(http.MethodPost, newLoc+"/rename", map[string]string{"slug": "reservation-salle"}, 409) // a preset's slug
		ad.call(http.MethodPost, "/api/admin/procedures", map[string]string{"slug": "autre-demarche"}, 201)
		ad.call(http.MethodPost, "/api/admin/procedures/autre-demarche/rename", map[string]string{"slug": "location-salles"}, 409)
		prob = decodeProblem(t, ad.call(http.MethodPost, "/api/admin/procedures/autre-demarche/rename", map[string]string{"slug": "location-salle"}, 409))
		if !strings.Contains(prob.Detail, "location-salle") {
			t.Errorf("old slug of another procedure: %+v", prob)
		}
		ad.call(http.MethodPost, "/api/admin/procedures", map[string]string{"slug": "location-salle"}, 409)
		ad.call(http.MethodPost, "/api/admin/procedures/nowhere-at-all/rename", map[string]string{"slug": "ailleurs"}, 404)
		ad.call(http.MethodPost, newLoc+"/rename", `{"slug": "x", "other": 1}`, 400)
		ad.call(http.MethodPost, newLoc+"/rename", map[string]string{"slug": "ailleurs"}, 200)

		// Renaming back takes the old slug back and drops its alias.
		back := decodeProcedure(t, ad.call(http.MethodPost, "/api/admin/procedures/ailleurs/rename", map[string]string{"slug": "location-salle"}, 200))
		if back.Slug != "location-salle" || back.CurrentVersion != 2 {
			t.Errorf("renamed back = %+v", back)
		}
		aliases, err := store.ProcedureAliases(ctx, ad.a.DB.Read, proc.ID)
		slices.Sort(aliases)
		if err != nil || !slices.Equal(aliases, []string{"ailleurs", "location-salles"}) {
			t.Errorf("aliases = %v, %v", aliases, err)
		}
		for _, old := range []string{"location-salles", "ailleurs"} {
			if resp, _ := ad.c.Get("/d/" + old); resp.StatusCode != 302 || resp.Header.Get("Location") != "/d/location-salle" {
				t.Errorf("/d/%s: %d to %q", old, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
		if resp, _ := ad.c.Get("/d/location-salle"); resp.StatusCode != 200 {
			t.Errorf("old slug taken back: %d", resp.StatusCode)
		}
		// Renaming to the same slug changes nothing.
		same := decodeProcedure(t, ad.call(http.MethodPost, oldLoc+"/rename", map[string]string{"slug": "location-salle"}, 200))
		if same.Revision != back.Revision {
			t.Errorf("rename to the same slug bumped the revision: %s → %s", back.Revision, same.Revision)
		}
		// A stale If-Match is refused.
		resp, _ = ad.send(http.MethodPost, oldLoc+"/rename", map[string]string{"slug": "encore-ailleurs"}, "If-Match", `"`+renamed.Revision+`"`)
		if resp.StatusCode != 412 {
			t.Errorf("rename with a stale If-Match: %d", resp.StatusCode)
		}
	})
}

// TestRenameRaces: a save that read the procedure before a rename
// committed misses it (the draft keeps the new slug); an alias never
// moves from one procedure to another, whether through the API or the
// store; a new procedure cannot take an old slug.
func TestRenameRaces(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		ctx := context.Background()
		const base = "/api/admin/procedures/"
		ad.call(http.MethodPost, "/api/admin/procedures", map[string]string{"slug": "alpha-demarche"}, 201)
		beta := decodeProcedure(t, ad.call(http.MethodPost, "/api/admin/procedures", map[string]string{"slug": "beta-demarche"}, 201))
		ad.call(http.MethodPost, base+"alpha-demarche/rename", map[string]string{"slug": "gamma-demarche"}, 200)
		alphaP, err := store.ProcedureBySlug(ctx, ad.a.DB.Read, "gamma-demarche")
		if err != nil {
			t.Fatal(err)
		}
		betaP, err := store.ProcedureBySlug(ctx, ad.a.DB.Read, "beta-demarche")
		if err != nil {
			t.Fatal(err)
		}
		unchanged := func(what string) {
			t.Helper()
			got := decodeProcedure(t, ad.call(http.MethodGet, base+"beta-demarche", nil, 200))
			if got.Slug != "beta-demarche" || got.Revision != beta.Revision {
				t.Errorf("%s: beta = %s at %s, want beta-demarche at %s", what, got.Slug, got.Revision, beta.Revision)
			}
			if owner, err := store.AliasOwner(ctx, ad.a.DB.Read, "alpha-demarche"); err != nil || owner != alphaP.ID {
				t.Errorf("%s: alias alpha-demarche owned by %q, %v; want %s", what, owner, err, alphaP.ID)
			}
			if as, _ := store.ProcedureAliases(ctx, ad.a.DB.Read, betaP.ID); len(as) != 0 {
				t.Errorf("%s: aliases of beta = %v", what, as)
			}
		}

		// Renaming to another procedure's old slug: 409, nothing changed.
		prob := decodeProblem(t, ad.call(http.MethodPost, base+"beta-demarche/rename", map[string]string{"slug": "alpha-demarche"}, 409))
		if !strings.Contains(prob.Detail, "alpha-demarche") {
			t.Errorf("409 detail: %+v", prob)
		}
		unchanged("rename to an alias")
		// The same in the store, in one transaction: refused and rolled back.
		rev, _ := strconv.Atoi(strings.Trim(beta.Revision, `"W/`))
		err = ad.a.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			_, err := store.RenameProcedure(ctx, tx, betaP.ID, "beta-demarche", "alpha-demarche", rev, beta.Draft, time.Now())
			return err
		})
		if !errors.Is(err, store.ErrSlugTaken) {
			t.Errorf("store rename to an alias: %v, want ErrSlugTaken", err)
		}
		unchanged("store rename to an alias")
		// An alias is never moved: beta's slug already recorded as
		// alpha's old slug (as a racing rename could leave it) makes the
		// rename of beta fail instead of taking the alias over.
		if _, err := ad.a.DB.Write.NewInsert().Model(&store.ProcedureAlias{Slug: "beta-demarche", ProcedureID: alphaP.ID, CreatedAt: time.Now()}).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		err = ad.a.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
			_, err := store.RenameProcedure(ctx, tx, betaP.ID, "beta-demarche", "delta-demarche", rev, beta.Draft, time.Now())
			return err
		})
		if !errors.Is(err, store.ErrSlugTaken) {
			t.Errorf("store rename recording a taken alias: %v, want ErrSlugTaken", err)
		}
		if owner, err := store.AliasOwner(ctx, ad.a.DB.Read, "beta-demarche"); err != nil || owner != alphaP.ID {
			t.Errorf("alias beta-demarche moved: owned by %q, %v", owner, err)
		}
		if _, err := ad.a.DB.Write.NewDelete().Model((*store.ProcedureAlias)(nil)).Where("slug = ?", "beta-demarche").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		unchanged("store rename recording a taken alias")

		// Creating a procedure with an old slug: 409, nothing created.
		n, _ := store.CountProcedures(ctx, ad.a.DB.Read)
		ad.call(http.MethodPost, "/api/admin/procedures", map[string]string{"slug": "alpha-demarche"}, 409)
		if m, _ := store.CountProcedures(ctx, ad.a.DB.Read); m != n {
			t.Errorf("procedures after a refused creation: %d, want %d", m, n)
		}

		// A save that read beta before its rename committed (no If-Match):
		// the store misses it, the draft keeps the new slug.
		ad.call(http.MethodPost, base+"beta-demarche/rename", map[string]string{"slug": "epsilon-demarche"}, 200)
		_, err = store.SaveProcedureDraft(ctx, ad.a.DB.Write, betaP.ID, "beta-demarche", beta.Draft, nil, time.Now())
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("save under the slug before the rename: %v, want ErrNotFound", err)
		}
		o, err := store.ProcedureOverviewBySlug(ctx, ad.a.DB.Read, "epsilon-demarche")
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Slug string }
		if err := json.Unmarshal(o.Draft, &doc); err != nil || doc.Slug != "epsilon-demarche" {
			t.Errorf("draft after the racing save: slug %q, %v", doc.Slug, err)
		}
		// The saves that follow, under the new slug, work; the old slug
		// says where the procedure went.
		renamed := decodeProcedure(t, ad.call(http.MethodGet, base+"epsilon-demarche", nil, 200))
		ad.call(http.MethodPut, base+"epsilon-demarche/draft", renamed.Draft, 200)
		if _, err := store.SaveProcedureDraft(ctx, ad.a.DB.Write, betaP.ID, "epsilon-demarche", renamed.Draft, nil, time.Now()); err != nil {
			t.Errorf("save under the current slug: %v", err)
		}
		resp, body := ad.send(http.MethodPut, base+"beta-demarche/draft", beta.Draft)
		if resp.StatusCode != 404 || !strings.Contains(body, "epsilon-demarche") {
			t.Errorf("save to the old slug: %d %s", resp.StatusCode, body)
		}
		ad.call(http.MethodPost, base+"epsilon-demarche/publish", nil, 201)
	})
}
