// Package cli is wsdeploy's command tree: flags, help, and the glue from a
// command to config, inventory, plan, render and apply. Run is the whole
// program; cmd/wsdeploy only supplies the process's streams and signals.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/spf13/cobra"
)

// Exit codes (documented in the README).
const (
	ExitOK      = 0
	ExitError   = 1
	ExitChanges = 2 // only `plan --detailed-exitcode`, when changes are pending
	// ExitInterrupted is the exit code after Ctrl-C (128 + SIGINT), as shells report it.
	ExitInterrupted = 130
)

// IOStreams are the program's standard streams.
type IOStreams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// InTTY and ErrTTY say whether stdin/stderr are terminals (prompts and spinners only then).
	InTTY, ErrTTY bool
}

// Build describes the binary (stamped by the linker).
type Build struct {
	Version, Commit, Date string
}

// Getenv reads environment variables; tests replace it.
type Getenv func(string) string

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// hinter is implemented by errors that know what the user should do next.
type hinter interface{ Hint() string }

// Run runs wsdeploy with args (without the program name) and returns the
// exit code. Cancelling ctx is an interrupt: the run stops as Ctrl-C stops it
// and exits 130 (see SignalContext for the exit code of other signals).
func Run(ctx context.Context, args []string, ios IOStreams, build Build, getenv Getenv) int {
	if getenv == nil {
		getenv = os.Getenv
	}
	// Progress, --debug lines and prompts come from several goroutines.
	ios.Out, ios.Err = &syncWriter{w: ios.Out}, &syncWriter{w: ios.Err}
	root, g := newRoot(ios, build, getenv)
	g.args = args
	root.SetArgs(args)
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	code := ExitError
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		if ee.err == nil {
			return code
		}
	}
	if c := interruptCode(ctx); c != 0 {
		code = c
		err = g.interrupted(err)
	} else {
		err = g.explainTimeout(err)
	}
	hint := ""
	var h hinter
	if errors.As(err, &h) {
		hint = h.Hint()
	}
	g.errorLog(args).Error(err, hint, code)
	return code
}

func newRoot(ios IOStreams, build Build, getenv Getenv) (*cobra.Command, *globals) {
	g := &globals{ios: ios, getenv: getenv, build: build}
	root := &cobra.Command{
		Use:   "wsdeploy",
		Short: "Put a WebSocket app behind an Alibaba Cloud load balancer, correctly, in one command",
		Long: `wsdeploy converges an Alibaba Cloud load balancer (ALB or CLB), its server group,
listeners and a DNS record to wsdeploy.yaml, and removes them again.

Try it without an account: every command that calls the cloud accepts --local,
which runs against a built-in fake Alibaba Cloud whose state lives in
.wsdeploy/local-cloud.json.`,
		Example: `  wsdeploy up --lb alb --local          # deploy the demo stack to the local fake cloud
  wsdeploy plan -f wsdeploy.yaml        # show what up would change
  wsdeploy down --yes                   # remove everything this stack created`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       build.Version,
	}
	root.SetVersionTemplate("wsdeploy {{.Version}}\n")
	root.AddCommand(
		newCmdPlan(g),
		newCmdUp(g),
		newCmdDown(g),
		newCmdStatus(g),
		newCmdShow(g),
		newCmdVerify(g),
		newCmdFakecloud(g),
		newCmdInit(g),
		newCmdVersion(g, build),
		newCmdValidate(g),
	)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w\nRun '%s --help' for usage", err, c.CommandPath())
	})
	return root, g
}

// syncWriter serialises writes to one stream.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
