package planfile

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

func sample() *File {
	s := config.Demo()
	return &File{
		Kind: Kind, FormatVersion: FormatVersion, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), WsdeployVersion: "1.2.3",
		Target: Target{Kind: Endpoint, Endpoint: "http://127.0.0.1:18080"}, Account: "1234567890123456",
		Source: Source{Path: "wsdeploy.yaml", SHA256: Digest([]byte("stack: demo\n")), LB: "alb"},
		Stack:  s,
		Plan: &plan.Plan{
			FormatVersion: plan.FormatVersion, Mode: "up", Stack: "demo", Region: "cn-hangzhou", Observed: "e3b0c44298fc1c14", Epoch: "0",
			LB: resource.LoadBalancer{Type: "alb", ID: "alb-fake01", DNSName: "alb-fake01.example", VpcID: "vpc-fake01", Status: "Active",
				Tags: map[string]string{"wsdeploy-epoch-demo": "0"}},
			Actions: []plan.Action{
				{ID: plan.Addr{Op: plan.Create, Kind: plan.KindServerGroup, Key: "wsdeploy-demo"}, Op: plan.Create, Kind: plan.KindServerGroup, Name: "wsdeploy-demo", Reason: "missing",
					ServerGroup: &plan.ServerGroupStep{Spec: resource.ServerGroup{Name: "wsdeploy-demo", Tags: map[string]string{"wsdeploy-stack": "demo"}}}},
				{ID: plan.Addr{Op: plan.Update, Kind: plan.KindListener, Key: "HTTP:5000"}, Op: plan.Update, Kind: plan.KindListener, Name: "HTTP:5000 (lsn-1)", Reason: "drifted",
					Changes:   []plan.Change{{Field: "idleTimeout", Old: "15", New: "60"}},
					DependsOn: []plan.Addr{{Op: plan.Create, Kind: plan.KindServerGroup, Key: "wsdeploy-demo"}},
					Listener: &plan.ListenerStep{ID: "lsn-1", Status: "Running", Spec: resource.Listener{Protocol: "HTTP", Port: 5000, IdleTimeout: 60,
						HealthCheck: &resource.HealthCheck{Enabled: true, Codes: []string{"http_2xx"}}}, Group: plan.ServerGroupRef{FromAction: plan.Addr{Op: plan.Create, Kind: plan.KindServerGroup, Key: "wsdeploy-demo"}}}},
			},
			Summary: plan.Summary{Create: 1, Update: 1},
		},
	}
}

// What is written is what is read back, field for field: the engine applies the plan it reads.
func TestWriteReadRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.json")
	in := sample()
	if err := Write(path, in); err != nil {
		t.Fatal(err)
	}
	out, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in.Plan, out.Plan) || in.Target != out.Target || in.Account != out.Account || in.Source != out.Source || !in.CreatedAt.Equal(out.CreatedAt) {
		t.Fatalf("round trip differs:\n%+v\n%+v", in.Plan, out.Plan)
	}
	if !equalJSON(in.Stack, out.Stack) {
		t.Fatal("stack differs after the round trip")
	}
	if d := Diff(in.Plan, out.Plan); d != nil {
		t.Fatalf("Diff of a plan with itself read back: %v", d)
	}
	// Overwriting is atomic and leaves no temporary file.
	if err := Write(path, in); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries after two writes, want 1", len(entries))
	}
}

