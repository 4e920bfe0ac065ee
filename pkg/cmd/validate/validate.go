// Package validate implements `wsdeploy validate`.
package validate

import (
	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// ValidateOptions are the inputs of `wsdeploy validate`.
type ValidateOptions struct {
	IO      iostreams.IOStreams
	Factory *cmdutil.Factory

	Stack  cmdutil.StackFlags
	Output string
}

// NewCmdValidate is `wsdeploy validate`. runF, when set, is called with the
// options instead of running the command (tests).
func NewCmdValidate(f *cmdutil.Factory, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "validate [-f <file>] [--lb alb|clb] [--region <id>] [-o text|json]",
		Short: "Check a stack file offline, without calling any API",
		Long: `validate reads the stack file and checks it the way plan and up do before
they call the cloud: YAML syntax, unknown fields, types, ranges, and the rules
between fields. It never builds an API client and needs no credentials.

It prints every problem and exits 1, or prints "<file> is valid" and exits 0.
--lb and --region are checked as plan and up would apply them.`,
		Example: `  wsdeploy validate
  wsdeploy validate -f prod.yaml --lb clb
  wsdeploy validate -o json     # {"file": …, "valid": false, "problems": [{"path": …, "message": …}]}`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Stack.Complete(cmd)
			if runF != nil {
				return runF(opts)
			}
			return validateRun(opts)
		},
	}
	cmdutil.AddStackFlags(cmd, &opts.Stack)
	cmdutil.AddOutputFlag(cmd, &opts.Output)
	return cmd
}

func validateRun(opts *ValidateOptions) error {
	format, err := cmdutil.ParseFormat(opts.Output)
	if err != nil {
		return err
	}
	name := opts.Stack.ConfigPath
	_, err = config.LoadAndResolveFrom(name, opts.Factory.Path(name), config.Overrides{LB: opts.Stack.LB, Region: opts.Stack.Region})
	res, ok := config.ReportOf(name, err)
	if !ok {
		return err // not a verdict on the file's content: it could not be read
	}
	if format == render.JSON {
		if err := render.WriteJSON(opts.IO.Out, res); err != nil {
			return err
		}
		if !res.Valid {
			return cmdutil.Exit(cmdutil.ExitError)
		}
		return nil
	}
	if res.Valid {
		_ = render.Valid(opts.IO.Out, name)
		return nil
	}
	return err
}
