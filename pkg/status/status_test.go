package status

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

func TestIssues(t *testing.T) {
	ok := func() *Report {
		return &Report{
			ServerGroup: &ServerGroup{Backends: []Backend{{InstanceID: "i-1", Port: 5000, Health: "healthy"}, {InstanceID: "i-2", Port: 5000, Weight: 0, Health: "unused"}}},
			DNS:         &DNS{FQDN: "chat.example.com", Exists: true, PointsAtLB: true},
			Drift:       Drift{InSync: true},
		}
	}
	tests := []struct {
		name string
		edit func(r *Report)
		want string // joined issues
	}{
		{name: "all well", want: ""},
		{name: "no dns block", edit: func(r *Report) { r.DNS = nil }, want: ""},
		{name: "drift", edit: func(r *Report) { r.Drift = Drift{Summary: plan.Summary{Update: 2}} }, want: "drift: `wsdeploy up` would make 2 change(s)"},
		{name: "cannot plan", edit: func(r *Report) { r.Drift = Drift{Problems: []string{"a", "b"}} }, want: "drift: `wsdeploy up` cannot plan (2 problem(s))"},
		{name: "unhealthy", edit: func(r *Report) { r.ServerGroup.Backends[0].Health = "unhealthy" }, want: "backend i-1:5000 is unhealthy"},
		{name: "initial", edit: func(r *Report) { r.ServerGroup.Backends[0].Health = "initial" }, want: "backend i-1:5000 is initial"},
		{name: "dns elsewhere", edit: func(r *Report) { r.DNS.PointsAtLB = false }, want: "dns: chat.example.com does not point at the load balancer"},
		{name: "dns missing", edit: func(r *Report) { r.DNS.Exists, r.DNS.PointsAtLB = false, false }, want: "dns: no record for chat.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok()
			if tt.edit != nil {
				tt.edit(r)
			}
			if got := strings.Join(r.Issues(), "; "); got != tt.want {
				t.Fatalf("Issues() = %q, want %q", got, tt.want)
			}
		})
	}
}

func snapshot(kind string) (*config.Stack, *inventory.Snapshot) {
	s := config.Demo()
	s.LB = kind
	owner := map[string]string{resource.OwnerTagKey: "demo"}
	snap := &inventory.Snapshot{
		Stack: "demo",
		LB:    resource.LoadBalancer{Type: kind, ID: "lb-x", DNSName: "lb-x.example", Address: "203.0.113.10", Status: "Active"},
		ServerGroups: []resource.ServerGroup{
			{ID: "sgp-dup", Name: "wsdeploy-demo", Tags: owner},
			{ID: "sgp-1", Name: "wsdeploy-demo", Tags: owner},
		},
		Servers: map[string][]resource.Backend{"sgp-1": {
			{InstanceID: "i-3", Port: 5000, Weight: 0},
			{InstanceID: "i-2", Port: 5000, Weight: 100},
			{InstanceID: "i-1", Port: 5000, Weight: 100},
		}},
		Listeners: []resource.Listener{
			{ID: "lsn-80", Protocol: "HTTP", Port: 80, Tags: map[string]string{"team": "web"}, ServerGroupID: "sgp-other"},
			{ID: "lsn-443", Protocol: "HTTPS", Port: 443, Status: "Running", IdleTimeout: 60, RequestTimeout: 60, Tags: owner, ServerGroupID: "sgp-1"},
			{ID: "lsn-5000", Protocol: "HTTP", Port: 5000, Status: "Running", IdleTimeout: 60, RequestTimeout: 60, Tags: owner, ServerGroupID: "sgp-1"},
		},
		Records:  []resource.Record{{ID: "100", Domain: "example.com", RR: "chat", Type: "CNAME", Value: "lb-x.example", TTL: 600, Remark: resource.RecordRemark("demo")}},
		Backends: []resource.Backend{{InstanceID: "i-1", Ref: "ECS01"}, {InstanceID: "i-2", Ref: "i-2"}},
	}
	return s, snap
}

