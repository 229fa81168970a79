package integrations

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/adminapi/sample"
	"github.com/guichet/guichet/server/httpx"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
)

// Bounds of a test call.
const (
	// MaxTestCallBytes bounds the request body of a test call (413
	// beyond).
	MaxTestCallBytes = 1 << 20
	// maxTestText is how much of the answer's body a test call shows.
	maxTestText = 16 << 10
)

// The calls an admin may test.
const (
	CallPing = "ping" // GET the base URL
	CallPush = "push" // the push, its body made from the sample dossier
	CallPoll = "poll" // the poll of the sample dossier
)

// The outcomes of a test call, classified as the real deliveries are.
const (
	OutcomeOK        = "ok"        // 2xx
	OutcomeRetry     = "retry"     // 408, 429, 5xx, an answer that is not JSON: a delivery would be retried
	OutcomePermanent = "permanent" // other statuses: a delivery would be dead
	OutcomeNetwork   = "network"   // no answer: connection refused, timeout… (retried)
	OutcomeBlocked   = "blocked"   // refused by the SSRF protection
)

// testCallRequest is a test call of a draft integration.
type testCallRequest struct {
	// Procedure is the slug of the procedure whose draft gives the
	// sample data, the reference prefix and the pipeline (optional).
	Procedure   string               `json:"procedure"`
	Integration *builder.Integration `json:"integration"`
	Call        string               `json:"call"`
	Dossier     *testDossier         `json:"dossier"`
}

// testDossier overrides the sample dossier.
type testDossier struct {
	Reference  string         `json:"reference"`
	ExternalID string         `json:"externalId"`
	State      string         `json:"state"`
	Data       map[string]any `json:"data"`
}

// testCallResult is what a test call did and what came back.
type testCallResult struct {
	Request      testRequest       `json:"request"`
	Response     *testResponse     `json:"response"`
	Outcome      string            `json:"outcome"`
	Error        string            `json:"error"`
	Update       *testUpdate       `json:"update"`
	MappingError *testMappingError `json:"mappingError"`
}

type testRequest struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"` // as sent, secrets masked
	Body    string            `json:"body"`
}

type testResponse struct {
	Status     int               `json:"status"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body"`
	Truncated  bool              `json:"truncated"`
	DurationMs int64             `json:"durationMs"`
}

// testUpdate is what the response mapping would do to the dossier.
type testUpdate struct {
	ExternalID string `json:"externalId"`
	// Transition is the one that would fire from the sample dossier's
	// state ("" for none); Transitions are every candidate whose
	// condition held, in order.
	Transition  string         `json:"transition"`
	Transitions []string       `json:"transitions"`
	Set         map[string]any `json:"set"`
	Message     string         `json:"message"`
}

type testMappingError struct {
	Path    string `json:"path"`    // in the procedure definition
	Pointer string `json:"pointer"` // in the request body
	Detail  string `json:"detail"`
}

// testCall calls the business application of a draft integration once,
// through the same connection, auth, signature, timeout and SSRF
// protection as the deliveries, and says what the answer's mapping would
// do. It writes nothing.
func (s *Service) testCall(c *fiber.Ctx) error {
	lang := httpx.APILang(c)
	if len(c.Body()) > MaxTestCallBytes {
		return problem(http.StatusRequestEntityTooLarge, httpx.InLang(lang, "le corps d’un appel d’essai fait au plus %d octets",
			"a test call's body is at most %d bytes"), MaxTestCallBytes)
	}
	var in testCallRequest
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return problem(http.StatusBadRequest, httpx.InLang(lang, "le corps doit être un objet JSON {\"integration\": {…}, \"call\": \"ping|push|poll\"} : %v",
			"the body must be a JSON object {\"integration\": {…}, \"call\": \"ping|push|poll\"}: %v"), err)
	}
	ctx := c.UserContext()
	t, err := s.prepareTest(ctx, &in, lang)
	if err != nil {
		return err
	}
	res, err := t.run(ctx, s, lang)
	if err != nil {
		return err
	}
	status := 0
	if res.Response != nil {
		status = res.Response.Status
	}
	s.log.Info("integration test call", "integration", t.ci.key, "call", in.Call, "method", res.Request.Method,
		"url", res.Request.URL, "status", status, "outcome", res.Outcome, "user_id", s.userID(c))
	return c.JSON(res)
}

// testPlan is a validated test call.
type testPlan struct {
	call     string
	ci       *compiled
	pipeline *builder.Pipeline // of the draft, nil without procedure
	dossier  *store.Dossier
	data     map[string]any
}

