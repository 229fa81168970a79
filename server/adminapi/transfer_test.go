package adminapi_test

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/apptest"
)

// TestExportImport round-trips a version through a file, keeping the
// author's key order (the order of form fields) on every database.
func TestExportImport(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		preset, err := builder.Preset("reservation-salle")
		if err != nil {
			t.Fatal(err)
		}
		want, err := preset.JSON()
		if err != nil {
			t.Fatal(err)
		}

		resp, exported := ad.send(http.MethodGet, "/api/admin/procedures/reservation-salle/export?version=1", nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Disposition") != `attachment; filename="reservation-salle-v1.json"` {
			t.Fatalf("export: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		if exported != string(want) {
			t.Fatalf("exported v1 is not the preset as written:\n%.400s", exported)
		}

		prob := decodeProblem(t, ad.call(http.MethodPost, "/api/admin/procedures/import", exported, 409))
		if prob.Detail == "" {
			t.Errorf("conflict without detail: %+v", prob)
		}
		p := decodeProcedure(t, ad.call(http.MethodPost, "/api/admin/procedures/import?slug=salle-copie", exported, 201))
		if p.Slug != "salle-copie" || p.Status != "draft" || len(p.Problems) != 1 || p.Problems[0].Pointer != "/referencePrefix" ||
			!strings.Contains(p.Problems[0].Detail, "«\u00a0RS\u00a0» est déjà utilisé par la démarche «\u00a0reservation-salle\u00a0»") {
			t.Fatalf("imported copy = %+v, want one problem: its reference prefix is taken", p)
		}
		prob = decodeProblem(t, ad.call(http.MethodPost, "/api/admin/procedures/salle-copie/publish", nil, 422))
		if !slices.Equal(prob.pointers(), []string{"/referencePrefix"}) {
			t.Errorf("publish the copy = %+v", prob)
		}
		resp, again := ad.send(http.MethodGet, "/api/admin/procedures/salle-copie/export", nil)
		if resp.Header.Get("Content-Disposition") != `attachment; filename="salle-copie.json"` {
			t.Errorf("draft export named %q", resp.Header.Get("Content-Disposition"))
		}
		if want := bytes.Replace(want, []byte(`"slug": "reservation-salle"`), []byte(`"slug": "salle-copie"`), 1); again != string(want) {
			t.Errorf("round trip changed the document:\n%s", again)
		}

		resp, body := ad.c.PostMultipart("/api/admin/procedures/import?slug=salle-fichier", url.Values{},
			apptest.Upload{Field: "file", Name: "salle.json", ContentType: "application/json", Content: []byte(exported)})
		if resp.StatusCode != 201 {
			t.Fatalf("multipart import: %d %s", resp.StatusCode, body)
		}

		prob = decodeProblem(t, ad.call(http.MethodPost, "/api/admin/procedures/import", "{\n  \"slug\": \"x\",\n  oops\n}", 400))
		if prob.Line != 3 || prob.Column != 3 {
			t.Errorf("broken file = %+v", prob)
		}
		prob = decodeProblem(t, ad.call(http.MethodPost, "/api/admin/procedures/import?slug=Bad_Slug", exported, 422))
		if len(prob.Errors) == 0 || prob.Errors[0].Pointer != "/slug" {
			t.Errorf("bad slug = %+v", prob)
		}
	})
}
