package cli_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/dnstest"
)

// TestVerifyChecksDNSAgainstTheLoadBalancer: with --dns-server the record is
// resolved through DNS, as on Alibaba Cloud itself, and compared with the
// load balancer read through the API (here the fake's): a CNAME to the ALB's
// DNS name, an A record to the CLB's address. An answer that leads
// elsewhere fails, saying where it leads; when there is nothing to compare
// with, or DNS does not answer, the check is skipped, saying why.
func TestVerifyChecksDNSAgainstTheLoadBalancer(t *testing.T) {
	t.Parallel()
	fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed()})
	sb := &sandbox{}
	sb.fakeCredentials()

	const albName = "alb-fake01.cn-hangzhou.alb.aliyuncs.com" // the demo seed's ALB and CLB
	const clbAddr = "203.0.113.10"
	dns := dnstest.Start(t)
	dns.CNAME(albName, "alb-fake01-zone.alb.example.net")
	dns.A("alb-fake01-zone.alb.example.net", "192.0.2.10", "192.0.2.11")
	dns.A("old-lb.example.net", "198.51.100.7")
	dns.CNAME("alb-right.example.com", albName)
	dns.CNAME("alb-moved.example.com", "old-lb.example.net")
	dns.A("clb-right.example.com", clbAddr)
	dns.A("clb-moved.example.com", "198.51.100.7")

	dir := t.TempDir()
	stack := func(name, lb, id, rr string) string {
		path := filepath.Join(dir, name+".yaml")
		if err := os.WriteFile(path, []byte(fmt.Sprintf(`stack: chat
region: cn-hangzhou
lb: %s
%s: {id: %s}
backends: {servers: [ECS01]}
listeners: [{protocol: HTTP, port: 5000}]
dns: {domain: example.com, rr: %s}
`, lb, lb, id, rr)), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	closed := closedPort(t)

	tests := []struct {
		name    string
		stack   string
		extra   []string
		server  string
		env     func(t *testing.T, sb *sandbox)
		want    string
		summary []string
	}{
		{name: "ALB: CNAME to its DNS name", stack: stack("alb-right", "alb", "alb-fake01", "alb-right"), want: "pass",
			summary: []string{"alb-right.example.com → CNAME ", "192.0.2.10", "(the load balancer"}},
		{name: "ALB: CNAME elsewhere", stack: stack("alb-moved", "alb", "alb-fake01", "alb-moved"), want: "fail",
			summary: []string{"alb-moved.example.com → CNAME old-lb.example.net → 198.51.100.7, want " + albName}},
		{name: "CLB: A record to its address", stack: stack("clb-right", "clb", "lb-fake01", "clb-right"), want: "pass",
			summary: []string{"clb-right.example.com → 203.0.113.10 (the load balancer)"}},
		{name: "CLB: A record to another address", stack: stack("clb-moved", "clb", "lb-fake01", "clb-moved"), want: "fail",
			summary: []string{"clb-moved.example.com → 198.51.100.7, want 203.0.113.10 (the load balancer)"}},
		{name: "a target that is not the stack's record", stack: stack("alb-right", "alb", "alb-fake01", "alb-right"),
			extra: []string{"--target", "alb-moved.example.com:5000"}, want: "skip",
			summary: []string{"not compared with the load balancer: alb-moved.example.com is not the stack's record (alb-right.example.com)"}},
		{name: "a load balancer the API does not know", stack: stack("alb-missing", "alb", "alb-missing01", "alb-right"), want: "skip",
			summary: []string{"not compared with the load balancer: read ALB alb-missing01 for the dns check"}},
		{name: "no credentials", stack: stack("alb-right", "alb", "alb-fake01", "alb-right"), env: func(t *testing.T, sb *sandbox) { noCredentialsEnv(t, sb) }, want: "skip",
			summary: []string{"alb-right.example.com → CNAME ", "not compared with the load balancer: no Alibaba Cloud credentials"}},
		{name: "DNS does not answer", stack: stack("alb-right", "alb", "alb-fake01", "alb-right"), server: dnstest.Unreachable(t), want: "skip",
			summary: []string{"could not ask DNS about alb-right.example.com, so the record is unchecked"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != nil {
				tt.env(t, sb)
			}
			server := tt.server
			if server == "" {
				server = dns.Addr
			}
			args := append([]string{"verify", "-f", tt.stack, "--endpoint", fc.URL(), "--dns-server", server, "--dial", closed, "-o", "json"}, tt.extra...)
			out, errOut, code := runWsdeploy(t, sb, args...)
			if code != 1 { // the tcp check fails: nothing listens at --dial
				t.Errorf("exit %d, want 1", code)
			}
			var rep struct {
				Targets []struct {
					Results []struct{ Check, Status, Summary string } `json:"checks"`
				}
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Targets) != 1 || len(rep.Targets[0].Results) == 0 {
				t.Fatalf("verify -o json: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
			}
			r := rep.Targets[0].Results[0]
			if r.Check != "dns" || r.Status != tt.want {
				t.Errorf("check %s: %s %q, want dns %s", r.Check, r.Status, r.Summary, tt.want)
			}
			for _, s := range tt.summary {
				if !strings.Contains(r.Summary, s) {
					t.Errorf("summary %q lacks %q", r.Summary, s)
				}
			}
		})
	}

	// A bad --dns-server is a usage error, before any check.
	_, errOut, code := runWsdeploy(t, sb, "verify", "-f", stack("alb-right", "alb", "alb-fake01", "alb-right"), "--endpoint", fc.URL(), "--dns-server", "nowhere")
	if code != 1 || !strings.Contains(errOut, `--dns-server: DNS server "nowhere": want an IP address or host:port`) {
		t.Errorf("--dns-server nowhere: exit %d, stderr:\n%s", code, errOut)
	}
}
