// Package cli is wsdeploy's program: Run assembles the command tree of
// pkg/cmd/<verb> over a cmdutil.Factory, runs it, prints the error that ends
// a run (with its hint) and maps it to the exit code. cmd/wsdeploy only
// supplies the process's streams, environment and signals.
package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cmd/demo"
	"github.com/wsdeploy/wsdeploy/pkg/cmd/down"
	"github.com/wsdeploy/wsdeploy/pkg/cmd/fakecloud"
	initcmd "github.com/wsdeploy/wsdeploy/pkg/cmd/init"
	"github.com/wsdeploy/wsdeploy/pkg/cmd/plan"
	"github.com/wsdeploy/wsdeploy/pkg/cmd/show"
	"github.com/wsdeploy/wsdeploy/pkg/cmd/status"
	"github.com/wsdeploy/wsdeploy/pkg/cmd/up"
	"github.com/wsdeploy/wsdeploy/pkg/cmd/validate"
	"github.com/wsdeploy/wsdeploy/pkg/cmd/verify"
	"github.com/wsdeploy/wsdeploy/pkg/cmd/version"
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
)

// The types and values Run's callers use, under the names they always had.
type (
	// IOStreams are the program's standard streams.
	IOStreams = iostreams.IOStreams
	// Build describes the binary (stamped by the linker).
	Build = cmdutil.Build
	// Getenv reads environment variables; tests give each run its own.
	Getenv = func(string) string
	// SignalError is the cause of a context cancelled by a signal.
	SignalError = cmdutil.SignalError
)

// Exit codes (documented in the README).
const (
	ExitOK          = cmdutil.ExitOK
	ExitError       = cmdutil.ExitError
	ExitChanges     = cmdutil.ExitChanges
	ExitInterrupted = cmdutil.ExitInterrupted
)

// SignalContext returns a context cancelled by the first of sigs (default:
// Ctrl-C and SIGTERM); see cmdutil.SignalContext.
func SignalContext(parent context.Context, sigs ...os.Signal) (ctx context.Context, stop func()) {
	return cmdutil.SignalContext(parent, sigs...)
}

// Run runs wsdeploy with args (without the program name) and returns the
// exit code. Cancelling ctx is an interrupt: the run stops as Ctrl-C stops it
// and exits 130 (see SignalContext for the exit code of other signals).
// getenv is the environment (nil: the process's).
func Run(ctx context.Context, args []string, ios IOStreams, build Build, getenv Getenv) int {
	// Progress, --debug lines and prompts come from several goroutines.
	return run(ctx, args, cmdutil.New(ios.Synchronized(), build, getenv))
}

// run runs the command line args with the dependencies f builds.
func run(ctx context.Context, args []string, f *cmdutil.Factory) int {
	f.Args = args
	root := newRoot(f)
	root.SetArgs(args)
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.Err)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	code := ExitError
	var ee *cmdutil.ExitCodeError
	if errors.As(err, &ee) {
		code = ee.Code
		if ee.Err == nil {
			return code
		}
	}
	if c := cmdutil.InterruptCode(ctx); c != 0 {
		code = c
		err = cmdutil.Interrupted(err, cmdutil.Rerun(args))
	} else {
		err = f.ExplainTimeout(err)
	}
	hint := ""
	var h cmdutil.Hinter
	if errors.As(err, &h) {
		hint = h.Hint()
	}
	f.Log(errorOutput(cmd, args)).Error(err, hint, code)
	return code
}

// errorOutput is the -o the error that ends a run is printed in: the
// command's, or, when parsing stopped before -o was read (an unknown flag
// ahead of it), what args say.
func errorOutput(cmd *cobra.Command, args []string) string {
	output := ""
	if cmd != nil {
		if fl := cmd.Flags().Lookup("output"); fl != nil {
			output = fl.Value.String()
		}
	}
	if (output == "" || output == "text") && cmdutil.OutputJSON(args) {
		output = "json"
	}
	return output
}

// newRoot is the command tree.
func newRoot(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "wsdeploy",
		Short: "Put a WebSocket app behind an Alibaba Cloud load balancer, correctly, in one command",
		Long: `wsdeploy converges an Alibaba Cloud load balancer (ALB or CLB), its server group,
listeners and a DNS record to wsdeploy.yaml, and removes them again.

Try it without an account: every command that calls the cloud accepts --local,
which runs against a built-in fake Alibaba Cloud whose state lives in
.wsdeploy/local-cloud.json.`,
		Example: `  wsdeploy demo                         # the whole tutorial on this machine: open the page it prints
  wsdeploy up --lb alb --local          # deploy the demo stack to the local fake cloud
  wsdeploy plan -f wsdeploy.yaml        # show what up would change
  wsdeploy down --yes                   # remove everything this stack created`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       f.Build.Version,
	}
	root.SetVersionTemplate("wsdeploy {{.Version}}\n")
	root.AddCommand(
		plan.NewCmdPlan(f, nil),
		up.NewCmdUp(f, nil),
		down.NewCmdDown(f, nil),
		status.NewCmdStatus(f, nil),
		show.NewCmdShow(f, nil),
		verify.NewCmdVerify(f, nil),
		fakecloud.NewCmdFakecloud(f, nil),
		demo.NewCmdDemo(f, nil),
		initcmd.NewCmdInit(f, nil),
		version.NewCmdVersion(f, nil),
		validate.NewCmdValidate(f, nil),
	)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w\nRun '%s --help' for usage", err, c.CommandPath())
	})
	return root
}
