package runtime_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/auth"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// staffView is the part of the staff JSON API's dossier that these tests
// read.
type staffView struct {
	ID          string `json:"id"`
	Version     int    `json:"version"`
	State       string `json:"state"`
	Invitations map[string]struct {
		Status string `json:"status"`
	} `json:"invitations"`
	Opinions []struct {
		RoleID string `json:"role_id"`
	} `json:"opinions"`
	Actions map[string][]string `json:"actions"`
}

// staffInbox is the staff JSON API's inbox.
type staffInbox struct {
	Dossiers []struct {
		ID string `json:"id"`
	} `json:"dossiers"`
	Total  int                 `json:"total"`
	Counts runtime.InboxCounts `json:"counts"`
}

// permitApp is an app with the building-permit preset's staff signed in
// to the staff JSON API, one client per role.
type permitApp struct {
	a       *app.App
	base    string
	clock   *apptest.Clock
	clients map[string]*apptest.Client
}

// newPermitApp creates the staff of the permit preset (secc, tech, secu,
// ocf) and signs each in.
func newPermitApp(t *testing.T, db apptest.DB) *permitApp {
	t.Helper()
	clock := apptest.NewClock(monday)
	a := newPipelineApp(t, db, clock)
	p := &permitApp{a: a, base: apptest.Serve(t, a), clock: clock, clients: map[string]*apptest.Client{}}
	for _, s := range []struct{ name, role, kind string }{
		{"secc", "secc", "processing"}, {"tech", "technicien-communal", "processing"},
		{"secu", "securite", "consulted"}, {"ocf", "ocf", "consulted"},
	} {
		apptest.CreateStaff(t, a, s.name, "permis-construire", s.role, s.kind)
		p.login(t, s.name)
	}
	return p
}

func (p *permitApp) login(t *testing.T, name string) *apptest.Client {
	t.Helper()
	c := apptest.NewClient(t, p.base)
	c.StaffLogin(name+"@test.local", "password-"+name)
	p.clients[name] = c
	return c
}

// submit submits a building-permit request and returns the dossier ID.
func (p *permitApp) submit(t *testing.T, competence string) string {
	t.Helper()
	c, err := p.a.Engine.Published(context.Background(), "permis-construire")
	if err != nil {
		t.Fatal(err)
	}
	return submitTo(t, p.a, c, `{"first_name": "Claude", "last_name": "Rochat", "email": "claude@example.ch",
		"parcel": {"commune": "Montagny", "number": "1234"}, "project": "Agrandissement d'une grange", "competence": "`+competence+`"}`)
}

// view opens a dossier as name: the status, and the dossier when 200.
func (p *permitApp) view(t *testing.T, name, id string) (int, *staffView) {
	t.Helper()
	status, body := p.clients[name].JSON(http.MethodGet, "/api/staff/dossiers/"+id, nil)
	if status != http.StatusOK {
		return status, nil
	}
	var v staffView
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	return status, &v
}

// post sends a staff action and fails unless it is accepted.
func (p *permitApp) post(t *testing.T, name, path string, body any) {
	t.Helper()
	if status, out := p.clients[name].JSON(http.MethodPost, path, body); status != http.StatusOK {
		t.Fatalf("%s POST %s: %d %s", name, path, status, out)
	}
}

func (p *permitApp) inbox(t *testing.T, name, query string) staffInbox {
	t.Helper()
	status, body := p.clients[name].JSON(http.MethodGet, "/api/staff/dossiers"+query, nil)
	if status != http.StatusOK {
		t.Fatalf("%s inbox: %d %s", name, status, body)
	}
	var in staffInbox
	if err := json.Unmarshal([]byte(body), &in); err != nil {
		t.Fatal(err)
	}
	return in
}

func opinionRoles(v *staffView) []string {
	var out []string
	for _, o := range v.Opinions {
		out = append(out, o.RoleID)
	}
	slices.Sort(out)
	return out
}

