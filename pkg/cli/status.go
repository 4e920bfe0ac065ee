package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/render"
	"github.com/wsdeploy/wsdeploy/pkg/status"
)

func newCmdStatus(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "status [-f <file>] [--lb alb|clb] [-o text|json]",
		Short: "Show the deployment, backend health, DNS and drift from wsdeploy.yaml",
		Long: `status shows the stack as it stands in the cloud: the load balancer, the stack's
listeners, its server group with each backend's weight and health as the load
balancer sees it, the DNS record and whether it points at the load balancer,
and anything 'wsdeploy up' would change. It only reads.`,
		Example: `  wsdeploy status --local
  wsdeploy status -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return statusRun(cmd, g)
		},
	}
}

func statusRun(cmd *cobra.Command, g *globals) error {
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
	return render.Status(g.ios.Out, status.Build(s, snap, p, planErr, health, c.Endpoint), format)
}
