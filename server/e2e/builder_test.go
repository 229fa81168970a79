package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/guichet/guichet/server/apptest"
)

// TestBuilderCreatesPublishesAndRevisesProcedure is issue 5 end to end:
// an admin builds a procedure from scratch in the admin SPA (an online
// scenario, three fields from the palette, one of them required, a state
// and a transition drawn with the mouse in the pipeline graph, the
// reference prefix and the acknowledgement), publishes it; a citizen
// submits it on the portal; the admin changes the form and publishes
// version 2; the dossier of version 1 keeps its version's labels in the
// back-office while the portal shows version 2. axe checks the builder's
// main screens.
func TestBuilderCreatesPublishesAndRevisesProcedure(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		started := time.Now()
		step := func(name string) { t.Logf("%5.1fs %s", time.Since(started).Seconds(), name) }
		_, base := startApp(t, db, "")
		admin := &spa{tab: &tab{t: t, ctx: newBrowser(t), base: base, axe: true}}

		staffSignIn(admin.tab, "/admin/", apptest.AdminEmail, apptest.AdminPassword)
		admin.waitHeading("Démarches")
		admin.waitVisible("the procedure table", `main table.table`)
		admin.checkPage("the procedure list", false)
		step("procedure list")

		createProcedure(admin)
		step("procedure created")
		buildForm(admin)
		step("form built")
		buildPipeline(admin)
		step("pipeline built")
		setMessages(admin)
		step("messages set")
		publish(admin, 1)
		step("version 1 published")

		// The citizen, in a browser context of its own (no admin cookie).
		citizenCtx, cancel := chromedp.NewContext(admin.ctx, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		// The first run opens the tab, whose event loop lives as long as
		// that run's context: it must not carry a step's timeout.
		if err := chromedp.Do(citizenCtx); err != nil {
			t.Fatalf("open the citizen's tab: %v", err)
		}
		citizen := &tab{t: t, ctx: citizenCtx, base: base, axe: false}
		ref := submitTestRequest(citizen)
		step("request submitted: " + ref)

		reviseForm(admin)
		step("form revised")
		publish(admin, 2)
		step("version 2 published")

		checkDossierOfVersion1(admin.tab, ref)
		step("dossier of version 1 checked")

		// The portal's form is version 2's.
		citizen.open("/d/" + testSlug + "/form")
		if got, want := citizen.labels(), "Nom et prénom (facultatif)|Adresse e-mail|Commune (facultatif)|Téléphone (facultatif)"; got != want {
			t.Errorf("fields of the portal form after version 2 = %s, want %s", got, want)
		}
		step("portal shows version 2")

		// The admin renames the address: the old links lead to the new one.
		renameProcedure(admin)
		citizen.open("/d/" + testSlug + "/form")
		citizen.wantPath("/d/" + testRenamed + "/form")
		step("address renamed")
	})
}

// renameProcedure gives the procedure a new address from its general
// settings.
func renameProcedure(s *spa) {
	do(s.t, s.ctx, "open the general settings", chromedp.Navigate(s.base+"/admin/#/p/"+testSlug+"/general"))
	s.waitHeading("Paramètres généraux")
	s.fill(field("//main", "Nouvelle adresse"), testRenamed)
	s.click("rename", buttonText("Renommer l’adresse"))
	s.waitStatus("L’adresse est maintenant /d/" + testRenamed + " ; l’ancienne (/d/" + testSlug + ") redirige vers elle.")
	if loc := get(s.t, s.ctx, "read the location", chromedp.Location()); !strings.Contains(loc, "#/p/"+testRenamed+"/") {
		s.t.Errorf("after renaming, the editor is at %s", loc)
	}
	s.checkPage("the general settings after renaming", false)
}

const (
	testSlug   = "demande-test"
	testTitle  = "Demande de test"
	testPrefix = "DT"
	// testRenamed is the address the procedure is renamed to at the end.
	testRenamed = "demande-de-test"
)

