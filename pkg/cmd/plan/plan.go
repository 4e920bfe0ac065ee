// Package plan implements `wsdeploy plan`.
package plan

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/planfile"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// PlanOptions are the inputs of `wsdeploy plan`.
type PlanOptions struct {
	IO      iostreams.IOStreams
	Factory *cmdutil.Factory
	cmdutil.CloudOptions

	DetailedExitCode bool
	Out              string // --out: save the plan here
}

// NewCmdPlan is `wsdeploy plan`. runF, when set, is called with the
// options instead of running the command (tests).
func NewCmdPlan(f *cmdutil.Factory, runF func(*PlanOptions) error) *cobra.Command {
	opts := &PlanOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "plan [-f <file>] [--lb alb|clb] [-o text|json] [--detailed-exitcode] [--out <saved-plan>]",
		Short: "Show what `up` would change, without changing anything",
		Long: `plan reads the cloud, compares it with wsdeploy.yaml and prints every change
'wsdeploy up' would make. It never writes: it makes read calls only.`,
		Example: `  wsdeploy plan --local
  wsdeploy plan -f prod.yaml -o json
  wsdeploy plan --detailed-exitcode   # exit 2 when changes are pending (CI drift checks)
  wsdeploy plan --out plan.json       # save it for review; 'wsdeploy up plan.json' applies exactly it`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Stack.Complete(cmd)
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.DetailedExitCode, "detailed-exitcode", false, "exit 2 when the plan has changes, 0 when it has none")
	cmd.Flags().StringVar(&opts.Out, "out", "", "also save the plan to `file` for review; wsdeploy up FILE then applies exactly it")
	cmdutil.AddCloudCommandFlags(cmd, &opts.CloudOptions)
	return cmd
}

// Run is `wsdeploy plan` (`up --dry-run` runs it too).
func Run(ctx context.Context, opts *PlanOptions) error {
	f := opts.Factory
	sess, err := f.Open(ctx, &opts.CloudOptions)
	if err != nil {
		return err
	}
	defer sess.Close()
	p, _, err := cmdutil.BuildPlan(sess.Ctx, sess.Clients, sess.Stack)
	if err != nil {
		return cmdutil.WithCommands(err, &opts.CloudOptions)
	}
	if err := render.Plan(opts.IO.Out, p, sess.Format, opts.IO.ColorOut()); err != nil {
		return err
	}
	if opts.Out != "" {
		id, err := sess.Clients.STS.CallerIdentity(sess.Ctx)
		if err != nil {
			return fmt.Errorf("save plan: %w", err)
		}
		if err := savePlan(opts, sess.Stack, p, id.AccountID); err != nil {
			return err
		}
	}
	if opts.DetailedExitCode && !p.Empty() {
		return cmdutil.Exit(cmdutil.ExitChanges)
	}
	return nil
}

// savePlan writes p, built from s in account, to --out, and says how to apply it.
func savePlan(opts *PlanOptions, s *config.Stack, p *plan.Plan, account string) error {
	f := opts.Factory
	src, err := stackSource(opts, s)
	if err != nil {
		return err
	}
	file := &planfile.File{
		Kind: planfile.Kind, FormatVersion: planfile.FormatVersion,
		CreatedAt: f.Now().UTC().Truncate(time.Second), WsdeployVersion: f.Build.Version,
		Target: f.Target(opts.Cloud), Account: account, Source: src, Stack: s, Plan: p,
	}
	if err := planfile.Write(f.Path(opts.Out), file); err != nil {
		return err
	}
	f.Log(opts.Output).PlanSaved(opts.Out, file.ApplyCommand(opts.Out))
	return nil
}

// stackSource says where s came from: the stack file, whose bytes are read
// again and must still resolve to s (else it changed while planning), or the
// built-in demo stack.
func stackSource(opts *PlanOptions, s *config.Stack) (planfile.Source, error) {
	f, path := opts.Factory, opts.Stack.ConfigPath
	src := planfile.Source{LB: opts.Stack.LB, Region: opts.Stack.Region}
	data, err := cmdutil.ReadStackFile(path, f.Path(path))
	if errors.Is(err, fs.ErrNotExist) && opts.Cloud.Local && !opts.Stack.ConfigSet {
		demo := config.Demo()
		if err := config.Resolve(demo, src.Overrides()); err != nil || !cmdutil.SameStack(demo, s) {
			return src, fmt.Errorf("save plan: %s appeared while planning; run the plan again", path)
		}
		src.Builtin = true
		return src, nil
	}
	if err != nil {
		return src, fmt.Errorf("save plan: read %s: %w", path, err)
	}
	src.Path, src.SHA256 = path, planfile.Digest(data)
	now, err := cmdutil.ResolveStack(path, data, src.Overrides())
	if err != nil || !cmdutil.SameStack(now, s) {
		return src, cmdutil.WithHint(fmt.Errorf("save plan: %s changed while planning", path), "run the plan again once the file is saved")
	}
	return src, nil
}