// TestBuild: the report is a pure function of what was read.
func TestBuild(t *testing.T) {
	s, snap := snapshot("alb")
	health := []resource.BackendHealth{
		{InstanceID: "i-2", Port: 5000, Listener: "HTTPS:443", Health: "initial"},
		{InstanceID: "i-2", Port: 5000, Listener: "HTTP:5000", Health: "unhealthy", Reason: "CONNECT_FAILED"},
		{InstanceID: "i-2", Port: 5000, Listener: "HTTPS:443", Health: "unhealthy", Reason: "RESPONSE_MISMATCH"},
	}
	r := Build(s, snap, &plan.Plan{}, nil, health, "http://127.0.0.1:1")
	var ls []string
	for _, l := range r.Listeners {
		ls = append(ls, l.ID)
	}
	if strings.Join(ls, " ") != "lsn-443 lsn-5000" {
		t.Errorf("listeners %v, want the stack's own", ls)
	}
	if r.ServerGroup == nil || r.ServerGroup.ID != "sgp-1" {
		t.Fatalf("server group %+v, want the one the listeners forward to", r.ServerGroup)
	}
	var bs []string
	for _, b := range r.ServerGroup.Backends {
		bs = append(bs, fmt.Sprintf("%s(%s)=%s[%s]", b.InstanceID, b.Name, b.Health, b.Reason))
	}
	// i-2: the worst over the listeners, the first seen of equals; i-3: weight 0.
	want := "i-1(ECS01)=healthy[] i-2()=unhealthy[CONNECT_FAILED on HTTP:5000] i-3()=unused[]"
	if got := strings.Join(bs, " "); got != want {
		t.Errorf("backends\n got %s\nwant %s", got, want)
	}
	if d := r.DNS; d == nil || !d.Exists || !d.PointsAtLB || d.RecordID != "100" {
		t.Errorf("dns %+v", r.DNS)
	}
	if !r.Drift.InSync || r.Endpoint != "http://127.0.0.1:1" || r.LB.Status != "Active" {
		t.Errorf("drift %+v, endpoint %q, lb %+v", r.Drift, r.Endpoint, r.LB)
	}
}

// TestBuildDNS: the record must be the kind's (CNAME to the ALB's name, A to
// the CLB's address) and the stack's own.
func TestBuildDNS(t *testing.T) {
	tests := []struct {
		kind, typ, value, remark string
		exists, points           bool
	}{
		{"alb", "CNAME", "lb-x.example", "wsdeploy:demo", true, true},
		{"clb", "A", "203.0.113.10", "wsdeploy:demo", true, true},
		{"clb", "CNAME", "lb-x.example", "wsdeploy:demo", true, false},
		{"alb", "CNAME", "elsewhere.example", "wsdeploy:demo", true, false},
		{"alb", "CNAME", "lb-x.example", "", false, false},
	}
	for _, tt := range tests {
		s, snap := snapshot(tt.kind)
		snap.Records = []resource.Record{{ID: "7", Domain: "example.com", RR: "chat", Type: tt.typ, Value: tt.value, Remark: tt.remark}}
		d := Build(s, snap, nil, nil, nil, "").DNS
		if d.Exists != tt.exists || d.PointsAtLB != tt.points || d.FQDN != "chat.example.com" {
			t.Errorf("%s %s → %s (remark %q): %+v", tt.kind, tt.typ, tt.value, tt.remark, d)
		}
	}
}

// TestBuildDrift: a plan's actions, or the problems that stopped planning.
func TestBuildDrift(t *testing.T) {
	s, snap := snapshot("alb")
	p := &plan.Plan{Summary: plan.Summary{Update: 1}, Actions: []plan.Action{{Op: plan.Update, Kind: plan.KindListener, Name: "HTTP:5000 (lsn-5000)", Reason: "drifted",
		Changes: []plan.Change{{Field: "idleTimeout", Old: "60", New: "30"}}}}}
	r := Build(s, snap, p, nil, nil, "")
	if r.Drift.InSync || len(r.Drift.Changes) != 1 || r.Drift.Changes[0].Changes[0].New != "30" || r.Drift.Summary.Total() != 1 {
		t.Errorf("drift %+v", r.Drift)
	}
	r = Build(s, snap, nil, errors.New("2 conflict(s):\n  listeners[0]: taken\n  dns: taken\n"), nil, "")
	if fmt.Sprint(r.Drift.Problems) != "[2 conflict(s): listeners[0]: taken dns: taken]" || r.Drift.InSync {
		t.Errorf("problems %q", r.Drift.Problems)
	}
	snap.ServerGroups = nil
	if r := Build(s, snap, nil, nil, nil, ""); r.ServerGroup != nil {
		t.Errorf("no group: %+v", r.ServerGroup)
	}
}
