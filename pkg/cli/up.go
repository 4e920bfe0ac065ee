package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

type upOptions struct {
	dryRun bool
	verify bool
}

func newCmdUp(g *globals) *cobra.Command {
	opts := &upOptions{}
	cmd := &cobra.Command{
		Use:   "up [-f <file>] [--lb alb|clb] [--dry-run] [--yes] [-o text|json]",
		Short: "Converge the cloud to wsdeploy.yaml and print the endpoints",
		Long: `up plans like 'wsdeploy plan', then applies the plan: it creates or updates the
server group, its backends, the listeners and the DNS record, waiting for every
asynchronous step. A second run with the same file changes nothing.

Plans that delete something ask for confirmation on a terminal; without a
terminal they need --yes.`,
		Example: `  wsdeploy up --lb alb --local
  wsdeploy up -f prod.yaml --yes -o json
  wsdeploy up --dry-run           # the same as wsdeploy plan`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.dryRun {
				return planRun(cmd, g, &planOptions{})
			}
			if opts.verify && g.local {
				return usageError(errors.New("--verify with --local: the local fake cloud has no data plane to connect to; " +
					"run `wsdeploy verify --target host:port` against your backends instead"))
			}
			return upRun(cmd, g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "only show the plan (the same as wsdeploy plan)")
	cmd.Flags().BoolVar(&opts.verify, "verify", false, "after applying, run `wsdeploy verify` with its defaults; exit 1 if a check fails")
	return cmd
}

func upRun(cmd *cobra.Command, g *globals, opts *upOptions) error {
	sess, err := g.open(cmd)
	if err != nil {
		return err
	}
	defer sess.close()
	ctx, format, s, c := sess.ctx, sess.format, sess.stack, sess.clients
	p, snap, err := buildPlan(ctx, c, s)
	if err != nil {
		return err
	}
	if format == render.Text {
		if err := render.Plan(g.ios.Out, p, render.Text); err != nil {
			return err
		}
	}
	var res *apply.Result
	if !p.Empty() {
		if n := destructive(p); n > 0 {
			if err := g.confirm(fmt.Sprintf("This plan deletes %d listener(s), server group(s) or DNS record(s).", n)); err != nil {
				return err
			}
		}
		fmt.Fprintf(g.ios.Err, "\nApplying %d change(s)…\n", len(p.Actions))
		eng := c.engine(s, newProgress(g.ios.Err, format).Event, cmd.Context().Done())
		eng.Resume = g.commandLine()
		actx, acancel := g.applyContext(cmd)
		applied := make(chan struct{})
		g.announceInterrupt(cmd, applied)
		res, err = eng.Apply(actx, p)
		close(applied)
		acancel()
		if err != nil {
			return err
		}
		fmt.Fprintf(g.ios.Err, "Apply complete: %d created, %d updated, %d deleted.\n", p.Summary.Create, p.Summary.Update, p.Summary.Delete)
	}
	d := deploymentOf(s, snap, p, res)
	if opts.verify {
		fmt.Fprintln(g.ios.Err, "\nVerifying the WebSocket path…")
		rep, err := g.verifyReport(ctx, s, &verifyOptions{clients: 2, messages: 20, path: "/ws"})
		if err != nil {
			return err
		}
		d.Verify = rep
	}
	if format == render.JSON {
		if err := render.WriteJSON(g.ios.Out, d); err != nil {
			return err
		}
	} else {
		printDeployment(g.ios.Out, d)
		if d.Verify != nil {
			fmt.Fprintln(g.ios.Out)
			if err := d.Verify.WriteText(g.ios.Out); err != nil {
				return err
			}
		}
	}
	if d.Verify != nil && !d.Verify.OK {
		return &hintError{err: errors.New("the deployment is up, but verify found failures (above)"), hint: "fix what the failed checks say, then run `wsdeploy verify`"}
	}
	return nil
}

// confirm asks on a terminal; without one it requires --yes.
func (g *globals) confirm(what string) error {
	if g.yes {
		return nil
	}
	if !g.ios.InTTY {
		return &hintError{err: errors.New(what + " Refusing without confirmation: no terminal to ask on"), hint: "re-run with --yes to confirm"}
	}
	fmt.Fprintf(g.ios.Err, "%s Type 'yes' to continue: ", what)
	line, _ := bufio.NewReader(g.ios.In).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		return &exitError{code: ExitError, err: errors.New("cancelled: nothing was changed")}
	}
	return nil
}

// destructive counts deletions that can cut traffic or a name: listeners,
// server groups and DNS records. Removing backends the user took out of
// wsdeploy.yaml is not counted: it is the change the user asked for.
func destructive(p *plan.Plan) int {
	n := 0
	for _, a := range p.Actions {
		if a.Op == plan.Delete && a.Kind != plan.KindServers {
			n++
		}
	}
	return n
}
