package web

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/guichet/guichet/forms"
)

func intp(n int) *int { return &n }

// sampleFields has one field of every widget, each with an error.
func sampleFields() []forms.Field {
	f := func(name string, w forms.Widget, required bool) forms.Field {
		return forms.Field{
			Name: name, Pointer: "/" + name, InputName: name, ID: "f-" + name,
			Label: "Label " + name, Widget: w, Required: required,
			Error: "Message " + name,
		}
	}
	text := f("name", forms.WidgetText, true)
	text.Help, text.Autocomplete, text.Value = "Comme sur votre pièce d’identité", "name", "Ada <Lovelace>"
	textarea := f("comment", forms.WidgetTextarea, false)
	textarea.Rows = 4
	email := f("email", forms.WidgetEmail, true)
	email.Autocomplete = "email"
	tel := f("phone", forms.WidgetTel, false)
	tel.Autocomplete = "tel"
	number := f("area", forms.WidgetNumber, true)
	integer := f("guests", forms.WidgetInteger, true)
	date := f("day", forms.WidgetDate, true)
	opts := []forms.Option{{Value: "a", Label: "Salle A"}, {Value: "b", Label: "Salle B", Selected: true}, {Value: "c", Label: "Salle C"}}
	sel := f("room", forms.WidgetSelect, true)
	sel.Options = opts
	radio := f("kind", forms.WidgetRadio, true)
	radio.Options, radio.Help = opts, "Une seule réponse"
	boxes := f("extras", forms.WidgetCheckboxes, false)
	boxes.Options, boxes.Inline = opts, true
	consent := f("consent", forms.WidgetCheckbox, true)
	consent.Help = "Obligatoire pour traiter votre demande"
	file := f("plan", forms.WidgetFile, false)
	file.Accept, file.MaxBytes, file.Value = []string{"application/pdf", "image/*"}, 5<<20, "file-123"
	file2 := f("photo", forms.WidgetFile, true)
	file2.Accept = []string{"image/jpeg"}
	hidden := forms.Field{Name: "source", Pointer: "/source", InputName: "source", ID: "f-source", Widget: forms.WidgetHidden, Value: "web"}

	address := f("address", forms.WidgetFieldset, true)
	street := f("street", forms.WidgetText, true)
	street.Pointer, street.InputName, street.ID = "/address/street", "address.street", "f-address-street"
	address.Fields = []forms.Field{street}

	item := func(i int) []forms.Field {
		n := forms.Field{Name: "what", Pointer: fmt.Sprintf("/equipment/%d/what", i), InputName: fmt.Sprintf("equipment.%d.what", i),
			ID: fmt.Sprintf("f-equipment-%d-what", i), Label: "Matériel", Widget: forms.WidgetText, Required: true}
		q := forms.Field{Name: "qty", Pointer: fmt.Sprintf("/equipment/%d/qty", i), InputName: fmt.Sprintf("equipment.%d.qty", i),
			ID: fmt.Sprintf("f-equipment-%d-qty", i), Label: "Quantité", Widget: forms.WidgetInteger, Required: true}
		if i == 1 {
			q.Error = "Message qty"
		}
		return []forms.Field{n, q}
	}
	repeat := f("equipment", forms.WidgetRepeat, false)
	repeat.Label, repeat.AddLabel, repeat.MaxItems = "Matériel", "Ajouter un autre matériel", 5
	repeat.Fields, repeat.Items = item(0), [][]forms.Field{item(0), item(1)}

	short := f("zip", forms.WidgetText, true)
	short.MaxLength, short.Error = intp(4), ""

	return []forms.Field{text, textarea, email, tel, number, integer, date, sel, radio, boxes, consent, file, file2, hidden, address, repeat, short}
}

