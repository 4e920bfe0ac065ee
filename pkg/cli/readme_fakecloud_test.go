package cli_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cli"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// committedSeed is the seed file the README's fakecloud example uses.
const committedSeed = "testdata/fakecloud/seed.yaml"

// readmeBlock returns the body of the first fenced block of kind lang after
// the first line of README.md that starts with marker.
func readmeBlock(t *testing.T, marker, lang string) string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i := strings.Index(text, "\n"+marker)
	if i < 0 {
		t.Fatalf("README.md has no line starting with %q", marker)
	}
	text = text[i:]
	open := "\n```" + lang + "\n"
	j := strings.Index(text, open)
	if j < 0 {
		t.Fatalf("README.md has no ```%s block after %q", lang, marker)
	}
	body := text[j+len(open):]
	k := strings.Index(body, "\n```")
	if k < 0 {
		t.Fatalf("README.md: unterminated block after %q", marker)
	}
	return body[:k+1]
}

// TestCommittedSeedIsTheDemoWorld: the seed file the README points at exists,
// loads, and is the built-in demo world, and so is the README's seed block.
func TestCommittedSeedIsTheDemoWorld(t *testing.T) {
	t.Parallel()
	file, err := fakecloud.LoadSeed(filepath.Join("../..", committedSeed))
	if err != nil {
		t.Fatalf("load %s: %v", committedSeed, err)
	}
	if demo := fakecloud.DemoSeed(); !reflect.DeepEqual(file, demo) {
		t.Errorf("%s differs from the built-in demo world:\n file %+v\n demo %+v", committedSeed, file, demo)
	}
	shown, err := fakecloud.ParseSeed([]byte(readmeBlock(t, "Seed file:", "yaml")))
	if err != nil {
		t.Fatalf("the README's seed block: %v", err)
	}
	if !reflect.DeepEqual(shown, file) {
		t.Errorf("the README's seed block differs from %s:\n README %+v\n file   %+v", committedSeed, shown, file)
	}
}

// fakecloudProc is `wsdeploy fakecloud` running in the test.
type fakecloudProc struct {
	URL    string // http://127.0.0.1:port
	Banner string // what it printed on stderr before serving
	stop   func()
}

// startFakecloud runs `wsdeploy fakecloud args...` (on a free port) until
// the test ends, and returns its address and its stderr banner.
func startFakecloud(t *testing.T, sb *sandbox, args ...string) *fakecloudProc {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := sb.runCLI(ctx, append(append([]string{"fakecloud"}, args...), "--addr", "127.0.0.1:0"),
			cli.IOStreams{In: strings.NewReader(""), Out: outW, Err: errW}, cli.Build{})
		outW.Close()
		errW.Close()
		done <- code
	}()
	// stderr is read concurrently: a failing run writes its error there
	// before it closes stdout.
	errLines := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(errR)
		for sc.Scan() {
			errLines <- sc.Text()
		}
		close(errLines)
		_, _ = io.Copy(io.Discard, errR)
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if !strings.HasPrefix(line, "fakecloud listening on http://127.0.0.1:") {
		cancel()
		var rest []string
		for l := range errLines {
			rest = append(rest, l)
		}
		t.Fatalf("fakecloud %v: first line %q (%v)\n%s", args, line, err, strings.Join(rest, "\n"))
	}
	go io.Copy(io.Discard, outR)
	// The banner follows the listening line on stderr and ends with the
	// export line (or the run ends).
	var banner strings.Builder
	for l := range errLines {
		banner.WriteString(l + "\n")
		if strings.Contains(l, "export ") {
			break
		}
	}
	go func() {
		for range errLines {
		}
	}()
	p := &fakecloudProc{URL: strings.TrimSpace(strings.TrimPrefix(line, "fakecloud listening on ")), Banner: banner.String()}
	p.stop = func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("fakecloud exit %d", code)
			}
		case <-time.After(10 * time.Second):
			t.Error("fakecloud did not stop")
		}
	}
	t.Cleanup(p.stop)
	return p
}

// exportLine parses the `export K=V ...` line of a banner.
func exportLine(t *testing.T, banner string) map[string]string {
	t.Helper()
	for _, l := range strings.Split(banner, "\n") {
		l = strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(l, "export "); ok {
			env := map[string]string{}
			for _, kv := range strings.Fields(rest) {
				k, v, _ := strings.Cut(kv, "=")
				env[k] = v
			}
			return env
		}
	}
	t.Fatalf("no export line in the banner:\n%s", banner)
	return nil
}

