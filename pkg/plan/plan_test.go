package plan

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

const lbDNS = "alb-fake01.cn-hangzhou.alb.aliyuncs.com"

func stack() *config.Stack {
	s := config.Demo()
	s.Stack = "chat"
	return s
}

func lb() resource.LoadBalancer {
	return resource.LoadBalancer{Type: "alb", ID: "alb-fake01", DNSName: lbDNS, VpcID: "vpc-fake01", Status: "Active"}
}

func backends(s *config.Stack) []resource.Backend {
	return []resource.Backend{
		{InstanceID: "i-fake01", Port: s.Backends.Port, Weight: 100, Ref: "ECS01"},
		{InstanceID: "i-fake02", Port: s.Backends.Port, Weight: 100, Ref: "i-fake02"},
	}
}

func empty(s *config.Stack) *inventory.Snapshot {
	return &inventory.Snapshot{Stack: s.Stack, LB: lb(), Servers: map[string][]resource.Backend{}, Backends: backends(s)}
}

// converged returns the snapshot of a stack that matches s exactly.
func converged(s *config.Stack) *inventory.Snapshot {
	snap := empty(s)
	g := desiredGroup(s, resource.ProfileOf(snap.LB.Type), snap.LB)
	g.ID = "sgp-1"
	snap.ServerGroups = []resource.ServerGroup{g}
	snap.Servers["sgp-1"] = backends(s)
	for i, l := range s.Listeners {
		snap.Listeners = append(snap.Listeners, resource.Listener{
			ID: fmt.Sprintf("lsn-%d", i), Protocol: l.Protocol, Port: l.Port, IdleTimeout: l.IdleTimeout, RequestTimeout: l.RequestTimeout,
			CertificateID: l.CertificateID, ServerGroupID: "sgp-1", Tags: ownerTags(s.Stack),
		})
	}
	snap.Records = []resource.Record{{ID: "100", Domain: s.DNS.Domain, RR: s.DNS.RR, Type: "CNAME", Value: lbDNS, TTL: s.DNS.TTL, Remark: resource.RecordRemark(s.Stack)}}
	return snap
}

func ids(p *Plan) string {
	var out []string
	for _, a := range p.Actions {
		out = append(out, a.ID.String())
	}
	return strings.Join(out, " ")
}

// joined prints addresses as a plan's JSON lists them, space-separated.
func joined(as []Addr) string {
	var out []string
	for _, a := range as {
		out = append(out, a.String())
	}
	return strings.Join(out, " ")
}

