package integrations

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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
		_, err := newClient(false).Get(url)
		var be *BlockedError
		if !errors.As(err, &be) || be.Reason != "loopback" || !strings.Contains(err.Error(), "mark the integration as internal") {
			t.Errorf("GET %s from a public integration: %v", url, err)
		}
		resp, err := newClient(true).Get(url)
		if err != nil {
			t.Fatalf("GET %s from an internal integration: %v", url, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusFound {
			t.Errorf("the redirect was followed: %d", resp.StatusCode)
		}
	}
}

// The cloud metadata endpoints are refused to every integration,
// internal ones included; other private addresses stay reachable from
// internal integrations.
func TestSSRFGuardMetadata(t *testing.T) {
	for _, addr := range []string{"169.254.169.254:80", "169.254.169.1:80", "169.254.169.123:443", "169.254.170.2:80",
		"[fd00:ec2::254]:80", "100.100.100.200:80", "[::ffff:169.254.169.254]:80"} {
		for _, internal := range []bool{false, true} {
			control := guard
			if internal {
				control = guardInternal
			}
			err := control("tcp", addr, nil)
			var be *BlockedError
			if !errors.As(err, &be) || be.Reason != ReasonMetadata || be.Address != addr ||
				!strings.Contains(err.Error(), "metadata endpoint") || strings.Contains(err.Error(), "mark the integration as internal") {
				t.Errorf("%s (internal %v): %v", addr, internal, err)
			}
		}
	}
	for _, addr := range []string{"10.1.2.3:443", "192.168.0.10:80", "127.0.0.1:8080", "169.254.1.1:80", "[fd00:ec2::253]:80", "100.100.100.201:80"} {
		if err := guardInternal("tcp", addr, nil); err != nil {
			t.Errorf("%s from an internal integration: %v", addr, err)
		}
		if err := guard("tcp", addr, nil); err == nil {
			t.Errorf("%s from a public integration: not refused", addr)
		}
	}
	// Through the internal client: refused before connecting.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, url := range []string{"http://169.254.169.254/latest/meta-data/", "http://100.100.100.200/latest/meta-data/"} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := newClient(true).Do(req)
		if err == nil {
			resp.Body.Close()
		}
		var be *BlockedError
		if !errors.As(err, &be) || be.Reason != ReasonMetadata {
			t.Errorf("GET %s from an internal integration: %v", url, err)
		}
	}
}
