package up

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/apply"
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
)

func TestNewCmdUp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		check   func(t *testing.T, o *UpOptions)
		wantErr string
	}{
		{name: "defaults", check: func(t *testing.T, o *UpOptions) {
			if o.Yes || o.DryRun || o.Verify || o.WaitHealthy || o.SavedPlan != "" || o.Stack.ConfigPath != "wsdeploy.yaml" || o.Output != "text" {
				t.Errorf("options %+v", o)
			}
		}},
		{name: "flags", args: []string{"--yes", "--dry-run", "--verify", "--lb", "alb", "-o", "json"}, check: func(t *testing.T, o *UpOptions) {
			if !o.Yes || !o.DryRun || !o.Verify || o.Stack.LB != "alb" || !o.Stack.LBSet || o.Output != "json" {
				t.Errorf("options %+v", o)
			}
		}},
		{name: "--wait-healthy", args: []string{"--wait-healthy", "--timeout", "5m"}, check: func(t *testing.T, o *UpOptions) {
			if !o.WaitHealthy || o.Verify || o.Cloud.Timeout != 5*time.Minute {
				t.Errorf("options %+v", o)
			}
		}},
		{name: "--wait-healthy with --local and a saved plan", args: []string{"plan.json", "--wait-healthy", "--local"}, check: func(t *testing.T, o *UpOptions) {
			if !o.WaitHealthy || !o.Cloud.Local || o.SavedPlan != "plan.json" {
				t.Errorf("options %+v", o)
			}
		}},
		{name: "--dry-run --wait-healthy is a plan", args: []string{"--dry-run", "--wait-healthy"}, check: func(t *testing.T, o *UpOptions) {
			if !o.DryRun || !o.WaitHealthy {
				t.Errorf("options %+v", o)
			}
		}},
		{name: "--wait-healthy takes no value", args: []string{"--wait-healthy=5m"}, wantErr: "invalid syntax"},
		{name: "a saved plan", args: []string{"plan.json", "--yes"}, check: func(t *testing.T, o *UpOptions) {
			if o.SavedPlan != "plan.json" || !o.Yes {
				t.Errorf("options %+v", o)
			}
		}},
		{name: "--dry-run with --verify --local is a plan", args: []string{"--dry-run", "--verify", "--local"}, check: func(t *testing.T, o *UpOptions) {
			if !o.DryRun || !o.Cloud.Local {
				t.Errorf("options %+v", o)
			}
		}},
		{name: "--dry-run with a saved plan", args: []string{"plan.json", "--dry-run"}, wantErr: "--dry-run with a saved plan: run `wsdeploy show plan.json` to see it"},
		{name: "--verify with --local", args: []string{"--verify", "--local"}, check: func(t *testing.T, o *UpOptions) {
			if !o.Verify || !o.Cloud.Local {
				t.Errorf("options %+v", o)
			}
		}},
		{name: "two saved plans", args: []string{"a.json", "b.json"}, wantErr: "accepts at most 1 arg"},
		{name: "a flag of plan", args: []string{"--out", "x"}, wantErr: "unknown flag: --out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, _ := cmdtest.Factory(t)
			var got *UpOptions
			err := cmdtest.Execute(NewCmdUp(f, func(o *UpOptions) error { got = o; return nil }), tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || got != nil {
					t.Fatalf("error %v (ran: %v), want %q before running", err, got != nil, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, got)
		})
	}
}

// upRun applies through the engine the Factory wires, prints the plan and
// the deployment, and a second run changes nothing.
func TestUpRun(t *testing.T) {
	t.Parallel()
	f, ios := cmdtest.Factory(t)
	fc := cmdtest.FakeCloud(t, f)
	cmdtest.WriteFile(t, f, "wsdeploy.yaml", string(config.Example()))
	engines := 0
	wire := f.Engine
	f.Engine = func(c *cmdutil.Clients, s *config.Stack, events func(apply.Event), interrupt <-chan struct{}) *apply.Engine {
		engines++
		return wire(c, s, events, interrupt)
	}
	opts := &UpOptions{IO: f.IOStreams, Factory: f}
	opts.Stack.ConfigPath, opts.Cloud.Endpoint, opts.Cloud.Timeout, opts.Output = "wsdeploy.yaml", fc.URL(), time.Minute, "text"
	if err := upRun(context.Background(), opts); err != nil {
		t.Fatalf("up: %v\n%s", err, ios.Err)
	}
	if engines != 1 || len(cmdtest.Writes(fc)) == 0 {
		t.Fatalf("%d engines, writes %v", engines, cmdtest.Writes(fc))
	}
	for _, want := range []string{"Plan: 5 to create", `Stack "demo" is up on ALB alb-fake01`, "Endpoints:\n  ws://"} {
		if !strings.Contains(ios.Out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, ios.Out)
		}
	}
	if !strings.Contains(ios.Err.String(), "Apply complete: 5 created, 0 updated, 0 deleted.") {
		t.Errorf("stderr:\n%s", ios.Err)
	}

	fc.ResetCalls()
	ios.Out.Reset()
	if err := upRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if w := cmdtest.Writes(fc); len(w) != 0 || engines != 1 || !strings.Contains(ios.Out.String(), "No changes.") {
		t.Fatalf("converged up: writes %v, %d engines\n%s", w, engines, ios.Out)
	}
}

// A plan that deletes what carries traffic needs --yes without a
// terminal, and asks on one: nothing is written until "yes".
func TestUpRunConfirmsDeletions(t *testing.T) {
	t.Parallel()
	f, ios := cmdtest.Factory(t)
	fc := cmdtest.FakeCloud(t, f)
	cmdtest.WriteFile(t, f, "wsdeploy.yaml", cmdtest.StackYAML)
	opts := &UpOptions{IO: f.IOStreams, Factory: f}
	opts.Stack.ConfigPath, opts.Cloud.Endpoint, opts.Cloud.Timeout, opts.Output = "wsdeploy.yaml", fc.URL(), time.Minute, "text"
	if err := upRun(context.Background(), opts); err != nil {
		t.Fatalf("a plan that only creates needs no --yes: %v", err)
	}
	cmdtest.WriteFile(t, f, "wsdeploy.yaml", strings.Replace(cmdtest.StackYAML, cmdtest.HTTPSListener, "", 1))

	fc.ResetCalls()
	err := upRun(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "This plan deletes what can carry traffic or a name: listener HTTPS:443") ||
		!strings.Contains(err.Error(), "no terminal to ask on") {
		t.Fatalf("without a terminal or --yes: %v", err)
	}
	if w := cmdtest.Writes(fc); len(w) != 0 {
		t.Fatalf("writes without confirmation: %v", w)
	}

	// A terminal that says no.
	opts.IO.InTTY, f.IOStreams.InTTY = true, true
	ios.In.WriteString("no\n")
	err = upRun(context.Background(), opts)
	var ee *cmdutil.ExitCodeError
	if !errors.As(err, &ee) || !strings.Contains(err.Error(), "cancelled: nothing was changed") || len(cmdtest.Writes(fc)) != 0 {
		t.Fatalf("answered no: %v, writes %v", err, cmdtest.Writes(fc))
	}
	if !strings.Contains(ios.Err.String(), "Type 'yes' to continue:") {
		t.Errorf("no prompt on stderr:\n%s", ios.Err)
	}

	// --yes.
	opts.Yes = true
	if err := upRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if w := strings.Join(cmdtest.Writes(fc), ","); w != "alb DeleteListener" {
		t.Fatalf("writes %s, want the listener's deletion", w)
	}
}