func TestBuild(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(s *config.Stack, snap *inventory.Snapshot)
		fresh   bool // start from an empty cloud instead of a converged one
		want    string
		changes map[string]string // action ID -> "field:old->new" of its first change
		summary Summary
		wantErr string
	}{
		{
			name:    "empty cloud: everything is created, in dependency order",
			fresh:   true,
			want:    "create:server-group/wsdeploy-chat create:servers/wsdeploy-chat create:listener/HTTP:5000 create:listener/HTTPS:443 create:dns-record/chat.example.com",
			summary: Summary{Create: 5},
		},
		{
			name:    "converged: nothing to do",
			want:    "",
			summary: Summary{},
		},
		{
			name: "timeouts, a removed backend and a weight",
			edit: func(s *config.Stack, snap *inventory.Snapshot) {
				s.Listeners[0].IdleTimeout = 30
				snap.Backends = snap.Backends[:1]
				snap.Backends[0].Weight = 50
			},
			want:    "delete:servers/wsdeploy-chat update:servers/wsdeploy-chat update:listener/HTTP:5000",
			changes: map[string]string{"update:listener/HTTP:5000": "idleTimeout:60->30", "update:servers/wsdeploy-chat": "i-fake01:5000 (ECS01) weight:100->50"},
			summary: Summary{Update: 2, Delete: 1},
		},
		{
			name: "changed protocol replaces the listener, delete first",
			edit: func(s *config.Stack, snap *inventory.Snapshot) {
				s.Listeners[0].Protocol = "HTTPS"
				s.Listeners[0].CertificateID = "cert-1"
			},
			want:    "delete:listener/HTTP:5000 create:listener/HTTPS:5000",
			summary: Summary{Create: 1, Delete: 1},
		},
		{
			name: "listener removed from the file is deleted",
			edit: func(s *config.Stack, snap *inventory.Snapshot) {
				s.Listeners = s.Listeners[:1]
			},
			want:    "delete:listener/HTTPS:443",
			summary: Summary{Delete: 1},
		},
		{
			name: "certificate drift on HTTPS",
			edit: func(s *config.Stack, snap *inventory.Snapshot) {
				snap.Listeners[1].CertificateID = "old-cert"
			},
			want:    "update:listener/HTTPS:443",
			changes: map[string]string{"update:listener/HTTPS:443": "certificateId:old-cert->" + config.Demo().Listeners[1].CertificateID},
			summary: Summary{Update: 1},
		},
		{
			name: "health check drift updates the group",
			edit: func(s *config.Stack, snap *inventory.Snapshot) {
				snap.ServerGroups[0].HealthCheck.Path = "/old"
			},
			want:    "update:server-group/wsdeploy-chat",
			changes: map[string]string{"update:server-group/wsdeploy-chat": "healthCheck.path:/old->/healthz"},
			summary: Summary{Update: 1},
		},
		{
			name: "duplicate owned server group is removed after the listeners",
			edit: func(s *config.Stack, snap *inventory.Snapshot) {
				dup := snap.ServerGroups[0]
				dup.ID = "sgp-0"
				snap.ServerGroups = append([]resource.ServerGroup{dup}, snap.ServerGroups...)
			},
			want:    "delete:server-group/sgp-0",
			summary: Summary{Delete: 1},
		},
		{
			name: "DNS value drift is updated in place",
			edit: func(s *config.Stack, snap *inventory.Snapshot) {
				snap.Records[0].Value = "old.example.net"
				snap.Records[0].TTL = 60
			},
			want:    "update:dns-record/chat.example.com",
			changes: map[string]string{"update:dns-record/chat.example.com": "value:old.example.net->" + lbDNS},
			summary: Summary{Update: 1},
		},
		{
			name: "our exact record without a remark (an interrupted run) is adopted",
			edit: func(s *config.Stack, snap *inventory.Snapshot) {
				snap.Records[0].Remark = ""
			},
			want:    "update:dns-record/chat.example.com",
			changes: map[string]string{"update:dns-record/chat.example.com": "remark:->wsdeploy:chat"},
			summary: Summary{Update: 1},
		},
		{
			name: "a record without a remark but another value is not adopted",
			edit: func(s *config.Stack, snap *inventory.Snapshot) {
				snap.Records[0].Remark = ""
				snap.Records[0].Value = "elsewhere.example.net"
			},
			wantErr: "does not own",
		},
		{
			name: "a foreign listener on another port is left alone",
			edit: func(s *config.Stack, snap *inventory.Snapshot) {
				snap.Listeners = append(snap.Listeners, resource.Listener{ID: "lsn-x", Protocol: "HTTP", Port: 8080, Tags: map[string]string{"team": "x"}})
			},
			want: "",
		},
		{
			name: "another stack's resources are not this stack's",
			edit: func(s *config.Stack, snap *inventory.Snapshot) {
				snap.Listeners = append(snap.Listeners, resource.Listener{ID: "lsn-y", Protocol: "HTTP", Port: 9090, Tags: ownerTags("other")})
			},
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := stack()
			var snap *inventory.Snapshot
			if tt.fresh {
				snap = empty(s)
			} else {
				snap = converged(s)
			}
			if tt.edit != nil {
				tt.edit(s, snap)
			}
			p, err := Build(s, snap)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p); got != tt.want {
				t.Fatalf("actions:\n got %s\nwant %s", got, tt.want)
			}
			if p.Summary != tt.summary {
				t.Errorf("summary = %+v, want %+v", p.Summary, tt.summary)
			}
			for id, want := range tt.changes {
				found := false
				for _, a := range p.Actions {
					if a.ID.String() != id {
						continue
					}
					found = true
					c := a.Changes[0]
					if got := c.Field + ":" + c.Old + "->" + c.New; got != want {
						t.Errorf("%s first change = %s, want %s", id, got, want)
					}
				}
				if !found {
					t.Errorf("no action %s, whose first change should be %s", id, want)
				}
			}
			checkOrder(t, p)
		})
	}
}

