package web

import (
	"sync"
	"time"

	"github.com/guichet/guichet/forms"
)

// Choice is one option of a select or radio group on a back-office page.
type Choice struct {
	Value    string
	Label    string
	Selected bool
}

// Tag is a short status label. Kind picks its look: "" (accent),
// "grey" (waiting), "green" (done) or "red" (late).
type Tag struct {
	Label string
	Kind  string
}

// InboxTab is one view of the inbox (all, my pending invitations,
// overdue) with its count.
type InboxTab struct {
	Label   string
	Count   int
	URL     string
	Current bool
}

// InboxRow is one dossier of the inbox.
type InboxRow struct {
	URL         string
	Reference   string
	Procedure   string
	State       string
	Applicant   string
	SubmittedAt time.Time
	Closed      bool
	Tags        []Tag // invitations of the dossier
}

// InboxPage is the back-office home: the dossiers the agent may see.
type InboxPage struct {
	Query      string
	Pending    bool // hidden inputs keep the current tab when filtering
	Overdue    bool
	Procedures []Choice
	States     []Choice
	Tabs       []InboxTab
	Rows       []InboxRow
	Total      int // dossiers matching the filters
	Page       int // 1-based
	Pages      int
	PrevURL    string
	NextURL    string
	ResetURL   string // shown when a filter is active
}

// DataRow is one answer of a read-only form summary; FileURL links a
// file answer to its download.
type DataRow struct {
	Label   string
	Value   string
	FileURL string
	Nested  []DataGroup
}

// DataGroup is the rows of a fieldset or of one repeat item.
type DataGroup struct {
	Title string
	Rows  []DataRow
}

// DataSection is one page of a form's answers.
type DataSection struct {
	Title string
	Rows  []DataRow
}

// FileLink is a downloadable file of a dossier.
type FileLink struct {
	Name        string
	URL         string
	ContentType string
	Size        int64
}

// InvitationRow is one role attached to a dossier for its opinion.
type InvitationRow struct {
	Role        string
	Status      Tag
	ActivatedAt time.Time
	InvitedAt   *time.Time
	DueAt       *time.Time
	ReturnedAt  *time.Time
	Overdue     bool
}

// OpinionView is a returned opinion the agent may read.
type OpinionView struct {
	ID         string // HTML id of its section
	Role       string
	Decision   string
	Author     string
	ReturnedAt time.Time
	Rows       []DataRow
}

// StaffEvent is one entry of a dossier's full timeline.
type StaffEvent struct {
	At    time.Time
	Title string
	Actor string
	Body  string
	Rows  []DataRow // data of a transition's form
}

// ActionForm is an action of the dossier page that has a form of its own:
// a transition (its form may have no fields) or an opinion.
type ActionForm struct {
	ID       string // HTML id of its section, target of the error summary
	Action   string // URL the form posts to
	Label    string // transition label or role label
	Page     forms.Page
	HasFiles bool
	Error    string // why the action was refused, in the page's language
}

// CirculationForm activates or invites a role on the dossier.
type CirculationForm struct {
	ID        string
	Action    string
	Roles     []Choice
	RoleError string
	Due       string // YYYY-MM-DD as typed
	DueError  string
	Error     string
}

// CommentForm adds an internal comment.
type CommentForm struct {
	ID        string
	Action    string
	Text      string
	TextError string
	Error     string
}

// DossierPage is a dossier in the back-office: its data, files,
// circulation, opinions, timeline and the actions the agent may take.
type DossierPage struct {
	Reference      string
	ProcedureTitle string
	State          string
	StateTag       Tag
	Applicant      string
	ApplicantEmail string
	Channel        string
	SubmittedAt    time.Time
	ClosedAt       *time.Time
	Roles          []string    // labels of the agent's roles on the procedure
	Errors         []ErrorLink // summary of a refused or invalid action
	Data           []DataSection
	Files          []FileLink
	Invitations    []InvitationRow
	Opinions       []OpinionView
	Timeline       []StaffEvent
	Transitions    []ActionForm
	Circulation    *CirculationForm
	OpinionForms   []ActionForm
	Comment        *CommentForm
}

// IntakeItem is a procedure an agent may record a request for.
type IntakeItem struct {
	Title      string
	Summary    string
	URL        string
	AgentsOnly bool
}

