package runtime

import (
	"errors"
	"fmt"
	"strings"

	"github.com/expr-lang/expr"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/store"
)

// ErrRuleFailed is the cause of an [ActionError] raised by a rule: the
// change that triggered the rule was rolled back as a whole. Its message
// names the rule.
var ErrRuleFailed = errors.New("a rule failed")

// emit runs the rules that react to ev, in configuration order, inside the
// change's transaction. A failing rule fails the whole change.
func (ch *change) emit(ev builder.ExprEvent, depth int) error {
	if err := ch.integrationEvent(ev); err != nil {
		return err
	}
	if ch.p == nil {
		return nil
	}
	if depth > maxRuleDepth {
		return actionErrorf(ErrRuleFailed, "rules triggered each other more than %d times (%s): check the pipeline's rules for a loop",
			maxRuleDepth, strings.Join(ch.chain, " → "))
	}
	for i := range ch.p.rules {
		r := &ch.p.rules[i]
		if r.On != ev.Name || (r.State != "" && r.State != ev.State) || (r.Role != "" && r.Role != ev.Role) {
			continue
		}
		if r.cond != nil {
			env, err := ch.exprEnv(ev)
			if err != nil {
				return err
			}
			out, err := expr.Run(r.cond, env)
			if err != nil {
				return actionErrorf(ErrRuleFailed, "rule %q: condition failed: %v", r.ID, err)
			}
			if ok, _ := out.(bool); !ok {
				continue
			}
		}
		ch.chain = append(ch.chain, r.ID)
		for j, a := range r.Do {
			if err := ch.act(r, j, a, ev, depth); err != nil {
				return ruleError(r, j, err)
			}
		}
	}
	return nil
}

// ruleError attributes the failure of action j of rule r to the rule. A
// refusal (a transition from another state, a role already activated) is
// a failure of the rule's configuration, not of the agent who caused the
// change: it is not Forbidden. An error that already names a rule (a rule
// triggered by this one, a loop) is kept as it is.
func ruleError(r *compiledRule, j int, err error) error {
	var ae *ActionError
	switch {
	case errors.As(err, &ae) && errors.Is(ae.Err, ErrRuleFailed):
		return err
	case errors.As(err, &ae):
		return actionErrorf(ErrRuleFailed, "rule %q, action %d: %s", r.ID, j+1, ae)
	}
	return actionErrorf(errors.Join(ErrRuleFailed, err), "rule %q, action %d: %v", r.ID, j+1, err)
}

// exprEnv is what expressions see, with the decisions of the roles that
// returned their opinion (loaded once per change).
func (ch *change) exprEnv(ev builder.ExprEvent) (builder.ExprEnv, error) {
	if err := ch.loadDecisions(); err != nil {
		return builder.ExprEnv{}, err
	}
	env := ch.env(ev)
	for role, inv := range env.Invitations {
		if inv.Status == store.InvitationReturned {
			inv.Decision = ch.decisions[role]
			env.Invitations[role] = inv
		}
	}
	return env, nil
}

// loadDecisions reads the decision of each role's latest opinion, if the
// pipeline's expressions may read one.
func (ch *change) loadDecisions() error {
	if ch.decisions != nil {
		return nil
	}
	if !ch.p.decisions {
		ch.decisions = map[string]string{}
		return nil
	}
	ops, err := store.Opinions(ch.ctx, ch.tx, ch.d.ID)
	if err != nil {
		return fmt.Errorf("opinions of dossier %s: %w", ch.d.ID, err)
	}
	ch.decisions = make(map[string]string, len(ops))
	for _, o := range ops { // oldest first: the latest wins
		ch.decisions[o.RoleID] = o.Decision
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
		env, err := ch.exprEnv(ev)
		if err != nil {
			return err
		}
		v, err := expr.Run(r.values[j], env)
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
