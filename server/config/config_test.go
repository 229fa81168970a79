package config

import (
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	t.Setenv("GUICHET_ADDR", "127.0.0.1:9999")
	t.Setenv("GUICHET_DATABASE_URL", "postgres://guichet:s3cret@db/guichet")
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, c *Config)
	}{
		{name: "env and defaults", check: func(t *testing.T, c *Config) {
			if c.Addr != "127.0.0.1:9999" || c.BaseURL != "http://127.0.0.1:9999" || c.DataDir != "./data" {
				t.Errorf("got %+v", c)
			}
			if c.SecureCookies {
				t.Error("secure cookies on plain http")
			}
		}},
		{name: "flag wins over env", args: []string{"-addr", "0.0.0.0:80", "-base-url", "https://guichet.example.ch/"}, check: func(t *testing.T, c *Config) {
			if c.Addr != "0.0.0.0:80" || c.BaseURL != "https://guichet.example.ch" || !c.SecureCookies {
				t.Errorf("got %+v", c)
			}
		}},
		{name: "bad base URL", args: []string{"-base-url", "ftp://x"}, wantErr: "base-url"},
		{name: "pale accent refused", args: []string{"-site-accent", "#ffff00"}, wantErr: "contrast"},
		{name: "tiny body limit", args: []string{"-body-limit", "10"}, wantErr: "body-limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one about %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestRedactedHidesSecrets(t *testing.T) {
	c := Config{DatabaseURL: "postgres://guichet:s3cret@db/guichet", SMTPURL: "smtp://mailer:hunter2@mx:587", AdminPassword: "pw"}
	r := c.Redacted()
	for _, secret := range []string{"s3cret", "hunter2", "pw"} {
		if strings.Contains(r.DatabaseURL+r.SMTPURL+r.AdminPassword, secret) {
			t.Errorf("redacted config still shows %q: %+v", secret, r)
		}
	}
	if !strings.Contains(r.DatabaseURL, "@db/guichet") {
		t.Errorf("redaction lost the host: %s", r.DatabaseURL)
	}
}
