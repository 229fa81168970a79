package integrations_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/guichet/guichet/server/integrations"
)

// fakeApp is a business application for the tests: a roads department's
// report tracker. POST /signalements creates a report (once per
// Idempotency-Key) and answers its id; GET /signalements/{id} and GET
// /by-ref/{reference} answer its status and comment. It records every
// request, verifies Standard Webhooks signatures when it has a secret,
// and fails on demand.
type fakeApp struct {
	t      testing.TB
	srv    *httptest.Server
	secret string // signing secret; "" accepts unsigned requests

	mu       sync.Mutex
	requests []fakeRequest
	faults   []fault                // consumed in order by matching requests
	always   *fault                 // applied to every matching request while set
	byKey    map[string]string      // Idempotency-Key → report id
	reports  map[string]*fakeReport // by id
	byRef    map[string]*fakeReport // by Guichet reference
	next     int
	delay    time.Duration // added to every answer
	comment  string        // overrides every report's comment when set
	record   bool          // keep requests (benchmarks do not)
}

type fakeRequest struct {
	At        time.Time
	Method    string
	Path      string
	Key       string // Idempotency-Key
	WebhookID string
	Body      map[string]any
	SigOK     bool
	Answered  int // status answered
}

type fakeReport struct {
	ID, Reference, Status, Comment string
}

// fault is a failure on demand: a status (with Retry-After and body), a
// delay longer than the client's timeout, or a malformed JSON answer.
type fault struct {
	method     string // "" any
	status     int
	retryAfter string
	body       string
	sleep      time.Duration
	malformed  bool
}

func newFakeApp(t testing.TB, secret string) *fakeApp {
	f := &fakeApp{t: t, secret: secret, record: true, byKey: map[string]string{}, reports: map[string]*fakeReport{}, byRef: map[string]*fakeReport{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// URL is the application's base URL.
func (f *fakeApp) URL() string { return f.srv.URL + "/api" }

// fail queues faults for the next matching requests.
func (f *fakeApp) fail(fs ...fault) {
	f.mu.Lock()
	f.faults = append(f.faults, fs...)
	f.mu.Unlock()
}

// failAlways applies fault to every matching request until cleared (nil).
func (f *fakeApp) failAlways(ft *fault) {
	f.mu.Lock()
	f.always = ft
	f.mu.Unlock()
}

// setDelay slows every answer down.
func (f *fakeApp) setDelay(d time.Duration) {
	f.mu.Lock()
	f.delay = d
	f.mu.Unlock()
}

// setStatus changes a report as the department's staff would.
func (f *fakeApp) setStatus(id, status, comment string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.reports[id]
	if r == nil {
		f.t.Fatalf("fake app has no report %s", id)
	}
	r.Status, r.Comment = status, comment
}

// addReport makes the application know a report by the Guichet reference.
func (f *fakeApp) addReport(reference, status string) *fakeReport {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addReportLocked(reference, status)
}

// setComment gives every report the same comment ("" to stop).
func (f *fakeApp) setComment(c string) {
	f.mu.Lock()
	f.comment = c
	f.mu.Unlock()
}

// resetRequests forgets the requests received so far.
func (f *fakeApp) resetRequests() {
	f.mu.Lock()
	f.requests = nil
	f.mu.Unlock()
}

// reqs returns the requests received so far matching method and path
// prefix ("" for any).
func (f *fakeApp) reqs(method, prefix string) []fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeRequest
	for _, r := range f.requests {
		if (method == "" || r.Method == method) && strings.HasPrefix(r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// created returns how many reports POST created.
func (f *fakeApp) created() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.byKey)
}

func (f *fakeApp) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := fakeRequest{At: time.Now(), Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, "/api"),
		Key: r.Header.Get("Idempotency-Key"), WebhookID: r.Header.Get(integrations.HeaderID)}
	_ = json.Unmarshal(body, &req.Body)
	req.SigOK = f.secret == "" || integrations.Verify(f.secret, r.Header.Get(integrations.HeaderID),
		r.Header.Get(integrations.HeaderTimestamp), r.Header.Get(integrations.HeaderSignature), body, time.Now()) == nil

	f.mu.Lock()
	var ft *fault
	for i, c := range f.faults {
		if c.method == "" || c.method == r.Method {
			ft = &c
			f.faults = append(f.faults[:i:i], f.faults[i+1:]...)
			break
		}
	}
	if ft == nil && f.always != nil && (f.always.method == "" || f.always.method == r.Method) {
		c := *f.always
		ft = &c
	}
	delay := f.delay
	status, answer := f.handle(r, req)
	if ft != nil && ft.status != 0 {
		status, answer = ft.status, ft.body
	}
	if ft != nil && ft.malformed {
		answer = `{"id": "SIG-` // cut short
	}
	req.Answered = status
	if f.record {
		f.requests = append(f.requests, req)
	}
	f.mu.Unlock()

	if ft != nil && ft.sleep > 0 {
		select {
		case <-time.After(ft.sleep):
		case <-r.Context().Done():
			return
		}
	}
	if delay > 0 {
		time.Sleep(delay)
	}
	w.Header().Set("Content-Type", "application/json")
	if ft != nil && ft.retryAfter != "" {
		w.Header().Set("Retry-After", ft.retryAfter)
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, answer)
}

// handle is the application's normal behaviour (f.mu held). A request
// whose signature is wrong is refused.
func (f *fakeApp) handle(r *http.Request, req fakeRequest) (int, string) {
	if !req.SigOK {
		return http.StatusUnauthorized, `{"error": "bad signature"}`
	}
	path := req.Path
	switch {
	case r.Method == http.MethodPost && path == "/signalements":
		id, ok := f.byKey[req.Key]
		if !ok {
			ref, _ := req.Body["reference"].(string)
			rep := f.addReportLocked(ref, "recu")
			id = rep.ID
			f.byKey[req.Key] = id
		}
		return http.StatusCreated, fmt.Sprintf(`{"id": %q, "status": "recu"}`, id)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/signalements/"):
		return f.report(f.reports[strings.TrimPrefix(path, "/signalements/")])
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/by-ref/"):
		return f.report(f.byRef[strings.TrimPrefix(path, "/by-ref/")])
	case r.Method == http.MethodPut && strings.HasPrefix(path, "/signalements/"):
		if f.reports[strings.TrimPrefix(path, "/signalements/")] == nil {
			return http.StatusNotFound, `{"error": "no such report"}`
		}
		return http.StatusOK, `{}`
	}
	return http.StatusNotFound, `{"error": "no such route"}`
}

func (f *fakeApp) addReportLocked(reference, status string) *fakeReport {
	f.next++
	r := &fakeReport{ID: fmt.Sprintf("SIG-%d", f.next), Reference: reference, Status: status}
	f.reports[r.ID], f.byRef[reference] = r, r
	return r
}

func (f *fakeApp) report(r *fakeReport) (int, string) {
	if r == nil {
		return http.StatusNotFound, `{"error": "no such report"}`
	}
	comment := r.Comment
	if f.comment != "" {
		comment = f.comment
	}
	b, _ := json.Marshal(map[string]string{"id": r.ID, "status": r.Status, "comment": comment})
	return http.StatusOK, string(b)
}