// spa drives the admin single-page app. Its routes change the URL's hash
// without loading a page, so every step waits for what it should show.
type spa struct{ *tab }

// waitVisible waits until sel (CSS or XPath) is visible.
func (s *spa) waitVisible(what, sel string) {
	s.t.Helper()
	if isXPath(sel) {
		do(s.t, s.ctx, "wait for "+what, chromedp.WaitVisible(chromedp.Search(sel)))
	} else {
		do(s.t, s.ctx, "wait for "+what, chromedp.WaitVisible(chromedp.CSS(sel)))
	}
}

// waitHeading waits for the page's h1 to read text.
func (s *spa) waitHeading(text string) {
	s.t.Helper()
	s.waitVisible("the heading "+text, `//main//h1[normalize-space()=`+xpathString(text)+`]`)
}

// waitFor waits until the JavaScript expression is true.
func (s *spa) waitFor(what, expr string) {
	s.t.Helper()
	do(s.t, s.ctx, "wait until "+what, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(stepTimeout)))
}

// waitStatus waits for a status message (a live region) with this text.
func (s *spa) waitStatus(text string) {
	s.t.Helper()
	s.waitVisible("the message "+text, `//main//*[@role="status" or @role="alert"][normalize-space()=`+xpathString(text)+`]`)
}

// saved waits until the draft is saved.
func (s *spa) saved() {
	s.t.Helper()
	s.waitStatus("Toutes les modifications sont enregistrées")
}

// nav follows a link of the procedure's side navigation.
func (s *spa) nav(name, heading string) {
	s.t.Helper()
	s.click("open "+name, `//nav[@aria-label="Sections de la démarche"]//a[normalize-space()=`+xpathString(name)+`]`)
	s.waitHeading(heading)
}

// field is the XPath of the control labelled label inside scope (an XPath).
func field(scope, label string) string {
	return `(` + scope + `//*[@id=(` + scope + `//label[normalize-space()=` + xpathString(label) + `]/@for)])[1]`
}

// fill replaces the text of a control as a person does: select what it
// holds, type the new text; then checks the control shows it.
func (s *spa) fill(sel, text string) {
	s.t.Helper()
	do(s.t, s.ctx, "select the text of "+sel,
		chromedp.WaitVisible(chromedp.Search(sel)),
		chromedp.Evaluate[chromedp.Void](`(e => { e.scrollIntoView({block: 'center'}); e.focus(); e.select() })(`+xpathNode(sel)+`)`),
		chromedp.KeyEvent(text))
	if got := get(s.t, s.ctx, "read "+sel, chromedp.Evaluate[string](xpathNode(sel)+`.value`)); got != text {
		s.t.Fatalf("%s = %q after typing %q", sel, got, text)
	}
}

// choose picks the option whose text starts with label in a select, with
// the keyboard: focus, then type the label.
func (s *spa) choose(sel, label string) {
	s.t.Helper()
	do(s.t, s.ctx, "choose "+label, chromedp.WaitVisible(chromedp.Search(sel)),
		chromedp.Evaluate[chromedp.Void](xpathNode(sel)+`.focus()`), chromedp.KeyEvent(label))
	got := get(s.t, s.ctx, "read "+sel, chromedp.Evaluate[string](`(s => s.options[s.selectedIndex].text)(`+xpathNode(sel)+`)`))
	if !strings.HasPrefix(got, label) {
		s.t.Fatalf("%s shows %q after choosing %q", sel, got, label)
	}
}

// xpathNode is a JavaScript expression giving the first node of an XPath.
func xpathNode(sel string) string {
	return `document.evaluate(` + jsString(sel) + `, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue`
}

