package builder

import (
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
)

// messages checks the acknowledgement templates and the pointers to the
// applicant's email address and name.
func (c *checker) messages(p *Procedure) {
	m := p.Messages
	hasForms := slices.ContainsFunc(p.Scenarios, func(s Scenario) bool {
		return s.Kind == ScenarioOnline || s.Kind == ScenarioAPI
	})
	ack := m.Ack.Subject != "" || m.Ack.Body != ""
	if ack && !hasForms {
		c.addf("$.messages.ack", "only procedures with an online or api scenario send an acknowledgement")
	}
	if ack && m.Ack.Subject == "" {
		c.addf("$.messages.ack.subject", "the acknowledgement needs a subject")
	}
	if ack && m.Ack.Body == "" {
		c.addf("$.messages.ack.body", "the acknowledgement needs a body")
	}
	if strings.ContainsAny(m.Ack.Subject, "\r\n") {
		c.addf("$.messages.ack.subject", "the subject must fit on one line")
	}
	c.template("$.messages.ack.subject", m.Ack.Subject)
	c.template("$.messages.ack.body", m.Ack.Body)
	if ack && hasForms && m.ApplicantEmail == "" {
		c.addf("$.messages.applicantEmail", "the field holding the applicant's email address is required to send the acknowledgement")
	}
	c.pointer("$.messages.applicantEmail", m.ApplicantEmail, hasForms, func(s map[string]any) text {
		if schemaType(s) != "string" || s["format"] != "email" {
			return textf(`must name a string property with "format": "email"`)
		}
		return text{}
	})
	c.pointer("$.messages.applicantName", m.ApplicantName, hasForms, func(s map[string]any) text {
		if schemaType(s) != "string" {
			return textf("must name a string property")
		}
		return text{}
	})
}

var (
	parseErrRE = regexp.MustCompile(`^template: [^:]*:(\d+): (.*)$`)
	execErrRE  = regexp.MustCompile(`^template: [^:]*:(\d+):\d+: executing "[^"]*" at <([^>]*)>: (.*)$`)
)

// The names a message template sees, for the hint of an unknown name:
// the procedure's acknowledgement, and the messages of a pipeline.
var (
	ackNames      = noun(".Reference, .Procedure, .TrackingURL and .Data.<field>")
	pipelineNames = noun(".Reference, .Procedure, .TrackingURL, .State, .DossierURL, .Role, .DueAt and .Data.<field>")
)

// template checks that text parses with text/template and, run on the data
// of each form, names only fields that exist.
func (c *checker) template(path, text string) { c.templateFor(path, text, c.forms, ackNames) }

// templateFor checks text against the data of forms fs; names is the hint
// given for an unknown name.
func (c *checker) templateFor(path, text string, fs []checkedForm, names noun) {
	if text == "" {
		return
	}
	t, err := template.New("message").Option("missingkey=error").Parse(text)
	if err != nil {
		// The cause comes from text/template, in English.
		if m := parseErrRE.FindStringSubmatch(err.Error()); m != nil {
			c.addf(path, "the template does not parse: line %s: %s", m[1], m[2])
		} else {
			c.addf(path, "the template does not parse: %s", err.Error())
		}
		return
	}
	var reported []string
	for _, f := range fs {
		sample, _ := f.schema.sample().(map[string]any)
		data := MessageData{Reference: "RS-0001", Procedure: "…", TrackingURL: "https://…", Data: sample}
		msg := execProblem(t.Execute(io.Discard, data), names)
		if !msg.none() && !slices.Contains(reported, msg.String()) {
			reported = append(reported, msg.String())
			if len(fs) > 1 {
				c.addf(path, "%s (form of scenario %q)", msg, f.scenario)
			} else {
				c.addf(path, "%s", msg)
			}
		}
	}
}

// execProblem explains an error of a template run on sample data when it
// comes from a wrong name; other errors depend on the data and are left
// to the run on a real dossier.
func execProblem(err error, names noun) text {
	if err == nil {
		return text{}
	}
	m := execErrRE.FindStringSubmatch(err.Error())
	if m == nil {
		return text{}
	}
	line, expr, cause := m[1], m[2], m[3]
	switch {
	case strings.HasPrefix(cause, "map has no entry for key"):
		key := strings.TrimPrefix(cause, "map has no entry for key ")
		if k, err := strconv.Unquote(key); err == nil {
			return textf("line %s: {{%s}}: the form has no field %q", line, expr, k)
		}
		return textf("line %s: {{%s}}: the form has no field %s", line, expr, key)
	case strings.HasPrefix(cause, "can't evaluate field"):
		return textf("line %s: {{%s}}: unknown name; a message sees %s", line, expr, names)
	}
	return text{}
}

// pointer checks that ptr, when set, is a JSON pointer naming a property
// of every online or API form, and that want accepts its schema.
func (c *checker) pointer(path, ptr string, hasForms bool, want func(map[string]any) text) {
	switch {
	case ptr == "":
		return
	case !strings.HasPrefix(ptr, "/"):
		c.addf(path, `must be a JSON pointer to a form field, such as "/email"`)
		return
	case !hasForms:
		c.addf(path, "there is no online or api form for %q to point into", ptr)
		return
	}
	for _, f := range c.forms {
		var where any = ""
		if len(c.forms) > 1 {
			where = textf(" of scenario %q", f.scenario)
		}
		s, inList, ok := f.schema.property(ptr)
		switch {
		case inList:
			c.addf(path, "%q points inside a list of the form%s: it must name a single field", ptr, where)
		case !ok:
			c.addf(path, "%q names no property of the form%s", ptr, where)
		default:
			if msg := want(s); !msg.none() {
				c.addf(path, "%q %s", ptr, msg)
			}
		}
	}
}
