package status

import (
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// TestLBState: the state of the stack's load balancer is decided from the
// inventory's reading, as a plan reads it: the created ones carrying the
// stack's tag (live, failed, being deleted; an interrupted replacement)
// first, then the status of the one found.
func TestLBState(t *testing.T) {
	s := config.Demo()
	s.ALB = &config.LBRef{Create: &config.LBCreate{Name: "demo-alb", AddressType: "Internet", Edition: "Standard", VpcID: "vpc-1",
		Zones: []config.ZoneMapping{{ZoneID: "z-a", VSwitchID: "vsw-a"}, {ZoneID: "z-b", VSwitchID: "vsw-b"}}}}
	want, _ := inventory.DesiredLB(s)
	other := want
	other.AddressType = "Intranet"
	lb := func(id, status string, spec resource.LBSpec) resource.LoadBalancer {
		return resource.LoadBalancer{Type: "alb", ID: id, DNSName: id + ".example", Status: status, Spec: &spec}
	}
	tests := []struct {
		name  string
		snap  func(snap *inventory.Snapshot)
		state string
		check func(t *testing.T, r *Report)
	}{
		{name: "not created", state: StateNotCreated, snap: func(snap *inventory.Snapshot) {
			snap.LB, snap.Create = resource.LoadBalancer{Type: "alb", Name: "demo-alb"}, &inventory.CreateState{}
		}},
		{name: "create failed", state: StateCreateFailed, snap: func(snap *inventory.Snapshot) {
			snap.LB = resource.LoadBalancer{Type: "alb", Name: "demo-alb"}
			snap.Create = &inventory.CreateState{Found: []resource.LoadBalancer{lb("alb-f", resource.LBStatusCreateFailed, want)}}
		}},
		{name: "only one being deleted", state: StateDeleting, snap: func(snap *inventory.Snapshot) {
			snap.LB = resource.LoadBalancer{Type: "alb", Name: "demo-alb"}
			snap.Create = &inventory.CreateState{Found: []resource.LoadBalancer{lb("alb-d", resource.LBStatusDeleting, want)}}
		}, check: func(t *testing.T, r *Report) {
			if len(r.LB.Deleting) != 1 || r.LB.Deleting[0] != "alb-d" {
				t.Errorf("deleting %v", r.LB.Deleting)
			}
		}},
		{name: "active, another being deleted", state: StateActive, snap: func(snap *inventory.Snapshot) {
			snap.LB = lb("alb-1", "Active", want)
			snap.Create = &inventory.CreateState{Found: []resource.LoadBalancer{snap.LB, lb("alb-d", resource.LBStatusDeleting, want)}}
		}, check: func(t *testing.T, r *Report) {
			if len(r.LB.Deleting) != 1 || r.LB.ID != "alb-1" || !r.LB.CreatedByStack {
				t.Errorf("lb %+v", r.LB)
			}
		}},
		{name: "provisioning", state: StateProvisioning, snap: func(snap *inventory.Snapshot) {
			snap.LB = lb("alb-1", "Provisioning", want)
			snap.Create = &inventory.CreateState{Found: []resource.LoadBalancer{snap.LB}}
		}},
		{name: "clb inactive", state: StateInactive, snap: func(snap *inventory.Snapshot) { snap.LB.Status = "inactive" }},
		{name: "configuring", state: StateConfiguring, snap: func(snap *inventory.Snapshot) { snap.LB.Status = "Configuring" }},
		{name: "locked", state: StateLocked, snap: func(snap *inventory.Snapshot) { snap.LB.Status = "locked" }},
		{name: "replacement interrupted", state: StateReplacementInterrupted, snap: func(snap *inventory.Snapshot) {
			cur, old := lb("alb-2", "Active", want), lb("alb-1", "Active", other)
			snap.LB = cur
			snap.Create = &inventory.CreateState{Found: []resource.LoadBalancer{old, cur},
				Replaced: &inventory.ReplacedLB{LB: old, Listeners: []resource.Listener{{ID: "lsn-1"}, {ID: "lsn-2"}}}}
			snap.Records[0].Value = "alb-1.example"
		}, check: func(t *testing.T, r *Report) {
			rp := r.LB.Replacement
			if rp == nil || rp.New.ID != "alb-2" || !rp.New.MatchesFile || rp.Old.ID != "alb-1" || rp.Old.MatchesFile || *rp.Old.Listeners != 2 {
				t.Errorf("replacement %+v", rp)
			}
			if r.DNS.PointsAtLB || !r.DNS.PointsAtOldLB {
				t.Errorf("dns %+v, want on the old one", r.DNS)
			}
			if len(r.Issues()) == 0 {
				t.Error("no issue")
			}
		}},
		{name: "duplicates", state: StateDuplicates, snap: func(snap *inventory.Snapshot) {
			a, b := lb("alb-1", "Active", other), lb("alb-2", "Active", other)
			snap.LB = a
			snap.Create = &inventory.CreateState{Found: []resource.LoadBalancer{a, b}}
		}, check: func(t *testing.T, r *Report) {
			if len(r.LB.Tagged) != 2 || r.LB.Tagged[0].MatchesFile || r.LB.Tagged[1].ID != "alb-2" || r.LB.Replacement != nil {
				t.Errorf("tagged %+v", r.LB.Tagged)
			}
			if r.DNS.PointsAtOldLB {
				t.Errorf("dns %+v", r.DNS)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, snap := snapshot("alb")
			stack := s
			if tt.name == "clb inactive" || tt.name == "configuring" || tt.name == "locked" {
				stack = config.Demo() // named by ID
			}
			tt.snap(snap)
			r := Build(stack, snap, nil, nil, nil, "")
			if r.LB.State != tt.state {
				t.Fatalf("state %q, want %q (lb %+v)", r.LB.State, tt.state, r.LB)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}
