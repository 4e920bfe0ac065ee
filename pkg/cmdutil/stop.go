package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/cloud"
)

// This file is about runs that stop early: Ctrl-C, --timeout, and the
// command line that continues them.

// SignalError is the cause of a context cancelled by a signal.
type SignalError struct{ Signal os.Signal }

func (e *SignalError) Error() string { return e.Signal.String() + " signal received" }

// ExitCode is 128 + the signal's number, as shells report it (130 for Ctrl-C).
func (e *SignalError) ExitCode() int {
	if s, ok := e.Signal.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return ExitInterrupted
}

// SignalContext returns a context cancelled, with a *SignalError cause, by the
// first of sigs (default: Ctrl-C and SIGTERM). After that first signal the
// default handling is back, so a second Ctrl-C ends the process at once.
// stop releases the signals.
func SignalContext(parent context.Context, sigs ...os.Signal) (ctx context.Context, stop func()) {
	if len(sigs) == 0 {
		sigs = []os.Signal{os.Interrupt, syscall.SIGTERM}
	}
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			cancel(&SignalError{Signal: s})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		select {
		case <-done:
		default:
			close(done)
		}
		cancel(context.Canceled)
	}
}

// InterruptCode is the exit code of a run whose context was cancelled (an
// interrupt), 0 if it was not.
func InterruptCode(ctx context.Context) int {
	if !errors.Is(ctx.Err(), context.Canceled) {
		return 0
	}
	var se *SignalError
	if errors.As(context.Cause(ctx), &se) {
		return se.ExitCode()
	}
	return ExitInterrupted
}

// interruptError is a run stopped by Ctrl-C before it got to apply anything.
type interruptError struct {
	err    error
	resume string
}

func (e *interruptError) Error() string { return "interrupted: " + e.err.Error() }
func (e *interruptError) Unwrap() error { return e.err }
func (e *interruptError) Hint() string {
	return fmt.Sprintf("nothing was left half-done: run `%s` again to continue", e.resume)
}

// Interrupted explains err, the result of a run stopped by Ctrl-C; resume
// is the command that continues it.
func Interrupted(err error, resume string) error {
	var ie *apply.InterruptedError
	if errors.As(err, &ie) {
		return err // says what was done and how to resume
	}
	return &interruptError{err: err, resume: resume}
}

// errTimeout is the cause of the contexts --timeout ends.
var errTimeout = errors.New("--timeout ran out")

// deadline is a context --timeout ends, and the --timeout it was given.
type deadline struct {
	ctx   context.Context
	limit time.Duration
}

// WithTimeout is a context that limit (--timeout) ends; ExplainTimeout asks
// it afterwards whether that happened.
func (f *Factory) WithTimeout(parent context.Context, limit time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeoutCause(parent, limit, errTimeout)
	f.mu.Lock()
	f.deadlines = append(f.deadlines, deadline{ctx, limit})
	f.mu.Unlock()
	return ctx, cancel
}

// timedOut is the --timeout that ran out, 0 if none did.
func (f *Factory) timedOut() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range f.deadlines {
		if context.Cause(d.ctx) == errTimeout {
			return d.limit
		}
	}
	return 0
}

// timeoutError is a run that --timeout ended.
type timeoutError struct {
	limit time.Duration
	step  string // what was waiting, "" if unknown
	again string // the command line with a longer --timeout
	err   error
}

func (e *timeoutError) Error() string {
	msg := "--timeout " + fmtDuration(e.limit) + " ran out"
	if e.step != "" {
		msg += " while " + e.step
	}
	return msg + "\n" + e.err.Error()
}

func (e *timeoutError) Unwrap() error { return e.err }

// waitError is an error of a wait that knows what it waited for and what
// to fix when time was not all it lacked (a backend not healthy).
type waitError interface {
	Hinter
	Waiting() string
}

func (e *timeoutError) Hint() string {
	longer := fmt.Sprintf("a longer --timeout (it was %s): run `%s`", fmtDuration(e.limit), e.again)
	var we waitError
	if errors.As(e.err, &we) {
		return we.Hint() + "; if it only needed more time, give it " + longer
	}
	var pe *apply.PartialError
	var ie *apply.InterruptedError
	if errors.As(e.err, &pe) || errors.As(e.err, &ie) {
		longer += "; it continues from what exists"
	}
	// Retrying an endpoint that cannot be reached: that is the thing to fix.
	var ce *cloud.Error
	if errors.As(e.err, &ce) && (ce.Class == cloud.ClassUnreachable || ce.Class == cloud.ClassNoAnswer) {
		return ce.Hint() + "; if it only needed more time, give it " + longer
	}
	return "give it more time with " + longer
}

// ExplainTimeout turns an error of a run that --timeout ended into one that
// says so, and names the step that was waiting.
func (f *Factory) ExplainTimeout(err error) error {
	limit := f.timedOut()
	if limit == 0 {
		return err
	}
	return &timeoutError{limit: limit, step: waitingStep(err), again: RerunWith(f.Args, "--timeout", fmtDuration(2*limit)), err: err}
}

// waitingStep names what a run was waiting for when it was stopped.
func waitingStep(err error) string {
	var we waitError
	if errors.As(err, &we) {
		return we.Waiting()
	}
	var pe *apply.PartialError
	if errors.As(err, &pe) {
		return "waiting for: " + pe.FailedStep()
	}
	var ie *apply.InterruptedError
	if errors.As(err, &ie) {
		return fmt.Sprintf("between steps (%d of %d done)", len(ie.Result.Succeeded), ie.Total)
	}
	var ce *cloud.Error
	if errors.As(err, &ce) {
		if ce.Class == cloud.ClassUnreachable || ce.Class == cloud.ClassNoAnswer {
			return fmt.Sprintf("retrying %s %s (%s)", ce.Product, ce.Action, ce.Reason())
		}
		if ce.Code != "" && ce.Retryable {
			return fmt.Sprintf("retrying %s %s (%s)", ce.Product, ce.Action, ce.Code)
		}
		return fmt.Sprintf("waiting for the answer to %s %s", ce.Product, ce.Action)
	}
	return ""
}

// fmtDuration prints d the way a user types it: 30m, 90s, 1h30m, 1.5s.
func fmtDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
