package portal_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
)

// page is one expectation on a GET through a browser-like client.
type page struct {
	name       string
	path       string
	status     int
	want       []string
	notWant    []string
	wantResult []string // exactly these procedure links (nil: not checked)
}

var resultRe = regexp.MustCompile(`<h3 class="results__title"><a href="/d/([^"]+)">`)

func (p page) check(t *testing.T, c *apptest.Client) {
	t.Helper()
	resp, body := c.Get(p.path)
	if resp.StatusCode != p.status {
		t.Fatalf("GET %s: status %d, want %d", p.path, resp.StatusCode, p.status)
	}
	for _, w := range p.want {
		if !strings.Contains(body, w) {
			t.Errorf("GET %s: no %q in the page", p.path, w)
		}
	}
	for _, w := range p.notWant {
		if strings.Contains(body, w) {
			t.Errorf("GET %s: %q in the page", p.path, w)
		}
	}
	if p.wantResult != nil {
		got := []string{}
		for _, m := range resultRe.FindAllStringSubmatch(body, -1) {
			got = append(got, m[1])
		}
		want := slices.Clone(p.wantResult)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("GET %s: results %v, want %v", p.path, got, p.wantResult)
		}
	}
}

// publicPresets returns the slugs of the public presets, which an empty
// database starts with, in catalogue order.
func publicPresets(t testing.TB) []string {
	t.Helper()
	ps, err := builder.Presets()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		if p.Audience == builder.AudiencePublic {
			out = append(out, p.Slug)
		}
	}
	if !slices.Contains(out, "reservation-salle") || !slices.Contains(out, "broyage-sapins") || slices.Contains(out, "saisie-guichet") {
		t.Fatalf("presets changed: %v", out)
	}
	return out
}

func TestCatalogueAndLanguage(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	all := publicPresets(t)
	c := apptest.NewClient(t, apptest.Serve(t, a))
	// Steps run in order on one browser: the language cookie carries over.
	steps := []page{
		{
			name: "French by default", path: "/", status: 200,
			want:       []string{`<html lang="fr">`, "<h1>Démarches en ligne</h1>", fmt.Sprintf("%d démarches", len(all))},
			notWant:    []string{"saisie-guichet", "Saisie d"},
			wantResult: all,
		},
		{name: "search ignores accents", path: "/?q=noel", status: 200, wantResult: []string{"broyage-sapins"}},
		{name: "search by keyword", path: "/?q=Carnotzet", status: 200, wantResult: []string{"reservation-salle"}},
		{
			name: "search finds nothing", path: "/?q=xylophone", status: 200,
			want: []string{"Aucune démarche ne correspond"}, wantResult: []string{},
		},
		{name: "agent-only procedure is never found", path: "/?q=guichet", status: 200, wantResult: []string{}},
		{
			name: "category from the page's own select", path: "/?category=Environnement", status: 200,
			want: []string{`<option value="Environnement" selected>`}, wantResult: []string{"broyage-sapins"},
		},
		{
			name: "English with ?lang=en", path: "/?lang=en", status: 200,
			want: []string{`<html lang="en">`, "<h1>Online services</h1>", fmt.Sprintf("%d services", len(all))},
		},
		{name: "English sticks", path: "/", status: 200, want: []string{`<html lang="en">`, "Online services"}},
		{name: "and on other pages", path: "/d/nope", status: 404, want: []string{`<html lang="en">`}},
		{name: "back to French", path: "/?lang=fr", status: 200, want: []string{`<html lang="fr">`}},
		{name: "French sticks", path: "/", status: 200, want: []string{`<html lang="fr">`}},
		{
			name: "procedure page", path: "/d/reservation-salle", status: 200,
			want: []string{"<title>Réservation de salle – ", "Salles à disposition", `href="/d/reservation-salle/form"`},
		},
		{name: "unknown procedure", path: "/d/nope", status: 404, want: []string{"La page demandée n’existe pas"}},
		{name: "agent-only procedure page", path: "/d/saisie-guichet", status: 404, notWant: []string{"Saisie d"}},
		{name: "agent-only form", path: "/d/saisie-guichet/form", status: 404},
		{name: "information-only has no form", path: "/d/broyage-sapins/form", status: 404},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) { s.check(t, c) })
	}
	t.Run("agent-only form post", func(t *testing.T) {
		c.Get("/d/reservation-salle/form") // a CSRF token
		resp, _ := c.PostForm("/d/saisie-guichet/form", url.Values{"name": {"X"}})
		if resp.StatusCode != 404 {
			t.Errorf("POST: status %d, want 404", resp.StatusCode)
		}
	})
}

