package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInvalidInputMakesNoCalls runs every invalid config of the corpus, and a
// set of bad flag and environment combinations, through the CLI against the
// fake cloud: each must fail with its expected message and make no API call.
func TestInvalidInputMakesNoCalls(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "configs", "invalid-*.yaml"))
	if err != nil || len(files) < 30 {
		t.Fatalf("%d invalid configs (%v), want at least 30", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile(strings.TrimSuffix(f, ".yaml") + ".golden")
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			e.write(string(data))
			for _, args := range [][]string{{"plan"}, {"up", "--yes"}, {"down", "--yes"}, {"status"}, {"validate"}} {
				cmd := args[0]
				var r result
				if cmd == "validate" { // offline: it takes no --endpoint
					r = e.runRaw("validate", "-f", e.cfg)
				} else {
					r = e.run(args...)
				}
				if r.code != 1 {
					t.Fatalf("%s: exit %d, want 1\n%s", cmd, r.code, r.stderr)
				}
				if len(r.calls) != 0 {
					t.Fatalf("%s: %d API calls on an invalid config", cmd, len(r.calls))
				}
				// The message is the config's own, with the file's path as its name.
				first := strings.SplitN(strings.TrimSpace(string(want)), "\n", 2)
				msg := first[len(first)-1]
				if len(first) == 2 {
					msg = strings.SplitN(first[1], "\n", 2)[0]
				} else if i := strings.Index(msg, ": "); i > 0 {
					msg = msg[i+2:]
				}
				if !strings.Contains(r.stderr, strings.TrimSpace(msg)) {
					t.Fatalf("%s: stderr lacks %q:\n%s", cmd, msg, r.stderr)
				}
			}
		})
	}

	e.write(stackYAML)
	cfg := []string{"-f", e.cfg}
	at := []string{"--endpoint", e.fc.URL()}
	flags := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"output format", []string{"plan", "-o", "yaml"}, nil, `-o/--output "yaml": use text or json`},
		{"lb kind", []string{"plan", "--lb", "nlb"}, nil, `lb: "nlb" is not a supported load balancer kind (from --lb); use alb (Application Load Balancer) or clb (Classic Load Balancer)`},
		{"region", []string{"plan", "--region", "Hangzhou!"}, nil, `region: "Hangzhou!" is not a region ID (from --region); use a region ID such as cn-hangzhou`},
		{"region empty-ish", []string{"plan", "--region", "cn_hangzhou"}, nil, `region: "cn_hangzhou" is not a region ID (from --region); use "cn-hangzhou"`},
		{"endpoint scheme", append([]string{"plan", "--endpoint", "ftp://127.0.0.1:1"}, cfg...), nil, "scheme must be http or https"},
		{"endpoint no scheme", append([]string{"plan", "--endpoint", "127.0.0.1:18080"}, cfg...), nil, "want a URL"},
		{"endpoint with path", append([]string{"plan", "--endpoint", "http://127.0.0.1:1/x"}, cfg...), nil, "only scheme, host and port"},
		{"endpoint env", append([]string{"plan"}, cfg...), map[string]string{"WSDEPLOY_ENDPOINT": "not a url"}, "want a URL"},
		{"local with endpoint", []string{"plan", "--local"}, nil, "--local and --endpoint"},
		{"local with endpoint env", append([]string{"plan", "--local"}, cfg...), map[string]string{"WSDEPLOY_ENDPOINT": "http://127.0.0.1:1"}, "--local and --endpoint"},
		{"unknown flag", []string{"plan", "--colour"}, nil, "unknown flag: --colour"},
		{"extra argument", []string{"plan", "extra"}, nil, `unknown command "extra"`},
		{"unknown command", []string{"deploy"}, nil, `unknown command "deploy"`},
		{"missing file", append([]string{"plan", "-f", "/nonexistent/wsdeploy.yaml"}, at...), nil, "no stack file /nonexistent/wsdeploy.yaml"},
		{"bad timeout", []string{"plan", "--timeout", "soon"}, nil, `invalid argument "soon"`},
		{"detailed exitcode on up", []string{"up", "--detailed-exitcode"}, nil, "unknown flag: --detailed-exitcode"},
	}
	for _, tt := range flags {
		t.Run("flags/"+tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				e.setenvT(t, k, v)
			}
			var r result
			if raw := strings.Contains(strings.Join(tt.args, " "), "-f ") || strings.Contains(strings.Join(tt.args, " "), "--endpoint "); raw {
				r = e.runRaw(tt.args...) // the case brings its own -f or --endpoint
			} else {
				r = e.run(tt.args...)
			}
			if r.code != 1 || !strings.Contains(r.stderr, tt.want) || len(r.calls) != 0 {
				t.Fatalf("exit %d, %d calls, stderr:\n%s\nwant %q", r.code, len(r.calls), r.stderr, tt.want)
			}
		})
	}
}
