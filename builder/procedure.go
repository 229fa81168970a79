// Package builder owns procedure definitions as documents: their scenarios,
// forms, messages and (later) pipelines and integrations. It parses and
// checks them, reporting every problem with its JSON path, and ships the
// preset procedures; [Diff] compares two versions. It knows nothing of HTTP
// or databases.
package builder

import "encoding/json"

// Audience says who may use a procedure.
type Audience string

// The audiences of a procedure.
const (
	AudiencePublic Audience = "public" // listed on the portal
	AudienceAgents Audience = "agents" // intake by agents only, never on the portal
)

// ScenarioKind is one of the four ways a procedure is delivered.
type ScenarioKind string

// The scenario kinds (seed 003).
const (
	ScenarioInformation ScenarioKind = "information"
	ScenarioRedirect    ScenarioKind = "redirect"
	ScenarioOnline      ScenarioKind = "online"
	ScenarioAPI         ScenarioKind = "api"
)

// Procedure is a démarche as the admin designs it. It is stored as JSON;
// publishing freezes a copy as an immutable version.
type Procedure struct {
	Slug            string     `json:"slug"`
	Title           string     `json:"title"`
	Summary         string     `json:"summary,omitempty"`
	Category        string     `json:"category,omitempty"`
	Keywords        []string   `json:"keywords,omitempty"`
	Audience        Audience   `json:"audience"`
	ReferencePrefix string     `json:"referencePrefix"`
	Scenarios       []Scenario `json:"scenarios"`
	Messages        Messages   `json:"messages"`
}

// Scenario is one way of delivering a procedure.
type Scenario struct {
	ID          string       `json:"id"`
	Kind        ScenarioKind `json:"kind"`
	Title       string       `json:"title,omitempty"`
	Body        string       `json:"body,omitempty"` // Markdown (information, and intro of online forms)
	Attachments []Link       `json:"attachments,omitempty"`
	URL         string       `json:"url,omitempty"` // redirect target
	Form        *Form        `json:"form,omitempty"`
	// NextSteps is shown on the confirmation page (Markdown).
	NextSteps string `json:"nextSteps,omitempty"`
	// Pipeline is how the dossiers of an online or API scenario are
	// processed; without one a dossier stays "submitted".
	Pipeline *Pipeline `json:"pipeline,omitempty"`
	// Integration connects an api scenario's dossiers to a business
	// application (push, webhook, poll).
	Integration *Integration `json:"integration,omitempty"`
}

// Link is an attachment or related link of an information page.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Form is a JSON Schema (draft 2020-12) and its RJSF-style UI schema.
type Form struct {
	Schema   json.RawMessage `json:"schema"`
	UISchema json.RawMessage `json:"uiSchema,omitempty"`
}

// Messages are the applicant-facing templates of a procedure. Templates use
// Go text/template syntax over [MessageData].
type Messages struct {
	Ack Template `json:"ack"`
	// ApplicantEmail is the form field (JSON pointer) holding the applicant's
	// email address; messages are sent there.
	ApplicantEmail string `json:"applicantEmail,omitempty"`
	// ApplicantName is the pointer of the applicant's name (search, greetings).
	ApplicantName string `json:"applicantName,omitempty"`
}

// Template is a subject and a body.
type Template struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// MessageData is what a message template sees: {{.Reference}},
// {{.Data.first_name}}, {{.TrackingURL}}, {{.Procedure}}.
type MessageData struct {
	Reference   string
	Procedure   string
	TrackingURL string
	Data        map[string]any
	// State is the public label of the dossier's state.
	State string
	// DossierURL is the back-office link (messages to roles).
	DossierURL string
	// Role is the label of the role a message goes to, DueAt its deadline
	// (dd.mm.yyyy), for invitations and reminders.
	Role  string
	DueAt string
}

// OnlineScenario returns the first scenario that carries a form (online or
// API), or nil.
func (p *Procedure) OnlineScenario() *Scenario {
	for i := range p.Scenarios {
		s := &p.Scenarios[i]
		if (s.Kind == ScenarioOnline || s.Kind == ScenarioAPI) && s.Form != nil {
			return s
		}
	}
	return nil
}
