package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/render"
	"github.com/wsdeploy/wsdeploy/pkg/status"
)

type statusOptions struct {
	detailedExitCode bool
}

func newCmdStatus(g *globals) *cobra.Command {
	opts := &statusOptions{}
	cmd := &cobra.Command{
		Use:   "status [-f <file>] [--lb alb|clb] [-o text|json] [--detailed-exitcode]",
		Short: "Show the deployment, backend health, DNS and drift from wsdeploy.yaml",
		Long: `status shows the stack as it stands in the cloud: the load balancer, the stack's
listeners, its server group with each backend's weight and health as the load
balancer sees it, the DNS record and whether it points at the load balancer,
and anything 'wsdeploy up' would change. It only reads.

With --detailed-exitcode it exits 2 when the report needs attention: drift
from wsdeploy.yaml, a backend the load balancer does not report healthy, or a
DNS record that is missing or does not point at the load balancer.`,
		Example: `  wsdeploy status --local
  wsdeploy status -o json
  wsdeploy status --detailed-exitcode   # exit 2 on drift, an unhealthy backend or wrong DNS (monitoring)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return statusRun(cmd, g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.detailedExitCode, "detailed-exitcode", false,
		"exit 2 on drift, an unhealthy backend or DNS not pointing at the load balancer, 0 when all is well")
	g.addFlags(cmd, flagsCloudCommand)
	return cmd
}

func statusRun(cmd *cobra.Command, g *globals, opts *statusOptions) error {
	sess, err := g.open(cmd)
	if err != nil {
		return err
	}
	defer sess.close()
	ctx, format, s, c := sess.ctx, sess.format, sess.stack, sess.clients
	snap, readErr := c.reader().Read(ctx, s, inventory.ForUp)
	var resolveErr *inventory.ResolveError
	if readErr != nil && !errors.As(readErr, &resolveErr) {
		return readErr
	}
	var p *plan.Plan
	planErr := readErr
	if planErr == nil {
		p, planErr = plan.Build(s, snap)
		planErr = g.withCommands(planErr)
	}
	health, err := status.ReadHealth(ctx, snap, c.ALB, c.CLB)
	if err != nil {
		return err
	}
	rep := status.Build(s, snap, p, planErr, health, c.Endpoint)
	if err := render.Status(g.ios.Out, rep, format); err != nil {
		return err
	}
	if opts.detailedExitCode && len(rep.Issues()) > 0 {
		return &exitError{code: ExitChanges}
	}
	return nil
}
