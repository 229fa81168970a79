package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/integrations"
)

// businessApp is the roads department's application of the "Signalement
// voirie" preset: it checks each request's Standard Webhooks signature
// with the secret the admin stores, and answers a poll of report 42.
type businessApp struct {
	secret string
	mu     sync.Mutex
	seen   []string // "GET /path signed" or "GET /path bad signature: …"
}

func (b *businessApp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sig := "signed"
	if err := integrations.Verify(b.secret, r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"),
		r.Header.Get("webhook-signature"), nil, time.Now()); err != nil {
		sig = "bad signature: " + err.Error()
	}
	b.mu.Lock()
	b.seen = append(b.seen, r.Method+" "+r.URL.Path+" "+sig)
	b.mu.Unlock()
	if sig != "signed" {
		http.Error(w, sig, http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/", "":
		_ = json.NewEncoder(w).Encode(map[string]string{"service": "voirie", "status": "up"})
	case "/signalements/42":
		_ = json.NewEncoder(w).Encode(map[string]string{"id": "42", "status": "resolu", "comment": "Nid-de-poule rebouché"})
	default:
		http.NotFound(w, r)
	}
}

func (b *businessApp) requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.seen...)
}

// TestBuilderIntegrationTestCall is the integrations editor end to end:
// an admin completes the "Signalement voirie" integration with forms
// (the application's address, the internal-network switch, the value of
// its signing secret), then tests the connection and a poll against the
// real application from the Test tab and reads what the dossier would
// become. The secret never shows; axe checks the editor's tabs.
func TestBuilderIntegrationTestCall(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
		biz := &businessApp{secret: secret}
		srv := httptest.NewServer(biz)
		t.Cleanup(srv.Close)

		_, base := startApp(t, db, "")
		admin := &spa{tab: &tab{t: t, ctx: newBrowser(t), base: base, axe: true}}
		staffSignIn(admin.tab, "/admin/", apptest.AdminEmail, apptest.AdminPassword)
		admin.waitHeading("Démarches")
		do(t, admin.ctx, "open the integration", chromedp.Navigate(base+"/admin/#/p/signalement-voirie/scenarios/1/integration"))
		admin.waitHeading("Intégration")
		admin.waitVisible("the connection tab", `//main//h2[normalize-space()="Connexion"]`)

		admin.fill(field("//main", "Adresse de l’application (URL de base)"), srv.URL)
		admin.click("tick the internal network", `//main//label[normalize-space()="Application dans le réseau interne"]`)
		admin.saved()
		admin.checkPage("the integration's connection tab", false)

		// The preset names its signing secret; its value is set here, once.
		admin.click("set the secret's value", buttonText("Définir la valeur…"))
		admin.fill(field("//main", "Valeur du secret voirie-signature"), secret)
		admin.click("save the secret", buttonText("Enregistrer la valeur"))
		admin.waitStatus("La valeur du secret voirie-signature est enregistrée.")
		if strings.Contains(admin.text("main"), secret) {
			t.Fatal("the page shows the secret's value after saving it")
		}

		admin.click("open the test tab", `//main//*[@role="tab"][starts-with(normalize-space(),"Test")]`)
		admin.waitVisible("the test tab", `//main//h2[normalize-space()="Test"]`)
		admin.click("test the connection", buttonText("Tester la connexion"))
		admin.waitVisible("the connection's outcome", `//main//*[contains(normalize-space(),"l’application a répondu avec succès.")]`)
		page := admin.text("main")
		if strings.Contains(page, strings.TrimPrefix(secret, "whsec_")) || !strings.Contains(page, "v1,••••") {
			t.Errorf("the request shown does not mask its signature:\n%s", page)
		}
		admin.checkPage("the integration's test tab with a result", false)

		admin.fill(field("//main", "Identifiant externe pour l’interrogation (facultatif)"), "42")
		admin.click("test a poll", buttonText("Tester l’interrogation"))
		admin.waitVisible("what the poll would do",
			`//main//*[contains(normalize-space(),"passerait par la transition « Marquer comme réglé »")][contains(normalize-space(),"afficherait le message « Nid-de-poule rebouché »")]`)

		want := []string{"GET / signed", "GET /signalements/42 signed"}
		if got := biz.requests(); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("the business application received %q, want %q", got, want)
		}
	})
}

// TestBuilderSiteSettings changes the administration's name and accent
// colour from the admin app; a colour that is too light is refused next
// to its field, and the portal shows the saved branding at once.
func TestBuilderSiteSettings(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		_, base := startApp(t, db, "")
		admin := &spa{tab: &tab{t: t, ctx: newBrowser(t), base: base, axe: true}}
		staffSignIn(admin.tab, "/admin/", apptest.AdminEmail, apptest.AdminPassword)
		admin.waitHeading("Démarches")
		admin.click("open the site settings", `//nav[@aria-label="Navigation principale"]//a[normalize-space()="Site"]`)
		admin.waitHeading("Identité du site")
		admin.checkPage("the site settings", false)

		admin.fill(field("//main", "Nom de l’administration"), "Commune de Montagny")
		admin.fill(field("//main", "Couleur d’accent"), "#ffd700")
		admin.waitVisible("the contrast warning", `//main//p[starts-with(normalize-space(),"Contraste sur fond blanc : 1,")][contains(.,"insuffisant")]`)
		admin.click("save", buttonText("Enregistrer"))
		admin.waitVisible("the refusal at the colour", `//main//*[@class="field-error"][contains(.,"Contraste insuffisant")]`)
		admin.checkPage("the site settings with an error", false)

		admin.fill(field("//main", "Couleur d’accent"), "#1d5c2e")
		admin.click("save", buttonText("Enregistrer"))
		admin.waitStatus("Enregistré : les pages l’affichent dès maintenant.")

		admin.open("/")
		if page := admin.text("header"); !strings.Contains(page, "Commune de Montagny") {
			t.Errorf("the portal's header reads %q", page)
		}
		if css := get(t, admin.ctx, "read the accent", chromedp.Evaluate[string](`document.documentElement.outerHTML`)); !strings.Contains(css, "#1d5c2e") {
			t.Error("the portal does not use the saved accent colour")
		}
	})
}
