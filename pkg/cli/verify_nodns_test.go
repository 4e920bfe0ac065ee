package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// TestVerifyWithoutDNS: a stack without dns: is verified through its load
// balancer's own address (the ALB's DNS name, read through the API), and
// the report says so in place of the dns check; against a fake with a data
// plane, every check passes with no --target.
func TestVerifyWithoutDNS(t *testing.T) {
	t.Parallel()
	fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 30 * time.Millisecond, DataPlane: true})
	chatBackends(t, fc.Server, 10*time.Second)
	dir := t.TempDir()
	sb := &sandbox{workDir: dir}
	sb.fakeCredentials()
	stack := strings.NewReplacer("# interval: 2 ", "interval: 1   ", "# healthyThreshold: 3", "healthyThreshold: 2  ").Replace(string(config.Example()))
	stack = regexp.MustCompile(`(?m)^dns:\n(  .*\n)+`).ReplaceAllString(stack, "")
	if strings.Contains(stack, "dns:") {
		t.Fatal("the example still has a dns: block")
	}
	if err := os.WriteFile(filepath.Join(dir, "wsdeploy.yaml"), []byte(stack), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := runWsdeploy(t, sb, "up", "--endpoint", fc.URL(), "--yes", "--wait-healthy"); code != 0 {
		t.Fatalf("up: exit %d\n%s%s", code, out, errs)
	}
	fc.ResetCalls()
	out, errs, code := runWsdeploy(t, sb, "verify", "--endpoint", fc.URL(), "--messages", "3")
	if code != 0 || strings.Count(out, "✔ fan-out") != 2 || !strings.Contains(out, "0 failed") {
		t.Fatalf("verify --endpoint of a stack without dns: exit %d\n%s%s", code, out, errs)
	}
	lbName := "alb-fake01.cn-hangzhou.alb.aliyuncs.com"
	for _, w := range []string{"ws://" + lbName + ":5000/ws", "wss://" + lbName + "/ws", "the stack has no dns: section: verify connects to the load balancer's own address, " + lbName} {
		if !strings.Contains(out, w) {
			t.Errorf("verify's report lacks %q:\n%s", w, out)
		}
	}
	for _, c := range fc.Calls() {
		if c.Write {
			t.Errorf("verify wrote: %s %s", c.Product, c.Action)
		}
	}
}
