package portal_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/apptest"
)

// rawGet sends path as it is on the request line (no client-side
// normalisation) and returns the response's status line and header block
// exactly as received.
func rawGet(t *testing.T, base, method, path string) (status string, header string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	req := method + " " + path + " HTTP/1.1\r\nHost: guichet.test\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	status, err = r.ReadString('\n')
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == "\r\n" {
			break
		}
		b.WriteString(line)
	}
	return strings.TrimSpace(status), b.String()
}

// headerValues returns the values of the header name in a raw header block.
func headerValues(block, name string) []string {
	var out []string
	for _, line := range strings.Split(block, "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			out = append(out, strings.TrimSpace(v))
		}
	}
	return out
}

// TestRenamedRedirect checks the redirect of a renamed procedure's old
// addresses: temporary (302, 307), built from the raw path (no header
// injection, no open redirect, encoded slashes kept), without the
// handler's cookies.
func TestRenamedRedirect(t *testing.T) {
	apptest.EachDB(t, func(t *testing.T, db apptest.DB) {
		a := apptest.New(t, db, apptest.Options{})
		base := apptest.Serve(t, a)
		admin := apptest.NewClient(t, base)
		admin.AdminAPI()
		call := func(method, path, body string, want int) {
			t.Helper()
			if resp, out := admin.RawJSON(method, path, []byte(body)); resp.StatusCode != want {
				t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, out)
			}
		}
		call(http.MethodPost, "/api/admin/procedures", `{"slug":"location-salle","title":"Location","preset":"reservation-salle"}`, 201)
		call(http.MethodPost, "/api/admin/procedures/location-salle/publish", "", 201)
		call(http.MethodPost, "/api/admin/procedures/location-salle/rename", `{"slug":"location-salles"}`, 200)

		cases := []struct {
			method, path string
			status       int
			location     string // "" when no redirect is expected
		}{
			{"GET", "/d/location-salle", 302, "/d/location-salles"},
			{"HEAD", "/d/location-salle", 302, "/d/location-salles"},
			{"GET", "/d/location-salle/form?source=lettre&x=%0d%0a", 302, "/d/location-salles/form?source=lettre&x=%0d%0a"},
			{"POST", "/api/v1/procedures/location-salle/dossiers", 307, "/api/v1/procedures/location-salles/dossiers"},
			// An encoded CR LF stays encoded: no header is injected.
			{"GET", "/d/location-salle/form/x/etape/%0d%0aSet-Cookie:%20pwn=1", 302, "/d/location-salles/form/x/etape/%0d%0aSet-Cookie:%20pwn=1"},
			{"GET", "/d/location-salle/form/x/etape/%0D%0ALocation:%20https:%2F%2Fevil.example", 302, "/d/location-salles/form/x/etape/%0D%0ALocation:%20https:%2F%2Fevil.example"},
			{"GET", "/d/location-salle/form/x/etape/%0D%0ALocation:%20https://evil.example", 0, ""},
			// An encoded slash stays one segment.
			{"GET", "/d/location-salle/form/a%2Fb/etape/1", 302, "/d/location-salles/form/a%2Fb/etape/1"},
			{"GET", "/d/location-salle/confirmation/%2F%2Fevil.example", 302, "/d/location-salles/confirmation/%2F%2Fevil.example"},
			// Double slashes never make a protocol-relative address.
			{"GET", "//d/location-salle", 0, ""},
			{"GET", "//evil.example/d/location-salle", 0, ""},
			{"GET", "/d/location-salle//evil.example", 0, ""},
			{"GET", "/d/nowhere-at-all/form/x/etape/%0d%0aSet-Cookie:%20pwn=1", 404, ""},
		}
		for _, tc := range cases {
			status, header := rawGet(t, base, tc.method, tc.path)
			locs := headerValues(header, "Location")
			for _, c := range headerValues(header, "Set-Cookie") {
				if strings.Contains(c, "pwn") || tc.location != "" && strings.Contains(c, "guichet_owner") {
					t.Errorf("%s %s: Set-Cookie %q on the answer", tc.method, tc.path, c)
				}
			}
			for _, l := range locs {
				if strings.HasPrefix(l, "//") || strings.HasPrefix(l, "/\\") || strings.Contains(l, "://") && !strings.HasPrefix(l, "/") {
					t.Errorf("%s %s: open redirect to %q", tc.method, tc.path, l)
				}
			}
			if tc.location == "" {
				if len(locs) != 0 && tc.status != 0 {
					t.Errorf("%s %s: %s, Location %v; want no redirect", tc.method, tc.path, status, locs)
				}
				if tc.status != 0 && !strings.Contains(status, " "+strconv.Itoa(tc.status)+" ") {
					t.Errorf("%s %s: %s, want %d", tc.method, tc.path, status, tc.status)
				}
				continue
			}
			if !strings.Contains(status, " "+strconv.Itoa(tc.status)+" ") || len(locs) != 1 || locs[0] != tc.location {
				t.Errorf("%s %s: %s to %v, want %d to %q\n%s", tc.method, tc.path, status, locs, tc.status, tc.location, header)
			}
		}

		// The form handler sets the owner cookie before it finds no
		// draft: that cookie is not on the redirect.
		c := apptest.NewClient(t, base)
		resp, _ := c.Get("/d/location-salle/form/no-such-draft/etape/1")
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/d/location-salles/form/no-such-draft/etape/1" {
			t.Errorf("old draft address: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		for _, ck := range resp.Cookies() {
			if ck.Name == "guichet_owner" {
				t.Errorf("the handler's cookie is on the redirect: %v", ck)
			}
		}
		if resp, _ := c.Get("/d/location-salles/form"); resp.StatusCode != 200 || !hasCookie(resp, "guichet_owner") {
			t.Errorf("the form at the new address: %d, cookies %v", resp.StatusCode, resp.Cookies())
		}
	})
}

func hasCookie(resp *http.Response, name string) bool {
	for _, ck := range resp.Cookies() {
		if ck.Name == name {
			return true
		}
	}
	return false
}
