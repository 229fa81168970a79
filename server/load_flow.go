package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// worker is one client: it submits one form after the other, as fast as
// the server answers.
type worker struct {
	cfg    *loadConfig
	doer   doer
	runID  string
	seq    *atomic.Int64
	budget func() bool // false once the run's request budget is spent
	gen    *payloadGen
	resp   httpResp
	jar    jar

	subs, requests, errors int64
	subLat, reqLat         latencies
	samples                []string
}

func (w *worker) loop(ctx context.Context, mode string) {
	for ctx.Err() == nil {
		var ok bool
		switch mode {
		case "json":
			ok = w.submitJSON()
		default:
			ok = w.submitHTML()
		}
		if !ok {
			return // request budget spent
		}
	}
}

// send does one request and records its latency; it returns false when
// the run's request budget is spent.
func (w *worker) send(req *httpReq) (ok bool, err error) {
	if !w.budget() {
		return false, nil
	}
	t := time.Now()
	err = w.doer.do(req, &w.resp, w.cfg.timeout)
	w.reqLat = append(w.reqLat, time.Since(t))
	w.requests++
	return true, err
}

func (w *worker) fail(format string, args ...any) {
	w.errors++
	if len(w.samples) < 3 {
		w.samples = append(w.samples, fmt.Sprintf(format, args...))
	}
}

func (w *worker) submitJSON() bool {
	b, key := w.gen.next()
	req := &httpReq{method: "POST", url: w.cfg.base.String() + "/api/v1/procedures/" + url.PathEscape(w.cfg.slug) + "/dossiers",
		contentType: "application/json", body: b.jsonBody(), header: [][2]string{{"Idempotency-Key", key}}}
	t := time.Now()
	ok, err := w.send(req)
	switch {
	case !ok:
		return false
	case err != nil:
		w.fail("POST dossiers: %v", err)
	case w.resp.status == 201:
		w.subs++
		w.subLat = append(w.subLat, time.Since(t))
	default:
		w.fail("POST dossiers: status %d: %.200s", w.resp.status, w.resp.body)
	}
	return true
}

// submitHTML runs the browser flow of one new citizen: fresh cookies, the
// three pages, the check page and the final submission.
func (w *worker) submitHTML() bool {
	w.jar.reset()
	b, _ := w.gen.next()
	base := w.cfg.base.String()
	formURL := base + "/d/" + url.PathEscape(w.cfg.slug) + "/form"
	t := time.Now()
	steps := 0
	// step sends one request and checks its status; a GET of a page
	// refreshes the CSRF token and nonce.
	var csrf, nonce string
	step := func(method, u, ct string, body []byte, want int) (bool, bool) {
		steps++
		ok, err := w.send(&httpReq{method: method, url: u, contentType: ct, body: body, cookies: &w.jar})
		if !ok {
			return false, false
		}
		if err != nil {
			w.fail("html step %d %s %s: %v", steps, method, u, err)
			return true, false
		}
		if w.resp.status != want {
			w.fail("html step %d %s %s: status %d (want %d) DEBUG csrf=%s jar=%s body=%s: %.300s", steps, method, u, w.resp.status, want, csrf, w.jar.header(), body, w.resp.body)
			return true, false
		}
		if method == "GET" {
			if v := attr(w.resp.body, `name="_csrf" value="`); v != "" {
				csrf = v
			}
			nonce = attr(w.resp.body, `name="_nonce" value="`)
		}
		return true, true
	}
	follow := func() (bool, bool, string) {
		loc := w.resp.location
		if strings.HasPrefix(loc, "/") {
			loc = base + loc
		}
		if !w.cfg.follow {
			return true, true, loc
		}
		alive, ok := step("GET", loc, "", nil, 200)
		return alive, ok, loc
	}
	const form = "application/x-www-form-urlencoded"
	if alive, ok := step("GET", formURL, "", nil, 200); !alive || !ok {
		return alive
	}
	if alive, ok := step("POST", formURL, form, b.page1(csrf, nonce), 303); !alive || !ok {
		return alive
	}
	alive, ok, page2 := follow()
	if !alive || !ok {
		return alive
	}
	if alive, ok := step("POST", page2, form, b.page2(csrf), 303); !alive || !ok {
		return alive
	}
	alive, ok, page3 := follow()
	if !alive || !ok {
		return alive
	}
	ct, body := b.page3(csrf)
	if alive, ok := step("POST", page3, ct, body, 303); !alive || !ok {
		return alive
	}
	alive, ok, check := follow()
	if !alive || !ok {
		return alive
	}
	draft := strings.TrimSuffix(check, "/verifier")
	draftID := draft[strings.LastIndexByte(draft, '/')+1:]
	send := url.Values{"_csrf": {csrf}, "_nonce": {draftID}, "_action": {"submit"}}
	if alive, ok := step("POST", draft+"/envoyer", form, []byte(send.Encode()), 303); !alive || !ok {
		return alive
	}
	if !strings.Contains(w.resp.location, "/confirmation/") {
		w.fail("html: submission redirected to %q, not to a confirmation", w.resp.location)
		return true
	}
	if alive, ok, _ := follow(); !alive || !ok {
		return alive
	}
	w.subs++
	w.subLat = append(w.subLat, time.Since(t))
	return true
}

// attr returns the text after prefix up to the next quote.
func attr(body []byte, prefix string) string {
	i := bytes.Index(body, []byte(prefix))
	if i < 0 {
		return ""
	}
	rest := body[i+len(prefix):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}
