package inventory

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/errgroup"
)

// reads runs one wave of independent reads concurrently. The first read
// that fails cancels the others (errgroup), and the error Wait reports does
// not depend on timing: of the reads that failed on their own (not because
// that cancellation stopped them), the one added first.
type reads struct {
	parent context.Context
	ctx    context.Context
	g      *errgroup.Group
	mu     sync.Mutex
	errs   []error
}

func newReads(ctx context.Context) *reads {
	g, gctx := errgroup.WithContext(ctx)
	return &reads{parent: ctx, ctx: gctx, g: g}
}

// Go starts fn with the wave's context, which ends when a read of the wave
// fails or the parent context ends.
func (w *reads) Go(fn func(ctx context.Context) error) {
	w.mu.Lock()
	i := len(w.errs)
	w.errs = append(w.errs, nil)
	w.mu.Unlock()
	w.g.Go(func() error {
		err := fn(w.ctx)
		w.mu.Lock()
		w.errs[i] = err
		w.mu.Unlock()
		return err
	})
}

// Wait waits for every read of the wave and returns the error that decides
// it, nil when all succeeded.
func (w *reads) Wait() error {
	if w.g.Wait() == nil {
		return nil
	}
	for _, err := range w.errs {
		// A read the wave cancelled failed because of another one.
		if err != nil && (w.parent.Err() != nil || !errors.Is(err, context.Canceled)) {
			return err
		}
	}
	for _, err := range w.errs {
		if err != nil {
			return err
		}
	}
	return nil
}
