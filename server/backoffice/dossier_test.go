package backoffice_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
)

// pdf is a small file that passes the PDF sniffing of file fields.
var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")

// agent signs in a staff member made by apptest.CreateStaff, on the pages.
func agent(t *testing.T, base, name string) *apptest.Client {
	t.Helper()
	c := apptest.NewClient(t, base)
	c.Login(name+"@test.local", "password-"+name)
	return c
}

// page fetches path and fails unless it answers want.
func page(t *testing.T, c *apptest.Client, path string, want int) string {
	t.Helper()
	resp, body := c.Get(path)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d\n%s", path, resp.StatusCode, want, mainOf(body))
	}
	return body
}

// post posts a form and fails unless it answers want; a 303 must lead
// back to the dossier.
func post(t *testing.T, c *apptest.Client, path string, vals url.Values, want int) string {
	t.Helper()
	resp, body := c.PostForm(path, vals)
	if resp.StatusCode != want {
		t.Fatalf("POST %s %v: %d, want %d\n%s", path, vals, resp.StatusCode, want, mainOf(body))
	}
	return body
}

// done posts an action of the dossier page that must succeed: a 303 to
// the dossier, whose page then shows the flash message.
func done(t *testing.T, c *apptest.Client, id, action string, vals url.Values, flash string) string {
	t.Helper()
	resp, body := c.PostForm("/backoffice/dossiers/"+id+action, vals)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/backoffice/dossiers/"+id {
		t.Fatalf("POST %s %v: %d → %q, want 303 to the dossier\n%s", action, vals, resp.StatusCode, resp.Header.Get("Location"), mainOf(body))
	}
	body = page(t, c, "/backoffice/dossiers/"+id, http.StatusOK)
	mustShow(t, body, `<div class="notice" role="status">`+flash+`</div>`)
	return body
}

var mainRe = regexp.MustCompile(`(?s)<main.*</main>`)

// mainOf keeps the main element of a page, for failure messages.
func mainOf(body string) string {
	if m := mainRe.FindString(body); m != "" {
		return m
	}
	return body
}

func mustShow(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func mustHide(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("page shows %q", w)
		}
	}
}

// permitStaff creates the agents of the building-permit preset.
func permitStaff(t *testing.T, a *app.App) {
	for name, role := range map[string]string{"secc": "secc", "secu": "securite", "ocf": "ocf", "tech": "technicien-communal"} {
		kind := "consulted"
		if role == "secc" || role == "technicien-communal" {
			kind = "processing"
		}
		apptest.CreateStaff(t, a, name, "permis-construire", role, kind)
	}
}