// TestConsultedRoleAccess follows the OCF through its statuses on one
// dossier: not activated and pending give 404 (page, file, inbox), invited
// 200, returned still 200.
func TestConsultedRoleAccess(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		p := newPermitApp(t, db)
		id := p.submit(t, "cantonal")
		other := p.submit(t, "cantonal") // never circulated
		dossiers := "/api/staff/dossiers/"

		wantAccess := func(step string, want int, inInbox bool) {
			t.Helper()
			if status, _ := p.view(t, "ocf", id); status != want {
				t.Errorf("%s: OCF opens the dossier: %d, want %d", step, status, want)
			}
			if want == http.StatusNotFound {
				if status, _ := p.clients["ocf"].JSON(http.MethodGet, dossiers+id+"/files/x", nil); status != http.StatusNotFound {
					t.Errorf("%s: OCF file download: %d, want 404", step, status)
				}
				if status, _ := p.clients["ocf"].JSON(http.MethodPost, dossiers+id+"/comments", map[string]any{"text": "?"}); status != http.StatusNotFound {
					t.Errorf("%s: OCF comments: %d, want 404", step, status)
				}
			}
			in := p.inbox(t, "ocf", "")
			var ids []string
			for _, d := range in.Dossiers {
				ids = append(ids, d.ID)
			}
			if slices.Contains(ids, id) != inInbox || slices.Contains(ids, other) || in.Counts.All != len(ids) {
				t.Errorf("%s: OCF inbox %v (counts %+v), want the dossier: %v", step, ids, in.Counts, inInbox)
			}
			if status, _ := p.view(t, "ocf", other); status != http.StatusNotFound {
				t.Errorf("%s: OCF opens a dossier it was never activated on: %d", step, status)
			}
		}

		wantAccess("not activated", http.StatusNotFound, false)
		p.post(t, "secc", dossiers+id+"/circulation", map[string]any{"role": "securite", "invite": true})
		p.post(t, "secc", dossiers+id+"/circulation", map[string]any{"role": "ocf", "invite": false})
		wantAccess("pending", http.StatusNotFound, false)

		p.post(t, "secc", dossiers+id+"/circulation", map[string]any{"role": "ocf", "invite": true})
		wantAccess("invited", http.StatusOK, true)
		if in := p.inbox(t, "ocf", "?pending=1"); in.Total != 1 || in.Counts.Pending != 1 {
			t.Errorf("invited: OCF pending inbox total %d, counts %+v, want 1", in.Total, in.Counts)
		}

		p.post(t, "ocf", dossiers+id+"/opinions/ocf", map[string]any{"data": map[string]any{"decision": "favourable", "text": "Rien à signaler."}})
		wantAccess("returned", http.StatusOK, true)
		if in := p.inbox(t, "ocf", "?pending=1"); in.Total != 0 || in.Counts.Pending != 0 {
			t.Errorf("returned: OCF pending inbox total %d, counts %+v, want 0", in.Total, in.Counts)
		}
		_, v := p.view(t, "ocf", id)
		if len(v.Actions["opinion"]) != 0 {
			t.Errorf("returned: OCF may still return an opinion: %v", v.Actions)
		}
	})
}