// createProcedure creates the procedure from scratch and sets its
// reference prefix.
func createProcedure(s *spa) {
	t := s.t
	s.click("create a procedure", linkText("Nouvelle démarche"))
	s.waitHeading("Nouvelle démarche")
	s.checkPage("the new procedure page", false)
	s.fill(field("//main", "Titre"), testTitle)
	if got := get(t, s.ctx, "read the proposed slug", chromedp.Evaluate[string](xpathNode(field("//main", "Adresse (slug)"))+`.value`)); got != "demande-de-test" {
		t.Errorf("slug proposed for %q = %q, want demande-de-test", testTitle, got)
	}
	s.fill(field("//main", "Adresse (slug)"), testSlug)
	if !get(t, s.ctx, "read the start", chromedp.Evaluate[bool](xpathNode(`//label[.//strong[normalize-space()="Démarche vide"]]//input`)+`.checked`)) {
		t.Error("a new procedure does not start blank by default")
	}
	s.click("create the draft", buttonText("Créer le brouillon"))
	s.waitHeading("Paramètres généraux")
	s.wantText(`//main//form[@aria-labelledby="slug-h"]//span[contains(@class,"mono")]`, "/d/"+testSlug)
	s.fill(field("//main", "Préfixe des références"), testPrefix)
	s.saved()
	s.checkPage("the general settings", false)

	// A change undone is saved too: the references made later start with
	// testPrefix, not with the undone prefix.
	s.fill(field("//main", "Préfixe des références"), "ZZ")
	s.saved()
	s.click("undo", `//button[@aria-label="Annuler la dernière modification"]`)
	s.waitFor("the undo to be announced", `[...document.querySelectorAll('.undo [role=status]')].some(e => e.textContent.trim() === 'Modification annulée')`)
	s.waitFor("the prefix to be back", xpathNode(field("//main", "Préfixe des références"))+`.value === `+jsString(testPrefix))
	s.saved()
}

// buildForm adds an online scenario and builds its form: a text field, a
// required email field and a drop-down list with two choices.
func buildForm(s *spa) {
	t := s.t
	s.nav("Scénarios", "Scénarios")
	s.choose(field("//main", "Type du nouveau scénario"), "En ligne —")
	s.click("add the scenario", buttonText("Ajouter le scénario"))
	s.waitVisible("the scenario editor", `//main//h1[starts-with(normalize-space(),"En ligne")]`)
	if loc := get(t, s.ctx, "read the location", chromedp.Location()); !strings.HasSuffix(loc, "#/p/"+testSlug+"/scenarios/1") {
		t.Fatalf("the new scenario opened at %s, want the second scenario", loc)
	}
	s.checkPage("the scenario editor", false)
	s.click("open the form builder", linkText("Modifier le formulaire"))
	s.waitHeading("Formulaire — En ligne")
	s.waitVisible("the empty form", `//div[contains(@class,"fb-zone")][starts-with(normalize-space(),"Formulaire vide")]`)

	s.addField("Texte court", "Nom complet", "nom_complet")
	s.addField("E-mail", "Adresse e-mail", "adresse_e_mail")
	props := `//div[@role="region"][@aria-label="Propriétés du champ"]`
	s.click("make the email required", props+`//label[normalize-space()="Obligatoire"]`)
	s.waitVisible("the required mark", `//span[contains(@class,"fb-row__label")][starts-with(normalize-space(),"Adresse e-mail")]/span[@aria-label="obligatoire"]`)
	s.addField("Liste déroulante", "Commune", "commune")
	s.fill(field(props, "Libellé du choix 1"), "Lutry")
	s.fill(field(props, "Libellé du choix 2"), "Pully")
	for i, want := range []string{"lutry", "pully"} {
		if got := get(t, s.ctx, "read a choice's value", chromedp.Evaluate[string](xpathNode(field(props, fmt.Sprintf("Valeur du choix %d", i+1)))+`.value`)); got != want {
			t.Errorf("value of choice %d = %q, want %q (from its label)", i+1, got, want)
		}
	}
	rows := get(t, s.ctx, "read the fields", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('.fb__canvas .fb-row__select')].map(b =>
			[...b.querySelectorAll('.fb-row__label, .badge, .mono')].map(e => e.textContent.replace(/\s+/g, ' ').trim()).join(' '))`))
	if got, want := strings.Join(rows, "|"), "Nom complet Texte court nom_complet|Adresse e-mail * E-mail adresse_e_mail|Commune Liste déroulante commune"; got != want {
		t.Errorf("fields in the builder = %s, want %s", got, want)
	}
	s.saved()
	s.checkPage("the form builder", false)
}

// addField adds a field of kind with the palette, then sets its label and
// its name from the label.
func (s *spa) addField(kind, label, name string) {
	s.t.Helper()
	s.click("add a "+kind+" field", `//button[@aria-label=`+xpathString("Ajouter un champ « "+kind+" »")+`]`)
	props := `//div[@role="region"][@aria-label="Propriétés du champ"]`
	s.waitVisible("the properties of the new field", props+`//h2[starts-with(normalize-space(),`+xpathString("« "+kind+" »")+`)]`)
	// The keyboard focus goes to the new field's row (then to the label).
	s.waitFor("the new "+kind+" field has the focus", `document.activeElement.matches('.fb-row__select') && document.activeElement.querySelector('.fb-row__label').textContent === `+jsString(kind))
	s.fill(field(props, "Libellé"), label)
	s.click("name "+label+" from its label", props+`//button[normalize-space()="D’après le libellé"]`)
	s.waitFor("the field is named "+name, xpathNode(field(props, "Nom technique"))+`.value === `+jsString(name))
	s.waitVisible("the row of "+label, `//li[contains(@class,"fb-row")]//span[contains(@class,"fb-row__label")][starts-with(normalize-space(),`+xpathString(label)+`)]`)
}