// checkOrder: every dependency is an earlier action of the plan.
func checkOrder(t *testing.T, p *Plan) {
	t.Helper()
	seen := map[Addr]bool{}
	for _, a := range p.Actions {
		for _, d := range a.DependsOn {
			if !seen[d] {
				t.Errorf("%s depends on %s, which is not before it", a.ID, d)
			}
		}
		if seen[a.ID] {
			t.Errorf("duplicate action ID %s", a.ID)
		}
		seen[a.ID] = true
	}
}

func TestBuildConflicts(t *testing.T) {
	tests := []struct {
		name string
		edit func(snap *inventory.Snapshot)
		want []string
	}{
		{
			name: "unowned listener on a wanted port",
			edit: func(snap *inventory.Snapshot) {
				snap.Listeners[0].Tags = map[string]string{"team": "payments"}
			},
			want: []string{"listeners[0]: port 5000", "owned by another tool or person"},
		},
		{
			name: "another stack's listener on a wanted port",
			edit: func(snap *inventory.Snapshot) {
				snap.Listeners[1].Tags = ownerTags("billing")
			},
			want: []string{"listeners[1]: port 443", `wsdeploy stack "billing"`},
		},
		{
			name: "unowned record at the name",
			edit: func(snap *inventory.Snapshot) {
				snap.Records[0].Remark = "managed by hand"
			},
			want: []string{"dns: chat.example.com already has a CNAME record", "does not own"},
		},
		{
			name: "TTL below the zone's minimum",
			edit: func(snap *inventory.Snapshot) {
				snap.MinTTL = 1000
			},
			want: []string{"dns.ttl: 600 is below the minimum 1000"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := stack()
			snap := converged(s)
			tt.edit(snap)
			_, err := Build(s, snap)
			var ce *ConflictError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a ConflictError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%s", w, err)
				}
			}
		})
	}
}

func TestBuildBatchesServers(t *testing.T) {
	s := stack()
	snap := empty(s)
	snap.Backends = nil
	for i := range 450 {
		snap.Backends = append(snap.Backends, resource.Backend{InstanceID: fmt.Sprintf("i-%04d", i), Port: 5000, Weight: 100})
	}
	p, err := Build(s, snap)
	if err != nil {
		t.Fatal(err)
	}
	a := p.Actions[1]
	if a.ID.String() != "create:servers/wsdeploy-chat" || a.Servers.Calls != 3 || a.Servers.BatchSize != resource.ALBServersPerCall || len(a.Servers.Servers) != 450 {
		t.Fatalf("servers action = %s, %d calls of %d, %d servers", a.ID, a.Servers.Calls, a.Servers.BatchSize, len(a.Servers.Servers))
	}
}

// TestBuildBatchesPerKind: the batch size is the load balancer kind's
// per-call limit (ALB 200, CLB 20).
func TestBuildBatchesPerKind(t *testing.T) {
	for _, tt := range []struct {
		kind         string
		batch, calls int
	}{{"alb", 200, 1}, {"clb", 20, 3}} {
		s := stack()
		snap := empty(s)
		snap.LB.Type = tt.kind
		snap.Backends = nil
		for i := range 45 {
			snap.Backends = append(snap.Backends, resource.Backend{InstanceID: fmt.Sprintf("i-%04d", i), Port: 5000, Weight: 100})
		}
		p, err := Build(s, snap)
		if err != nil {
			t.Fatal(err)
		}
		if st := p.Actions[1].Servers; st.BatchSize != tt.batch || st.Calls != tt.calls {
			t.Errorf("%s: batches of %d in %d calls, want %d in %d", tt.kind, st.BatchSize, st.Calls, tt.batch, tt.calls)
		}
	}
}

