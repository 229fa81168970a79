package builder

import (
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

var idRE = scenarioIDRE

// pipeline checks a scenario's pipeline; path is $.scenarios[i].pipeline.
func (c *checker) pipeline(path string, p *Pipeline, form *checkedForm) {
	pc := &pipelineChecker{checker: c, p: p, path: path, data: form,
		states: map[string]*State{}, roles: map[string]*Role{}, messages: map[string]*Message{}, transitions: map[string]*Transition{},
		rules: map[string]bool{}}
	pc.collect()
	pc.checkStates()
	pc.checkTransitions()
	pc.checkRoles()
	pc.checkMessages()
	pc.checkRules()
	pc.checkReachable()
}

type pipelineChecker struct {
	*checker
	p           *Pipeline
	path        string
	data        *checkedForm
	states      map[string]*State
	roles       map[string]*Role
	messages    map[string]*Message
	transitions map[string]*Transition
	rules       map[string]bool
}

// collect indexes the ids, reporting missing, malformed and duplicate ones.
func (pc *pipelineChecker) collect() {
	for i := range pc.p.States {
		pc.id(indexPath(pc.path+".states", i), pc.p.States[i].ID, noun("state"), func() bool {
			_, dup := pc.states[pc.p.States[i].ID]
			pc.states[pc.p.States[i].ID] = &pc.p.States[i]
			return dup
		})
	}
	for i := range pc.p.Roles {
		pc.id(indexPath(pc.path+".roles", i), pc.p.Roles[i].ID, noun("role"), func() bool {
			_, dup := pc.roles[pc.p.Roles[i].ID]
			pc.roles[pc.p.Roles[i].ID] = &pc.p.Roles[i]
			return dup
		})
	}
	for i := range pc.p.Messages {
		pc.id(indexPath(pc.path+".messages", i), pc.p.Messages[i].ID, noun("message"), func() bool {
			_, dup := pc.messages[pc.p.Messages[i].ID]
			pc.messages[pc.p.Messages[i].ID] = &pc.p.Messages[i]
			return dup
		})
	}
	for i := range pc.p.Transitions {
		pc.id(indexPath(pc.path+".transitions", i), pc.p.Transitions[i].ID, noun("transition"), func() bool {
			_, dup := pc.transitions[pc.p.Transitions[i].ID]
			pc.transitions[pc.p.Transitions[i].ID] = &pc.p.Transitions[i]
			return dup
		})
	}
	// Rule IDs name the rule in the errors of a change it fails.
	for i := range pc.p.Rules {
		pc.id(indexPath(pc.path+".rules", i), pc.p.Rules[i].ID, noun("rule"), func() bool {
			dup := pc.rules[pc.p.Rules[i].ID]
			pc.rules[pc.p.Rules[i].ID] = true
			return dup
		})
	}
}

func (pc *pipelineChecker) id(path, id string, what noun, add func() bool) {
	switch {
	case id == "":
		pc.addf(path+".id", "a %s needs an id", what)
	case !idRE.MatchString(id) || len(id) > 60:
		pc.addf(path+".id", "%s id %q: use lowercase letters, digits and single dashes (at most 60)", what, id)
	default:
		if add() {
			pc.addf(path+".id", "%s id %q is used twice", what, id)
		}
	}
}

func (pc *pipelineChecker) checkStates() {
	if len(pc.p.States) == 0 {
		pc.addf(pc.path+".states", "a pipeline needs states: one initial and at least one final")
		return
	}
	initial, final := 0, 0
	for i, s := range pc.p.States {
		sp := indexPath(pc.path+".states", i)
		if strings.TrimSpace(s.Label) == "" {
			pc.addf(sp+".label", "a state needs a label for agents")
		}
		if strings.TrimSpace(s.PublicLabel) == "" {
			pc.addf(sp+".publicLabel", "a state needs a public label for the applicant")
		}
		switch s.Kind {
		case StateInitial:
			initial++
		case StateFinal:
			final++
		case StateIntermediate:
		default:
			pc.addf(sp+".kind", "unknown state kind %q: use initial, intermediate or final", s.Kind)
		}
		for j, m := range s.OnEnter {
			pc.messageTo(indexPath(sp+".onEnter", j), m, RecipientApplicant, false)
		}
	}
	if initial != 1 {
		pc.addf(pc.path+".states", "a pipeline needs exactly one initial state, not %d", initial)
	}
	if final == 0 {
		pc.addf(pc.path+".states", "a pipeline needs at least one final state, which closes the dossier")
	}
}

// messageTo checks that message id exists and, when to is set, goes to it.
func (pc *pipelineChecker) messageTo(path, id, to string, anyRecipient bool) {
	m, ok := pc.messages[id]
	switch {
	case !ok:
		pc.addf(path, "unknown message %q", id)
	case !anyRecipient && to != "" && m.To != to:
		pc.addf(path, "message %q goes to %q, not to %q", id, m.To, to)
	}
}

func (pc *pipelineChecker) state(path, id string) *State {
	s, ok := pc.states[id]
	if !ok {
		pc.addf(path, "unknown state %q", id)
	}
	return s
}

func (pc *pipelineChecker) role(path, id string) *Role {
	r, ok := pc.roles[id]
	if !ok {
		pc.addf(path, "unknown role %q", id)
	}
	return r
}

func (pc *pipelineChecker) checkTransitions() {
	for i, t := range pc.p.Transitions {
		tp := indexPath(pc.path+".transitions", i)
		if strings.TrimSpace(t.Label) == "" {
			pc.addf(tp+".label", "a transition needs a label")
		}
		if len(t.From) == 0 {
			pc.addf(tp+".from", "a transition needs at least one state it starts from")
		}
		for j, f := range t.From {
			if s := pc.state(indexPath(tp+".from", j), f); s != nil && s.Kind == StateFinal {
				pc.addf(indexPath(tp+".from", j), "state %q is final: a closed dossier cannot move on", f)
			}
		}
		pc.state(tp+".to", t.To)
		for j, r := range t.Roles {
			pc.role(indexPath(tp+".roles", j), r)
		}
		if t.Guard != "" {
			pc.expression(tp+".guard", t.Guard, true)
		}
		if t.Form != nil {
			pc.subform(tp+".form", t.Form)
		}
	}
}

func (pc *pipelineChecker) checkRoles() {
	for i, r := range pc.p.Roles {
		rp := indexPath(pc.path+".roles", i)
		if strings.TrimSpace(r.Label) == "" {
			pc.addf(rp+".label", "a role needs a label")
		}
		if r.Kind != RoleProcessing && r.Kind != RoleConsulted {
			pc.addf(rp+".kind", "unknown role kind %q: use processing or consulted", r.Kind)
		}
		if r.OpinionForm != nil {
			pc.subform(rp+".opinionForm", r.OpinionForm)
		}
		if r.Delay != nil && (r.Delay.Days < 0 || r.Delay.Days > 3650) {
			pc.addf(rp+".delay.days", "a delay is 0 to 3650 days, not %d", r.Delay.Days)
		}
		for j, o := range r.SeesOpinionsOf {
			if o != "*" {
				pc.role(indexPath(rp+".seesOpinionsOf", j), o)
			}
		}
		for j, o := range r.MayCirculate {
			if o != "*" {
				pc.role(indexPath(rp+".mayCirculate", j), o)
			}
		}
		if r.Invitation != "" {
			pc.messageTo(rp+".invitation", r.Invitation, r.ID, false)
		}
		if r.Reminder != "" {
			pc.messageTo(rp+".reminder", r.Reminder, r.ID, false)
		}
	}
}

func (pc *pipelineChecker) checkMessages() {
	for i, m := range pc.p.Messages {
		mp := indexPath(pc.path+".messages", i)
		if m.To != RecipientApplicant {
			if _, ok := pc.roles[m.To]; !ok {
				pc.addf(mp+".to", "message to unknown role %q (use \"applicant\" or a role id)", m.To)
			}
		}
		if strings.TrimSpace(m.Subject) == "" {
			pc.addf(mp+".subject", "a message needs a subject")
		} else if strings.ContainsAny(m.Subject, "\r\n") {
			pc.addf(mp+".subject", "the subject must be on one line")
		}
		if strings.TrimSpace(m.Body) == "" {
			pc.addf(mp+".body", "a message needs a body")
		}
		// A pipeline's messages see the data of its own scenario's form.
		var fs []checkedForm
		if pc.data != nil {
			fs = []checkedForm{*pc.data}
		}
		pc.templateFor(mp+".subject", m.Subject, fs, pipelineNames)
		pc.templateFor(mp+".body", m.Body, fs, pipelineNames)
	}
}

// subform checks a transition or opinion form compiles.
func (pc *pipelineChecker) subform(path string, f *Form) {
	s := &Scenario{Kind: ScenarioOnline, Form: f}
	n := len(pc.forms)
	pc.form(path, s)
	pc.forms = pc.forms[:n] // message checks use the scenario's form only
}

// expression compiles src and checks the roles it names.
func (pc *pipelineChecker) expression(path, src string, boolean bool) {
	var err error
	if boolean {
		_, err = CompileCondition(src)
	} else {
		_, err = CompileValue(src)
	}
	if err != nil {
		pc.addf(path, "the expression does not compile: %v", exprError(err))
	}
	// The names are checked even when the expression does not compile for
	// another reason, so that every problem shows at once.
	tree, err := parser.Parse(src)
	if err != nil {
		return
	}
	v := &namesVisitor{}
	ast.Walk(&tree.Node, v)
	for _, r := range v.roles {
		if _, ok := pc.roles[r]; !ok {
			pc.addf(path, "invitations.%s: unknown role %q", r, r)
		}
	}
	for _, f := range v.fields {
		if pc.data != nil {
			if _, _, ok := pc.data.schema.property("/" + f); !ok {
				pc.addf(path, "data.%s: the form has no field %q", f, f)
			}
		}
	}
}

// namesVisitor collects invitations.<role> and data.<field> names.
type namesVisitor struct{ roles, fields []string }

func (v *namesVisitor) Visit(n *ast.Node) {
	m, ok := (*n).(*ast.MemberNode)
	if !ok {
		return
	}
	id, ok := m.Node.(*ast.IdentifierNode)
	prop, ok2 := m.Property.(*ast.StringNode)
	if !ok || !ok2 {
		return
	}
	switch id.Value {
	case "invitations":
		if !slices.Contains(v.roles, prop.Value) {
			v.roles = append(v.roles, prop.Value)
		}
	case "data":
		if !slices.Contains(v.fields, prop.Value) {
			v.fields = append(v.fields, prop.Value)
		}
	}
}
