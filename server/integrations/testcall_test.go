package integrations_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/integrations"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

const (
	essaiSlug  = "voirie-essai"
	essaiToken = "bearer-token-of-the-roads-department-app"
)

// testResult is the answer of POST /api/admin/integrations/test.
type testResult struct {
	Request struct {
		Method  string            `json:"method"`
		URL     string            `json:"url"`
		Headers map[string]string `json:"headers"`
		Body    string            `json:"body"`
	} `json:"request"`
	Response *struct {
		Status     int               `json:"status"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
		Truncated  bool              `json:"truncated"`
		DurationMs int64             `json:"durationMs"`
	} `json:"response"`
	Outcome string `json:"outcome"`
	Error   string `json:"error"`
	Update  *struct {
		ExternalID  string         `json:"externalId"`
		Transition  string         `json:"transition"`
		Transitions []string       `json:"transitions"`
		Set         map[string]any `json:"set"`
		Message     string         `json:"message"`
	} `json:"update"`
	MappingError *struct {
		Path    string `json:"path"`
		Pointer string `json:"pointer"`
		Detail  string `json:"detail"`
	} `json:"mappingError"`
}

// testedApp is the business application of the test calls: GET / and
// /signalements/APP-7 answer, POST /signalements needs the bearer token,
// /down answers 503 and anything else 404. Like a debugging echo
// service, it sends the Authorization header and the body it got back,
// in the X-Echo-Authorization header and in its JSON answers ("echo"),
// and prints what leak holds (its own configuration). It keeps the last
// request.
type testedApp struct {
	srv *httptest.Server

	mu     sync.Mutex
	header http.Header
	body   string
	leak   []string
}

func newTestedApp(t *testing.T) *testedApp {
	ta := &testedApp{}
	ta.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ta.mu.Lock()
		ta.header, ta.body = r.Header.Clone(), string(b)
		leak := ta.leak
		ta.mu.Unlock()
		auth := r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo-Authorization", auth)
		// answer writes v with the echo, and what leaks as JSON writes it
		// (Go, and PHP's \/ and \uXXXX).
		answer := func(status int, v map[string]any) {
			v["echo"] = map[string]any{"authorization": auth, "body": string(b), "config": leak}
			out, _ := json.Marshal(v)
			php := make([]string, len(leak))
			for i, l := range leak {
				php[i] = phpJSON(l)
			}
			out = append(out[:len(out)-1], `,"php":[`+strings.Join(php, ",")+`]}`...)
			w.WriteHeader(status)
			_, _ = w.Write(out)
		}
		switch p := r.URL.Path; {
		case strings.HasPrefix(p, "/down"):
			w.WriteHeader(http.StatusServiceUnavailable)
			// Long enough for the error's excerpt to end in the middle
			// of the echoed header.
			_, _ = io.WriteString(w, "maintenance "+strings.Repeat("x", 170)+" "+auth+" "+strings.Join(leak, " "))
		case r.Method == http.MethodGet && p == "/api":
			answer(http.StatusOK, map[string]any{"ok": true})
		case r.Method == http.MethodPost && p == "/api/signalements":
			if auth != "Bearer "+essaiToken {
				answer(http.StatusUnauthorized, map[string]any{"error": "unauthorized"})
				return
			}
			answer(http.StatusCreated, map[string]any{"id": "APP-7", "status": "recu"})
		case r.Method == http.MethodGet && p == "/api/signalements/APP-7":
			answer(http.StatusOK, map[string]any{"id": "APP-7", "status": "resolu", "comment": "Réparé le 3 mars"})
		default:
			answer(http.StatusNotFound, map[string]any{"error": "no such route"})
		}
	}))
	t.Cleanup(ta.srv.Close)
	return ta
}

func (ta *testedApp) last() (http.Header, string) {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	return ta.header, ta.body
}

// leaking makes the app print s in its answers.
func (ta *testedApp) leaking(s ...string) {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	ta.leak = s
}

// phpJSON is s as a JSON string the PHP way: / and non-ASCII escaped.
func phpJSON(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteString(`\` + string(r))
		case r == '/':
			b.WriteString(`\/`)
		case r >= utf8.RuneSelf:
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u%04x`, u)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String() + `"`
}

