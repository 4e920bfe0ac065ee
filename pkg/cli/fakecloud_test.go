package cli_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
)

// TestFakecloudCommand starts `wsdeploy fakecloud` as a user would, deploys to
// it through --endpoint, and checks the request log and the state file.
func TestFakecloudCommand(t *testing.T) {
	t.Parallel()
	sb := &sandbox{}
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.yaml")
	if err := os.WriteFile(seed, []byte(`region: cn-hangzhou
accessKeys: [{id: ci-key, secret: ci-secret}]
vpcs: [{id: vpc-fake01}]
instances:
  - {id: i-fake01, name: ECS01, vpcId: vpc-fake01, privateIp: 192.168.0.11}
  - {id: i-fake02, name: ECS02, vpcId: vpc-fake01, privateIp: 192.168.0.12}
albs: [{id: alb-fake01, vpcId: vpc-fake01, dnsName: alb-fake01.cn-hangzhou.alb.aliyuncs.com}]
clbs: [{id: lb-fake01, vpcId: vpc-fake01, address: 203.0.113.10}]
domains: [example.com]
`), 0o644); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "state.json")
	calls := filepath.Join(dir, "calls.jsonl")
	stack := filepath.Join(dir, "wsdeploy.yaml")
	if err := os.WriteFile(stack, []byte(strings.Replace(stackYAML, "    - ECS03\n", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}

	serve := func() (url string, stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		done := make(chan int)
		var errOut strings.Builder
		go func() {
			done <- sb.runCLI(ctx, []string{"fakecloud", "--addr", "127.0.0.1:0", "--seed", seed, "--state", state, "--request-log", calls, "--async-duration", "30ms"},
				cli.IOStreams{In: strings.NewReader(""), Out: pw, Err: &errOut}, cli.Build{})
			pw.Close()
		}()
		line, err := bufio.NewReader(pr).ReadString('\n')
		if err != nil {
			t.Fatalf("fakecloud printed nothing: %v", err)
		}
		if !strings.HasPrefix(line, "fakecloud listening on http://127.0.0.1:") {
			t.Fatalf("first line = %q", line)
		}
		go io.Copy(io.Discard, pr)
		return strings.TrimSpace(strings.TrimPrefix(line, "fakecloud listening on ")), func() {
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("fakecloud exit %d:\n%s", code, errOut.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("fakecloud did not stop")
			}
		}
	}
	wsdeploy := func(url string, args ...string) (string, int) {
		var out, errb strings.Builder
		code := sb.runCLI(context.Background(), append(args, "-f", stack, "--endpoint", url), cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{})
		return out.String() + errb.String(), code
	}

	sb.setenv("WSDEPLOY_ENDPOINT", "")
	sb.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "ci-key")
	sb.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong-secret")
	url, stop := serve()
	if out, code := wsdeploy(url, "plan"); code != 1 || !strings.Contains(out, "SignatureDoesNotMatch") {
		t.Fatalf("plan with a wrong secret: exit %d\n%s", code, out)
	}
	sb.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ci-secret")
	if out, code := wsdeploy(url, "up"); code != 0 {
		t.Fatalf("up: exit %d\n%s", code, out)
	}
	stop()

	// The world survives a restart through --state.
	url, stop = serve()
	defer stop()
	if out, code := wsdeploy(url, "plan"); code != 0 || !strings.Contains(out, "No changes.") {
		t.Fatalf("plan after restart: exit %d\n%s", code, out)
	}

	// The request log has one JSON line per request with the documented fields.
	f, err := os.Open(calls)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var n, rejected int
	var writes []string // the successful ones
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c struct {
			Product, Action, Code string
			Write                 bool
			Status                int
		}
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("request log line %q: %v", sc.Text(), err)
		}
		if c.Product == "" || c.Action == "" || c.Status == 0 {
			t.Fatalf("request log line lacks fields: %s", sc.Text())
		}
		if strings.Contains(sc.Text(), "ci-secret") {
			t.Fatalf("request log holds the secret: %s", sc.Text())
		}
		n++
		if c.Write && c.Status == 200 {
			writes = append(writes, c.Product+" "+c.Action)
		}
		// Each product's own status: Alidns answers 403, the others 400.
		// Which reads of plan's first wave are answered before it stops
		// varies, so any product's rejection counts.
		if c.Code == "SignatureDoesNotMatch" && c.Status == map[bool]int{true: 403, false: 400}[c.Product == "alidns"] {
			rejected++
		}
	}
	// The rejected plan and the plan after the restart wrote nothing: the writes are up's.
	sort.Strings(writes)
	want := "alb AddServersToServerGroup, alb CreateListener, alb CreateListener, alb CreateServerGroup, alidns AddDomainRecord, alidns UpdateDomainRecordRemark"
	if got := strings.Join(writes, ", "); n == 0 || got != want || rejected == 0 {
		t.Fatalf("request log: %d lines, %d signature rejections, writes %s\nwant writes %s", n, rejected, got, want)
	}
}

// TestFakecloudWarnsOffLoopback: listening beyond loopback is said at start.
func TestFakecloudWarnsOffLoopback(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		addr string
		warn bool
	}{{"0.0.0.0:0", true}, {"127.0.0.1:0", false}} {
		t.Run(tt.addr, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			pr, pw := io.Pipe()
			done := make(chan int, 1)
			var errOut strings.Builder
			go func() {
				done <- cli.Run(ctx, []string{"fakecloud", "--addr", tt.addr}, cli.IOStreams{In: strings.NewReader(""), Out: pw, Err: &errOut}, cli.Build{}, os.Getenv)
				pw.Close()
			}()
			if line, err := bufio.NewReader(pr).ReadString('\n'); err != nil || !strings.HasPrefix(line, "fakecloud listening on http://") {
				t.Fatalf("first line %q, %v", line, err)
			}
			go io.Copy(io.Discard, pr)
			cancel()
			if code := <-done; code != 0 {
				t.Fatalf("exit %d:\n%s", code, errOut.String())
			}
			got := strings.Contains(errOut.String(), "Warning: listening on ")
			if got != tt.warn || got && !strings.Contains(errOut.String(), "answer only requests addressed to localhost") {
				t.Fatalf("warning shown: %v, want %v:\n%s", got, tt.warn, errOut.String())
			}
		})
	}
}
