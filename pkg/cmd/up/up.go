// Package up implements `wsdeploy up`: plan, confirm, apply, print the
// deployment; or apply a saved plan exactly.
package up

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	plancmd "github.com/wsdeploy/wsdeploy/pkg/cmd/plan"
	verifycmd "github.com/wsdeploy/wsdeploy/pkg/cmd/verify"
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// UpOptions are the inputs of `wsdeploy up`.
type UpOptions struct {
	IO      iostreams.IOStreams
	Factory *cmdutil.Factory
	cmdutil.CloudOptions

	Yes         bool
	DryRun      bool
	WaitHealthy bool
	Verify      bool   // implies WaitHealthy
	SavedPlan   string // the positional argument: apply this saved plan

	// verifyDial, in tests, is where --verify connects (verify's --dial).
	verifyDial []string
}

// NewCmdUp is `wsdeploy up`. runF, when set, is called with the options
// instead of running the command (tests).
func NewCmdUp(f *cmdutil.Factory, runF func(*UpOptions) error) *cobra.Command {
	opts := &UpOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "up [<saved-plan>] [-f <file>] [--lb alb|clb] [--dry-run] [--yes] [--wait-healthy] [--verify] [-o text|json]",
		Short: "Converge the cloud to wsdeploy.yaml and print the endpoints",
		Long: `up plans like 'wsdeploy plan', then applies the plan: it creates or updates the
server group, its backends, the listeners and the DNS record, waiting for every
asynchronous step. A second run with the same file changes nothing.

Given a saved plan (from 'wsdeploy plan --out FILE'), up applies exactly that
plan and nothing else, after checking that neither the stack file nor the
cloud changed since it was made; otherwise it refuses before any write.

With --wait-healthy, up then waits until the load balancer reports every
backend healthy on every listener, showing progress; a backend that stays
unhealthy, or --timeout, ends the wait with an error that names each backend
not healthy and why. --verify waits the same way, then runs the checks of
'wsdeploy verify'.

Plans that delete something ask for confirmation on a terminal; without a
terminal they need --yes.`,
		Example: `  wsdeploy up --lb alb --local
  wsdeploy up -f prod.yaml --yes -o json
  wsdeploy up --wait-healthy --timeout 5m
  wsdeploy up --dry-run           # the same as wsdeploy plan
  wsdeploy up plan.json --yes     # apply exactly the plan 'wsdeploy plan --out plan.json' saved`,
		Aliases: []string{"apply"},
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Stack.Complete(cmd)
			if len(args) > 0 {
				opts.SavedPlan = args[0]
			}
			if opts.DryRun && opts.SavedPlan != "" {
				return cmdutil.FlagError(errors.New("--dry-run with a saved plan: run `wsdeploy show " + opts.SavedPlan + "` to see it"))
			}
			if runF != nil {
				return runF(opts)
			}
			return upRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.DryRun, "dry-run", false, "only show the plan (the same as wsdeploy plan)")
	cmd.Flags().BoolVar(&opts.WaitHealthy, "wait-healthy", false, "after applying, wait until every backend is healthy on every listener (bounded by --timeout); exit 1 if one is not")
	cmd.Flags().BoolVar(&opts.Verify, "verify", false, "after applying, wait as --wait-healthy does, then run wsdeploy verify with its defaults; exit 1 if a check fails")
	cmdutil.AddCloudCommandFlags(cmd, &opts.CloudOptions)
	cmdutil.AddYesFlag(cmd, &opts.Yes)
	return cmd
}

func upRun(ctx context.Context, opts *UpOptions) error {
	switch {
	case opts.DryRun:
		return plancmd.Run(ctx, &plancmd.PlanOptions{IO: opts.IO, Factory: opts.Factory, CloudOptions: opts.CloudOptions})
	case opts.SavedPlan != "":
		return savedUpRun(ctx, opts)
	}
	sess, err := opts.Factory.Open(ctx, &opts.CloudOptions)
	if err != nil {
		return err
	}
	defer sess.Close()
	p, snap, err := cmdutil.BuildPlan(sess.Ctx, sess.Clients, sess.Stack)
	if err != nil {
		return cmdutil.WithCommands(err, &opts.CloudOptions)
	}
	return upApply(ctx, opts, sess, p, snap)
}

// upApply prints and applies p, made from snap, and prints the deployment.
func upApply(ctx context.Context, opts *UpOptions, sess *cmdutil.Session, p *plan.Plan, snap *inventory.Snapshot) error {
	f, out := opts.Factory, opts.IO.Out
	if sess.Format == render.Text {
		if err := render.Plan(out, p, render.Text, opts.IO.ColorOut()); err != nil {
			return err
		}
	}
	res, err := f.Apply(ctx, sess, &opts.CloudOptions, opts.Yes, p)
	if err != nil {
		return err
	}
	d := render.DeploymentOf(sess.Stack, snap, p, res)
	var unhealthy error
	if opts.WaitHealthy || opts.Verify {
		unhealthy = waitHealthy(sess.Ctx, opts, sess, d)
	}
	if opts.Verify && unhealthy == nil {
		f.Log(opts.Output).VerifyStarted()
		vo := &verifycmd.VerifyOptions{Factory: f, CloudOptions: opts.CloudOptions, Clients: 2, Messages: 20, Path: "/ws", Dial: opts.verifyDial}
		rep, err := verifycmd.Report(sess.Ctx, vo, sess.Stack)
		if err != nil {
			return err
		}
		d.Verify = rep
	}
	if err := render.Deployed(out, d, sess.Format); err != nil {
		return err
	}
	if unhealthy != nil {
		return unhealthy
	}
	if d.Verify != nil && !d.Verify.OK {
		return cmdutil.WithHint(errors.New("the deployment is up, but verify found failures (above)"), "fix what the failed checks say, then run `wsdeploy verify`")
	}
	return nil
}
