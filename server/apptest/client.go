package apptest

import (
	"bytes"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/guichet/guichet/server/app"
)

// Serve makes the app listen on a free loopback port until the test ends
// and returns its base URL.
func Serve(t testing.TB, a *app.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = a.HTTP.Listener(ln) }()
	return "http://" + ln.Addr().String()
}

// Client is a browser-like HTTP client: it keeps cookies, does not follow
// redirects on its own, and finds the CSRF token of the last page.
type Client struct {
	t    testing.TB
	Base string
	HTTP *http.Client
	CSRF string
}

// NewClient returns a client of the server at base.
func NewClient(t testing.TB, base string) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, Base: base, HTTP: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// Do sends req and returns the response and body; it remembers the page's
// CSRF token.
func (c *Client) Do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfRe.FindSubmatch(b); m != nil {
		c.CSRF = string(m[1])
	}
	return resp, string(b)
}

// Get fetches path.
func (c *Client) Get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.url(path), nil)
	return c.Do(req)
}

// PostForm posts urlencoded vals to path, adding the CSRF token.
func (c *Client) PostForm(path string, vals url.Values) (*http.Response, string) {
	c.t.Helper()
	if vals.Get("_csrf") == "" {
		vals.Set("_csrf", c.CSRF)
	}
	req, _ := http.NewRequest(http.MethodPost, c.url(path), strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// Upload is a file in a multipart post.
type Upload struct {
	Field       string // input name
	Name        string // file name
	ContentType string
	Content     []byte
}

// PostMultipart posts vals and files as multipart/form-data to path,
// adding the CSRF token.
func (c *Client) PostMultipart(path string, vals url.Values, files ...Upload) (*http.Response, string) {
	c.t.Helper()
	if vals.Get("_csrf") == "" {
		vals.Set("_csrf", c.CSRF)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range vals {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+f.Field+`"; filename="`+f.Name+`"`)
		h.Set("Content-Type", f.ContentType)
		part, err := w.CreatePart(h)
		if err != nil {
			c.t.Fatal(err)
		}
		_, _ = part.Write(f.Content)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.url(path), &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.Do(req)
}

// Login signs in as the test admin.
func (c *Client) Login(email, password string) {
	c.t.Helper()
	c.Get("/login")
	resp, body := c.PostForm("/login", url.Values{"email": {email}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login: status %d: %s", resp.StatusCode, body)
	}
}

func (c *Client) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return c.Base + path
}
