package cli

// Saved plans: `plan --out FILE` writes one, `show FILE` prints it, and
// `up FILE` applies exactly it once it has proved that neither the stack file
// nor the cloud changed since it was made. The document is pkg/planfile's.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/planfile"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

func newCmdShow(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show <saved-plan> [-o text|json]",
		Short: "Print a plan saved by `plan --out`, without reading the cloud",
		Long: `show prints a saved plan: where and from what it was made, the command that
applies it, and its changes as 'wsdeploy plan' prints them. With -o json it
prints the whole saved-plan document, for review tools. It makes no API call
and needs no credentials.`,
		Example: `  wsdeploy plan --out plan.json
  wsdeploy show plan.json
  wsdeploy show plan.json -o json | jq '.plan.actions[] | {op, kind, name}'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := g.format()
			if err != nil {
				return err
			}
			f, err := planfile.Read(args[0])
			if err != nil {
				return err
			}
			return render.SavedPlan(g.ios.Out, f, args[0], format)
		},
	}
	g.addFlags(cmd, flagOutput)
	return cmd
}

// target is the cloud this run talks to.
func (g *globals) target() planfile.Target {
	switch {
	case g.local:
		return planfile.Target{Kind: planfile.Local}
	case g.endpointValue() != "":
		return planfile.Target{Kind: planfile.Endpoint, Endpoint: strings.TrimRight(g.endpointValue(), "/")}
	}
	return planfile.Target{Kind: planfile.AlibabaCloud}
}

// savePlan writes p, built from s, to path, and says how to apply it.
func (g *globals) savePlan(cmd *cobra.Command, s *config.Stack, p *plan.Plan, path string, format render.Format) error {
	src, err := g.stackSource(cmd, s)
	if err != nil {
		return err
	}
	f := &planfile.File{
		Kind: planfile.Kind, FormatVersion: planfile.FormatVersion,
		CreatedAt: time.Now().UTC().Truncate(time.Second), WsdeployVersion: g.build.Version,
		Target: g.target(), Source: src, Stack: s, Plan: p,
	}
	if err := planfile.Write(path, f); err != nil {
		return err
	}
	g.log().PlanSaved(path, f.ApplyCommand(path))
	return nil
}

// stackSource says where s came from: the stack file, whose bytes are read
// again and must still resolve to s (else it changed while planning), or the
// built-in demo stack.
func (g *globals) stackSource(cmd *cobra.Command, s *config.Stack) (planfile.Source, error) {
	src := planfile.Source{LB: g.lb, Region: g.region}
	data, err := readStackFile(g.configPath)
	if errors.Is(err, fs.ErrNotExist) && g.local && !cmd.Flags().Changed("config") {
		demo := config.Demo()
		if err := config.Resolve(demo, src.Overrides()); err != nil || !sameStack(demo, s) {
			return src, fmt.Errorf("save plan: %s appeared while planning; run the plan again", g.configPath)
		}
		src.Builtin = true
		return src, nil
	}
	if err != nil {
		return src, fmt.Errorf("save plan: read %s: %w", g.configPath, err)
	}
	src.Path, src.SHA256 = g.configPath, planfile.Digest(data)
	now, err := resolveStack(g.configPath, data, src.Overrides())
	if err != nil || !sameStack(now, s) {
		return src, &hintError{err: fmt.Errorf("save plan: %s changed while planning", g.configPath), hint: "run the plan again once the file is saved"}
	}
	return src, nil
}

// savedUpRun is `up FILE`: apply exactly the saved plan, or refuse before any
// write when it no longer describes what `up` would do.
func savedUpRun(cmd *cobra.Command, g *globals, opts *upOptions, path string) error {
	format, err := g.format()
	if err != nil {
		return err
	}
	f, err := planfile.Read(path)
	if err != nil {
		return err
	}
	if err := g.savedFlagsAgree(cmd, f, path); err != nil {
		return err
	}
	if now := g.target(); now != f.Target {
		return &hintError{
			err: fmt.Errorf("saved plan %s was made against %s, and this run would apply it to %s; nothing was changed", path, f.Target, now),
			hint: fmt.Sprintf("apply it where it was made (`%s`), or make a plan against this cloud with `wsdeploy plan --out %s` and the flags of this run",
				f.ApplyCommand(path), path),
		}
	}
	s, err := savedStack(f, path, g.build.Version)
	if err != nil {
		return err
	}

	ctx, cancel := g.withTimeout(cmd.Context())
	c, err := g.connect(ctx, s)
	if err != nil {
		cancel()
		return err
	}
	// Once part of it is applied the saved plan no longer matches the cloud:
	// an interrupted run is finished by converging to the stack file.
	sess := &session{ctx: ctx, format: format, stack: s, clients: c, cancel: cancel, resume: g.rerunWithout(path)}
	defer sess.close()
	// The same reads as `plan`, then the same planning: the saved plan is
	// applied only if planning now gives exactly it.
	fresh, snap, err := buildPlan(ctx, c, s)
	var conflict *plan.ConflictError
	var switched *plan.SwitchError
	if errors.As(err, &conflict) || errors.As(err, &switched) {
		return staleError(f, path, "the cloud", "planning now fails: "+err.Error())
	}
	if err != nil {
		return err
	}
	if diff := planfile.Diff(f.Plan, fresh); len(diff) > 0 {
		return staleError(f, path, "the cloud", diff...)
	}
	p := f.Plan
	p.Endpoint, p.Warnings = c.Endpoint, fresh.Warnings
	err = upApply(cmd, g, opts, sess, p, snap)
	var partial *apply.PartialError
	var stopped *apply.InterruptedError
	if errors.As(err, &partial) || errors.As(err, &stopped) {
		// Part of the plan is applied: the saved plan is out of date now.
		return &hintError{err: err, hint: fmt.Sprintf("part of %s was applied, so it is out of date: make a new plan with `%s`, review it and apply it, or run `wsdeploy up` to finish from what exists",
			path, f.PlanCommand(path))}
	}
	return err
}

// savedFlagsAgree refuses flags that would change a saved plan: it is applied as it was made.
func (g *globals) savedFlagsAgree(cmd *cobra.Command, f *planfile.File, path string) error {
	var bad []string
	if cmd.Flags().Changed("config") && (f.Source.Builtin || filepath.Clean(g.configPath) != filepath.Clean(f.Source.Path)) {
		bad = append(bad, fmt.Sprintf("-f %s (the plan was made from %s)", g.configPath, f.Source))
	}
	if cmd.Flags().Changed("lb") && g.lb != f.Stack.LB {
		bad = append(bad, fmt.Sprintf("--lb %s (the plan is for %s)", g.lb, f.Stack.LB))
	}
	if cmd.Flags().Changed("region") && g.region != f.Stack.Region {
		bad = append(bad, fmt.Sprintf("--region %s (the plan is for %s)", g.region, f.Stack.Region))
	}
	if len(bad) == 0 {
		return nil
	}
	return usageError(&hintError{
		err:  fmt.Errorf("a saved plan is applied exactly as it was made, and %s would change it", strings.Join(bad, " and ")),
		hint: fmt.Sprintf("drop those flags to apply %s as it is, or make a new plan with them: `wsdeploy plan --out FILE`", path),
	})
}

// savedStack is the stack the saved plan was made from, after checking that
// its source still says the same: the stack file's bytes are unchanged and
// resolve to the same stack.
func savedStack(f *planfile.File, path, version string) (*config.Stack, error) {
	var s *config.Stack
	if f.Source.Builtin {
		s = config.Demo()
		if err := config.Resolve(s, f.Source.Overrides()); err != nil {
			return nil, err
		}
		if !sameStack(s, f.Stack) {
			return nil, staleError(f, path, "the built-in demo stack", "this wsdeploy's demo stack is not the one the plan was made from")
		}
		return s, nil
	}
	file := f.Source.Path
	data, err := readStackFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, staleError(f, path, "the stack file "+file, file+" is gone (run wsdeploy in the directory the plan was made in)")
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if d := planfile.Digest(data); d != f.Source.SHA256 {
		return nil, staleError(f, path, "the stack file "+file, fmt.Sprintf("%s: sha256 %s… when planned, %s… now", file, f.Source.SHA256[:12], d[:12]))
	}
	s, err = resolveStack(file, data, f.Source.Overrides())
	if err != nil {
		return nil, err
	}
	if !sameStack(s, f.Stack) {
		return nil, staleError(f, path, "how wsdeploy reads "+file,
			fmt.Sprintf("%s resolves to another stack with this wsdeploy (%s) than with the one that made the plan (%s)", file, versionOr(version), versionOr(f.WsdeployVersion)))
	}
	return s, nil
}

func staleError(f *planfile.File, path, what string, changes ...string) error {
	made := f.CreatedAt.UTC().Format(time.RFC3339)
	if f.WsdeployVersion != "" {
		made += " by wsdeploy " + f.WsdeployVersion
	}
	return &planfile.StaleError{Path: path, What: what, Made: made, Changes: changes, Retry: f.PlanCommand(path), Apply: f.ApplyCommand(path)}
}

func versionOr(v string) string {
	if v == "" {
		return "unknown version"
	}
	return v
}

// readStackFile reads a stack file's bytes, as config.Load would accept them.
func readStackFile(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, config.MaxFileSize+1))
}

// resolveStack is config.LoadAndResolve on bytes already read.
func resolveStack(path string, data []byte, o config.Overrides) (*config.Stack, error) {
	s, err := config.Parse(path, data)
	if err != nil {
		return nil, err
	}
	if err := config.Resolve(s, o); err != nil {
		var ve *config.ValidationError
		if errors.As(err, &ve) {
			ve.File = path
		}
		return nil, err
	}
	return s, nil
}

// sameStack compares two resolved stacks by what they say.
func sameStack(a, b *config.Stack) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}