// secretForms are the forms of a secret that must not be in an answer,
// with the first 8 bytes of each (an excerpt cut in the middle of it)
// and each as PHP writes it in JSON: its value, its base64, the base64 of username:value, the key material
// of a whsec_ secret.
func secretForms(value, username string) []string {
	forms := []string{value, base64.StdEncoding.EncodeToString([]byte(value))}
	if username != "" {
		forms = append(forms, base64.StdEncoding.EncodeToString([]byte(username+":"+value)))
	}
	if enc, ok := strings.CutPrefix(value, "whsec_"); ok {
		key, _ := base64.StdEncoding.DecodeString(enc)
		forms = append(forms, enc, string(key))
	}
	for _, f := range forms[:len(forms):len(forms)] {
		forms = append(forms, f[:8])
		if php := phpJSON(f); php[1:len(php)-1] != f {
			forms = append(forms, php[1:len(php)-1])
		}
	}
	return forms
}

// draftIntegration is an integration as the editor holds it: disabled,
// internal (the app listens on loopback), bearer auth.
func draftIntegration(url string) *builder.Integration {
	return &builder.Integration{ID: "sig", URL: url, Internal: true, Timeout: "2s",
		Auth: &builder.IntegrationAuth{Kind: builder.AuthBearer, Secret: "essai-token"},
		Push: &builder.Push{On: []builder.PushTrigger{{Event: builder.EventSubmitted}}, Path: "/signalements",
			Body: `{"reference": reference, "category": data.category}`,
			Response: &builder.UpdateMapping{ExternalID: "response.id",
				Transitions: []builder.MappedTransition{{Transition: "transmettre"}}}},
		Poll: &builder.Poll{Schedule: "@every 15m", Path: "/signalements/{external_id}", Update: builder.UpdateMapping{
			Transitions: []builder.MappedTransition{{If: "response.status == 'planifie'", Transition: "planifier"},
				{If: "response.status == 'resolu'", Transition: "resoudre"}},
			Message: "response.comment ?? ''"}},
	}
}

// written counts what a test call must not write.
func written(t *testing.T, a *app.App) map[string]int {
	t.Helper()
	ctx := context.Background()
	out := map[string]int{}
	for name, q := range map[string]interface {
		Count(context.Context) (int64, error)
	}{
		"jobs": a.DB.Read.NewSelect().Model((*jobs.Job)(nil)).
			Where("kind IN (?)", bun.In([]string{integrations.KindPush, integrations.KindPollTick, integrations.KindPollRetry})),
		"runs":     a.DB.Read.NewSelect().Model((*store.IntegrationRun)(nil)),
		"dossiers": a.DB.Read.NewSelect().Model((*store.Dossier)(nil)),
		"events":   a.DB.Read.NewSelect().Model((*store.Event)(nil)),
	} {
		n, err := q.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = int(n)
	}
	return out
}

