package backoffice_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
)

// staff are the agents of the building-permit preset, one per role.
type staff struct {
	secc, tech, secu, ocf *apptest.Client
}

type invitationJSON struct {
	Status    string     `json:"status"`
	InvitedAt *time.Time `json:"invited_at"`
	DueAt     *time.Time `json:"due_at"`
}

type dossierJSON struct {
	ID          string                     `json:"id"`
	Reference   string                     `json:"reference"`
	State       string                     `json:"state"`
	Invitations map[string]*invitationJSON `json:"invitations"`
	Opinions    []struct {
		RoleID   string `json:"role_id"`
		Decision string `json:"decision"`
	} `json:"opinions"`
}

// circulationCase is one row of DOMAIN.md's table.
type circulationCase struct {
	name       string
	competence string
	// start is what the agents do before the security officer returns its
	// opinion.
	start func(t *testing.T, s staff, id string)
	// ocfBefore and ocfAfter are the OCF's invitation status ("" when not
	// activated) before and after the security officer's opinion.
	ocfBefore, ocfAfter string
	// ocfMailsBefore and ocfMailsAfter count invitations sent to the OCF.
	ocfMailsBefore, ocfMailsAfter int
}

func circulate(t *testing.T, c *apptest.Client, id, role string, invite bool) {
	t.Helper()
	status, body := c.JSON(http.MethodPost, "/api/staff/dossiers/"+id+"/circulation",
		map[string]any{"role": role, "invite": invite})
	if status != http.StatusOK {
		t.Fatalf("circulate %s (invite=%v): %d %s", role, invite, status, body)
	}
}

// TestCirculation runs the five cases of DOMAIN.md through the HTTP layer,
// on SQLite and PostgreSQL: which messages go to whom, the OCF's invitation
// status and dates before and after the security officer returns its
// opinion, and whether the OCF can open the dossier and read that opinion.
func TestCirculation(t *testing.T) {
	cases := []circulationCase{
		{
			name: "cantonal 1", competence: "cantonal",
			start: func(t *testing.T, s staff, id string) {
				circulate(t, s.secc, id, "securite", true)
				circulate(t, s.secc, id, "ocf", false)
			},
			ocfBefore: "pending", ocfAfter: "invited", ocfMailsBefore: 0, ocfMailsAfter: 1,
		},
		{
			name: "cantonal 2", competence: "cantonal",
			start: func(t *testing.T, s staff, id string) {
				circulate(t, s.secc, id, "securite", true)
				circulate(t, s.secc, id, "ocf", true)
			},
			ocfBefore: "invited", ocfAfter: "invited", ocfMailsBefore: 1, ocfMailsAfter: 2,
		},
		{
			name: "communal 1", competence: "communal",
			start: func(t *testing.T, s staff, id string) {
				circulate(t, s.tech, id, "securite", true)
			},
			ocfBefore: "", ocfAfter: "", ocfMailsBefore: 0, ocfMailsAfter: 0,
		},
		{
			name: "communal 2", competence: "communal",
			start: func(t *testing.T, s staff, id string) {
				circulate(t, s.tech, id, "securite", true)
				circulate(t, s.tech, id, "secc", true)
				circulate(t, s.secc, id, "ocf", false)
			},
			ocfBefore: "pending", ocfAfter: "invited", ocfMailsBefore: 0, ocfMailsAfter: 1,
		},
		{
			name: "communal 3", competence: "communal",
			start: func(t *testing.T, s staff, id string) {
				circulate(t, s.tech, id, "securite", true)
				circulate(t, s.tech, id, "secc", true)
				circulate(t, s.secc, id, "ocf", true)
			},
			ocfBefore: "invited", ocfAfter: "invited", ocfMailsBefore: 1, ocfMailsAfter: 2,
		},
	}
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		for i, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				// A fresh instance per case: its own mailbox and clock.
				clock := apptest.NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)) // a Monday
				a := apptest.New(t, db.Fresh(t), apptest.Options{Now: clock.Now})
				base := apptest.Serve(t, a)
				apptest.CreateStaff(t, a, "secc", "permis-construire", "secc", "processing")
				apptest.CreateStaff(t, a, "tech", "permis-construire", "technicien-communal", "processing")
				apptest.CreateStaff(t, a, "secu", "permis-construire", "securite", "consulted")
				apptest.CreateStaff(t, a, "ocf", "permis-construire", "ocf", "consulted")
				s := staff{}
				for name, c := range map[string]**apptest.Client{"secc": &s.secc, "tech": &s.tech, "secu": &s.secu, "ocf": &s.ocf} {
					*c = apptest.NewClient(t, base)
					(*c).StaffLogin(name+"@test.local", "password-"+name)
				}
				runCirculationCase(t, a, clock, base, s, tc, i)
			})
		}
	})
}

