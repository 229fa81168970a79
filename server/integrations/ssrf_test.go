package integrations_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/guichet/guichet/server/integrations"
)

// Connections to loopback are refused unless the integration is
// internal, whether the URL names the address or a host that resolves to
// it; redirects are not followed.
func TestPushSSRFGuard(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://169.254.169.254/latest/meta-data", http.StatusFound)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for _, url := range []string{srv.URL, "http://localhost" + port} {
		_, err := integrations.NewClient(false).Get(url)
		var be *integrations.BlockedError
		if !errors.As(err, &be) || be.Reason != "loopback" || !strings.Contains(err.Error(), "mark the integration as internal") {
			t.Errorf("GET %s from a public integration: %v", url, err)
		}
		resp, err := integrations.NewClient(true).Get(url)
		if err != nil {
			t.Fatalf("GET %s from an internal integration: %v", url, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			t.Errorf("the redirect was followed: %d", resp.StatusCode)
		}
	}
}
