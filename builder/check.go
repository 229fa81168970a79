package builder

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/guichet/guichet/forms"
)

// Problem is one thing wrong with a procedure, attached to the value it is
// about.
type Problem struct {
	// Path is the JSONPath of the value, such as $.scenarios[1].form or
	// $.messages.ack.subject; "$" is the whole procedure.
	Path string `json:"path"`
	// Message is the English text; [Problem.In] renders it in a language.
	Message string `json:"message"`
	text    *text  // Message's format and arguments, for translation
}

// String returns "path: message".
func (p Problem) String() string { return p.Path + ": " + p.Message }

var (
	slugRE       = regexp.MustCompile(`^[a-z0-9-]+$`)
	scenarioIDRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	prefixRE     = regexp.MustCompile(`^[A-Z0-9]{2,10}$`)
)

// Check returns every problem that keeps p from being published, sorted by
// path (array indexes in numeric order; problems on one path in the order
// they were found). It never stops at the first problem: the builder shows
// them all at once. A nil result means p can be published.
func Check(p *Procedure) []Problem {
	if p == nil {
		return []Problem{newProblem("$", "there is no procedure")}
	}
	c := &checker{online: p.OnlineScenario()}
	c.procedure(p)
	for i := range p.Scenarios {
		c.scenario(indexPath("$.scenarios", i), &p.Scenarios[i])
	}
	c.messages(p)
	slices.SortStableFunc(c.problems, func(a, b Problem) int { return comparePaths(a.Path, b.Path) })
	return c.problems
}

// checker collects problems, and the forms that compiled for the message
// checks.
type checker struct {
	problems []Problem
	forms    []checkedForm
	online   *Scenario // the scenario that receives dossiers
}

// checkedForm is the decoded schema of an online or API scenario whose form
// compiled.
type checkedForm struct {
	scenario string // scenario ID
	schema   *schemaDoc
}

// addf adds the problem at path of format (a literal of the catalogue)
// and args.
func (c *checker) addf(path, format string, args ...any) {
	c.problems = append(c.problems, newProblem(path, format, args...))
}

func (c *checker) procedure(p *Procedure) {
	switch n := len(p.Slug); {
	case p.Slug == "":
		c.addf("$.slug", "a slug is required: it names the procedure in its address (/d/{slug})")
	case !slugRE.MatchString(p.Slug):
		c.addf("$.slug", "the slug may only contain lowercase letters without accents, digits and dashes")
	case n < 3 || n > 80:
		c.addf("$.slug", "the slug must be 3 to 80 characters long, not %d", n)
	case strings.HasPrefix(p.Slug, "-") || strings.HasSuffix(p.Slug, "-") || strings.Contains(p.Slug, "--"):
		c.addf("$.slug", "the slug must not start or end with a dash, nor contain two dashes in a row")
	}
	if strings.TrimSpace(p.Title) == "" {
		c.addf("$.title", "a title is required")
	}
	switch p.Audience {
	case AudiencePublic, AudienceAgents:
	case "":
		c.addf("$.audience", `an audience is required: "public" or "agents"`)
	default:
		c.addf("$.audience", `unknown audience %q: use "public" or "agents"`, p.Audience)
	}
	takesDossiers := slices.ContainsFunc(p.Scenarios, func(s Scenario) bool {
		return s.Kind == ScenarioOnline || s.Kind == ScenarioAPI
	})
	switch {
	case p.ReferencePrefix == "" && takesDossiers:
		c.addf("$.referencePrefix", "a reference prefix is required when the procedure has an online or api scenario: it starts the reference of every dossier")
	case p.ReferencePrefix != "" && !prefixRE.MatchString(p.ReferencePrefix):
		c.addf("$.referencePrefix", `the reference prefix must be 2 to 10 uppercase letters or digits, such as "RS"`)
	}
	if len(p.Scenarios) == 0 {
		c.addf("$.scenarios", "a procedure needs at least one scenario")
	}
	seen := map[string]int{}
	for i, s := range p.Scenarios {
		path := indexPath("$.scenarios", i) + ".id"
		switch first, dup := seen[s.ID]; {
		case s.ID == "":
			c.addf(path, "a scenario id is required")
		case !scenarioIDRE.MatchString(s.ID) || len(s.ID) > 40:
			c.addf(path, "a scenario id is made of lowercase letters, digits and single dashes, at most 40 characters")
		case dup:
			c.addf(path, "scenario id %q is already used by %s", s.ID, indexPath("$.scenarios", first))
		default:
			seen[s.ID] = i
		}
	}
}

