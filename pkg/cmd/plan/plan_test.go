package plan

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
	"github.com/wsdeploy/wsdeploy/pkg/planfile"
)

func TestNewCmdPlan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		check   func(t *testing.T, o *PlanOptions)
		wantErr string
	}{
		{
			name: "defaults",
			check: func(t *testing.T, o *PlanOptions) {
				if o.Stack.ConfigPath != "wsdeploy.yaml" || o.Stack.ConfigSet || o.Output != "text" || o.Cloud.Timeout != 15*time.Minute ||
					o.Cloud.Local || o.Cloud.Endpoint != "" || o.DetailedExitCode || o.Out != "" {
					t.Errorf("options %+v", o)
				}
			},
		},
		{
			name: "every flag",
			args: []string{"-f", "prod.yaml", "--lb", "clb", "--region", "cn-shanghai", "--endpoint", "http://127.0.0.1:1", "--timeout", "2m",
				"--profile", "ci", "--debug", "-o", "json", "--detailed-exitcode", "--out", "plan.json"},
			check: func(t *testing.T, o *PlanOptions) {
				want := cmdutil.CloudOptions{
					Stack:  cmdutil.StackFlags{ConfigPath: "prod.yaml", LB: "clb", Region: "cn-shanghai", ConfigSet: true, LBSet: true, RegionSet: true},
					Cloud:  cmdutil.CloudFlags{Endpoint: "http://127.0.0.1:1", Timeout: 2 * time.Minute, Profile: "ci", Debug: true},
					Output: "json",
				}
				if o.CloudOptions != want || !o.DetailedExitCode || o.Out != "plan.json" {
					t.Errorf("options %+v\nwant %+v", o, want)
				}
			},
		},
		{name: "--local", args: []string{"--local"}, check: func(t *testing.T, o *PlanOptions) {
			if !o.Cloud.Local {
				t.Error("--local not set")
			}
		}},
		{name: "an argument", args: []string{"extra"}, wantErr: `unknown command "extra"`},
		{name: "a flag of up", args: []string{"--yes"}, wantErr: "unknown flag: --yes"},
		{name: "a bad duration", args: []string{"--timeout", "soon"}, wantErr: `invalid argument "soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, _ := cmdtest.Factory(t)
			var got *PlanOptions
			err := cmdtest.Execute(NewCmdPlan(f, func(o *PlanOptions) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Factory != f || got.IO.Out != f.IOStreams.Out {
				t.Error("the options do not carry the Factory and its streams")
			}
			tt.check(t, got)
		})
	}
}

// planRun against a fake cloud through the Factory's credentials: the plan
// is printed, no write is made, --detailed-exitcode says there are changes,
// and --out saves the plan, made at the Factory's clock, in its working
// directory.
func TestPlanRun(t *testing.T) {
	t.Parallel()
	f, ios := cmdtest.Factory(t)
	fc := cmdtest.FakeCloud(t, f)
	cmdtest.WriteFile(t, f, "wsdeploy.yaml", string(config.Example()))
	opts := &PlanOptions{IO: f.IOStreams, Factory: f, DetailedExitCode: true, Out: "saved.json"}
	opts.Stack.ConfigPath, opts.Cloud.Endpoint, opts.Cloud.Timeout, opts.Output = "wsdeploy.yaml", fc.URL(), time.Minute, "text"

	err := Run(context.Background(), opts)
	var ee *cmdutil.ExitCodeError
	if !errors.As(err, &ee) || ee.Code != cmdutil.ExitChanges || ee.Err != nil {
		t.Fatalf("error %v, want exit %d and nothing to print", err, cmdutil.ExitChanges)
	}
	if w := cmdtest.Writes(fc); len(w) != 0 {
		t.Errorf("plan made writes: %v", w)
	}
	for _, want := range []string{"Stack \"demo\"", "+ server-group wsdeploy-demo", "Plan: 5 to create, 0 to update, 0 to delete."} {
		if !strings.Contains(ios.Out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, ios.Out)
		}
	}
	if !strings.Contains(ios.Err.String(), "Saved this plan to saved.json") {
		t.Errorf("stderr does not say where the plan went:\n%s", ios.Err)
	}
	saved, err := planfile.Read(filepath.Join(f.WorkDir, "saved.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !saved.CreatedAt.Equal(cmdtest.Now()) || saved.Source.Path != "wsdeploy.yaml" || saved.WsdeployVersion != "test" ||
		saved.Target.Endpoint != fc.URL() || saved.Plan.Summary.Create != 5 {
		t.Errorf("saved plan: made %s from %+v by %q against %+v, %+v", saved.CreatedAt, saved.Source, saved.WsdeployVersion, saved.Target, saved.Plan.Summary)
	}
}

// Bad input fails before the Factory builds any client.
func TestPlanRunRefusesBeforeConnecting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(o *PlanOptions)
		want string
	}{
		{"bad -o", func(o *PlanOptions) { o.Output = "yaml" }, `-o/--output "yaml": use text or json`},
		{"no stack file", func(o *PlanOptions) { o.Stack.ConfigPath = "missing.yaml" }, "no stack file missing.yaml"},
		{"--local with --endpoint", func(o *PlanOptions) { o.Cloud.Local = true }, "--local and --endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, _ := cmdtest.Factory(t)
			cmdtest.WriteFile(t, f, "wsdeploy.yaml", string(config.Example()))
			f.Credential = nil // any use of it panics
			f.StartLocal = nil
			opts := &PlanOptions{IO: f.IOStreams, Factory: f}
			opts.Stack.ConfigPath, opts.Cloud.Endpoint, opts.Cloud.Timeout, opts.Output = "wsdeploy.yaml", "http://127.0.0.1:1", time.Minute, "text"
			tt.edit(opts)
			if err := Run(context.Background(), opts); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// --local with no stack file plans the demo stack against the Factory's
// local cloud, whose state lives under the Factory's working directory.
func TestPlanRunLocalDemo(t *testing.T) {
	t.Parallel()
	f, ios := cmdtest.Factory(t)
	opts := &PlanOptions{IO: f.IOStreams, Factory: f}
	opts.Stack.ConfigPath, opts.Cloud.Local, opts.Cloud.Timeout, opts.Output = "wsdeploy.yaml", true, time.Minute, "text"
	if err := Run(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ios.Err.String(), `No wsdeploy.yaml here: using the built-in demo stack "demo"`) || !strings.Contains(ios.Out.String(), "Plan: 5 to create") {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", ios.Out, ios.Err)
	}
	if _, err := os.Stat(filepath.Join(f.WorkDir, cmdutil.LocalStatePath)); err != nil {
		t.Errorf("the local cloud's state is not in the working directory: %v", err)
	}
}
