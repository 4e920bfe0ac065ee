package validate

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
)

func TestNewCmdValidate(t *testing.T) {
	t.Parallel()
	f, _ := cmdtest.Factory(t)
	var got *ValidateOptions
	if err := cmdtest.Execute(NewCmdValidate(f, func(o *ValidateOptions) error { got = o; return nil }), "-f", "p.yaml", "--lb", "clb", "-o", "json"); err != nil {
		t.Fatal(err)
	}
	if got.Stack.ConfigPath != "p.yaml" || got.Stack.LB != "clb" || got.Output != "json" {
		t.Fatalf("options %+v", got)
	}
	if err := cmdtest.Execute(NewCmdValidate(f, nil), "--local"); err == nil || !strings.Contains(err.Error(), "unknown flag: --local") {
		t.Fatalf("validate --local: %v", err)
	}
}

// validateRun reads the file from the Factory's working directory, with no
// credentials and no cloud.
func TestValidateRun(t *testing.T) {
	t.Parallel()
	f, ios := cmdtest.Factory(t)
	f.Credential, f.StartLocal = nil, nil // never used
	cmdtest.WriteFile(t, f, "wsdeploy.yaml", cmdtest.StackYAML)
	opts := &ValidateOptions{IO: f.IOStreams, Factory: f, Output: "text"}
	opts.Stack.ConfigPath = "wsdeploy.yaml"
	if err := validateRun(opts); err != nil || ios.Out.String() != "wsdeploy.yaml is valid\n" {
		t.Fatalf("valid: %v %q", err, ios.Out)
	}

	cmdtest.WriteFile(t, f, "bad.yaml", strings.Replace(cmdtest.StackYAML, "ttl: 600", "ttl: 0", 1))
	opts.Stack.ConfigPath, opts.Output = "bad.yaml", "json"
	ios.Out.Reset()
	err := validateRun(opts)
	var ee *cmdutil.ExitCodeError
	if !errors.As(err, &ee) || ee.Err != nil {
		t.Fatalf("invalid -o json: %v, want exit 1 with the report printed", err)
	}
	var rep struct {
		File     string
		Valid    bool
		Problems []struct{ Path string }
	}
	if err := json.Unmarshal(ios.Out.Bytes(), &rep); err != nil || rep.File != "bad.yaml" || rep.Valid || len(rep.Problems) != 1 || rep.Problems[0].Path != "dns.ttl" {
		t.Fatalf("report %+v (%v)\n%s", rep, err, ios.Out)
	}

	opts.Stack.ConfigPath, opts.Output = "missing.yaml", "text"
	if err := validateRun(opts); err == nil || !strings.HasPrefix(err.Error(), "read missing.yaml: file does not exist") || strings.Contains(err.Error(), f.WorkDir) {
		t.Fatalf("a missing file: %v (named as written, not by where it was looked for)", err)
	}
}
