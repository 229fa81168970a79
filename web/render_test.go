package web

import (
	"bytes"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func newTestRenderer(t *testing.T) *Renderer {
	t.Helper()
	r, err := NewRenderer(WithLocation(time.FixedZone("CET", 3600)))
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	return r
}

var testSite = Site{Name: "Commune de Montagny", LogoURL: "/static/logo.svg", AccentColor: "#0b5394"}

var testTime = time.Date(2026, 11, 23, 13, 5, 0, 0, time.UTC)

// samplePages is a representative Data for every page.
func samplePages() map[string]any {
	pages := map[string]any{
		"catalogue": CataloguePage{
			Query: "salle", Category: "Loisirs", Categories: []string{"Construction", "Loisirs", "Déchets"},
			Items: []CatalogueItem{
				{Slug: "reservation-salle", Title: "Réservation de salle", Summary: "Louer une salle communale.", Category: "Loisirs"},
				{Slug: "permis-construire", Title: "Permis de construire", Category: "Construction"},
			},
		},
		"procedure": ProcedurePage{
			Slug: "reservation-salle", Title: "Réservation de salle", Summary: "Louer une salle communale.", Category: "Loisirs",
			Scenarios: []ScenarioView{
				{Kind: "information", Title: "Conditions", Body: template.HTML("<p>Horaires : <strong>8 h – 22 h</strong>.</p>"),
					Attachments: []LinkView{{Title: "Règlement (PDF)", URL: "/files/reglement.pdf"}}},
				{Kind: "redirect", URL: "https://www.piscine-montagny.ch/reserver"},
				{Kind: "online", URL: "/d/reservation-salle/form"},
			},
		},
		"form":  sampleFormPage(),
		"check": sampleCheckPage(),
		"confirmation": ConfirmationPage{
			ProcedureTitle: "Réservation de salle", Reference: "RES-2026-000123",
			TrackingURL: "/suivi/abc123", NextSteps: template.HTML("<p>Réponse sous 10 jours.</p>"), Email: "ada@example.ch",
		},
		"tracking": TrackingPage{
			ProcedureTitle: "Réservation de salle", Reference: "RES-2026-000123", State: "En cours d’examen", SubmittedAt: testTime,
			Timeline: []TimelineEntry{{At: testTime, Title: "Demande reçue"}, {At: testTime.Add(48 * time.Hour), Title: "Examen", Body: "Votre demande est examinée."}},
		},
		"login": LoginPage{Email: "agent@montagny.ch", Error: "Adresse e-mail ou mot de passe incorrect.", Next: "/backoffice"},
		"mailbox": MailboxPage{
			Items:    []MailboxItem{{ID: "m1", At: testTime, To: "ada@example.ch", Subject: "Accusé de réception", Body: "Bonjour,\n\nVotre demande RES-2026-000123 est reçue."}, {ID: "m2", At: testTime, To: "b@example.ch", Subject: "Suivi"}},
			Selected: &MailboxItem{ID: "m1", At: testTime, To: "ada@example.ch", Subject: "Accusé de réception", Body: "Bonjour,\n\nVotre demande RES-2026-000123 est reçue."},
		},
		"staff_home": StaffHomePage{},
		"error":      ErrorPage{Status: 404},
	}
	maps.Copy(pages, backofficeSamples())
	return pages
}

func sampleEnvelope(lang, page string, data any) Envelope {
	env := Envelope{Site: testSite, Lang: lang, Path: "/d/reservation-salle", CSRF: "csrf-token", Title: page, Data: data}
	if backofficePages[page] {
		env.User = &User{ID: "u1", Name: "Agnès Agent", Email: "agent@montagny.ch", IsAdmin: true}
		if page == "inbox" {
			env.Path = "/backoffice"
		}
	}
	switch page {
	case "form", "login", "dossier", "intake_form", "admin_users", "admin_user", "admin_groups":
		env.HasErrors = true
	case "catalogue":
		env.Flash = "Vos réponses ont été enregistrées."
	}
	return env
}

func render(t *testing.T, r *Renderer, lang, page string, data any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Render(&buf, page, sampleEnvelope(lang, page, data)); err != nil {
		t.Fatalf("Render(%s, %s): %v", page, lang, err)
	}
	return buf.String()
}

func TestRenderEveryPage(t *testing.T) {
	r := newTestRenderer(t)
	pages := samplePages()
	if got, want := r.Pages(), slices.Sorted(maps.Keys(pages)); !slices.Equal(got, want) {
		t.Fatalf("pages = %v, samples for %v", got, want)
	}
	for _, lang := range Langs {
		for page, data := range pages {
			t.Run(page+"/"+lang, func(t *testing.T) {
				html := render(t, r, lang, page, data)
				checkPage(t, html, lang)
				// Also with the zero Data and a bare envelope.
				var buf bytes.Buffer
				if err := r.Render(&buf, page, Envelope{Lang: lang, Data: pageDefs[page].data}); err != nil {
					t.Fatalf("empty page: %v", err)
				}
				checkPage(t, buf.String(), lang)
			})
		}
	}
}

func TestRenderUnknownPage(t *testing.T) {
	r := newTestRenderer(t)
	var buf bytes.Buffer
	if err := r.Render(&buf, "nope", Envelope{}); err == nil {
		t.Fatal("want an error for an unknown page")
	}
	if buf.Len() != 0 {
		t.Fatalf("wrote %d bytes on error", buf.Len())
	}
}

var (
	idAttr      = regexp.MustCompile(`\sid="([^"]+)"`)
	refAttr     = regexp.MustCompile(`\s(?:for|aria-describedby|aria-labelledby)="([^"]+)"`)
	fragment    = regexp.MustCompile(`\shref="#([^"]+)"`)
	openTag     = regexp.MustCompile(`<(div|form|fieldset|ul|ol|dl|section|p|label|select|button|a|h[1-6])[\s>]`)
	rawKey      = regexp.MustCompile(`\b(?:layout|catalogue|procedure|form|check|confirmation|tracking|login|mailbox|staff|error|unit|bo|inbox|dossier|intake|users|groups|roles|tag|event|actor|flash)\.[a-z_.]+[a-z]\b`)
	visibleText = regexp.MustCompile(`>([^<]+)<`)
)

// checkPage checks what axe-core would also complain about and can be seen
// without a browser: the lang attribute, one h1, landmarks, unique ids,
// references to existing ids, balanced tags, no escaper or fmt garbage and
// no untranslated key.
func checkPage(t *testing.T, html, lang string) {
	t.Helper()
	mustContain(t, html, `<html lang="`+lang+`">`, `<main `, `<header `, `<footer `, `class="skip-link" href="#main"`, `<title>`)
	if n := strings.Count(html, "<h1"); n != 1 {
		t.Errorf("%d h1, want 1", n)
	}
	ids := map[string]bool{}
	for _, m := range idAttr.FindAllStringSubmatch(html, -1) {
		if ids[m[1]] {
			t.Errorf("duplicate id %q", m[1])
		}
		ids[m[1]] = true
	}
	for _, m := range refAttr.FindAllStringSubmatch(html, -1) {
		for id := range strings.FieldsSeq(m[1]) {
			if !ids[id] {
				t.Errorf("%s refers to missing id %q", strings.TrimSpace(m[0]), id)
			}
		}
	}
	for _, m := range fragment.FindAllStringSubmatch(html, -1) {
		if !ids[m[1]] {
			t.Errorf("link to missing id #%s", m[1])
		}
	}
	for _, m := range openTag.FindAllStringSubmatch(html, -1) {
		tag := m[1]
		if open, closed := len(regexp.MustCompile(`<`+tag+`[\s>]`).FindAllString(html, -1)), strings.Count(html, "</"+tag+">"); open != closed {
			t.Errorf("<%s>: %d opened, %d closed", tag, open, closed)
		}
	}
	for _, bad := range []string{"ZgotmplZ", "%!", "<no value>", "&lt;nil&gt;"} {
		if strings.Contains(html, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	for _, m := range visibleText.FindAllStringSubmatch(html, -1) {
		if k := rawKey.FindString(m[1]); k != "" && !strings.Contains(m[1], "@") {
			t.Errorf("untranslated key %q in %q", k, m[1])
		}
	}
}

func mustContain(t *testing.T, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("missing %q", sub)
		}
	}
}

func TestLayout(t *testing.T) {
	r := newTestRenderer(t)
	fr := render(t, r, "fr", "form", sampleFormPage())
	mustContain(t, fr,
		`Aller au contenu`,
		`<title>Erreur : form – Commune de Montagny</title>`,
		`href="/d/reservation-salle?lang=en" lang="en" hreflang="en">English</a>`,
		`<style>:root{--accent:#0b5394}</style>`,
		`href="`+r.StaticURL("guichet.css")+`"`,
	)
	en := render(t, r, "en", "catalogue", CataloguePage{})
	mustContain(t, en, `Skip to main content`, `?lang=fr" lang="fr" hreflang="fr">Français</a>`, `role="status">Vos réponses`)

	home := render(t, r, "fr", "staff_home", StaffHomePage{})
	mustContain(t, home, `Connecté en tant que Agnès Agent`, `action="/logout"`, `name="_csrf" value="csrf-token"`, `href="/admin"`, `href="/backoffice/mailbox"`)
}

func TestStaticURL(t *testing.T) {
	r := newTestRenderer(t)
	u := r.StaticURL("guichet.css")
	if !regexp.MustCompile(`^/static/guichet\.css\?v=[0-9a-f]{12}$`).MatchString(u) {
		t.Fatalf("StaticURL = %q", u)
	}
	if r.StaticURL("missing.css") != "" {
		t.Fatal("StaticURL of a missing file should be empty")
	}
}

func TestAccent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"#0b5394", "#0b5394"},
		{" #0B5394 ", "#0B5394"},
		{"#036", "#036"},
		{"", DefaultAccent},
		{"#ffdd00", DefaultAccent},                // unreadable on white
		{"#777777", DefaultAccent},                // 4.48:1, just below AA
		{"red;}body{display:none", DefaultAccent}, // injection
		{"rgb(0,0,0)", DefaultAccent},
	}
	for _, tt := range tests {
		if got := string(accentCSS(tt.in)); got != tt.want {
			t.Errorf("accentCSS(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if c := ContrastOnWhite(DefaultAccent); c < 4.5 {
		t.Errorf("default accent contrast %.2f < 4.5", c)
	}
	// The fixed colours of guichet.css used for text on white or light grey.
	for _, c := range []string{"#0b0c0c", "#505a5f", "#d4351c", "#00703c", "#4c2c92"} {
		if got := ContrastOnWhite(c); got < 4.5 {
			t.Errorf("%s contrast %.2f < 4.5", c, got)
		}
	}
}

func TestFormatting(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	tests := []struct {
		lang     string
		withTime bool
		want     string
	}{
		{"fr", true, "23.11.2026 à 14:05"},
		{"fr", false, "23.11.2026"},
		{"en", true, "23 November 2026 at 2:05pm"},
		{"en", false, "23 November 2026"},
	}
	for _, tt := range tests {
		if got := formatTime(tt.lang, testTime, loc, tt.withTime); got != tt.want {
			t.Errorf("formatTime(%s, %v) = %q, want %q", tt.lang, tt.withTime, got, tt.want)
		}
	}
	if got := formatTime("fr", time.Time{}, loc, true); got != "" {
		t.Errorf("zero time = %q", got)
	}
	sizes := []struct {
		lang string
		n    int64
		want string
	}{
		{"fr", 5 << 20, "5 Mo"},
		{"en", 5 << 20, "5 MB"},
		{"fr", 1536 << 10, "1,5 Mo"},
		{"fr", 200 << 10, "200 Ko"},
		{"en", 512, "512 bytes"},
	}
	for _, tt := range sizes {
		if got := formatBytes(tt.lang, tt.n); got != tt.want {
			t.Errorf("formatBytes(%s, %d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
	if got := acceptList("fr", []string{"application/pdf", "image/*", ".dwg"}); got != "PDF, toute image, DWG" {
		t.Errorf("acceptList = %q", got)
	}
	if got := hostOf("https://www.piscine-montagny.ch/reserver"); got != "piscine-montagny.ch" {
		t.Errorf("hostOf = %q", got)
	}
}

func TestStatus(t *testing.T) {
	if got := StatusTitle("en", 404); got != "Page not found" {
		t.Errorf("StatusTitle(404) = %q", got)
	}
	if got := StatusTitle("fr", 502); got != T("fr", "error.500.title") {
		t.Errorf("StatusTitle(502) = %q", got)
	}
	if got := StatusMessageKey(429); got != "error.rate_limited" {
		t.Errorf("StatusMessageKey(429) = %q", got)
	}
	r := newTestRenderer(t)
	mustContain(t, render(t, r, "fr", "error", ErrorPage{Status: 500}), "Désolé, un problème technique est survenu", "Code d’erreur : 500")
	mustContain(t, render(t, r, "en", "error", ErrorPage{Status: 400, Heading: "Custom", Message: "Details"}), "<h1>Custom</h1>", "<p>Details</p>")
}

func TestRenderConcurrent(t *testing.T) {
	r := newTestRenderer(t)
	pages := samplePages()
	done := make(chan error)
	for range 8 {
		go func() {
			var err error
			for page, data := range pages {
				for _, lang := range Langs {
					if err == nil {
						err = r.Render(io.Discard, page, sampleEnvelope(lang, page, data))
					}
				}
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// TestNewRendererFailsLoudly: a template that does not parse, or that
// fails on an empty page, stops start-up with an error naming the page.
func TestNewRendererFailsLoudly(t *testing.T) {
	good := fstest.MapFS{}
	err := fs.WalkDir(templatesFS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templatesFS, path)
		good[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newRenderer(good, Static); err != nil {
		t.Fatalf("copy of the real templates: %v", err)
	}
	tests := map[string]string{
		"parse error":    `{{define "content"}}{{if .Data}}{{end}`,
		"no content":     `{{define "other"}}x{{end}}`,
		"unknown field":  `{{define "content"}}{{.Data.NoSuchField}}{{end}}`,
		"unknown static": `{{define "content"}}{{static "nope.css"}}{{end}}`,
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			broken := maps.Clone(good)
			broken["portal/tracking.html"] = &fstest.MapFile{Data: []byte(src)}
			_, err := newRenderer(broken, Static)
			if err == nil || !strings.Contains(err.Error(), "tracking") {
				t.Fatalf("err = %v, want one naming the tracking page", err)
			}
		})
	}
}
