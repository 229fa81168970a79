// Package app wires Guichet together: configuration, store, migrations,
// runtime, jobs, mail and the HTTP routes. main and the tests build the
// same App.
package app

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/guichet/guichet/migrations"
	"github.com/guichet/guichet/server/auth"
	"github.com/guichet/guichet/server/config"
	"github.com/guichet/guichet/server/integrations"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/mail"
	"github.com/guichet/guichet/server/runtime"
	"github.com/guichet/guichet/server/store"
	"github.com/guichet/guichet/web"
	"github.com/uptrace/bun"
)

// App is a running Guichet instance.
type App struct {
	Cfg    *config.Config
	Log    *slog.Logger
	DB     *store.DB
	Batch  *store.Batcher
	Queue  *jobs.Queue
	Sched  *jobs.Scheduler
	Engine *runtime.Engine
	Sender mail.Sender
	HTTP   *fiber.App

	// Integrations push to, take webhooks from and poll business
	// applications.
	Integrations *integrations.Service

	// AdminPassword is set when New generated the first admin's password.
	AdminPassword string

	siteMu    sync.Mutex
	siteCache web.Site
	siteAt    time.Time
}

// Options tune an App beyond its configuration (tests use them).
type Options struct {
	Now          func() time.Time
	PollInterval time.Duration
	Backoff      func(attempt int) time.Duration // retry delay of message jobs
}

// New opens the database, migrates it, loads the presets into an empty
// database, creates the first admin, and builds the HTTP app. Call Start
// to run the workers.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger, opts Options) (*App, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	a := &App{Cfg: cfg, Log: log, DB: db}
	if err := a.init(ctx, opts); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) init(ctx context.Context, opts Options) error {
	if _, err := migrations.Up(ctx, a.DB.Write); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	writers := 1
	if a.DB.IsPostgres() {
		writers = 4
	}
	a.Batch = store.NewBatcher(a.DB.Write, writers, 256)
	a.Queue = jobs.NewQueue(a.DB, a.Batch, jobs.Options{Workers: a.Cfg.Workers, PollInterval: opts.PollInterval, Logger: a.Log})
	a.Sched = jobs.NewScheduler(a.Batch, a.Queue, a.Log)
	a.Engine = runtime.New(a.DB, a.Batch, a.Queue, runtime.Options{BaseURL: a.Cfg.BaseURL, Logger: a.Log, Now: opts.Now})
	if n, err := a.Engine.LoadPresets(ctx); err != nil {
		return fmt.Errorf("load presets: %w", err)
	} else if n > 0 {
		a.Log.Info("loaded preset procedures", "count", n)
	}
	if err := a.ensureAdmin(ctx); err != nil {
		return err
	}
	if a.Cfg.SMTPURL != "" {
		s, err := mail.NewSMTPSender(a.Cfg.SMTPURL, a.Cfg.MailFrom, a.Log)
		if err != nil {
			return fmt.Errorf("smtp: %w", err)
		}
		a.Sender = s
	} else {
		a.Sender = mail.DevMailbox{Store: mailboxStore{a.Batch}}
	}
	a.Queue.Handle(runtime.JobSendMessage, jobs.KindConfig{
		Handler: permanentMail(a.Engine.SendMessageHandler(a.Sender, a.Cfg.MailFrom)),
		Timeout: 30 * time.Second, Backoff: opts.Backoff,
	})
	a.Queue.Handle(jobCleanup, jobs.KindConfig{Handler: a.cleanup, Timeout: 5 * time.Minute})
	a.Queue.Handle(runtime.JobOverdue, jobs.KindConfig{Handler: a.Engine.OverdueHandler(), Timeout: 5 * time.Minute})
	if err := a.Sched.Add("invitations-overdue", "@every 5m", runtime.JobOverdue, func(time.Time) any { return struct{}{} }); err != nil {
		return err
	}
	if err := a.Sched.Add("cleanup", "@every 1h", jobCleanup, func(time.Time) any { return struct{}{} }); err != nil {
		return err
	}
	a.Queue.Handle(jobs.KindSweep, jobs.KindConfig{Handler: jobs.SweepHandler(a.DB, a.Queue, a.Log), Timeout: time.Minute})
	if err := a.Sched.Add("jobs-sweep", "@every 1m", jobs.KindSweep, func(time.Time) any { return struct{}{} }); err != nil {
		return err
	}
	integ, err := integrations.New(a.DB, a.Batch, a.Queue, a.Sched, a.Engine,
		integrations.Options{SecretKey: a.Cfg.SecretKey, DataDir: a.Cfg.DataDir, Logger: a.Log})
	if err != nil {
		return fmt.Errorf("integrations: %w", err)
	}
	a.Integrations = integ
	key, err := a.secretKey(ctx, "csrf_key")
	if err != nil {
		return err
	}
	a.HTTP, err = a.routes(key)
	return err
}

