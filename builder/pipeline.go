package builder

// Pipeline is the processing of a procedure's dossiers as configuration:
// states and transitions, the roles that act on or are consulted about a
// dossier, message templates, and rules that react to events.
//
// Example (the building-permit preset's one rule):
//
//	{"id": "ocf-after-security", "on": "opinion.returned", "role": "securite",
//	 "if": "invitations.ocf.status in ['pending', 'invited']",
//	 "do": [{"invite": "ocf"}]}
type Pipeline struct {
	States      []State      `json:"states"`
	Transitions []Transition `json:"transitions,omitempty"`
	Roles       []Role       `json:"roles,omitempty"`
	Messages    []Message    `json:"messages,omitempty"`
	Rules       []Rule       `json:"rules,omitempty"`
}

// StateKind says where a state stands in a pipeline.
type StateKind string

// The state kinds. A dossier starts in the (single) initial state; a final
// state closes it.
const (
	StateInitial      StateKind = "initial"
	StateIntermediate StateKind = "intermediate"
	StateFinal        StateKind = "final"
)

// State is a step of processing.
type State struct {
	ID          string    `json:"id"`
	Label       string    `json:"label"`       // for agents
	PublicLabel string    `json:"publicLabel"` // for the applicant
	Kind        StateKind `json:"kind"`
	// OnEnter lists messages sent when a dossier enters this state
	// (follow-up for intermediate states, closure for final ones).
	OnEnter []string `json:"onEnter,omitempty"`
}

// Transition moves a dossier from one of From to To when a member of one
// of Roles fires it and Guard (an expression) holds.
type Transition struct {
	ID    string   `json:"id"`
	Label string   `json:"label"`
	From  []string `json:"from"`
	To    string   `json:"to"`
	Roles []string `json:"roles"`
	Guard string   `json:"guard,omitempty"`
	// Form is an optional small form the agent fills when firing it (a
	// reason for a rejection…); its data is recorded on the timeline and
	// available to rules as event.data.
	Form *Form `json:"form,omitempty"`
	// Public makes the transition's form data visible to the applicant.
	Public bool `json:"public,omitempty"`
}

// RoleKind says how a role takes part in processing.
type RoleKind string

// The role kinds.
const (
	// RoleProcessing members handle the procedure's dossiers: they see all
	// of them and fire transitions.
	RoleProcessing RoleKind = "processing"
	// RoleConsulted members are asked for their opinion (préavis): they see
	// a dossier only while invited or once they have returned it.
	RoleConsulted RoleKind = "consulted"
)

// Role is a named function in a pipeline (SeCC, OCF, security officer…),
// bound to groups of users by admins.
type Role struct {
	ID    string   `json:"id"`
	Label string   `json:"label"`
	Kind  RoleKind `json:"kind"`
	// OpinionForm is the form of a role's opinion (consulted roles). When
	// empty, a default form applies: decision (favourable, favourable with
	// conditions, unfavourable), text and files.
	OpinionForm *Form `json:"opinionForm,omitempty"`
	// Delay is the default time given to return an opinion.
	Delay *Delay `json:"delay,omitempty"`
	// SeesOpinionsOf lists the roles whose returned opinions this role may
	// read ("*" for all).
	SeesOpinionsOf []string `json:"seesOpinionsOf,omitempty"`
	// MayCirculate lists the roles this role's members may activate or
	// invite on a dossier they can see ("*" for all).
	MayCirculate []string `json:"mayCirculate,omitempty"`
	// Invitation and Reminder name the messages sent to the role's members
	// when invited and when the deadline has passed.
	Invitation string `json:"invitation,omitempty"`
	Reminder   string `json:"reminder,omitempty"`
}

// Delay is a deadline length: Days calendar days, or working days when
// Working is set (weekends skipped). A deadline falling on a weekend moves
// to the next Monday.
type Delay struct {
	Days    int  `json:"days"`
	Working bool `json:"working,omitempty"`
}

// Message is a template sent to the applicant or to a role's members.
type Message struct {
	ID string `json:"id"`
	// To is "applicant" or a role ID.
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// RecipientApplicant addresses a message to the dossier's applicant.
const RecipientApplicant = "applicant"

// The events rules react to.
const (
	EventSubmitted         = "dossier.submitted"
	EventEntered           = "dossier.entered"
	EventInvitationSent    = "invitation.sent"
	EventOpinionReturned   = "opinion.returned"
	EventInvitationOverdue = "invitation.overdue"
	EventIntegrationUpdate = "integration.updated"
)

// Rule runs its actions when an event happens and its condition holds.
// Rules run inside the transaction of the change that triggered them.
type Rule struct {
	ID string `json:"id"`
	On string `json:"on"`
	// State narrows dossier.entered to one state; Role narrows the
	// invitation and opinion events to one role.
	State string `json:"state,omitempty"`
	Role  string `json:"role,omitempty"`
	// If is an expr-lang expression over dossier, data, invitations, event
	// and now; empty means always.
	If string   `json:"if,omitempty"`
	Do []Action `json:"do"`
}

// Action is one thing a rule does; exactly one of its verbs is set.
type Action struct {
	// Transition fires a transition (its roles and guard are not checked:
	// the rule acts for the system).
	Transition string `json:"transition,omitempty"`
	// Invite invites a role: invitation date now, deadline from Due or the
	// role's delay, invitation message sent. An already invited role is
	// re-invited with new dates and a new message.
	Invite string `json:"invite,omitempty"`
	// Due overrides the role's delay for Invite ("10d", "5wd" working days).
	Due string `json:"due,omitempty"`
	// Activate attaches a role without dates (pending): no message, no access.
	Activate string `json:"activate,omitempty"`
	// Send sends a message.
	Send string `json:"send,omitempty"`
	// Set sets a dossier field (a top-level property of its data) to the
	// value of the expression Value.
	Set   string `json:"set,omitempty"`
	Value string `json:"value,omitempty"`
	// Assign assigns the dossier to an agent group (by group name).
	Assign string `json:"assign,omitempty"`
}