// IntakeListPage lists the procedures open to intake.
type IntakeListPage struct {
	Items []IntakeItem
}

// IntakeFormPage is a procedure's whole form on one page, filled by an
// agent for a request made at the counter, by phone or by mail.
type IntakeFormPage struct {
	ProcedureTitle string
	Summary        string
	Action         string
	Nonce          string
	Page           forms.Page
	HasFiles       bool
	Errors         []ErrorLink
	BackURL        string
}

// UserRow is a staff account on the admin pages.
type UserRow struct {
	ID      string
	Name    string
	Email   string
	URL     string
	IsAdmin bool
	Groups  []string
}

// UserForm is the account creation form with what was typed and its
// errors (the password is never sent back).
type UserForm struct {
	Name          string
	Email         string
	IsAdmin       bool
	NameError     string
	EmailError    string
	PasswordError string
}

// UsersPage lists the staff accounts and creates one.
type UsersPage struct {
	Users  []UserRow
	Form   UserForm
	Errors []ErrorLink
}

// UserPage shows one account and resets its password.
type UserPage struct {
	User          UserRow
	Action        string
	PasswordError string
	Errors        []ErrorLink
}

// MemberRow is a member of a group.
type MemberRow struct {
	Name         string
	Email        string
	RemoveAction string
}

// GroupRow is a group with its members and the users that can be added.
type GroupRow struct {
	ID         string
	Name       string
	Label      string
	Members    []MemberRow
	Candidates []Choice
	AddAction  string
}

// GroupForm is the group creation form.
type GroupForm struct {
	Name       string
	Label      string
	NameError  string
	LabelError string
}

// GroupsPage lists groups and their members.
type GroupsPage struct {
	Groups []GroupRow
	Form   GroupForm
	Errors []ErrorLink
}

// BoundGroup is a group bound to a role.
type BoundGroup struct {
	ID    string
	Label string
}

// RoleRow is a pipeline role with the groups bound to it.
type RoleRow struct {
	ID         string // HTML id prefix, unique in the page
	RoleID     string
	Label      string
	Kind       string // label of its kind
	Groups     []BoundGroup
	Candidates []Choice
}

// ProcedureRoles is a published procedure's pipeline roles.
type ProcedureRoles struct {
	ProcedureID string
	Title       string
	Roles       []RoleRow
}

// RolesPage binds pipeline roles to groups.
type RolesPage struct {
	Procedures []ProcedureRoles
	HasGroups  bool
}

// PrefixFieldIDs returns p with prefix put before the HTML id of every
// field, at any depth, so that several forms bound from schemas with the
// same property names (a transition's form and an opinion form both with
// a "text") can share one page. Input names are left alone: each form
// posts its own.
func PrefixFieldIDs(p forms.Page, prefix string) forms.Page {
	p.Fields = prefixFields(p.Fields, prefix)
	return p
}

func prefixFields(fs []forms.Field, prefix string) []forms.Field {
	if fs == nil {
		return nil
	}
	out := make([]forms.Field, len(fs))
	for i, f := range fs {
		f.ID = prefix + f.ID
		f.Fields = prefixFields(f.Fields, prefix)
		if f.Items != nil {
			items := make([][]forms.Field, len(f.Items))
			for j, it := range f.Items {
				items[j] = prefixFields(it, prefix)
			}
			f.Items = items
		}
		out[i] = f
	}
	return out
}

// FieldErrors returns the error summary of bound fields, in form order.
func FieldErrors(fs []forms.Field) []ErrorLink {
	var out []ErrorLink
	for _, f := range fs {
		if f.Error != "" {
			out = append(out, ErrorLink{FieldID: f.ID, Message: f.Error})
		}
		out = append(out, FieldErrors(f.Fields)...)
		for _, it := range f.Items {
			out = append(out, FieldErrors(it)...)
		}
	}
	return out
}

// FormatDate formats the day of t as the templates' date function does,
// for texts built in Go ("invité jusqu’au 09.12.2026").
func FormatDate(lang string, t time.Time) string {
	return formatTime(Lang(lang), t, goLocation(), false)
}

var goLocation = sync.OnceValue(defaultLocation)