// TestBuildWarnings: the plan itself says what the user should know before
// applying it.
func TestBuildWarnings(t *testing.T) {
	s := stack()
	snap := converged(s)
	p, err := Build(s, snap)
	if err != nil || len(p.Warnings) != 0 {
		t.Fatalf("converged demo stack: warnings %q, err %v", p.Warnings, err)
	}
	s.Listeners[0].IdleTimeout = 1 // closes idle connections before the app pings
	snap.LB.Status = "Inactive"
	p, err = Build(s, snap)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"listeners[0].idleTimeout 1s", "ALB alb-fake01 is Inactive, not active"}
	if len(p.Warnings) != len(want) {
		t.Fatalf("warnings %q, want %d", p.Warnings, len(want))
	}
	for i, w := range want {
		if !strings.Contains(p.Warnings[i], w) {
			t.Errorf("warning %d = %q, want it to say %q", i, p.Warnings[i], w)
		}
	}
	// A named ALB still Provisioning is not warned of: the plan waits for it first.
	snap.LB.Status = "Provisioning"
	if p, err = Build(s, snap); err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 || len(p.Actions) == 0 || p.Actions[0].LoadBalancer == nil || !p.Actions[0].LoadBalancer.Wait || !p.Actions[0].LoadBalancer.Named {
		t.Fatalf("named Provisioning ALB: warnings %q, actions %+v: want the ping warning alone and a wait first", p.Warnings, p.Actions)
	}
}

func TestTeardown(t *testing.T) {
	s := stack()
	snap := converged(s)
	snap.Listeners = append(snap.Listeners, resource.Listener{ID: "lsn-x", Protocol: "HTTP", Port: 8080, Tags: map[string]string{"team": "x"}})
	snap.Records = append(snap.Records, resource.Record{ID: "200", Domain: "example.com", RR: "chat", Type: "TXT", Value: "foreign"})
	p := Teardown(s, snap)
	want := "update:lb-tag/wsdeploy-epoch-chat delete:dns-record/chat.example.com/100 delete:listener/HTTP:5000 delete:listener/HTTPS:443 delete:server-group/sgp-1"
	if got := ids(p); got != want {
		t.Fatalf("teardown:\n got %s\nwant %s", got, want)
	}
	checkOrder(t, p)
	if g := p.Actions[4]; len(g.DependsOn) != 1 || g.DependsOn[0].String() != "delete:listener/HTTPS:443" {
		t.Errorf("server group delete depends on %v, want the last listener delete", g.DependsOn)
	}
	if l := p.Actions[2]; joined(l.DependsOn) != "update:lb-tag/wsdeploy-epoch-chat delete:dns-record/chat.example.com/100" {
		t.Errorf("first listener delete depends on %v, want the epoch tag and the DNS record first", l.DependsOn)
	}
	if len(p.Actions[1].DependsOn) != 0 {
		t.Errorf("DNS delete should not wait for the ALB lane")
	}
	if tag := p.Actions[0].Tag; tag == nil || tag.Value == "" || tag.Value == p.Epoch {
		t.Errorf("epoch tag step = %+v, want a new epoch", tag)
	}
	again := Teardown(s, snap)
	if again.Actions[0].Tag.Value != p.Actions[0].Tag.Value {
		t.Errorf("two teardowns of one state must agree on the next epoch")
	}
	if got := ids(Teardown(s, empty(s))); got != "" {
		t.Errorf("teardown of nothing = %q", got)
	}
}

