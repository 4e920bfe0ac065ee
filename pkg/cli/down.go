package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

func newCmdDown(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "down [-f <file>] [--yes] [-o text|json]",
		Short: "Remove everything this stack created, and nothing else",
		Long: `down deletes, in dependency order, the DNS record, the listeners and the server
group that carry this stack's ownership marker. It never touches anything else,
and it leaves the load balancer itself in place. Running it twice is fine.

On a terminal it asks for confirmation; without one it needs --yes.`,
		Example: `  wsdeploy down --local --yes
  wsdeploy down -f prod.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return downRun(cmd, g)
		},
	}
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
		if err := g.confirm(fmt.Sprintf("This deletes %d resource(s) of stack %q.", len(p.Actions), s.Stack)); err != nil {
			return err
		}
		fmt.Fprintf(g.ios.Err, "\nDeleting %d resource(s)…\n", len(p.Actions))
		eng := c.engine(s, newProgress(g.ios.Err, format).Event, cmd.Context().Done())
		eng.Resume = g.commandLine()
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
		fmt.Fprintf(g.ios.Err, "Destroy complete: %d deleted. The load balancer %s itself was left in place.\n", out.Deleted, p.LB.ID)
	}
	if format == render.JSON {
		return render.WriteJSON(g.ios.Out, out)
	}
	return nil
}