func TestReadRefuses(t *testing.T) {
	good, err := Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(m map[string]any)) string {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	tests := []struct {
		name, data, want string
		version          bool
	}{
		{"newer file format", edit(func(m map[string]any) { m["formatVersion"] = 2; m["future"] = true }), "saved-plan format 2 (written by wsdeploy 1.2.3) is newer than the saved-plan format 1", true},
		{"newer plan format", edit(func(m map[string]any) { m["plan"].(map[string]any)["formatVersion"] = plan.FormatVersion + 1 }), "plan format 2 (written by wsdeploy 1.2.3) is newer", true},
		{"not a saved plan", `{"stack": "demo"}`, "not a wsdeploy saved plan", false},
		{"not JSON", "stack: demo\n", "not a wsdeploy saved plan", false},
		{"unknown field", edit(func(m map[string]any) { m["approvedBy"] = "x" }), `unknown field "approvedBy"`, false},
		{"a down plan", edit(func(m map[string]any) { m["plan"].(map[string]any)["mode"] = "down" }), `a plan of mode "down"`, false},
		{"no plan", edit(func(m map[string]any) { delete(m, "plan") }), "incomplete", false},
		{"unknown target", edit(func(m map[string]any) { m["target"] = map[string]any{"kind": "aws"} }), `unknown target kind "aws"`, false},
		{"no account", edit(func(m map[string]any) { delete(m, "account") }), "does not record the account", false},
		{"no digest", edit(func(m map[string]any) { delete(m["source"].(map[string]any), "sha256") }), "no SHA-256", false},
		{"trailing data", string(good) + "{}", "extra data", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p.json", []byte(tt.data))
			var re *ReadError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tt.want) || re.Hint() == "" {
				t.Fatalf("Parse: %v, want a ReadError containing %q", err, tt.want)
			}
			var ve *VersionError
			if errors.As(err, &ve) != tt.version {
				t.Errorf("VersionError = %v, want %v", errors.As(err, &ve), tt.version)
			}
		})
	}
	fifo := filepath.Join(t.TempDir(), "dir")
	if err := os.Mkdir(fifo, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(fifo); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Read of a directory: %v", err)
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *plan.Plan)
		want   []string
	}{
		{"same", func(p *plan.Plan) {}, nil},
		{"warnings and status differ only", func(p *plan.Plan) { p.Warnings = []string{"x"}; p.LB.Status = "Configuring"; p.Endpoint = "http://x" }, nil},
		{"observed", func(p *plan.Plan) { p.Observed = "ffff" }, []string{"the resources the stack owns changed (fingerprint e3b0c44298fc1c14 → ffff)"}},
		{"epoch", func(p *plan.Plan) { p.Epoch = "abc" }, []string{"the stack's epoch changed (0 → abc): it was taken down since"}},
		{"lb dns name", func(p *plan.Plan) { p.LB.DNSName = "other" }, []string{"load balancer alb-fake01 DNS name: alb-fake01.example → other"}},
		{"another lb", func(p *plan.Plan) { p.LB.ID = "alb-2" }, []string{"load balancer: ALB alb-fake01 → ALB alb-2"}},
		{"an action's payload", func(p *plan.Plan) { p.Actions[1].Listener.Spec.IdleTimeout = 30 }, []string{
			"~ listener HTTP:5000 (lsn-1): in the saved plan, but would now be different"}},
		{"an action's change", func(p *plan.Plan) { p.Actions[1].Changes[0].Old = "30" }, []string{
			"~ listener HTTP:5000 (lsn-1): in the saved plan, but would now be different (idleTimeout: planned 15 → 60, now 30 → 60)"}},
		{"an action's dependency", func(p *plan.Plan) { p.Actions[1].DependsOn = nil }, []string{
			"~ listener HTTP:5000 (lsn-1): in the saved plan, but would now be different"}},
		{"gone and new", func(p *plan.Plan) {
			p.Actions[0] = plan.Action{ID: plan.Addr{Op: plan.Delete, Kind: plan.KindListener, Key: "HTTP:80"}, Op: plan.Delete, Kind: plan.KindListener, Name: "HTTP:80 (lsn-2)", Reason: "not in wsdeploy.yaml"}
		}, []string{"+ server-group wsdeploy-demo: in the saved plan, no longer needed", "- listener HTTP:80 (lsn-2) (not in wsdeploy.yaml): needed now, not in the saved plan"}},
		{"order", func(p *plan.Plan) { p.Actions[0], p.Actions[1] = p.Actions[1], p.Actions[0] }, []string{"the same actions, in another order"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := sample().Plan
			fresh := sample().Plan
			tt.change(fresh)
			got := Diff(saved, fresh)
			if len(got) != len(tt.want) {
				t.Fatalf("Diff = %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("Diff[%d] = %q, want prefix %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestCommands(t *testing.T) {
	f := sample()
	if got := f.ApplyCommand("my plan.json"); got != "wsdeploy up 'my plan.json' --endpoint http://127.0.0.1:18080" {
		t.Errorf("ApplyCommand = %s", got)
	}
	f.Source = Source{Path: "prod.yaml", SHA256: f.Source.SHA256, Region: "cn-shanghai"}
	f.Target = Target{Kind: Local}
	if got := f.PlanCommand("p.json"); got != "wsdeploy plan -f prod.yaml --region cn-shanghai --local --out p.json" {
		t.Errorf("PlanCommand = %s", got)
	}
	f.Target = Target{Kind: AlibabaCloud}
	f.Source = Source{Path: "wsdeploy.yaml", SHA256: f.Source.SHA256}
	if got := f.ApplyCommand("p.json"); got != "wsdeploy up p.json" {
		t.Errorf("ApplyCommand = %s", got)
	}
	if got := f.PlanCommand("p.json"); got != "wsdeploy plan --out p.json" {
		t.Errorf("PlanCommand = %s", got)
	}
}
