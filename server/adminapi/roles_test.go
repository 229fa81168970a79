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

type roleBindings struct {
	Roles []struct {
		ID        string   `json:"id"`
		Kind      string   `json:"kind"`
		Published bool     `json:"published"`
		InDraft   bool     `json:"inDraft"`
		Groups    []string `json:"groups"`
	} `json:"roles"`
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

		// A role of the draft only: bound ahead of publication, with the
		// draft's kind; publishing another kind updates the binding.
		published := decodeProcedure(t, ad.call(http.MethodGet, "/api/admin/procedures/"+slug, nil, 200)).Draft
		withRole := func(kind string) []byte {
			var doc map[string]any
			if err := json.Unmarshal(published, &doc); err != nil {
				t.Fatal(err)
			}
			for _, s := range doc["scenarios"].([]any) {
				if pl, ok := s.(map[string]any)["pipeline"].(map[string]any); ok {
					pl["roles"] = append(pl["roles"].([]any), map[string]any{"id": "archives", "label": "Archives", "kind": kind})
				}
			}
			raw, _ := json.Marshal(doc)
			return raw
		}
		ad.call(http.MethodPut, "/api/admin/procedures/"+slug+"/draft", withRole("consulted"), 200)
		apptest.DecodeJSON(t, ad.call(http.MethodPut, base+"/archives/groups/"+secu.ID, nil, 200), &rb)
		for _, r := range rb.Roles {
			if r.ID == "archives" && (r.Published || !r.InDraft || r.Kind != "consulted") {
				t.Errorf("draft-only role = %+v", r)
			}
		}
		ad.call(http.MethodPut, "/api/admin/procedures/"+slug+"/draft", withRole("processing"), 200)
		ad.call(http.MethodPost, "/api/admin/procedures/"+slug+"/publish", nil, 201)
		proc, err := store.ProcedureBySlug(context.Background(), ad.a.DB.Read, slug)
		if err != nil {
			t.Fatal(err)
		}
		bs, err := store.Bindings(context.Background(), ad.a.DB.Read, proc.ID)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(bs, func(b store.RoleBinding) bool { return b.RoleID == "archives" })
		if i < 0 || bs[i].Kind != "processing" {
			t.Errorf("bindings after publishing archives as processing = %+v", bs)
		}
	})
}
