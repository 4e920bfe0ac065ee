package status

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cmd/up"
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
)

func TestNewCmdStatus(t *testing.T) {
	t.Parallel()
	f, _ := cmdtest.Factory(t)
	var got *StatusOptions
	if err := cmdtest.Execute(NewCmdStatus(f, func(o *StatusOptions) error { got = o; return nil }),
		"--detailed-exitcode", "-o", "json", "--region", "cn-shanghai"); err != nil {
		t.Fatal(err)
	}
	if !got.DetailedExitCode || got.Output != "json" || got.Stack.Region != "cn-shanghai" || !got.Stack.RegionSet || got.Stack.ConfigSet {
		t.Fatalf("options %+v", got)
	}
	if err := cmdtest.Execute(NewCmdStatus(f, nil), "--yes"); err == nil || !strings.Contains(err.Error(), "unknown flag: --yes") {
		t.Fatalf("status --yes: %v", err)
	}
}

// statusRun reads and reports; --detailed-exitcode is 2 while the stack is
// not deployed, 0 once it is, and status itself writes nothing.
func TestStatusRun(t *testing.T) {
	t.Parallel()
	f, ios := cmdtest.Factory(t)
	fc := cmdtest.FakeCloud(t, f)
	cmdtest.WriteFile(t, f, "wsdeploy.yaml", cmdtest.StackYAML)
	opts := &StatusOptions{IO: f.IOStreams, Factory: f, DetailedExitCode: true}
	opts.Stack.ConfigPath, opts.Cloud.Endpoint, opts.Cloud.Timeout, opts.Output = "wsdeploy.yaml", fc.URL(), time.Minute, "text"

	err := statusRun(context.Background(), opts)
	var ee *cmdutil.ExitCodeError
	if !errors.As(err, &ee) || ee.Code != cmdutil.ExitChanges {
		t.Fatalf("status of nothing deployed: %v, want exit 2", err)
	}
	if !strings.Contains(ios.Out.String(), "`wsdeploy up` would make 5 change(s)") || len(cmdtest.Writes(fc)) != 0 {
		t.Fatalf("writes %v\n%s", cmdtest.Writes(fc), ios.Out)
	}

	if err := cmdtest.Execute(up.NewCmdUp(f, nil), "--endpoint", fc.URL()); err != nil {
		t.Fatal(err)
	}
	fc.ResetCalls()
	ios.Out.Reset()
	if err := statusRun(context.Background(), opts); err != nil {
		t.Fatalf("status once deployed: %v\n%s", err, ios.Out)
	}
	for _, want := range []string{"none: the stack matches wsdeploy.yaml", "✔ chat.example.com CNAME"} {
		if !strings.Contains(ios.Out.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, ios.Out)
		}
	}
	if strings.Contains(ios.Out.String(), "\x1b[") {
		t.Errorf("colour on a stdout that is no terminal:\n%q", ios.Out)
	}
	if w := cmdtest.Writes(fc); len(w) != 0 {
		t.Errorf("status wrote: %v", w)
	}
}
