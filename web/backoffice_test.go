package web

import (
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/forms"
)

// backofficePages are the back-office pages with a signed-in user in
// their samples.
var backofficePages = map[string]bool{
	"staff_home": true, "mailbox": true, "inbox": true, "dossier": true, "intake": true, "intake_form": true,
	"admin_users": true, "admin_user": true, "admin_groups": true, "admin_roles": true,
}

// mustCompile compiles a test form; samples are built outside tests too.
func mustCompile(schema, ui string) *forms.Form {
	f, err := forms.Compile([]byte(schema), []byte(ui))
	if err != nil {
		panic(err)
	}
	return f
}

const opinionSchema = `{"type": "object", "required": ["decision", "text"], "properties": {
	"decision": {"type": "string", "title": "Préavis", "oneOf": [{"const": "favourable", "title": "Favorable"}, {"const": "unfavourable", "title": "Défavorable"}]},
	"text": {"type": "string", "title": "Motivation", "minLength": 1},
	"attachment": {"type": "string", "format": "file", "title": "Pièce jointe", "x-accept": ["application/pdf"]}}}`

// sampleDossierPage is a dossier page after a refused opinion: a
// transition with a form and one without, the circulation form with an
// error, two opinion forms whose fields share names, and every section.
func sampleDossierPage() DossierPage {
	refusal := mustCompile(`{"type": "object", "required": ["motif"], "properties": {"motif": {"type": "string", "title": "Motif"}}}`,
		`{"motif": {"ui:widget": "textarea"}}`)
	opinion := mustCompile(opinionSchema, `{"decision": {"ui:widget": "radio"}, "text": {"ui:widget": "textarea"}}`)
	errs := []forms.FieldError{{Pointer: "/text", Key: "required"}}
	secu := PrefixFieldIDs(opinion.Bind(-1, map[string]any{"decision": "favourable"}, errs, "fr"), "op-securite-")
	ocf := PrefixFieldIDs(opinion.Bind(-1, nil, nil, "fr"), "op-ocf-")
	due := testTime.Add(10 * 24 * time.Hour)
	summary := append(FieldErrors(secu.Fields), ErrorLink{FieldID: "circulation-due", Message: "Saisissez une échéance valide."})
	return DossierPage{
		Reference: "PC-2026-00001", ProcedureTitle: "Permis de construire", State: "En instruction",
		StateTag: Tag{Label: "En instruction"}, Applicant: "Claude Rochat", ApplicantEmail: "claude@example.ch",
		Channel: "sur le portail", SubmittedAt: testTime, Roles: []string{"Technicien SeCC"}, Errors: summary,
		Data: []DataSection{{Title: "Demande", Rows: []DataRow{
			{Label: "Nom", Value: "Rochat"},
			{Label: "Parcelle", Nested: []DataGroup{{Rows: []DataRow{{Label: "Commune", Value: "Montagny"}}}}},
			{Label: "Plans", Value: "plans.pdf", FileURL: "/backoffice/dossiers/d1/files/f1"},
			{Label: "Remarque"},
		}}},
		Files: []FileLink{{Name: "plans.pdf", URL: "/backoffice/dossiers/d1/files/f1", ContentType: "application/pdf", Size: 123456}},
		Invitations: []InvitationRow{
			{Role: "Chargé de sécurité", Status: Tag{Label: "invité", Kind: ""}, ActivatedAt: testTime, InvitedAt: &testTime, DueAt: &due, Overdue: true},
			{Role: "OCF", Status: Tag{Label: "activé, sans dates", Kind: "grey"}, ActivatedAt: testTime},
		},
		Opinions: []OpinionView{{ID: "opinion-1", Role: "Chargé de sécurité", Decision: "Favorable", Author: "Sam Sécurité", ReturnedAt: testTime,
			Rows: []DataRow{{Label: "Motivation", Value: "Issues de secours à élargir."}}}},
		Timeline: []StaffEvent{
			{At: testTime, Title: "Demande déposée", Actor: "demandeur"},
			{At: testTime, Title: "Permis refusé (En instruction → Refusé)", Actor: "Agnès Agent", Rows: []DataRow{{Label: "Motif", Value: "Hors zone"}}},
			{At: testTime, Title: "Commentaire interne", Actor: "Agnès Agent", Body: "À revoir."},
		},
		Transitions: []ActionForm{
			{ID: "transition-ouvrir", Action: "/backoffice/dossiers/d1/transitions/ouvrir", Label: "Ouvrir l’instruction"},
			{ID: "transition-refuser", Action: "/backoffice/dossiers/d1/transitions/refuser", Label: "Refuser le permis",
				Page: PrefixFieldIDs(refusal.Bind(-1, nil, nil, "fr"), "transition-refuser-"), Error: "Refusé."},
		},
		Circulation: &CirculationForm{ID: "circulation", Action: "/backoffice/dossiers/d1/circulation",
			Roles: []Choice{{Value: "securite", Label: "Chargé de sécurité (invité)"}, {Value: "ocf", Label: "OCF", Selected: true}},
			Due:   "2026-13-01", DueError: "Saisissez une échéance valide."},
		OpinionForms: []ActionForm{
			{ID: "opinion-securite", Action: "/backoffice/dossiers/d1/opinions/securite", Label: "Chargé de sécurité", Page: secu, HasFiles: true},
			{ID: "opinion-ocf", Action: "/backoffice/dossiers/d1/opinions/ocf", Label: "OCF", Page: ocf, HasFiles: true},
		},
		Comment: &CommentForm{ID: "comment", Action: "/backoffice/dossiers/d1/comments", Text: "x", TextError: "Trop long."},
	}
}

