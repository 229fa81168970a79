package runtime

import (
	"context"
	"fmt"
	"sync"

	"github.com/guichet/guichet/server/jobs"
	"github.com/guichet/guichet/server/store"
	"github.com/uptrace/bun"
)

// submitter is the write path of submissions: it gathers the submissions
// waiting at the moment and writes them with a handful of statements as
// one function of the group-commit Batcher, so that one durable fsync
// serves the whole group together with the job queue's writes of the
// moment (one writer, one commit, instead of two writers taking turns on
// SQLite's single write connection). If the group fails as a whole (a key
// raced by another instance, say) each submission is retried in its own
// savepoint, so one bad submission never takes others down with it.
type submitter struct {
	db       *store.DB
	batch    *store.Batcher
	ch       chan *pending
	maxBatch int
	wg       sync.WaitGroup
	closed   chan struct{}
	once     sync.Once
}

type pending struct {
	ctx     context.Context
	d       *store.Dossier
	orig    store.Dossier // d before any attempt: a failed group may have changed it
	prefix  string
	event   *store.Event
	job     *jobs.Job // nil: nothing to send
	owner   string
	fileIDs []string
	done    chan error
	dup     *store.Dossier // set when the idempotency key already existed
	// after runs in the transaction once the dossier is written (pipeline
	// rules on dossier.submitted, messages of the initial state).
	after func(ctx context.Context, tx bun.Tx) error
}

func newSubmitter(db *store.DB, b *store.Batcher, writers, maxBatch int) *submitter {
	s := &submitter{db: db, batch: b, ch: make(chan *pending, maxBatch*4), maxBatch: maxBatch, closed: make(chan struct{})}
	for range writers {
		s.wg.Add(1)
		go s.loop()
	}
	return s
}

func (s *submitter) submit(ctx context.Context, p *pending) error {
	p.ctx, p.done, p.orig = ctx, make(chan error, 1), *p.d
	select {
	case s.ch <- p:
	case <-ctx.Done():
		return ctx.Err()
	case <-s.closed:
		return store.ErrClosed
	}
	return <-p.done
}

func (s *submitter) close() {
	s.once.Do(func() { close(s.closed) })
	s.wg.Wait()
}

// loop hands groups to the Batcher, keeping two in flight: one in the
// transaction being committed and the next one waiting for the following
// transaction, so that every transaction of the Batcher carries the
// submissions waiting when it starts (a group takes them when its
// function runs, not when it is handed over).
func (s *submitter) loop() {
	defer s.wg.Done()
	inflight := make(chan struct{}, 2)
	var writes sync.WaitGroup
	for {
		var first *pending
		select {
		case first = <-s.ch:
		case <-s.closed:
			writes.Wait()
			for {
				select {
				case p := <-s.ch:
					s.write(p)
				default:
					return
				}
			}
		}
		inflight <- struct{}{}
		writes.Go(func() {
			defer func() { <-inflight }()
			s.write(first)
		})
	}
}

// take adds to group the submissions waiting now, up to maxBatch; those
// whose caller gave up are answered at once.
func (s *submitter) take(group []*pending) []*pending {
	for len(group) < s.maxBatch {
		select {
		case p := <-s.ch:
			if err := p.ctx.Err(); err != nil {
				p.done <- err
				continue
			}
			group = append(group, p)
		default:
			return group
		}
	}
	return group
}

