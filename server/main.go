// Command guichet runs Guichet: the citizens' portal, the back-office, the
// admin builder, the public API and the background workers, on embedded
// SQLite by default or on PostgreSQL.
//
//	go run ./server            # serve (SQLite in ./data)
//	go run ./server migrate    # apply migrations and exit
//	go run ./server load       # load generator, see -h
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/guichet/guichet/migrations"
	"github.com/guichet/guichet/server/app"
	"github.com/guichet/guichet/server/config"
	"github.com/guichet/guichet/server/store"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "guichet:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "load" {
		return runLoad(args)
	}
	cfg, err := config.Load(args)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate":
		db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
		if err != nil {
			return err
		}
		defer db.Close()
		g, err := migrations.Up(ctx, db.Write)
		if err != nil {
			return err
		}
		log.Info("migrated", "group", g.String())
		return nil
	default:
		return fmt.Errorf("unknown command %q (serve, migrate, load)", cmd)
	}
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	tuneGC()
	log.Info("starting", "config", fmt.Sprintf("%+v", cfg.Redacted()))
	if addr := os.Getenv("GUICHET_PPROF"); addr != "" {
		if err := servePprof(addr, log); err != nil {
			return err
		}
	}
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	if a.AdminPassword != "" {
		// Printed once, on the terminal only, never to the log.
		fmt.Printf("\nFirst admin account created:\n  email:    %s\n  password: %s\n(set GUICHET_ADMIN_PASSWORD to choose it)\n\n",
			cfg.AdminEmail, a.AdminPassword)
	}
	a.Start(ctx)
	errc := make(chan error, 1)
	go func() { errc <- a.HTTP.Listen(cfg.Addr) }()
	fmt.Printf("Guichet listens on %s\n", cfg.BaseURL)
	select {
	case err := <-errc:
		shutdown(a, log)
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	return shutdown(a, log)
}

func shutdown(a *app.App, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := a.Shutdown(ctx)
	if err != nil && !errors.Is(err, context.Canceled) {
		log.Error("shutdown", "error", err)
	}
	return err
}