// buildPipeline creates the default pipeline, adds a state and draws a
// transition to it with the mouse in the graph.
func buildPipeline(s *spa) {
	t := s.t
	s.nav("Traitement", "Traitement — En ligne")
	s.click("create the pipeline", buttonText("Créer un processus de traitement"))
	node := func(id string) string { return `.react-flow__node[data-id="` + id + `"]` }
	s.waitVisible("the initial state in the graph", node("recu"))
	s.waitVisible("the final state in the graph", node("traite"))

	s.click("add a state", buttonText("Ajouter un état"))
	states := `//section[h2[starts-with(normalize-space(),"États")]]`
	card := states + `//li[contains(@class,"card")][3]`
	s.fill(field(card, "Libellé (agents)"), "En examen")
	s.fill(field(card, "Libellé public"), "En cours d’examen")
	s.waitVisible("the new state in the graph", `//div[contains(@class,"react-flow__node")][@data-id="etat"]//div[normalize-space()="En examen"]`)
	if n := s.count(`.react-flow__edge`); n != 1 {
		t.Fatalf("the graph shows %d transitions before the drag, want 1", n)
	}

	// Drag from the bottom handle of "Reçu" to the top handle of the new
	// state, with the mouse.
	s.dragMouse(node("recu")+` .react-flow__handle.source`, node("etat")+` .react-flow__handle.target`)
	s.waitVisible("the new transition in the graph", `.react-flow__edge[aria-label^="Transition Passer à « En examen »"]`)
	if n := s.count(`.react-flow__edge`); n != 2 {
		t.Errorf("the graph shows %d transitions after the drag, want 2", n)
	}
	transitions := `//section[h2[starts-with(normalize-space(),"Transitions")]]`
	s.waitVisible("the new transition in the list", transitions+`//li[contains(@class,"card")][2]//strong[normalize-space()="Passer à « En examen »"]`)
	s.saved()
	s.checkPage("the pipeline editor", false)
}

