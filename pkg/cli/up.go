package cli

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
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
		Use:   "up [<saved-plan>] [-f <file>] [--lb alb|clb] [--dry-run] [--yes] [-o text|json]",
		Short: "Converge the cloud to wsdeploy.yaml and print the endpoints",
		Long: `up plans like 'wsdeploy plan', then applies the plan: it creates or updates the
server group, its backends, the listeners and the DNS record, waiting for every
asynchronous step. A second run with the same file changes nothing.

Given a saved plan (from 'wsdeploy plan --out FILE'), up applies exactly that
plan and nothing else, after checking that neither the stack file nor the
cloud changed since it was made; otherwise it refuses before any write.

Plans that delete something ask for confirmation on a terminal; without a
terminal they need --yes.`,
		Example: `  wsdeploy up --lb alb --local
  wsdeploy up -f prod.yaml --yes -o json
  wsdeploy up --dry-run           # the same as wsdeploy plan
  wsdeploy up plan.json --yes     # apply exactly the plan 'wsdeploy plan --out plan.json' saved`,
		Aliases: []string{"apply"},
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.dryRun && len(args) > 0 {
				return usageError(errors.New("--dry-run with a saved plan: run `wsdeploy show " + args[0] + "` to see it"))
			}
			if opts.dryRun {
				return planRun(cmd, g, &planOptions{})
			}
			if opts.verify && g.local {
				return usageError(errors.New("--verify with --local: the local fake cloud has no data plane to connect to; " +
					"run `wsdeploy verify --target host:port` against your backends instead"))
			}
			if len(args) > 0 {
				return savedUpRun(cmd, g, opts, args[0])
			}
			return upRun(cmd, g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.dryRun, "dry-run", false, "only show the plan (the same as wsdeploy plan)")
	cmd.Flags().BoolVar(&opts.verify, "verify", false, "after applying, run wsdeploy verify with its defaults; exit 1 if a check fails")
	g.addFlags(cmd, flagsCloudCommand|flagYes)
	return cmd
}

func upRun(cmd *cobra.Command, g *globals, opts *upOptions) error {
	sess, err := g.open(cmd)
	if err != nil {
		return err
	}
	defer sess.close()
	p, snap, err := buildPlan(sess.ctx, sess.clients, sess.stack)
	if err != nil {
		return g.withCommands(err)
	}
	return upApply(cmd, g, opts, sess, p, snap)
}

// upApply prints and applies p, made from snap, and prints the deployment.
func upApply(cmd *cobra.Command, g *globals, opts *upOptions, sess *session, p *plan.Plan, snap *inventory.Snapshot) error {
	ctx, format, s, c := sess.ctx, sess.format, sess.stack, sess.clients
	var err error
	if format == render.Text {
		if err := render.Plan(g.ios.Out, p, render.Text); err != nil {
			return err
		}
	}
	var res *apply.Result
	if !p.Empty() {
		if p.NeedsConfirmation() {
			if err := g.confirm(render.ConfirmText(p)); err != nil {
				return err
			}
		}
		g.log().ApplyStarted(p)
		eng := c.engine(s, g.log().Action, cmd.Context().Done())
		eng.Resume = g.rerun()
		if sess.resume != "" {
			eng.Resume = sess.resume
		}
		actx, acancel := g.applyContext(cmd)
		applied := make(chan struct{})
		g.announceInterrupt(cmd, applied)
		res, err = eng.Apply(actx, p)
		close(applied)
		acancel()
		if err != nil {
			return err
		}
		g.log().ApplyCompleted(p)
	}
	d := deploymentOf(s, snap, p, res)
	if opts.verify {
		g.log().VerifyStarted()
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
	g.log().Prompt(what)
	line, _ := bufio.NewReader(g.ios.In).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		return &exitError{code: ExitError, err: errors.New("cancelled: nothing was changed")}
	}
	return nil
}
