package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
)

// runWsdeploy runs wsdeploy with args in the sandbox sb (nil: an empty one).
func runWsdeploy(t *testing.T, sb *sandbox, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if sb == nil {
		sb = &sandbox{}
	}
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code = sb.runCLI(ctx, args, cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{Version: "test"})
	return out.String(), errb.String(), code
}

func TestVerifyCommand(t *testing.T) {
	t.Parallel()
	sb := &sandbox{workDir: t.TempDir()} // no wsdeploy.yaml here
	backend := chattest.Start(t, chat.Options{Name: "web-a"})
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "hello") }))
	defer plain.Close()
	plainAddr := plain.Listener.Addr().String()

	tests := []struct {
		name           string
		args           []string
		code           int
		stdout, stderr []string
	}{
		{
			name: "a working backend",
			args: []string{"verify", "--target", backend.Addr, "--messages", "3"},
			code: 0,
			stdout: []string{"Verifying ws://" + backend.Addr + "/ws", "✔ upgrade", "✔ clients    2 clients connected: #1 → web-a, #2 → web-a",
				"! fan-out", "✔ latency", "0 failed"},
		},
		{
			name:   "a name with explicit dial addresses",
			args:   []string{"verify", "--target", "ws://chat.invalid:5000", "--dial", backend.Addr, "--messages", "2"},
			code:   1, // chat.invalid does not resolve: the dns check fails, the rest passes
			stdout: []string{"✘ dns", "✔ tcp        connected to " + backend.Addr, "✔ broadcast", "1 failed"},
		},
		{
			name:   "a plain web server",
			args:   []string{"verify", "--target", plainAddr},
			code:   1,
			stdout: []string{"✘ upgrade    GET /ws answered 200 OK, want 101 Switching Protocols", "To fix: a plain web server answered", "– clients"},
		},
		{
			name:   "json",
			args:   []string{"verify", "--target", plainAddr, "-o", "json"},
			code:   1,
			stdout: []string{`"ok": false`, `"check": "upgrade"`, `"status": "fail"`},
		},
		{name: "no port", args: []string{"verify", "--target", "chat.example.com"}, code: 1, stderr: []string{`--target "chat.example.com": use host:port`}},
		{name: "bad scheme", args: []string{"verify", "--target", "http://chat.example.com"}, code: 1, stderr: []string{"use host:port, ws://host:port or wss://host:port"}},
		{name: "bad dial", args: []string{"verify", "--target", backend.Addr, "--dial", "nowhere"}, code: 1, stderr: []string{`--dial "nowhere"`}},
		{name: "one client", args: []string{"verify", "--target", backend.Addr, "--clients", "1"}, code: 1, stderr: []string{"clients 1: use 2-100"}},
		{name: "missing CA file", args: []string{"verify", "--target", "wss://chat.example.com", "--ca", "nope.pem"}, code: 1, stderr: []string{"--ca: open nope.pem"}},
		{name: "no stack file", args: []string{"verify"}, code: 1, stderr: []string{"no stack file wsdeploy.yaml", "To fix:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errOut, code := runWsdeploy(t, sb, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q", want)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q", want)
				}
			}
			if t.Failed() {
				t.Logf("stdout:\n%s\nstderr:\n%s", out, errOut)
			}
		})
	}
}

// TestVerifyReadsTheRecordThroughTheAPI: against a fake cloud the dns check
// reads the record through the API and compares it with the ALB's DNS name.
func TestVerifyReadsTheRecordThroughTheAPI(t *testing.T) {
	t.Parallel()
	fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 30 * time.Millisecond})
	sb := &sandbox{}
	sb.fakeCredentials()
	stack := filepath.Join(t.TempDir(), "wsdeploy.yaml")
	if err := os.WriteFile(stack, []byte(`stack: chat
region: cn-hangzhou
lb: alb
alb: {id: alb-fake01}
backends:
  port: 5000
  servers: [ECS01]
listeners:
  - {protocol: HTTP, port: 5000, idleTimeout: 15}
dns: {domain: example.com, rr: chat}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	backend := chattest.Start(t, chat.Options{Name: "web-a"})
	verifyArgs := []string{"verify", "-f", stack, "--endpoint", fc.URL(), "--dial", backend.Addr, "--messages", "2", "-o", "json"}

	out, errOut, code := runWsdeploy(t, sb, verifyArgs...)
	if code != 1 || !strings.Contains(out, "no record for chat.example.com") {
		t.Fatalf("verify before up: exit %d, want 1 with no record\n%s\n%s", code, out, errOut)
	}
	if _, errOut, code := runWsdeploy(t, sb, "up", "-f", stack, "--endpoint", fc.URL(), "--yes"); code != 0 {
		t.Fatalf("up: exit %d\n%s", code, errOut)
	}
	out, errOut, code = runWsdeploy(t, sb, verifyArgs...)
	if code != 0 {
		t.Fatalf("verify after up: exit %d\n%s\n%s", code, out, errOut)
	}
	var rep struct {
		OK      bool
		Targets []struct {
			URL     string
			Results []struct{ Check, Status, Summary string } `json:"checks"`
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("verify -o json: %v\n%s", err, out)
	}
	if len(rep.Targets) != 1 || rep.Targets[0].URL != "ws://chat.example.com:5000/ws" {
		t.Fatalf("targets %+v, want the stack's one listener", rep.Targets)
	}
	dns := rep.Targets[0].Results[0]
	if dns.Check != "dns" || dns.Status != "pass" || !strings.Contains(dns.Summary, "CNAME alb-fake01") || !strings.Contains(dns.Summary, "(the load balancer)") {
		t.Fatalf("dns check %+v, want the record read through the API, pointing at the ALB", dns)
	}
}
