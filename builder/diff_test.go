package builder

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Procedure)
		want   []string // Change.String() of each change, in order
	}{
		{"same", func(p *Procedure) {}, nil},
		{"title changed", func(p *Procedure) { p.Title = "Location de salle" }, []string{
			`$.title: "Réservation de salle" → "Location de salle"`,
		}},
		{"keyword inserted", func(p *Procedure) {
			p.Keywords = append([]string{"mariage"}, p.Keywords...)
		}, []string{`$.keywords[0]: added "mariage"`}},
		{"keyword removed", func(p *Procedure) {
			p.Keywords = append(p.Keywords[:1:1], p.Keywords[2:]...)
		}, []string{`$.keywords[1]: removed "location"`}},
		{"summary removed", func(p *Procedure) { p.Summary = "" }, []string{
			`$.summary: removed "Louer la salle communale, la salle polyvalente ou le carnotzet pour une fête, une assemblée ou une manifestation."`,
		}},
		{"attachment renamed", func(p *Procedure) {
			p.Scenarios[0].Attachments[1].Title = "Tarifs 2026 (PDF)"
		}, []string{
			`$.scenarios[0].attachments[1].title: "Tarifs de location des salles communales (PDF)" → "Tarifs 2026 (PDF)"`,
		}},
		{"field constraint and ui key", func(p *Procedure) {
			f := p.Scenarios[1].Form
			f.Schema = replaceJSON(t, f.Schema, `"maximum":300}`, `"maximum":250}`, 1)
			f.UISchema = replaceJSON(t, f.UISchema, `"room":{"ui:widget":"radio"}`, `"room":{"ui:widget":"select"}`, 1)
		}, []string{
			`$.scenarios[1].form.schema.properties.attendees.maximum: 300 → 250`,
			`$.scenarios[1].form.uiSchema.room["ui:widget"]: "radio" → "select"`,
		}},
		{"scenario inserted", func(p *Procedure) {
			redirect := Scenario{ID: "agenda", Kind: ScenarioRedirect, URL: "https://agenda.example.ch"}
			p.Scenarios = append([]Scenario{redirect}, p.Scenarios...)
		}, []string{
			`$.scenarios[0]: added {"id":"agenda","kind":"redirect","url":"https://agenda.example.ch"}`,
		}},
		{"fields reordered", func(p *Procedure) {
			f := p.Scenarios[1].Form
			schema := string(f.Schema)
			first := schema[strings.Index(schema, `"first_name":`):strings.Index(schema, `"last_name":`)]
			last := schema[strings.Index(schema, `"last_name":`):strings.Index(schema, `"email":`)]
			f.Schema = replaceJSON(t, f.Schema, first+last, last+strings.TrimSuffix(first, ",")+",", 1)
			f.Schema = replaceJSON(t, f.Schema, `"minLength":1,"maxLength":100},"first_name"`, `"maxLength":100,"minLength":1},"first_name"`, 1)
		}, []string{
			`$.scenarios[1].form.schema.properties.last_name: reordered ["type","title","minLength","maxLength"] → ["type","title","maxLength","minLength"]`,
			`$.scenarios[1].form.schema.properties: reordered ["first_name","last_name","email","phone","address","room","layout","event_date","attendees","equipment","description","attachment","consent"] → ["last_name","first_name","email","phone","address","room","layout","event_date","attendees","equipment","description","attachment","consent"]`,
		}},
		{"type changed", func(p *Procedure) {
			f := p.Scenarios[1].Form
			f.Schema = replaceJSON(t, f.Schema, `"x-accept":["application/pdf","image/jpeg","image/png"]`, `"x-accept":"application/pdf"`, 1)
		}, []string{
			`$.scenarios[1].form.schema.properties.attachment["x-accept"]: ["application/pdf","image/jpeg","image/png"] → "application/pdf"`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := roomBooking(t), roomBooking(t)
			tt.change(b)
			var got []string
			for _, c := range Diff(a, b) {
				got = append(got, c.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("Diff =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestDiffKinds(t *testing.T) {
	a := &Procedure{Slug: "sapins", Keywords: []string{"sapin", "noël", "broyage"}}
	b := &Procedure{Slug: "sapins", Keywords: []string{"sapin", "Noël", "broyage", "paillis"}, Category: "Environnement"}
	want := []Change{
		{Path: "$.category", Kind: Added, After: `"Environnement"`},
		{Path: "$.keywords[1]", Kind: Changed, Before: `"noël"`, After: `"Noël"`},
		{Path: "$.keywords[3]", Kind: Added, After: `"paillis"`},
	}
	got := Diff(a, b)
	if len(got) != len(want) {
		t.Fatalf("Diff = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if back := Diff(b, a); len(back) != 3 || back[0].Kind != Removed || back[2].Kind != Removed || back[2].Path != "$.keywords[3]" {
		t.Errorf("Diff(b, a) = %v", back)
	}
	if all := Diff(nil, a); len(all) != 1 || all[0].Path != "$" || all[0].Kind != Changed || all[0].Before != "null" {
		t.Errorf("Diff(nil, a) = %v", all)
	}
}

// replaceJSON replaces old by new in the compact JSON of raw, n times, and
// fails when old is not there.
func replaceJSON(t *testing.T, raw json.RawMessage, old, new string, n int) json.RawMessage {
	t.Helper()
	if strings.Count(string(raw), old) < n {
		t.Fatalf("%s not found in %s", old, raw)
	}
	return json.RawMessage(strings.Replace(string(raw), old, new, n))
}