func sampleFormPage() FormPage {
	fields := sampleFields()
	var errs []ErrorLink
	var collect func([]forms.Field)
	collect = func(fs []forms.Field) {
		for _, f := range fs {
			if f.Error != "" {
				errs = append(errs, ErrorLink{FieldID: f.ID, Message: f.Error})
			}
			collect(f.Fields)
			for _, it := range f.Items {
				collect(it)
			}
		}
	}
	for _, f := range fields {
		if f.Widget == forms.WidgetRepeat {
			for _, it := range f.Items {
				collect(it)
			}
			if f.Error != "" {
				errs = append(errs, ErrorLink{FieldID: f.ID, Message: f.Error})
			}
			continue
		}
		collect([]forms.Field{f})
	}
	return FormPage{
		ProcedureSlug: "reservation-salle", ProcedureTitle: "Réservation de salle",
		Action: "/d/reservation-salle/form?page=1", Page: forms.Page{Index: 1, Title: "Votre réservation", Fields: fields},
		Step: 2, Steps: 3, Errors: errs, Nonce: "nonce-1", HasFiles: true, BackURL: "/d/reservation-salle/form?page=0",
	}
}

func sampleCheckPage() CheckAnswersPage {
	return CheckAnswersPage{
		ProcedureSlug: "reservation-salle", ProcedureTitle: "Réservation de salle",
		Sections: []forms.SummarySection{
			{Title: "Vous", PageIndex: 0, Rows: []forms.SummaryRow{{Label: "Nom", Value: "Ada Lovelace", Pointer: "/name"}, {Label: "Téléphone", Pointer: "/phone"}}},
			{Title: "Votre réservation", PageIndex: 1, Rows: []forms.SummaryRow{
				{Label: "Plan", Value: "plan.pdf", Pointer: "/plan", FileID: "file-123"},
				{Label: "Adresse", Pointer: "/address", Nested: []forms.SummaryGroup{{Pointer: "/address", Rows: []forms.SummaryRow{{Label: "Rue", Value: "Grand-Rue 1"}}}}},
				{Label: "Matériel", Pointer: "/equipment", Nested: []forms.SummaryGroup{
					{Title: "Matériel 1", Pointer: "/equipment/0", Rows: []forms.SummaryRow{{Label: "Objet", Value: "Chaises"}, {Label: "Quantité", Value: "40"}}},
					{Title: "Matériel 2", Pointer: "/equipment/1", Rows: []forms.SummaryRow{{Label: "Objet", Value: "Tables"}, {Label: "Quantité"}}},
				}},
			}},
		},
		EditURL: func(page int) string { return fmt.Sprintf("/d/reservation-salle/form?page=%d", page) },
		Action:  "/d/reservation-salle/submit", Nonce: "nonce-2",
	}
}

