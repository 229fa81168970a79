// Package config reads Guichet's bootstrap settings from GUICHET_*
// environment variables and the matching command-line flags (flags win).
package config

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/guichet/guichet/web"
)

// Config is the bootstrap configuration. Settings that admins edit live
// in the database instead.
type Config struct {
	Addr          string // GUICHET_ADDR
	DataDir       string // GUICHET_DATA_DIR
	DatabaseURL   string // GUICHET_DATABASE_URL (secret: may hold a password)
	SMTPURL       string // GUICHET_SMTP_URL (secret)
	SecretKey     string // GUICHET_SECRET_KEY (secret): base64 of 32 bytes encrypting integration secrets
	MailFrom      string // GUICHET_MAIL_FROM
	BaseURL       string // GUICHET_BASE_URL
	AdminEmail    string // GUICHET_ADMIN_EMAIL
	AdminPassword string // GUICHET_ADMIN_PASSWORD (secret)
	LogLevel      string // GUICHET_LOG_LEVEL: debug, info, warn, error
	BodyLimit     int    // GUICHET_BODY_LIMIT bytes of a request body
	Workers       int    // GUICHET_WORKERS concurrent jobs
	SecureCookies bool   // GUICHET_SECURE_COOKIES (default: BaseURL is https)
	Dev           bool   // GUICHET_DEV: serve web assets from disk
	// Branding defaults, until an admin sets them in the settings.
	SiteName   string // GUICHET_SITE_NAME
	SiteLogo   string // GUICHET_SITE_LOGO (URL)
	SiteAccent string // GUICHET_SITE_ACCENT (#rrggbb, AA contrast on white)
}

type option struct {
	name, env, def, help string
	secret               bool
	dst                  *string
}

// Load reads env then flags from args (without the program name).
func Load(args []string) (*Config, error) {
	c := &Config{}
	var bodyLimit, workers, secure, dev string
	opts := []option{
		{"addr", "GUICHET_ADDR", "127.0.0.1:8080", "listen address", false, &c.Addr},
		{"data-dir", "GUICHET_DATA_DIR", "./data", "data directory (SQLite database)", false, &c.DataDir},
		{"database-url", "GUICHET_DATABASE_URL", "", "postgres://… (default: SQLite in the data dir)", true, &c.DatabaseURL},
		{"smtp-url", "GUICHET_SMTP_URL", "", "smtp://user:pass@host:587 (default: dev mailbox)", true, &c.SMTPURL},
		{"secret-key", "GUICHET_SECRET_KEY", "", "base64 of 32 bytes encrypting integration secrets (default: a key file in the data dir, for development)", true, &c.SecretKey},
		{"mail-from", "GUICHET_MAIL_FROM", "Guichet <no-reply@guichet.local>", "sender of outgoing mail", false, &c.MailFrom},
		{"base-url", "GUICHET_BASE_URL", "", "public URL used in links (default: http://ADDR)", false, &c.BaseURL},
		{"admin-email", "GUICHET_ADMIN_EMAIL", "admin@guichet.local", "email of the first admin account", false, &c.AdminEmail},
		{"admin-password", "GUICHET_ADMIN_PASSWORD", "", "password of the first admin (default: generated, printed once)", true, &c.AdminPassword},
		{"log-level", "GUICHET_LOG_LEVEL", "info", "debug, info, warn or error", false, &c.LogLevel},
		{"body-limit", "GUICHET_BODY_LIMIT", "26214400", "maximum request body in bytes", false, &bodyLimit},
		{"workers", "GUICHET_WORKERS", "16", "concurrent background jobs", false, &workers},
		{"secure-cookies", "GUICHET_SECURE_COOKIES", "", "true to mark cookies Secure (default: when base URL is https)", false, &secure},
		{"dev", "GUICHET_DEV", "false", "serve web assets from disk", false, &dev},
		{"site-name", "GUICHET_SITE_NAME", "Guichet", "administration's name in page headers", false, &c.SiteName},
		{"site-logo", "GUICHET_SITE_LOGO", "", "URL of the administration's logo", false, &c.SiteLogo},
		{"site-accent", "GUICHET_SITE_ACCENT", "#0b4f8a", "accent colour (#rrggbb, 4.5:1 contrast on white)", false, &c.SiteAccent},
	}
	fs := flag.NewFlagSet("guichet", flag.ContinueOnError)
	for _, o := range opts {
		v := o.def
		if e, ok := os.LookupEnv(o.env); ok {
			v = e
		}
		help := o.help + " [" + o.env + "]"
		fs.StringVar(o.dst, o.name, v, help)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if _, err := fmt.Sscan(bodyLimit, &c.BodyLimit); err != nil {
		return nil, fmt.Errorf("body-limit: %w", err)
	}
	if _, err := fmt.Sscan(workers, &c.Workers); err != nil {
		return nil, fmt.Errorf("workers: %w", err)
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	c.SecureCookies = secure == "true" || (secure == "" && strings.HasPrefix(c.BaseURL, "https://"))
	c.Dev = dev == "true"
	return c, c.Validate()
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	var errs []error
	if c.Addr == "" {
		errs = append(errs, errors.New("addr is empty"))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		errs = append(errs, fmt.Errorf("base-url %q is not an http(s) URL", c.BaseURL))
	}
	if c.BodyLimit < 1024 {
		errs = append(errs, errors.New("body-limit must be at least 1024 bytes"))
	}
	if c.Workers < 1 {
		errs = append(errs, errors.New("workers must be at least 1"))
	}
	if r := web.ContrastOnWhite(c.SiteAccent); r < 4.5 {
		errs = append(errs, fmt.Errorf("site-accent %q must be #rgb or #rrggbb with at least 4.5:1 contrast on white (has %.1f:1)", c.SiteAccent, r))
	}
	return errors.Join(errs...)
}

// Redacted returns a copy safe to log: secrets are masked.
func (c Config) Redacted() Config {
	c.DatabaseURL = redactURL(c.DatabaseURL)
	c.SMTPURL = redactURL(c.SMTPURL)
	if c.AdminPassword != "" {
		c.AdminPassword = "***"
	}
	if c.SecretKey != "" {
		c.SecretKey = "***"
	}
	return c
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	return u.String()
}
