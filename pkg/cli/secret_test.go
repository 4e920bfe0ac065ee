package cli_test

import (
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// TestNoSecretInOutput runs every command with --debug and searches all of
// stdout and stderr for the access key secret, the wrong secret of a failing
// run, and request signatures.
func TestNoSecretInOutput(t *testing.T) {
	t.Parallel()
	const secret = "S3cr3t-Value-DoNotPrint-7f1e"
	const wrong = "Wr0ng-Secret-DoNotPrint-99aa"
	seed := fakecloud.DemoSeed()
	seed.AccessKeys = []fakecloud.Key{{ID: "leak-test-ak", Secret: secret}}
	e := newEnvSeed(t, seed)
	e.write(clbStack("alb"))
	e.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "leak-test-ak")

	var all strings.Builder
	runs := [][]string{
		{"plan", "--debug"}, {"plan", "--debug", "-o", "json"}, {"up", "--debug"}, {"up", "--debug", "-o", "json"},
		{"status", "--debug"}, {"status", "--debug", "-o", "json"},
		{"down", "--debug", "--yes"}, {"down", "--debug", "--yes", "-o", "json"},
		{"plan", "--debug", "--lb", "clb"},
		{"up", "--debug", "--lb", "clb"}, {"down", "--debug", "--yes", "--lb", "clb"},
	}
	for _, args := range runs {
		e.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret)
		r := e.run(args...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
		all.WriteString(r.stdout + r.stderr)
	}
	e.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", wrong)
	r := e.run("up", "--debug")
	if r.code != 1 || !strings.Contains(r.stderr, "SignatureDoesNotMatch") {
		t.Fatalf("wrong secret: exit %d\n%s", r.code, r.stderr)
	}
	all.WriteString(r.stdout + r.stderr)

	out := all.String()
	for _, s := range []string{secret, wrong, "Signature=", "ACS3-HMAC-SHA256 Credential"} {
		if strings.Contains(out, s) {
			t.Errorf("output contains %q", s)
		}
	}
	// --debug did log the calls, with parameters and request IDs.
	for _, s := range []string{"debug: alb GetLoadBalancerAttribute status=200 requestId=", "debug: slb CreateVServerGroup status=200", "params=LoadBalancerId=alb-fake01"} {
		if !strings.Contains(out, s) {
			t.Errorf("debug output lacks %q", s)
		}
	}
}