// prepareTest validates a test call: the integration passes the
// builder's checks in its procedure's draft (or alone), has a URL and
// what the call needs; it builds the sample dossier. Its problems are in
// lang.
func (s *Service) prepareTest(ctx context.Context, in *testCallRequest, lang string) (*testPlan, error) {
	var errs []httpx.FieldProblem
	switch in.Call {
	case CallPing, CallPush, CallPoll:
	default:
		errs = append(errs, httpx.FieldProblem{Pointer: "/call", Detail: httpx.InLang(lang, "call vaut ping, push ou poll", "call is ping, push or poll")})
	}
	if in.Integration == nil {
		errs = append(errs, httpx.FieldProblem{Pointer: "/integration", Detail: httpx.InLang(lang,
			"donnez l’intégration à essayer, telle qu’elle est dans le brouillon", "give the integration to test, as in the draft")})
		return nil, unprocessable(errs, lang)
	}
	def, idx, err := s.testDefinition(ctx, in, lang)
	if err != nil {
		return nil, err
	}
	path := "$.integration"
	if idx >= 0 {
		path = fmt.Sprintf("$.scenarios[%d].integration", idx)
	}
	errs = append(errs, integrationProblems(def, idx, in.Integration, path, lang)...)
	itg := in.Integration
	if strings.TrimSpace(itg.URL) == "" {
		errs = append(errs, httpx.FieldProblem{Pointer: "/integration/url", Detail: httpx.InLang(lang,
			"l’intégration a besoin d’une URL à appeler", "the integration needs a URL to call")})
	}
	switch {
	case in.Call == CallPush && itg.Push == nil:
		errs = append(errs, httpx.FieldProblem{Pointer: "/integration/push", Detail: httpx.InLang(lang,
			"l’intégration n’a pas de push à essayer", "the integration has no push to test")})
	case in.Call == CallPoll && itg.Poll == nil:
		errs = append(errs, httpx.FieldProblem{Pointer: "/integration/poll", Detail: httpx.InLang(lang,
			"l’intégration n’a pas de poll à essayer", "the integration has no poll to test")})
	}
	if len(errs) > 0 {
		return nil, unprocessable(errs, lang)
	}
	slug := "test"
	if def != nil {
		slug = def.Slug
	}
	ci, err := compileDefinition(builder.IntegrationKey(slug, itg.ID), path, itg)
	if err != nil { // the checks compile the same expressions: not expected
		return nil, unprocessable([]httpx.FieldProblem{{Pointer: "/integration", Path: path, Detail: err.Error()}}, lang)
	}
	t := &testPlan{call: in.Call, ci: ci}
	if idx >= 0 {
		t.pipeline = def.Scenarios[idx].Pipeline
	}
	t.dossier, t.data = s.sampleDossier(def, idx, in.Dossier)
	var tpl string
	switch in.Call {
	case CallPush:
		tpl = itg.Push.Path
	case CallPoll:
		tpl = itg.Poll.Path
	}
	if builder.UsesPlaceholder(tpl, "external_id") && t.dossier.ExternalID == nil {
		return nil, unprocessable([]httpx.FieldProblem{{Pointer: "/dossier/externalId",
			Detail: fmt.Sprintf(httpx.InLang(lang, "le chemin du %s, %s, contient {external_id} : donnez un externalId au dossier d’exemple",
				"the %s path %s names {external_id}: give the sample dossier an externalId"), in.Call, tpl)}}, lang)
	}
	return t, nil
}

// testDefinition returns the procedure the integration is checked in:
// the draft of in.Procedure with the integration put on its scenario
// with a form (idx), or nil and -1 without procedure.
func (s *Service) testDefinition(ctx context.Context, in *testCallRequest, lang string) (*builder.Procedure, int, error) {
	if in.Procedure == "" {
		return nil, -1, nil
	}
	o, err := store.ProcedureOverviewBySlug(ctx, s.db.Read, in.Procedure)
	if errors.Is(err, store.ErrNotFound) {
		return nil, 0, unprocessable([]httpx.FieldProblem{{Pointer: "/procedure", Detail: httpx.InLang(lang,
			fmt.Sprintf("la démarche «\u00a0%s\u00a0» n’existe pas", in.Procedure), fmt.Sprintf("there is no procedure %q", in.Procedure))}}, lang)
	} else if err != nil {
		return nil, 0, err
	}
	def, err := builder.Parse(o.Draft)
	if err != nil {
		return nil, 0, unprocessable([]httpx.FieldProblem{{Pointer: "/procedure", Detail: httpx.InLang(lang,
			"son brouillon ne se lit pas : ", "its draft does not parse: ") + err.Error()}}, lang)
	}
	online := def.OnlineScenario()
	if online == nil {
		return nil, 0, unprocessable([]httpx.FieldProblem{{Pointer: "/procedure", Detail: httpx.InLang(lang,
			fmt.Sprintf("la démarche «\u00a0%s\u00a0» n’a pas de scénario avec un formulaire pour recevoir des dossiers", in.Procedure),
			fmt.Sprintf("procedure %q has no scenario with a form to receive dossiers", in.Procedure))}}, lang)
	}
	return def, slices.IndexFunc(def.Scenarios, func(sc builder.Scenario) bool { return sc.ID == online.ID }), nil
}

