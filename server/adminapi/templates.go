package adminapi

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/mail"
	"github.com/guichet/guichet/server/store"
)

// templatePreviewRequest is a message template and where its sample
// dossier comes from.
type templatePreviewRequest struct {
	Subject   string          `json:"subject"`
	Body      string          `json:"body"`
	Sample    *sampleDossier  `json:"sample"`
	Schema    json.RawMessage `json:"schema"`
	Procedure string          `json:"procedure"`
}

// sampleDossier overrides parts of the sample dossier.
type sampleDossier struct {
	Reference   string         `json:"reference"`
	Procedure   string         `json:"procedure"`
	TrackingURL string         `json:"tracking_url"`
	State       string         `json:"state"`
	DossierURL  string         `json:"dossier_url"`
	Role        string         `json:"role"`
	DueAt       string         `json:"due_at"`
	Data        map[string]any `json:"data"`
}

// previewTemplate renders a template as the mailer would, on a sample
// dossier, and lists the variables it may use.
func (h *Handler) previewTemplate(c *fiber.Ctx) error {
	var in templatePreviewRequest
	if err := decodeBody(c, &in); err != nil {
		return err
	}
	d, vars, err := h.sampleMessage(c, &in)
	if err != nil {
		return err
	}
	subject, body, err := mail.Render(builder.Template{Subject: in.Subject, Body: in.Body}, d)
	var te *mail.TemplateError
	if errors.As(err, &te) {
		return problem(fiber.StatusUnprocessableEntity, te.Error(),
			httpx.FieldProblem{Pointer: "/" + te.Part, Detail: te.Err.Error()})
	} else if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"subject": subject, "body": body, "variables": vars})
}

// sampleMessage builds the sample dossier of a preview: the procedure's
// title and prefix, data made from the form (the request's schema, else
// the procedure's online form), then the request's overrides.
func (h *Handler) sampleMessage(c *fiber.Ctx, in *templatePreviewRequest) (builder.MessageData, []templateVariable, error) {
	now := h.now()
	d := builder.MessageData{Procedure: "Démarche exemple", Reference: fmt.Sprintf("XX-%d-00042", now.Year()),
		TrackingURL: h.rt.BaseURL + "/suivi/exemple", State: "En cours de traitement",
		DossierURL: h.rt.BaseURL + "/backoffice/dossiers/exemple", Role: "Service consulté",
		DueAt: now.AddDate(0, 0, 10).Format("02.01.2006"), Data: map[string]any{}}
	schema, uiSchema := in.Schema, json.RawMessage(nil)
	if in.Procedure != "" {
		o, err := store.ProcedureOverviewBySlug(ctx(c), h.db.Read, in.Procedure)
		if err != nil {
			return d, nil, err
		}
		if def, err := builder.Parse(o.Draft); err == nil {
			d.Procedure = def.Title
			if def.ReferencePrefix != "" {
				d.Reference = fmt.Sprintf("%s-%d-00042", def.ReferencePrefix, now.Year())
			}
			if s := def.OnlineScenario(); s != nil && len(schema) == 0 {
				schema, uiSchema = s.Form.Schema, s.Form.UISchema
			}
		}
	}
	var f *forms.Form
	if len(schema) > 0 {
		var err error
		if f, err = compileForm(schema, uiSchema); err != nil {
			return d, nil, err
		}
		d.Data = sampleData(f, now)
	}
	in.Sample.apply(&d)
	return d, variables(d, f, apiLang(c)), nil
}

// apply puts the overrides of s on d.
func (s *sampleDossier) apply(d *builder.MessageData) {
	if s == nil {
		return
	}
	for _, o := range []struct {
		dst *string
		v   string
	}{
		{&d.Reference, s.Reference}, {&d.Procedure, s.Procedure}, {&d.TrackingURL, s.TrackingURL},
		{&d.State, s.State}, {&d.DossierURL, s.DossierURL}, {&d.Role, s.Role}, {&d.DueAt, s.DueAt},
	} {
		if o.v != "" {
			*o.dst = o.v
		}
	}
	for k, v := range s.Data {
		d.Data[k] = v
	}
}

// templateVariable is a name a template may use.
type templateVariable struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Example     string `json:"example,omitempty"`
}

// variables lists the message data's fields, then the form's, described
// in lang.
func variables(d builder.MessageData, f *forms.Form, lang string) []templateVariable {
	out := []templateVariable{
		{"{{.Reference}}", inLang(lang, "la référence du dossier", "the dossier's reference"), d.Reference},
		{"{{.Procedure}}", inLang(lang, "le titre de la démarche", "the procedure's title"), d.Procedure},
		{"{{.TrackingURL}}", inLang(lang, "la page de suivi du demandeur", "the applicant's tracking page"), d.TrackingURL},
		{"{{.State}}", inLang(lang, "le libellé public de l’état du dossier", "the public label of the dossier's state"), d.State},
		{"{{.DossierURL}}", inLang(lang, "le dossier dans le back-office (messages aux rôles)",
			"the dossier in the back-office (messages to roles)"), d.DossierURL},
		{"{{.Role}}", inLang(lang, "le rôle auquel s’adresse le message (invitations, rappels)",
			"the role a message goes to (invitations, reminders)"), d.Role},
		{"{{.DueAt}}", inLang(lang, "l’échéance d’une invitation, jj.mm.aaaa", "the deadline of an invitation, dd.mm.yyyy"), d.DueAt},
	}
	if f != nil {
		for _, p := range f.Pages() {
			out = append(out, fieldVariables(p.Fields, ".Data", d.Data, lang)...)
		}
	}
	return out
}

func fieldVariables(fields []forms.Field, prefix string, data map[string]any, lang string) []templateVariable {
	var out []templateVariable
	for _, fd := range fields {
		name := prefix + "." + fd.Name
		v := data[fd.Name]
		switch fd.Widget {
		case forms.WidgetFieldset:
			sub, _ := v.(map[string]any)
			out = append(out, fieldVariables(fd.Fields, name, sub, lang)...)
			continue
		case forms.WidgetRepeat:
			out = append(out, templateVariable{Name: "{{range " + name + "}}…{{end}}",
				Description: fd.Label + inLang(lang, " (une liste : dans range, {{.<champ>}} désigne un champ de l’élément)",
					" (a list: inside range, {{.<field>}} names a field of the item)")})
			continue
		}
		ex, _ := json.Marshal(v)
		if s, ok := v.(string); ok {
			ex = []byte(s)
		}
		out = append(out, templateVariable{Name: "{{" + name + "}}", Description: fd.Label, Example: string(ex)})
	}
	return out
}
