package store

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/uptrace/bun"
)

// ErrClosed is returned by Batcher.Do after Close.
var ErrClosed = errors.New("store: batcher closed")

// Batcher is a group-commit writer: concurrent callers hand it small write
// functions and it runs as many as are waiting in one transaction, each
// inside its own savepoint, so one caller's failure rolls back only its
// own writes. One durable commit (fsync) then serves the whole group,
// which is what lets SQLite with synchronous=FULL take thousands of
// durable submissions a second.
type Batcher struct {
	db       *bun.DB
	ops      chan *op
	maxBatch int
	wg       sync.WaitGroup
	once     sync.Once
	closed   chan struct{}
}

type op struct {
	ctx  context.Context
	f    func(ctx context.Context, tx bun.Tx) error
	done chan error
}

// NewBatcher starts writers goroutines that commit groups of at most
// maxBatch functions. Use one writer on SQLite (one writer at a time
// anyway) and a few on PostgreSQL.
func NewBatcher(db *bun.DB, writers, maxBatch int) *Batcher {
	b := &Batcher{db: db, ops: make(chan *op, maxBatch*writers*4), maxBatch: maxBatch, closed: make(chan struct{})}
	for range writers {
		b.wg.Add(1)
		go b.loop()
	}
	return b
}

// Do runs f in a shared transaction and returns once that transaction has
// committed (nil) or f's writes were rolled back (f's error, or the
// commit's). A caller whose ctx ends before its turn is dropped; once its
// turn has come, f runs to completion whatever the caller's ctx.
func (b *Batcher) Do(ctx context.Context, f func(ctx context.Context, tx bun.Tx) error) error {
	o := &op{ctx: ctx, f: f, done: make(chan error, 1)}
	select {
	case <-b.closed:
		return ErrClosed
	default:
	}
	select {
	case b.ops <- o:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.closed:
		return ErrClosed
	}
	return <-o.done
}

// Close stops the writers after the queued functions have run.
func (b *Batcher) Close() {
	b.once.Do(func() { close(b.closed) })
	b.wg.Wait()
}

func (b *Batcher) loop() {
	defer b.wg.Done()
	batch := make([]*op, 0, b.maxBatch)
	for {
		batch = batch[:0]
		select {
		case o := <-b.ops:
			batch = append(batch, o)
		case <-b.closed:
			// Drain what is queued, then stop.
			for {
				select {
				case o := <-b.ops:
					b.run([]*op{o})
				default:
					return
				}
			}
		}
	fill:
		for len(batch) < b.maxBatch {
			select {
			case o := <-b.ops:
				batch = append(batch, o)
			default:
				break fill
			}
		}
		b.run(batch)
	}
}

// run commits one group. Ops whose caller gave up before their turn are
// skipped.
func (b *Batcher) run(batch []*op) {
	live := batch[:0:0]
	for _, o := range batch {
		if err := o.ctx.Err(); err != nil {
			o.done <- err
			continue
		}
		live = append(live, o)
	}
	if len(live) == 0 {
		return
	}
	ctx := context.WithoutCancel(live[0].ctx)
	errs := make([]error, len(live))
	err := b.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if len(live) == 1 {
			errs[0] = live[0].f(context.WithoutCancel(live[0].ctx), tx)
			return errs[0]
		}
		for i, o := range live {
			errs[i] = savepoint(ctx, tx, i, func() error { return o.f(context.WithoutCancel(o.ctx), tx) })
		}
		return nil
	})
	for i, o := range live {
		switch {
		case errs[i] != nil:
			o.done <- errs[i]
		case err != nil:
			o.done <- fmt.Errorf("group commit: %w", err)
		default:
			o.done <- nil
		}
	}
}

// savepoint runs f inside SAVEPOINT sp<i>, rolled back if f fails.
func savepoint(ctx context.Context, tx bun.Tx, i int, f func() error) (err error) {
	name := fmt.Sprintf("sp%d", i)
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in batched write: %v", p)
		}
		if err != nil {
			if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		if _, rerr := tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return f()
}
