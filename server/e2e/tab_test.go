package e2e

import (
	"context"
	"net"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
)

// startApp runs a test app on a listener opened first, so that the links
// the app writes in messages (its base URL) point at the served address.
func startApp(t *testing.T, db apptest.DB, smtpURL string) (*app.App, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() }) // in case New fails; Shutdown closes it otherwise
	base := "http://" + ln.Addr().String()
	a := apptest.New(t, db, apptest.Options{BaseURL: base, SMTPURL: smtpURL})
	go func() { _ = a.HTTP.Listener(ln) }()
	return a, base
}

// tab drives one browser tab through the app as a person would: by
// visible texts and labels, waiting for each page it causes to load, and
// failing the test at the first step that goes wrong.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string // the app's URL
	axe  bool   // checkPage runs axe
}

// checkPage runs axe on the page (when c.axe is set), and checks that
// it reflows on a 320 px wide screen when narrow is set.
func (c *tab) checkPage(name string, narrow bool) {
	c.t.Helper()
	if c.axe {
		runAxe(c.t, c.ctx, name)
	}
	if narrow {
		checkNarrowScreen(c.t, c.ctx, name)
	}
}

// open loads path (or a full URL) and fails unless it answers 200.
func (c *tab) open(path string) {
	c.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = c.base + path
	}
	resp := get(c.t, c.ctx, "open "+path, chromedp.NavigateResponse(u))
	if resp.Status != 200 {
		c.t.Fatalf("open %s: status %d", path, resp.Status)
	}
}

// follow clicks a link and waits for the page it leads to, which must
// answer 200.
func (c *tab) follow(what, sel string) {
	c.t.Helper()
	c.submit(what, sel, 200)
}

// submit clicks sel (a link or a submit button), waits for the new page
// and checks its HTTP status (after redirects).
func (c *tab) submit(what, sel string, status int64) {
	c.t.Helper()
	click := chromedp.Click(chromedp.CSS(sel))
	if isXPath(sel) {
		click = chromedp.Click(chromedp.Search(sel))
	}
	resp := c.navigation(what, click)
	if resp.Status != status {
		c.t.Fatalf("%s: status %d, want %d (page %s: %q)", what, resp.Status, status, resp.URL, c.text("main"))
	}
}

func (c *tab) navigation(what string, a chromedp.Action[chromedp.Void]) *network.Response {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, a)
	if err != nil {
		loc, _ := run(c.ctx, chromedp.Location())
		c.t.Fatalf("%s: %v (the tab shows %s)", what, err, loc)
	}
	return resp
}

func (c *tab) click(what, sel string) {
	c.t.Helper()
	if isXPath(sel) {
		do(c.t, c.ctx, what, chromedp.Click(chromedp.Search(sel)))
	} else {
		do(c.t, c.ctx, what, chromedp.Click(chromedp.CSS(sel)))
	}
}

// typeIn types text into the field as keystrokes.
func (c *tab) typeIn(sel, text string) {
	c.t.Helper()
	do(c.t, c.ctx, "type in "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// replace clears the field and types text.
func (c *tab) replace(sel, text string) {
	c.t.Helper()
	do(c.t, c.ctx, "retype "+sel, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// selectOption picks the option with this label in a select, with the
// keyboard as a citizen would: focus, then type the label.
func (c *tab) selectOption(sel, label string) {
	c.t.Helper()
	do(c.t, c.ctx, "choose "+label+" in "+sel, chromedp.SendKeys(chromedp.CSS(sel), label))
	if got := get(c.t, c.ctx, "read "+sel, chromedp.Evaluate[string](
		`(s => s.options[s.selectedIndex].text)(document.querySelector(`+jsString(sel)+`))`)); got != label {
		c.t.Fatalf("%s shows %q after choosing %q", sel, got, label)
	}
}

// labels returns the labels and legends of the page's form, in page
// order, joined by "|".
func (c *tab) labels() string {
	c.t.Helper()
	ls := get(c.t, c.ctx, "read the labels", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('main form :is(label, legend)')].map(e => e.textContent.trim().replace(/\s+/g, ' '))`))
	return strings.Join(ls, "|")
}

func (c *tab) value(sel string) string {
	c.t.Helper()
	return get(c.t, c.ctx, "read the value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

func (c *tab) checked(sel string) bool {
	c.t.Helper()
	return get(c.t, c.ctx, "read "+sel, chromedp.Evaluate[bool](`document.querySelector(`+jsString(sel)+`).checked`))
}

// attr returns an attribute of the first element matching sel, "" when it
// has none.
func (c *tab) attr(sel, name string) string {
	c.t.Helper()
	a := chromedp.Attributes(chromedp.CSS(sel))
	if isXPath(sel) {
		a = chromedp.Attributes(chromedp.Search(sel))
	}
	return get(c.t, c.ctx, "read the attributes of "+sel, a)[name]
}

// text returns the visible text of the first element matching sel (a CSS
// selector or an XPath).
func (c *tab) text(sel string) string {
	c.t.Helper()
	a := chromedp.Text(chromedp.CSS(sel))
	if isXPath(sel) {
		a = chromedp.Text(chromedp.Search(sel))
	}
	return strings.TrimSpace(get(c.t, c.ctx, "read the text of "+sel, a))
}

// answer returns the text of the first description list value whose term
// is question (a summary row: question, then answer).
func (c *tab) answer(question string) string {
	c.t.Helper()
	return c.text(`(//dt[normalize-space()=` + xpathString(question) + `])[1]/following-sibling::dd[1]`)
}

func (c *tab) wantText(sel, want string) {
	c.t.Helper()
	if got := c.text(sel); got != want {
		c.t.Fatalf("%s = %q, want %q", sel, got, want)
	}
}

func (c *tab) title() string {
	c.t.Helper()
	return get(c.t, c.ctx, "read the title", chromedp.Title())
}

func (c *tab) wantTitle(want string) {
	c.t.Helper()
	if got := c.title(); got != want {
		c.t.Errorf("title = %q, want %q", got, want)
	}
}

func (c *tab) path() string {
	c.t.Helper()
	loc := get(c.t, c.ctx, "read the location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		c.t.Fatalf("location %q: %v", loc, err)
	}
	return u.Path
}

func (c *tab) wantPath(want string) {
	c.t.Helper()
	if got := c.path(); got != want {
		c.t.Fatalf("path = %q, want %q", got, want)
	}
}

func (c *tab) wantPathMatch(pattern string) {
	c.t.Helper()
	if got := c.path(); !regexp.MustCompile(pattern).MatchString(got) {
		c.t.Fatalf("path = %q, want it to match %s", got, pattern)
	}
}

// isXPath tells an XPath selector (looked up with DOM.performSearch) from
// a CSS one (looked up with querySelector, which never matches text).
func isXPath(sel string) bool { return strings.HasPrefix(sel, "/") || strings.HasPrefix(sel, "(/") }

// linkText, buttonText and labelText are XPath selectors of an element by
// its visible text, as a person finds it.
func linkText(s string) string { return `//a[normalize-space()=` + xpathString(s) + `]` }

func buttonText(s string) string {
	return `//button[normalize-space()=` + xpathString(s) + `][not(contains(@class,"visually-hidden"))]`
}

func labelText(prefix string) string {
	return `//label[starts-with(normalize-space(),` + xpathString(prefix) + `)]`
}

// xpathString quotes s as an XPath 1.0 literal.
func xpathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return `'` + s + `'`
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
