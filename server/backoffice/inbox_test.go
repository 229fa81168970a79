package backoffice_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
)

// submitPermitAs submits a building permit over the public API and
// returns its ID and reference.
func submitPermitAs(t *testing.T, base, lastName, competence string) (id, ref string) {
	t.Helper()
	c := apptest.NewClient(t, base)
	st, body := c.JSON(http.MethodPost, "/api/v1/procedures/permis-construire/dossiers", map[string]any{
		"first_name": "Alex", "last_name": lastName, "email": strings.ToLower(lastName) + "@example.ch",
		"parcel":  map[string]any{"commune": "Montagny", "number": "42"},
		"project": "Construction d'un couvert à vélos", "competence": competence,
	})
	if st != http.StatusCreated {
		t.Fatalf("submit: %d %s", st, body)
	}
	var out struct{ ID, Reference string }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out.ID, out.Reference
}

var rowRe = regexp.MustCompile(`<th scope="row"><a class="reference" href="[^"]+">([^<]+)</a></th>`)

// inboxRefs returns the references listed on an inbox page.
func inboxRefs(body string) []string {
	var out []string
	for _, m := range rowRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestInbox(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		clock := apptest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
		a := apptest.New(t, db, apptest.Options{Now: clock.Now})
		base := apptest.Serve(t, a)
		permitStaff(t, a)
		id1, ref1 := submitPermitAs(t, base, "Rochat", "cantonal")
		id2, ref2 := submitPermitAs(t, base, "Favre", "communal")
		_, ref3 := submitPermitAs(t, base, "Rochat-Favre", "cantonal")
		secc, secu := agent(t, base, "secc"), agent(t, base, "secu")

		tests := []struct {
			name  string
			query string
			want  []string
		}{
			{"all, newest first", "", []string{ref3, ref2, ref1}},
			{"search by name", "?q=favre", []string{ref3, ref2}},
			{"search by reference", "?q=" + url.QueryEscape(strings.ToLower(ref1)), []string{ref1}},
			{"procedure", "?procedure=permis-construire", []string{ref3, ref2, ref1}},
			{"procedure the agent does not see", "?procedure=reservation-salle", nil},
			{"state", "?state=recu", []string{ref3, ref2, ref1}},
			{"other state", "?state=instruction", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				body := page(t, secc, "/backoffice"+tt.query, http.StatusOK)
				if got := inboxRefs(body); strings.Join(got, " ") != strings.Join(tt.want, " ") {
					t.Errorf("inbox%s lists %v, want %v", tt.query, got, tt.want)
				}
				mustShow(t, body, fmt.Sprintf("<p class=\"results-count\">%d dossier", len(tt.want)))
			})
		}

		// The security officer is invited on the second dossier, with the
		// role's delay (10 working days).
		done(t, secc, id2, "/circulation", url.Values{"role": {"securite"}, "mode": {"invite"}}, "Chargé de sécurité communal invité.")
		done(t, secc, id1, "/transitions/ouvrir", url.Values{}, "« Ouvrir l&#39;instruction » effectué.")

		body := page(t, secc, "/backoffice", http.StatusOK)
		mustShow(t, body, "Chargé de sécurité communal : invité jusqu’au 07.12.2026", "En instruction",
			`aria-current="page">Tous <span class="tabs__count">(3)</span>`, `En retard <span class="tabs__count">(0)</span>`)
		if got := inboxRefs(page(t, secc, "/backoffice?state=instruction", http.StatusOK)); len(got) != 1 || got[0] != ref1 {
			t.Errorf("state=instruction lists %v, want [%s]", got, ref1)
		}

		body = page(t, secu, "/backoffice", http.StatusOK)
		if got := inboxRefs(body); len(got) != 1 || got[0] != ref2 {
			t.Errorf("the security officer's inbox lists %v, want only %s", got, ref2)
		}
		mustShow(t, body, `Mes invitations en attente de préavis <span class="tabs__count">(1)</span>`)
		body = page(t, secu, "/backoffice?pending=1", http.StatusOK)
		mustShow(t, body, `aria-current="page">Mes invitations en attente de préavis`, `<input type="hidden" name="pending" value="1">`)
		if got := inboxRefs(body); len(got) != 1 {
			t.Errorf("pending tab lists %v", got)
		}

		// Past the deadline, the dossier is overdue.
		clock.Advance(20 * 24 * time.Hour)
		body = page(t, secc, "/backoffice?overdue=1", http.StatusOK)
		if got := inboxRefs(body); len(got) != 1 || got[0] != ref2 {
			t.Errorf("overdue tab lists %v, want [%s]", got, ref2)
		}
		mustShow(t, body, `class="tag tag--red">Chargé de sécurité communal : en retard</strong>`, `En retard <span class="tabs__count">(1)</span>`)

		// In English.
		body = page(t, secc, "/backoffice?lang=en", http.StatusOK)
		mustShow(t, body, `<html lang="en">`, "My invitations awaiting an opinion", "3 dossiers", "Reference")
		page(t, secc, "/backoffice?lang=fr", http.StatusOK) // the choice is remembered: back to French

		t.Run("pagination", func(t *testing.T) {
			for i := range 24 {
				submitPermitAs(t, base, fmt.Sprintf("Demandeur%02d", i), "cantonal")
			}
			body := page(t, secc, "/backoffice?procedure=permis-construire", http.StatusOK)
			if n := len(inboxRefs(body)); n != 25 {
				t.Errorf("page 1 lists %d dossiers, want 25", n)
			}
			mustShow(t, body, "27 dossiers", "Page 1 sur 2", `href="/backoffice?page=2&amp;procedure=permis-construire" rel="next"`)
			body = page(t, secc, "/backoffice?page=2&procedure=permis-construire", http.StatusOK)
			if got := inboxRefs(body); len(got) != 2 || got[1] != ref1 {
				t.Errorf("page 2 lists %v, want 2 ending with %s", got, ref1)
			}
			mustShow(t, body, `rel="prev"`)
			mustHide(t, body, `rel="next"`)
		})
	})
}
