package builder

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current results")

// TestCheckGolden checks each broken procedure of testdata/*.json against
// testdata/*.golden: one line per problem, or the parse error.
func TestCheckGolden(t *testing.T) {
	eachGolden(t, ".golden", func(_ *testing.T, data []byte) []byte { return checkReport(data) })
}

// eachGolden compares, for each procedure of testdata/*.json, what report
// writes of it with the file of the same name ending in suffix; -update
// writes the files instead. A nil report has no file.
func eachGolden(t *testing.T, suffix string, report func(t *testing.T, data []byte) []byte) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test procedures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := report(t, data)
			if got == nil {
				return
			}
			golden := strings.TrimSuffix(file, ".json") + suffix
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./builder -run %s -update)", err, t.Name())
			}
			if !bytes.Equal(got, want) {
				t.Errorf("problems differ from %s:\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

// checkReport parses and checks data and writes what it found.
func checkReport(data []byte) []byte {
	p, err := Parse(data)
	if err != nil {
		return []byte("parse error: " + err.Error() + "\n")
	}
	var buf bytes.Buffer
	for _, pr := range Check(p) {
		fmt.Fprintln(&buf, pr)
	}
	if buf.Len() == 0 {
		buf.WriteString("no problem\n")
	}
	return buf.Bytes()
}

func TestCheckRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Procedure)
		want   []string // "path: message" prefixes, in order; nil: no problem
	}{
		{"valid", func(p *Procedure) {}, nil},
		{"nil procedure", nil, []string{"$: "}},
		{"short slug", func(p *Procedure) { p.Slug = "ab" }, []string{"$.slug: the slug must be 3 to 80"}},
		{"long slug", func(p *Procedure) { p.Slug = strings.Repeat("a", 81) }, []string{"$.slug: the slug must be 3 to 80"}},
		{"slug with accent", func(p *Procedure) { p.Slug = "réservation" }, []string{"$.slug: the slug may only"}},
		{"slug with double dash", func(p *Procedure) { p.Slug = "salle--communale" }, []string{"$.slug: the slug must not start"}},
		{"prefix not needed but malformed", func(p *Procedure) {
			p.Scenarios = p.Scenarios[:1]
			p.Messages = Messages{}
			p.ReferencePrefix = "R"
		}, []string{"$.referencePrefix: "}},
		{"prefix not needed", func(p *Procedure) {
			p.Scenarios = p.Scenarios[:1]
			p.Messages = Messages{}
			p.ReferencePrefix = ""
		}, nil},
		{"absolute attachment", func(p *Procedure) { p.Scenarios[0].Attachments[0].URL = "https://www.example.ch/a.pdf" }, nil},
		{"protocol-relative attachment", func(p *Procedure) { p.Scenarios[0].Attachments[0].URL = "//evil.example/a.pdf" }, []string{"$.scenarios[0].attachments[0].url: "}},
		{"information with attachments only", func(p *Procedure) { p.Scenarios[0].Body = "" }, nil},
		{"information empty", func(p *Procedure) {
			p.Scenarios[0].Body = " \n"
			p.Scenarios[0].Attachments = nil
		}, []string{"$.scenarios[0]: an information scenario needs"}},
		{"redirect to javascript", func(p *Procedure) {
			p.Scenarios[0] = Scenario{ID: "portail", Kind: ScenarioRedirect, URL: "javascript:alert(1)"}
		}, []string{"$.scenarios[0].url: the address must be"}},
		{"name of a number", func(p *Procedure) { p.Messages.ApplicantName = "/attendees" }, []string{`$.messages.applicantName: "/attendees" must name a string`}},
		{"nested name", func(p *Procedure) { p.Messages.ApplicantName = "/address/city" }, nil},
		{"template with an unknown field", func(p *Procedure) { p.Messages.Ack.Subject = "{{.Data.nom}}" }, []string{`$.messages.ack.subject: line 1: {{.Data.nom}}: the form has no field "nom"`}},
		{"template data-dependent error ignored", func(p *Procedure) { p.Messages.Ack.Body = "{{index .Data.equipment 0}}" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p *Procedure
			if tt.change != nil {
				p = roomBooking(t)
				tt.change(p)
			}
			var got []string
			for _, pr := range Check(p) {
				got = append(got, pr.String())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %d = %q, want prefix %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestComparePaths(t *testing.T) {
	paths := []string{"$.scenarios[10].id", "$.slug", "$.scenarios[2].kind", "$.scenarios", "$.scenarios[2].id", "$.audience"}
	slices.SortFunc(paths, comparePaths)
	want := []string{"$.audience", "$.scenarios", "$.scenarios[2].id", "$.scenarios[2].kind", "$.scenarios[10].id", "$.slug"}
	if !slices.Equal(paths, want) {
		t.Errorf("sorted = %q, want %q", paths, want)
	}
}

// roomBooking returns a fresh copy of the room booking preset.
func roomBooking(t *testing.T) *Procedure {
	t.Helper()
	p, err := Preset("reservation-salle")
	if err != nil {
		t.Fatal(err)
	}
	return p
}
