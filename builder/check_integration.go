package builder

import (
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/robfig/cron/v3"
)

var (
	// SecretNameRE is the form of a stored secret's name.
	SecretNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	headerNameRE = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
	placeholdRE  = regexp.MustCompile(`\{([^{}]*)\}`)
)

// reservedHeaders are set by Guichet itself on outgoing requests.
var reservedHeaders = []string{"authorization", "content-type", "content-length", "host", "idempotency-key",
	"user-agent", "webhook-id", "webhook-timestamp", "webhook-signature", "connection", "transfer-encoding"}

// integrationChecker checks the integration of one scenario.
type integrationChecker struct {
	*checker
	path        string
	form        *checkedForm
	states      map[string]bool
	transitions map[string]bool
	pipeline    bool
}

// integration checks the integration of scenario s at path
// ($.scenarios[i]); form is its compiled form, if any.
func (c *checker) integration(path string, s *Scenario, form *checkedForm) {
	in := s.Integration
	if in == nil {
		return
	}
	path += ".integration"
	if s.Kind != ScenarioAPI {
		c.addf(path, "only api scenarios have an integration")
		return
	}
	if c.online != nil && c.online != s {
		c.addf(path, "only the first scenario with a form (%q) receives dossiers: this integration would never run", c.online.ID)
	}
	ic := &integrationChecker{checker: c, path: path, form: form, states: map[string]bool{}, transitions: map[string]bool{}}
	if p := s.Pipeline; p != nil {
		ic.pipeline = true
		for _, st := range p.States {
			ic.states[st.ID] = true
		}
		for _, t := range p.Transitions {
			ic.transitions[t.ID] = true
		}
	}
	ic.check(in)
}

func (ic *integrationChecker) check(in *Integration) {
	p := ic.path
	switch {
	case in.ID == "":
		ic.addf(p+".id", "an integration needs an id: it names its webhook address /hooks/{slug}.{id}")
	case !idRE.MatchString(in.ID) || len(in.ID) > 40:
		ic.addf(p+".id", "integration id %q: use lowercase letters, digits and single dashes (at most 40)", in.ID)
	}
	if in.URL != "" {
		ic.checkURL(p+".url", in)
	}
	ic.checkAuth(p+".auth", in.Auth)
	ic.checkHeaders(p+".headers", in.Headers)
	if in.Timeout != "" {
		if d, err := parseDuration(in.Timeout); err != nil {
			ic.addf(p+".timeout", `write a duration such as "30s", "10m" or "1h"`)
		} else if d < 100*time.Millisecond || d > MaxIntegrationTimeout {
			ic.addf(p+".timeout", "a timeout is between 100ms and %s, not %s", MaxIntegrationTimeout, in.Timeout)
		}
	}
	ic.checkRetry(p+".retry", in.Retry)
	if in.Push == nil && in.Webhook == nil && in.Poll == nil {
		ic.addf(p, "an integration does at least one thing: push, webhook or poll")
	}
	if in.Push != nil {
		ic.checkPush(p+".push", in.Push)
	}
	if in.Webhook != nil {
		ic.checkWebhook(p+".webhook", in.Webhook)
	}
	if in.Poll != nil {
		ic.checkPoll(p+".poll", in.Poll)
	}
}

func (ic *integrationChecker) checkURL(path string, in *Integration) {
	u, err := url.Parse(in.URL)
	if err != nil || !isAbsoluteURL(in.URL) {
		ic.addf(path, "the URL must be an absolute http or https URL, such as https://voirie.example.ch/api")
		return
	}
	if u.User != nil {
		ic.addf(path, "the URL must not hold credentials: store them as a secret and name it in auth")
	}
	if u.Fragment != "" || u.RawQuery != "" {
		ic.addf(path, "the URL is a base address without query or fragment; paths are added to it")
	}
	host := strings.ToLower(u.Hostname())
	if ip, err := netip.ParseAddr(host); err == nil && IsMetadataAddress(ip) {
		ic.addf(path, "%s is a cloud metadata address: calls to it are always refused", host)
		return
	}
	if in.Internal {
		return
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		ic.addf(path, "%s is the local machine: calls to it are refused unless the integration is marked internal", host)
		return
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if why := BlockedAddress(ip); why != "" {
			ic.addf(path, "%s is a %s address: calls to it are refused unless the integration is marked internal (\"internal\": true)", host, addressKind(why))
		}
	}
}

