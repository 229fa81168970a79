package builder

import (
	"regexp"
	"strconv"
	"strings"
)

var events = []string{EventSubmitted, EventEntered, EventInvitationSent, EventOpinionReturned,
	EventInvitationOverdue, EventIntegrationUpdate}

func (pc *pipelineChecker) checkRules() {
	for i, r := range pc.p.Rules {
		rp := indexPath(pc.path+".rules", i)
		known := false
		for _, e := range events {
			known = known || r.On == e
		}
		if !known {
			pc.addf(rp+".on", "unknown event %q: use %s", r.On, strings.Join(events, ", "))
		}
		if r.State != "" {
			pc.state(rp+".state", r.State)
			if r.On != EventEntered {
				pc.addf(rp+".state", "state narrows only %s rules", EventEntered)
			}
		}
		if r.Role != "" {
			pc.role(rp+".role", r.Role)
			if r.On != EventInvitationSent && r.On != EventOpinionReturned && r.On != EventInvitationOverdue {
				pc.addf(rp+".role", "role narrows only invitation and opinion rules")
			}
		}
		if r.If != "" {
			pc.expression(rp+".if", r.If, true)
		}
		if len(r.Do) == 0 {
			pc.addf(rp+".do", "a rule needs at least one action")
		}
		for j, a := range r.Do {
			pc.action(indexPath(rp+".do", j), a)
		}
	}
}

func (pc *pipelineChecker) action(path string, a Action) {
	verbs := 0
	for _, v := range []string{a.Transition, a.Invite, a.Activate, a.Send, a.Set, a.Assign} {
		if v != "" {
			verbs++
		}
	}
	if verbs != 1 {
		pc.addf(path, "an action does exactly one thing: transition, invite, activate, send, set or assign")
		return
	}
	switch {
	case a.Transition != "":
		if _, ok := pc.transitions[a.Transition]; !ok {
			pc.addf(path+".transition", "unknown transition %q", a.Transition)
		}
	case a.Invite != "":
		pc.role(path+".invite", a.Invite)
		if a.Due != "" {
			if _, _, err := ParseDue(a.Due); err != "" {
				pc.addf(path+".due", `write a delay as "10d" (calendar days) or "5wd" (working days)`)
			}
		}
	case a.Activate != "":
		pc.role(path+".activate", a.Activate)
	case a.Send != "":
		pc.messageTo(path+".send", a.Send, "", true)
	case a.Set != "":
		if pc.data != nil {
			if _, _, ok := pc.data.schema.property("/" + a.Set); !ok {
				pc.addf(path+".set", "the form has no field %q", a.Set)
			}
		}
		if a.Value == "" {
			pc.addf(path+".value", "a set action needs a value expression")
		} else {
			pc.expression(path+".value", a.Value, false)
		}
	case a.Assign != "":
	}
	if a.Due != "" && a.Invite == "" {
		pc.addf(path+".due", "due goes with invite")
	}
	if a.Value != "" && a.Set == "" {
		pc.addf(path+".value", "value goes with set")
	}
}

var dueRE = regexp.MustCompile(`^([0-9]{1,4})(d|wd)$`)

// ParseDue parses a deadline length: "10d" (calendar days) or "5wd"
// (working days). It returns a problem message on failure.
func ParseDue(s string) (days int, working bool, problem string) {
	m := dueRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false, `write a delay as "10d" (calendar days) or "5wd" (working days)`
	}
	days, _ = strconv.Atoi(m[1])
	return days, m[2] == "wd", ""
}

// checkReachable reports states no transition leads to from the initial
// state.
func (pc *pipelineChecker) checkReachable() {
	var start string
	for _, s := range pc.p.States {
		if s.Kind == StateInitial {
			start = s.ID
			break
		}
	}
	if start == "" {
		return
	}
	seen := map[string]bool{start: true}
	queue := []string{start}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, t := range pc.p.Transitions {
			for _, f := range t.From {
				if f == cur && !seen[t.To] {
					seen[t.To] = true
					queue = append(queue, t.To)
				}
			}
		}
	}
	for i, s := range pc.p.States {
		if s.ID != "" && !seen[s.ID] {
			pc.addf(indexPath(pc.path+".states", i), "state %q cannot be reached from the initial state %q", s.ID, start)
		}
	}
}