// TestTeardownBothKinds: what the stack owns on the other kind of load
// balancer is torn down too, in its own lane, its actions naming it.
func TestTeardownBothKinds(t *testing.T) {
	s := stack()
	snap := converged(s)
	other := &inventory.Snapshot{Stack: s.Stack, LB: resource.LoadBalancer{Type: "clb", ID: "lb-fake01"}, Servers: map[string][]resource.Backend{}}
	other.ServerGroups = []resource.ServerGroup{{ID: "rsp-1", Name: "wsdeploy-chat", Tags: ownerTags(s.Stack)}}
	other.Listeners = []resource.Listener{
		{ID: "lb-fake01_http_5000", Protocol: "HTTP", Port: 5000, Tags: ownerTags(s.Stack)},
		{ID: "lb-fake01_http_8080", Protocol: "HTTP", Port: 8080, Tags: map[string]string{"team": "x"}},
	}
	snap.Other = other
	p := Teardown(s, snap)
	want := "update:lb-tag/wsdeploy-epoch-chat delete:dns-record/chat.example.com/100 delete:listener/HTTP:5000 delete:listener/HTTPS:443 delete:server-group/sgp-1" +
		" delete:listener/HTTP:5000@lb-fake01 delete:server-group/rsp-1@lb-fake01"
	if got := ids(p); got != want {
		t.Fatalf("teardown:\n got %s\nwant %s", got, want)
	}
	checkOrder(t, p)
	byID := map[string]Action{}
	for _, a := range p.Actions {
		byID[a.ID.String()] = a
	}
	l := byID["delete:listener/HTTP:5000@lb-fake01"]
	if l.On == nil || l.On.Type != "clb" || l.On.ID != "lb-fake01" || joined(l.DependsOn) != "delete:dns-record/chat.example.com/100" || !strings.HasSuffix(l.Name, " on CLB lb-fake01") {
		t.Errorf("CLB listener delete: on %+v, depends on %v, name %q", l.On, l.DependsOn, l.Name)
	}
	if g := byID["delete:server-group/rsp-1@lb-fake01"]; g.On == nil || len(g.DependsOn) != 1 || g.DependsOn[0] != l.ID {
		t.Errorf("CLB group delete: on %+v, depends on %v", g.On, g.DependsOn)
	}
	if byID["delete:listener/HTTP:5000"].On != nil {
		t.Errorf("actions on the plan's own load balancer carry no On")
	}
	if len(p.Also) != 1 || p.Also[0].ID != "lb-fake01" || p.Summary.Delete != 6 {
		t.Errorf("also %v, summary %+v", p.Also, p.Summary)
	}
	if p.Observed == Teardown(s, converged(s)).Observed {
		t.Errorf("the fingerprint ignores what the stack owns on the other load balancer")
	}

	// The other way round: the plan is on the CLB (no epoch), the ALB holds the stack (epoch moved there).
	alb := converged(s)
	alb.Records = nil
	clbSnap := &inventory.Snapshot{Stack: s.Stack, LB: resource.LoadBalancer{Type: "clb", ID: "lb-fake01"}, Servers: map[string][]resource.Backend{}, Other: alb}
	p = Teardown(s, clbSnap)
	want = "update:lb-tag/wsdeploy-epoch-chat@alb-fake01 delete:listener/HTTP:5000@alb-fake01 delete:listener/HTTPS:443@alb-fake01 delete:server-group/sgp-1@alb-fake01"
	if got := ids(p); got != want {
		t.Fatalf("teardown from CLB:\n got %s\nwant %s", got, want)
	}
	checkOrder(t, p)
	if tag := p.Actions[0]; tag.On == nil || tag.On.ID != "alb-fake01" || tag.Tag == nil || tag.Tag.Value == "" {
		t.Errorf("epoch tag on the ALB: %+v", tag)
	}

	// A load balancer of the other kind that does not exist: a warning, nothing to do there.
	snap = converged(s)
	snap.Other = &inventory.Snapshot{Stack: s.Stack, LB: resource.LoadBalancer{Type: "clb", ID: "lb-gone"}, NotFound: true}
	p = Teardown(s, snap)
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "CLB lb-gone") || strings.Contains(ids(p), "@") {
		t.Errorf("missing other load balancer: warnings %v, actions %s", p.Warnings, ids(p))
	}
}