func backofficeSamples() map[string]any {
	intake := mustCompile(`{"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "title": "Nom"}, "pièce": {"type": "string", "format": "file", "title": "Pièce"}}}`, `{}`)
	intakePage := intake.Bind(-1, nil, []forms.FieldError{{Pointer: "/name", Key: "required"}}, "fr")
	return map[string]any{
		"inbox": InboxPage{
			Query: "Rochat", Pending: true,
			Procedures: []Choice{{Value: "permis-construire", Label: "Permis de construire", Selected: true}},
			States:     []Choice{{Value: "recu", Label: "Reçu"}},
			Tabs: []InboxTab{{Label: "Tous", Count: 3, URL: "/backoffice?q=Rochat"}, {Label: "Mes invitations", Count: 1, URL: "/backoffice?pending=1&q=Rochat", Current: true},
				{Label: "En retard", Count: 0, URL: "/backoffice?overdue=1&q=Rochat"}},
			Rows: []InboxRow{{URL: "/backoffice/dossiers/d1", Reference: "PC-2026-00001", Procedure: "Permis de construire", State: "Reçu",
				Applicant: "Rochat", SubmittedAt: testTime, Tags: []Tag{{Label: "OCF : invité"}, {Label: "Sécurité : en retard", Kind: "red"}}},
				{URL: "/backoffice/dossiers/d2", Reference: "PC-2026-00002", Procedure: "Permis de construire", State: "Refusé", Closed: true, SubmittedAt: testTime}},
			Total: 60, Page: 2, Pages: 3, PrevURL: "/backoffice?page=1", NextURL: "/backoffice?page=3", ResetURL: "/backoffice",
		},
		"dossier": sampleDossierPage(),
		"intake":  IntakeListPage{Items: []IntakeItem{{Title: "Saisie au guichet", Summary: "Enregistrer une demande.", URL: "/backoffice/saisie/saisie-guichet", AgentsOnly: true}}},
		"intake_form": IntakeFormPage{ProcedureTitle: "Saisie au guichet", Summary: "Enregistrer une demande.", Action: "/backoffice/saisie/saisie-guichet",
			Nonce: "n1", Page: intakePage, HasFiles: true, Errors: FieldErrors(intakePage.Fields), BackURL: "/backoffice/saisie"},
		"admin_users": UsersPage{
			Users:  []UserRow{{ID: "u1", Name: "Agnès Agent", Email: "agent@montagny.ch", URL: "/backoffice/admin/users/u1", IsAdmin: true, Groups: []string{"SeCC"}}, {ID: "u2", Name: "Sam", Email: "sam@montagny.ch", URL: "/backoffice/admin/users/u2"}},
			Form:   UserForm{Name: "Zoé", Email: "zoe", EmailError: "Adresse invalide.", PasswordError: "Trop court."},
			Errors: []ErrorLink{{FieldID: "user-email", Message: "Adresse invalide."}, {FieldID: "user-password", Message: "Trop court."}},
		},
		"admin_user": UserPage{User: UserRow{ID: "u2", Name: "Sam", Email: "sam@montagny.ch"}, Action: "/backoffice/admin/users/u2/password",
			PasswordError: "Trop court.", Errors: []ErrorLink{{FieldID: "new-password", Message: "Trop court."}}},
		"admin_groups": GroupsPage{
			Groups: []GroupRow{{ID: "g1", Name: "secc", Label: "SeCC", Members: []MemberRow{{Name: "Agnès", Email: "agent@montagny.ch", RemoveAction: "/backoffice/admin/groups/g1/members/u1/remove"}},
				Candidates: []Choice{{Value: "u2", Label: "Sam"}}, AddAction: "/backoffice/admin/groups/g1/members"},
				{ID: "g2", Name: "ocf", Label: "OCF"}},
			Form:   GroupForm{Name: "Bad Name", NameError: "Identifiant invalide."},
			Errors: []ErrorLink{{FieldID: "group-name", Message: "Identifiant invalide."}},
		},
		"admin_roles": RolesPage{HasGroups: true, Procedures: []ProcedureRoles{{ProcedureID: "p1", Title: "Permis de construire", Roles: []RoleRow{
			{ID: "role-p1-secc", RoleID: "secc", Label: "Technicien SeCC", Kind: "traitement", Groups: []BoundGroup{{ID: "g1", Label: "SeCC"}}, Candidates: []Choice{{Value: "g2", Label: "OCF"}}},
			{ID: "role-p1-ocf", RoleID: "ocf", Label: "OCF", Kind: "préavis"},
		}}}},
	}
}

