// Package down implements `wsdeploy down`.
package down

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// DownOptions are the inputs of `wsdeploy down`.
type DownOptions struct {
	IO      iostreams.IOStreams
	Factory *cmdutil.Factory
	cmdutil.CloudOptions

	Yes bool
	// App also uninstalls what app.deploy installed (wschat, Redis), removes
	// the instances' deployment tags and the stack's Redis password parameter.
	App bool
	// KeepLB keeps the load balancer the stack created (alb.create / clb.create).
	KeepLB bool
}

// NewCmdDown is `wsdeploy down`. runF, when set, is called with the options
// instead of running the command (tests).
func NewCmdDown(f *cmdutil.Factory, runF func(*DownOptions) error) *cobra.Command {
	opts := &DownOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "down [-f <file>] [--yes] [-o text|json]",
		Short: "Remove everything this stack created, and nothing else",
		Long: `down deletes, in dependency order, the DNS records, the listeners and the server
groups that carry this stack's ownership marker, on both load balancers the file
names (alb.id and clb.id), whichever kind --lb or lb: says. It never touches
anything else, and it leaves a load balancer named by id in place. Running it
twice is fine.

A load balancer the stack created (alb.create / clb.create; found by the
stack's tag) is deleted last, once nothing is left on it. With its deletion
protection on (the default), down refuses and changes nothing: set
deletionProtection: false, run up, then down. --keep-lb keeps it.

Software that 'up' installed (app.deploy) stays on the instances. With --app,
down also uninstalls wschat and then Redis from the instances carrying the
stack's deployment tag (Cloud Assistant commands), removes those tags, and
deletes the stack's Redis password (its OOS encrypted parameter).

On a terminal it asks for confirmation; without one it needs --yes.`,
		Example: `  wsdeploy down --local --yes
  wsdeploy down -f prod.yaml
  wsdeploy down --app --yes       # also uninstall wschat and Redis`,
		Aliases: []string{"destroy"},
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Stack.Complete(cmd)
			if runF != nil {
				return runF(opts)
			}
			return downRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddCloudCommandFlags(cmd, &opts.CloudOptions)
	cmdutil.AddYesFlag(cmd, &opts.Yes)
	cmd.Flags().BoolVar(&opts.KeepLB, "keep-lb", false, "keep the load balancer the stack created (alb.create / clb.create); remove everything else")
	cmd.Flags().BoolVar(&opts.App, "app", false, "also uninstall wschat and Redis from the instances, remove their deployment tags and the stack's Redis password")
	return cmd
}

func downRun(ctx context.Context, opts *DownOptions) error {
	f := opts.Factory
	sess, err := f.Open(ctx, &opts.CloudOptions)
	if err != nil {
		return err
	}
	defer sess.Close()
	s, c := sess.Stack, sess.Clients
	snap, err := c.Reader().Read(sess.Ctx, s, inventory.ForDown)
	if err != nil {
		return err
	}
	p := plan.Teardown(s, snap)
	p.Endpoint = c.Endpoint
	if err := plan.AddLBTeardown(p, s, snap, opts.KeepLB); err != nil {
		return err
	}
	if opts.App {
		app, err := c.Reader().ReadApp(sess.Ctx, s)
		if err != nil {
			return err
		}
		if err := plan.AddAppTeardown(p, s, app); err != nil {
			return err
		}
	}
	if sess.Format == render.Text {
		if err := render.Plan(opts.IO.Out, p, render.Text, opts.IO.ColorOut()); err != nil {
			return err
		}
	}
	out := render.Teardown{Stack: s.Stack, Plan: p}
	res, err := f.Apply(ctx, sess, &opts.CloudOptions, opts.Yes, p)
	if err != nil {
		return err
	}
	if !p.Empty() {
		out.Result = res
		out.Deleted = p.Summary.Delete
	}
	if sess.Format == render.JSON {
		return render.WriteJSON(opts.IO.Out, out)
	}
	return nil
}