// TestDossierPage walks a building permit through the dossier page: the
// consulted roles' access, circulation, transitions with and without a
// form, an opinion with a file, comments, and refused or invalid actions.
func TestDossierPage(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		clock := apptest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)) // a Monday
		a := apptest.New(t, db, apptest.Options{Now: clock.Now})
		base := apptest.Serve(t, a)
		permitStaff(t, a)
		id := submitPermit(t, base, "claude@example.ch", "cantonal")
		dossier := "/backoffice/dossiers/" + id
		secc, secu, ocf := agent(t, base, "secc"), agent(t, base, "secu"), agent(t, base, "ocf")

		body := page(t, secc, dossier, http.StatusOK)
		mustShow(t, body, "<h1>Dossier PC-", "Permis de construire", "Claude", "Rochat", "Montagny", "Agrandissement",
			"Reçu", "Demande déposée", "par l’API", `action="`+dossier+`/transitions/ouvrir"`,
			`name="mode" value="invite"`, `name="mode" value="activate"`, "Technicien SeCC")
		mustHide(t, body, `/transitions/accorder"`, "Votre préavis")

		t.Run("consulted roles see nothing before their invitation", func(t *testing.T) {
			page(t, ocf, dossier, http.StatusNotFound)
			done(t, secc, id, "/circulation", url.Values{"role": {"ocf"}, "mode": {"activate"}}, "Office cantonal du feu (OCF) activé, sans dates.")
			body := page(t, ocf, dossier, http.StatusNotFound) // pending: no access
			mustHide(t, body, "Rochat")
			if _, body := ocf.Get(dossier + "/files/any"); strings.Contains(body, "Rochat") {
				t.Error("a file route shows the dossier")
			}
			inbox := page(t, ocf, "/backoffice", http.StatusOK)
			mustHide(t, inbox, "PC-")
		})

		t.Run("circulation form errors", func(t *testing.T) {
			for _, tc := range []struct {
				vals url.Values
				want string
			}{
				{url.Values{"role": {"securite"}, "mode": {"invite"}, "due": {"31.02.2026"}}, "Saisissez une échéance valide"},
				{url.Values{"role": {"securite"}, "mode": {"invite"}, "due": {"2026-11-20"}}, "L’échéance doit être aujourd’hui ou plus tard."},
				{url.Values{"role": {"securite"}, "mode": {"activate"}, "due": {"2026-12-20"}}, "n’a pas d’échéance"},
				{url.Values{"mode": {"invite"}}, "Choisissez le service à solliciter."},
			} {
				body := post(t, secc, dossier+"/circulation", tc.vals, http.StatusUnprocessableEntity)
				mustShow(t, body, "<title>Erreur : ", `class="error-summary"`, tc.want, `aria-invalid="true"`)
				if d := tc.vals.Get("due"); d != "" {
					mustShow(t, body, `value="`+d+`"`)
				}
			}
			// Activating a role twice is refused by the runtime (403).
			body := post(t, secc, dossier+"/circulation", url.Values{"role": {"ocf"}, "mode": {"activate"}}, http.StatusForbidden)
			mustShow(t, body, `<a href="#circulation">L’action n’a pas pu être effectuée : ce service est déjà activé, sans dates, sur ce dossier</a>`)
		})

		t.Run("invited role opens the dossier and cannot act for others", func(t *testing.T) {
			body := done(t, secc, id, "/circulation", url.Values{"role": {"securite"}, "mode": {"invite"}, "due": {"04.12.2026"}},
				"Chargé de sécurité communal invité.")
			mustShow(t, body, "Chargé de sécurité communal invité, échéance le 04.12.2026")
			body = page(t, secu, dossier, http.StatusOK)
			mustShow(t, body, "Votre préavis : Chargé de sécurité communal", `id="opinion-securite-f-decision"`, `enctype="multipart/form-data"`)
			mustHide(t, body, `/transitions/`, `name="mode"`)
			body = post(t, secu, dossier+"/transitions/ouvrir", url.Values{}, http.StatusForbidden)
			mustShow(t, body, "L’action n’a pas pu être effectuée : votre rôle ne vous permet pas d’effectuer «\u00a0Ouvrir l&#39;instruction\u00a0»", `<a href="#main">`)
			// Refused before its form is read: 403, not a 422 for the empty form.
			post(t, secu, dossier+"/transitions/refuser", url.Values{}, http.StatusForbidden)
			post(t, secu, dossier+"/circulation", url.Values{"role": {"ocf"}, "mode": {"invite"}}, http.StatusForbidden)
			post(t, secc, dossier+"/opinions/securite", url.Values{"decision": {"favourable"}, "text": {"Pas mon rôle"}}, http.StatusForbidden)
			post(t, secc, dossier+"/opinions/nope", url.Values{}, http.StatusNotFound)
		})

		t.Run("transitions", func(t *testing.T) {
			body := done(t, secc, id, "/transitions/ouvrir", url.Values{}, "« Ouvrir l&#39;instruction » effectué.")
			mustShow(t, body, "Ouvrir l&#39;instruction (Reçu → En instruction)", "État communiqué au demandeur : En cours d&#39;examen",
				`action="`+dossier+`/transitions/refuser"`, `id="transition-refuser-f-motif"`)
			// Fired again from the wrong state: refused, in the agent's language.
			body = post(t, secc, dossier+"/transitions/ouvrir", url.Values{}, http.StatusForbidden)
			mustShow(t, body, "L’action n’a pas pu être effectuée : «\u00a0Ouvrir l&#39;instruction\u00a0» n’est pas possible depuis l’état «\u00a0En instruction\u00a0»")
			body = post(t, secc, dossier+"/transitions/ouvrir?lang=en", url.Values{}, http.StatusForbidden)
			mustShow(t, body, `<html lang="en">`, "The action could not be done: &#34;Ouvrir l&#39;instruction&#34; is not possible from the state &#34;En instruction&#34;")
			mustHide(t, body, "n’est pas possible")
			// The same refusal over the staff API, as problem details.
			for _, tc := range []struct{ lang, want string }{
				{"", `"Ouvrir l'instruction" is not possible from the state "En instruction"`}, // the cookie of the page
				{"en", `"Ouvrir l'instruction" is not possible from the state "En instruction"`},
				{"fr", "«\u00a0Ouvrir l'instruction\u00a0» n’est pas possible depuis l’état «\u00a0En instruction\u00a0»"}, // French again from now on
			} {
				path := "/api/staff/dossiers/" + id + "/transitions/ouvrir"
				if tc.lang != "" {
					path += "?lang=" + tc.lang
				}
				st, body := secc.JSON(http.MethodPost, path, nil)
				var p struct {
					Status int    `json:"status"`
					Detail string `json:"detail"`
				}
				if err := json.Unmarshal([]byte(body), &p); err != nil || st != http.StatusForbidden || p.Status != st || p.Detail != tc.want {
					t.Errorf("API refusal (lang %q): %d %s, want 403 with detail %q", tc.lang, st, body, tc.want)
				}
			}
			// A client's Accept-Language wins over the page cookie (French now).
			resp, raw := secc.RawJSON(http.MethodPost, "/api/staff/dossiers/"+id+"/transitions/ouvrir", nil, "Accept-Language", "en-GB,en;q=0.9")
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(raw, `is not possible from the state`) {
				t.Errorf("API refusal with Accept-Language en: %d %s", resp.StatusCode, raw)
			}
			// The refusal's form, sent empty then too short.
			body = post(t, secc, dossier+"/transitions/refuser", url.Values{}, http.StatusUnprocessableEntity)
			mustShow(t, body, "<title>Erreur : ", `<a href="#transition-refuser-f-motif">`, `id="transition-refuser-f-motif-error"`)
			body = post(t, secc, dossier+"/transitions/refuser", url.Values{"motif": {"Non"}}, http.StatusUnprocessableEntity)
			mustShow(t, body, `aria-invalid="true">Non</textarea>`)
		})

		t.Run("opinion with a file, kept across an error", func(t *testing.T) {
			resp, body := secu.PostMultipart(dossier+"/opinions/securite", url.Values{"decision": {"favourable_with_conditions"}},
				apptest.Upload{Field: "attachment", Name: "rapport.pdf", ContentType: "application/pdf", Content: pdf})
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("opinion without text: %d\n%s", resp.StatusCode, mainOf(body))
			}
			mustShow(t, body, `<a href="#opinion-securite-f-text">`, `value="favourable_with_conditions" checked`)
			fileID := regexp.MustCompile(`<input type="hidden" name="attachment" value="([^"]+)">`).FindStringSubmatch(body)
			if fileID == nil {
				t.Fatalf("the uploaded file is not kept in the page:\n%s", mainOf(body))
			}
			resp, body = secu.PostMultipart(dossier+"/opinions/securite", url.Values{"decision": {"favourable_with_conditions"},
				"text": {"Issues de secours à élargir."}, "attachment": {fileID[1]}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("opinion: %d\n%s", resp.StatusCode, mainOf(body))
			}
			// The rule invites the OCF, which now reads the opinion.
			body = page(t, ocf, dossier, http.StatusOK)
			mustShow(t, body, "Chargé de sécurité communal : Favorable avec conditions", "Issues de secours à élargir.",
				">rapport.pdf</a>", "Votre préavis : Office cantonal du feu (OCF)", "Office cantonal du feu (OCF) invité, échéance le 08.12.2026")
			link := regexp.MustCompile(`<a href="(/backoffice/dossiers/[^"]+/files/[^"]+)">rapport.pdf</a>`).FindStringSubmatch(body)
			if link == nil {
				t.Fatal("no link to the opinion's file")
			}
			resp, content := ocf.Get(link[1])
			if resp.StatusCode != http.StatusOK || content != string(pdf) || !strings.Contains(resp.Header.Get("Content-Disposition"), "rapport.pdf") {
				t.Errorf("download: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Disposition"), content)
			}
			body = page(t, secc, dossier, http.StatusOK)
			mustShow(t, body, "Préavis rendu – Chargé de sécurité communal : Favorable avec conditions", "Rendu le 23.11.2026 à 10:00 par secu")
			// A returned opinion cannot be returned again.
			body = post(t, secu, dossier+"/opinions/securite", url.Values{"decision": {"favourable"}, "text": {"Encore"}}, http.StatusForbidden)
			mustShow(t, body, "L’action n’a pas pu être effectuée : le service «\u00a0Chargé de sécurité communal\u00a0» a déjà rendu son préavis sur ce dossier")
		})

		t.Run("comments", func(t *testing.T) {
			body := post(t, ocf, dossier+"/comments", url.Values{"text": {"  "}}, http.StatusUnprocessableEntity)
			mustShow(t, body, `<a href="#comment-text">Saisissez un commentaire.</a>`)
			body = done(t, ocf, id, "/comments", url.Values{"text": {"Plans d’évacuation à joindre."}}, "Commentaire ajouté.")
			mustShow(t, body, "Commentaire interne", "Plans d’évacuation à joindre.", " · ocf</p>")
		})

		t.Run("CSRF token missing or forged", func(t *testing.T) {
			for _, token := range []string{"", "forged"} {
				vals := url.Values{"text": {"x"}, "_csrf": {token}}
				if token == "" {
					// PostForm adds the page's token when none is given.
					req, _ := http.NewRequest(http.MethodPost, base+dossier+"/comments", strings.NewReader("text=x"))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					if resp, _ := secc.Do(req); resp.StatusCode != http.StatusForbidden {
						t.Errorf("no token: %d, want 403", resp.StatusCode)
					}
					continue
				}
				post(t, secc, dossier+"/comments", vals, http.StatusForbidden)
			}
		})

		t.Run("closing", func(t *testing.T) {
			body := done(t, secc, id, "/transitions/refuser", url.Values{"motif": {"Hors de la zone à bâtir."}}, "« Refuser le permis » effectué.")
			mustShow(t, body, "Refuser le permis (En instruction → Permis refusé)", "Motif du refus", "Hors de la zone à bâtir.", "Clos le")
			mustHide(t, body, `/transitions/`, `name="mode"`)
		})
	})
}