func TestMarkdownIsSanitised(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	body := "## Horaires\n\nOuvert le **lundi**.\n\n" +
		"<script>alert('script')</script>\n\n" +
		"<img src=\"x.png\" onerror=\"alert('img')\">\n\n" +
		"<a href=\"https://example.ch\" onclick=\"alert('click')\">site</a>\n\n" +
		"[piège](javascript:alert('link')) et [autre piège](JaVaScRiPt:alert('case'))\n\n" +
		"<iframe src=\"https://evil.example\"></iframe>\n\n" +
		"[commune](https://www.example.ch/contact)\n"
	def := &builder.Procedure{
		Slug: "info-test", Title: "Information test", Audience: builder.AudiencePublic,
		Scenarios: []builder.Scenario{{ID: "information", Kind: builder.ScenarioInformation, Title: "Infos", Body: body}},
	}
	if _, err := a.Engine.PublishDefinition(context.Background(), def, nil); err != nil {
		t.Fatal(err)
	}
	resp, html := apptest.Do(t, a, mustGet("/d/info-test"))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"<h2", "Horaires", "<strong>lundi</strong>", `href="https://www.example.ch/contact"`, `rel="nofollow`} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered Markdown lacks %q", want)
		}
	}
	low := strings.ToLower(html)
	for _, bad := range []string{"<script", "alert(", "onerror", "onclick", "javascript:", "<iframe"} {
		if strings.Contains(low, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
}

func mustGet(path string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, "http://guichet.test"+path, nil)
	return req
}

var (
	nonceRe    = regexp.MustCompile(`name="_nonce" value="([^"]+)"`)
	summaryRe  = regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`)
	linkRe     = regexp.MustCompile(`<a href="#([^"]+)">`)
	editLinkRe = regexp.MustCompile(`<a class="summary-heading__edit" href="([^"]+)">Modifier`)
)

// input returns the HTML of the input named name.
func input(t testing.TB, body, name string) string {
	t.Helper()
	re := regexp.MustCompile(`<(input|textarea|select)[^>]* name="` + regexp.QuoteMeta(name) + `"[^>]*>`)
	m := re.FindString(body)
	if m == "" {
		t.Fatalf("no input %q in the page", name)
	}
	return m
}

func wantStatus(t testing.TB, resp *http.Response, body string, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, body)
	}
}

func wantRedirect(t testing.TB, resp *http.Response, body string, prefix string) string {
	t.Helper()
	wantStatus(t, resp, body, http.StatusSeeOther)
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, prefix) {
		t.Fatalf("redirect to %q, want %q…", loc, prefix)
	}
	return loc
}