// TestOpinionVisibility has the security officer and the OCF both return
// their opinions: each role reads those its seesOpinionsOf allows (its
// own always), the processing roles read all.
func TestOpinionVisibility(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		p := newPermitApp(t, db)
		id := p.submit(t, "cantonal")
		dossiers := "/api/staff/dossiers/"
		p.post(t, "secc", dossiers+id+"/circulation", map[string]any{"role": "securite", "invite": true})
		p.post(t, "secc", dossiers+id+"/circulation", map[string]any{"role": "ocf", "invite": true})

		// Nothing returned: nobody reads an opinion.
		for _, who := range []string{"secc", "secu", "ocf"} {
			if _, v := p.view(t, who, id); len(v.Opinions) != 0 {
				t.Errorf("%s reads opinions %v before any is returned", who, opinionRoles(v))
			}
		}
		// The OCF returns first: the security officer (seesOpinionsOf
		// none) does not read it.
		p.post(t, "ocf", dossiers+id+"/opinions/ocf", map[string]any{"data": map[string]any{"decision": "unfavourable", "text": "Issues insuffisantes."}})
		want := map[string][]string{"secc": {"ocf"}, "tech": {"ocf"}, "secu": nil, "ocf": {"ocf"}}
		for who, roles := range want {
			status, v := p.view(t, who, id)
			if who == "tech" { // a processing role of the procedure sees every dossier
				if status != http.StatusOK {
					t.Fatalf("tech: %d", status)
				}
			}
			if got := opinionRoles(v); !slices.Equal(got, roles) {
				t.Errorf("after the OCF: %s reads %v, want %v", who, got, roles)
			}
		}
		// The security officer returns: the OCF (seesOpinionsOf securite)
		// reads it; the security officer still reads only its own. The
		// preset's rule leaves the OCF alone: it has returned already.
		p.clock.Advance(time.Hour)
		p.post(t, "secu", dossiers+id+"/opinions/securite", map[string]any{"data": map[string]any{"decision": "favourable", "text": "Conforme."}})
		want = map[string][]string{"secc": {"ocf", "securite"}, "tech": {"ocf", "securite"}, "secu": {"securite"}, "ocf": {"ocf", "securite"}}
		for who, roles := range want {
			_, v := p.view(t, who, id)
			if got := opinionRoles(v); !slices.Equal(got, roles) {
				t.Errorf("after the security officer: %s reads %v, want %v", who, got, roles)
			}
		}
		if _, v := p.view(t, "secu", id); v.Invitations["ocf"].Status != store.InvitationReturned {
			t.Errorf("OCF invitation %q after the security officer's opinion, want still returned", v.Invitations["ocf"].Status)
		}
	})
}

// TestStaffWithoutAccess checks two staff members who must see nothing of
// the building permits: a processing agent of another procedure, and a
// user with no role at all.
func TestStaffWithoutAccess(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		p := newPermitApp(t, db)
		ctx := context.Background()
		id := p.submit(t, "communal")
		p.post(t, "tech", "/api/staff/dossiers/"+id+"/circulation", map[string]any{"role": "securite", "invite": true})

		// An agent processing room bookings, with a booking of their own.
		apptest.CreateStaff(t, p.a, "salles", "reservation-salle", "agent", "processing")
		booking, err := p.a.Engine.Published(ctx, "reservation-salle")
		if err != nil {
			t.Fatal(err)
		}
		own := submitTo(t, p.a, booking, `{"first_name": "Marie", "last_name": "Dupont", "email": "marie.dupont@example.ch",
			"address": {"street": "Rue du Lac 1", "postcode": "1000", "city": "Lausanne"},
			"room": "salle-communale", "event_date": "2026-06-20", "attendees": 50, "consent": true}`)
		p.login(t, "salles")
		if status, _ := p.view(t, "salles", id); status != http.StatusNotFound {
			t.Errorf("agent of another procedure opens a building permit: %d, want 404", status)
		}
		for _, path := range []string{"transitions/ouvrir", "circulation", "opinions/securite", "comments"} {
			if status, _ := p.clients["salles"].JSON(http.MethodPost, "/api/staff/dossiers/"+id+"/"+path,
				map[string]any{"role": "ocf", "invite": true, "text": "x", "data": map[string]any{"decision": "favourable", "text": "x"}}); status != http.StatusNotFound {
				t.Errorf("agent of another procedure POST %s: %d, want 404", path, status)
			}
		}
		in := p.inbox(t, "salles", "")
		if in.Total != 1 || len(in.Dossiers) != 1 || in.Dossiers[0].ID != own || in.Counts.All != 1 {
			t.Errorf("agent of another procedure: inbox %+v, want their booking only", in)
		}
		if in := p.inbox(t, "salles", "?procedure="+booking.ProcedureID); in.Total != 1 {
			t.Errorf("agent of another procedure, filtered: total %d, want 1", in.Total)
		}

		// A staff user in no group.
		hash, err := auth.HashPassword("password-nobody")
		if err != nil {
			t.Fatal(err)
		}
		u := &store.User{ID: store.NewID(), Email: "nobody@test.local", Name: "nobody", PasswordHash: hash, CreatedAt: time.Now().UTC()}
		if err := store.InsertUser(ctx, p.a.DB.Write, u); err != nil {
			t.Fatal(err)
		}
		p.login(t, "nobody")
		in = p.inbox(t, "nobody", "")
		if len(in.Dossiers) != 0 || in.Total != 0 || in.Counts != (runtime.InboxCounts{}) {
			t.Errorf("user without a role: inbox %+v, want empty", in)
		}
		for _, q := range []string{"?pending=1", "?overdue=1", "?q=PC", "?procedure=" + booking.ProcedureID} {
			if in := p.inbox(t, "nobody", q); in.Total != 0 || len(in.Dossiers) != 0 {
				t.Errorf("user without a role: inbox%s %+v, want empty", q, in)
			}
		}
		for _, d := range []string{id, own} {
			if status, _ := p.view(t, "nobody", d); status != http.StatusNotFound {
				t.Errorf("user without a role opens %s: %d, want 404", d, status)
			}
		}
		act, err := p.a.Engine.ActorFor(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if in, err := p.a.Engine.Inbox(ctx, act, runtime.InboxFilter{}); err != nil || in.Total != 0 || len(in.Dossiers) != 0 {
			t.Errorf("Engine.Inbox for a user without a role = %+v, %v; want empty", in, err)
		}
	})
}

