package runtime

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // deadlines are computed in Europe/Zurich everywhere

	"github.com/expr-lang/expr/vm"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/forms"
)

// Pipeline is a compiled pipeline: indexed, expressions and forms compiled
// once per published version.
type Pipeline struct {
	Def             *builder.Pipeline
	Initial         string
	States          map[string]*builder.State
	Transitions     map[string]*builder.Transition
	Roles           map[string]*builder.Role
	Messages        map[string]*builder.Message
	guards          map[string]*vm.Program
	TransitionForms map[string]*forms.Form
	OpinionForms    map[string]*forms.Form
	rules           []compiledRule
	// decisions is set when an expression may read invitations.<role>.decision,
	// which costs a query of the dossier's opinions.
	decisions bool
}

type compiledRule struct {
	*builder.Rule
	cond   *vm.Program
	values []*vm.Program // per action, for set
}

// defaultOpinionForm is the opinion form of a role that defines none.
var defaultOpinionForm = func() *forms.Form {
	f, err := forms.Compile([]byte(builder.DefaultOpinionSchema), []byte(builder.DefaultOpinionUISchema))
	if err != nil {
		panic(err)
	}
	return f
}()

func compilePipeline(p *builder.Pipeline) (*Pipeline, error) {
	cp := &Pipeline{Def: p, States: map[string]*builder.State{}, Transitions: map[string]*builder.Transition{},
		Roles: map[string]*builder.Role{}, Messages: map[string]*builder.Message{}, guards: map[string]*vm.Program{},
		TransitionForms: map[string]*forms.Form{}, OpinionForms: map[string]*forms.Form{}}
	for i := range p.States {
		s := &p.States[i]
		cp.States[s.ID] = s
		if s.Kind == builder.StateInitial {
			cp.Initial = s.ID
		}
	}
	for i := range p.Transitions {
		t := &p.Transitions[i]
		cp.Transitions[t.ID] = t
		if t.Guard != "" {
			prog, err := builder.CompileCondition(t.Guard)
			if err != nil {
				return nil, fmt.Errorf("transition %s guard: %w", t.ID, err)
			}
			cp.guards[t.ID] = prog
		}
		if t.Form != nil {
			f, err := forms.Compile(t.Form.Schema, t.Form.UISchema)
			if err != nil {
				return nil, fmt.Errorf("transition %s form: %w", t.ID, err)
			}
			cp.TransitionForms[t.ID] = f
		}
	}
	for i := range p.Roles {
		r := &p.Roles[i]
		cp.Roles[r.ID] = r
		cp.OpinionForms[r.ID] = defaultOpinionForm
		if r.OpinionForm != nil {
			f, err := forms.Compile(r.OpinionForm.Schema, r.OpinionForm.UISchema)
			if err != nil {
				return nil, fmt.Errorf("role %s opinion form: %w", r.ID, err)
			}
			cp.OpinionForms[r.ID] = f
		}
	}
	for i := range p.Messages {
		cp.Messages[p.Messages[i].ID] = &p.Messages[i]
	}
	for i := range p.Rules {
		r := &p.Rules[i]
		cr := compiledRule{Rule: r, values: make([]*vm.Program, len(r.Do))}
		if r.If != "" {
			prog, err := builder.CompileCondition(r.If)
			if err != nil {
				return nil, fmt.Errorf("rule %s: %w", r.ID, err)
			}
			cr.cond = prog
		}
		for j, a := range r.Do {
			if a.Set != "" {
				prog, err := builder.CompileValue(a.Value)
				if err != nil {
					return nil, fmt.Errorf("rule %s action %d: %w", r.ID, j, err)
				}
				cr.values[j] = prog
			}
		}
		cp.rules = append(cp.rules, cr)
	}
	if cp.Initial == "" {
		return nil, fmt.Errorf("pipeline has no initial state")
	}
	cp.decisions = mentionsDecision(p)
	return cp, nil
}

// mentionsDecision reports whether a guard, condition or value of p may
// read an opinion's decision.
func mentionsDecision(p *builder.Pipeline) bool {
	for _, t := range p.Transitions {
		if strings.Contains(t.Guard, "decision") {
			return true
		}
	}
	for _, r := range p.Rules {
		if strings.Contains(r.If, "decision") {
			return true
		}
		for _, a := range r.Do {
			if strings.Contains(a.Value, "decision") {
				return true
			}
		}
	}
	return false
}

// RoleSees reports whether members of role may read the returned opinions
// of other.
func (p *Pipeline) RoleSees(role, other string) bool {
	if role == other {
		return true
	}
	r, ok := p.Roles[role]
	if !ok {
		return false
	}
	for _, o := range r.SeesOpinionsOf {
		if o == "*" || o == other {
			return true
		}
	}
	return false
}

// MayCirculate reports whether members of role may activate or invite other.
func (p *Pipeline) MayCirculate(role, other string) bool {
	r, ok := p.Roles[role]
	if !ok {
		return false
	}
	for _, o := range r.MayCirculate {
		if o == "*" || o == other {
			return true
		}
	}
	return false
}

// Zurich is the time zone deadlines are counted in.
var Zurich = func() *time.Location {
	l, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		return time.UTC
	}
	return l
}()

// DueDate returns the deadline of an invitation made at from: days
// calendar days later, or days working days (Monday to Friday) later when
// working; a deadline on a weekend moves to the next Monday. The deadline
// is the end of that day in Zurich.
func DueDate(from time.Time, days int, working bool) time.Time {
	d := from.In(Zurich)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Zurich)
	if working {
		for n := 0; n < days; {
			day = day.AddDate(0, 0, 1)
			if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
				n++
			}
		}
	} else {
		day = day.AddDate(0, 0, days)
	}
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	return EndOfDay(day)
}

// EndOfDay returns the last second of t's day in Zurich.
func EndOfDay(t time.Time) time.Time {
	d := t.In(Zurich)
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, Zurich).UTC()
}