// write commits first and the submissions waiting when its transaction
// starts as one group, falling back to one savepoint per submission when
// the group fails.
func (s *submitter) write(first *pending) {
	if err := first.ctx.Err(); err != nil {
		first.done <- err
		return
	}
	group := []*pending{first}
	// The Batcher may run a function twice, and a failed group's attempt
	// ran p.after (rules may have moved the dossier, set its data)
	// before it was rolled back: each run starts afresh.
	err := s.batch.Do(context.Background(), func(ctx context.Context, tx bun.Tx) error {
		group = s.take(group)
		for _, p := range group {
			p.dup, *p.d = nil, p.orig
		}
		return writeGroup(ctx, tx, group)
	})
	if err == nil || len(group) == 1 {
		for _, p := range group {
			p.done <- err
		}
		return
	}
	errs := make([]error, len(group))
	err = s.batch.Do(context.Background(), func(ctx context.Context, tx bun.Tx) error {
		for i, p := range group {
			p.dup, *p.d = nil, p.orig
			errs[i] = store.Savepoint(ctx, tx, func(ctx context.Context) error {
				return writeGroup(ctx, tx, []*pending{p})
			})
		}
		return nil
	})
	for i, p := range group {
		if err != nil {
			p.done <- err
		} else {
			p.done <- errs[i]
		}
	}
}

type procYear struct {
	procedureID string
	year        int
}

// writeGroup writes submissions with multi-row statements: find keys
// already used, reserve reference numbers per procedure, insert dossiers,
// events and jobs, attach files.
func writeGroup(ctx context.Context, tx bun.Tx, ps []*pending) error {
	byProc := map[string][]string{}
	for _, p := range ps {
		p.dup = nil
		byProc[p.d.ProcedureID] = append(byProc[p.d.ProcedureID], p.d.IdempotencyKey)
	}
	for proc, keys := range byProc {
		found, err := store.DossiersByIdempotencyKeys(ctx, tx, proc, keys)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if p.d.ProcedureID == proc {
				p.dup = found[p.d.IdempotencyKey]
			}
		}
	}
	seen := map[string]*pending{} // duplicate keys inside the group
	counts := map[procYear]int{}
	var fresh []*pending
	for _, p := range ps {
		k := p.d.ProcedureID + "\x00" + p.d.IdempotencyKey
		if first, ok := seen[k]; ok && p.dup == nil {
			p.dup = first.d
		}
		if p.dup != nil {
			continue
		}
		seen[k] = p
		fresh = append(fresh, p)
		counts[procYear{p.d.ProcedureID, p.d.SubmittedAt.Year()}]++
	}
	next := map[procYear]int64{}
	for py, n := range counts {
		first, err := store.NextReferenceSeqs(ctx, tx, py.procedureID, py.year, n)
		if err != nil {
			return err
		}
		next[py] = first
	}
	ds := make([]*store.Dossier, 0, len(fresh))
	evs := make([]*store.Event, 0, len(fresh))
	var js []*jobs.Job
	for _, p := range fresh {
		py := procYear{p.d.ProcedureID, p.d.SubmittedAt.Year()}
		p.d.Reference = store.FormatReference(p.prefix, py.year, next[py])
		next[py]++
		ds = append(ds, p.d)
		evs = append(evs, p.event)
		if p.job != nil {
			js = append(js, p.job)
		}
	}
	if err := store.InsertRows(ctx, tx, ds); err != nil {
		return err
	}
	if err := store.InsertRows(ctx, tx, evs); err != nil {
		return err
	}
	if err := insertJobs(ctx, tx, js); err != nil {
		return err
	}
	for _, p := range fresh {
		if p.after != nil {
			if err := p.after(ctx, tx); err != nil {
				return err
			}
		}
		if p.owner != "" && len(p.fileIDs) > 0 {
			if err := store.AttachFiles(ctx, tx, p.owner, p.d.ID, p.fileIDs); err != nil {
				return fmt.Errorf("attach files: %w", err)
			}
		}
	}
	return nil
}

// insertJobs enqueues js, through store.InsertRows unless one has a
// unique key (which needs jobs.Enqueue's ON CONFLICT).
func insertJobs(ctx context.Context, tx bun.Tx, js []*jobs.Job) error {
	for _, j := range js {
		if j.UniqueKey != nil {
			return jobs.Enqueue(ctx, tx, js...)
		}
	}
	if err := store.InsertRows(ctx, tx, js); err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	return nil
}