func TestFormPage(t *testing.T) {
	r := newTestRenderer(t)
	page := sampleFormPage()
	html := render(t, r, "fr", "form", page)
	checkPage(t, html, "fr")

	mustContain(t, html,
		`<form class="form" method="post" action="/d/reservation-salle/form?page=1" novalidate enctype="multipart/form-data">`,
		`name="_csrf" value="csrf-token"`, `name="_nonce" value="nonce-1"`,
		`Étape 2 sur 3`, `<h1>Votre réservation</h1>`,
		`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">`,
		`>Il y a un problème</h2>`,
		`<span class="visually-hidden">Erreur :</span> Message name`,
		`value="Ada &lt;Lovelace&gt;"`,
		`autocomplete="name"`, `type="email"`, `type="tel"`, `type="date"`, `inputmode="numeric"`, `inputmode="decimal"`,
		`<textarea class="textarea" id="f-comment" name="comment" rows="4"`,
		`<option value="b" selected>Salle B</option>`,
		`<legend class="legend">Label kind</legend>`,
		`id="f-kind" name="kind" type="radio" value="a"`, `id="f-kind--2" name="kind" type="radio" value="b" checked`,
		`type="checkbox" value="b" checked`, `choices--inline`,
		`id="f-consent" name="consent" type="checkbox" value="true"`,
		`Label comment <span class="optional">(facultatif)</span>`,
		`accept="application/pdf,image/*"`, `id="f-plan-hint">Formats acceptés : PDF, toute image. Taille maximale : 5 Mo.</div>`,
		`<input type="hidden" name="plan" value="file-123">`, `id="f-plan-current"`,
		`aria-describedby="f-plan-hint f-plan-current f-plan-error"`,
		`<input type="hidden" name="source" value="web">`,
		`<fieldset class="fieldset fieldset--nested" id="f-address"`, `<legend class="legend legend--m">Label address</legend>`,
		`name="_action" value="remove:/equipment/0" formnovalidate>Retirer`,
		`name="_action" value="remove:/equipment/1" formnovalidate>Retirer`,
		`name="_action" value="add:/equipment" formnovalidate>Ajouter un autre matériel</button>`,
		`<legend class="legend legend--s">Matériel 2</legend>`,
		`class="input input--w10" id="f-zip"`,
		`<a class="button button--secondary" href="/d/reservation-salle/form?page=0">Retour</a>`,
		`value="next">Continuer</button>`,
	)
	if strings.Contains(html, "autofocus") || strings.Contains(html, " required") || strings.Contains(html, "<script") {
		t.Error("form page has autofocus, required or a script")
	}
	// Every field with an error is marked invalid and described by its
	// message, and the summary links to it.
	for _, e := range page.Errors {
		mustContain(t, html, `<li><a href="#`+e.FieldID+`">`+e.Message+`</a></li>`, `id="`+e.FieldID+`-error"`)
	}
	for _, id := range []string{"f-name", "f-comment", "f-email", "f-phone", "f-area", "f-guests", "f-day", "f-room", "f-consent", "f-plan", "f-photo", "f-equipment-1-qty"} {
		tag := inputTag(t, html, id)
		if !strings.Contains(tag, `aria-invalid="true"`) || !strings.Contains(tag, id+"-error") {
			t.Errorf("#%s: no aria-invalid or aria-describedby error: %s", id, tag)
		}
	}
	if tag := inputTag(t, html, "f-name"); !strings.Contains(tag, `aria-describedby="f-name-hint f-name-error"`) {
		t.Errorf("#f-name: %s", tag)
	}
	if tag := inputTag(t, html, "f-zip"); strings.Contains(tag, "aria-invalid") || strings.Contains(tag, "aria-describedby") {
		t.Errorf("#f-zip has no error but: %s", tag)
	}
	if tag := inputTag(t, html, "f-kind--3"); !strings.Contains(tag, `aria-invalid="true"`) {
		t.Errorf("#f-kind--3: %s", tag)
	}
	if !strings.Contains(html, `<fieldset class="fieldset" aria-describedby="f-kind-hint f-kind-error">`) {
		t.Error("radio fieldset not described by its hint and error")
	}
	// Enter must not click a "Retirer": a default "Continuer" comes first.
	if def, rm := strings.Index(html, `value="next"`), strings.Index(html, `value="remove:`); def < 0 || def > rm {
		t.Error("no default submit button before the repeat's buttons")
	}

	en := render(t, r, "en", "form", page)
	checkPage(t, en, "en")
	mustContain(t, en, "Step 2 of 3", "There is a problem", `<span class="visually-hidden">Error:</span>`, "(optional)", "Continue", ">Back<", "Maximum size: 5 MB.")
}

func TestFormPageLimits(t *testing.T) {
	r := newTestRenderer(t)
	page := sampleFormPage()
	for i, f := range page.Page.Fields {
		if f.Widget == forms.WidgetRepeat {
			f.MinItems, f.MaxItems, f.AddLabel = 2, 2, ""
			page.Page.Fields[i] = f
		}
	}
	page.HasFiles, page.BackURL, page.Errors, page.Steps, page.Step = false, "", nil, 1, 1
	html := render(t, r, "fr", "form", page)
	for _, absent := range []string{"remove:", "add:", "multipart", "Retour", "error-summary", "Étape"} {
		if strings.Contains(html, absent) {
			t.Errorf("page contains %q", absent)
		}
	}
	page.Page.Fields = []forms.Field{{Name: "r", Pointer: "/r", InputName: "r", ID: "f-r", Label: "R", Widget: forms.WidgetRepeat}}
	mustContain(t, render(t, r, "fr", "form", page), `value="add:/r" formnovalidate>Ajouter un élément</button>`)
}

