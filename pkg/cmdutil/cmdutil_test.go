package cmdutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
)

func TestRerun(t *testing.T) {
	t.Parallel()
	args := []string{"up", "my plan.json", "-f", "plan.json", "--timeout", "30m", "--debug", "--yes"}
	if got := Rerun(args); got != "wsdeploy up 'my plan.json' -f plan.json --timeout 30m --yes" {
		t.Errorf("Rerun = %s", got)
	}
	if got := RerunWith(args, "--timeout", "1h"); got != "wsdeploy up 'my plan.json' -f plan.json --timeout 1h --yes" {
		t.Errorf("RerunWith = %s", got)
	}
	if got := RerunWith([]string{"plan", "--timeout=5s"}, "--timeout", "10s"); got != "wsdeploy plan --timeout=10s" {
		t.Errorf("RerunWith = %s", got)
	}
	if got := RerunWith([]string{"plan"}, "--timeout", "30m"); got != "wsdeploy plan --timeout 30m" {
		t.Errorf("RerunWith = %s", got)
	}
	// The saved plan's name is dropped, not -f's value that happens to be the same.
	if got := RerunWithout([]string{"up", "-f", "plan.json", "plan.json", "--yes"}, "plan.json"); got != "wsdeploy up -f plan.json --yes" {
		t.Errorf("RerunWithout = %s", got)
	}
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	o := &CloudOptions{Stack: StackFlags{ConfigPath: "it's.yaml", Region: "cn-shanghai"}, Cloud: CloudFlags{Local: true, Profile: "ci"}}
	if got := CommandLine(o, "down", "--lb", "clb"); got != `wsdeploy down --lb clb -f 'it'\''s.yaml' --local --region cn-shanghai --profile ci` {
		t.Errorf("CommandLine = %s", got)
	}
	o = &CloudOptions{Stack: StackFlags{ConfigPath: DefaultConfigPath}, Cloud: CloudFlags{Endpoint: "http://127.0.0.1:9"}}
	if got := CommandLine(o, "up"); got != "wsdeploy up --endpoint http://127.0.0.1:9" {
		t.Errorf("CommandLine = %s", got)
	}
}

func TestFactoryPath(t *testing.T) {
	t.Parallel()
	f := New(iostreams.IOStreams{}, Build{}, func(string) string { return "" })
	if f.Path("a.yaml") != "a.yaml" {
		t.Error("without a WorkDir a path is as given")
	}
	f.WorkDir = "/work"
	for in, want := range map[string]string{"a.yaml": "/work/a.yaml", "sub/../b.yaml": "/work/b.yaml", "/etc/x.yaml": "/etc/x.yaml", "": ""} {
		if got := f.Path(in); got != want {
			t.Errorf("Path(%q) = %q, want %q", in, got, want)
		}
	}
}

// The stack file is read from the WorkDir, and every message names it as
// the user wrote it.
func TestStackFromWorkDir(t *testing.T) {
	t.Parallel()
	ios, _, _, errOut := iostreams.Test()
	f := New(ios, Build{}, func(k string) string { return map[string]string{"WSDEPLOY_ENDPOINT": "http://x"}[k] })
	f.WorkDir = t.TempDir()
	o := &CloudOptions{Stack: StackFlags{ConfigPath: "wsdeploy.yaml"}, Output: "text"}

	_, err := f.Stack(o)
	var h Hinter
	if err == nil || err.Error() != "no stack file wsdeploy.yaml" || !errors.As(err, &h) || !strings.Contains(h.Hint(), "wsdeploy init") {
		t.Fatalf("no file: %v", err)
	}
	if err := os.WriteFile(filepath.Join(f.WorkDir, "wsdeploy.yaml"), []byte("stack: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Stack(o); err == nil || !strings.HasPrefix(err.Error(), "wsdeploy.yaml:") || strings.Contains(err.Error(), f.WorkDir) {
		t.Fatalf("broken file: %v", err)
	}
	// --local takes the demo stack when there is no file, and --endpoint
	// (here from the Factory's environment) cannot go with it.
	o.Stack.ConfigPath, o.Cloud.Local = "none.yaml", true
	if _, err := f.Stack(o); err == nil || !strings.Contains(err.Error(), "--local and --endpoint (or WSDEPLOY_ENDPOINT)") {
		t.Fatalf("--local with WSDEPLOY_ENDPOINT: %v", err)
	}
	f.Getenv = func(string) string { return "" }
	s, err := f.Stack(o)
	if err != nil || s.Stack != "demo" || !strings.Contains(errOut.String(), "No none.yaml here: using the built-in demo stack") {
		t.Fatalf("demo: %v, %v\n%s", s, err, errOut)
	}
}

func TestConfirm(t *testing.T) {
	t.Parallel()
	ios, in, _, errOut := iostreams.Test()
	f := New(ios, Build{}, func(string) string { return "" })
	if err := f.Confirm("text", true, "This deletes x."); err != nil {
		t.Fatalf("--yes: %v", err)
	}
	err := f.Confirm("text", false, "This deletes x.")
	var h Hinter
	if err == nil || !strings.Contains(err.Error(), "no terminal to ask on") || !errors.As(err, &h) || h.Hint() != "re-run with --yes to confirm" {
		t.Fatalf("no terminal: %v", err)
	}
	f.IOStreams.InTTY = true
	in.WriteString("yes\n")
	if err := f.Confirm("text", false, "This deletes x."); err != nil || !strings.Contains(errOut.String(), "This deletes x. Type 'yes' to continue: ") {
		t.Fatalf("yes: %v\n%s", err, errOut)
	}
	in.WriteString("y\n")
	var ee *ExitCodeError
	if err := f.Confirm("text", false, "This deletes x."); !errors.As(err, &ee) || ee.Code != ExitError {
		t.Fatalf("y is not yes: %v", err)
	}
}

func TestExplainTimeout(t *testing.T) {
	t.Parallel()
	f := New(iostreams.IOStreams{}, Build{}, func(string) string { return "" })
	f.Args = []string{"up", "--timeout", "1s"}
	cause := errors.New("context deadline exceeded")
	if f.ExplainTimeout(cause) != cause {
		t.Fatal("no deadline ran out: the error is as it was")
	}
	ctx, cancel := f.WithTimeout(t.Context(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	err := f.ExplainTimeout(cause)
	var h Hinter
	if !strings.HasPrefix(err.Error(), "--timeout 1ns ran out") || !errors.As(err, &h) || !strings.Contains(h.Hint(), "wsdeploy up --timeout 2ns") {
		t.Fatalf("%v", err)
	}
}

// Credentials are looked for in the Factory's environment, HOME included,
// never in the process's.
func TestCredentialFromFactoryEnvironment(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), []byte(`{"current": "default", "profiles": [
		{"name": "ci", "mode": "AK", "access_key_id": "home-ak", "access_key_secret": "home-secret", "region_id": "cn-hangzhou"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"HOME": home, "ALIBABA_CLOUD_ACCESS_KEY_ID": "env-ak", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "env-secret",
		"ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
	}
	f := New(iostreams.IOStreams{}, Build{}, func(k string) string { return env[k] })
	for profile, want := range map[string]string{"": "env-ak", "ci": "home-ak"} {
		cred, err := f.Credential(profile, "")
		if err != nil {
			t.Fatalf("profile %q: %v", profile, err)
		}
		m, err := cred.GetCredential()
		if err != nil || *m.AccessKeyId != want {
			t.Errorf("profile %q: key %v (%v), want %s", profile, m, err, want)
		}
	}
}
