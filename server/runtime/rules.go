package runtime

import (
	"errors"
	"fmt"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/store"
)

// emit runs the rules that react to ev, in configuration order, inside the
// change's transaction. A failing rule fails the whole change.
func (ch *change) emit(ev builder.ExprEvent, depth int) error {
	if ch.p == nil {
		return nil
	}
	if depth > maxRuleDepth {
		return &ActionError{Msg: fmt.Sprintf("rules triggered each other more than %d times (%s): check the pipeline's rules for a loop",
			maxRuleDepth, strings.Join(ch.chain, " → "))}
	}
	for i := range ch.p.rules {
		r := &ch.p.rules[i]
		if r.On != ev.Name || (r.State != "" && r.State != ev.State) || (r.Role != "" && r.Role != ev.Role) {
			continue
		}
		if r.cond != nil {
			out, err := expr.Run(r.cond, ch.env(ev))
			if err != nil {
				return &ActionError{Msg: fmt.Sprintf("rule %q: condition failed: %v", r.ID, err)}
			}
			if ok, _ := out.(bool); !ok {
				continue
			}
		}
		ch.chain = append(ch.chain, r.ID)
		for j, a := range r.Do {
			if err := ch.act(r, j, a, ev, depth); err != nil {
				var ae *ActionError
				if asActionError(err, &ae) {
					return err
				}
				return &ActionError{Msg: fmt.Sprintf("rule %q, action %d: %v", r.ID, j+1, err), Err: err}
			}
		}
	}
	return nil
}

// act runs one action of a rule for the system.
func (ch *change) act(r *compiledRule, j int, a builder.Action, ev builder.ExprEvent, depth int) error {
	switch {
	case a.Transition != "":
		return ch.transition(a.Transition, nil, depth+1)
	case a.Invite != "":
		due, err := ch.dueFor(a.Invite, a.Due)
		if err != nil {
			return err
		}
		return ch.invite(a.Invite, due, depth+1)
	case a.Activate != "":
		return ch.activate(a.Activate, depth+1)
	case a.Send != "":
		return ch.sendMessage(a.Send, "message")
	case a.Set != "":
		v, err := expr.Run(r.values[j], ch.env(ev))
		if err != nil {
			return fmt.Errorf("value of %s: %w", a.Set, err)
		}
		ch.data[a.Set] = v
		ch.dirty = true
		ch.event(store.EventFieldSet, false, map[string]any{"field": a.Set, "value": v, "rule": r.ID})
		return nil
	case a.Assign != "":
		ch.d.AssignedGroup = a.Assign
		ch.dirty = true
		ch.event(store.EventAssigned, false, map[string]any{"group": a.Assign, "rule": r.ID})
		return nil
	}
	return fmt.Errorf("empty action")
}

func asActionError(err error, target **ActionError) bool { return errors.As(err, target) }