// inputTag returns the opening tag of the control with the given id.
func inputTag(t *testing.T, html, id string) string {
	t.Helper()
	i := strings.Index(html, ` id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no element #%s", id)
	}
	start := strings.LastIndex(html[:i], "<")
	end := i + strings.Index(html[i:], ">")
	return html[start : end+1]
}

func TestRenderFields(t *testing.T) {
	r := newTestRenderer(t)
	var buf bytes.Buffer
	if err := r.RenderFields(&buf, "en", forms.Page{Fields: sampleFields()}); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	mustContain(t, html, `id="f-name"`, "(optional)", `value="add:/equipment"`)
	for _, absent := range []string{"<form", "<html", "_csrf"} {
		if strings.Contains(html, absent) {
			t.Errorf("fields contain %q", absent)
		}
	}
}

func TestCheckAnswersPage(t *testing.T) {
	r := newTestRenderer(t)
	html := render(t, r, "fr", "check", sampleCheckPage())
	mustContain(t, html,
		`<h1>Vérifiez vos réponses</h1>`, `<h2>Vous</h2>`,
		`href="/d/reservation-salle/form?page=1">Modifier<span class="visually-hidden"> Votre réservation</span></a>`,
		`<dt class="summary-list__key">Nom</dt>`, `Ada Lovelace`, `Non renseigné`, `Chaises`, `Grand-Rue 1`, `<p class="summary-group__title">Matériel 2</p>`,
		`<form method="post" action="/d/reservation-salle/submit" novalidate>`,
		`name="_csrf" value="csrf-token"`, `name="_nonce" value="nonce-2"`, `>Envoyer la demande</button>`,
	)
	// Without EditURL there is no "Modifier" link, and no crash.
	page := sampleCheckPage()
	page.EditURL = nil
	if strings.Contains(render(t, r, "en", "check", page), "Change") {
		t.Error("Change link without EditURL")
	}
}

func TestPortalPages(t *testing.T) {
	r := newTestRenderer(t)
	pages := samplePages()
	tests := []struct {
		page, lang string
		want       []string
	}{
		{"catalogue", "fr", []string{`role="search"`, `<label class="label" for="q">Rechercher une démarche</label>`, `value="salle"`,
			`<option value="Loisirs" selected>Loisirs</option>`, `<h2 class="results-count">2 démarches</h2>`, `<a href="/d/reservation-salle">Réservation de salle</a>`}},
		{"procedure", "fr", []string{`<strong>8 h – 22 h</strong>`, `<a href="/files/reglement.pdf">Règlement (PDF)</a>`,
			`href="https://www.piscine-montagny.ch/reserver" rel="external noopener">Accéder au service externe<span class="visually-hidden"> (site externe piscine-montagny.ch)</span></a>`,
			`site externe : piscine-montagny.ch`, `<a class="button button--start" href="/d/reservation-salle/form">Commencer la démarche</a>`}},
		{"procedure", "en", []string{"Go to the external service", "Start now", "<h2>Apply online</h2>"}},
		{"confirmation", "fr", []string{`<strong class="panel__reference">RES-2026-000123</strong>`, `ada@example.ch`, `href="/suivi/abc123"`, `Réponse sous 10 jours.`}},
		{"tracking", "fr", []string{`RES-2026-000123`, `<strong class="tag">En cours d’examen</strong>`, `<ol class="timeline">`,
			`<time datetime="2026-11-23T14:05:00&#43;01:00">23.11.2026 à 14:05</time>`, `Votre demande est examinée.`}},
		{"tracking", "en", []string{`23 November 2026 at 2:05pm`, `History`}},
		{"login", "fr", []string{`autocomplete="username"`, `autocomplete="current-password"`, `action="/login"`, `name="next" value="/backoffice"`, `<a href="#email">Adresse e-mail ou mot de passe incorrect.</a>`}},
		{"mailbox", "fr", []string{`href="/d/reservation-salle?id=m1" aria-current="true"`, `<pre class="message-body">Bonjour,`}},
	}
	for _, tt := range tests {
		t.Run(tt.page+"/"+tt.lang, func(t *testing.T) {
			mustContain(t, render(t, r, tt.lang, tt.page, pages[tt.page]), tt.want...)
		})
	}
	empty := render(t, r, "fr", "catalogue", CataloguePage{Query: "zzz"})
	mustContain(t, empty, "Aucune démarche ne correspond à votre recherche.", `<a href="/">Voir toutes les démarches</a>`)
}