func countDossiers(t testing.TB, a *app.App) int {
	t.Helper()
	n, err := store.CountDossiers(context.Background(), a.DB.Read)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

var pdf = append([]byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"), bytes.Repeat([]byte("0"), 2000)...)

// The whole room booking, as a browser without JavaScript does it.
func TestRoomBookingFlow(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{NoStart: true})
		base := apptest.Serve(t, a)
		c := apptest.NewClient(t, base)
		const form = "/d/reservation-salle/form"

		resp, body := c.Get(form)
		wantStatus(t, resp, body, 200)
		nonce := nonceRe.FindStringSubmatch(body)[1]
		if !strings.Contains(body, "Étape 1 sur 3") || !strings.Contains(body, "<h1>Vos coordonnées</h1>") {
			t.Error("first page is not step 1 of 3 with its title")
		}

		page1 := url.Values{
			"_nonce": {nonce}, "_action": {"next"}, "first_name": {""}, "last_name": {"Dupont"},
			"email": {"pas-une-adresse"}, "address.street": {"Rue du Lac 1"}, "address.postcode": {"12"},
			"address.city": {"Lausanne"},
		}
		t.Run("page 1 with errors", func(t *testing.T) {
			resp, body := c.PostForm(form, page1)
			wantStatus(t, resp, body, 422)
			if !strings.Contains(body, "<title>Erreur : Vos coordonnées – Réservation de salle") {
				t.Errorf("title does not start with Erreur : %s", regexp.MustCompile(`<title>.*</title>`).FindString(body))
			}
			summary := summaryRe.FindString(body)
			var links []string
			for _, m := range linkRe.FindAllStringSubmatch(summary, -1) {
				links = append(links, m[1])
			}
			if got := strings.Join(links, " "); got != "f-first_name f-email f-address-postcode" {
				t.Errorf("error summary links to %q, want the three fields in form order", got)
			}
			for _, id := range links {
				if !strings.Contains(body, `id="`+id+`"`) {
					t.Errorf("summary links to #%s, which no element has", id)
				}
			}
			for name, value := range map[string]string{"first_name": "", "email": "pas-une-adresse", "address.postcode": "12"} {
				in := input(t, body, name)
				if !strings.Contains(in, `aria-invalid="true"`) || !strings.Contains(in, `value="`+value+`"`) {
					t.Errorf("input %s = %s, want aria-invalid and value %q", name, in, value)
				}
			}
			if in := input(t, body, "last_name"); strings.Contains(in, "aria-invalid") || !strings.Contains(in, `value="Dupont"`) {
				t.Errorf("valid input last_name = %s", in)
			}
			if got := nonceRe.FindStringSubmatch(body)[1]; got != nonce {
				t.Errorf("nonce changed on the error page")
			}
		})

		page1.Set("first_name", "Marie")
		page1.Set("email", "marie.dupont@example.ch")
		page1.Set("address.postcode", "1000")
		resp, body = c.PostForm(form, page1)
		step2 := wantRedirect(t, resp, body, form+"/"+nonce+"/etape/2")
		draft := form + "/" + nonce

		t.Run("draft belongs to its browser", func(t *testing.T) {
			other := apptest.NewClient(t, base)
			other.Get(form) // a page with a POST form, for a CSRF token
			for _, p := range []string{step2, draft + "/etape/1", draft + "/verifier"} {
				if resp, _ := other.Get(p); resp.StatusCode != 404 {
					t.Errorf("other browser GET %s: %d, want 404", p, resp.StatusCode)
				}
			}
			if resp, _ := other.PostForm(draft+"/envoyer", url.Values{"_nonce": {nonce}}); resp.StatusCode != 404 {
				t.Errorf("other browser submit: %d, want 404", resp.StatusCode)
			}
			if resp, _ := other.PostForm(step2, url.Values{"room": {"carnotzet"}}); resp.StatusCode != 404 {
				t.Errorf("other browser post step 2: %d, want 404", resp.StatusCode)
			}
		})

		t.Run("repeat group without JavaScript", func(t *testing.T) {
			resp, body := c.Get(step2)
			wantStatus(t, resp, body, 200)
			// The group starts with one empty item, which cannot be removed.
			if !strings.Contains(body, `name="equipment.0.item"`) || strings.Contains(body, `name="equipment.1.item"`) ||
				strings.Contains(body, `value="remove:`) {
				t.Fatal("equipment does not start with one empty item")
			}
			// The layout depends on the room, on the same page: shown with a hint.
			if !strings.Contains(body, `id="f-layout-condition">À remplir seulement si`) {
				t.Error("the layout of the salle polyvalente has no condition hint")
			}
			step := url.Values{"room": {"salle-communale"}, "event_date": {"2026-06-20"}, "attendees": {"50"}}
			with := func(extra ...string) url.Values {
				v := url.Values{}
				for k, vs := range step {
					v[k] = vs
				}
				for i := 0; i < len(extra); i += 2 {
					v.Set(extra[i], extra[i+1])
				}
				return v
			}
			resp, body = c.PostForm(step2, with("_action", "add:/equipment", "equipment.0.item", "Tables", "equipment.0.quantity", "10"))
			wantStatus(t, resp, body, 200)
			if !strings.Contains(input(t, body, "equipment.0.quantity"), `value="10"`) || !strings.Contains(body, `name="equipment.1.item"`) {
				t.Fatal("add lost the first item or added none")
			}
			for _, v := range []string{"remove:/equipment/0", "remove:/equipment/1"} {
				if !strings.Contains(body, `value="`+v+`"`) {
					t.Errorf("no %s button", v)
				}
			}
			if strings.Contains(body, "error-summary") || resp.StatusCode != 200 {
				t.Error("adding an item shows errors")
			}
			resp, body = c.PostForm(step2, with("_action", "remove:/equipment/0",
				"equipment.0.item", "Tables", "equipment.0.quantity", "10", "equipment.1.item", "Chaises", "equipment.1.quantity", "40"))
			wantStatus(t, resp, body, 200)
			if !strings.Contains(input(t, body, "equipment.0.quantity"), `value="40"`) || strings.Contains(body, `name="equipment.1.item"`) {
				t.Fatal("remove did not leave the second item alone in first place")
			}
			if !regexp.MustCompile(`<option value="Chaises" selected>`).MatchString(body) {
				t.Error("the remaining item lost its select value")
			}
			resp, body = c.PostForm(step2, with("_action", "remove:/nope/0"))
			wantStatus(t, resp, body, 400)

			resp, body = c.PostForm(step2, with("_action", "next", "equipment.0.item", "Chaises", "equipment.0.quantity", "0"))
			wantStatus(t, resp, body, 422)
			if !strings.Contains(summaryRe.FindString(body), `href="#f-equipment-0-quantity"`) {
				t.Error("no error summary link to the item's quantity")
			}
			resp, body = c.PostForm(step2, with("_action", "next", "equipment.0.item", "Chaises", "equipment.0.quantity", "40"))
			wantRedirect(t, resp, body, draft+"/etape/3")
		})

		step3 := draft + "/etape/3"
		t.Run("uploads", func(t *testing.T) {
			vals := func() url.Values { return url.Values{"consent": {"true"}, "_action": {"next"}} }
			resp, body := c.PostMultipart(step3, vals(), apptest.Upload{Field: "attachment", Name: "notes.txt",
				ContentType: "text/plain", Content: []byte("just some text")})
			wantStatus(t, resp, body, 422)
			if !strings.Contains(body, "Le fichier choisi doit être au format") || !strings.Contains(input(t, body, "attachment"), `aria-invalid="true"`) {
				t.Error("wrong type: no message on the field")
			}
			// A PDF name and type do not make a text file a PDF.
			resp, body = c.PostMultipart(step3, vals(), apptest.Upload{Field: "attachment", Name: "fake.pdf",
				ContentType: "application/pdf", Content: []byte("just some text, no PDF")})
			wantStatus(t, resp, body, 422)

			big := append(append([]byte{}, pdf...), bytes.Repeat([]byte("0"), 5<<20)...)
			resp, body = c.PostMultipart(step3, vals(), apptest.Upload{Field: "attachment", Name: "big.pdf",
				ContentType: "application/pdf", Content: big})
			wantStatus(t, resp, body, 422)
			if !strings.Contains(body, "Le fichier choisi doit peser moins de") {
				t.Error("too large: no message")
			}
			files, err := a.DB.Read.NewSelect().Model((*store.File)(nil)).Count(context.Background())
			if err != nil || files != 0 {
				t.Errorf("%d files stored after refused uploads (%v)", files, err)
			}

			resp, body = c.PostMultipart(step3, vals(), apptest.Upload{Field: "attachment", Name: "programme.pdf",
				ContentType: "application/pdf", Content: pdf})
			wantRedirect(t, resp, body, draft+"/verifier")
		})

		t.Run("check answers and change them", func(t *testing.T) {
			resp, body := c.Get(draft + "/verifier")
			wantStatus(t, resp, body, 200)
			for _, want := range []string{"Vérifiez vos réponses", "Marie", "Dupont", "marie.dupont@example.ch", "Rue du Lac 1",
				"Salle communale", "20.06.2026", "Chaises", "40", "Oui", "programme.pdf"} {
				if !strings.Contains(body, want) {
					t.Errorf("check page lacks %q", want)
				}
			}
			edits := editLinkRe.FindAllStringSubmatch(body, -1)
			if len(edits) != 3 {
				t.Fatalf("%d Modifier links, want one per page", len(edits))
			}
			edit := strings.ReplaceAll(edits[0][1], "&amp;", "&")
			if edit != draft+"/etape/1?retour=verifier" {
				t.Fatalf("Modifier link %q", edit)
			}
			resp, body = c.Get(edit)
			wantStatus(t, resp, body, 200)
			if !strings.Contains(input(t, body, "first_name"), `value="Marie"`) {
				t.Error("the page to change lost its answers")
			}
			page1.Set("first_name", "Anne")
			resp, body = c.PostForm(edit, page1)
			wantRedirect(t, resp, body, draft+"/verifier")
			_, body = c.Get(draft + "/verifier")
			if !strings.Contains(body, "Anne") || strings.Contains(body, "Marie") {
				t.Error("changed answer not on the check page")
			}
		})

		t.Run("CSRF", func(t *testing.T) {
			for name, token := range map[string]string{"missing": "", "forged": "abc", "other browser's": otherToken(t, base)} {
				req, _ := http.NewRequest(http.MethodPost, base+draft+"/envoyer",
					strings.NewReader(url.Values{"_csrf": {token}, "_nonce": {nonce}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, body := c.Do(req)
				if resp.StatusCode != 403 {
					t.Errorf("%s token: status %d, want 403", name, resp.StatusCode)
				}
				if !strings.Contains(body, "<html") {
					t.Errorf("%s token: not an HTML error page", name)
				}
			}
			if n := countDossiers(t, a); n != 0 {
				t.Errorf("%d dossiers after refused posts", n)
			}
		})

		// A double click: two submits at once.
		var locs [2]string
		var wg sync.WaitGroup
		for i := range locs {
			req, _ := http.NewRequest(http.MethodPost, base+draft+"/envoyer",
				strings.NewReader(url.Values{"_csrf": {c.CSRF}, "_nonce": {nonce}, "_action": {"submit"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			wg.Go(func() {
				resp, err := c.HTTP.Do(req)
				if err != nil {
					t.Errorf("submit: %v", err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusSeeOther {
					t.Errorf("submit: status %d", resp.StatusCode)
				}
				locs[i] = resp.Header.Get("Location")
			})
		}
		wg.Wait()
		if locs[0] != locs[1] || !strings.HasPrefix(locs[0], "/d/reservation-salle/confirmation/") {
			t.Fatalf("double click redirects to %q and %q", locs[0], locs[1])
		}
		if n := countDossiers(t, a); n != 1 {
			t.Fatalf("%d dossiers after a double click, want 1", n)
		}
		token := strings.TrimPrefix(locs[0], "/d/reservation-salle/confirmation/")

		resp, body = c.Get(locs[0])
		wantStatus(t, resp, body, 200)
		ref := regexp.MustCompile(`RS-\d{4}-00001`).FindString(body)
		if ref == "" || !strings.Contains(body, "http://guichet.test/suivi/"+token) || !strings.Contains(body, "marie.dupont@example.ch") {
			t.Errorf("confirmation lacks the reference, tracking link or email:\n%s", body)
		}

		t.Run("the file went with the dossier", func(t *testing.T) {
			var f store.File
			if err := a.DB.Read.NewSelect().Model(&f).Scan(context.Background()); err != nil {
				t.Fatal(err)
			}
			d, err := store.DossierByToken(context.Background(), a.DB.Read, token)
			if err != nil {
				t.Fatal(err)
			}
			if f.DossierID == nil || *f.DossierID != d.ID || f.Name != "programme.pdf" || f.Size != int64(len(pdf)) ||
				!bytes.Equal(f.Content, pdf) || !strings.Contains(string(d.Data), f.ID) || !strings.Contains(string(d.Data), `"Anne"`) {
				t.Errorf("file %s (dossier %v) and dossier data %s", f.Name, f.DossierID, d.Data)
			}
		})

		t.Run("back button and resubmission", func(t *testing.T) {
			for _, p := range []string{draft + "/etape/1", draft + "/etape/3", draft + "/verifier"} {
				resp, body := c.Get(p)
				if loc := wantRedirect(t, resp, body, "/d/"); loc != locs[0] {
					t.Errorf("GET %s redirects to %s, want the confirmation", p, loc)
				}
			}
			resp, body := c.PostForm(draft+"/envoyer", url.Values{"_nonce": {nonce}})
			if loc := wantRedirect(t, resp, body, "/d/"); loc != locs[0] {
				t.Errorf("resubmit redirects to %s", loc)
			}
			resp, body = c.PostForm(step2, url.Values{"room": {"carnotzet"}, "_action": {"next"}})
			wantRedirect(t, resp, body, locs[0])
			if n := countDossiers(t, a); n != 1 {
				t.Errorf("%d dossiers, want 1", n)
			}
		})

		t.Run("tracking", func(t *testing.T) {
			steps := []page{
				{name: "fr", path: "/suivi/" + token, status: 200, want: []string{ref, "Réservation de salle", "Reçue", "Demande envoyée"}},
				{name: "en", path: "/suivi/" + token + "?lang=en", status: 200, want: []string{ref, "Received", "Request submitted"}},
				{name: "unknown token", path: "/suivi/" + strings.Repeat("A", 43), status: 404, notWant: []string{"RS-"}},
				{name: "confirmation under another procedure", path: "/d/broyage-sapins/confirmation/" + token, status: 404},
			}
			for _, s := range steps {
				t.Run(s.name, func(t *testing.T) { s.check(t, c) })
			}
			resp, _ := c.Get("/suivi/" + token)
			if resp.Header.Get("X-Robots-Tag") != "noindex" || resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("tracking page headers: %v", resp.Header)
			}
		})
	})
}

// otherToken returns a valid CSRF token of another browser.
func otherToken(t testing.TB, base string) string {
	t.Helper()
	o := apptest.NewClient(t, base)
	o.Get("/login")
	if o.CSRF == "" {
		t.Fatal("no CSRF token on /login")
	}
	return o.CSRF
}

// A one-page form is submitted from its first post, and a double post of
// the same page (same nonce) makes one dossier.
func TestSinglePageForm(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	def, err := builder.Preset("saisie-guichet")
	if err != nil {
		t.Fatal(err)
	}
	def.Slug, def.Audience, def.ReferencePrefix = "signalement", builder.AudiencePublic, "SG"
	if _, err := a.Engine.PublishDefinition(context.Background(), def, nil); err != nil {
		t.Fatal(err)
	}
	c := apptest.NewClient(t, apptest.Serve(t, a))
	_, body := c.Get("/d/signalement/form")
	nonce := nonceRe.FindStringSubmatch(body)[1]
	vals := url.Values{"_nonce": {nonce}, "channel": {"guichet"}, "name": {"Jean Martin"}, "subject": {"voirie"},
		"description": {"Le lampadaire de la rue du Lac est en panne."}}
	resp, body := c.PostForm("/d/signalement/form", vals)
	first := wantRedirect(t, resp, body, "/d/signalement/confirmation/")
	resp, body = c.PostForm("/d/signalement/form", vals)
	if again := wantRedirect(t, resp, body, "/d/signalement/confirmation/"); again != first {
		t.Errorf("second post went to %s, want %s", again, first)
	}
	if n := countDossiers(t, a); n != 1 {
		t.Errorf("%d dossiers, want 1", n)
	}
	_, body = c.Get(first)
	if !regexp.MustCompile(`SG-\d{4}-00001`).MatchString(body) {
		t.Error("confirmation lacks the reference")
	}
}