// TestBuildRefusesKindSwitch: a stack whose server groups are on the other
// kind of load balancer is not planned here, with or without DNS.
func TestBuildRefusesKindSwitch(t *testing.T) {
	s := stack()
	s.DNS = nil
	snap := empty(s)
	snap.Elsewhere = &inventory.Placement{Kind: "clb", LoadBalancers: []string{"lb-fake01"}, ServerGroups: []string{"rsp-1"}}
	_, err := Build(s, snap)
	var se *SwitchError
	if !errors.As(err, &se) {
		t.Fatalf("Build = %v, want a SwitchError", err)
	}
	for _, want := range []string{`stack "chat" is deployed on CLB lb-fake01`, "vServer group rsp-1", "not on ALB alb-fake01"} {
		if !strings.Contains(se.Error(), want) {
			t.Errorf("error %q lacks %q", se.Error(), want)
		}
	}
	if h := se.Hint(); !strings.Contains(h, "`wsdeploy down --lb clb` first") || !strings.Contains(h, "`wsdeploy up --lb alb`") || strings.Contains(h, "set `") {
		t.Errorf("hint = %q", h)
	}
	// The file does not name that CLB: the hint says to name it.
	s.CLB = nil
	_, err = Build(s, snap)
	if !errors.As(err, &se) || !strings.Contains(se.Hint(), "set `clb: {id: lb-fake01}`") {
		t.Errorf("hint without clb.id = %q", se.Hint())
	}
}

// The plan decides what needs the user's consent; its Summary counts every action once.
func TestNeedsConfirmation(t *testing.T) {
	s := stack()
	down := Teardown(s, converged(s))
	if !down.NeedsConfirmation() || down.Summary.Total() != len(down.Actions) || down.Summary != (Summary{Update: 1, Delete: 4}) {
		t.Fatalf("teardown: confirm %v, summary %+v, %d actions", down.NeedsConfirmation(), down.Summary, len(down.Actions))
	}
	if Teardown(s, empty(s)).NeedsConfirmation() {
		t.Errorf("a teardown of nothing asks for confirmation")
	}

	// Removing a backend is what the user asked for; removing a listener can cut traffic.
	snap := converged(s)
	snap.Servers["sgp-1"] = append(snap.Servers["sgp-1"], resource.Backend{InstanceID: "i-gone", Port: s.Backends.Port, Weight: 100})
	p, err := Build(s, snap)
	if err != nil {
		t.Fatal(err)
	}
	if p.Empty() || p.NeedsConfirmation() || len(p.Destructive()) != 0 {
		t.Fatalf("removing a backend: %s, confirm %v", ids(p), p.NeedsConfirmation())
	}
	s.Listeners = s.Listeners[:1]
	p, err = Build(s, converged(stack()))
	if err != nil {
		t.Fatal(err)
	}
	if d := p.Destructive(); !p.NeedsConfirmation() || len(d) != 1 || d[0].Kind != KindListener || p.Summary.Total() != len(p.Actions) {
		t.Fatalf("removing a listener: destructive %v, summary %+v", d, p.Summary)
	}
}

// TestNamedBusyALBWithNothingToWrite: a converged stack whose named ALB is
// Configuring (a change of its owner's) plans nothing: there is no write
// on it to wait for.
func TestNamedBusyALBWithNothingToWrite(t *testing.T) {
	s := stack()
	snap := converged(s)
	snap.LB.Status = "Configuring"
	p, err := Build(s, snap)
	if err != nil || len(p.Actions) != 0 || len(p.Warnings) != 0 {
		t.Fatalf("converged, ALB Configuring: actions %+v, warnings %q, err %v; want none", p.Actions, p.Warnings, err)
	}
}
