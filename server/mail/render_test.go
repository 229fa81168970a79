package mail

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/guichet/guichet/builder"
)

func sampleData() builder.MessageData {
	return builder.MessageData{
		Reference:   "PC-2025-0042",
		Procedure:   "Réservation de salle",
		TrackingURL: "https://guichet.example/suivi/abc",
		Data: map[string]any{
			"first_name": "Zoé",
			"nickname":   nil,
			"surface":    1000000.0,
			"ratio":      0.25,
			"rooms":      []any{"A", "B"},
			"address":    map[string]any{"city": "Lyon"},
			"evil":       "Bonjour\r\nBcc: victim@example.com",
		},
	}
}

func TestRender(t *testing.T) {
	tests := []struct {
		name        string
		tmpl        builder.Template
		wantSubject string
		wantBody    string
	}{
		{
			name:        "fields and data",
			tmpl:        builder.Template{Subject: "{{.Procedure}} – {{.Reference}}", Body: "Bonjour {{.Data.first_name}},\nSuivi : {{.TrackingURL}}"},
			wantSubject: "Réservation de salle – PC-2025-0042",
			wantBody:    "Bonjour Zoé,\nSuivi : https://guichet.example/suivi/abc",
		},
		{
			name:        "missing, null and nested missing keys render empty",
			tmpl:        builder.Template{Subject: "[{{.Data.missing}}]", Body: "[{{.Data.nickname}}][{{.Data.missing.sub}}][{{.Data.address.zip}}]"},
			wantSubject: "[]",
			wantBody:    "[][][]",
		},
		{
			name:        "numbers and lists as written",
			tmpl:        builder.Template{Subject: "{{.Data.surface}} m²", Body: "{{.Data.ratio}} {{.Data.rooms}} {{len .Data.rooms}}"},
			wantSubject: "1000000 m²",
			wantBody:    "0.25 A, B 2",
		},
		{
			name:        "conditions, range, with and variables",
			tmpl:        builder.Template{Subject: `{{if .Data.nickname}}{{.Data.nickname}}{{else}}{{.Data.first_name}}{{end}}`, Body: `{{range .Data.rooms}}<{{.}}>{{end}}{{with .Data.address}}{{.city}} {{$.Reference}}{{end}}{{$x := .Data.first_name}}{{$x}}`},
			wantSubject: "Zoé",
			wantBody:    "<A><B>Lyon PC-2025-0042Zoé",
		},
		{
			name:        "header injection in data is collapsed",
			tmpl:        builder.Template{Subject: "{{.Data.evil}}", Body: "{{.Data.evil}}"},
			wantSubject: "Bonjour Bcc: victim@example.com",
			wantBody:    "Bonjour\nBcc: victim@example.com",
		},
		{
			name:        "line breaks and controls in the subject template",
			tmpl:        builder.Template{Subject: "  Votre\tdemande\r\n{{.Reference}}\n\x00\u2028X-Evil: 1\u0085 ", Body: "a\r\nb\rc\x00d\x1b"},
			wantSubject: "Votre demande PC-2025-0042 X-Evil: 1",
			wantBody:    "a\nb\ncd",
		},
		{
			name:        "long subject is truncated",
			tmpl:        builder.Template{Subject: strings.Repeat("é", MaxSubjectRunes+10), Body: ""},
			wantSubject: strings.Repeat("é", MaxSubjectRunes-1) + "…",
			wantBody:    "",
		},
		{
			name:        "a literal <no value> is kept",
			tmpl:        builder.Template{Subject: "<no value>", Body: `{{"<no value>"}}`},
			wantSubject: "<no value>",
			wantBody:    "<no value>",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subject, body, err := Render(tt.tmpl, sampleData())
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if subject != tt.wantSubject {
				t.Errorf("subject = %q, want %q", subject, tt.wantSubject)
			}
			if body != tt.wantBody {
				t.Errorf("body = %q, want %q", body, tt.wantBody)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	tests := []struct {
		name     string
		tmpl     builder.Template
		wantPart string
		wantErr  string
	}{
		{"subject does not parse", builder.Template{Subject: "{{.Reference", Body: "ok"}, PartSubject, "unclosed action"},
		{"body does not execute", builder.Template{Subject: "ok", Body: "{{.Data.first_name.x}}"}, PartBody, "can't evaluate field x"},
		{"body output too large", builder.Template{Subject: "ok", Body: `{{range 300000}}xx{{end}}`}, PartBody, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Render(tt.tmpl, sampleData())
			var te *TemplateError
			if !errors.As(err, &te) || te.Part != tt.wantPart {
				t.Fatalf("Render error = %v, want a *TemplateError for %s", err, tt.wantPart)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantErr)
			}
			if !IsPermanent(err) {
				t.Errorf("IsPermanent(%v) = false, want true", err)
			}
		})
	}
}

func TestCheckTemplate(t *testing.T) {
	tests := []struct {
		name      string
		tmpl      builder.Template
		wantParts []string // parts reported, in order
		wantErr   string
	}{
		{"valid", builder.Template{Subject: "Dossier {{.Reference}}", Body: "{{range .Data.rooms}}{{.name}}{{end}} {{$.Procedure}}"}, nil, ""},
		{"empty", builder.Template{}, nil, ""},
		{"subject syntax", builder.Template{Subject: "{{if}}", Body: "ok"}, []string{PartSubject}, "subject"},
		{"body syntax", builder.Template{Subject: "ok", Body: "{{end}}"}, []string{PartBody}, "unexpected {{end}}"},
		{"both parts", builder.Template{Subject: "{{", Body: "{{.Data.x"}, []string{PartSubject, PartBody}, ""},
		{"unknown field", builder.Template{Subject: "{{.Referense}}", Body: "ok"}, []string{PartSubject}, "unknown field .Referense"},
		{"unknown field via $", builder.Template{Subject: "ok", Body: "{{with .Data.a}}{{$.Nope}}{{end}}"}, []string{PartBody}, "unknown field .Nope"},
		{"unknown field in an argument", builder.Template{Subject: "ok", Body: `{{printf "%s" .reference}}`}, []string{PartBody}, "body:1"},
		{"define", builder.Template{Subject: "ok", Body: `{{define "x"}}a{{end}}b`}, []string{PartBody}, "not allowed"},
		{"template call", builder.Template{Subject: `{{template "x"}}`, Body: "ok"}, []string{PartSubject}, "not allowed"},
		{"too large", builder.Template{Subject: "ok", Body: strings.Repeat("a", MaxTemplateBytes+1)}, []string{PartBody}, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckTemplate(tt.tmpl)
			var parts []string
			if err != nil {
				for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
					var te *TemplateError
					if !errors.As(e, &te) {
						t.Fatalf("error %v is not a *TemplateError", e)
					}
					parts = append(parts, te.Part)
				}
			}
			if fmt.Sprint(parts) != fmt.Sprint(tt.wantParts) {
				t.Fatalf("CheckTemplate(%+v) = %v, want failing parts %v", tt.tmpl, err, tt.wantParts)
			}
			if tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantErr)
			}
		})
	}
}

// TestRenderConcurrent shares cached templates between goroutines; run it
// with -race.
func TestRenderConcurrent(t *testing.T) {
	tmpl := builder.Template{Subject: "Dossier {{.Reference}}", Body: "Bonjour {{.Data.first_name}} {{.Data.missing}}"}
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			d := sampleData()
			d.Reference = fmt.Sprint(i)
			subject, body, err := Render(tmpl, d)
			if err != nil || subject != "Dossier "+d.Reference || body != "Bonjour Zoé " {
				t.Errorf("Render = %q, %q, %v", subject, body, err)
			}
		})
	}
	wg.Wait()
}

func BenchmarkRender(b *testing.B) {
	tmpl := builder.Template{Subject: "{{.Procedure}} – {{.Reference}}", Body: "Bonjour {{.Data.first_name}},\n\nVotre demande {{.Reference}} est enregistrée.\nSuivi : {{.TrackingURL}}\n"}
	d := sampleData()
	for b.Loop() {
		if _, _, err := Render(tmpl, d); err != nil {
			b.Fatal(err)
		}
	}
}