// count returns how many elements match the CSS selector.
func (s *spa) count(sel string) int {
	s.t.Helper()
	return get(s.t, s.ctx, "count "+sel, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
}

// dragMouse presses the left button on the centre of from, moves the mouse
// in steps to the centre of to and releases it there (CSS selectors).
func (s *spa) dragMouse(from, to string) {
	t := s.t
	t.Helper()
	type point struct{ X, Y float64 }
	s.waitVisible("the drag source", from)
	s.waitVisible("the drag target", to)
	do(t, s.ctx, "scroll the graph into view", chromedp.Evaluate[chromedp.Void](`document.querySelector('.flow__canvas').scrollIntoView({block: 'center'})`))
	centre := func(sel string) point {
		p := get(t, s.ctx, "locate "+sel, chromedp.Evaluate[point](`(() => {
			const r = document.querySelector(`+jsString(sel)+`).getBoundingClientRect();
			return {X: r.left + r.width / 2, Y: r.top + r.height / 2};
		})()`))
		// What the mouse reaches there must be the element itself (not
		// clipped by the graph's pane, nor covered).
		hit := get(t, s.ctx, "hit-test "+sel, chromedp.Evaluate[bool](fmt.Sprintf(
			`document.elementFromPoint(%f, %f) === document.querySelector(%s)`, p.X, p.Y, jsString(sel))))
		if !hit {
			t.Fatalf("%s is not under the mouse at (%.0f, %.0f)", sel, p.X, p.Y)
		}
		return p
	}
	a, b := centre(from), centre(to)
	mouse := func(typ input.DispatchMouseEventType, p point, buttons int64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			params := input.DispatchMouseEventParams{Type: typ, X: p.X, Y: p.Y, Button: input.MouseButtonLeft, Buttons: buttons}
			if typ != chromedp.MouseMoved {
				params.ClickCount = 1
			}
			_, err := cdp.Call(ctx, tg, input.DispatchMouseEvent, params)
			return err
		})
	}
	steps := []chromedp.Action[chromedp.Void]{mouse(chromedp.MousePressed, a, 1)}
	const n = 12
	for i := 1; i <= n; i++ {
		f := float64(i) / n
		steps = append(steps, mouse(chromedp.MouseMoved, point{a.X + (b.X-a.X)*f, a.Y + (b.Y-a.Y)*f}, 1))
	}
	steps = append(steps, mouse(chromedp.MouseReleased, b, 0))
	do(t, s.ctx, "drag from "+from+" to "+to, steps...)
}

// setMessages points at the applicant's email field and writes the
// acknowledgement.
func setMessages(s *spa) {
	s.nav("Messages au demandeur", "Messages au demandeur")
	s.choose(field("//main", "Champ de l’adresse e-mail du demandeur"), "Adresse e-mail (/adresse_e_mail)")
	s.choose(field("//main", "Champ du nom du demandeur"), "Nom complet (/nom_complet)")
	s.fill(field("//main", "Objet"), "Demande {{.Reference}} reçue")
	s.fill(field("//main", "Texte"), "Bonjour,\n\nNous avons bien reçu votre demande {{.Reference}}.\n")
	s.waitVisible("the acknowledgement's preview", `//div[contains(@class,"template__preview")]//p[starts-with(normalize-space(),"Objet : Demande DT-")]`)
	s.saved()
	s.checkPage("the messages page", false)
}

// publish checks the draft and publishes version n.
func publish(s *spa, n int) {
	s.nav("Vérifier et publier", "Vérifier et publier")
	s.waitStatus("Aucun problème : la démarche peut être publiée.")
	if n == 1 {
		s.checkPage("the check and publish page", false)
	}
	label := "Publier"
	if n > 1 {
		label = fmt.Sprintf("Publier la version %d", n)
	}
	do(s.t, s.ctx, "wait for the publish button", chromedp.WaitEnabled(chromedp.Search(buttonText(label))))
	s.click("publish", buttonText(label))
	s.waitStatus(fmt.Sprintf("Version %d publiée. Les dossiers en cours restent sur leur version.", n))
	s.waitVisible("the published badge", `//p[contains(@class,"editor__title")]//span[normalize-space()="Publiée"]`)
	s.waitVisible(fmt.Sprintf("the version v%d", n), fmt.Sprintf(`//p[contains(@class,"editor__title")]//span[normalize-space()="v%d"]`, n))
}

var testReferenceRe = regexp.MustCompile(`^` + testPrefix + `-\d{4}-\d{5}$`)

