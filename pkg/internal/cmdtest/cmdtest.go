// Package cmdtest helps the unit tests of pkg/cmd/<verb>: a Factory over
// buffers, with an empty environment, a working directory of the test's own
// and a fixed clock; a fake cloud wired to it; and a way to run one command's
// flag parsing.
package cmdtest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/credentials-go/credentials"
	"github.com/spf13/cobra"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/iostreams"
)

// Now is the time on a test Factory's clock.
func Now() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }

// StackYAML is a stack on the fake cloud's demo world: an ALB (and the
// CLB), two backends, an HTTP and an HTTPS listener, a DNS record.
const StackYAML = `stack: chat
region: cn-hangzhou
lb: alb
alb: {id: alb-fake01}
clb: {id: lb-fake01}
backends:
  port: 5000
  servers: [ECS01, i-fake02]
listeners:
  - {protocol: HTTP, port: 5000, idleTimeout: 60, requestTimeout: 60}
  - {protocol: HTTPS, port: 443, certificateId: "12315790212_166f8204689_1714763408_70998", idleTimeout: 60, requestTimeout: 60}
dns: {domain: example.com, rr: chat, ttl: 600}
`

// HTTPSListener is StackYAML's HTTPS listener line (remove it to make up delete the listener).
const HTTPSListener = "  - {protocol: HTTPS, port: 443, certificateId: \"12315790212_166f8204689_1714763408_70998\", idleTimeout: 60, requestTimeout: 60}\n"

// Streams are what a command read and wrote.
type Streams struct {
	In, Out, Err *bytes.Buffer
}

// Factory is a Factory for one test: streams over buffers (no terminal), an
// empty environment, the working directory a fresh temporary one, the clock
// stopped at Now, and no credentials (FakeCloud gives some).
func Factory(t testing.TB) (*cmdutil.Factory, *Streams) {
	t.Helper()
	ios, in, out, errOut := iostreams.Test()
	f := cmdutil.New(ios.Synchronized(), cmdutil.Build{Version: "test", Commit: "abc123", Date: "2026-11-01"}, func(string) string { return "" })
	f.WorkDir = t.TempDir()
	f.Now = Now
	f.Credential = func(string, string) (credentials.Credential, error) {
		return nil, errors.New("cmdtest: this test gave the Factory no credentials")
	}
	return f, &Streams{In: in, Out: out, Err: errOut}
}

// FakeCloud serves the built-in demo world for the test and gives f its
// access key: a command reaches it with --endpoint (opts.Cloud.Endpoint =
// the server's URL).
func FakeCloud(t testing.TB, f *cmdutil.Factory) *fakecloud.TestServer {
	t.Helper()
	fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 10 * time.Millisecond})
	key := fakecloud.DemoSeed().AccessKeys[0]
	f.Credential = func(string, string) (credentials.Credential, error) {
		return cloud.StaticCredential(key.ID, key.Secret)
	}
	return fc
}

// WriteFile writes content to name in f's working directory.
func WriteFile(t testing.TB, f *cmdutil.Factory, name, content string) {
	t.Helper()
	path := filepath.Join(f.WorkDir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Execute parses args into cmd and runs it (with runF, its options are
// captured instead). Help and usage go nowhere.
func Execute(cmd *cobra.Command, args ...string) error {
	cmd.SetArgs(args)
	cmd.SetIn(strings.NewReader(""))
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	_, err := cmd.ExecuteC()
	return err
}

// Writes are the write calls the fake cloud saw, as "product Action".
func Writes(fc *fakecloud.TestServer) []string {
	var out []string
	for _, c := range fc.Calls() {
		if c.Write {
			out = append(out, c.Product+" "+c.Action)
		}
	}
	return out
}
