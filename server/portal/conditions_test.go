package portal_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/apptest"
)

// A three-page form with ui:showIf: "association" depends on a field of its
// own page, "statutes" (alone on page 2) on a field of page 1.
const condSchema = `{
  "type": "object",
  "required": ["name", "kind"],
  "properties": {
    "name": {"type": "string", "title": "Nom"},
    "kind": {"type": "string", "title": "Vous êtes", "oneOf": [
      {"const": "particulier", "title": "Un particulier"}, {"const": "societe", "title": "Une société locale"}]},
    "association": {"type": "string", "title": "Nom de la société"},
    "statutes": {"type": "string", "title": "But de la société"},
    "remarks": {"type": "string", "title": "Remarques"}
  },
  "allOf": [{"if": {"properties": {"kind": {"const": "societe"}}, "required": ["kind"]}, "then": {"required": ["association", "statutes"]}}]
}`

const condUISchema = `{
  "ui:pages": [
    {"title": "Demandeur", "fields": ["name", "kind", "association"]},
    {"title": "Société", "fields": ["statutes"]},
    {"title": "Remarques", "fields": ["remarks"]}
  ],
  "kind": {"ui:widget": "radio"},
  "association": {"ui:showIf": {"field": "/kind", "equals": "societe"}},
  "statutes": {"ui:showIf": {"field": "/kind", "equals": "societe"}}
}`

func TestConditionalFields(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	def := &builder.Procedure{
		Slug: "cond-test", Title: "Conditions", Audience: builder.AudiencePublic, ReferencePrefix: "CT",
		Scenarios: []builder.Scenario{{ID: "en-ligne", Kind: builder.ScenarioOnline, Title: "En ligne",
			Form: &builder.Form{Schema: json.RawMessage(condSchema), UISchema: json.RawMessage(condUISchema)}}},
	}
	if _, err := a.Engine.PublishDefinition(context.Background(), def, nil); err != nil {
		t.Fatal(err)
	}
	base := apptest.Serve(t, a)
	const form = "/d/cond-test/form"

	start := func(t *testing.T, c *apptest.Client) string {
		resp, body := c.Get(form)
		wantStatus(t, resp, body, 200)
		hint := `id="f-association-condition">À remplir seulement si «` + "\u00a0" + `Vous êtes` + "\u00a0" + `» est «` + "\u00a0" + `Une société locale`
		if !strings.Contains(body, hint) || !strings.Contains(input(t, body, "association"), `aria-describedby="f-association-condition"`) {
			t.Error("step 1 does not show the conditional field with its hint")
		}
		return nonceRe.FindStringSubmatch(body)[1]
	}

	t.Run("condition false: value dropped, page skipped", func(t *testing.T) {
		c := apptest.NewClient(t, base)
		nonce := start(t, c)
		resp, body := c.PostForm(form, url.Values{"_nonce": {nonce}, "_action": {"next"}, "name": {"Anne"}, "kind": {"particulier"},
			"association": {"Chœur mixte"}})
		draft := form + "/" + nonce
		step3 := wantRedirect(t, resp, body, draft+"/etape/3")
		resp, body = c.Get(step3)
		wantStatus(t, resp, body, 200)
		if !strings.Contains(body, `href="`+draft+`/etape/1"`) {
			t.Error("the back link of step 3 does not skip the hidden step 2")
		}
		resp, body = c.PostForm(step3, url.Values{"_action": {"next"}, "remarks": {"Merci"}})
		wantRedirect(t, resp, body, draft+"/verifier")
		_, body = c.Get(draft + "/verifier")
		for _, want := range []string{"Un particulier", "Merci"} {
			if !strings.Contains(body, want) {
				t.Errorf("check page lacks %q", want)
			}
		}
		for _, not := range []string{"Chœur mixte", "Nom de la société", "But de la société", "<h2>Société</h2>"} {
			if strings.Contains(body, not) {
				t.Errorf("check page shows %q", not)
			}
		}
	})

	t.Run("condition true: required, later page shown", func(t *testing.T) {
		c := apptest.NewClient(t, base)
		nonce := start(t, c)
		vals := url.Values{"_nonce": {nonce}, "_action": {"next"}, "name": {"Anne"}, "kind": {"societe"}}
		resp, body := c.PostForm(form, vals)
		wantStatus(t, resp, body, 422)
		if !strings.Contains(summaryRe.FindString(body), `href="#f-association"`) {
			t.Error("no error summary link to the conditional field")
		}
		vals.Set("association", "Chœur mixte")
		resp, body = c.PostForm(form, vals)
		step2 := wantRedirect(t, resp, body, form+"/"+nonce+"/etape/2")
		resp, body = c.Get(step2)
		wantStatus(t, resp, body, 200)
		if !strings.Contains(body, `name="statutes"`) || strings.Contains(body, "hint--condition") {
			t.Error("step 2 does not show its field plainly")
		}
		resp, body = c.PostForm(step2, url.Values{"_action": {"next"}})
		wantStatus(t, resp, body, 422)
		resp, body = c.PostForm(step2, url.Values{"_action": {"next"}, "statutes": {"Chant"}})
		wantRedirect(t, resp, body, form+"/"+nonce+"/etape/3")
	})
}
