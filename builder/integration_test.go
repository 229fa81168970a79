package builder

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

// voirie returns a fresh copy of the road-problem preset and its
// integration.
func voirie(t *testing.T) (*Procedure, *Integration) {
	t.Helper()
	p, err := Preset("signalement-voirie")
	if err != nil {
		t.Fatal(err)
	}
	return p, p.OnlineScenario().Integration
}

func TestCheckIntegration(t *testing.T) {
	tests := []struct {
		name   string
		change func(in *Integration)
		want   []string // problem prefixes, in order
	}{
		{"preset, disabled until it has a URL", func(in *Integration) {}, nil},
		{"switched off with a URL", func(in *Integration) { in.Enabled = false; in.URL = "https://voirie.example.ch" }, nil},
		{"public address", func(in *Integration) { in.URL = "https://192.0.2.10:8443/api" }, nil},
		{"loopback refused", func(in *Integration) { in.URL = "http://127.0.0.1:9000" },
			[]string{"$.scenarios[1].integration.url: 127.0.0.1 is a loopback address"}},
		{"IPv6 loopback refused", func(in *Integration) { in.URL = "http://[::1]:9000" },
			[]string{"$.scenarios[1].integration.url: ::1 is a loopback address"}},
		{"metadata refused", func(in *Integration) { in.URL = "http://169.254.169.254/latest" },
			[]string{"$.scenarios[1].integration.url: 169.254.169.254 is a cloud metadata address"}},
		{"metadata refused even internal", func(in *Integration) { in.URL = "http://[fd00:ec2::254]/latest"; in.Internal = true },
			[]string{"$.scenarios[1].integration.url: fd00:ec2::254 is a cloud metadata address"}},
		{"other link-local refused", func(in *Integration) { in.URL = "http://169.254.1.1/" },
			[]string{"$.scenarios[1].integration.url: 169.254.1.1 is a link-local address"}},
		{"internal allows loopback", func(in *Integration) { in.URL = "http://127.0.0.1:9000"; in.Internal = true }, nil},
		{"not a URL", func(in *Integration) { in.URL = "voirie.example.ch" },
			[]string{"$.scenarios[1].integration.url: the URL must be an absolute http or https URL"}},
		{"nothing to do", func(in *Integration) { in.Push, in.Webhook, in.Poll = nil, nil, nil },
			[]string{"$.scenarios[1].integration: an integration does at least one thing"}},
		{"basic auth", func(in *Integration) {
			in.Auth = &IntegrationAuth{Kind: AuthBasic, Secret: "voirie-password", Username: "guichet"}
		}, nil},
		{"secret value instead of a name", func(in *Integration) { in.Auth.Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
			[]string{`$.scenarios[1].integration.auth.secret: "whsec_…" is not a secret name`}},
		{"let variables are not env names", func(in *Integration) { in.Push.Body = `let ref = reference; {"ref": ref}` }, nil},
		{"push body sees no response", func(in *Integration) { in.Push.Body = "response" },
			[]string{"$.scenarios[1].integration.push.body: response is not available here"}},
		{"condition must be boolean", func(in *Integration) { in.Webhook.Update.Transitions[0].If = "reference" },
			[]string{"$.scenarios[1].integration.webhook.update.transitions[0].if: the expression does not compile"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, in := voirie(t)
			tt.change(in)
			var got []string
			for _, pr := range Check(p) {
				got = append(got, pr.String())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %d = %q, want prefix %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestIntegrationDefaults(t *testing.T) {
	_, in := voirie(t)
	if in.Active() {
		t.Error("the preset's integration is active without a URL")
	}
	in.URL = "https://voirie.example.ch"
	if !in.Active() {
		t.Error("an enabled integration with a URL is not active")
	}
	if n, initial, maximum := in.Retries(); n != 12 || initial != 30*time.Second || maximum != time.Hour {
		t.Errorf("retries = %d, %s, %s", n, initial, maximum)
	}
	in.Retry = nil
	if n, initial, maximum := in.Retries(); n != DefaultRetryAttempts || initial != DefaultRetryInitial || maximum != DefaultRetryMax {
		t.Errorf("default retries = %d, %s, %s", n, initial, maximum)
	}
	if c, r := in.Poll.Limits(); c != 4 || r != 5 {
		t.Errorf("limits = %d, %g", c, r)
	}
	if !in.Push.Fires(EventSubmitted, "recu") || in.Push.Fires(EventEntered, "transmis") {
		t.Error("push triggers")
	}
	got := ExpandPath("/signalements/{external_id}?ref={reference}", map[string]string{"external_id": "a/b c", "reference": "SV-2026-00001"})
	if want := "/signalements/a%2Fb%20c?ref=SV-2026-00001"; got != want {
		t.Errorf("ExpandPath = %q, want %q", got, want)
	}
}

func TestBlockedAddress(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1": "loopback", "::1": "loopback", "10.1.2.3": "private", "172.16.0.1": "private",
		"192.168.1.1": "private", "fd00::1": "private", "169.254.169.254": "link-local", "fe80::1": "link-local",
		"0.0.0.0": "unspecified", "100.64.0.1": "shared (carrier-grade NAT)", "::ffff:127.0.0.1": "loopback",
		"0.1.2.3": "reserved", "224.0.0.1": "link-local", "239.1.2.3": "multicast", "192.0.2.10": "", "2001:db8::1": "", "8.8.8.8": "",
	} {
		if got := BlockedAddress(netip.MustParseAddr(addr)); got != want {
			t.Errorf("BlockedAddress(%s) = %q, want %q", addr, got, want)
		}
	}
}
