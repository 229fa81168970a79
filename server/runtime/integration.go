package runtime

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// IntegrationHook is told of the events of every change of a dossier
// (dossier.submitted, dossier.entered, …) inside the change's
// transaction, and returns the jobs they cause, such as a push to a
// business application. The jobs are written with the change, so a push
// is never lost once the change commits and never sent for a change that
// rolled back. The hook must not write through the database itself.
type IntegrationHook interface {
	DossierEvent(ctx context.Context, c *Compiled, d *store.Dossier, ev builder.ExprEvent) ([]*jobs.Job, error)
}

// SetIntegrationHook installs the integrations' hook; call it before the
// engine takes changes.
func (e *Engine) SetIntegrationHook(h IntegrationHook) { e.hook = h }

// integrationEvent hands an event of the change to the hook (called by
// emit for every event, pipeline or not).
func (ch *change) integrationEvent(ev builder.ExprEvent) error {
	if ch.e.hook == nil {
		return nil
	}
	js, err := ch.e.hook.DossierEvent(ch.ctx, ch.c, ch.d, ev)
	if err != nil {
		return fmt.Errorf("integration of %s: %w", ch.c.Def.Slug, err)
	}
	ch.jobs = append(ch.jobs, js...)
	return nil
}

// afterSubmitIntegration returns the hook that tells the integration of a
// procedure without a pipeline of its submissions (afterSubmit does it
// for those with one), or nil when there is nothing to tell.
func (e *Engine) afterSubmitIntegration(c *Compiled, d *store.Dossier, data map[string]any, actor string) func(context.Context, bun.Tx) error {
	if e.hook == nil || c.Online == nil || c.Online.Integration == nil {
		return nil
	}
	return func(ctx context.Context, tx bun.Tx) error {
		ch := &change{e: e, tx: tx, ctx: ctx, c: c, d: d, data: maps.Clone(data), actor: actor,
			now: d.SubmittedAt, invs: map[string]*store.Invitation{}}
		if err := ch.emit(builder.ExprEvent{Name: builder.EventSubmitted, State: d.State, Actor: actor}, 0); err != nil {
			return err
		}
		return ch.write()
	}
}

// IntegrationUpdate is what a business application says about a dossier,
// as its integration's mapping computed it. It describes the dossier as
// the application sees it, so applying the same update twice changes
// nothing the second time.
type IntegrationUpdate struct {
	// ExternalID is the application's id of the dossier ("" leaves it).
	ExternalID string
	// Transitions are candidates in order: the first one possible from
	// the dossier's state (and not leading to the state it is in) fires.
	Transitions []string
	// Set gives top-level fields of the dossier's data new values.
	Set map[string]any
	// Message is a public message for the applicant ("" for none); it is
	// shown unless it is the last message the application sent.
	Message string
}

// IntegrationChange asks ApplyIntegrationUpdate to apply an update.
type IntegrationChange struct {
	Integration string // the integration's key, "slug.id"
	Source      string // "webhook", "poll" or "push"
	Delivery    string // webhook-id or job ID, kept on the timeline
	// Map computes the update from the dossier as it is in the
	// transaction (locked). A failing Map rolls everything back and its
	// error is returned as it is.
	Map func(d *store.Dossier, data map[string]any) (IntegrationUpdate, error)
	// Also runs last in the same transaction, told whether the dossier
	// changed (to record a webhook's id); its error rolls everything back.
	Also func(ctx context.Context, tx bun.Tx, d *store.Dossier, changed bool) error
}

