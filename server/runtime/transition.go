package runtime

import (
	"context"
	"fmt"
	"slices"

	"github.com/expr-lang/expr"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/store"
)

// Fire fires transition id on a dossier for actor, with the data of the
// transition's form if it has one. The actor must see the dossier, hold one
// of the transition's roles, the dossier must be in one of its states and
// its guard must hold. Rules run in the same transaction.
func (e *Engine) Fire(ctx context.Context, a *Actor, dossierID, id string, formData map[string]any) error {
	return e.inTxAs(ctx, a, dossierID, a.Name(), func(ch *change) error {
		if ch.p == nil {
			return refuse("this procedure has no pipeline")
		}
		t, ok := ch.p.Transitions[id]
		if !ok {
			return refuse("unknown transition %q", id)
		}
		if !a.IsAdmin && !slices.ContainsFunc(t.Roles, func(r string) bool { return a.HasRole(ch.d.ProcedureID, r) }) {
			return refuse("your role may not fire %q", t.Label)
		}
		if !slices.Contains(t.From, ch.d.State) {
			return refuse("%q is not possible from the state %q", t.Label, ch.p.States[ch.d.State].Label)
		}
		if f := ch.p.TransitionForms[id]; f != nil {
			if errs := f.Validate(formData); len(errs) > 0 {
				return &forms.ValidationError{Errors: errs}
			}
		}
		if prog := ch.p.guards[id]; prog != nil {
			env, err := ch.exprEnv(builder.ExprEvent{Name: "transition", Actor: ch.actor})
			if err != nil {
				return err
			}
			out, err := expr.Run(prog, env)
			if err != nil {
				return actionErrorf(nil, "guard of %q failed: %v", t.Label, err)
			}
			if ok, _ := out.(bool); !ok {
				return refuse("the conditions of %q are not met", t.Label)
			}
		}
		return ch.transition(id, formData, 0)
	})
}

// AvailableTransitions returns the transitions the actor may fire now.
func (p *Pipeline) AvailableTransitions(a *Actor, d *store.Dossier) []*builder.Transition {
	var out []*builder.Transition
	for i := range p.Def.Transitions {
		t := &p.Def.Transitions[i]
		if !slices.Contains(t.From, d.State) {
			continue
		}
		if a.IsAdmin || slices.ContainsFunc(t.Roles, func(r string) bool { return a.HasRole(d.ProcedureID, r) }) {
			out = append(out, t)
		}
	}
	return out
}

// transition moves the dossier and runs what entering the state causes:
// its messages, closure for a final state, dossier.entered rules.
func (ch *change) transition(id string, formData map[string]any, depth int) error {
	t, ok := ch.p.Transitions[id]
	if !ok {
		return fmt.Errorf("unknown transition %q", id)
	}
	if ch.d.ClosedAt != nil {
		return refuse("the dossier is closed")
	}
	if !slices.Contains(t.From, ch.d.State) { // Fire checks it too; rules reach here directly
		label := ch.d.State
		if s := ch.p.States[label]; s != nil {
			label = s.Label
		}
		return refuse("%q is not possible from the state %q", t.Label, label)
	}
	from := ch.d.State
	to := ch.p.States[t.To]
	ch.d.State = t.To
	ch.dirty = true
	details := map[string]any{"transition": t.ID, "label": t.Label, "from": from, "to": t.To,
		"public_label": to.PublicLabel}
	if formData != nil {
		details["data"] = formData
	}
	ch.event(store.EventTransition, false, details)
	public := map[string]any{"public_label": to.PublicLabel, "state": t.To}
	if t.Public && formData != nil {
		public["data"] = formData
	}
	ch.event("state."+t.To, true, public)
	kind := "update"
	if to.Kind == builder.StateFinal {
		kind = "closure"
		now := ch.now
		ch.d.ClosedAt = &now
	}
	for _, m := range to.OnEnter {
		if err := ch.sendMessage(m, kind); err != nil {
			return err
		}
	}
	return ch.emit(builder.ExprEvent{Name: builder.EventEntered, State: t.To, Actor: ch.actor, Data: formData}, depth)
}