// TestNewVersionKeepsDossiersOnTheirVersion publishes a v2 of the
// building permit that renames a transition and rewords a message: v1
// dossiers keep v1's transitions and messages, new dossiers take v2's.
func TestNewVersionKeepsDossiersOnTheirVersion(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		p := newPermitApp(t, db)
		ctx := context.Background()
		v1 := p.submit(t, "cantonal")

		def, err := builder.Preset("permis-construire")
		if err != nil {
			t.Fatal(err)
		}
		pl := def.Scenarios[1].Pipeline
		pl.Transitions[0].ID = "instruire" // was "ouvrir"
		pl.Transitions = append(pl.Transitions, builder.Transition{ID: "classer", Label: "Classer sans suite",
			From: []string{"recu"}, To: "refuse", Roles: []string{"secc"}})
		pl.Messages[0].Subject = "v2 : demande {{.Reference}} en examen"
		if _, err := p.a.Engine.PublishDefinition(ctx, def, nil); err != nil {
			t.Fatal(err)
		}
		v2 := p.submit(t, "cantonal")

		for _, tc := range []struct {
			id          string
			version     int
			transitions []string
		}{{v1, 1, []string{"ouvrir"}}, {v2, 2, []string{"instruire", "classer"}}} {
			status, v := p.view(t, "secc", tc.id)
			if status != http.StatusOK || v.Version != tc.version || !slices.Equal(v.Actions["transitions"], tc.transitions) {
				t.Fatalf("dossier on v%d: %d, %+v; want transitions %v", tc.version, status, v, tc.transitions)
			}
		}
		for _, tc := range []struct{ id, transition string }{{v1, "instruire"}, {v1, "classer"}, {v2, "ouvrir"}} {
			if status, body := p.clients["secc"].JSON(http.MethodPost, "/api/staff/dossiers/"+tc.id+"/transitions/"+tc.transition, nil); status != http.StatusForbidden {
				t.Errorf("fire %s on the other version's dossier: %d %s, want 403", tc.transition, status, body)
			}
		}
		p.post(t, "secc", "/api/staff/dossiers/"+v1+"/transitions/ouvrir", nil)
		p.post(t, "secc", "/api/staff/dossiers/"+v2+"/transitions/instruire", nil)
		for _, id := range []string{v1, v2} {
			if _, v := p.view(t, "secc", id); v.State != "instruction" {
				t.Errorf("dossier %s in %q, want instruction", id, v.State)
			}
		}
		apptest.WaitJobs(t, p.a)
		var subjects []string
		for _, m := range apptest.MailTo(t, p.a, "claude@example.ch") {
			if !strings.Contains(m, "reçue") { // not the acknowledgements
				subjects = append(subjects, m)
			}
		}
		slices.Sort(subjects)
		d1, _ := dossierRow(t, p.a, v1)
		d2, _ := dossierRow(t, p.a, v2)
		want := []string{"Votre demande " + d1.Reference + " est en cours d'examen", "v2 : demande " + d2.Reference + " en examen"}
		if !slices.Equal(subjects, want) {
			t.Errorf("follow-up messages %q, want %q (each from its dossier's version)", subjects, want)
		}
	})
}
