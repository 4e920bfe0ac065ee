package cli_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// TestFakecloudFaultsFlag starts `wsdeploy fakecloud --faults FILE` and reads
// the rules back through the control endpoint.
func TestFakecloudFaultsFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	faults := filepath.Join(dir, "faults.yaml")
	if err := os.WriteFile(faults, []byte(`seed: 11
faults:
  - {name: throttle listeners, product: alb, action: CreateListener, code: Throttling.User, times: 2}
  - {product: clb, action: CreateVServerGroup, commitThenFail: true, probability: 0.3}
`), 0o644); err != nil {
		t.Fatal(err)
	}

	run := func(args ...string) fakecloud.FaultsView {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		var errb strings.Builder
		done := make(chan int, 1)
		go func() {
			done <- cli.Run(ctx, append([]string{"fakecloud", "--addr", "127.0.0.1:0"}, args...),
				cli.IOStreams{In: strings.NewReader(""), Out: pw, Err: &errb}, cli.Build{}, os.Getenv)
			pw.Close()
		}()
		defer func() {
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("fakecloud exit %d: %s", code, errb.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatal("fakecloud did not stop")
			}
		}()
		line, err := bufio.NewReader(pr).ReadString('\n')
		if err != nil {
			t.Fatalf("fakecloud printed nothing: %v", err)
		}
		go io.Copy(io.Discard, pr)
		url := strings.TrimSpace(strings.TrimPrefix(line, "fakecloud listening on "))
		resp, err := http.Get(url + "/_fake/faults")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v fakecloud.FaultsView
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}

	v := run("--faults", faults, "--latency", "1ms")
	if v.Seed != 11 || len(v.Faults) != 2 || v.Faults[0].Rule.Name != "throttle listeners" || v.Faults[0].Rule.Times != 2 ||
		v.Faults[1].Rule.Product != "slb" || !v.Faults[1].Rule.CommitThenFail {
		t.Fatalf("rules served: %+v", v)
	}
	if v := run("--faults", faults, "--fault-seed", "99"); v.Seed != 99 {
		t.Fatalf("--fault-seed did not win over the file: %+v", v)
	}

	// A bad file fails before serving, naming the line.
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("faults:\n  - {product: alb, cod: X}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--faults", bad}, "line 2: field cod not found"},
		{[]string{"--latency", "-1s"}, "must not be negative"},
	} {
		var out, errb strings.Builder
		code := cli.Run(context.Background(), append([]string{"fakecloud", "--addr", "127.0.0.1:0"}, tt.args...),
			cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{}, os.Getenv)
		if code != 1 || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tt.args, code, errb.String(), tt.want)
		}
	}
}