// ApplyIntegrationUpdate applies what a business application says about a
// dossier in one transaction: its external id, fields (validated against
// the dossier's form: a wrong value is a *forms.ValidationError and
// nothing changes), a transition through the pipeline (whose messages and
// rules follow, as for an agent's), and a public message. When something
// changed it records an integration.updated event and runs the
// integration.updated rules; when nothing changed it writes nothing but
// Also's writes. It reports whether the dossier changed.
//
// Only a closed dossier refuses transitions; fields, the external id and
// messages still apply to it.
func (e *Engine) ApplyIntegrationUpdate(ctx context.Context, dossierID string, ic IntegrationChange) (bool, error) {
	changed := false
	err := e.inTx(ctx, dossierID, "integration:"+ic.Integration, func(ch *change) error {
		upd, err := ic.Map(ch.d, ch.data)
		if err != nil {
			return err
		}
		if changed, err = ch.applyIntegration(ic, upd); err != nil {
			return err
		}
		if ic.Also != nil {
			return ic.Also(ch.ctx, ch.tx, ch.d, changed)
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return changed, nil
}

func (ch *change) applyIntegration(ic IntegrationChange, upd IntegrationUpdate) (bool, error) {
	details := map[string]any{"integration": ic.Integration, "source": ic.Source}
	if ic.Delivery != "" {
		details["delivery"] = ic.Delivery
	}
	changed := false
	if upd.ExternalID != "" && (ch.d.ExternalID == nil || *ch.d.ExternalID != upd.ExternalID) {
		if err := store.SetExternalID(ch.ctx, ch.tx, ch.d.ID, upd.ExternalID); err != nil {
			return false, err
		}
		ch.d.ExternalID = &upd.ExternalID
		details["external_id"] = upd.ExternalID
		changed = true
	}
	if fields := changedFields(ch.data, upd.Set); len(fields) > 0 {
		set := map[string]any{}
		for _, f := range fields {
			ch.data[f] = upd.Set[f]
			set[f] = upd.Set[f]
		}
		if err := ch.validateFields(fields); err != nil {
			return false, err
		}
		ch.dirty = true
		details["fields"] = set
		changed = true
	}
	if t := ch.possibleTransition(upd.Transitions); t != "" {
		details["transition"] = t
		ch.event(store.EventIntegration, false, details)
		if err := ch.transition(t, nil, 0); err != nil {
			return false, err
		}
		changed = true
	} else if changed {
		ch.event(store.EventIntegration, false, details)
	}
	if upd.Message != "" {
		last, err := lastIntegrationMessage(ch.ctx, ch.tx, ch.d.ID)
		if err != nil {
			return false, err
		}
		if last != upd.Message {
			ch.event(store.EventIntegrationMessage, true, map[string]any{"public_label": upd.Message,
				"message": upd.Message, "integration": ic.Integration})
			details["message"] = upd.Message
			changed = true
		}
	}
	if !changed {
		return false, nil
	}
	return true, ch.emit(builder.ExprEvent{Name: builder.EventIntegrationUpdate, State: ch.d.State,
		Actor: ch.actor, Data: details}, 0)
}

// possibleTransition returns the first candidate that can fire now.
func (ch *change) possibleTransition(ids []string) string {
	if ch.p == nil || ch.d.ClosedAt != nil {
		return ""
	}
	for _, id := range ids {
		if t, ok := ch.p.Transitions[id]; ok && t.To != ch.d.State && slices.Contains(t.From, ch.d.State) {
			return id
		}
	}
	return ""
}

// validateFields checks the dossier's data against its form and returns
// the errors about fields.
func (ch *change) validateFields(fields []string) error {
	if ch.c.Form == nil {
		return nil
	}
	var errs []forms.FieldError
	for _, fe := range ch.c.Form.Validate(ch.data) {
		for _, f := range fields {
			if p := "/" + f; fe.Pointer == p || strings.HasPrefix(fe.Pointer, p+"/") {
				errs = append(errs, fe)
				break
			}
		}
	}
	if len(errs) > 0 {
		return &forms.ValidationError{Errors: errs}
	}
	return nil
}

// changedFields returns the fields of set whose value differs from
// data's (compared as JSON), sorted.
func changedFields(data, set map[string]any) []string {
	var out []string
	for f, v := range set {
		if !sameJSON(data[f], v) {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

func sameJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}

// lastIntegrationMessage returns the text of the last public message of
// an integration on the dossier, or "".
func lastIntegrationMessage(ctx context.Context, db bun.IDB, dossierID string) (string, error) {
	ev, err := store.LastEventOfKind(ctx, db, dossierID, store.EventIntegrationMessage)
	if err != nil {
		if err == store.ErrNotFound {
			return "", nil
		}
		return "", err
	}
	var d struct {
		Message string `json:"message"`
	}
	_ = json.Unmarshal(ev.Details, &d)
	return d.Message, nil
}

// IntegrationUpdateChanges reports whether upd would change dossier d as
// read (outside any transaction). Polls call it first so that an
// unchanged answer costs no write transaction; ApplyIntegrationUpdate
// decides again on the locked dossier.
func (e *Engine) IntegrationUpdateChanges(ctx context.Context, d *store.Dossier, data map[string]any, upd IntegrationUpdate) (bool, error) {
	if upd.ExternalID != "" && (d.ExternalID == nil || *d.ExternalID != upd.ExternalID) {
		return true, nil
	}
	if len(changedFields(data, upd.Set)) > 0 {
		return true, nil
	}
	if len(upd.Transitions) > 0 && d.ClosedAt == nil {
		c, err := e.Version(ctx, d.VersionID)
		if err != nil {
			return false, err
		}
		ch := &change{c: c, p: c.Pipeline, d: d}
		if ch.possibleTransition(upd.Transitions) != "" {
			return true, nil
		}
	}
	if upd.Message != "" {
		last, err := lastIntegrationMessage(ctx, e.db.Read, d.ID)
		if err != nil {
			return false, err
		}
		return last != upd.Message, nil
	}
	return false, nil
}