// Start runs the job workers and the cron clock.
func (a *App) Start(ctx context.Context) {
	a.Queue.Start(ctx)
	a.Sched.Start()
	a.Integrations.Start(ctx)
}

// Shutdown stops accepting requests, finishes in-flight ones and running
// jobs, then closes the database.
func (a *App) Shutdown(ctx context.Context) error {
	var errs []error
	if a.HTTP != nil {
		errs = append(errs, a.HTTP.ShutdownWithContext(ctx))
	}
	a.Sched.Stop()
	a.Integrations.Stop()
	errs = append(errs, a.Queue.Shutdown(ctx))
	a.Engine.Close()
	a.Batch.Close()
	errs = append(errs, a.DB.Close())
	return errors.Join(errs...)
}

// ensureAdmin creates the first admin account when there is none, with
// GUICHET_ADMIN_PASSWORD or a generated password (kept in AdminPassword
// for main to print once).
func (a *App) ensureAdmin(ctx context.Context) error {
	n, err := store.CountAdmins(ctx, a.DB.Read)
	if err != nil || n > 0 {
		return err
	}
	pw := a.Cfg.AdminPassword
	if pw == "" {
		pw = auth.GeneratePassword()
		a.AdminPassword = pw
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	u := &store.User{ID: store.NewID(), Email: a.Cfg.AdminEmail, Name: "Administrateur", PasswordHash: hash,
		IsAdmin: true, CreatedAt: time.Now().UTC()}
	return store.InsertUser(ctx, a.DB.Write, u)
}

// secretKey returns a random key kept in the settings so that every
// instance on the database shares it.
func (a *App) secretKey(ctx context.Context, name string) ([]byte, error) {
	var key []byte
	if err := store.Setting(ctx, a.DB.Read, name, &key); err == nil && len(key) >= 32 {
		return key, nil
	}
	key = make([]byte, 32)
	_, _ = rand.Read(key)
	err := a.DB.Tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var existing []byte
		if err := store.Setting(ctx, tx, name, &existing); err == nil && len(existing) >= 32 {
			key = existing
			return nil
		}
		return store.SetSetting(ctx, tx, name, key)
	})
	return key, err
}

// mailboxStore saves dev-mailbox messages through the group-commit writer.
type mailboxStore struct{ b *store.Batcher }

func (s mailboxStore) SaveMailboxMessage(ctx context.Context, m *mail.Message) error {
	row := &store.MailboxMessage{ID: m.ID, Kind: m.Kind, Recipient: joinAddrs(m.To), Subject: m.Subject,
		Body: m.Body, CreatedAt: time.Now().UTC()}
	if m.DossierID != "" {
		row.DossierID = &m.DossierID
	}
	return s.b.Do(ctx, func(ctx context.Context, tx bun.Tx) error { return store.SaveMailboxMessage(ctx, tx, row) })
}

func joinAddrs(as []string) string {
	out := ""
	for i, a := range as {
		if i > 0 {
			out += ", "
		}
		out += a
	}
	return out
}

// permanentMail marks mail errors that retrying cannot fix as permanent.
func permanentMail(h jobs.Handler) jobs.Handler {
	return func(ctx context.Context, j *jobs.Job) error {
		err := h(ctx, j)
		if err != nil && mail.IsPermanent(err) && !errors.Is(err, jobs.ErrPermanent) {
			return fmt.Errorf("%w: %w", jobs.ErrPermanent, err)
		}
		return err
	}
}
