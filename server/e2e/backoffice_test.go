package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/guichet/guichet/server/apptest"
)

// TestBackofficeAgentAndConsultedRole processes a building permit in the
// back-office: the SeCC technician signs in, finds the dossier in the
// inbox, invites the security officer and fires a transition (and sees
// the errors of a transition's form); the admin's pages are checked; then
// the security officer signs in and returns its opinion, with a file,
// through its role's opinion form. axe checks every page.
func TestBackofficeAgentAndConsultedRole(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a, base := startApp(t, db, "")
		apptest.CreateStaff(t, a, "secc", "permis-construire", "secc", "processing")
		apptest.CreateStaff(t, a, "secu", "permis-construire", "securite", "consulted")
		ref := submitBuildingPermit(t, base)
		s := &tab{t: t, ctx: newBrowser(t), base: base, axe: true}

		// The technician.
		staffSignIn(s, "/backoffice", "secc@test.local", "password-secc")
		s.wantPath("/backoffice")
		s.wantText("h1", "Dossiers")
		s.checkPage("the inbox", true)
		s.follow("open the dossier", linkText(ref))
		s.wantText("h1", "Dossier "+ref)
		s.checkPage("the dossier page", true)

		s.selectOption("#circulation-role", "Chargé de sécurité communal")
		s.submit("invite the security officer", buttonText("Inviter"), 200)
		s.wantText(".notice", "Chargé de sécurité communal invité.")
		if got := s.text(`//th[normalize-space()="Chargé de sécurité communal"]/following-sibling::td[1]`); !strings.HasPrefix(got, "invité jusqu’au") {
			t.Errorf("circulation status of the security officer = %q, want it invited", got)
		}

		s.submit("fire a transition", buttonText("Ouvrir l'instruction"), 200)
		s.wantText(".notice", "« Ouvrir l'instruction » effectué.")
		s.wantText(`//dt[normalize-space()="État"]/following-sibling::dd`, "En instruction")

		// The refusal's form, sent empty: GOV.UK errors, then the link to
		// the field.
		s.submit("refuse without a reason", buttonText("Refuser le permis"), 422)
		if title := s.title(); !strings.HasPrefix(title, "Erreur : ") {
			t.Errorf("title with errors = %q", title)
		}
		s.wantText(".error-summary h2", "Il y a un problème")
		s.checkPage("the dossier page with an error", false)
		do(t, s.ctx, "follow the error summary link", chromedp.Click(chromedp.CSS(`.error-summary a[href="#transition-refuser-f-motif"]`)))
		if id := get(t, s.ctx, "read the focus", chromedp.Evaluate[string](`document.activeElement && document.activeElement.id`)); id != "transition-refuser-f-motif" {
			t.Errorf("focus after the summary link = %q", id)
		}
		staffSignOut(s)

		// The admin's pages.
		staffSignIn(s, "/backoffice/admin/users", apptest.AdminEmail, apptest.AdminPassword)
		s.wantText("h1", "Utilisateurs")
		s.checkPage("the users page", true)
		s.open("/backoffice/admin/groups")
		s.checkPage("the groups page", true)
		s.open("/backoffice/admin/roles")
		s.checkPage("the roles page", true)
		s.open("/backoffice/saisie/saisie-guichet")
		s.checkPage("the intake form", true)
		staffSignOut(s)

		// The security officer returns its opinion.
		staffSignIn(s, "/backoffice", "secu@test.local", "password-secu")
		s.follow("open my pending invitations", `//a[starts-with(normalize-space(),"Mes invitations en attente de préavis")]`)
		s.follow("open the dossier", linkText(ref))
		s.wantText("#opinion-securite-title", "Votre préavis : Chargé de sécurité communal")
		s.checkPage("the dossier page of a consulted role", true)
		s.click("choose a decision", labelText("Favorable avec conditions"))
		s.typeIn("#opinion-securite-f-text", "Les issues de secours doivent être élargies.")
		report := filepath.Join(t.TempDir(), "rapport.pdf")
		if err := os.WriteFile(report, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		do(t, s.ctx, "attach the report", chromedp.SetUploadFiles(chromedp.CSS("#opinion-securite-f-attachment"), []string{report}))
		s.submit("return the opinion", buttonText("Rendre le préavis"), 200)
		s.wantText(".notice", "Votre préavis a été transmis.")
		opinion := s.text(".opinion")
		for _, want := range []string{"Chargé de sécurité communal : Favorable avec conditions", "Les issues de secours doivent être élargies.", "rapport.pdf"} {
			if !strings.Contains(opinion, want) {
				t.Errorf("the returned opinion lacks %q:\n%s", want, opinion)
			}
		}
		s.checkPage("the dossier page after the opinion", false)
	})
}

// submitBuildingPermit submits a building permit over the public API and
// returns its reference.
func submitBuildingPermit(t *testing.T, base string) string {
	t.Helper()
	c := apptest.NewClient(t, base)
	st, body := c.JSON(http.MethodPost, "/api/v1/procedures/permis-construire/dossiers", map[string]any{
		"first_name": "Claude", "last_name": "Rochat", "email": "claude.rochat@example.ch",
		"parcel":  map[string]any{"commune": "Montagny", "number": "1234"},
		"project": "Agrandissement d'une salle de spectacle", "competence": "cantonal",
	})
	if st != http.StatusCreated {
		t.Fatalf("submit a building permit: %d %s", st, body)
	}
	var out struct{ Reference string }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out.Reference
}

// staffSignIn opens path, which sends an anonymous visitor to the sign-in
// page, signs in and comes back to path.
func staffSignIn(c *tab, path, email, password string) {
	c.t.Helper()
	c.open(path)
	c.wantPath("/login")
	c.typeIn("#email", email)
	c.typeIn("#password", password)
	c.submit("sign in as "+email, buttonText("Se connecter"), 200)
	c.wantPath(path)
}

// staffSignOut uses the header's sign-out button.
func staffSignOut(c *tab) {
	c.t.Helper()
	c.submit("sign out", buttonText("Se déconnecter"), 200)
	c.wantPath("/")
}