// integrationProblems runs the builder's checks on the integration, in
// def's scenario idx, or alone in an api scenario whose pipeline has the
// states and transitions it names. It checks a copy marked internal: an
// address the SSRF protection refuses is the call's outcome ("blocked"),
// not a problem of the request. The problems are in lang.
func integrationProblems(def *builder.Procedure, idx int, in *builder.Integration, path, lang string) []httpx.FieldProblem {
	check := *in
	check.Internal = true
	if idx >= 0 {
		def.Scenarios[idx].Integration = &check
	} else {
		def = &builder.Procedure{Slug: "test", Title: "Test", Audience: builder.AudiencePublic, ReferencePrefix: "TEST",
			Scenarios: []builder.Scenario{{ID: "api", Kind: builder.ScenarioAPI, Pipeline: namedPipeline(in), Integration: &check}}}
		idx = 0
	}
	prefix := fmt.Sprintf("$.scenarios[%d].integration", idx)
	var out []httpx.FieldProblem
	for _, p := range builder.Check(def) {
		rest, ok := strings.CutPrefix(p.Path, prefix)
		if !ok || (rest != "" && rest[0] != '.' && rest[0] != '[') {
			continue
		}
		out = append(out, httpx.FieldProblem{Pointer: "/integration" + httpx.PathPointer(rest), Path: path + rest, Detail: p.In(lang)})
	}
	return out
}

// namedPipeline is a pipeline with the states and transitions an
// integration names, so that checking it alone does not report them as
// unknown.
func namedPipeline(in *builder.Integration) *builder.Pipeline {
	p := &builder.Pipeline{}
	state := func(id string) {
		if id != "" && !slices.ContainsFunc(p.States, func(s builder.State) bool { return s.ID == id }) {
			p.States = append(p.States, builder.State{ID: id})
		}
	}
	mapping := func(m *builder.UpdateMapping) {
		if m == nil {
			return
		}
		for _, t := range m.Transitions {
			if t.Transition != "" && !slices.ContainsFunc(p.Transitions, func(x builder.Transition) bool { return x.ID == t.Transition }) {
				p.Transitions = append(p.Transitions, builder.Transition{ID: t.Transition})
			}
		}
	}
	if in.Push != nil {
		for _, t := range in.Push.On {
			state(t.State)
		}
		mapping(in.Push.Response)
	}
	if in.Webhook != nil {
		mapping(&in.Webhook.Update)
	}
	if in.Poll != nil {
		for _, st := range in.Poll.States {
			state(st)
		}
		mapping(&in.Poll.Update)
	}
	return p
}

// sampleDossier builds the dossier of a test call: a reference with the
// procedure's prefix, data made from its draft form, its pipeline's
// initial state, then the request's overrides. It is never stored.
func (s *Service) sampleDossier(def *builder.Procedure, idx int, o *testDossier) (*store.Dossier, map[string]any) {
	now := s.now()
	prefix, state, data := "TEST", runtime.InitialState, map[string]any{}
	if def != nil {
		if def.ReferencePrefix != "" {
			prefix = def.ReferencePrefix
		}
		sc := def.Scenarios[idx]
		if f, err := forms.Compile(sc.Form.Schema, sc.Form.UISchema); err == nil {
			data = sample.Data(f, now)
		}
		if p := sc.Pipeline; p != nil && len(p.States) > 0 {
			state = p.States[0].ID
			if i := slices.IndexFunc(p.States, func(st builder.State) bool { return st.Kind == builder.StateInitial }); i >= 0 {
				state = p.States[i].ID
			}
		}
	}
	d := &store.Dossier{ID: store.NewID(), Reference: fmt.Sprintf("%s-%d-00001", prefix, now.Year()), State: state,
		SubmittedAt: now.UTC()}
	if o != nil {
		if o.Reference != "" {
			d.Reference = o.Reference
		}
		if o.State != "" {
			d.State = o.State
		}
		if o.ExternalID != "" {
			d.ExternalID = &o.ExternalID
		}
		if o.Data != nil {
			data = o.Data
		}
	}
	return d, data
}