// submitTestRequest fills and sends version 1's form on the portal and
// returns the reference on the confirmation page.
func submitTestRequest(c *tab) string {
	t := c.t
	c.open("/d/" + testSlug)
	c.wantText("h1", testTitle)
	c.follow("start the form", linkText("Commencer la démarche"))
	c.wantPath("/d/" + testSlug + "/form")
	if got, want := c.labels(), "Nom complet (facultatif)|Adresse e-mail|Commune (facultatif)"; got != want {
		t.Errorf("fields of version 1 = %s, want %s", got, want)
	}
	c.typeIn("#f-nom_complet", "Camille Rochat")
	c.typeIn("#f-adresse_e_mail", applicantEmail)
	c.selectOption("#f-commune", "Pully")
	// A form of one page is sent at once, without a check page.
	c.submit("send the form", buttonText("Continuer"), 200)
	c.wantPathMatch(`^/d/` + testSlug + `/confirmation/[\w-]+$`)
	c.wantText("h1", "Demande envoyée")
	ref := c.text(".panel__reference")
	if !testReferenceRe.MatchString(ref) {
		t.Fatalf("reference on the confirmation page = %q, want %s-YYYY-NNNNN", ref, testPrefix)
	}
	if s := c.text("main"); !strings.Contains(s, "Nous avons envoyé un accusé de réception à "+applicantEmail) {
		t.Errorf("confirmation page does not mention the acknowledgement to %s:\n%s", applicantEmail, s)
	}
	return ref
}

// reviseForm renames the first field and adds a phone field.
func reviseForm(s *spa) {
	s.nav("Formulaire", "Formulaire — En ligne")
	s.click("select the name field", `//li[contains(@class,"fb-row")][.//span[contains(@class,"fb-row__label")][normalize-space()="Nom complet"]]//button[contains(@class,"fb-row__select")]`)
	props := `//div[@role="region"][@aria-label="Propriétés du champ"]`
	s.waitVisible("the properties of the name field", props+`//h2[starts-with(normalize-space(),"« Nom complet »")]`)
	s.fill(field(props, "Libellé"), "Nom et prénom")
	s.waitVisible("the renamed row", `//span[contains(@class,"fb-row__label")][normalize-space()="Nom et prénom"]`)
	s.click("select the last field", `//li[contains(@class,"fb-row")][.//span[contains(@class,"fb-row__label")][normalize-space()="Commune"]]//button[contains(@class,"fb-row__select")]`)
	s.addField("Téléphone", "Téléphone", "telephone")
	s.saved()
}

// checkDossierOfVersion1 opens the dossier in the back-office as the admin
// and checks it shows version 1's answers under version 1's labels.
func checkDossierOfVersion1(c *tab, ref string) {
	t := c.t
	c.open("/backoffice")
	c.follow("open the dossier", linkText(ref))
	c.wantPathMatch(`^/backoffice/dossiers/[\w-]+$`)
	c.wantText("h1", "Dossier "+ref)
	for _, a := range []struct{ question, answer string }{
		{"Nom complet", "Camille Rochat"}, {"Adresse e-mail", applicantEmail}, {"Commune", "Pully"},
	} {
		if got := c.answer(a.question); got != a.answer {
			t.Errorf("dossier page: %s = %q, want %q", a.question, got, a.answer)
		}
	}
	main := c.text("main")
	for _, v2 := range []string{"Nom et prénom", "Téléphone"} {
		if strings.Contains(main, v2) {
			t.Errorf("the dossier of version 1 shows %q, a label of version 2:\n%s", v2, main)
		}
	}
	c.wantText(`//dt[normalize-space()="État"]/following-sibling::dd`, "Reçu")
	// The transition drawn in the graph is one of version 1's.
	if got := c.text(`//section[@id="transitions"]//button[normalize-space()="Passer à « En examen »"]`); got != "Passer à « En examen »" {
		t.Errorf("the dossier page offers %q, want the transition drawn in the graph", got)
	}
}
