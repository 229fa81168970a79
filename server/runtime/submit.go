package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
)

// ErrNoForm is returned when submitting to a procedure without a form.
var ErrNoForm = errors.New("procedure has no online form")

// InitialState is the state of a new dossier whose procedure has no
// pipeline.
const InitialState = "submitted"

// Submission is a request to create a dossier.
type Submission struct {
	Procedure      *Compiled
	Data           map[string]any
	IdempotencyKey string  // the same key never creates two dossiers
	FileOwner      string  // owner of the uploaded files to attach
	CreatedBy      *string // agent ID for intake, nil for the applicant
	Channel        string  // "portal", "api", "intake"
}

// Receipt is what a submission returns.
type Receipt struct {
	DossierID     string
	Reference     string
	TrackingToken string
	// Duplicate is true when the idempotency key had already created this
	// dossier: nothing new was written.
	Duplicate bool
}

// Job kinds of the runtime.
const (
	JobSendMessage = "message.send"
)

// MessagePayload is the payload of a message.send job.
type MessagePayload struct {
	MessageID string `json:"message_id"` // stable across retries (Message-ID header, mailbox key)
	DossierID string `json:"dossier_id"`
	Kind      string `json:"kind"` // ack, update, closure, invitation, reminder, message
	// Template names a pipeline message; empty for the procedure's ack.
	Template string `json:"template,omitempty"`
	// Role is set for messages to a role's members.
	Role string `json:"role,omitempty"`
}

// Submit validates s.Data against the form and creates the dossier, its
// "submitted" event and its acknowledgement job in one transaction, shared
// with other concurrent submissions (group commit).
func (e *Engine) Submit(ctx context.Context, s Submission) (*Receipt, error) {
	c := s.Procedure
	if c == nil || c.Form == nil {
		return nil, ErrNoForm
	}
	if errs := c.Form.Validate(s.Data); len(errs) > 0 {
		return nil, &forms.ValidationError{Errors: errs}
	}
	if s.IdempotencyKey == "" {
		s.IdempotencyKey = store.NewID()
	}
	data, err := json.Marshal(s.Data)
	if err != nil {
		return nil, fmt.Errorf("encode dossier data: %w", err)
	}
	now := e.now().UTC()
	d := &store.Dossier{
		ID: store.NewID(), ProcedureID: c.ProcedureID, VersionID: c.VersionID,
		TrackingToken: store.NewToken(), IdempotencyKey: s.IdempotencyKey, State: c.InitialState(),
		Data: data, CreatedBy: s.CreatedBy, SubmittedAt: now, UpdatedAt: now,
		ApplicantEmail: lookupString(s.Data, c.Def.Messages.ApplicantEmail),
		ApplicantName:  lookupString(s.Data, c.Def.Messages.ApplicantName),
	}
	fileIDs := collectFileIDs(c.Form, s.Data)
	ack, err := jobs.New(JobSendMessage, MessagePayload{MessageID: "ack-" + d.ID, DossierID: d.ID, Kind: "ack"})
	if err != nil {
		return nil, err
	}
	details, _ := json.Marshal(map[string]any{"channel": s.Channel, "version": c.Version})
	p := &pending{
		d: d, prefix: c.Def.ReferencePrefix, owner: s.FileOwner, fileIDs: fileIDs,
		event: &store.Event{ID: store.NewID(), DossierID: d.ID, At: now, Kind: store.EventSubmitted,
			Actor: actorOf(s), Public: true, Details: details},
	}
	if ackT := c.Def.Messages.Ack; d.ApplicantEmail != "" && (ackT.Subject != "" || ackT.Body != "") {
		p.job = ack // a procedure without an acknowledgement sends none
	}
	if c.Pipeline != nil {
		p.after = e.afterSubmit(c, d, s.Data, actorOf(s))
	} else {
		p.after = e.afterSubmitIntegration(c, d, s.Data, actorOf(s))
	}
	if err := e.submitter.submit(ctx, p); err != nil {
		if store.IsUniqueViolation(err) {
			// Another instance committed the same key first.
			if prev, perr := store.DossierByIdempotencyKey(ctx, e.db.Write, c.ProcedureID, s.IdempotencyKey); perr == nil {
				return receipt(prev, true), nil
			}
		}
		return nil, fmt.Errorf("submit to %s: %w", c.Def.Slug, err)
	}
	if p.dup != nil {
		return receipt(p.dup, true), nil
	}
	if p.job != nil {
		e.queue.Notify()
	}
	return receipt(d, false), nil
}

func receipt(d *store.Dossier, dup bool) *Receipt {
	return &Receipt{DossierID: d.ID, Reference: d.Reference, TrackingToken: d.TrackingToken, Duplicate: dup}
}

func actorOf(s Submission) string {
	if s.CreatedBy != nil {
		return "user:" + *s.CreatedBy
	}
	return "applicant"
}

// TrackingURL returns the applicant's private tracking link.
func (e *Engine) TrackingURL(token string) string {
	return strings.TrimRight(e.BaseURL, "/") + "/suivi/" + token
}

// Lookup returns the value at a JSON pointer in data, or nil.
func Lookup(data map[string]any, pointer string) any {
	if pointer == "" || pointer == "/" {
		return nil
	}
	var cur any = data
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[tok]
	}
	return cur
}

func lookupString(data map[string]any, pointer string) string {
	s, _ := Lookup(data, pointer).(string)
	return s
}

// collectFileIDs returns the IDs stored in the form's file fields.
func collectFileIDs(f *forms.Form, data map[string]any) []string {
	var ids []string
	var walk func(fs []forms.Field, v map[string]any)
	walk = func(fs []forms.Field, v map[string]any) {
		for _, fd := range fs {
			switch fd.Widget {
			case forms.WidgetFile:
				if id, ok := v[fd.Name].(string); ok && id != "" {
					ids = append(ids, id)
				}
			case forms.WidgetFieldset:
				if sub, ok := v[fd.Name].(map[string]any); ok {
					walk(fd.Fields, sub)
				}
			case forms.WidgetRepeat:
				items, _ := v[fd.Name].([]any)
				for _, it := range items {
					if sub, ok := it.(map[string]any); ok {
						walk(fd.Fields, sub)
					}
				}
			}
		}
	}
	for _, p := range pagesOf(f) {
		walk(p.Fields, data)
	}
	return ids
}

// formPages caches each compiled form's unbound pages: Form.Pages builds
// them afresh on every call, and forms are immutable.
var formPages sync.Map // *forms.Form → []forms.Page

func pagesOf(f *forms.Form) []forms.Page {
	if ps, ok := formPages.Load(f); ok {
		return ps.([]forms.Page)
	}
	ps := f.Pages()
	formPages.Store(f, ps)
	return ps
}