// A test call reaches the business application through the deliveries'
// own machinery, shows the request with its secrets masked and the
// answer, classifies the outcome, says what the mapping would do, and
// writes nothing.
func TestTestCall(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		admin := apptest.NewClient(t, apptest.Serve(t, a))
		admin.AdminAPI()
		status, body := admin.JSON(http.MethodPost, "/api/admin/procedures", map[string]string{"slug": essaiSlug, "preset": slug})
		if status != http.StatusCreated {
			t.Fatalf("create procedure: %d %s", status, body)
		}
		var created struct {
			Draft builder.Procedure `json:"draft"`
		}
		apptest.DecodeJSON(t, body, &created)
		prefix := created.Draft.ReferencePrefix + "-"
		if _, err := a.Integrations.Secrets().Set(context.Background(), "essai-token", essaiToken, nil); err != nil {
			t.Fatal(err)
		}
		ta := newTestedApp(t)
		before := written(t, a)
		hidden := secretForms(essaiToken, "")
		call := func(req map[string]any, want int) (testResult, string) {
			t.Helper()
			status, body := admin.JSON(http.MethodPost, "/api/admin/integrations/test", req)
			if status != want {
				t.Fatalf("test call %v: %d, want %d\n%s", req["call"], status, want, body)
			}
			var res testResult
			if status == http.StatusOK {
				apptest.DecodeJSON(t, body, &res)
			}
			for _, f := range hidden {
				quoted, _ := json.Marshal(f)
				if strings.Contains(body, f) || strings.Contains(body, string(quoted[1:len(quoted)-1])) {
					t.Errorf("the secret (%q) is in the answer: %s", f, body)
				}
			}
			return res, body
		}
		in := draftIntegration(ta.srv.URL + "/api")

		// Ping: GET the base URL; disabled integrations are tested too.
		res, _ := call(map[string]any{"procedure": essaiSlug, "integration": in, "call": "ping"}, http.StatusOK)
		if res.Outcome != "ok" || res.Error != "" || res.Response == nil || res.Response.Status != 200 ||
			res.Request.Method != "GET" || res.Request.URL != ta.srv.URL+"/api" || !strings.Contains(res.Response.Body, `"ok"`) ||
			res.Update != nil || res.MappingError != nil {
			t.Errorf("ping: %+v", res)
		}

		// Push: the body made from the draft's sample data, the real token
		// sent and shown masked, the response mapped.
		res, _ = call(map[string]any{"procedure": essaiSlug, "integration": in, "call": "push"}, http.StatusOK)
		if res.Outcome != "ok" || res.Response == nil || res.Response.Status != http.StatusCreated || res.Request.Method != "POST" ||
			res.Request.URL != ta.srv.URL+"/api/signalements" {
			t.Fatalf("push: %+v", res)
		}
		if got := res.Request.Headers["Authorization"]; got != "Bearer ••••" {
			t.Errorf("Authorization shown as %q", got)
		}
		if res.Request.Headers["Content-Type"] != "application/json" || res.Request.Headers["Idempotency-Key"] == "" {
			t.Errorf("request headers: %v", res.Request.Headers)
		}
		hdr, sent := ta.last()
		if hdr.Get("Authorization") != "Bearer "+essaiToken || sent != res.Request.Body {
			t.Errorf("the app got %q and %s; the answer shows %s", hdr.Get("Authorization"), sent, res.Request.Body)
		}
		var pushed map[string]any
		_ = json.Unmarshal([]byte(res.Request.Body), &pushed)
		if ref, _ := pushed["reference"].(string); prefix == "-" || !strings.HasPrefix(ref, prefix) || pushed["category"] == nil {
			t.Errorf("pushed body %s: want the draft's prefix and sample data", res.Request.Body)
		}
		if u := res.Update; u == nil || u.ExternalID != "APP-7" || u.Transition != "transmettre" {
			t.Errorf("push update: %+v", res.Update)
		}
		// The app echoed the token: masked in its answer's headers and body.
		if got := res.Response.Headers["X-Echo-Authorization"]; got != "Bearer ••••" ||
			!strings.Contains(res.Response.Body, `"authorization":"Bearer ••••"`) {
			t.Errorf("echoed Authorization: header %q, body %s", got, res.Response.Body)
		}

		// Poll: the sample dossier's external id in the path; the mapping
		// gives a message and a transition.
		res, _ = call(map[string]any{"procedure": essaiSlug, "integration": in, "call": "poll",
			"dossier": map[string]any{"externalId": "APP-7", "state": "transmis"}}, http.StatusOK)
		if res.Outcome != "ok" || res.Request.URL != ta.srv.URL+"/api/signalements/APP-7" || res.Request.Method != "GET" {
			t.Fatalf("poll: %+v", res)
		}
		if u := res.Update; u == nil || u.Message != "Réparé le 3 mars" || u.Transition != "resoudre" || u.ExternalID != "" {
			t.Errorf("poll update: %+v", res.Update)
		}
		// A mapping failing on the answer is reported with its path.
		bad := draftIntegration(ta.srv.URL + "/api")
		bad.Poll.Update.Message = "response.comment + 1"
		res, _ = call(map[string]any{"procedure": essaiSlug, "integration": bad, "call": "poll",
			"dossier": map[string]any{"externalId": "APP-7"}}, http.StatusOK)
		if me := res.MappingError; me == nil || !strings.HasPrefix(me.Path, "$.scenarios[") || !strings.HasSuffix(me.Path, "].integration.poll.update.message") ||
			me.Pointer != "/integration/poll/update/message" || res.Update != nil {
			t.Errorf("mapping error: %+v %+v", res.MappingError, res)
		}

		// Statuses and failures, classified as deliveries are.
		for _, tc := range []struct {
			name, url, outcome string
			status             int
			internal           bool
		}{
			{"503", ta.srv.URL + "/down", "retry", 503, true},
			{"404", ta.srv.URL + "/nowhere", "permanent", 404, true},
			{"closed port", closedPort(t), "network", 0, true},
			{"not internal", ta.srv.URL + "/api", "blocked", 0, false},
		} {
			in := draftIntegration(tc.url)
			in.Internal = tc.internal
			res, _ := call(map[string]any{"integration": in, "call": "ping"}, http.StatusOK)
			if res.Outcome != tc.outcome || res.Error == "" {
				t.Errorf("%s: outcome %q, error %q", tc.name, res.Outcome, res.Error)
			}
			if (tc.status == 0) != (res.Response == nil) || res.Response != nil && res.Response.Status != tc.status {
				t.Errorf("%s: response %+v", tc.name, res.Response)
			}
		}

		// Standard Webhooks signatures: valid for the app, masked here.
		signed := draftIntegration(ta.srv.URL + "/api")
		signed.Auth = &builder.IntegrationAuth{Kind: builder.AuthSignature, Secret: "essai-signature"}
		if _, err := a.Integrations.Secrets().Set(context.Background(), "essai-signature", signingSecret, nil); err != nil {
			t.Fatal(err)
		}
		res, _ = call(map[string]any{"integration": signed, "call": "push"}, http.StatusOK)
		hdr, sent = ta.last()
		if err := integrations.Verify(signingSecret, hdr.Get(integrations.HeaderID), hdr.Get(integrations.HeaderTimestamp),
			hdr.Get(integrations.HeaderSignature), []byte(sent), time.Now()); err != nil {
			t.Errorf("signature: %v", err)
		}
		if got := res.Request.Headers["Webhook-Signature"]; got != "v1,••••" || strings.Contains(res.Request.Body, signingSecret) {
			t.Errorf("signature shown as %q", got)
		}

		// Whatever the auth, the secret is masked wherever the app echoes
		// or prints it: headers, body (raw or as JSON escapes it), the
		// error's excerpt of the answer, what the mapping takes from it.
		const password = "pa/ss+wörd?≥ of the roads' app"
		if _, err := a.Integrations.Secrets().Set(context.Background(), "essai-password", password, nil); err != nil {
			t.Fatal(err)
		}
		basicAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("guichet:"+password))
		for _, tc := range []struct {
			name      string
			auth      builder.IntegrationAuth
			value     string
			username  string
			leak      []string
			echoShown string
		}{
			{"bearer", builder.IntegrationAuth{Kind: builder.AuthBearer, Secret: "essai-token"}, essaiToken, "",
				[]string{essaiToken, base64.StdEncoding.EncodeToString([]byte(essaiToken))}, "Bearer ••••"},
			{"basic", builder.IntegrationAuth{Kind: builder.AuthBasic, Secret: "essai-password", Username: "guichet"}, password, "guichet",
				[]string{password, basicAuth}, "Basic ••••"},
			{"signature", builder.IntegrationAuth{Kind: builder.AuthSignature, Secret: "essai-signature"}, signingSecret, "",
				secretForms(signingSecret, "")[:4], ""},
		} {
			hidden = secretForms(tc.value, tc.username)
			ta.leaking(tc.leak...)
			in := draftIntegration(ta.srv.URL + "/api")
			in.Auth = &tc.auth
			in.Poll.Update.Message = "string(response.echo)"
			res, _ := call(map[string]any{"integration": in, "call": "ping"}, http.StatusOK)
			if res.Outcome != "ok" || res.Response == nil || res.Response.Headers["X-Echo-Authorization"] != tc.echoShown ||
				!strings.Contains(res.Response.Body, `"authorization":"`+tc.echoShown+`"`) || !strings.Contains(res.Response.Body, "••••") {
				t.Errorf("%s: ping %+v", tc.name, res.Response)
			}
			res, _ = call(map[string]any{"integration": in, "call": "push"}, http.StatusOK)
			if res.Response == nil || !strings.Contains(res.Response.Body, "••••") {
				t.Errorf("%s: push %+v (%s)", tc.name, res.Response, res.Error)
			}
			res, _ = call(map[string]any{"integration": in, "call": "poll", "dossier": map[string]any{"externalId": "APP-7"}}, http.StatusOK)
			if u := res.Update; u == nil || !strings.Contains(u.Message, "••••") {
				t.Errorf("%s: poll update %+v (%s)", tc.name, res.Update, res.Error)
			}
			down := draftIntegration(ta.srv.URL + "/down")
			down.Auth = &tc.auth
			res, _ = call(map[string]any{"integration": down, "call": "ping"}, http.StatusOK)
			if res.Outcome != "retry" || !strings.Contains(res.Error, "503 Service Unavailable: maintenance xxx") {
				t.Errorf("%s: error %q", tc.name, res.Error)
			}
		}
		hidden = secretForms(essaiToken, "")
		ta.leaking()

		// Refused before any call: a missing secret, no URL, a broken
		// definition, a poll path that needs an external id.
		missing := draftIntegration(ta.srv.URL + "/api")
		missing.Auth.Secret = "absent"
		_, body = call(map[string]any{"integration": missing, "call": "ping"}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `"pointer":"/integration/auth/secret"`) || !strings.Contains(body, `absent`) {
			t.Errorf("missing secret: %s", body)
		}
		noURL := draftIntegration("")
		_, body = call(map[string]any{"integration": noURL, "call": "ping"}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `"pointer":"/integration/url"`) {
			t.Errorf("no URL: %s", body)
		}
		broken := draftIntegration(ta.srv.URL + "/api")
		broken.Poll.Update.Transitions[0].Transition = "envoler"
		broken.Push.Body = "data.nope +"
		_, body = call(map[string]any{"procedure": essaiSlug, "integration": broken, "call": "push"}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `"pointer":"/integration/poll/update/transitions/0/transition"`) ||
			!strings.Contains(body, `"pointer":"/integration/push/body"`) {
			t.Errorf("broken definition: %s", body)
		}
		for _, tc := range []struct{ lang, summary, detail string }{
			{"fr", "l’appel d’essai a 2 problèmes à corriger avant de pouvoir être fait", "l’expression est incorrecte"},
			{"fr-CH,fr;q=0.9", "l’appel d’essai a 2 problèmes à corriger avant de pouvoir être fait", "l’expression est incorrecte"},
			{"en", "the test call has 2 problems to fix before it can be made", "the expression does not compile"},
		} {
			req, _ := json.Marshal(map[string]any{"procedure": essaiSlug, "integration": broken, "call": "push"})
			resp, body := admin.RawJSON(http.MethodPost, "/api/admin/integrations/test", req, "Accept-Language", tc.lang)
			var prob struct {
				Detail string
				Errors []struct{ Pointer, Detail string }
			}
			apptest.DecodeJSON(t, body, &prob)
			if resp.StatusCode != http.StatusUnprocessableEntity || prob.Detail != tc.summary || len(prob.Errors) != 2 {
				t.Fatalf("Accept-Language %s: %d %s", tc.lang, resp.StatusCode, body)
			}
			for _, e := range prob.Errors {
				if e.Pointer == "/integration/push/body" && !strings.HasPrefix(e.Detail, tc.detail) {
					t.Errorf("Accept-Language %s: %q, want %q…", tc.lang, e.Detail, tc.detail)
				}
			}
		}
		_, body = call(map[string]any{"integration": in, "call": "poll"}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `"pointer":"/dossier/externalId"`) {
			t.Errorf("poll without external id: %s", body)
		}
		_, body = call(map[string]any{"integration": in, "call": "delete"}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `"pointer":"/call"`) {
			t.Errorf("unknown call: %s", body)
		}

		// Admins only.
		user := apptest.CreateStaff(t, a, "agent", essaiSlug, "voirie", "processing")
		agent := apptest.NewClient(t, admin.Base)
		agent.StaffLogin(user.Email, "password-agent")
		if status, _ := agent.JSON(http.MethodPost, "/api/admin/integrations/test",
			map[string]any{"integration": in, "call": "ping"}); status != http.StatusForbidden {
			t.Errorf("an agent made a test call: %d", status)
		}

		after := written(t, a)
		for k, n := range before {
			if after[k] != n {
				t.Errorf("%s: %d before the test calls, %d after", k, n, after[k])
			}
		}
	})
}

// closedPort returns the URL of a port nothing listens on.
func closedPort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr + "/api"
}
