// Package status implements `wsdeploy status`.
package status

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/render"
	"github.com/wsdeploy/wsdeploy/pkg/status"
)

// StatusOptions are the inputs of `wsdeploy status`.
type StatusOptions struct {
	IO      iostreams.IOStreams
	Factory *cmdutil.Factory
	cmdutil.CloudOptions

	DetailedExitCode bool
}

// NewCmdStatus is `wsdeploy status`. runF, when set, is called with the
// options instead of running the command (tests).
func NewCmdStatus(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "status [-f <file>] [--lb alb|clb] [-o text|json] [--detailed-exitcode]",
		Short: "Show the deployment, backend health, DNS and drift from wsdeploy.yaml",
		Long: `status shows the stack as it stands in the cloud: the load balancer, the stack's
listeners, its server group with each backend's weight and health as the load
balancer sees it, the DNS record and whether it points at the load balancer,
and anything 'wsdeploy up' would change. It only reads.

Its first lines say what state the load balancer is in (not created yet,
being created or deleted, an interrupted replacement...) and the next step;
-o json gives the state as lb.state.

With --detailed-exitcode it exits 2 when the report needs attention: drift
from wsdeploy.yaml, a backend the load balancer does not report healthy, a
DNS record that is missing or does not point at the load balancer, two load
balancers carrying the stack's tag, or one that is inactive or locked.`,
		Example: `  wsdeploy status --local
  wsdeploy status -o json
  wsdeploy status --detailed-exitcode   # exit 2 on drift, an unhealthy backend or wrong DNS (monitoring)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Stack.Complete(cmd)
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.DetailedExitCode, "detailed-exitcode", false,
		"exit 2 on drift, an unhealthy backend or DNS not pointing at the load balancer, 0 when all is well")
	cmdutil.AddCloudCommandFlags(cmd, &opts.CloudOptions)
	return cmd
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	sess, err := opts.Factory.Open(ctx, &opts.CloudOptions)
	if err != nil {
		return err
	}
	defer sess.Close()
	ctx, s, c := sess.Ctx, sess.Stack, sess.Clients
	snap, readErr := c.Reader().Read(ctx, s, inventory.ForUp)
	var resolveErr *inventory.ResolveError
	if readErr != nil && !errors.As(readErr, &resolveErr) {
		return readErr
	}
	var p *plan.Plan
	planErr := readErr
	if planErr == nil {
		p, planErr = plan.Build(s, snap)
		planErr = cmdutil.WithCommands(planErr, &opts.CloudOptions)
	}
	health, err := c.Reader().Health(ctx, snap)
	if err != nil {
		return err
	}
	rep := status.Build(s, snap, p, planErr, health, c.Endpoint)
	if err := render.Status(opts.IO.Out, rep, sess.Format, opts.IO.ColorOut()); err != nil {
		return err
	}
	if opts.DetailedExitCode && len(rep.Issues()) > 0 {
		return cmdutil.Exit(cmdutil.ExitChanges)
	}
	return nil
}
