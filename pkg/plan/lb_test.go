package plan

import (
	"errors"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// createStack is the demo stack with an ALB to create (defaults applied).
func createStack(protect bool) *config.Stack {
	s := stack()
	s.ALB = &config.LBRef{Create: &config.LBCreate{
		VpcID: "vpc-fake01", DeletionProtection: &protect,
		Zones: []config.ZoneMapping{{ZoneID: "cn-hangzhou-h", VSwitchID: "vsw-h"}, {ZoneID: "cn-hangzhou-i", VSwitchID: "vsw-i"}},
	}}
	s.ApplyDefaults()
	return s
}

// createdSnap is a converged snapshot on the ALB the stack created with have.
func createdSnap(s *config.Stack, have resource.LBSpec) *inventory.Snapshot {
	snap := converged(s)
	snap.LB.ID, snap.LB.Name, snap.LB.Spec = "alb-made1", have.Name, &have
	snap.LB.Tags = ownerTags(s.Stack)
	snap.Create = &inventory.CreateState{
		Found: []resource.LoadBalancer{snap.LB}, VPC: &resource.VPC{ID: "vpc-fake01"},
		VSwitches: map[string]resource.VSwitch{
			"vsw-h": {ID: "vsw-h", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-h"},
			"vsw-i": {ID: "vsw-i", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-i"},
			"vsw-j": {ID: "vsw-j", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-j"},
		},
		Zones: []string{"cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"},
	}
	return snap
}

func TestPlanCreatedLB(t *testing.T) {
	s := createStack(true)
	want, _ := DesiredLB(s)

	// Converged: nothing to do, and the epoch names the ALB.
	p, err := Build(s, createdSnap(s, want))
	if err != nil || !p.Empty() || p.Epoch != CreatedEpoch("0", "alb-made1") {
		t.Fatalf("converged: %v, %s, epoch %q", err, ids(p), p.Epoch)
	}

	// An edition upgrade is made in place, protection on or not.
	have := want
	have.Edition = "Basic"
	p, err = Build(s, createdSnap(s, have))
	if err != nil || ids(p) != "update:load-balancer/alb" || p.NeedsConfirmation() || p.Actions[0].LoadBalancer.Current.Edition != "Basic" {
		t.Fatalf("edition upgrade: %v, %s", err, ids(p))
	}

	// A downgrade with deletion protection on: refused, saying how and why.
	have = want
	s.ALB.Create.Edition = "Basic"
	_, err = Build(s, createdSnap(s, have))
	var re *ReplaceError
	if !errors.As(err, &re) || !re.Protected || !strings.Contains(re.Hint(), "deletionProtection: false") || !strings.Contains(re.Error(), "only from Basic") {
		t.Fatalf("replacing a protected ALB: %v", err)
	}

	// Unprotected in the file: a replacement that releases the old one's protection, then deletes it last.
	s = createStack(false)
	want, _ = DesiredLB(s)
	have = want
	have.AddressType, have.DeletionProtection = "Intranet", true
	p, err = Build(s, createdSnap(s, have))
	if err != nil {
		t.Fatal(err)
	}
	got := ids(p)
	for _, w := range []string{"create:load-balancer/alb", "update:load-balancer/alb@alb-made1", "delete:load-balancer/alb@alb-made1"} {
		if !strings.Contains(got, w) {
			t.Errorf("replacement plan %s lacks %s", got, w)
		}
	}
	if last := p.Actions[len(p.Actions)-1]; last.Op != Delete || last.Kind != KindLoadBalancer || !p.NeedsConfirmation() {
		t.Errorf("replacement: last action %s, needs confirmation %v", last.ID, p.NeedsConfirmation())
	}

	// Another VPC: refused.
	have = want
	have.VpcID = "vpc-other"
	if _, err := Build(s, createdSnap(s, have)); !errors.As(err, &re) || re.Field != "vpcId" {
		t.Fatalf("moving VPC: %v", err)
	}
}

func TestAddLBTeardown(t *testing.T) {
	s := createStack(true)
	want, _ := DesiredLB(s)
	snap := createdSnap(s, want)
	p := Teardown(s, snap)
	var pe *ProtectedError
	if err := AddLBTeardown(p, s, snap, false); !errors.As(err, &pe) || !strings.Contains(pe.Hint(), "--keep-lb") {
		t.Fatalf("protected: %v", err)
	}
	if err := AddLBTeardown(p, s, snap, true); err != nil || strings.Contains(ids(p), "load-balancer") {
		t.Fatalf("--keep-lb: %v, %s", err, ids(p))
	}
	want.DeletionProtection = false
	snap = createdSnap(s, want)
	p = Teardown(s, snap)
	if err := AddLBTeardown(p, s, snap, false); err != nil {
		t.Fatal(err)
	}
	last := p.Actions[len(p.Actions)-1]
	if last.Kind != KindLoadBalancer || last.Op != Delete || len(last.DependsOn) != len(p.Actions)-1 || p.Summary.Delete == 0 {
		t.Fatalf("teardown: last %s depends on %v", last.ID, last.DependsOn)
	}
	// A listener someone else added: the ALB is not deleted, nothing is.
	snap.Listeners = append(snap.Listeners, resource.Listener{ID: "lsn-foreign", Protocol: "HTTP", Port: 8080})
	p = Teardown(s, snap)
	var fe *ForeignOnLBError
	if err := AddLBTeardown(p, s, snap, false); !errors.As(err, &fe) || !strings.Contains(err.Error(), "HTTP:8080 (lsn-foreign)") || !strings.Contains(fe.Hint(), "--keep-lb") {
		t.Fatalf("foreign listener: %v", err)
	}
	// A stack naming its ALB by id: never deleted, even with the stack's tag on it.
	s = stack()
	snap = converged(s)
	snap.LB.Tags = ownerTags(s.Stack)
	p = Teardown(s, snap)
	if err := AddLBTeardown(p, s, snap, false); err != nil || strings.Contains(ids(p), "load-balancer") {
		t.Fatalf("id: %v, %s", err, ids(p))
	}
}
