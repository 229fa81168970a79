package e2e

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/mail/smtptest"
	"github.com/guichet/guichet/server/store"
)

// TestCitizenBooksRoomWithJavaScript books a room through the portal in an
// ordinary browser, checking every page with axe, then reads the
// acknowledgement in the dev mailbox as the admin.
func TestCitizenBooksRoomWithJavaScript(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a, base := startApp(t, db, "")
		ctx := newBrowser(t) // after the app: its cleanup closes the browser's connections first
		c := &tab{t: t, ctx: ctx, base: base, axe: true}
		b := bookRoom(c)

		waitForMailbox(t, a, b.reference)
		readMailboxAsAdmin(c, b)
	})
}

// TestCitizenBooksRoomWithoutJavaScript books a room in a browser that runs
// no script, with a real SMTP server receiving the acknowledgement.
func TestCitizenBooksRoomWithoutJavaScript(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		srv := smtptest.Start(t)
		_, base := startApp(t, db, srv.URL())
		ctx := newBrowser(t)
		disableJavaScript(t, ctx)
		// The pages are the same HTML as with JavaScript, where axe checks
		// them; axe itself needs scripts.
		c := &tab{t: t, ctx: ctx, base: base, axe: false}
		c.open("/")
		if scriptsRun(t, ctx) {
			t.Fatal("the page runs scripts although JavaScript is disabled")
		}
		b := bookRoom(c)

		ack := acknowledgement(t, srv.WaitFor(t, 1, 10*time.Second), b)
		openTrackingLink(c, ack.Body, b)
	})
}

// acknowledgement finds the acknowledgement of b among msgs and checks its
// recipient, subject and body.
func acknowledgement(t *testing.T, msgs []smtptest.Received, b booking) smtptest.Received {
	t.Helper()
	i := slices.IndexFunc(msgs, func(m smtptest.Received) bool { return strings.Contains(m.Subject, b.reference) })
	if i < 0 {
		t.Fatalf("no message about %s among the %d received; the first is %q", b.reference, len(msgs), msgs[0].Subject)
	}
	ack := msgs[i]
	if want := "Votre demande " + b.reference + " a bien été reçue"; ack.Subject != want {
		t.Errorf("subject = %q, want %q", ack.Subject, want)
	}
	if len(ack.To) != 1 || ack.To[0] != applicantEmail {
		t.Errorf("recipients = %v, want [%s]", ack.To, applicantEmail)
	}
	for _, want := range []string{"Bonjour Camille,", "sous la référence " + b.reference, b.trackingURL} {
		if !strings.Contains(ack.Body, want) {
			t.Errorf("acknowledgement body lacks %q:\n%s", want, ack.Body)
		}
	}
	return ack
}

const applicantEmail = "camille.rochat@example.ch"

// referenceRe is the shape of a room booking's reference.
var referenceRe = regexp.MustCompile(`^RS-\d{4}-\d{5}$`)

