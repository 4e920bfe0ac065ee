package cli

import (
	"context"
	"errors"
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
	out              string // --out: save the plan here (saved.go)
}

func newCmdPlan(g *globals) *cobra.Command {
	opts := &planOptions{}
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
			return planRun(cmd, g, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.detailedExitCode, "detailed-exitcode", false, "exit 2 when the plan has changes, 0 when it has none")
	cmd.Flags().StringVar(&opts.out, "out", "", "also save the plan to `file` for review; wsdeploy up FILE then applies exactly it")
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
		return g.withCommands(err)
	}
	if err := render.Plan(g.ios.Out, p, format); err != nil {
		return err
	}
	if opts.out != "" {
		if err := g.savePlan(cmd, s, p, opts.out, format); err != nil {
			return err
		}
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

// withCommands completes the commands a kind-switch refusal tells the user to
// run with the flags of this run, so they can be pasted as they are.
func (g *globals) withCommands(err error) error {
	var se *plan.SwitchError
	if errors.As(err, &se) {
		se.Down = g.commandLine("down", "--lb", se.On.Kind)
		se.Up = g.commandLine("up", "--lb", se.Want.Type)
	}
	return err
}

// commandLine is `wsdeploy <verb> <args>` followed by the global flags of this
// run that say which stack file and which cloud (-f, --local, --endpoint,
// --region, --profile), shell-quoted where needed.
func (g *globals) commandLine(verb string, args ...string) string {
	parts := append([]string{"wsdeploy", verb}, args...)
	if g.configPath != defaultConfigPath {
		parts = append(parts, "-f", g.configPath)
	}
	if g.local {
		parts = append(parts, "--local")
	}
	if g.endpoint != "" {
		parts = append(parts, "--endpoint", g.endpoint)
	}
	if g.region != "" {
		parts = append(parts, "--region", g.region)
	}
	if g.profile != "" {
		parts = append(parts, "--profile", g.profile)
	}
	for i, p := range parts {
		parts[i] = shellQuote(p)
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:@%+=,-") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
