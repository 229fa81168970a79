package forms

import (
	"net/url"
	"testing"
)

func TestSummary(t *testing.T) {
	f := roomBooking(t)
	res, err := f.Decode(-1, nil, Post{Values: fullPost()})
	if err != nil {
		t.Fatal(err)
	}
	data := roundTrip(t, res.Data) // as loaded back from the database
	data["programme"] = "file-42"

	tests := []struct {
		lang string
		want []SummarySection
	}{
		{"fr", []SummarySection{
			{Title: "Demandeur", PageIndex: 0, Rows: []SummaryRow{
				{Label: "Nom", Value: "Dupont", Pointer: "/last_name"},
				{Label: "Prénom", Value: "Anne", Pointer: "/first_name"},
				{Label: "Adresse e-mail", Value: "anne.dupont@example.ch", Pointer: "/email"},
				{Label: "Téléphone", Value: "+41 21 555 12 34", Pointer: "/phone"},
				{Label: "Adresse du demandeur", Pointer: "/address", Nested: []SummaryGroup{{Pointer: "/address", Rows: []SummaryRow{
					{Label: "Rue et numéro", Value: "Rue du Lac 12", Pointer: "/address/street"},
					{Label: "NPA", Value: "1000", Pointer: "/address/postcode"},
					{Label: "Localité", Value: "Lausanne", Pointer: "/address/city"},
				}}}},
			}},
			{Title: "Événement", PageIndex: 1, Rows: []SummaryRow{
				{Label: "Date de l'événement", Value: "14.03.2026", Pointer: "/event_date"},
				{Label: "Durée (heures)", Value: "2.5", Pointer: "/duration_hours"},
				{Label: "Nombre de participants", Value: "45", Pointer: "/attendees"},
				{Label: "Salle", Value: "Salle B (40 places)", Pointer: "/room"},
				{Label: "Restauration", Value: "Café, Apéritif", Pointer: "/catering"},
				{Label: "Équipement", Pointer: "/equipment", Nested: []SummaryGroup{
					{Title: "Équipement 1", Pointer: "/equipment/0", Rows: []SummaryRow{
						{Label: "Article", Value: "Projecteur", Pointer: "/equipment/0/item"},
						{Label: "Quantité", Value: "1", Pointer: "/equipment/0/quantity"},
					}},
					{Title: "Équipement 2", Pointer: "/equipment/1", Rows: []SummaryRow{
						{Label: "Article", Value: "Chaises", Pointer: "/equipment/1/item"},
						{Label: "Quantité", Value: "45", Pointer: "/equipment/1/quantity"},
					}},
				}},
			}},
			{Title: "Documents et confirmation", PageIndex: 2, Rows: []SummaryRow{
				{Label: "Programme de l'événement", Value: "file-42", FileID: "file-42", Pointer: "/programme"},
				{Label: "Remarques", Value: "Accès\nchaise roulante", Pointer: "/remarks"},
				{Label: "J'accepte le règlement d'utilisation des salles", Value: "Oui", Pointer: "/consent"},
			}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			got := f.Summary(data, tt.lang)
			for i := range tt.want {
				assertEqual(t, tt.want[i].Title, got[i], tt.want[i])
			}
		})
	}
	t.Run("en booleans and empty answers", func(t *testing.T) {
		got := f.Summary(map[string]any{"consent": false}, "en")
		assertEqual(t, "consent", got[2].Rows[2].Value, "No")
		assertEqual(t, "unanswered", got[0].Rows[0], SummaryRow{Label: "Nom", Pointer: "/last_name"})
		assertEqual(t, "no items", got[1].Rows[5].Nested, []SummaryGroup(nil))
		got = f.Summary(map[string]any{"consent": true}, "en")
		assertEqual(t, "consent", got[2].Rows[2].Value, "Yes")
	})
	t.Run("password masked, hidden left out", func(t *testing.T) {
		f := mustCompile(t, `{"type": "object", "properties": {"pw": {"type": "string"}, "h": {"type": "string"}}}`,
			`{"pw": {"ui:widget": "password"}, "h": {"ui:widget": "hidden"}}`)
		res, _ := f.Decode(0, nil, Post{Values: url.Values{"pw": {"secret"}, "h": {"x"}}})
		got := f.Summary(res.Data, "fr")[0].Rows
		assertEqual(t, "rows", got, []SummaryRow{{Label: "pw", Value: "••••••••", Pointer: "/pw"}})
	})
}
