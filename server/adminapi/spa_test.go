package adminapi_test

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/server/adminapi"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/web"
)

func TestSPA(t *testing.T) {
	if adminapi.SPA(fstest.MapFS{}, nil) != nil {
		t.Fatal("SPA without index.html")
	}
	dist := fstest.MapFS{
		"index.html":          {Data: []byte("<!doctype html><title>Builder</title>")},
		"assets/index-abc.js": {Data: []byte("console.log(1)")},
		"favicon.svg":         {Data: []byte("<svg/>")},
	}
	users := map[string]*web.User{"admin": {ID: "1", IsAdmin: true}, "agent": {ID: "2"}}
	app := fiber.New()
	app.Use("/admin", adminapi.SPA(dist, func(c *fiber.Ctx) *web.User { return users[c.Get("X-User")] }))
	app.Use(func(c *fiber.Ctx) error { return c.SendStatus(599) }) // what the SPA passes on

	for _, tc := range []struct {
		user, method, path string
		status             int
		cache, body        string
	}{
		{"", "GET", "/admin", 303, "", ""},
		{"agent", "GET", "/admin", 404, "", ""},
		{"admin", "GET", "/admin", 200, "no-cache", "<title>Builder</title>"},
		{"admin", "GET", "/admin/procedures/reservation-salle", 200, "no-cache", "<title>Builder</title>"},
		{"admin", "GET", "/admin/assets/index-abc.js", 200, "public, max-age=31536000, immutable", "console.log(1)"},
		{"admin", "GET", "/admin/favicon.svg", 200, "no-cache", "<svg/>"},
		{"admin", "GET", "/admin/../admin/assets/index-abc.js", 200, "", ""},
		{"admin", "POST", "/admin", 599, "", ""},
		{"admin", "GET", "/administration", 599, "", ""},
	} {
		req := httptest.NewRequest(tc.method, tc.path, nil)
		req.Header.Set("X-User", tc.user)
		resp, err := app.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		body := make([]byte, 200)
		n, _ := resp.Body.Read(body)
		if resp.StatusCode != tc.status || (tc.cache != "" && resp.Header.Get("Cache-Control") != tc.cache) ||
			(tc.body != "" && !strings.Contains(string(body[:n]), tc.body)) {
			t.Errorf("%s %s as %q: %d %q %q", tc.method, tc.path, tc.user, resp.StatusCode, resp.Header.Get("Cache-Control"), body[:n])
		}
	}
}

// TestSPAServed checks the app serves the committed build at /admin.
func TestSPAServed(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	c := apptest.NewClient(t, apptest.Serve(t, a))
	if resp, _ := c.Get("/admin"); resp.StatusCode != 303 || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous /admin: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	c.Login(apptest.AdminEmail, apptest.AdminPassword)
	resp, body := c.Get("/admin/procedures/reservation-salle")
	asset := regexp.MustCompile(`src="(/admin/assets/[^"]+\.js)"`).FindStringSubmatch(body)
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-cache" || asset == nil {
		t.Fatalf("SPA route: %d %q\n%.300s", resp.StatusCode, resp.Header.Get("Cache-Control"), body)
	}
	if resp, _ := c.Get(asset[1]); resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") ||
		!strings.Contains(resp.Header.Get("Content-Type"), "javascript") {
		t.Errorf("asset %s: %d %q %q", asset[1], resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Type"))
	}
}

// firstLoadBudget bounds the JavaScript the admin app loads before it
// shows anything (issue 5: at most 300 KB gzipped); sections load later.
const firstLoadBudget = 300 << 10

// TestSPAFirstLoad sums the gzipped size of the scripts the committed
// build's index.html loads (its module and the modules it preloads) and
// fails above the budget.
func TestSPAFirstLoad(t *testing.T) {
	index, err := fs.ReadFile(web.Admin, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile(`<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="/admin/([^"]+\.js)"`).FindAllStringSubmatch(string(index), -1)
	if len(refs) == 0 {
		t.Fatalf("index.html loads no script:\n%s", index)
	}
	total := 0
	for _, r := range refs {
		js, err := fs.ReadFile(web.Admin, r[1])
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(js)
		zw.Close()
		t.Logf("%s: %d bytes, %d gzipped", r[1], len(js), buf.Len())
		total += buf.Len()
	}
	t.Logf("first load: %d scripts, %.1f KB gzipped (budget %d KB)", len(refs), float64(total)/1024, firstLoadBudget>>10)
	if total > firstLoadBudget {
		t.Errorf("the first load is %d bytes of gzipped JavaScript, over the budget of %d", total, firstLoadBudget)
	}
}