func (ic *integrationChecker) checkAuth(path string, a *IntegrationAuth) {
	if a == nil {
		return
	}
	switch a.Kind {
	case AuthNone:
		if a.Secret != "" {
			ic.addf(path+".secret", "auth %q uses no secret", a.Kind)
		}
	case AuthBearer, AuthBasic, AuthSignature:
		ic.secretName(path+".secret", a.Secret, textf("auth %s", a.Kind))
	case "":
		ic.addf(path+".kind", "an auth kind is required: none, bearer, basic or signature")
	default:
		ic.addf(path+".kind", "unknown auth kind %q: use none, bearer, basic or signature", a.Kind)
	}
	switch {
	case a.Kind == AuthBasic && a.Username == "":
		ic.addf(path+".username", "basic auth needs a username")
	case a.Kind == AuthBasic && strings.Contains(a.Username, ":"):
		ic.addf(path+".username", "a basic auth username cannot contain \":\"")
	case a.Kind != AuthBasic && a.Username != "":
		ic.addf(path+".username", "only basic auth has a username")
	}
}

func (ic *integrationChecker) secretName(path, name string, what any) {
	switch {
	case name == "":
		ic.addf(path, "%s needs the name of a stored secret (admins set its value in the integrations' secrets)", what)
	case strings.HasPrefix(name, "${") || strings.HasPrefix(name, "whsec_") || !SecretNameRE.MatchString(name):
		ic.addf(path, "%q is not a secret name: write the name of a stored secret (lowercase letters, digits, - and _), never the secret itself", clip(name))
	}
}

// clip shortens a value quoted in a problem, in case it is a secret.
func clip(s string) string {
	if len(s) > 12 {
		return s[:6] + "…"
	}
	return s
}

func (ic *integrationChecker) checkHeaders(path string, hs map[string]string) {
	names := make([]string, 0, len(hs))
	for k := range hs {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		hp := keyPath(path, k)
		switch {
		case !headerNameRE.MatchString(k):
			ic.addf(hp, "%q is not a valid header name", k)
		case slices.Contains(reservedHeaders, strings.ToLower(k)):
			ic.addf(hp, "Guichet sets the %s header itself (use auth for credentials)", k)
		}
		if strings.ContainsAny(hs[k], "\r\n") {
			ic.addf(hp, "a header value must be on one line")
		}
	}
}

func (ic *integrationChecker) checkRetry(path string, r *RetryPolicy) {
	if r == nil {
		return
	}
	if r.Attempts < 0 || r.Attempts > 50 {
		ic.addf(path+".attempts", "attempts are between 1 and 50, not %d", r.Attempts)
	}
	for _, f := range []struct{ name, v string }{{"initial", r.Initial}, {"max", r.Max}} {
		if f.v == "" {
			continue
		}
		d, err := parseDuration(f.v)
		switch {
		case err != nil:
			ic.addf(path+"."+f.name, `write a duration such as "30s", "10m" or "1h"`)
		case d < 10*time.Millisecond || d > 24*time.Hour:
			ic.addf(path+"."+f.name, "a retry delay is between 10ms and 24h, not %s", f.v)
		}
	}
}

func (ic *integrationChecker) checkPush(path string, p *Push) {
	if len(p.On) == 0 {
		ic.addf(path+".on", `a push needs the events it fires on, such as [{"event": "dossier.submitted"}]`)
	}
	for i, t := range p.On {
		tp := indexPath(path+".on", i)
		switch t.Event {
		case EventSubmitted:
			if t.State != "" {
				ic.addf(tp+".state", "state narrows only %s", EventEntered)
			}
		case EventEntered:
			if t.State != "" {
				ic.state(tp+".state", t.State)
			}
		default:
			ic.addf(tp+".event", "a push fires on %s or %s, not %q", EventSubmitted, EventEntered, t.Event)
		}
	}
	switch p.Method {
	case "", "POST", "PUT", "PATCH":
	default:
		ic.addf(path+".method", "a push uses POST, PUT or PATCH, not %q", p.Method)
	}
	ic.pathTemplate(path+".path", p.Path, false)
	if strings.TrimSpace(p.Body) == "" {
		ic.addf(path+".body", `a push needs a body expression, such as {"reference": reference, "name": data.last_name}`)
	} else {
		ic.expression(path+".body", p.Body, ContextPushBody, false)
	}
	if p.Response != nil {
		ic.mapping(path+".response", p.Response, ContextPushResponse)
	}
}

