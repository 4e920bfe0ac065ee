package cloud

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// DefaultGiveUp is how long a call keeps retrying an endpoint that cannot
// be reached or does not answer, counted from its first attempt.
const DefaultGiveUp = 15 * time.Second

// Retry is a bounded, jittered exponential backoff for retryable cloud errors.
type Retry struct {
	Attempts int           // total tries, including the first; <=0 means 8
	Base     time.Duration // first delay; 0 means 200ms
	Max      time.Duration // cap per delay; 0 means 5s
	// GiveUp bounds the retrying of transport failures (the endpoint cannot
	// be reached or does not answer): once one happened, no attempt runs past
	// GiveUp after the first attempt started. 0 means DefaultGiveUp.
	GiveUp time.Duration
	// OnRetry, if set, is told about each retry before the sleep: attempt is
	// the number of the attempt that failed.
	OnRetry func(err error, attempt int, delay time.Duration)
}

// Do calls fn until it succeeds, fails with a non-retryable error, the
// attempts or the give-up time run out, or ctx ends. When retries ran out the
// *Error says how many attempts were made; when ctx ended while retrying, the
// error wraps ctx's error too (errors.Is(err, context.DeadlineExceeded)).
func (r Retry) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	attempts, base, max, giveUp := r.Attempts, r.Base, r.Max, r.GiveUp
	if attempts <= 0 {
		attempts = 8
	}
	if base <= 0 {
		base = 200 * time.Millisecond
	}
	if max <= 0 {
		max = 5 * time.Second
	}
	if giveUp <= 0 {
		giveUp = DefaultGiveUp
	}
	start := time.Now()
	var lastTransport error
	delay := base
	for i := 1; ; i++ {
		actx, cancel := ctx, context.CancelFunc(func() {})
		if lastTransport != nil {
			actx, cancel = context.WithDeadline(ctx, start.Add(giveUp))
		}
		err := fn(actx)
		cut := actx.Err() != nil && ctx.Err() == nil
		cancel()
		switch {
		case err == nil:
			return nil
		case cut:
			// The give-up time ended this attempt: say why we were retrying.
			return gaveUp(lastTransport, i, time.Since(start))
		case ctx.Err() != nil:
			return stopped(ctx, err)
		case !IsRetryable(err):
			return err
		case i >= attempts:
			return gaveUp(err, i, time.Since(start))
		}
		// Full jitter in [delay/2, delay).
		d := delay/2 + time.Duration(rand.Int64N(int64(delay/2)+1))
		if isTransportErr(err) {
			lastTransport = err
			if time.Since(start)+d >= giveUp {
				return gaveUp(err, i, time.Since(start))
			}
		}
		if r.OnRetry != nil {
			r.OnRetry(err, i, d)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return stopped(ctx, err)
		case <-t.C:
		}
		delay *= 2
		if delay > max {
			delay = max
		}
	}
}

// existsCodes say "what you are creating is already there": after a create
// whose answer was lost, the retry meets the first attempt's result.
var existsCodes = []string{"ListenerAlreadyExists", "DomainRecordDuplicate", "InvalidParameter"}

// Create runs a create that has no idempotency token (CLB, Alidns) and so
// must never be repeated blindly, in the same loop as Do. When an attempt
// fails in a way that leaves its outcome unknown (throttled, busy, 5xx, a
// lost answer) or says the thing already exists, it looks for the result of
// earlier attempts with found, and tries again only when there is none. This
// is what keeps a lost response from becoming a duplicate.
func (r Retry) Create(ctx context.Context, create func(context.Context) error, found func(context.Context) (bool, error)) error {
	return r.Do(ctx, func(ctx context.Context) error {
		err := create(ctx)
		if err == nil || (!IsRetryable(err) && !HasCode(err, existsCodes...)) {
			return err
		}
		if ok, ferr := found(ctx); ferr == nil && ok {
			return nil
		}
		return err
	})
}

// isTransportErr reports a cloud error of the unreachable or no-answer class.
func isTransportErr(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Class == ClassUnreachable || e.Class == ClassNoAnswer)
}

// gaveUp records on err how many attempts were made, over how long.
func gaveUp(err error, attempts int, elapsed time.Duration) error {
	var e *Error
	if errors.As(err, &e) && attempts > 1 {
		e.Attempts, e.Elapsed = attempts, elapsed
	}
	return err
}

// stopped records on err that ctx ended while the call was being retried.
func stopped(ctx context.Context, err error) error {
	var e *Error
	if errors.As(err, &e) && e.Class != ClassStopped && e.stop == nil {
		e.stop = ctx.Err()
		return err
	}
	if errors.Is(err, ctx.Err()) {
		return err
	}
	return errors.Join(err, ctx.Err())
}

// WaitWhile calls fn until it no longer fails with one of codes (a passing
// state, such as a group still in use by a listener deleted a moment ago),
// polling from 500ms to 3s and telling p what it waits for.
func WaitWhile(ctx context.Context, p Progress, what string, fn func(context.Context) error, codes ...string) error {
	return Poll(ctx, 500*time.Millisecond, 3*time.Second, func(ctx context.Context) (bool, error) {
		err := fn(ctx)
		if HasCode(err, codes...) {
			if p != nil {
				p(what, 0)
			}
			return false, nil
		}
		return err == nil, err
	})
}

// Poll calls check with growing intervals (from Base to Max) until it reports
// done, fails, or ctx ends. It is how every asynchronous wait is done.
func Poll(ctx context.Context, base, max time.Duration, check func(ctx context.Context) (bool, error)) error {
	if base <= 0 {
		base = 100 * time.Millisecond
	}
	if max <= 0 {
		max = 3 * time.Second
	}
	delay := base
	for {
		done, err := check(ctx)
		if err != nil || done {
			return err
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		delay = delay * 3 / 2
		if delay > max {
			delay = max
		}
	}
}