func TestBackofficePages(t *testing.T) {
	r := newTestRenderer(t)
	samples := backofficeSamples()

	dossier := render(t, r, "fr", "dossier", samples["dossier"])
	mustContain(t, dossier,
		`<title>Erreur : dossier – Commune de Montagny</title>`,
		`<h1>Dossier PC-2026-00001</h1>`,
		// The summary links to the prefixed fields of the opinion form.
		`<a href="#op-securite-f-text">`, `id="op-securite-f-text"`, `id="op-ocf-f-text"`, `name="text"`,
		`<a href="#circulation-due">`, `aria-describedby="circulation-due-hint circulation-due-error" aria-invalid="true"`,
		`enctype="multipart/form-data"`, `name="mode" value="invite"`, `name="mode" value="activate"`,
		`<a href="/backoffice/dossiers/d1/files/f1">plans.pdf</a>`, `class="tag tag--red">en retard</strong>`,
		`<h3 id="opinion-1-title">Chargé de sécurité : Favorable</h3>`, `Rendu le 23.11.2026 à 14:05 par Sam Sécurité`,
		`<button class="button" type="submit">Ouvrir l’instruction</button>`,
	)
	if strings.Contains(dossier, `id="f-text"`) {
		t.Error("an opinion field kept its unprefixed id")
	}

	inbox := render(t, r, "en", "inbox", samples["inbox"])
	mustContain(t, inbox,
		`aria-current="page">Mes invitations <span class="tabs__count">(1)</span>`,
		`<input type="hidden" name="pending" value="1">`, `60 dossiers`, `Page 2 of 3`, `rel="prev"`, `rel="next"`,
		`<a href="/backoffice" aria-current="page">Dossiers</a>`, `href="/backoffice/admin/users"`, `href="/admin"`,
		`role="region" aria-labelledby="inbox-caption" tabindex="0"`,
	)

	// An agent who is not an admin sees no admin links.
	var buf strings.Builder
	env := Envelope{Lang: "fr", Path: "/backoffice", User: &User{ID: "u2", Name: "Sam"}, Data: samples["inbox"]}
	if err := r.Render(&buf, "inbox", env); err != nil {
		t.Fatal(err)
	}
	if s := buf.String(); strings.Contains(s, "/backoffice/admin/") || strings.Contains(s, `href="/admin"`) || !strings.Contains(s, `href="/backoffice/saisie"`) {
		t.Error("the navigation of an agent shows admin links, or lacks intake")
	}
}

func TestPrefixFieldIDs(t *testing.T) {
	f := mustCompile(`{"type": "object", "properties": {
		"a": {"type": "object", "title": "A", "properties": {"b": {"type": "string", "title": "B"}}},
		"items": {"type": "array", "title": "Items", "items": {"type": "object", "properties": {"c": {"type": "string", "title": "C"}}}}}}`, `{}`)
	bound := f.Bind(-1, map[string]any{"items": []any{map[string]any{"c": "x"}}}, []forms.FieldError{{Pointer: "/items/0/c", Key: "required"}}, "en")
	p := PrefixFieldIDs(bound, "x-")
	if got := p.Fields[0].Fields[0].ID; got != "x-f-a-b" {
		t.Errorf("nested id = %q", got)
	}
	if got := p.Fields[1].Items[0][0].ID; got != "x-f-items-0-c" {
		t.Errorf("repeat item id = %q", got)
	}
	if bound.Fields[0].Fields[0].ID != "f-a-b" {
		t.Error("PrefixFieldIDs changed its argument")
	}
	if errs := FieldErrors(p.Fields); len(errs) != 1 || errs[0].FieldID != "x-f-items-0-c" {
		t.Errorf("FieldErrors = %+v", errs)
	}
}
