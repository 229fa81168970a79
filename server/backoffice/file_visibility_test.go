package backoffice_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
)

// TestOpinionFileFollowsOpinionVisibility checks that a file attached to an
// opinion is downloadable only by those who may read that opinion, even
// when they may open the dossier.
func TestOpinionFileFollowsOpinionVisibility(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		base := apptest.Serve(t, a)
		apptest.CreateStaff(t, a, "secc", "permis-construire", "secc", "processing")
		apptest.CreateStaff(t, a, "secu", "permis-construire", "securite", "consulted")
		apptest.CreateStaff(t, a, "ocf", "permis-construire", "ocf", "consulted")
		clients := map[string]*apptest.Client{}
		for _, n := range []string{"secc", "secu", "ocf"} {
			clients[n] = apptest.NewClient(t, base)
			clients[n].StaffLogin(n+"@test.local", "password-"+n)
		}
		id := submitPermit(t, base, "x@example.ch", "cantonal")
		circulate(t, clients["secc"], id, "securite", true)
		circulate(t, clients["secc"], id, "ocf", true)

		f := &store.File{ID: store.NewID(), Owner: "test", DossierID: &id, Name: "rapport.pdf", ContentType: "application/pdf",
			Size: 9, SHA256: "x", Content: []byte("%PDF-1.4\n"), CreatedAt: time.Now().UTC()}
		if err := store.InsertFile(context.Background(), a.DB.Write, f); err != nil {
			t.Fatal(err)
		}
		st, body := clients["ocf"].JSON(http.MethodPost, "/api/staff/dossiers/"+id+"/opinions/ocf", map[string]any{"data": map[string]any{
			"decision": "favourable", "text": "Conforme.", "attachment": f.ID}})
		if st != http.StatusOK {
			t.Fatalf("return opinion: %d %s", st, body)
		}
		path := "/api/staff/dossiers/" + id + "/files/" + f.ID
		for who, want := range map[string]int{"ocf": 200, "secc": 200, "secu": 404} {
			if st, _ := clients[who].JSON(http.MethodGet, path, nil); st != want {
				t.Errorf("%s downloads the OCF's attachment: %d, want %d", who, st, want)
			}
		}
	})
}
