package cmdutil

import (
	"errors"
	"fmt"
)

// Exit codes (documented in the README).
const (
	ExitOK      = 0
	ExitError   = 1
	ExitChanges = 2 // only `plan`/`status --detailed-exitcode`, when changes are pending
	// ExitInterrupted is the exit code after Ctrl-C (128 + SIGINT), as shells report it.
	ExitInterrupted = 130
)

// ExitCodeError carries an exit code through cobra. With a nil Err nothing more
// is printed: the command has said what there was to say.
type ExitCodeError struct {
	Code int
	Err  error
}

func (e *ExitCodeError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitCodeError) Unwrap() error { return e.Err }

// Exit ends the command with code, printing nothing more.
func Exit(code int) error { return &ExitCodeError{Code: code} }

// FlagError marks the misuse of a flag or an argument: exit 1.
func FlagError(err error) error { return &ExitCodeError{Code: ExitError, Err: err} }

// Cancelled is the error of a confirmation the user declined.
func Cancelled() error {
	return &ExitCodeError{Code: ExitError, Err: errors.New("cancelled: nothing was changed")}
}

// Hinter is implemented by errors that know what the user should do next;
// the hint is printed under the error as "To fix: …".
type Hinter interface{ Hint() string }

// hintError is an error with a next step.
type hintError struct {
	err  error
	hint string
}

// WithHint gives err a next step for the user.
func WithHint(err error, hint string) error { return &hintError{err: err, hint: hint} }

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }
func (e *hintError) Hint() string  { return e.hint }
