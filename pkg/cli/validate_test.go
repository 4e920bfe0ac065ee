package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// validate checks a file offline: it makes no API call, and it builds no
// client (a broken endpoint and no credentials do not matter to it).
func TestValidate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "")
	e.setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "")
	e.setenv("WSDEPLOY_ENDPOINT", "not a url")
	e.setenv("HOME", t.TempDir())
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "configs", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name    string
		file    string // testdata/configs file, or "" for the example stack
		args    []string
		code    int
		stdout  string // exact text output, when set
		problem int    // problems in the JSON report
		golden  string // golden of the JSON report (testdata/validate/...)
	}{
		{name: "valid", code: 0, stdout: "wsdeploy.yaml is valid\n"},
		{name: "valid with --lb clb", file: "valid-clb.yaml", args: []string{"--lb", "clb"}, code: 0, stdout: "wsdeploy.yaml is valid\n"},
		{name: "valid file, invalid with --lb clb", args: []string{"--lb", "clb"}, code: 1, problem: 1},
		{name: "every problem", file: "invalid-many-problems.yaml", code: 1, problem: 16, golden: "many-problems"},
		{name: "syntax error", file: "invalid-syntax-tabs.yaml", code: 1, problem: 1, golden: "syntax-tabs"},
		{name: "unknown fields", file: "invalid-unknown-key.yaml", code: 1, problem: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := stackYAML
			if tt.file != "" {
				content = read(tt.file)
			}
			e.write(content)
			for _, json := range []bool{false, true} {
				args := append([]string{"validate", "-f", e.cfg}, tt.args...)
				if json {
					args = append(args, "-o", "json")
				}
				r := e.runRaw(args...)
				// The goldens name the file as the user would.
				r.stdout = strings.ReplaceAll(r.stdout, e.cfg, "wsdeploy.yaml")
				r.stderr = strings.ReplaceAll(r.stderr, e.cfg, "wsdeploy.yaml")
				if len(r.calls) != 0 {
					t.Fatalf("%v made %d API calls", args, len(r.calls))
				}
				if r.code != tt.code {
					t.Fatalf("%v: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", args, r.code, tt.code, r.stdout, r.stderr)
				}
				if json {
					checkValidateJSON(t, r, tt.code == 0, tt.problem, tt.golden)
					continue
				}
				if tt.stdout != "" && r.stdout != tt.stdout {
					t.Errorf("stdout %q, want %q", r.stdout, tt.stdout)
				}
				if tt.code != 0 {
					if r.stdout != "" {
						t.Errorf("an invalid file printed on stdout:\n%s", r.stdout)
					}
					if !strings.HasPrefix(r.stderr, "Error: wsdeploy.yaml") {
						t.Errorf("stderr:\n%s", r.stderr)
					}
				}
				if tt.golden != "" {
					goldenAt(t, filepath.Join("validate", tt.golden+".txt"), r.stderr)
				}
			}
		})
	}

	// A missing file is an error, not a verdict.
	r := e.runRaw("validate", "-f", filepath.Join(t.TempDir(), "missing.yaml"), "-o", "json")
	if r.code != 1 || r.stdout != "" || len(eventsNamed(jsonLines(t, r.stderr), "error")) != 1 {
		t.Fatalf("missing file: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	// validate has no cloud flags.
	if r := e.runRaw("validate", "-f", e.cfg, "--local"); r.code != 1 || !strings.Contains(r.stderr, "unknown flag: --local") {
		t.Fatalf("validate --local: exit %d\n%s", r.code, r.stderr)
	}
}

func checkValidateJSON(t *testing.T, r result, valid bool, problems int, golden string) {
	t.Helper()
	if r.stderr != "" {
		t.Errorf("validate -o json wrote on stderr:\n%s", r.stderr)
	}
	var rep struct {
		File     string `json:"file"`
		Valid    bool   `json:"valid"`
		Problems []struct {
			Line    int    `json:"line"`
			Path    string `json:"path"`
			Message string `json:"message"`
		} `json:"problems"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("validate -o json: %v\n%s", err, r.stdout)
	}
	if rep.File != "wsdeploy.yaml" || rep.Valid != valid || len(rep.Problems) != problems {
		t.Fatalf("report: file %q valid %v, %d problems; want valid %v, %d problems\n%s", rep.File, rep.Valid, len(rep.Problems), valid, problems, r.stdout)
	}
	for _, p := range rep.Problems {
		if p.Message == "" || (p.Path == "" && p.Line == 0) {
			t.Errorf("problem without a message or a place: %+v", p)
		}
	}
	if golden != "" {
		goldenAt(t, filepath.Join("validate", golden+".json"), r.stdout)
	}
}
