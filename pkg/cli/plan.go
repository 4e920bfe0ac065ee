package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

type planOptions struct {
	detailedExitCode bool
}

func newCmdPlan(g *globals) *cobra.Command {
	opts := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan [-f <file>] [--lb alb|clb] [-o text|json] [--detailed-exitcode]",
		Short: "Show what `up` would change, without changing anything",
		Long: `plan reads the cloud, compares it with wsdeploy.yaml and prints every change
'wsdeploy up' would make. It never writes: it makes read calls only.`,
		Example: `  wsdeploy plan --local
  wsdeploy plan -f prod.yaml -o json
  wsdeploy plan --detailed-exitcode   # exit 2 when changes are pending (CI drift checks)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return planRun(cmd, g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.detailedExitCode, "detailed-exitcode", false, "exit 2 when the plan has changes, 0 when it has none")
	g.addFlags(cmd, flagsCloudCommand)
	return cmd
}

func planRun(cmd *cobra.Command, g *globals, opts *planOptions) error {
	sess, err := g.open(cmd)
	if err != nil {
		return err
	}
	defer sess.close()
	ctx, format, s, c := sess.ctx, sess.format, sess.stack, sess.clients
	p, _, err := buildPlan(ctx, c, s)
	if err != nil {
		return err
	}
	if err := render.Plan(g.ios.Out, p, format); err != nil {
		return err
	}
	if opts.detailedExitCode && !p.Empty() {
		return &exitError{code: ExitChanges}
	}
	return nil
}

// buildPlan reads the inventory and plans `up`.
func buildPlan(ctx context.Context, c *clients, s *config.Stack) (*plan.Plan, *inventory.Snapshot, error) {
	snap, err := c.reader().Read(ctx, s, inventory.ForUp)
	if err != nil {
		return nil, nil, err
	}
	p, err := plan.Build(s, snap)
	if err != nil {
		return nil, nil, err
	}
	p.Endpoint = c.Endpoint
	p.Warnings = append(p.Warnings, s.PingWarnings()...)
	if st := strings.ToLower(snap.LB.Status); st != "" && st != "active" {
		p.Warnings = append(p.Warnings, fmt.Sprintf("%s %s is %s, not active: changes may be rejected until it is", strings.ToUpper(snap.LB.Type), snap.LB.ID, snap.LB.Status))
	}
	return p, snap, nil
}