// waitForMailbox waits until the job worker has put a message about
// reference in the dev mailbox.
func waitForMailbox(t *testing.T, a *app.App, reference string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ms, err := store.MailboxMessages(context.Background(), a.DB.Read, 50)
		if err != nil {
			t.Fatalf("read the dev mailbox: %v", err)
		}
		for _, m := range ms {
			if strings.Contains(m.Subject, reference) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message about %s in the dev mailbox after 10s (%d messages)", reference, len(ms))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// booking is what the citizen keeps of a submitted request.
type booking struct {
	reference   string
	trackingURL string
}

// bookRoom goes through the room booking from the catalogue to the
// tracking page, checking each page on the way.
func bookRoom(c *tab) booking {
	t := c.t

	// Catalogue.
	c.open("/")
	c.wantText("h1", "Démarches en ligne")
	c.checkPage("the catalogue", true)

	// Procedure page.
	c.follow("open the procedure", linkText("Réservation de salle"))
	c.wantPath("/d/reservation-salle")
	c.wantText("h1", "Réservation de salle")
	c.checkPage("the procedure page", true)

	// Step 1, sent with two mistakes.
	c.follow("start the form", linkText("Commencer la démarche"))
	c.wantPath("/d/reservation-salle/form")
	c.wantText("h1", "Vos coordonnées")
	c.wantText(".caption", "Réservation de salle – Étape 1 sur 3")
	c.wantTitle("Vos coordonnées – Réservation de salle – " + c.text(".header__brand"))
	c.checkPage("form step 1", true)
	// The schema's order, also on PostgreSQL (whose JSONB sorts keys).
	if got, want := c.labels(), "Prénom|Nom|Adresse e-mail|Téléphone (facultatif)|Adresse|Rue et numéro|NPA|Localité"; got != want {
		t.Errorf("fields of step 1 = %s, want %s", got, want)
	}
	c.typeIn("#f-first_name", "Camille")
	c.typeIn("#f-email", "camille.rochat.example.ch")
	c.typeIn("#f-address-street", "Chemin des Vignes 4")
	c.typeIn("#f-address-postcode", "1095")
	c.typeIn("#f-address-city", "Lutry")
	c.submit("send step 1 with mistakes", buttonText("Continuer"), 422)
	checkStep1Errors(c)
	c.checkPage("form step 1 with errors", true)

	// Step 1, corrected.
	c.typeIn("#f-last_name", "Rochat")
	c.replace("#f-email", applicantEmail)
	c.submit("send step 1 corrected", buttonText("Continuer"), 200)
	c.wantPathMatch(`^/d/reservation-salle/form/[\w-]{43}/etape/2$`)
	c.wantText("h1", "Votre événement")
	c.wantText(".caption", "Réservation de salle – Étape 2 sur 3")
	if title := c.title(); strings.HasPrefix(title, "Erreur") {
		t.Errorf("step 2 title = %q, want no error prefix", title)
	}
	c.checkPage("form step 2", true)
	// The layout is asked for the salle polyvalente only (ui:showIf), on the
	// page of the room: without a script it is shown with a hint, and left
	// empty here since the citizen books the salle communale.
	if hint := strings.ReplaceAll(c.text("#f-layout-condition"), "\u00a0", " "); hint != "À remplir seulement si « Salle souhaitée » est « Salle polyvalente »" {
		t.Errorf("hint of the conditional layout field = %q", hint)
	}

	// Step 2: a radio, a date, a number, then a repeated group added with
	// a submit button (no script).
	c.click("choose a room", labelText("Salle communale"))
	// The order of a date input's parts follows the browser's UI locale
	// (Debian's chromium ships en-US only): set the value as the date
	// picker does rather than type it.
	do(t, c.ctx, "pick the event date", chromedp.SetValue(chromedp.CSS("#f-event_date"), eventDate.Format(time.DateOnly)))
	c.typeIn("#f-attendees", "45")
	c.typeIn("#f-description", "Assemblée générale de la société de gym.")
	c.submit("add an equipment item", buttonText("Ajouter du matériel"), 200)
	c.wantPathMatch(`/etape/2$`)
	c.wantText(".repeat__item legend", "Matériel souhaité 1")
	if v := c.value("#f-attendees"); v != "45" {
		t.Errorf("attendees after adding an item = %q, want what was typed, 45", v)
	}
	if !c.checked("#f-room") {
		t.Error("the room choice was lost when adding an item")
	}
	if v := c.value("#f-event_date"); v != eventDate.Format(time.DateOnly) {
		t.Errorf("event date = %q, want %s", v, eventDate.Format(time.DateOnly))
	}
	c.checkPage("form step 2 with an equipment item", true)
	c.selectOption("#f-equipment-0-item", "Vidéoprojecteur")
	c.typeIn("#f-equipment-0-quantity", "1")
	c.submit("send step 2", buttonText("Continuer"), 200)
	c.wantPathMatch(`/etape/3$`)
	c.wantText("h1", "Pièces et consentement")

	// Step 3: a PDF and the consent.
	c.checkPage("form step 3", true)
	pdf := filepath.Join(t.TempDir(), "programme.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	do(t, c.ctx, "choose the PDF", chromedp.SetUploadFiles(chromedp.CSS("#f-attachment"), []string{pdf}))
	c.click("give consent", labelText("J'ai pris connaissance du règlement"))
	if !c.checked("#f-consent") {
		t.Fatal("the consent box is not ticked after clicking its label")
	}
	c.submit("send step 3", buttonText("Continuer"), 200)

	// Check your answers, change one answer, come back.
	c.wantPathMatch(`/verifier$`)
	c.wantText("h1", "Vérifiez vos réponses")
	for _, a := range []struct{ question, answer string }{
		{"Prénom", "Camille"}, {"Nom", "Rochat"}, {"Adresse e-mail", applicantEmail}, {"Téléphone", "Non renseigné"},
		{"Rue et numéro", "Chemin des Vignes 4"}, {"NPA", "1095"}, {"Localité", "Lutry"},
		{"Salle souhaitée", "Salle communale"}, {"Date de la manifestation", eventDate.Format("02.01.2006")},
		{"Nombre de participants", "45"}, {"Matériel", "Vidéoprojecteur"}, {"Quantité", "1"},
		{"Description de la manifestation", "Assemblée générale de la société de gym."},
		{"Pièce jointe", "programme.pdf"}, {"J'ai pris connaissance du règlement d'utilisation des salles et je m'engage à le respecter.", "Oui"},
	} {
		if got := c.answer(a.question); got != a.answer {
			t.Errorf("check-your-answers page: %s = %q, want %q", a.question, got, a.answer)
		}
	}
	if get(t, c.ctx, "look for the hidden layout", chromedp.Evaluate[bool](
		`[...document.querySelectorAll('dt')].some(d => d.textContent.includes('Disposition'))`)) {
		t.Error("the check-your-answers page lists the layout, which is hidden for the salle communale")
	}
	c.checkPage("the check-your-answers page", true)
	c.follow("change the event", `//a[contains(@class,"summary-heading__edit")][contains(normalize-space(),"Votre événement")]`)
	c.wantPathMatch(`/etape/2$`)
	c.wantText("h1", "Votre événement")
	if v := c.value("#f-attendees"); v != "45" {
		t.Errorf("attendees on the edit page = %q, want 45", v)
	}
	c.replace("#f-attendees", "60")
	c.submit("send the changed step 2", buttonText("Continuer"), 200)
	c.wantPathMatch(`/verifier$`) // straight back, not through step 3
	if s := c.answer("Nombre de participants"); s != "60" {
		t.Errorf("attendees on the check page = %q after the change, want 60", s)
	}

	// Submit, read the reference.
	c.submit("submit the request", buttonText("Envoyer la demande"), 200)
	c.wantPathMatch(`^/d/reservation-salle/confirmation/[\w-]+$`)
	c.wantText("h1", "Demande envoyée")
	ref := c.text(".panel__reference")
	if !referenceRe.MatchString(ref) {
		t.Fatalf("reference on the confirmation page = %q, want RS-YYYY-NNNNN", ref)
	}
	if s := c.text("main"); !strings.Contains(s, "Nous avons envoyé un accusé de réception à "+applicantEmail) {
		t.Errorf("confirmation page does not mention the acknowledgement to %s:\n%s", applicantEmail, s)
	}
	c.checkPage("the confirmation page", true)

	// Tracking page.
	tracking := c.attr(linkText("Suivre ma demande"), "href")
	if !strings.HasPrefix(tracking, c.base+"/suivi/") {
		t.Errorf("tracking link = %q, want it under %s/suivi/", tracking, c.base)
	}
	c.follow("open the tracking page", linkText("Suivre ma demande"))
	c.wantText("h1", "Suivi de votre demande")
	c.wantText(".reference", ref)
	c.wantText(".timeline__title", "Demande envoyée")
	c.checkPage("the tracking page", true)
	return booking{reference: ref, trackingURL: tracking}
}

// eventDate is the booked day: a Saturday well ahead, so that the date is
// never in the past.
var eventDate = func() time.Time {
	d := time.Now().AddDate(0, 3, 0)
	for d.Weekday() != time.Saturday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}()

// checkStep1Errors checks step 1 as sent with no last name and a bad email:
// the error summary links to each field, the fields say they are invalid
// and keep what was typed, and the title starts with "Erreur :".
func checkStep1Errors(c *tab) {
	t := c.t
	if title := c.title(); !strings.HasPrefix(title, "Erreur : ") {
		t.Errorf("title with errors = %q, want it to start with %q", title, "Erreur : ")
	}
	c.wantText(".error-summary h2", "Il y a un problème")
	type link struct{ Href, Text string }
	links := get(t, c.ctx, "read the error summary", chromedp.Evaluate[[]link](
		`[...document.querySelectorAll('.error-summary a')].map(a => ({Href: a.getAttribute('href'), Text: a.textContent.trim()}))`))
	var hrefs []string
	for _, l := range links {
		hrefs = append(hrefs, l.Href)
		if l.Text == "" {
			t.Errorf("error summary link to %s has no text", l.Href)
		}
	}
	if got := strings.Join(hrefs, " "); got != "#f-last_name #f-email" {
		t.Errorf("error summary links = %q, want %q", got, "#f-last_name #f-email")
	}
	for _, id := range []string{"f-last_name", "f-email"} {
		if v := c.attr("#"+id, "aria-invalid"); v != "true" {
			t.Errorf("%s aria-invalid = %q, want true", id, v)
		}
		if d := c.attr("#"+id, "aria-describedby"); !strings.Contains(d, id+"-error") {
			t.Errorf("%s aria-describedby = %q, want it to name %s-error", id, d, id)
		}
		if msg := c.text("#" + id + "-error"); !strings.HasPrefix(msg, "Erreur :") || len(msg) < len("Erreur : ")+5 {
			t.Errorf("%s-error = %q, want a message after the hidden prefix", id, msg)
		}
	}
	if v := c.attr("#f-first_name", "aria-invalid"); v != "" {
		t.Errorf("f-first_name aria-invalid = %q on a valid field", v)
	}
	if v := c.value("#f-first_name"); v != "Camille" {
		t.Errorf("first name after the error = %q, want what was typed", v)
	}
	if v := c.value("#f-email"); v != "camille.rochat.example.ch" {
		t.Errorf("email after the error = %q, want what was typed", v)
	}
	// The summary's link takes the keyboard to the field.
	do(t, c.ctx, "follow the error summary link", chromedp.Click(chromedp.CSS(`.error-summary a[href="#f-email"]`)))
	if id := get(t, c.ctx, "read the focus", chromedp.Evaluate[string](`document.activeElement && document.activeElement.id`)); id != "f-email" {
		t.Errorf("focus after the summary link = %q, want f-email", id)
	}
}

// readMailboxAsAdmin signs in as the admin and finds the acknowledgement
// of b in the dev mailbox, then follows its tracking link.
func readMailboxAsAdmin(c *tab, b booking) {
	t := c.t
	c.open("/backoffice/mailbox")
	c.wantPath("/login")
	c.wantText("h1", "Connexion du personnel")
	c.checkPage("the sign-in page", false)
	c.typeIn("#email", apptest.AdminEmail)
	c.typeIn("#password", apptest.AdminPassword)
	c.submit("sign in", buttonText("Se connecter"), 200)
	c.wantPath("/backoffice/mailbox")
	c.wantText("h1", "Boîte de réception de développement")
	subject := "Votre demande " + b.reference + " a bien été reçue"
	c.checkPage("the dev mailbox", false)
	c.follow("open the acknowledgement", linkText(subject))
	c.wantText("#mailbox-message", subject)
	body := c.text(".message-body")
	for _, want := range []string{"Bonjour Camille,", "sous la référence " + b.reference, b.trackingURL} {
		if !strings.Contains(body, want) {
			t.Errorf("acknowledgement in the mailbox lacks %q:\n%s", want, body)
		}
	}
	if to := c.answer("À"); to != applicantEmail {
		t.Errorf("acknowledgement sent to %q, want %s", to, applicantEmail)
	}
	c.checkPage("a message in the dev mailbox", false)
	openTrackingLink(c, body, b)
}

var trackingLinkRe = regexp.MustCompile(`https?://\S+/suivi/[\w-]+`)

// openTrackingLink opens the tracking link of a message body and
// checks that it shows the request.
func openTrackingLink(c *tab, body string, b booking) {
	c.t.Helper()
	link := trackingLinkRe.FindString(body)
	if link != b.trackingURL {
		c.t.Fatalf("tracking link in the message = %q, want the confirmation page's %q", link, b.trackingURL)
	}
	c.open(link)
	c.wantText("h1", "Suivi de votre demande")
	c.wantText(".reference", b.reference)
}