func runCirculationCase(t *testing.T, a *app.App, clock *apptest.Clock, base string, s staff, tc circulationCase, i int) {
	applicant := fmt.Sprintf("demandeur%d@example.ch", i)
	id := submitPermit(t, base, applicant, tc.competence)
	mails := func(who string) int { apptest.WaitJobs(t, a); return len(apptest.MailTo(t, a, who)) }
	ocfView := func() (int, *dossierJSON) {
		status, body := s.ocf.JSON(http.MethodGet, "/api/staff/dossiers/"+id, nil)
		if status != http.StatusOK {
			return status, nil
		}
		var d dossierJSON
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		return status, &d
	}
	secuView := func() *dossierJSON {
		status, body := s.secu.JSON(http.MethodGet, "/api/staff/dossiers/"+id, nil)
		if status != http.StatusOK {
			t.Fatalf("security officer cannot open the dossier it is invited on: %d %s", status, body)
		}
		var d dossierJSON
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		return &d
	}

	// Before anyone acts, the consulted roles cannot open the dossier.
	if status, _ := ocfView(); status != http.StatusNotFound {
		t.Fatalf("OCF opens a dossier it was not invited on: %d, want 404", status)
	}
	tc.start(t, s, id)

	// Before the security officer's opinion.
	if got := mails("secu@test.local"); got != 1 {
		t.Errorf("security officer got %d invitations, want 1", got)
	}
	if got := mails("ocf@test.local"); got != tc.ocfMailsBefore {
		t.Errorf("before: OCF got %d messages, want %d", got, tc.ocfMailsBefore)
	}
	inv := secuView().Invitations["ocf"]
	if got := statusOf(inv); got != tc.ocfBefore {
		t.Fatalf("before: OCF invitation %q, want %q", got, tc.ocfBefore)
	}
	if tc.ocfBefore == "pending" && (inv.InvitedAt != nil || inv.DueAt != nil) {
		t.Errorf("pending OCF has dates: %v %v", inv.InvitedAt, inv.DueAt)
	}
	status, view := ocfView()
	wantStatus := http.StatusNotFound
	if tc.ocfBefore == "invited" {
		wantStatus = http.StatusOK
	}
	if status != wantStatus {
		t.Fatalf("before: OCF opens the dossier: %d, want %d", status, wantStatus)
	}
	if view != nil && len(view.Opinions) != 0 {
		t.Errorf("before: OCF sees opinions %+v before any is returned", view.Opinions)
	}
	// A file download obeys the same rule as the page.
	if tc.ocfBefore != "invited" {
		if st, _ := s.ocf.JSON(http.MethodGet, "/api/staff/dossiers/"+id+"/files/any", nil); st != http.StatusNotFound {
			t.Errorf("before: OCF file download: %d, want 404", st)
		}
	}

	// The security officer returns its opinion a day later.
	clock.Advance(24 * time.Hour)
	st, body := s.secu.JSON(http.MethodPost, "/api/staff/dossiers/"+id+"/opinions/securite",
		map[string]any{"data": map[string]any{"decision": "favourable_with_conditions", "text": "Issues de secours à élargir."}})
	if st != http.StatusOK {
		t.Fatalf("return opinion: %d %s", st, body)
	}

	// After.
	if got := mails("ocf@test.local"); got != tc.ocfMailsAfter {
		t.Errorf("after: OCF got %d messages, want %d", got, tc.ocfMailsAfter)
	}
	if got := mails("secu@test.local"); got != 1 {
		t.Errorf("after: security officer got %d messages, want 1", got)
	}
	after := secuView().Invitations["ocf"]
	if got := statusOf(after); got != tc.ocfAfter {
		t.Fatalf("after: OCF invitation %q, want %q", got, tc.ocfAfter)
	}
	if tc.ocfAfter == "invited" {
		now := clock.Now()
		if after.InvitedAt == nil || !after.InvitedAt.Equal(now) {
			t.Errorf("after: OCF invited at %v, want the opinion's time %v (dates replaced)", after.InvitedAt, now)
		}
		wantDue := time.Date(2026, 12, 9, 23, 59, 59, 0, time.FixedZone("CET", 3600)) // 24.11 + 15 days
		if after.DueAt == nil || !after.DueAt.Equal(wantDue) {
			t.Errorf("after: OCF due %v, want %v", after.DueAt, wantDue)
		}
		if tc.ocfBefore == "invited" && inv.InvitedAt != nil && inv.InvitedAt.Equal(*after.InvitedAt) {
			t.Errorf("after: OCF invitation date kept (%v), want it replaced", inv.InvitedAt)
		}
	}
	status, view = ocfView()
	if tc.ocfAfter == "invited" {
		if status != http.StatusOK {
			t.Fatalf("after: OCF cannot open the dossier: %d", status)
		}
		if len(view.Opinions) != 1 || view.Opinions[0].RoleID != "securite" || view.Opinions[0].Decision != "favourable_with_conditions" {
			t.Errorf("after: OCF sees opinions %+v, want the security officer's", view.Opinions)
		}
	} else if status != http.StatusNotFound {
		t.Errorf("after: OCF opens a dossier it is not invited on: %d, want 404", status)
	}
	// The applicant got the acknowledgement only.
	if got := mails(applicant); got != 1 {
		t.Errorf("applicant got %d messages, want 1 (the acknowledgement)", got)
	}
}

func statusOf(i *invitationJSON) string {
	if i == nil {
		return ""
	}
	return i.Status
}

// submitPermit submits a building-permit request over the public API and
// returns the dossier ID.
func submitPermit(t *testing.T, base, email, competence string) string {
	t.Helper()
	c := apptest.NewClient(t, base)
	st, body := c.JSON(http.MethodPost, "/api/v1/procedures/permis-construire/dossiers", map[string]any{
		"first_name": "Claude", "last_name": "Rochat", "email": email,
		"parcel":  map[string]any{"commune": "Montagny", "number": "1234"},
		"project": "Agrandissement d'une salle de spectacle", "competence": competence,
	})
	if st != http.StatusCreated {
		t.Fatalf("submit: %d %s", st, body)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out.ID
}
