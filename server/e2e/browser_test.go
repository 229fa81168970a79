package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium binary. /usr/bin/chromium is a wrapper
// script that chromedp cannot drive through its pipe.
const chromiumPath = "/usr/lib/chromium/chromium"

// windowWidth is the browser window's width in CSS pixels.
const windowWidth = 1280

// stepTimeout bounds one browser step (a navigation, a wait, an axe run), so
// that a page that never shows what a test waits for fails in seconds, not
// at go test's global timeout.
const stepTimeout = 30 * time.Second

// newBrowser starts a headless chromium with a fresh profile for the test
// and returns the context of its first tab. The browser stops when the test
// ends. Without chromium the test is skipped, or fails when CI is set.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		msg := fmt.Sprintf("chromium not found at %s (apt-get install -y chromium): %v", chromiumPath, err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	out := &syncBuffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(windowWidth, 900),
		chromedp.CombinedOutput(out),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	// Registered after t.TempDir, so it runs first: the browser has exited
	// when the testing package removes its profile directory.
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		if t.Failed() {
			logBrowserOutput(t, out.String())
		}
	})
	// The first call starts the browser; it must not carry a timeout, which
	// would stop the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err) // the cleanup logs its output
	}
	return ctx
}

// disableJavaScript stops scripts of the pages the tab loads from now on,
// as for a citizen whose browser runs none. DevTools evaluation (axe, the
// tests' own checks) still works.
func disableJavaScript(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "disable JavaScript", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
}

// scriptsRun tells whether the page in ctx runs scripts. A noscript
// element's content is parsed as markup only when scripting is disabled;
// DevTools evaluation (this probe, axe) works either way, and the pages'
// content security policy would block an inline test script anyway.
func scriptsRun(t *testing.T, ctx context.Context) bool {
	t.Helper()
	return get(t, ctx, "probe script execution", chromedp.Evaluate[bool](`(() => {
		const n = document.createElement('noscript');
		n.innerHTML = '<i></i>';
		return n.childElementCount === 0;
	})()`))
}

// do runs the steps within stepTimeout and fails the test with what when
// one fails.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if _, err := run(ctx, chromedp.Steps(steps...)); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// get runs one action within stepTimeout and returns its value, failing the
// test with what when it fails.
func get[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func run[T any](ctx context.Context, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// axeTags are the rule sets every page must pass: WCAG 2.0, 2.1 and 2.2,
// levels A and AA.
const axeTags = `['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']`

// axeViolation is what runAxe reads of one axe result.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

var axeSource = sync.OnceValues(func() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(root, "web", "e2e", "node_modules", "axe-core", "axe.min.js"))
	return string(b), err
})

// runAxe checks the page loaded in ctx with axe-core against WCAG 2.2 A and
// AA and fails the test with every violation. pageName names the page in
// the failure. axe-core comes from npm: run `npm ci --prefix web/e2e`.
func runAxe(t *testing.T, ctx context.Context, pageName string) {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatalf("axe-core is not installed (%v): run `npm ci --prefix web/e2e` in the repository root", err)
	}
	if !scriptsRun(t, ctx) {
		t.Fatalf("axe cannot run on %s: JavaScript is disabled in this tab (its promises never settle)", pageName)
	}
	loaded := get(t, ctx, "look for axe in "+pageName, chromedp.Evaluate[bool](`typeof window.axe === 'object'`))
	if !loaded {
		do(t, ctx, "inject axe-core into "+pageName, chromedp.Evaluate[chromedp.Void](src))
	}
	script := `axe.run(document, {runOnly: {type: 'tag', values: ` + axeTags + `}, resultTypes: ['violations']})
		.then(r => JSON.stringify(r.violations))`
	raw := get(t, ctx, "run axe on "+pageName, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("axe result of %s: %v", pageName, err)
	}
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "axe: %d accessibility violation(s) on %s:", len(vs), pageName)
	for _, v := range vs {
		fmt.Fprintf(&b, "\n- %s (%s): %s\n  %s", v.ID, v.Impact, v.Help, v.URL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n  * %v %s\n    %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n    "))
		}
	}
	t.Error(b.String())
}

// checkNarrowScreen fails the test when the loaded page, laid out on a
// 320 CSS px wide screen (WCAG 1.4.10 reflow), scrolls horizontally. It
// names the elements that stick out. The viewport is restored afterwards.
func checkNarrowScreen(t *testing.T, ctx context.Context, pageName string) {
	t.Helper()
	setViewport := func(w, h int64) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride,
				emulation.SetDeviceMetricsOverrideParams{Width: w, Height: h, DeviceScaleFactor: 1})
			return err
		})
	}
	do(t, ctx, "narrow the viewport for "+pageName, setViewport(320, 640))
	defer restoreViewport(t, ctx, pageName)
	type layout struct {
		Viewport    int      `json:"viewport"`
		ScrollWidth int      `json:"scrollWidth"`
		Wide        []string `json:"wide"`
	}
	got := get(t, ctx, "measure "+pageName+" at 320 px", chromedp.Evaluate[layout](`(() => {
		const vw = document.documentElement.clientWidth;
		const wide = [...document.body.querySelectorAll('*')]
			.filter(e => e.getBoundingClientRect().right > vw + 0.5)
			.slice(0, 10)
			.map(e => e.outerHTML.slice(0, 120));
		return {viewport: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, wide};
	})()`))
	if got.Viewport != 320 {
		t.Fatalf("%s: window.innerWidth = %d after the 320 px override", pageName, got.Viewport)
	}
	if got.ScrollWidth > 320 {
		t.Errorf("%s scrolls horizontally at 320 px: scrollWidth = %d; wider elements:\n%s",
			pageName, got.ScrollWidth, strings.Join(got.Wide, "\n"))
	}
}

// restoreViewport clears the viewport override and waits until the page
// is laid out at the window's width again: a click sent earlier could land
// where an element was in the narrow layout.
func restoreViewport(t *testing.T, ctx context.Context, pageName string) {
	t.Helper()
	_, err := run(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		return err
	}))
	if err != nil {
		t.Errorf("restore the viewport after %s: %v", pageName, err)
		return
	}
	for deadline := time.Now().Add(stepTimeout); ; {
		w, err := run(ctx, chromedp.Evaluate[int](`window.innerWidth`))
		if err == nil && w == windowWidth {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("restore the viewport after %s: width %d, want %d (%v)", pageName, w, windowWidth, err)
			return
		}
	}
}

// moduleRoot returns the directory of the go.mod above the working
// directory (go test runs a package's tests in its own directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// logBrowserOutput logs what chromium printed, without its complaints
// about the missing D-Bus of containers.
func logBrowserOutput(t *testing.T, out string) {
	var kept []string
	for line := range strings.Lines(out) {
		if !strings.Contains(line, "dbus") {
			kept = append(kept, line)
		}
	}
	if len(kept) > 0 {
		t.Logf("chromium output:\n%s", strings.Join(kept, ""))
	}
}

// syncBuffer collects the browser's output, written from another goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