func (ic *integrationChecker) checkWebhook(path string, w *Webhook) {
	ic.secretName(path+".secret", w.Secret, noun("a webhook"))
	switch w.Dossier.By {
	case MatchReference, MatchExternalID:
	case "":
		ic.addf(path+".dossier.by", "say how a call names its dossier: by \"reference\" or by \"externalId\"")
	default:
		ic.addf(path+".dossier.by", "unknown %q: use \"reference\" or \"externalId\"", w.Dossier.By)
	}
	if strings.TrimSpace(w.Dossier.Value) == "" {
		ic.addf(path+".dossier.value", "an expression over payload gives the dossier's %s, such as payload.reference", w.Dossier.By)
	} else {
		ic.expression(path+".dossier.value", w.Dossier.Value, ContextWebhookMatch, false)
	}
	ic.mapping(path+".update", &w.Update, ContextWebhook)
}

func (ic *integrationChecker) checkPoll(path string, p *Poll) {
	switch {
	case strings.TrimSpace(p.Schedule) == "":
		ic.addf(path+".schedule", `a poll needs a schedule: a cron expression such as "*/15 7-18 * * 1-5" or "@every 10m"`)
	default:
		if _, err := cron.ParseStandard(p.Schedule); err != nil {
			ic.addf(path+".schedule", "the schedule does not parse: %v", err)
		} else if strings.HasPrefix(p.Schedule, "@every ") {
			if d, err := parseDuration(strings.TrimPrefix(p.Schedule, "@every ")); err == nil && d < time.Second {
				ic.addf(path+".schedule", "a poll runs at most once a second")
			}
		}
	}
	ic.pathTemplate(path+".path", p.Path, true)
	for i, s := range p.States {
		ic.state(indexPath(path+".states", i), s)
	}
	if p.Concurrency < 0 || p.Concurrency > MaxPollConcurrency {
		ic.addf(path+".concurrency", "concurrency is between 1 and %d, not %d", MaxPollConcurrency, p.Concurrency)
	}
	if p.RatePerSecond < 0 || p.RatePerSecond > MaxPollRate {
		ic.addf(path+".ratePerSecond", "the rate is between 0.01 and %g requests a second, not %g", MaxPollRate, p.RatePerSecond)
	}
	ic.mapping(path+".update", &p.Update, ContextPoll)
}

// pathTemplate checks a push or poll path; a poll path must name the
// dossier.
func (ic *integrationChecker) pathTemplate(path, tpl string, names bool) {
	if tpl == "" && !names {
		return
	}
	if !strings.HasPrefix(tpl, "/") {
		ic.addf(path, "a path starts with /, such as /signalements/{external_id}")
		return
	}
	if strings.ContainsAny(tpl, " \t\r\n#") {
		ic.addf(path, "a path must not contain spaces or #")
	}
	named := false
	for _, m := range placeholdRE.FindAllStringSubmatch(tpl, -1) {
		if !slices.Contains(pathPlaceholders, m[1]) {
			ic.addf(path, "unknown placeholder {%s}: use {reference}, {external_id} or {dossier_id}", m[1])
		}
		named = true
	}
	if names && !named {
		ic.addf(path, "a poll path names the dossier with {reference}, {external_id} or {dossier_id}")
	}
	if _, err := url.Parse(ExpandPath(tpl, map[string]string{"reference": "R", "external_id": "E", "dossier_id": "D"})); err != nil {
		ic.addf(path, "the path is not a valid URL path: %v", err)
	}
}

