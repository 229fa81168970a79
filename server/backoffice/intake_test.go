package backoffice_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/guichet/guichet/server/apptest"
)

var nonceRe = regexp.MustCompile(`name="_nonce" value="([^"]+)"`)

// TestIntake records requests made at the counter: the procedures offered
// to each agent, validation, the new dossier (created by the agent, with
// its files) and the idempotency of the form.
func TestIntake(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		base := apptest.Serve(t, a)
		permitStaff(t, a)
		admin := apptest.NewClient(t, base)
		admin.Login(apptest.AdminEmail, apptest.AdminPassword)
		tech, secu := agent(t, base, "tech"), agent(t, base, "secu")

		body := page(t, admin, "/backoffice/saisie", http.StatusOK)
		mustShow(t, body, `href="/backoffice/saisie/saisie-guichet">Saisie d&#39;une demande au guichet</a>`,
			"Réservée au personnel", `href="/backoffice/saisie/permis-construire"`, `href="/backoffice/saisie/reservation-salle"`)
		body = page(t, tech, "/backoffice/saisie", http.StatusOK)
		mustShow(t, body, `href="/backoffice/saisie/permis-construire"`)
		mustHide(t, body, "saisie-guichet", "reservation-salle")
		page(t, tech, "/backoffice/saisie/saisie-guichet", http.StatusNotFound)
		mustShow(t, page(t, secu, "/backoffice/saisie", http.StatusOK), "Vous ne traitez aucune démarche")
		page(t, secu, "/backoffice/saisie/permis-construire", http.StatusNotFound)
		page(t, admin, "/backoffice/saisie/portail-famille", http.StatusNotFound) // no form

		t.Run("counter request", func(t *testing.T) {
			body := page(t, admin, "/backoffice/saisie/saisie-guichet", http.StatusOK)
			mustShow(t, body, `<h1>Saisie d&#39;une demande au guichet</h1>`, `id="f-description"`, "Enregistrer la demande")
			nonce := nonceRe.FindStringSubmatch(body)[1]
			body = post(t, admin, "/backoffice/saisie/saisie-guichet", url.Values{"_nonce": {nonce}, "name": {"Jeanne Martin"}},
				http.StatusUnprocessableEntity)
			mustShow(t, body, "<title>Erreur : ", `<a href="#f-channel">`, `<a href="#f-description">`, `value="Jeanne Martin"`)
			vals := url.Values{"_nonce": {nonce}, "channel": {"telephone"}, "name": {"Jeanne Martin"}, "subject": {"voirie"},
				"description": {"Un lampadaire est éteint depuis une semaine devant le numéro 12."}}
			resp, _ := admin.PostForm("/backoffice/saisie/saisie-guichet", vals)
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/backoffice/dossiers/") {
				t.Fatalf("intake: %d → %q", resp.StatusCode, loc)
			}
			body = page(t, admin, loc, http.StatusOK)
			mustShow(t, body, "Demande GU-", " enregistrée.</div>", "saisi par un agent", "Jeanne Martin", "Par téléphone",
				"Routes, trottoirs et éclairage public", " · Administrateur</p>")
			// The same page sent twice makes one dossier.
			if resp, _ := admin.PostForm("/backoffice/saisie/saisie-guichet", vals); resp.Header.Get("Location") != loc {
				t.Errorf("second post → %q, want the same dossier %q", resp.Header.Get("Location"), loc)
			}
		})

		t.Run("multi-page form on one page, with a repeat group", func(t *testing.T) {
			body := page(t, admin, "/backoffice/saisie/reservation-salle", http.StatusOK)
			mustShow(t, body, `id="f-first_name"`, `id="f-event_date"`, `id="f-consent"`, `value="add:/equipment"`)
			nonce := nonceRe.FindStringSubmatch(body)[1]
			body = post(t, admin, "/backoffice/saisie/reservation-salle", url.Values{"_nonce": {nonce}, "first_name": {"Ana"},
				"_action": {"add:/equipment"}}, http.StatusOK)
			mustShow(t, body, `value="Ana"`, `id="f-equipment-0-item"`)
			mustHide(t, body, "error-summary")
		})

		t.Run("request with a file, by an agent", func(t *testing.T) {
			body := page(t, tech, "/backoffice/saisie/permis-construire", http.StatusOK)
			mustShow(t, body, `enctype="multipart/form-data"`)
			nonce := nonceRe.FindStringSubmatch(body)[1]
			resp, body := tech.PostMultipart("/backoffice/saisie/permis-construire", url.Values{"_nonce": {nonce},
				"first_name": {"Luc"}, "last_name": {"Berset"}, "email": {"luc@example.ch"}, "parcel.commune": {"Montagny"},
				"parcel.number": {"77"}, "project": {"Véranda chauffée"}, "competence": {"communal"}},
				apptest.Upload{Field: "plans", Name: "plans.pdf", ContentType: "application/pdf", Content: pdf})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("intake with a file: %d\n%s", resp.StatusCode, mainOf(body))
			}
			body = page(t, tech, resp.Header.Get("Location"), http.StatusOK)
			mustShow(t, body, "Berset", "Véranda chauffée", ">plans.pdf</a> <span class=\"muted\">(", `action="/backoffice/dossiers/`)
			link := regexp.MustCompile(`<a href="([^"]+/files/[^"]+)">plans.pdf</a>`).FindStringSubmatch(body)
			if link == nil {
				t.Fatal("no link to the plans")
			}
			if resp, content := tech.Get(link[1]); resp.StatusCode != http.StatusOK || content != string(pdf) {
				t.Errorf("download the plans: %d", resp.StatusCode)
			}
			// Another agent's browser cannot claim the upload.
			if resp, _ := secu.Get(link[1]); resp.StatusCode != http.StatusNotFound {
				t.Errorf("a consulted role downloads the file of a dossier it was not invited on: %d", resp.StatusCode)
			}
		})

		t.Run("renamed procedure: the old address leads to the new one", func(t *testing.T) {
			api := apptest.NewClient(t, base)
			api.AdminAPI()
			if resp, body := api.RawJSON(http.MethodPost, "/api/admin/procedures/saisie-guichet/rename", []byte(`{"slug": "saisie-accueil"}`)); resp.StatusCode != http.StatusOK {
				t.Fatalf("rename: %d %s", resp.StatusCode, body)
			}
			resp, _ := admin.Get("/backoffice/saisie/saisie-guichet?x=1")
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || loc != "/backoffice/saisie/saisie-accueil?x=1" {
				t.Errorf("old intake address: %d → %q", resp.StatusCode, loc)
			}
			mustShow(t, page(t, admin, "/backoffice/saisie/saisie-accueil", http.StatusOK), `<h1>Saisie d&#39;une demande au guichet</h1>`)
			page(t, tech, "/backoffice/saisie/saisie-accueil", http.StatusNotFound)
		})
	})
}