func (c *checker) scenario(path string, s *Scenario) {
	var f *checkedForm // the scenario's form, once compiled
	switch s.Kind {
	case ScenarioInformation:
		if strings.TrimSpace(s.Body) == "" && len(s.Attachments) == 0 {
			c.addf(path, "an information scenario needs a body or attachments")
		}
	case ScenarioRedirect:
		switch {
		case strings.TrimSpace(s.URL) == "":
			c.addf(path+".url", "a redirect scenario needs the address it leads to")
		case !isAbsoluteURL(s.URL):
			c.addf(path+".url", "the address must be an absolute http or https URL, such as https://famille.example.ch")
		}
	case ScenarioOnline, ScenarioAPI:
		n := len(c.forms)
		c.form(path+".form", s)
		if len(c.forms) > n {
			f = &c.forms[n]
		}
		if s.Pipeline != nil {
			c.pipeline(path+".pipeline", s.Pipeline, f)
		}
	case "":
		c.addf(path+".kind", "a kind is required: information, redirect, online or api")
	default:
		c.addf(path+".kind", "unknown kind %q: use information, redirect, online or api", s.Kind)
	}
	if s.URL != "" && s.Kind != ScenarioRedirect && s.Kind != "" {
		c.addf(path+".url", "only redirect scenarios have a url")
	}
	if s.Form != nil && (s.Kind == ScenarioInformation || s.Kind == ScenarioRedirect) {
		c.addf(path+".form", "only online and api scenarios have a form")
	}
	if s.Pipeline != nil && (s.Kind == ScenarioInformation || s.Kind == ScenarioRedirect) {
		c.addf(path+".pipeline", "only online and api scenarios have a pipeline")
	}
	c.integration(path, s, f)
	for j, a := range s.Attachments {
		ap := indexPath(path+".attachments", j)
		if strings.TrimSpace(a.Title) == "" {
			c.addf(ap+".title", "an attachment needs a title")
		}
		if msg := linkProblem(a.URL); !msg.none() {
			c.addf(ap+".url", "%s", msg)
		}
	}
}

// form checks that an online or API scenario has a form that compiles.
func (c *checker) form(path string, s *Scenario) {
	if s.Form == nil || len(s.Form.Schema) == 0 {
		c.addf(path, "an %s scenario needs a form", s.Kind)
		return
	}
	if _, err := forms.Compile(s.Form.Schema, s.Form.UISchema); err != nil {
		var ce *forms.CompileError
		switch {
		case errors.As(err, &ce) && ce.Pointer != "":
			// The message comes from package forms, in English.
			c.addf(path, "%s %s: %s", formsSource(ce.Source), ce.Pointer, ce.Msg)
		case errors.As(err, &ce):
			c.addf(path, "%s: %s", formsSource(ce.Source), ce.Msg)
		default:
			c.addf(path, "the form does not compile: %v", err)
		}
		return
	}
	if doc, err := parseSchemaDoc(s.Form.Schema); err == nil {
		c.forms = append(c.forms, checkedForm{scenario: s.ID, schema: doc})
	}
}

// isAbsoluteURL reports whether s is an http or https URL with a host.
func isAbsoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		!strings.ContainsAny(s, " \t\r\n")
}

// linkProblem says what is wrong with the URL of an attachment: it must be
// absolute (http or https) or site-relative ("/documents/tarifs.pdf").
func linkProblem(s string) text {
	switch {
	case strings.TrimSpace(s) == "":
		return textf("an attachment needs a URL")
	case strings.ContainsAny(s, " \t\r\n"):
		return textf("the URL must not contain spaces (write them %%20)")
	case isAbsoluteURL(s):
		return text{}
	case strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//"):
		if _, err := url.Parse(s); err == nil {
			return text{}
		}
	}
	return textf("the URL must be an absolute http or https URL or start with / (a page of this site)")
}

// formsSource names the document of a form compile error.
func formsSource(source string) any {
	switch source {
	case "schema":
		return noun("schema")
	case "ui":
		return noun("ui")
	}
	return source
}
