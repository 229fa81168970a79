package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/uptrace/bun"
)

// ErrClosed is returned by Batcher.Do after Close.
var ErrClosed = errors.New("store: batcher closed")

// Batcher is a group-commit writer: concurrent callers hand it small write
// functions and it runs as many as are waiting in one transaction, so one
// durable commit (fsync) serves the whole group, which is what lets
// SQLite with synchronous=FULL take thousands of durable submissions a
// second. One caller's failure rolls back only its own writes: the
// functions first run one after the other in the transaction; if one
// fails, that transaction is rolled back and the group runs again with
// each function inside its own savepoint. Failures are rare, and the
// common case pays no SAVEPOINT/RELEASE statements.
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
//
// f may run twice: a first time in a transaction that was rolled back
// because another function of the group failed. It must therefore write
// only through tx and (re)set its results from scratch on each run. f
// must not call Do: the writer would wait for itself.
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
	// First pass: no savepoints.
	err := b.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i, o := range live {
			if errs[i] = call(context.WithoutCancel(o.ctx), tx, o.f); errs[i] != nil {
				return errs[i]
			}
		}
		return nil
	})
	if err != nil && len(live) > 1 && slices.ContainsFunc(errs, func(e error) bool { return e != nil }) {
		// One failed: run the group again, each op in its savepoint.
		clear(errs)
		err = b.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for i, o := range live {
				octx := context.WithoutCancel(o.ctx)
				errs[i] = Savepoint(octx, tx, func(ctx context.Context) error { return o.f(ctx, tx) })
			}
			return nil
		})
	}
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

// call runs f, turning a panic into an error so that one bad function
// cannot stop the writer.
func call(ctx context.Context, tx bun.Tx, f func(ctx context.Context, tx bun.Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in batched write: %v", p)
		}
	}()
	return f(ctx, tx)
}

var savepoints atomic.Uint64

// Savepoint runs f inside a savepoint of tx, rolled back if f fails (or
// panics), so that f's writes go or stay together while the transaction
// goes on.
func Savepoint(ctx context.Context, tx bun.Tx, f func(ctx context.Context) error) (err error) {
	name := "sp" + strconv.FormatUint(savepoints.Add(1), 10)
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
	return f(ctx)
}
