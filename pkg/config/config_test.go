package config

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite the invalid-*.golden files")

const configDir = "../../testdata/configs"

// resolveFile parses and resolves a corpus file the way the CLI does with wsdeploy.yaml.
func resolveFile(data []byte, o Overrides) (*Stack, error) {
	s, err := Parse("wsdeploy.yaml", data)
	if err != nil {
		return nil, err
	}
	return s, Resolve(s, o)
}

func TestValidConfigs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(configDir, "valid-*.yaml"))
	if err != nil || len(files) < 5 {
		t.Fatalf("want at least 5 valid configs, found %d (%v)", len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := resolveFile(data, Overrides{}); err != nil {
				t.Fatalf("want no error, got:\n%v", err)
			}
		})
	}
}

func TestInvalidConfigs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(configDir, "invalid-*.yaml"))
	if err != nil || len(files) < 25 {
		t.Fatalf("want at least 25 invalid configs, found %d (%v)", len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, err = resolveFile(data, Overrides{})
			if err == nil {
				t.Fatal("want an error, got none")
			}
			var de *DecodeError
			var ve *ValidationError
			if !errors.As(err, &de) && !errors.As(err, &ve) {
				t.Errorf("error is %T, want *DecodeError or *ValidationError", err)
			}
			got := err.Error() + "\n"
			golden := strings.TrimSuffix(f, ".yaml") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/config -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("error mismatch (run with -update to accept)\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestAllProblemsReported checks that one file with many mistakes reports each of them.
func TestAllProblemsReported(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(configDir, "invalid-many-problems.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = resolveFile(data, Overrides{})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want *ValidationError, got %T: %v", err, err)
	}
	var paths []string
	for _, p := range ve.Problems {
		paths = append(paths, p.Path)
	}
	want := []string{
		"stack", "region", "alb.id", "backends.port", "backends.servers[1]", "backends.servers[2].weight",
		"backends.healthCheck.path", "backends.healthCheck.method",
		"listeners[0].protocol", "listeners[0].certificateId", "listeners[0].idleTimeout",
		"listeners[1].port", "listeners[1].certificateId", "listeners[1].requestTimeout",
		"dns.domain", "dns.rr",
	}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("problem paths:\n got %q\nwant %q", paths, want)
	}
	for _, p := range ve.Problems {
		if p.Message == "" || p.Fix == "" {
			t.Errorf("%s: problem without message or fix: %+v", p.Path, p)
		}
	}
}

func TestDecodeErrorPositions(t *testing.T) {
	tests := []struct {
		name, file string
		want       string
	}{
		{"unknown key", "invalid-unknown-key.yaml", `wsdeploy.yaml:15:5: unknown field "idle_timeout" in listeners[0]; allowed: protocol, port, certificateId, idleTimeout, requestTimeout; did you mean "idleTimeout"?`},
		{"wrong type", "invalid-wrong-type-port.yaml", `wsdeploy.yaml:14:11: listeners[0].port: want a whole number, found the string "eighty"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(configDir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse("wsdeploy.yaml", data)
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestResolveOverrides(t *testing.T) {
	minimal, err := os.ReadFile(filepath.Join(configDir, "valid-minimal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		o       Overrides
		wantLB  string
		wantReg string
		wantErr string
	}{
		{name: "none", wantLB: "alb", wantReg: "cn-hangzhou"},
		{name: "region", o: Overrides{Region: "cn-beijing"}, wantLB: "alb", wantReg: "cn-beijing"},
		{name: "lb clb without block", o: Overrides{LB: "clb"},
			wantErr: "wsdeploy.yaml: 1 problem:\n  clb.id: required field is missing: --lb clb was given; " +
				`add "clb: {id: lb-bp1xxxxxxxxxxxxxxxxx}" with the ID of your existing CLB (shown in the CLB console), or a "clb: {create: …}" block to have wsdeploy create one, or use --lb alb with an alb: block`},
		{name: "lb nlb", o: Overrides{LB: "nlb"},
			wantErr: "wsdeploy.yaml: 1 problem:\n  lb: \"nlb\" is not a supported load balancer kind (from --lb); use alb (Application Load Balancer) or clb (Classic Load Balancer)"},
		{name: "bad region flag", o: Overrides{Region: "hangzhou"},
			wantErr: "wsdeploy.yaml: 1 problem:\n  region: \"hangzhou\" is not a region ID (from --region); use a region ID such as cn-hangzhou, cn-shanghai, cn-beijing or ap-southeast-1 (the ID, not a display name like \"China (Hangzhou)\")"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := resolveFile(minimal, tt.o)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Errorf("got error\n%v\nwant\n%s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.LB != tt.wantLB || s.Region != tt.wantReg {
				t.Errorf("lb, region = %q, %q; want %q, %q", s.LB, s.Region, tt.wantLB, tt.wantReg)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(configDir, "valid-minimal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := resolveFile(data, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	want := &Stack{
		Stack: "chat", Region: "cn-hangzhou", LB: "alb",
		ALB: &LBRef{ID: "alb-5qkmmfukpbe6j2ti9y"},
		Backends: Backends{
			Port:    5000,
			Servers: []Server{{Instance: "ECS01"}},
			HealthCheck: HealthCheck{Enabled: ptr(true), Path: "/healthz", Method: "GET", Codes: []string{"http_2xx", "http_3xx"},
				Interval: 2, Timeout: 5, HealthyThreshold: 3, UnhealthyThreshold: 3},
			StickySession: StickySession{Enabled: ptr(true), Type: "Insert", CookieTimeout: 1000},
		},
		Listeners: []Listener{{Protocol: "HTTP", Port: 80, IdleTimeout: 60, RequestTimeout: 60}},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", s, want)
	}
}

func TestServerYAML(t *testing.T) {
	tests := []struct {
		name string
		in   Server
		yaml string
	}{
		{"scalar", Server{Instance: "ECS01"}, "ECS01\n"},
		{"mapping", Server{Instance: "i-fake02", Weight: ptr(50)}, "instance: i-fake02\nweight: 50\n"},
		{"weight zero", Server{Instance: "ECS02", Weight: ptr(0)}, "instance: ECS02\nweight: 0\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := yaml.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.yaml {
				t.Errorf("marshal: got %q, want %q", out, tt.yaml)
			}
			var back Server
			if err := yaml.Unmarshal(out, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, tt.in) {
				t.Errorf("round trip: got %+v, want %+v", back, tt.in)
			}
		})
	}
	// A mapping without weight decodes like the scalar form and is written back as a scalar.
	var s Server
	if err := yaml.Unmarshal([]byte("{instance: ECS01}"), &s); err != nil || !reflect.DeepEqual(s, Server{Instance: "ECS01"}) {
		t.Errorf("mapping without weight: got %+v, %v", s, err)
	}
	if err := yaml.Unmarshal([]byte("[a, b]"), &s); err == nil {
		t.Error("a list as a server: want an error")
	}
}

// TestStackRoundTrip marshals resolved stacks and parses them again.
func TestStackRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(configDir, "valid-*.yaml"))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s, err := resolveFile(data, Overrides{})
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, s)
		})
	}
}

func roundTrip(t *testing.T, s *Stack) {
	t.Helper()
	out, err := yaml.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := resolveFile(out, Overrides{})
	if err != nil {
		t.Fatalf("re-parse of marshalled stack: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(back, s) {
		t.Fatalf("round trip changed the stack:\n got %+v\nwant %+v\n%s", back, s, out)
	}
}

func TestDemoAndExample(t *testing.T) {
	d := Demo()
	if err := d.Validate(); err != nil {
		t.Fatalf("Demo does not validate: %v", err)
	}
	if err := Resolve(Demo(), Overrides{LB: "clb"}); err != nil {
		t.Fatalf("Demo with --lb clb: %v", err)
	}
	ex, err := resolveFile(Example(), Overrides{})
	if err != nil {
		t.Fatalf("Example: %v", err)
	}
	if !reflect.DeepEqual(ex, d) {
		t.Errorf("Example and Demo differ:\nexample %+v\n   demo %+v", ex, d)
	}
	if d.LBID() != "alb-fake01" || d.DNS.FQDN() != "chat.example.com" {
		t.Errorf("demo LBID, FQDN = %q, %q", d.LBID(), d.DNS.FQDN())
	}
	roundTrip(t, d)
}

func TestValidateDirect(t *testing.T) {
	// Validate on a stack built in Go without defaults reports zeros as out of range.
	s := Demo()
	s.Listeners[0].IdleTimeout = 0
	err := s.Validate()
	want := "wsdeploy.yaml: 1 problem:\n  listeners[0].idleTimeout: 0 is out of range: allowed 1–60 seconds (ALB idle timeout); set a value from 1 to 60"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Problems[0].Value != "0" {
		t.Errorf("problem value: %+v", ve)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, make([]byte, MaxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"too big", big, "1 MiB limit"},
		{"missing", filepath.Join(dir, "nope.yaml"), "wsdeploy init"},
		{"directory", dir, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(tt.path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := Load(filepath.Join(configDir, "valid-full.yaml")); err != nil {
		t.Errorf("valid file: %v", err)
	}
	bad := filepath.Join(configDir, "invalid-idle-61.yaml")
	_, err := LoadAndResolve(bad, Overrides{})
	if err == nil || !strings.HasPrefix(err.Error(), bad+": 1 problem:") {
		t.Errorf("LoadAndResolve error should name the file: %v", err)
	}
}

func TestHostileInputs(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"many unknown keys", strings.Repeat("abcdefgh: 1\n", 5000), "too many problems"},
		{"deep nesting", "stack: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000), "stack: want a string, found a list"},
		{"huge string", "stack: " + strings.Repeat("a", 500000), `is too long (500000 characters, at most 32)`},
		{"alias as key", "a: &k stack\n*k : x\n", "field names must be plain words"},
		{"invalid utf-8", "stack: \xff\xfe\n", "invalid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resolveFile([]byte(tt.in), Overrides{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %.300v, want an error containing %q", err, tt.want)
			}
			if len(err.Error()) > 20000 {
				t.Errorf("error is %d bytes long", len(err.Error()))
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(configDir, "*.yaml"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(Example())
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("wsdeploy.yaml", data)
		if err != nil {
			if s != nil || err.Error() == "" {
				t.Fatalf("Parse: stack %v, error %q", s, err)
			}
			return
		}
		if err := Resolve(s, Overrides{}); err != nil {
			if err.Error() == "" {
				t.Fatal("Resolve: empty error")
			}
			return
		}
		roundTrip(t, s)
	})
}

// TestSyntaxErrorPosition: a YAML syntax error names the line and column
// where the file stops being YAML (yaml.v3 alone names the line where the
// enclosing block starts, one too early for parser errors, and no column),
// and says how to fix it.
func TestSyntaxErrorPosition(t *testing.T) {
	for _, tt := range []struct {
		yaml string
		want string
	}{
		{"a: 1\nb: 2\n  c: 3\nd: 4\n", "f.yaml:3:4: invalid YAML: mapping values are not allowed in this context"},
		{"a: 1\nb: c: d\n", "f.yaml:2:5: "},
		{"a: 1\nb:\n  - x\n  y: 2\n", "f.yaml:4:3: invalid YAML: did not find expected '-' indicator"},
		{"a: 1\nb: [x\n  c: 1\nd:\n  - {p: 1}\n", "f.yaml:2:4: invalid YAML: did not find expected ',' or ']' (the [ here is never closed)"},
		{"a: {x: 1\nb: 2\n", "f.yaml:1:4: invalid YAML: did not find expected ',' or '}' (the { here is never closed)"},
		{"a: 1\nb: \"abc\nc: 1\n", "f.yaml:2:4: invalid YAML: found unexpected end of stream (the \" here is never closed)"},
		{"a: 1\nb:\n\tc: 1\n", "f.yaml:3:1: "},
		{"a: 1\nkey: @bad\n", "f.yaml:2:6: invalid YAML: found character that cannot start any token"},
		{"a: [1,\n  2]\nb: 2\n  c: 3\n", "f.yaml:4:4: "}, // a flow spanning lines earlier is no error
	} {
		_, err := Parse("f.yaml", []byte(tt.yaml))
		var de *DecodeError
		if !errors.As(err, &de) || !de.Syntax {
			t.Errorf("%q: err = %v, want a syntax DecodeError", tt.yaml, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q:\n got %s\nwant %s", tt.yaml, err, tt.want)
		}
		is := de.Issues[0]
		if h := de.Hint(); !strings.HasPrefix(h, fmt.Sprintf("fix the YAML at f.yaml line %d, column %d: ", is.Line, is.Column)) {
			t.Errorf("%q: hint %q", tt.yaml, h)
		}
	}
	// Errors that are not syntax have no generic hint: their issues say what to change.
	_, err := Parse("f.yaml", []byte("stack: x\nnope: 1\n"))
	var de *DecodeError
	if !errors.As(err, &de) || de.Syntax || de.Hint() != "" {
		t.Errorf("unknown field: %v (syntax %v)", err, de != nil && de.Syntax)
	}
}
