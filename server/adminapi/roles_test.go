package adminapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/store"
)

type boundRole struct {
	ID        string   `json:"id"`
	Kind      string   `json:"kind"`
	Published bool     `json:"published"`
	InDraft   bool     `json:"inDraft"`
	Binding   string   `json:"binding"`
	Groups    []string `json:"groups"`
}

type roleBindings struct {
	Roles  []boundRole `json:"roles"`
	Groups []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"groups"`
}

func (rb roleBindings) groupsOf(t *testing.T, role string) []string {
	t.Helper()
	for _, r := range rb.Roles {
		if r.ID == role {
			return r.Groups
		}
	}
	t.Fatalf("no role %s in %+v", role, rb.Roles)
	return nil
}

// TestRoleBindings binds and unbinds groups to the roles of a procedure
// from the builder, including a role that only the draft has yet, and
// checks that publishing a new kind of a role carries it to its bindings.
func TestRoleBindings(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		ad := newAdmin(t, db)
		const slug = "permis-construire"
		apptest.CreateStaff(t, ad.a, "ocf-team", slug, "ocf", "consulted")
		secu := &store.Group{ID: store.NewID(), Name: "police-du-feu", Label: "Police du feu", CreatedAt: time.Now().UTC()}
		if err := store.InsertGroup(context.Background(), ad.a.DB.Write, secu); err != nil {
			t.Fatal(err)
		}
		base := "/api/admin/procedures/" + slug + "/roles"

		var rb roleBindings
		apptest.DecodeJSON(t, ad.call(http.MethodGet, base, nil, 200), &rb)
		if len(rb.Roles) != 4 || len(rb.Groups) != 2 {
			t.Fatalf("roles = %+v, groups = %+v", rb.Roles, rb.Groups)
		}
		if g := rb.groupsOf(t, "ocf"); len(g) != 1 {
			t.Errorf("ocf bound to %v, want the ocf-team group", g)
		}

		apptest.DecodeJSON(t, ad.call(http.MethodPut, base+"/securite/groups/"+secu.ID, nil, 200), &rb)
		if g := rb.groupsOf(t, "securite"); !slices.Equal(g, []string{secu.ID}) {
			t.Errorf("after bind, securite bound to %v", g)
		}
		ad.call(http.MethodPut, base+"/securite/groups/"+secu.ID, nil, 200) // idempotent
		apptest.DecodeJSON(t, ad.call(http.MethodDelete, base+"/securite/groups/"+secu.ID, nil, 200), &rb)
		if g := rb.groupsOf(t, "securite"); len(g) != 0 {
			t.Errorf("after unbind, securite bound to %v", g)
		}
		ad.call(http.MethodPut, base+"/nobody/groups/"+secu.ID, nil, 404)
		ad.call(http.MethodPut, base+"/securite/groups/no-such-group", nil, 404)
		ad.call(http.MethodGet, "/api/admin/procedures/no-such-procedure/roles", nil, 404)

		// A role of the draft only: bound ahead of publication, its binding
		// gives no access until a version with the role is published.
		member := apptest.CreateStaff(t, ad.a, "archiviste", slug, "ocf", "consulted")
		if err := store.AddMember(context.Background(), ad.a.DB.Write, secu.ID, member.ID); err != nil {
			t.Fatal(err)
		}
		holds := func(role string) bool {
			t.Helper()
			bs, err := store.UserRoles(context.Background(), ad.a.DB.Read, member.ID)
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(bs, func(b store.RoleBinding) bool { return b.RoleID == role })
		}
		published := decodeProcedure(t, ad.call(http.MethodGet, "/api/admin/procedures/"+slug, nil, 200)).Draft
		withRole := func(kind string) []byte {
			var doc map[string]any
			if err := json.Unmarshal(published, &doc); err != nil {
				t.Fatal(err)
			}
			for _, s := range doc["scenarios"].([]any) {
				if pl, ok := s.(map[string]any)["pipeline"].(map[string]any); ok && kind != "" {
					pl["roles"] = append(pl["roles"].([]any), map[string]any{"id": "archives", "label": "Archives", "kind": kind})
				}
			}
			raw, _ := json.Marshal(doc)
			return raw
		}
		archives := func() boundRole {
			t.Helper()
			var all roleBindings
			apptest.DecodeJSON(t, ad.call(http.MethodGet, base, nil, 200), &all)
			if i := slices.IndexFunc(all.Roles, func(r boundRole) bool { return r.ID == "archives" }); i >= 0 {
				return all.Roles[i]
			}
			t.Fatalf("no role archives in %+v", all.Roles)
			return boundRole{}
		}

		ad.call(http.MethodPut, "/api/admin/procedures/"+slug+"/draft", withRole("consulted"), 200)
		ad.call(http.MethodPut, base+"/archives/groups/"+secu.ID, nil, 200)
		if r := archives(); r.Published || !r.InDraft || r.Binding != "pending" || len(r.Groups) != 1 {
			t.Errorf("draft-only role = %+v", r)
		}
		if holds("archives") {
			t.Error("a binding of a role the published version does not have gives access")
		}

		ad.call(http.MethodPut, "/api/admin/procedures/"+slug+"/draft", withRole("processing"), 200)
		ad.call(http.MethodPost, "/api/admin/procedures/"+slug+"/publish", nil, 201)
		if r := archives(); !r.Published || r.Binding != "processing" {
			t.Errorf("after publishing archives as processing = %+v", r)
		}
		if !holds("archives") {
			t.Error("publishing the role does not give access to its group")
		}

		// Published without the role: the binding stays, listed, inert,
		// and can only be removed.
		ad.call(http.MethodPut, "/api/admin/procedures/"+slug+"/draft", withRole(""), 200)
		ad.call(http.MethodPost, "/api/admin/procedures/"+slug+"/publish", nil, 201)
		if r := archives(); r.Published || r.InDraft || r.Binding != "pending" || len(r.Groups) != 1 {
			t.Errorf("after publishing without archives = %+v", r)
		}
		if holds("archives") {
			t.Error("a role the published version dropped still gives access")
		}
		ad.call(http.MethodPut, base+"/archives/groups/"+secu.ID, nil, 404)
		ad.call(http.MethodDelete, base+"/archives/groups/"+secu.ID, nil, 200)
		var after roleBindings
		apptest.DecodeJSON(t, ad.call(http.MethodGet, base, nil, 200), &after)
		if slices.ContainsFunc(after.Roles, func(r boundRole) bool { return r.ID == "archives" }) {
			t.Error("the removed binding of a dropped role is still listed")
		}
	})
}
