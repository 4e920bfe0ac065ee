package cli

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

// interruptCode is the exit code of a run whose context was cancelled (an
// interrupt), 0 if it was not.
func interruptCode(ctx context.Context) int {
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

// interrupted explains err, the result of a run stopped by Ctrl-C.
func (g *globals) interrupted(err error) error {
	var ie *apply.InterruptedError
	if errors.As(err, &ie) {
		return err // says what was done and how to resume
	}
	return &interruptError{err: err, resume: g.rerun()}
}

// errTimeout is the cause of the contexts --timeout ends.
var errTimeout = errors.New("--timeout ran out")

// withTimeout is a context that --timeout ends; Run asks it afterwards
// whether that happened.
func (g *globals) withTimeout(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeoutCause(parent, g.timeout, errTimeout)
	g.mu.Lock()
	g.deadlines = append(g.deadlines, ctx)
	g.mu.Unlock()
	return ctx, cancel
}

func (g *globals) timedOut() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, ctx := range g.deadlines {
		if context.Cause(ctx) == errTimeout {
			return true
		}
	}
	return false
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

func (e *timeoutError) Hint() string {
	longer := fmt.Sprintf("a longer --timeout (it was %s): run `%s`", fmtDuration(e.limit), e.again)
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

// explainTimeout turns an error of a run that --timeout ended into one that
// says so, and names the step that was waiting.
func (g *globals) explainTimeout(err error) error {
	if !g.timedOut() {
		return err
	}
	return &timeoutError{limit: g.timeout, step: waitingStep(err), again: g.rerunWith("--timeout", fmtDuration(2*g.timeout)), err: err}
}

// waitingStep names what a run was waiting for when it was stopped.
func waitingStep(err error) string {
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

// rerun is the command that was run, shell-quoted, without --debug: what a
// hint tells the user to run again.
func (g *globals) rerun() string { return quoteCommand(g.args) }

// rerunWith is rerun with flag set to value.
func (g *globals) rerunWith(flag, value string) string {
	var out []string
	set := false
	for i := 0; i < len(g.args); i++ {
		a := g.args[i]
		switch {
		case a == "--":
			out = append(out, g.args[i:]...)
			i = len(g.args)
			continue
		case a == flag && i+1 < len(g.args):
			out = append(out, flag, value)
			i++
			set = true
			continue
		case strings.HasPrefix(a, flag+"="):
			out = append(out, flag+"="+value)
			set = true
			continue
		}
		out = append(out, a)
	}
	if !set {
		out = append(out, flag, value)
	}
	return quoteCommand(out)
}

// rerunWithout is rerun without the positional argument arg (a saved plan).
func (g *globals) rerunWithout(arg string) string {
	takesValue := map[string]bool{"-f": true, "--config": true, "--lb": true, "--region": true, "--endpoint": true,
		"-o": true, "--output": true, "--timeout": true, "--profile": true}
	var out []string
	dropped := false
	for i, a := range g.args {
		if !dropped && a == arg && (i == 0 || !takesValue[g.args[i-1]]) {
			dropped = true
			continue
		}
		out = append(out, a)
	}
	return quoteCommand(out)
}

func quoteCommand(args []string) string {
	parts := []string{"wsdeploy"}
	for _, a := range args {
		if a == "--debug" || strings.HasPrefix(a, "--debug=") {
			continue
		}
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
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
