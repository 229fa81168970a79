// Package runtime executes procedures: it creates dossiers from
// submissions, moves them through their pipelines, and decides who may see
// what. Every change is written in one transaction with its timeline
// events and the jobs it causes.
package runtime

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/guichet/guichet/builder"
	"github.com/guichet/guichet/forms"
	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
)

// Compiled is a published procedure version, parsed and with its form
// compiled, immutable and shared by every request.
type Compiled struct {
	ProcedureID string
	VersionID   string
	Version     int
	Def         *builder.Procedure
	Online      *builder.Scenario // the scenario with a form, or nil
	Form        *forms.Form       // compiled form of Online, or nil
	Pipeline    *Pipeline         // compiled pipeline of Online, or nil
}

// InitialState returns the state of a new dossier.
func (c *Compiled) InitialState() string {
	if c.Pipeline != nil {
		return c.Pipeline.Initial
	}
	return InitialState
}

// Engine is the runtime.
type Engine struct {
	db        *store.DB
	batch     *store.Batcher
	queue     *jobs.Queue
	submitter *submitter
	hook      IntegrationHook // see integration.go
	log       *slog.Logger
	now       func() time.Time
	BaseURL   string

	mu        sync.Mutex
	versions  map[string]*Compiled // by version ID, forever (immutable), as published
	renamed   map[string]*Compiled // by version ID and slug: a version under its procedure's later slug
	slugs     map[string]slugEntry // current slug by procedure ID
	current   map[string]currentEntry
	catalogue *catalogueEntry
	gen       int // bumped by Invalidate: a reload begun before it is not cached
}

type currentEntry struct {
	c       *Compiled
	checked time.Time
}

type slugEntry struct {
	slug    string
	checked time.Time
}

type catalogueEntry struct {
	list    []*Compiled
	checked time.Time
}

// currentTTL bounds how long an instance may serve a superseded version
// after another instance published a new one.
const currentTTL = 2 * time.Second

// Options configure an Engine.
type Options struct {
	BaseURL string
	Logger  *slog.Logger
	Now     func() time.Time
}

// New returns an engine.
func New(db *store.DB, b *store.Batcher, q *jobs.Queue, opts Options) *Engine {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	writers := 1 // SQLite has one writer
	if db.IsPostgres() {
		writers = 4
	}
	return &Engine{
		db: db, batch: b, queue: q, log: opts.Logger, now: opts.Now, BaseURL: opts.BaseURL,
		submitter: newSubmitter(db, b, writers, 128),
		versions:  map[string]*Compiled{}, current: map[string]currentEntry{},
		renamed: map[string]*Compiled{}, slugs: map[string]slugEntry{},
	}
}

// Close stops the engine's writers after pending submissions are written.
func (e *Engine) Close() { e.submitter.close() }

// DB returns the engine's database.
func (e *Engine) DB() *store.DB { return e.db }

// compile parses and compiles a version (cached by ID).
func (e *Engine) compile(v store.PublishedVersion) (*Compiled, error) {
	e.mu.Lock()
	c, ok := e.versions[v.VersionID]
	e.mu.Unlock()
	if ok {
		return c, nil
	}
	def, err := builder.Parse(v.Definition)
	if err != nil {
		return nil, fmt.Errorf("version %s: %w", v.VersionID, err)
	}
	c = &Compiled{ProcedureID: v.ProcedureID, VersionID: v.VersionID, Version: v.Version, Def: def}
	if s := def.OnlineScenario(); s != nil {
		c.Online = s
		if c.Form, err = forms.Compile(s.Form.Schema, s.Form.UISchema); err != nil {
			return nil, fmt.Errorf("version %s form: %w", v.VersionID, err)
		}
		if s.Pipeline != nil {
			if c.Pipeline, err = compilePipeline(s.Pipeline); err != nil {
				return nil, fmt.Errorf("version %s pipeline: %w", v.VersionID, err)
			}
		}
	}
	e.mu.Lock()
	e.versions[v.VersionID] = c
	e.mu.Unlock()
	return c, nil
}

