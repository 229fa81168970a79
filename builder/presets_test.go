package builder

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/guichet/guichet/forms"
)

func TestPresetsPassCheck(t *testing.T) {
	ps, err := Presets()
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, p := range ps {
		slugs = append(slugs, p.Slug)
		t.Run(p.Slug, func(t *testing.T) {
			for _, pr := range Check(p) {
				t.Errorf("%s", pr)
			}
		})
	}
	want := []string{"broyage-sapins", "permis-construire", "portail-famille", "reservation-salle", "saisie-guichet", "signalement-voirie"}
	if !slices.Equal(slugs, want) {
		t.Errorf("presets = %q, want %q", slugs, want)
	}
	if _, err := Preset("piscine"); !errors.Is(err, ErrNoPreset) {
		t.Errorf("Preset(piscine) error = %v, want ErrNoPreset", err)
	}
}

func TestPresetsRoundTrip(t *testing.T) {
	ps, err := Presets()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Run(p.Slug, func(t *testing.T) {
			data, err := p.JSON()
			if err != nil {
				t.Fatal(err)
			}
			again, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(again, p) {
				t.Errorf("Parse(JSON()) differs from the preset:\n%v", Diff(p, again))
			}
			data2, err := again.JSON()
			if err != nil {
				t.Fatal(err)
			}
			if string(data2) != string(data) {
				t.Error("JSON() is not stable across a round trip")
			}
		})
	}
}

// TestRoomBookingForm pins the parts of the room booking form that other
// packages and the demo rely on.
func TestRoomBookingForm(t *testing.T) {
	p := roomBooking(t)
	s := p.OnlineScenario()
	if s == nil || s.ID != "en-ligne" || p.ReferencePrefix != "RS" || p.Audience != AudiencePublic {
		t.Fatalf("unexpected room booking preset: %+v", p)
	}
	if kinds := []ScenarioKind{p.Scenarios[0].Kind, p.Scenarios[1].Kind}; !slices.Equal(kinds, []ScenarioKind{ScenarioInformation, ScenarioOnline}) {
		t.Errorf("scenario kinds = %v", kinds)
	}
	f, err := forms.Compile(s.Form.Schema, s.Form.UISchema)
	if err != nil {
		t.Fatal(err)
	}
	wantPages := [][]string{
		{"first_name", "last_name", "email", "phone", "address"},
		{"room", "layout", "event_date", "attendees", "equipment", "description"},
		{"attachment", "consent"},
	}
	pages := f.Pages()
	if len(pages) != len(wantPages) {
		t.Fatalf("%d pages, want %d", len(pages), len(wantPages))
	}
	for i, page := range pages {
		var names []string
		for _, fld := range page.Fields {
			names = append(names, fld.Name)
		}
		if !slices.Equal(names, wantPages[i]) {
			t.Errorf("page %d (%s) = %q, want %q", i+1, page.Title, names, wantPages[i])
		}
	}
	widgets := map[string]forms.Widget{}
	for _, page := range pages {
		for _, fld := range page.Fields {
			widgets[fld.Name] = fld.Widget
		}
	}
	for name, want := range map[string]forms.Widget{
		"email": forms.WidgetEmail, "phone": forms.WidgetTel, "address": forms.WidgetFieldset,
		"room": forms.WidgetRadio, "layout": forms.WidgetRadio, "event_date": forms.WidgetDate, "equipment": forms.WidgetRepeat,
		"description": forms.WidgetTextarea, "attachment": forms.WidgetFile, "consent": forms.WidgetCheckbox,
	} {
		if widgets[name] != want {
			t.Errorf("%s widget = %q, want %q", name, widgets[name], want)
		}
	}
	if p.Messages.ApplicantEmail != "/email" || p.Messages.ApplicantName != "/last_name" {
		t.Errorf("messages = %+v", p.Messages)
	}
}
