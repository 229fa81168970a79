package web

import (
	"html/template"
	"time"

	"github.com/guichet/guichet/forms"
)

// Site is the administration's branding, configurable by admins.
type Site struct {
	Name        string `json:"name,omitempty"`        // "Commune de Montagny"
	LogoURL     string `json:"logoUrl,omitempty"`     // optional
	AccentColor string `json:"accentColor,omitempty"` // CSS colour, e.g. "#0b5394"; must keep AA contrast on white
}

// User is the signed-in staff member shown in the header, if any.
type User struct {
	ID      string
	Name    string
	Email   string
	IsAdmin bool
}

// Envelope is the common data every page template receives (listmonk's
// tplData): site, language, CSRF token, signed-in user, page title, and the
// page's own data in Data.
type Envelope struct {
	Site      Site
	Lang      string // "fr" or "en"
	Path      string // current path without query, for the language switch
	CSRF      string // token for the hidden _csrf input of every POST form
	User      *User
	Title     string // page title (without the site name); "Erreur : " is prefixed when HasErrors
	HasErrors bool
	Flash     string
	Data      any
}

// CatalogueItem is one procedure on the portal's list.
type CatalogueItem struct {
	Slug     string
	Title    string
	Summary  string
	Category string
}

// CataloguePage is the portal home: search, categories, procedures.
type CataloguePage struct {
	Query      string
	Category   string
	Categories []string
	Items      []CatalogueItem
}

// ScenarioView is one scenario on a procedure page.
type ScenarioView struct {
	Kind        string // information, redirect, online, api
	Title       string
	Body        template.HTML // sanitised Markdown
	Attachments []LinkView
	URL         string // redirect target, or the form URL for online/api
}

// LinkView is an attachment or link.
type LinkView struct {
	Title string
	URL   string
}

// ProcedurePage shows a procedure and its scenarios.
type ProcedurePage struct {
	Slug      string
	Title     string
	Summary   string
	Category  string
	Scenarios []ScenarioView
}

// ErrorLink is one entry of the error summary: a message linking to a field.
type ErrorLink struct {
	FieldID string // HTML id to link to (#FieldID)
	Message string
}

// FormPage is one step of a procedure's form.
type FormPage struct {
	ProcedureSlug  string
	ProcedureTitle string
	Intro          template.HTML // optional sanitised Markdown above the form
	Action         string        // URL the form posts to
	Page           forms.Page    // bound fields of this step
	Step           int           // 1-based
	Steps          int
	Errors         []ErrorLink // error summary; empty when none
	Nonce          string      // idempotency key, hidden input "_nonce"
	HasFiles       bool        // multipart/form-data needed
	BackURL        string      // previous step, if any
}

// CheckAnswersPage is the check-your-answers step before the final submit.
type CheckAnswersPage struct {
	ProcedureSlug  string
	ProcedureTitle string
	Sections       []forms.SummarySection
	EditURL        func(page int) string // "Modifier" link for a section's page
	Action         string                // final submit URL
	Nonce          string
}

// ConfirmationPage is shown after a successful submission.
type ConfirmationPage struct {
	ProcedureTitle string
	Reference      string
	TrackingURL    string
	NextSteps      template.HTML
	Email          string // where the acknowledgement goes, if known
}

// TimelineEntry is one public event of a dossier.
type TimelineEntry struct {
	At    time.Time
	Title string
	Body  string
}

// TrackingPage is the applicant's private view of a dossier.
type TrackingPage struct {
	ProcedureTitle string
	Reference      string
	State          string // public label of the current state
	SubmittedAt    time.Time
	Timeline       []TimelineEntry
}

// LoginPage is the staff sign-in form.
type LoginPage struct {
	Email  string
	Error  string // message in the page's language, e.g. T(lang, "login.invalid")
	Next   string // where to go after signing in (hidden input "next")
	Action string // URL the form posts to; "/login" when empty
}

// MailboxItem is one message in the dev mailbox.
type MailboxItem struct {
	ID      string
	At      time.Time
	To      string
	Subject string
	Body    string
}

// MailboxPage lists the dev mailbox (admins only).
type MailboxPage struct {
	Items    []MailboxItem
	Selected *MailboxItem
}

// StaffHomePage is the placeholder landing page of signed-in staff.
type StaffHomePage struct {
	MailboxURL string // dev mailbox; "/backoffice/mailbox" when empty
	BuilderURL string // admin builder; "/admin" when empty
}

// ErrorPage is a full-page error (404, 500, 429…).
type ErrorPage struct {
	Status  int
	Heading string
	Message string
}
