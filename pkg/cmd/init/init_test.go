package initcmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cmdtest"
)

func TestNewCmdInit(t *testing.T) {
	t.Parallel()
	f, _ := cmdtest.Factory(t)
	var got *InitOptions
	if err := cmdtest.Execute(NewCmdInit(f, func(o *InitOptions) error { got = o; return nil }), "-f", "staging.yaml", "--force", "--app"); err != nil {
		t.Fatal(err)
	}
	if got.ConfigPath != "staging.yaml" || !got.Force || !got.App {
		t.Fatalf("options %+v", got)
	}
	if err := cmdtest.Execute(NewCmdInit(f, nil), "--lb", "alb"); err == nil || !strings.Contains(err.Error(), "unknown flag: --lb") {
		t.Fatalf("init --lb: %v", err)
	}
}

// initRun writes into the Factory's working directory and names files as
// the user wrote them; it refuses to overwrite without --force.
func TestInitRun(t *testing.T) {
	t.Parallel()
	f, ios := cmdtest.Factory(t)
	opts := &InitOptions{IO: f.IOStreams, Factory: f, ConfigPath: "stacks/dev.yaml"}
	if err := os.Mkdir(filepath.Join(f.WorkDir, "stacks"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := initRun(opts); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(f.WorkDir, "stacks", "dev.yaml"))
	if err != nil || string(data) != string(config.Example()) {
		t.Fatalf("stacks/dev.yaml: %v\n%s", err, data)
	}
	if !strings.HasPrefix(ios.Err.String(), "Wrote stacks/dev.yaml. Next:") {
		t.Errorf("stderr %q", ios.Err)
	}
	if err := initRun(opts); err == nil || err.Error() != "stacks/dev.yaml already exists" {
		t.Fatalf("second init: %v", err)
	}
	opts.App, opts.Force = true, false
	ios.Err.Reset()
	if err := initRun(opts); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(f.WorkDir, "stacks", "setup-redis.sh"))
	if err != nil || fi.Mode().Perm() != 0o700 || !strings.Contains(ios.Err.String(), "Wrote stacks/setup-redis.sh") {
		t.Fatalf("--app: %v, %v\n%s", fi, err, ios.Err)
	}
}