// Catalogue returns the current version of every published procedure.
func (e *Engine) Catalogue(ctx context.Context) ([]*Compiled, error) {
	e.mu.Lock()
	if ce := e.catalogue; ce != nil && e.now().Sub(ce.checked) < currentTTL {
		e.mu.Unlock()
		return ce.list, nil
	}
	gen := e.gen
	e.mu.Unlock()
	vs, err := store.CurrentVersions(ctx, e.db.Read)
	if err != nil {
		return nil, err
	}
	list := make([]*Compiled, 0, len(vs))
	for _, v := range vs {
		c, err := e.compile(v)
		if err != nil {
			e.log.Error("skip broken procedure version", "slug", v.Slug, "error", err)
			continue
		}
		list = append(list, e.withSlug(c, v.Slug))
	}
	now := e.now()
	e.mu.Lock()
	if gen != e.gen { // published meanwhile: list may be stale
		e.mu.Unlock()
		return list, nil
	}
	e.catalogue = &catalogueEntry{list: list, checked: now}
	for _, c := range list {
		e.current[c.Def.Slug] = currentEntry{c: c, checked: now}
		e.slugs[c.ProcedureID] = slugEntry{slug: c.Def.Slug, checked: now}
	}
	e.mu.Unlock()
	return list, nil
}

// Published returns the current version of the published procedure slug.
func (e *Engine) Published(ctx context.Context, slug string) (*Compiled, error) {
	e.mu.Lock()
	ce, ok := e.current[slug]
	e.mu.Unlock()
	if ok && e.now().Sub(ce.checked) < currentTTL {
		return ce.c, nil
	}
	list, err := e.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range list {
		if c.Def.Slug == slug {
			return c, nil
		}
	}
	return nil, fmt.Errorf("procedure %q: %w", slug, store.ErrNotFound)
}

// Version returns a published version by ID (for dossiers pinned to it),
// under its procedure's current slug: a version published before the
// procedure was renamed keeps its stored definition, but its Def.Slug is
// the new slug, so that the addresses made from it are the new ones.
func (e *Engine) Version(ctx context.Context, versionID string) (*Compiled, error) {
	e.mu.Lock()
	c, ok := e.versions[versionID]
	e.mu.Unlock()
	if !ok {
		v, err := store.VersionByID(ctx, e.db.Read, versionID)
		if err != nil {
			return nil, err
		}
		p := store.PublishedVersion{ProcedureID: v.ProcedureID, VersionID: v.ID, Version: v.Version, Definition: v.Definition}
		if c, err = e.compile(p); err != nil {
			return nil, err
		}
	}
	slug, err := e.procedureSlug(ctx, c.ProcedureID)
	if err != nil {
		return nil, err
	}
	return e.withSlug(c, slug), nil
}

// procedureSlug returns the current slug of a procedure, cached for
// currentTTL (a rename on another instance shows within that time).
func (e *Engine) procedureSlug(ctx context.Context, procedureID string) (string, error) {
	e.mu.Lock()
	se, ok := e.slugs[procedureID]
	gen := e.gen
	e.mu.Unlock()
	if ok && e.now().Sub(se.checked) < currentTTL {
		return se.slug, nil
	}
	slug, err := store.ProcedureSlug(ctx, e.db.Read, procedureID)
	if err != nil {
		return "", err
	}
	e.mu.Lock()
	if gen == e.gen {
		e.slugs[procedureID] = slugEntry{slug: slug, checked: e.now()}
	}
	e.mu.Unlock()
	return slug, nil
}

// withSlug returns c under slug: c itself when that is its definition's
// slug, else a copy whose Def.Slug is slug (cached, so that callers get
// one pointer per version and slug).
func (e *Engine) withSlug(c *Compiled, slug string) *Compiled {
	if slug == "" || c.Def.Slug == slug {
		return c
	}
	key := c.VersionID + "\x00" + slug
	e.mu.Lock()
	defer e.mu.Unlock()
	if r, ok := e.renamed[key]; ok {
		return r
	}
	def := *c.Def
	def.Slug = slug
	r := *c
	r.Def = &def
	e.renamed[key] = &r
	return &r
}

// RenamedTo returns the current slug of the procedure whose old slug is
// slug, or store.ErrNotFound when slug is not an old slug.
func (e *Engine) RenamedTo(ctx context.Context, slug string) (string, error) {
	return store.AliasTarget(ctx, e.db.Read, slug)
}

// Invalidate forgets the cached current versions and slugs (after a
// publication or a rename).
func (e *Engine) Invalidate() {
	e.mu.Lock()
	e.current = map[string]currentEntry{}
	e.slugs = map[string]slugEntry{}
	e.catalogue = nil
	e.gen++
	e.mu.Unlock()
}
