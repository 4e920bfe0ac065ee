package cloud

import (
	"context"
	"math/rand/v2"
	"time"
)

// Retry is a bounded, jittered exponential backoff for retryable cloud errors.
type Retry struct {
	Attempts int           // total tries, including the first; <=0 means 8
	Base     time.Duration // first delay; 0 means 200ms
	Max      time.Duration // cap per delay; 0 means 5s
	// OnRetry, if set, is told about each retry before the sleep.
	OnRetry func(err error, attempt int, delay time.Duration)
}

// Do calls fn until it succeeds, fails with a non-retryable error, the
// attempts run out, or ctx ends.
func (r Retry) Do(ctx context.Context, fn func(ctx context.Context) error) error {
	attempts, base, max := r.Attempts, r.Base, r.Max
	if attempts <= 0 {
		attempts = 8
	}
	if base <= 0 {
		base = 200 * time.Millisecond
	}
	if max <= 0 {
		max = 5 * time.Second
	}
	var err error
	delay := base
	for i := 1; ; i++ {
		err = fn(ctx)
		if err == nil || !IsRetryable(err) || i >= attempts {
			return err
		}
		// Full jitter in [delay/2, delay).
		d := delay/2 + time.Duration(rand.Int64N(int64(delay/2)+1))
		if r.OnRetry != nil {
			r.OnRetry(err, i, d)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		delay *= 2
		if delay > max {
			delay = max
		}
	}
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
