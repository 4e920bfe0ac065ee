package up

// `up FILE` applies exactly a saved plan, once it has proved that neither
// the stack file nor the cloud changed since it was made.

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/planfile"
)

// savedUpRun is `up FILE`: apply exactly the saved plan, or refuse before any
// write when it no longer describes what `up` would do.
func savedUpRun(ctx context.Context, opts *UpOptions) error {
	f, path := opts.Factory, opts.SavedPlan
	format, err := cmdutil.ParseFormat(opts.Output)
	if err != nil {
		return err
	}
	file, err := planfile.Read(f.Path(path))
	if err != nil {
		return err
	}
	if err := savedFlagsAgree(opts, file); err != nil {
		return err
	}
	if now := f.Target(opts.Cloud); now != file.Target {
		return cmdutil.WithHint(
			fmt.Errorf("saved plan %s was made against %s, and this run would apply it to %s; nothing was changed", path, file.Target, now),
			fmt.Sprintf("apply it where it was made (`%s`), or make a plan against this cloud with `wsdeploy plan --out %s` and the flags of this run",
				file.ApplyCommand(path), path),
		)
	}
	s, err := savedStack(f, file, path)
	if err != nil {
		return err
	}

	sctx, cancel := f.WithTimeout(ctx, opts.Cloud.Timeout)
	c, err := f.Connect(sctx, s, &opts.CloudOptions)
	if err != nil {
		cancel()
		return err
	}
	// The same account, before anything else is read: a plan for one
	// account is never applied in another.
	id, err := c.STS.CallerIdentity(sctx)
	if err != nil {
		c.Close()
		cancel()
		return err
	}
	if id.AccountID != file.Account {
		c.Close()
		cancel()
		return &planfile.AccountError{Path: path, Made: file.Account, Now: id.AccountID, NowArn: id.Arn, Apply: file.ApplyCommand(path), Replan: file.PlanCommand(path)}
	}
	// Once part of it is applied the saved plan no longer matches the cloud:
	// an interrupted run is finished by converging to the stack file.
	sess := cmdutil.NewSession(sctx, cancel, format, s, c)
	sess.Resume = cmdutil.RerunWithout(f.Args, path)
	defer sess.Close()
	// The same reads as `plan`, then the same planning: the saved plan is
	// applied only if planning now gives exactly it.
	fresh, snap, err := cmdutil.BuildPlan(sctx, c, s)
	var conflict *plan.ConflictError
	var switched *plan.SwitchError
	if errors.As(err, &conflict) || errors.As(err, &switched) {
		return staleError(file, path, "the cloud", "planning now fails: "+err.Error())
	}
	if err != nil {
		return err
	}
	if diff := planfile.Diff(file.Plan, fresh); len(diff) > 0 {
		return staleError(file, path, "the cloud", diff...)
	}
	p := file.Plan
	p.Endpoint, p.Warnings = c.Endpoint, fresh.Warnings
	err = upApply(ctx, opts, sess, p, snap)
	var partial *apply.PartialError
	var stopped *apply.InterruptedError
	if errors.As(err, &partial) || errors.As(err, &stopped) {
		// Part of the plan is applied: the saved plan is out of date now.
		return cmdutil.WithHint(err, fmt.Sprintf("part of %s was applied, so it is out of date: make a new plan with `%s`, review it and apply it, or run `wsdeploy up` to finish from what exists",
			path, file.PlanCommand(path)))
	}
	return err
}

// savedFlagsAgree refuses flags that would change a saved plan: it is applied as it was made.
func savedFlagsAgree(opts *UpOptions, file *planfile.File) error {
	var bad []string
	st := opts.Stack
	if st.ConfigSet && (file.Source.Builtin || filepath.Clean(st.ConfigPath) != filepath.Clean(file.Source.Path)) {
		bad = append(bad, fmt.Sprintf("-f %s (the plan was made from %s)", st.ConfigPath, file.Source))
	}
	if st.LBSet && st.LB != file.Stack.LB {
		bad = append(bad, fmt.Sprintf("--lb %s (the plan is for %s)", st.LB, file.Stack.LB))
	}
	if st.RegionSet && st.Region != file.Stack.Region {
		bad = append(bad, fmt.Sprintf("--region %s (the plan is for %s)", st.Region, file.Stack.Region))
	}
	if len(bad) == 0 {
		return nil
	}
	return cmdutil.FlagError(cmdutil.WithHint(
		fmt.Errorf("a saved plan is applied exactly as it was made, and %s would change it", strings.Join(bad, " and ")),
		fmt.Sprintf("drop those flags to apply %s as it is, or make a new plan with them: `wsdeploy plan --out FILE`", opts.SavedPlan),
	))
}

// savedStack is the stack the saved plan was made from, after checking that
// its source still says the same: the stack file's bytes are unchanged and
// resolve to the same stack.
func savedStack(f *cmdutil.Factory, file *planfile.File, path string) (*config.Stack, error) {
	var s *config.Stack
	if file.Source.Builtin {
		s = config.Demo()
		if err := config.Resolve(s, file.Source.Overrides()); err != nil {
			return nil, err
		}
		if !cmdutil.SameStack(s, file.Stack) {
			return nil, staleError(file, path, "the built-in demo stack", "this wsdeploy's demo stack is not the one the plan was made from")
		}
		return s, nil
	}
	name := file.Source.Path
	data, err := cmdutil.ReadStackFile(name, f.Path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, staleError(file, path, "the stack file "+name, name+" is gone (run wsdeploy in the directory the plan was made in)")
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if d := planfile.Digest(data); d != file.Source.SHA256 {
		return nil, staleError(file, path, "the stack file "+name, fmt.Sprintf("%s: sha256 %s… when planned, %s… now", name, file.Source.SHA256[:12], d[:12]))
	}
	s, err = cmdutil.ResolveStack(name, data, file.Source.Overrides())
	if err != nil {
		return nil, err
	}
	if !cmdutil.SameStack(s, file.Stack) {
		return nil, staleError(file, path, "how wsdeploy reads "+name,
			fmt.Sprintf("%s resolves to another stack with this wsdeploy (%s) than with the one that made the plan (%s)", name, versionOr(f.Build.Version), versionOr(file.WsdeployVersion)))
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
