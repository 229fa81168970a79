package backoffice_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
)

// TestAdminPages creates an account, a group and a role binding through
// the admin pages, and checks each one takes effect.
func TestAdminPages(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		base := apptest.Serve(t, a)
		permitStaff(t, a)
		id, ref := submitPermitAs(t, base, "Rochat", "cantonal")
		admin := apptest.NewClient(t, base)
		admin.Login(apptest.AdminEmail, apptest.AdminPassword)

		t.Run("agents do not see the admin pages", func(t *testing.T) {
			secc := agent(t, base, "secc")
			for _, p := range []string{"/backoffice/admin/users", "/backoffice/admin/groups", "/backoffice/admin/roles"} {
				page(t, secc, p, http.StatusNotFound)
			}
			post(t, secc, "/backoffice/admin/users", url.Values{"name": {"X"}, "email": {"x@test.local"}, "password": {"long enough password"}},
				http.StatusNotFound)
			mustHide(t, page(t, secc, "/backoffice", http.StatusOK), "/backoffice/admin/")
		})

		body := post(t, admin, "/backoffice/admin/users", url.Values{"name": {""}, "email": {"zoe@"}, "password": {"court"}},
			http.StatusUnprocessableEntity)
		mustShow(t, body, "<title>Erreur : ", `<a href="#user-name">Saisissez le nom.</a>`, `<a href="#user-email">`,
			`<a href="#user-password">`, `value="zoe@"`)
		mustHide(t, body, `value="court"`)
		post(t, admin, "/backoffice/admin/users", url.Values{"name": {"Zoé Zurcher"}, "email": {"zoe@test.local"},
			"password": {"first password 1"}}, http.StatusSeeOther)
		body = page(t, admin, "/backoffice/admin/users", http.StatusOK)
		mustShow(t, body, "Compte de Zoé Zurcher créé.", "zoe@test.local")
		body = post(t, admin, "/backoffice/admin/users", url.Values{"name": {"Autre"}, "email": {"ZOE@test.local"},
			"password": {"another password"}}, http.StatusUnprocessableEntity)
		mustShow(t, body, "Un compte existe déjà avec cette adresse e-mail.")

		zoe, err := store.UserByEmail(context.Background(), a.DB.Read, "zoe@test.local")
		if err != nil {
			t.Fatal(err)
		}
		userPage := "/backoffice/admin/users/" + zoe.ID
		mustShow(t, page(t, admin, userPage, http.StatusOK), "<h1>Zoé Zurcher</h1>")
		mustShow(t, post(t, admin, userPage+"/password", url.Values{"password": {"short"}}, http.StatusUnprocessableEntity),
			`<a href="#new-password">`)
		post(t, admin, userPage+"/password", url.Values{"password": {"second password 2"}}, http.StatusSeeOther)
		mustShow(t, page(t, admin, userPage, http.StatusOK), "Mot de passe de Zoé Zurcher modifié.")
		z := apptest.NewClient(t, base)
		z.Login("zoe@test.local", "second password 2")
		page(t, z, "/backoffice/dossiers/"+id, http.StatusNotFound) // no role yet

		// A group, Zoé in it, and the group bound to the SeCC role.
		body = post(t, admin, "/backoffice/admin/groups", url.Values{"label": {"Service du feu"}, "name": {"Service Feu"}},
			http.StatusUnprocessableEntity)
		mustShow(t, body, `<a href="#group-name">`, `value="Service du feu"`)
		post(t, admin, "/backoffice/admin/groups", url.Values{"label": {"Service du feu"}, "name": {"service-feu"}}, http.StatusSeeOther)
		post(t, admin, "/backoffice/admin/groups", url.Values{"label": {"Doublon"}, "name": {"service-feu"}}, http.StatusUnprocessableEntity)
		g, err := store.GroupByName(context.Background(), a.DB.Read, "service-feu")
		if err != nil {
			t.Fatal(err)
		}
		post(t, admin, "/backoffice/admin/groups/"+g.ID+"/members", url.Values{"user": {zoe.ID}}, http.StatusSeeOther)
		body = page(t, admin, "/backoffice/admin/groups", http.StatusOK)
		mustShow(t, body, "Zoé Zurcher ajouté au groupe Service du feu.", `/backoffice/admin/groups/`+g.ID+`/members/`+zoe.ID+`/remove`)

		body = page(t, admin, "/backoffice/admin/roles", http.StatusOK)
		mustShow(t, body, "Technicien SeCC", "Office cantonal du feu (OCF)", "(traitement)", "(préavis)")
		procID := regexp.MustCompile(`name="procedure" value="([^"]+)"`).FindStringSubmatch(body)[1]
		bind := url.Values{"procedure": {procID}, "role": {"secc"}, "group": {g.ID}}
		post(t, admin, "/backoffice/admin/roles", url.Values{"procedure": {procID}, "role": {"nope"}, "group": {g.ID}}, http.StatusNotFound)
		post(t, admin, "/backoffice/admin/roles", bind, http.StatusSeeOther)
		mustShow(t, page(t, admin, "/backoffice/admin/roles", http.StatusOK), "Rôle Technicien SeCC lié au groupe Service du feu.")
		mustShow(t, page(t, z, "/backoffice", http.StatusOK), ref)
		page(t, z, "/backoffice/dossiers/"+id, http.StatusOK)

		post(t, admin, "/backoffice/admin/roles/remove", bind, http.StatusSeeOther)
		page(t, z, "/backoffice/dossiers/"+id, http.StatusNotFound)
		post(t, admin, "/backoffice/admin/groups/"+g.ID+"/members/"+zoe.ID+"/remove", url.Values{}, http.StatusSeeOther)
		mustShow(t, page(t, admin, "/backoffice/admin/groups", http.StatusOK), "Zoé Zurcher retiré du groupe Service du feu.")
		mustShow(t, page(t, admin, userPage, http.StatusOK), "<h1>Zoé Zurcher</h1>")
	})
}