// run makes the call and maps its answer; what it returns never shows
// the secret (see redactor), however the application echoes it.
func (t *testPlan) run(ctx context.Context, s *Service, lang string) (*testCallResult, error) {
	ci, d, in := t.ci, t.dossier, t.ci.def
	res := &testCallResult{Request: testRequest{Method: http.MethodGet, URL: in.URL, Headers: map[string]string{}}}
	e := env(d, t.data, s.now())
	var body []byte
	switch t.call {
	case CallPush:
		push := in.Push
		if push.Method != "" {
			res.Request.Method = push.Method
		} else {
			res.Request.Method = http.MethodPost
		}
		res.Request.URL = joinURL(in.URL, builder.ExpandPath(push.Path, pathValues(d)))
		if len(push.On) > 0 {
			e.Event = builder.IntegrationEvent{Name: push.On[0].Event, State: push.On[0].State}
			if e.Event.Name == builder.EventEntered && e.Event.State == "" {
				e.Event.State = d.State
			}
		}
		v, err := run(ci.pushBody, e, ci.path+".push.body")
		if err == nil {
			if body, err = json.Marshal(v); err != nil {
				err = &MappingError{Path: ci.path + ".push.body", Err: fmt.Errorf("gave a value that is not JSON: %v", err)}
			}
		}
		if err != nil { // a delivery would be dead without being sent
			res.Outcome, res.Error = OutcomePermanent, err.Error()
			res.MappingError = mappingErrorOf(err, ci.path)
			return res, nil
		}
		res.Request.Body = string(body)
	case CallPoll:
		res.Request.URL = joinURL(in.URL, builder.ExpandPath(in.Poll.Path, pathValues(d)))
	}
	c, err := s.connect(ctx, ci)
	var se *SecretError
	if errors.As(err, &se) {
		return nil, unprocessable([]httpx.FieldProblem{{Pointer: "/integration/auth/secret", Path: ci.path + ".auth.secret", Detail: se.Error()}}, lang)
	} else if err != nil {
		return nil, err
	}
	defer c.redact.result(res)
	a, sent, err := c.exchange(ctx, res.Request.Method, res.Request.URL, body, "test_"+strings.ReplaceAll(store.NewID(), "-", ""))
	res.Request.Headers = maskHeaders(sent, c.redact)
	res.Outcome = outcomeOf(err)
	if err != nil {
		res.Error = err.Error()
	}
	if a != nil {
		res.Response = &testResponse{Status: a.status, Headers: c.redact.header(a.header), DurationMs: a.duration.Milliseconds()}
		res.Response.Body, res.Response.Truncated = clipText([]byte(c.redact.text(string(a.body))), len(a.body) >= maxResponseBytes)
		if res.Response.Truncated {
			res.Response.Body = c.redact.cut(res.Response.Body)
		}
	}
	if err != nil || a == nil {
		return res, nil
	}
	var m *mapping
	var response any
	var parse func(*answer) (any, error)
	switch t.call {
	case CallPush:
		if m = ci.pushResponse; m != nil {
			parse = pushAnswer
		}
	case CallPoll:
		m = ci.poll
		parse = func(a *answer) (any, error) { return pollAnswer(res.Request.URL, a) }
	}
	if parse != nil {
		response, err = parse(a)
	}
	if err != nil { // a delivery would be retried
		res.Outcome, res.Error = outcomeOf(err), err.Error()
		// The message quotes the answer: made again from the answer
		// without the secret, so that it is not cut in the middle of it.
		shown := *a
		shown.body = []byte(c.redact.text(string(a.body)))
		if _, err := parse(&shown); err != nil {
			res.Error = err.Error()
		}
		return res, nil
	}
	if m == nil {
		return res, nil
	}
	e.Response, e.Status = response, a.status
	upd, err := m.eval(e)
	if err != nil {
		res.Error = err.Error()
		res.MappingError = mappingErrorOf(err, ci.path)
		return res, nil
	}
	res.Update = &testUpdate{ExternalID: upd.ExternalID, Transitions: upd.Transitions, Set: upd.Set, Message: upd.Message,
		Transition: firing(t.pipeline, d.State, upd.Transitions)}
	if res.Update.Transitions == nil {
		res.Update.Transitions = []string{}
	}
	if res.Update.Set == nil {
		res.Update.Set = map[string]any{}
	}
	return res, nil
}