// fakeState reads the world from the fake's control endpoint.
func fakeState(t *testing.T, url string) fakecloud.State {
	t.Helper()
	resp, err := http.Get(url + "/_fake/state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var st fakecloud.State
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func runCLI(t *testing.T, sb *sandbox, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb strings.Builder
	code = sb.runCLI(t.Context(), args, cli.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, cli.Build{Version: "test"})
	return out.String(), errb.String(), code
}

// TestReadmeFakecloudExample runs the README's fakecloud example as written
// (the port made free, the endpoint set to it), in a directory holding only
// the committed seed file at its path in the repository: the seed exists,
// the stack `init` writes plans and deploys against it, and the fake's own
// state shows both of init's servers attached.
func TestReadmeFakecloudExample(t *testing.T) {
	t.Parallel()
	block := readmeBlock(t, "## The fake cloud", "sh")
	seedData, err := os.ReadFile(filepath.Join("../..", committedSeed))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sb := &sandbox{workDir: dir}
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(committedSeed)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, committedSeed), seedData, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"WSDEPLOY_ENDPOINT", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"} {
		sb.setenv(k, "")
	}

	var fake *fakecloudProc
	var ran []string
	for _, line := range strings.Split(block, "\n") {
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case f[0] == "export":
			if fake == nil {
				t.Fatal("the README exports the environment before it starts fakecloud")
			}
			for _, kv := range f[1:] {
				k, v, _ := strings.Cut(kv, "=")
				if k == "WSDEPLOY_ENDPOINT" {
					v = fake.URL // the README's fixed port, made free
				}
				sb.setenv(k, v)
			}
			ran = append(ran, "export")
		case len(f) >= 4 && strings.Join(f[:3], " ") == "go run ./cmd/wsdeploy":
			args := f[3:]
			if args[0] == "fakecloud" {
				for i := 0; i+1 < len(args); i++ {
					if args[i] == "--addr" {
						args = append(args[:i:i], args[i+2:]...)
						break
					}
				}
				fake = startFakecloud(t, sb, args[1:]...)
				ran = append(ran, "fakecloud")
				continue
			}
			out, errOut, code := runCLI(t, sb, args...)
			if code != 0 {
				t.Fatalf("README: wsdeploy %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errOut)
			}
			if args[0] == "plan" && !strings.Contains(out, "Plan: 5 to create") {
				t.Errorf("README: wsdeploy %s:\n%s", strings.Join(args, " "), out)
			}
			ran = append(ran, args[0])
		default:
			t.Fatalf("README's fakecloud example has a line this test does not know how to run: %q", line)
		}
	}
	if got := strings.Join(ran, ","); got != "fakecloud,init,export,plan,up" {
		t.Fatalf("README's fakecloud example ran %s, want fakecloud,init,export,plan,up", got)
	}

	st := fakeState(t, fake.URL)
	var groups []string
	for _, sg := range st.ALB.ServerGroups {
		var ids []string
		for _, sv := range sg.Servers {
			ids = append(ids, sv.ServerID)
		}
		sort.Strings(ids)
		groups = append(groups, sg.Name+":"+strings.Join(ids, "+"))
	}
	if got := strings.Join(groups, ","); got != "wsdeploy-demo:i-fake01+i-fake02" {
		t.Errorf("the fake's server groups after up: %s, want wsdeploy-demo:i-fake01+i-fake02", got)
	}
}

// TestFakecloudBannerKey: for the built-in world the banner's export line is
// complete (the demo key is public) and works as printed; for a seed file it
// names the file instead of printing the secret.
func TestFakecloudBannerKey(t *testing.T) {
	t.Parallel()
	committed := mustRead(t, filepath.Join("../..", committedSeed))
	dir := t.TempDir()
	sb := &sandbox{workDir: dir}
	for _, k := range []string{"WSDEPLOY_ENDPOINT", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"} {
		sb.setenv(k, "")
	}
	if _, errOut, code := runCLI(t, sb, "init"); code != 0 {
		t.Fatalf("init: %s", errOut)
	}

	t.Run("built-in world", func(t *testing.T) {
		fake := startFakecloud(t, sb)
		env := exportLine(t, fake.Banner)
		if env["WSDEPLOY_ENDPOINT"] != fake.URL || env["ALIBABA_CLOUD_ACCESS_KEY_ID"] != "fake-ak" || env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] != "fake-secret" {
			t.Fatalf("banner's export line = %v, want the endpoint and fake-ak / fake-secret:\n%s", env, fake.Banner)
		}
		for k, v := range env {
			sb.setenvT(t, k, v)
		}
		if out, errOut, code := runCLI(t, sb, "plan"); code != 0 || !strings.Contains(out, "Plan: 5 to create") {
			t.Fatalf("plan with the banner's environment: exit %d\n%s\n%s", code, out, errOut)
		}
	})

	t.Run("seed file", func(t *testing.T) {
		const secret = "banner-secret-5c1e"
		seed := filepath.Join(dir, "my-seed.yaml")
		world := strings.Replace(string(committed), "{id: fake-ak, secret: fake-secret}", "{id: my-ak, secret: "+secret+"}", 1)
		if !strings.Contains(world, secret) {
			t.Fatal("the committed seed's key line changed; update this test")
		}
		if err := os.WriteFile(seed, []byte(world), 0o600); err != nil {
			t.Fatal(err)
		}
		fake := startFakecloud(t, sb, "--seed", seed)
		if strings.Contains(fake.Banner, secret) {
			t.Fatalf("the banner prints the seed's secret:\n%s", fake.Banner)
		}
		env := exportLine(t, fake.Banner)
		if env["ALIBABA_CLOUD_ACCESS_KEY_ID"] != "my-ak" || !strings.Contains(fake.Banner, "ALIBABA_CLOUD_ACCESS_KEY_SECRET=<the secret of my-ak in "+seed+">") {
			t.Fatalf("banner:\n%s", fake.Banner)
		}
	})
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
