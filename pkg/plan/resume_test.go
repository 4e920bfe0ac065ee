package plan

import (
	"errors"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// TestResumedReplacement: with the old load balancer of an interrupted
// replacement (inventory.CreateState.Replaced) the plan creates nothing,
// deletes what the stack owns on the old one after the record moved, and
// the old one last, releasing its protection first; it needs confirmation.
func TestResumedReplacement(t *testing.T) {
	s := createStack(false)
	want, _ := DesiredLB(s)
	snap := createdSnap(s, want)
	old := want
	old.AddressType, old.DeletionProtection = "Intranet", true
	oldLB := resource.LoadBalancer{Type: "alb", ID: "alb-old1", Name: want.Name, Spec: &old, Tags: ownerTags(s.Stack)}
	snap.Create.Found = append(snap.Create.Found, oldLB)
	snap.Create.Replaced = &inventory.ReplacedLB{LB: oldLB, Listeners: []resource.Listener{
		{ID: "lsn-old", Protocol: "HTTP", Port: 5000, Tags: ownerTags(s.Stack)},
		{ID: "lsn-theirs", Protocol: "HTTP", Port: 8080},
	}}
	p, err := Build(s, snap)
	if err != nil {
		t.Fatal(err)
	}
	got := ids(p)
	for _, w := range []string{"delete:listener/HTTP:5000@alb-old1", "update:load-balancer/alb@alb-old1", "delete:load-balancer/alb@alb-old1"} {
		if !strings.Contains(got, w) {
			t.Errorf("resumed plan %s lacks %s", got, w)
		}
	}
	if strings.Contains(got, "create:load-balancer") || strings.Contains(got, "8080") {
		t.Errorf("resumed plan %s creates a load balancer or touches a listener it does not own", got)
	}
	if last := p.Actions[len(p.Actions)-1]; last.ID.LB != "alb-old1" || last.Op != Delete || last.Kind != KindLoadBalancer || !p.NeedsConfirmation() {
		t.Errorf("resumed: last action %s, needs confirmation %v", last.ID, p.NeedsConfirmation())
	}
	if p.LB.ID != "alb-made1" || len(p.Warnings) == 0 || !strings.Contains(strings.Join(p.Warnings, "\n"), "interrupted run was replacing ALB alb-old1 by alb-made1") {
		t.Errorf("resumed: on %s, warnings %q", p.LB.ID, p.Warnings)
	}
}

// TestDuplicateLBsConflict: two or more live load balancers carry the tag
// and which to keep is not clear (no Replaced): a ConflictError whose hint
// names what to delete.
func TestDuplicateLBsConflict(t *testing.T) {
	s := createStack(false)
	want, _ := DesiredLB(s)
	other := want
	other.AddressType = "Intranet" // cannot change in place
	lb := func(id string, spec resource.LBSpec) resource.LoadBalancer {
		return resource.LoadBalancer{Type: "alb", ID: id, Name: spec.Name, Spec: &spec, Tags: ownerTags(s.Stack)}
	}
	tests := []struct {
		name     string
		found    []resource.LoadBalancer
		problem  string
		hint     []string
		notInFix string
	}{
		{"both match", []resource.LoadBalancer{lb("alb-a", want), lb("alb-b", want)},
			"alb-a, alb-b all match", []string{"keep one of alb-a, alb-b", "delete the other"}, ""},
		{"neither matches", []resource.LoadBalancer{lb("alb-a", other), lb("alb-b", other)},
			"none matches alb.create", []string{"delete all but one of alb-a, alb-b"}, ""},
		{"three, one matches", []resource.LoadBalancer{lb("alb-a", other), lb("alb-b", want), lb("alb-c", other)},
			"alb-b matches", []string{"keep alb-b", "delete alb-a, alb-c"}, "delete alb-b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := createdSnap(s, want)
			snap.LB = tt.found[0]
			snap.Create.Found = tt.found
			_, err := Build(s, snap)
			var ce *ConflictError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.problem) {
				t.Fatalf("err = %v, want a ConflictError saying %q", err, tt.problem)
			}
			for _, h := range tt.hint {
				if !strings.Contains(ce.Hint(), h) {
					t.Errorf("hint %q lacks %q", ce.Hint(), h)
				}
			}
			if tt.notInFix != "" && strings.Contains(ce.Hint(), tt.notInFix) {
				t.Errorf("hint %q says %q", ce.Hint(), tt.notInFix)
			}
		})
	}
}
