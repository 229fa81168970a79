// Package apptest builds a real Guichet app on a fresh database for tests:
// SQLite in a temporary directory always, and PostgreSQL (a throw-away
// database per test) when GUICHET_TEST_POSTGRES_URL is set.
package apptest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/config"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun/driver/pgdriver"
)

// AdminEmail and AdminPassword sign in the test app's admin.
const (
	AdminEmail    = "admin@test.local"
	AdminPassword = "test-admin-password"
)

// DB names a database kind for EachDB.
type DB struct {
	Name string // "sqlite" or "postgres"
	URL  string // "" for SQLite
}

// EachDB runs f once per available database as a subtest. In CI (CI=true)
// a missing GUICHET_TEST_POSTGRES_URL fails the test instead of silently
// testing SQLite alone.
func EachDB(t *testing.T, f func(t *testing.T, db DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, DB{Name: "sqlite"}) })
	pg := os.Getenv("GUICHET_TEST_POSTGRES_URL")
	if pg == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("GUICHET_TEST_POSTGRES_URL is not set: PostgreSQL tests cannot run in CI")
		}
		t.Log("GUICHET_TEST_POSTGRES_URL unset: PostgreSQL variant not run")
		return
	}
	t.Run("postgres", func(t *testing.T) { f(t, DB{Name: "postgres", URL: FreshPostgres(t, pg)}) })
}

// Fresh returns a new empty database of the same kind, for tests that
// need several apps: SQLite is per data dir already; PostgreSQL gets a
// throw-away database.
func (db DB) Fresh(t testing.TB) DB {
	if db.Name != "postgres" {
		return db
	}
	return DB{Name: db.Name, URL: FreshPostgres(t, os.Getenv("GUICHET_TEST_POSTGRES_URL"))}
}

// FreshPostgres creates a throw-away database on the server of baseURL,
// dropped when the test ends, and returns its URL.
func FreshPostgres(t testing.TB, baseURL string) string {
	t.Helper()
	admin := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(baseURL)))
	defer admin.Close()
	name := fmt.Sprintf("guichet_test_%d_%s", time.Now().UnixNano(), strings.ReplaceAll(store.NewID()[24:], "-", ""))
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		a := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(baseURL)))
		defer a.Close()
		if _, err := a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Options tune a test app.
type Options struct {
	SMTPURL  string
	DataDir  string // reuse a data dir (restart tests); default: a temp dir
	Database string // reuse a database URL (restart tests)
	NoStart  bool   // do not start workers
	Backoff  func(int) time.Duration
	BaseURL  string           // links in messages; default http://guichet.test
	Now      func() time.Time // the runtime's clock (see Clock)
}

// New builds and starts an app on db. It is shut down when the test ends.
func New(t testing.TB, db DB, opts Options) *app.App {
	t.Helper()
	if opts.DataDir == "" {
		opts.DataDir = t.TempDir()
	}
	if opts.Database == "" {
		opts.Database = db.URL
	}
	if opts.BaseURL == "" {
		opts.BaseURL = "http://guichet.test"
	}
	cfg := &config.Config{
		Addr: "127.0.0.1:0", DataDir: opts.DataDir, DatabaseURL: opts.Database, SMTPURL: opts.SMTPURL,
		MailFrom: "Guichet <no-reply@test.local>", BaseURL: opts.BaseURL, AdminEmail: AdminEmail,
		AdminPassword: AdminPassword, LogLevel: "warn", SiteName: "Commune de Test", SiteAccent: "#0b4f8a", BodyLimit: 8 << 20, Workers: 4,
	}
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	backoff := opts.Backoff
	if backoff == nil {
		backoff = func(int) time.Duration { return 50 * time.Millisecond }
	}
	a, err := app.New(context.Background(), cfg, log, app.Options{PollInterval: 50 * time.Millisecond, Backoff: backoff, Now: opts.Now})
	if err != nil {
		t.Fatalf("new app: %v", err)
	}
	if !opts.NoStart {
		a.Start(context.Background())
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.Shutdown(ctx); err != nil {
			t.Logf("shutdown: %v", err)
		}
	})
	return a
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Do sends req through the app's router (fiber's app.Test) and returns
// the response with its body read.
func Do(t testing.TB, a *app.App, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := a.HTTP.Test(req, 30_000)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// JSON builds a JSON request.
func JSON(method, path, body string) *http.Request {
	req, _ := http.NewRequest(method, "http://guichet.test"+path, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}
