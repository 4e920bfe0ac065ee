package demo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

// TestDemoStackYAML: the stack written for N backends is the built-in demo
// stack with servers ECS01…ECSn, and valid.
func TestDemoStackYAML(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 3, 10} {
		path := filepath.Join(t.TempDir(), "demo-stack.yaml")
		if err := os.WriteFile(path, DemoStackYAML(n), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := config.LoadAndResolveFrom(path, path, config.Overrides{})
		if err != nil {
			t.Fatalf("n=%d: %v\n%s", n, err, DemoStackYAML(n))
		}
		var got []string
		for _, sv := range s.Backends.Servers {
			got = append(got, sv.Instance)
		}
		want := config.Demo()
		if len(got) != n || got[0] != "ECS01" || got[n-1] != "ECS"+map[int]string{1: "01", 3: "03", 10: "10"}[n] ||
			s.Stack != want.Stack || len(s.Listeners) != len(want.Listeners) || s.DNS.FQDN() != want.DNS.FQDN() {
			t.Errorf("n=%d: servers %v, stack %+v", n, got, s)
		}
	}
}

// TestOneDemoPerDirectory: a second demo on the same world is refused
// before it starts anything.
func TestOneDemoPerDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	release, ok, err := lockFile(filepath.Join(dir, "demo.lock"))
	if err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	defer release()
	var log strings.Builder
	err = Run(context.Background(), Options{StatePath: filepath.Join(dir, "local-cloud.json"), Stack: config.Demo(), Backends: 2,
		Log: render.NewLog(&log, render.Text, nil), Out: &log})
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("second demo: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "local-cloud.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the busy demo touched the world: %v", err)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	if got := redact("redis://:s3cret@10.0.0.1:6379/0"); strings.Contains(got, "s3cret") || !strings.Contains(got, "10.0.0.1:6379") {
		t.Errorf("redact = %q", got)
	}
}