// firing returns the candidate transition that fires from state: the
// first possible from it and not leading to it, as the runtime decides;
// without pipeline (no procedure) the first candidate.
func firing(p *builder.Pipeline, state string, candidates []string) string {
	if p == nil {
		if len(candidates) > 0 {
			return candidates[0]
		}
		return ""
	}
	for _, id := range candidates {
		i := slices.IndexFunc(p.Transitions, func(t builder.Transition) bool { return t.ID == id })
		if i >= 0 && p.Transitions[i].To != state && slices.Contains(p.Transitions[i].From, state) {
			return id
		}
	}
	return ""
}

// outcomeOf classifies the error of a call as the deliveries do.
func outcomeOf(err error) string {
	var ce *CallError
	var be *BlockedError
	switch {
	case err == nil:
		return OutcomeOK
	case errors.As(err, &be):
		return OutcomeBlocked
	case !errors.As(err, &ce):
		return OutcomeNetwork
	case ce.Status == 0 && ce.Retryable:
		return OutcomeNetwork
	case ce.Retryable:
		return OutcomeRetry
	}
	return OutcomePermanent
}

func mappingErrorOf(err error, base string) *testMappingError {
	var me *MappingError
	if !errors.As(err, &me) {
		return nil
	}
	ptr := "/integration"
	if rest, ok := strings.CutPrefix(me.Path, base); ok {
		ptr += httpx.PathPointer(rest)
	}
	return &testMappingError{Path: me.Path, Pointer: ptr, Detail: me.Err.Error()}
}

// maskHeaders returns the headers sent, one line each, with the
// credentials and signature masked and the secret nowhere.
func maskHeaders(h http.Header, r redactor) map[string]string {
	out := map[string]string{}
	for k, vs := range h {
		v := strings.Join(vs, ", ")
		switch k {
		case "Authorization":
			if scheme, _, ok := strings.Cut(v, " "); ok {
				v = scheme + " " + mask
			} else {
				v = mask
			}
		case http.CanonicalHeaderKey(HeaderSignature):
			v = "v1," + mask
		default:
			v = r.text(v)
		}
		out[k] = v
	}
	return out
}

// result masks the secret in everything a test call shows that comes
// from the application or its answer: the answer's headers and body
// (masked already, as they are cut), the error, what the mapping would
// do.
func (r redactor) result(res *testCallResult) {
	if len(r) == 0 {
		return
	}
	res.Request.Body = r.text(res.Request.Body)
	res.Error = r.text(res.Error)
	if u := res.Update; u != nil {
		u.ExternalID, u.Message = r.text(u.ExternalID), r.text(u.Message)
		for i, t := range u.Transitions {
			u.Transitions[i] = r.text(t)
		}
		u.Set, _ = r.value(u.Set).(map[string]any)
	}
	if me := res.MappingError; me != nil {
		me.Detail = r.text(me.Detail)
	}
}

// value returns v, a JSON value, with its strings masked.
func (r redactor) value(v any) any {
	switch v := v.(type) {
	case string:
		return r.text(v)
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[r.text(k)] = r.value(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = r.value(x)
		}
		return out
	}
	return v
}

// clipText returns at most maxTestText bytes of b as valid UTF-8, and
// whether it was cut (or the answer was).
func clipText(b []byte, cut bool) (string, bool) {
	if len(b) > maxTestText {
		b, cut = b[:maxTestText], true
		for !utf8.Valid(b) && len(b) > maxTestText-utf8.UTFMax { // a character cut in two
			b = b[:len(b)-1]
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), cut
}

// unprocessable is the 422 of a test call with problems, its summary in
// lang.
func unprocessable(errs []httpx.FieldProblem, lang string) error {
	detail := errs[0].Detail
	if len(errs) > 1 {
		detail = fmt.Sprintf(httpx.InLang(lang, "l’appel d’essai a %d problèmes à corriger avant de pouvoir être fait",
			"the test call has %d problems to fix before it can be made"), len(errs))
	}
	return &httpx.ProblemError{Problem: httpx.Problem{Status: http.StatusUnprocessableEntity, Detail: detail, Errors: errs}}
}
