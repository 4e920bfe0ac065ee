package show

import (
	"strings"
	"testing"

	plancmd "github.com/wsdeploy/wsdeploy/pkg/cmd/plan"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
)

func TestNewCmdShow(t *testing.T) {
	t.Parallel()
	f, _ := cmdtest.Factory(t)
	var got *ShowOptions
	if err := cmdtest.Execute(NewCmdShow(f, func(o *ShowOptions) error { got = o; return nil }), "plan.json", "-o", "json"); err != nil {
		t.Fatal(err)
	}
	if got.Path != "plan.json" || got.Output != "json" {
		t.Fatalf("options %+v", got)
	}
	for _, args := range [][]string{{}, {"a.json", "b.json"}} {
		if err := cmdtest.Execute(NewCmdShow(f, nil), args...); err == nil || !strings.Contains(err.Error(), "accepts 1 arg(s)") {
			t.Errorf("show %v: %v", args, err)
		}
	}
	if err := cmdtest.Execute(NewCmdShow(f, nil), "p.json", "--endpoint", "http://x"); err == nil || !strings.Contains(err.Error(), "unknown flag: --endpoint") {
		t.Errorf("show takes no cloud flag: %v", err)
	}
}

// showRun prints a saved plan from the Factory's working directory, with
// no cloud and no credentials.
func TestShowRun(t *testing.T) {
	t.Parallel()
	f, ios := cmdtest.Factory(t)
	fc := cmdtest.FakeCloud(t, f)
	cmdtest.WriteFile(t, f, "wsdeploy.yaml", cmdtest.StackYAML)
	if err := cmdtest.Execute(plancmd.NewCmdPlan(f, nil), "--endpoint", fc.URL(), "--out", "saved.json"); err != nil {
		t.Fatal(err)
	}
	f.Credential = nil // show must not need them
	fc.ResetCalls()
	ios.Out.Reset()
	if err := showRun(&ShowOptions{IO: f.IOStreams, Factory: f, Path: "saved.json", Output: "text"}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Saved plan saved.json\n", "made     2026-11-01T12:00:00Z by wsdeploy test", "apply    wsdeploy up saved.json", "Plan: 5 to create"} {
		if !strings.Contains(ios.Out.String(), want) {
			t.Errorf("show lacks %q:\n%s", want, ios.Out)
		}
	}
	if len(fc.Calls()) != 0 {
		t.Errorf("show called the cloud %d times", len(fc.Calls()))
	}
	err := showRun(&ShowOptions{IO: f.IOStreams, Factory: f, Path: "missing.json", Output: "text"})
	if err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("a missing saved plan: %v", err)
	}
}
