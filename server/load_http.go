package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// httpReq is one request of the load generator.
type httpReq struct {
	method, url string
	contentType string
	body        []byte
	header      [][2]string
	cookies     *jar
}

// httpResp is what the generator keeps of a response. body is reused
// between requests of one worker.
type httpResp struct {
	status   int
	location string
	body     []byte
}

// doer sends requests; both implementations keep up to clients
// connections alive and never follow redirects.
type doer interface {
	do(req *httpReq, resp *httpResp, timeout time.Duration) error
	close()
}

func (c *loadConfig) newDoer(clients int) doer {
	if c.client == "nethttp" {
		t := &http.Transport{
			MaxIdleConns: clients, MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients,
			DisableCompression: true, IdleConnTimeout: 90 * time.Second,
		}
		return &netDoer{t: t, c: &http.Client{Transport: t,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	}
	return &fastDoer{c: &fasthttp.HostClient{
		Addr: c.base.Host, MaxConns: clients, MaxIdleConnDuration: 90 * time.Second,
		ReadBufferSize: 16 << 10, MaxConnWaitTimeout: c.timeout,
		NoDefaultUserAgentHeader: true, DisablePathNormalizing: true,
	}}
}

// fastDoer is fasthttp's client: a fraction of net/http's CPU per request,
// which matters when client and server share two cores.
type fastDoer struct{ c *fasthttp.HostClient }

func (d *fastDoer) do(r *httpReq, resp *httpResp, timeout time.Duration) error {
	req, res := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(res)
	req.Header.SetMethod(r.method)
	req.SetRequestURI(r.url)
	if r.contentType != "" {
		req.Header.SetContentType(r.contentType)
	}
	for _, h := range r.header {
		req.Header.Set(h[0], h[1])
	}
	if r.cookies != nil {
		for _, kv := range r.cookies.kv {
			req.Header.SetCookie(kv[0], kv[1])
		}
	}
	if r.body != nil {
		req.SetBodyRaw(r.body)
	}
	if err := d.c.DoTimeout(req, res, timeout); err != nil {
		return err
	}
	resp.status = res.StatusCode()
	resp.location = string(res.Header.Peek("Location"))
	resp.body = append(resp.body[:0], res.Body()...)
	if r.cookies != nil {
		res.Header.VisitAllCookie(func(_, v []byte) { r.cookies.set(string(v)) })
	}
	return nil
}

func (d *fastDoer) close() { d.c.CloseIdleConnections() }

// netDoer is the standard library's client, tuned to keep every
// connection alive.
type netDoer struct {
	t *http.Transport
	c *http.Client
}

func (d *netDoer) do(r *httpReq, resp *httpResp, timeout time.Duration) error {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, r.url, body)
	if err != nil {
		return err
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	for _, h := range r.header {
		req.Header.Set(h[0], h[1])
	}
	if r.cookies != nil && len(r.cookies.kv) > 0 {
		req.Header.Set("Cookie", r.cookies.header())
	}
	d.c.Timeout = timeout
	res, err := d.c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	buf := bytes.NewBuffer(resp.body[:0])
	if _, err := buf.ReadFrom(res.Body); err != nil {
		return err
	}
	resp.body = buf.Bytes()
	resp.status = res.StatusCode
	resp.location = res.Header.Get("Location")
	if r.cookies != nil {
		for _, v := range res.Header.Values("Set-Cookie") {
			r.cookies.set(v)
		}
	}
	return nil
}

func (d *netDoer) close() { d.t.CloseIdleConnections() }

// jar is a minimal cookie jar for one simulated browser talking to one
// host: every cookie goes back on every request (the server's cookies
// have paths / and /d/, and the flow stays under /d/).
type jar struct{ kv [][2]string }

// set records a Set-Cookie header value; Max-Age<=0 deletes.
func (j *jar) set(header string) {
	first, attrs, _ := strings.Cut(header, ";")
	name, value, ok := strings.Cut(strings.TrimSpace(first), "=")
	if !ok || name == "" {
		return
	}
	del := value == "" || strings.Contains(strings.ToLower(attrs), "max-age=0") ||
		strings.Contains(strings.ToLower(attrs), "max-age=-")
	for i, kv := range j.kv {
		if kv[0] == name {
			if del {
				j.kv = append(j.kv[:i], j.kv[i+1:]...)
			} else {
				j.kv[i][1] = value
			}
			return
		}
	}
	if !del {
		j.kv = append(j.kv, [2]string{name, value})
	}
}

func (j *jar) header() string {
	var b strings.Builder
	for i, kv := range j.kv {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(kv[0] + "=" + kv[1])
	}
	return b.String()
}

func (j *jar) reset() { j.kv = j.kv[:0] }
