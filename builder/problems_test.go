package builder

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/guichet/guichet/internal/i18ncheck"
)

// problemSource is where builder writes the formats and nouns of its
// problems.
var problemSource = i18ncheck.Source{
	Translatable: map[string]int{"addf": 1, "newProblem": 1, "textf": 0, "noun": 0},
	Plumbing:     []string{"addf", "newProblem", "textf", "in"},
}

// TestFrenchCatalogue fails when a problem's format or noun has no French
// translation, when the translation has other verbs, and when the
// catalogue holds a translation nothing uses.
func TestFrenchCatalogue(t *testing.T) {
	i18ncheck.Compare(t, problemSource.Formats(t, 100), french, "problems_fr.go")
}

// TestCheckGoldenFrench renders the problems of testdata/*.json in French
// against testdata/*.fr.golden, for review of the whole catalogue.
func TestCheckGoldenFrench(t *testing.T) {
	eachGolden(t, ".fr.golden", func(t *testing.T, data []byte) []byte {
		p, err := Parse(data)
		if err != nil {
			return nil // a parse error: no problem to render
		}
		var buf bytes.Buffer
		for _, pr := range Check(p) {
			fmt.Fprintf(&buf, "%s: %s\n", pr.Path, pr.In("fr"))
			if en := pr.In("en"); en != pr.Message {
				t.Errorf("In(en) = %q, want the Message %q", en, pr.Message)
			}
		}
		return buf.Bytes()
	})
}

// TestProblemsInFrench renders real problems of a preset with mistakes.
func TestProblemsInFrench(t *testing.T) {
	p := roomBooking(t)
	p.Slug = "ab"
	p.Title = " "
	p.Messages.Ack.Subject = "Demande {{.Data.nom}}"
	p.Messages.ApplicantName = "/attendees"
	p.Scenarios[0].Attachments[0].URL = "tarifs 2024.pdf"
	want := []string{
		"$.messages.ack.subject: ligne 1 : {{.Data.nom}} : le formulaire n’a pas de champ «\u00a0nom\u00a0»",
		"$.messages.applicantName: «\u00a0/attendees\u00a0» doit désigner une propriété texte",
		"$.scenarios[0].attachments[0].url: l’URL ne doit pas contenir d’espaces (écrivez-les %20)",
		"$.slug: l’adresse (slug) doit compter de 3 à 80 caractères, et non 2",
		"$.title: le titre est obligatoire",
	}
	var got []string
	for _, pr := range Check(p) {
		got = append(got, pr.Path+": "+pr.In("fr"))
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems in French:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A pipeline: nouns inside sentences are translated too.
	p, err := Preset("permis-construire")
	if err != nil {
		t.Fatal(err)
	}
	var pl *Pipeline
	for i := range p.Scenarios {
		if p.Scenarios[i].Pipeline != nil {
			pl = p.Scenarios[i].Pipeline
		}
	}
	if pl == nil {
		t.Fatal("the preset has no pipeline")
	}
	pl.States = append(pl.States, pl.States[len(pl.States)-1]) // "refuse" twice
	pl.Transitions[0].Roles = append(pl.Transitions[0].Roles, "chef")
	pl.Transitions[0].Guard = "dossier.etat == 'recu'"
	got = nil
	for _, pr := range Check(p) {
		got = append(got, pr.In("fr"))
		if pr.In("en") != pr.Message || pr.In("de") != pr.Message || pr.In("fr-CH") != pr.In("fr") {
			t.Errorf("%s: In(en) = %q, want %q", pr.Path, pr.In("en"), pr.Message)
		}
	}
	want = []string{
		"état «\u00a0refuse\u00a0» : cet identifiant est utilisé deux fois",
		"l’expression est incorrecte : nom inconnu dossier.etat (1:9) ; dossier contient reference, state, submitted_at et group",
		"le rôle «\u00a0chef\u00a0» n’existe pas",
	}
	if !slices.Equal(got, want) {
		t.Errorf("pipeline problems in French:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
