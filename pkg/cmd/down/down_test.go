package down

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cmd/up"
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
)

func TestNewCmdDown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    func(o *DownOptions) bool
		wantErr string
	}{
		{name: "defaults", want: func(o *DownOptions) bool { return !o.Yes && o.Stack.ConfigPath == "wsdeploy.yaml" && !o.Cloud.Local }},
		{name: "flags", args: []string{"--yes", "--local", "--lb", "clb", "-f", "x.yaml"}, want: func(o *DownOptions) bool {
			return o.Yes && o.Cloud.Local && o.Stack.LB == "clb" && o.Stack.ConfigPath == "x.yaml" && o.Stack.ConfigSet
		}},
		{name: "an argument", args: []string{"now"}, wantErr: `unknown command "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, _ := cmdtest.Factory(t)
			var got *DownOptions
			err := cmdtest.Execute(NewCmdDown(f, func(o *DownOptions) error { got = o; return nil }), tt.args...)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case !tt.want(got):
				t.Fatalf("options %+v", got)
			}
		})
	}
}

// downRun removes what the stack owns, after confirmation (--yes here), and
// with -o json prints the plan and what was deleted.
func TestDownRun(t *testing.T) {
	t.Parallel()
	f, ios := cmdtest.Factory(t)
	fc := cmdtest.FakeCloud(t, f)
	cmdtest.WriteFile(t, f, "wsdeploy.yaml", cmdtest.StackYAML)
	opts := &DownOptions{IO: f.IOStreams, Factory: f}
	opts.Stack.ConfigPath, opts.Cloud.Endpoint, opts.Cloud.Timeout, opts.Output = "wsdeploy.yaml", fc.URL(), time.Minute, "json"

	// Nothing deployed: an empty teardown, no writes.
	if err := downRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Stack   string
		Deleted int
		Result  *struct{}
	}
	if err := json.Unmarshal(ios.Out.Bytes(), &out); err != nil || out.Stack != "chat" || out.Deleted != 0 || out.Result != nil || len(cmdtest.Writes(fc)) != 0 {
		t.Fatalf("down of nothing: %+v (%v), writes %v\n%s", out, err, cmdtest.Writes(fc), ios.Out)
	}

	// Deploy it, then down refuses without --yes.
	seedDeployment(t, f, fc.URL())
	fc.ResetCalls()
	if err := downRun(context.Background(), opts); err == nil || !strings.Contains(err.Error(), `This destroys stack "chat"`) || len(cmdtest.Writes(fc)) != 0 {
		t.Fatalf("down without --yes: %v, writes %v", err, cmdtest.Writes(fc))
	}
	opts.Yes = true
	ios.Out.Reset()
	if err := downRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(ios.Out.Bytes(), &out); err != nil || out.Deleted != 4 || out.Result == nil {
		t.Fatalf("down: %+v (%v)\n%s", out, err, ios.Out)
	}
	for _, d := range []string{"alb DeleteListener", "alb DeleteServerGroup", "alidns DeleteDomainRecord"} {
		if !strings.Contains(strings.Join(cmdtest.Writes(fc), ","), d) {
			t.Errorf("writes %v lack %s", cmdtest.Writes(fc), d)
		}
	}
}

// seedDeployment deploys the stack with `wsdeploy up`, run through the Factory.
func seedDeployment(t *testing.T, f *cmdutil.Factory, endpoint string) {
	t.Helper()
	if err := cmdtest.Execute(up.NewCmdUp(f, nil), "--yes", "--endpoint", endpoint); err != nil {
		t.Fatalf("up: %v", err)
	}
}
