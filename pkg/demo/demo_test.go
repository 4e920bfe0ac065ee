package demo

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestWriteSummary: what the demo prints once it is ready (golden files;
// go test ./pkg/demo -update rewrites them).
func TestWriteSummary(t *testing.T) {
	t.Parallel()
	ready := Ready{URL: "http://127.0.0.1:41231/", WS: "ws://127.0.0.1:41231/ws", Endpoint: "http://127.0.0.1:34173",
		HTTPS: "https://127.0.0.1:46433/", CA: "http://127.0.0.1:34173/_fake/ca.pem",
		Backends: []ReadyBackend{{Name: "web-1", InstanceID: "i-fake01", Address: "127.0.0.1:40011", PID: 8836},
			{Name: "web-2", InstanceID: "i-fake02", Address: "127.0.0.1:40012", PID: 8843}},
		Redis: "redis://127.0.0.1:36431/0", RedisKind: RedisServer, LB: "alb", LBID: "alb-fake01", Stack: "demo"}
	for _, tc := range []struct {
		name  string
		ready func(Ready) Ready
		flags []string
	}{
		{name: "alb", ready: func(r Ready) Ready { return r }},
		{name: "clb-3", flags: []string{"-f", ".wsdeploy/demo-stack.yaml", "--lb", "clb"}, ready: func(r Ready) Ready {
			r.LB, r.LBID, r.HTTPS, r.CA, r.RedisKind, r.Redis = "clb", "lb-fake01", "", "", RedisEmbedded, "redis://127.0.0.1:39999/0"
			r.Backends = append(r.Backends, ReadyBackend{Name: "web-3", InstanceID: "i-fake03", Address: "127.0.0.1:40013", PID: 8850})
			return r
		}},
	} {
		var b strings.Builder
		if err := WriteSummary(&b, tc.ready(ready), ".wsdeploy/local-cloud.json", tc.flags); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "summary-"+tc.name+".golden")
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./pkg/demo -update writes it)", err)
		}
		if b.String() != string(want) {
			t.Errorf("%s differs (go test ./pkg/demo -update rewrites it)\n--- got:\n%s\n--- want:\n%s", path, b.String(), want)
		}
	}
}

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
