package cli

import (
	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

func newCmdDown(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "down [-f <file>] [--yes] [-o text|json]",
		Short: "Remove everything this stack created, and nothing else",
		Long: `down deletes, in dependency order, the DNS records, the listeners and the server
groups that carry this stack's ownership marker, on both load balancers the file
names (alb.id and clb.id), whichever kind --lb or lb: says. It never touches
anything else, and it leaves the load balancers themselves in place. Running it
twice is fine.

On a terminal it asks for confirmation; without one it needs --yes.`,
		Example: `  wsdeploy down --local --yes
  wsdeploy down -f prod.yaml`,
		Aliases: []string{"destroy"},
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return downRun(cmd, g)
		},
	}
	g.addFlags(cmd, flagsCloudCommand|flagYes)
	return cmd
}

func downRun(cmd *cobra.Command, g *globals) error {
	sess, err := g.open(cmd)
	if err != nil {
		return err
	}
	defer sess.close()
	ctx, format, s, c := sess.ctx, sess.format, sess.stack, sess.clients
	snap, err := c.reader().Read(ctx, s, inventory.ForDown)
	if err != nil {
		return err
	}
	p := plan.Teardown(s, snap)
	p.Endpoint = c.Endpoint
	if format == render.Text {
		if err := render.Plan(g.ios.Out, p, render.Text); err != nil {
			return err
		}
	}
	type downResult struct {
		Stack   string        `json:"stack"`
		Plan    *plan.Plan    `json:"plan"`
		Result  *apply.Result `json:"result,omitempty"`
		Deleted int           `json:"deleted"`
	}
	out := downResult{Stack: s.Stack, Plan: p}
	if !p.Empty() {
		if p.NeedsConfirmation() {
			if err := g.confirm(render.ConfirmText(p)); err != nil {
				return err
			}
		}
		g.log().ApplyStarted(p)
		eng := c.engine(s, g.log().Action, cmd.Context().Done())
		eng.Resume = g.rerun()
		actx, acancel := g.applyContext(cmd)
		applied := make(chan struct{})
		g.announceInterrupt(cmd, applied)
		res, err := eng.Apply(actx, p)
		close(applied)
		acancel()
		if err != nil {
			return err
		}
		out.Result = res
		out.Deleted = p.Summary.Delete
		g.log().ApplyCompleted(p)
	}
	if format == render.JSON {
		return render.WriteJSON(g.ios.Out, out)
	}
	return nil
}