func (ic *integrationChecker) mapping(path string, m *UpdateMapping, ctx MappingContext) {
	if m.ExternalID == "" && len(m.Transitions) == 0 && len(m.Set) == 0 && m.Message == "" && ctx != ContextPushResponse {
		ic.addf(path, "the update does nothing: give it transitions, set, message or externalId")
	}
	if m.ExternalID != "" {
		ic.expression(path+".externalId", m.ExternalID, ctx, false)
	}
	if len(m.Transitions) > 0 && !ic.pipeline {
		ic.addf(path+".transitions", "the scenario has no pipeline, so no transition to fire")
	}
	for i, t := range m.Transitions {
		tp := indexPath(path+".transitions", i)
		if ic.pipeline && !ic.transitions[t.Transition] {
			ic.addf(tp+".transition", "unknown transition %q", t.Transition)
		}
		if t.If != "" {
			ic.expression(tp+".if", t.If, ctx, true)
		}
	}
	seen := map[string]bool{}
	for i, f := range m.Set {
		fp := indexPath(path+".set", i)
		switch {
		case f.Field == "":
			ic.addf(fp+".field", "name the field to set")
		case seen[f.Field]:
			ic.addf(fp+".field", "field %q is set twice", f.Field)
		case ic.form != nil:
			if _, _, ok := ic.form.schema.property("/" + f.Field); !ok || strings.Contains(f.Field, "/") {
				ic.addf(fp+".field", "the form has no field %q", f.Field)
			}
		}
		seen[f.Field] = true
		if f.Value == "" {
			ic.addf(fp+".value", "a set needs a value expression")
		} else {
			ic.expression(fp+".value", f.Value, ctx, false)
		}
	}
	if m.Message != "" {
		ic.expression(path+".message", m.Message, ctx, false)
	}
}

func (ic *integrationChecker) state(path, id string) {
	if ic.pipeline && !ic.states[id] {
		ic.addf(path, "unknown state %q", id)
	} else if !ic.pipeline {
		ic.addf(path, "the scenario has no pipeline, so no state %q", id)
	}
}

// expression compiles a mapping and checks the names it uses: those of
// its context, and fields the form has.
func (ic *integrationChecker) expression(path, src string, ctx MappingContext, boolean bool) {
	if _, err := CompileMapping(src, boolean); err != nil {
		ic.addf(path, "the expression does not compile: %v", exprError(err))
		return
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return
	}
	v := &envVisitor{}
	ast.Walk(&tree.Node, v)
	allowed := contextNames[ctx]
	for _, name := range v.names {
		if slices.Contains(envNames, name) && !slices.Contains(allowed, name) && !slices.Contains(v.locals, name) {
			ic.addf(path, "%s is not available here: %s sees %s", name, textf("a %s mapping", string(ctx)), strings.Join(allowed, ", "))
		}
	}
	nv := &namesVisitor{}
	ast.Walk(&tree.Node, nv)
	if ic.form != nil && slices.Contains(allowed, "data") {
		for _, f := range nv.fields {
			if _, _, ok := ic.form.schema.property("/" + f); !ok {
				ic.addf(path, "data.%s: the form has no field %q", f, f)
			}
		}
	}
}

// envVisitor collects the identifiers an expression uses and the names
// it declares with let.
type envVisitor struct{ names, locals []string }

func (v *envVisitor) Visit(n *ast.Node) {
	switch n := (*n).(type) {
	case *ast.IdentifierNode:
		if !slices.Contains(v.names, n.Value) {
			v.names = append(v.names, n.Value)
		}
	case *ast.VariableDeclaratorNode:
		v.locals = append(v.locals, n.Name)
	}
}

// String names the context in messages.
func (m MappingContext) String() string { return fmt.Sprintf("a %s mapping", string(m)) }

// addressKind is the translatable kind of a blocked address, from
// [BlockedAddress].
func addressKind(why string) any {
	kinds := map[string]noun{
		"invalid":                    noun("invalid"),
		"loopback":                   noun("loopback"),
		"unspecified":                noun("unspecified"),
		"private":                    noun("private"),
		"link-local":                 noun("link-local"),
		"multicast":                  noun("multicast"),
		"shared (carrier-grade NAT)": noun("shared (carrier-grade NAT)"),
		"reserved":                   noun("reserved"),
	}
	if k, ok := kinds[why]; ok {
		return k
	}
	return why
}
