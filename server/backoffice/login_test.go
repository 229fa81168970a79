package backoffice_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/apptest"
	"github.com/guichet/guichet/server/auth"
	"github.com/guichet/guichet/server/store"
)

// sessionCookie returns the Set-Cookie header of the staff session.
func sessionCookie(resp *http.Response) *http.Cookie {
	for _, ck := range resp.Cookies() {
		if ck.Name == "guichet_session" {
			return ck
		}
	}
	return nil
}

func TestLoginAndLogout(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	base := apptest.Serve(t, a)
	c := apptest.NewClient(t, base)
	resp, body := c.Get("/login")
	if resp.StatusCode != 200 || c.CSRF == "" {
		t.Fatalf("login page: %d, CSRF %q", resp.StatusCode, c.CSRF)
	}

	t.Run("failures look the same for known and unknown emails", func(t *testing.T) {
		var pages []string
		for _, email := range []string{apptest.AdminEmail, "nobody@test.local"} {
			resp, body := c.PostForm("/login", url.Values{"email": {email}, "password": {"wrong password"}})
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("%s: status %d, want 401", email, resp.StatusCode)
			}
			if sessionCookie(resp) != nil {
				t.Errorf("%s: a session cookie was set", email)
			}
			for _, want := range []string{"<title>Erreur : ", "Adresse e-mail ou mot de passe incorrect.", `value="` + email + `"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: page lacks %q", email, want)
				}
			}
			if strings.Contains(body, "wrong password") {
				t.Errorf("%s: the password is echoed", email)
			}
			pages = append(pages, strings.ReplaceAll(body, email, "EMAIL"))
		}
		if pages[0] != pages[1] {
			t.Error("the failure page differs between a known and an unknown email")
		}
	})

	if resp, _ := c.Get("/backoffice"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=/backoffice" {
		t.Fatalf("anonymous /backoffice: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// A session ID planted before sign-in is not the one signed in
	// (session fixation).
	u, _ := url.Parse(base)
	const planted = "planted-by-an-attacker-0123456789"
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "guichet_session", Value: planted, Path: "/"}})

	// The email is matched whatever its case and surrounding spaces.
	resp, _ = c.PostForm("/login", url.Values{"email": {" " + strings.ToUpper(apptest.AdminEmail) + " "}, "password": {apptest.AdminPassword}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/backoffice" {
		t.Fatalf("login: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	ck := sessionCookie(resp)
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure || len(ck.Value) < 20 {
		t.Fatalf("session cookie %+v, want HttpOnly, SameSite=Lax, Path=/, not Secure over http", ck)
	}
	if ck.Value == planted {
		t.Error("the planted session ID was kept at sign-in")
	}
	if raw := strings.Join(resp.Header.Values("Set-Cookie"), "\n"); !strings.Contains(strings.ToLower(raw), "samesite=lax") {
		t.Errorf("Set-Cookie lacks SameSite=Lax: %s", raw)
	}
	resp, body = c.Get("/backoffice")
	if resp.StatusCode != 200 || !strings.Contains(body, "Connecté en tant que Administrateur") {
		t.Fatalf("/backoffice after login: %d", resp.StatusCode)
	}

	resp, _ = c.PostForm("/logout", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("logout: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := c.Get("/backoffice"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("/backoffice after logout: %d, want a redirect to /login", resp.StatusCode)
	}
	// The old session ID opens nothing any more.
	replay := apptest.NewClient(t, base)
	replay.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: "guichet_session", Value: ck.Value, Path: "/"}})
	if resp, _ := replay.Get("/backoffice"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("replayed session after logout: %d, want a redirect to /login", resp.StatusCode)
	}
}

func TestLogoutNeedsCSRF(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	c := apptest.NewClient(t, apptest.Serve(t, a))
	c.Login(apptest.AdminEmail, apptest.AdminPassword)
	resp, _ := c.PostForm("/logout", url.Values{"_csrf": {"forged"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("logout with a forged token: %d, want 403", resp.StatusCode)
	}
	if resp, _ := c.Get("/backoffice"); resp.StatusCode != 200 {
		t.Errorf("still signed in? /backoffice: %d", resp.StatusCode)
	}
}

func TestLoginRateLimit(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	c := apptest.NewClient(t, apptest.Serve(t, a))
	c.Get("/login")
	for i := 1; i <= 10; i++ {
		resp, _ := c.PostForm("/login", url.Values{"email": {apptest.AdminEmail}, "password": {"guess " + string(rune('a'+i))}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i, resp.StatusCode)
		}
	}
	// The 11th attempt in the minute is refused, even with the right
	// password.
	resp, body := c.PostForm("/login", url.Values{"email": {apptest.AdminEmail}, "password": {apptest.AdminPassword}})
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("11th attempt: status %d, want 429", resp.StatusCode)
	}
	if resp.Header.Get("Retry-After") != "60" || sessionCookie(resp) != nil || !strings.Contains(body, "<html") {
		t.Errorf("429 answer: Retry-After %q, session %v", resp.Header.Get("Retry-After"), sessionCookie(resp))
	}
	// Another client address is not limited.
	req, _ := http.NewRequest(http.MethodGet, "http://guichet.test/login", nil)
	if resp, _ := apptest.Do(t, a, req); resp.StatusCode != 200 {
		t.Errorf("GET /login is limited too: %d", resp.StatusCode)
	}
}

func TestLoginNextRedirect(t *testing.T) {
	a := apptest.New(t, apptest.DB{Name: "sqlite"}, apptest.Options{NoStart: true})
	base := apptest.Serve(t, a)
	tests := []struct {
		name, next, want string
	}{
		{"local path", "/backoffice/mailbox", "/backoffice/mailbox"},
		{"none", "", "/backoffice"},
		{"absolute URL", "https://evil.example/phish", "/backoffice"},
		{"protocol-relative", "//evil.example/phish", "/backoffice"},
		{"backslash", "/\\evil.example", "/backoffice"},
		{"tab that browsers strip", "/\t/evil.example", "/backoffice"},
		{"newline that browsers strip", "/\n/evil.example", "/backoffice"},
		{"javascript", "javascript:alert(1)", "/backoffice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := apptest.NewClient(t, base)
			_, body := c.Get("/login?next=" + url.QueryEscape(tt.next))
			if tt.next != "" && !strings.Contains(body, `name="next" value="`+tt.want+`"`) {
				t.Errorf("login page carries next=%q, want %q", tt.next, tt.want)
			}
			resp, _ := c.PostForm("/login", url.Values{"email": {apptest.AdminEmail}, "password": {apptest.AdminPassword}, "next": {tt.next}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tt.want {
				t.Errorf("next=%q: %d → %q, want %q", tt.next, resp.StatusCode, resp.Header.Get("Location"), tt.want)
			}
		})
	}
}

// newAgent creates a staff member who is not an admin.
func newAgent(t testing.TB, a *app.App, email, password string) {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	u := &store.User{ID: store.NewID(), Email: email, Name: "Agent", PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := store.InsertUser(context.Background(), a.DB.Write, u); err != nil {
		t.Fatal(err)
	}
}
