// The load balancer the file names by ID (alb.id / clb.id): the user's own,
// which wsdeploy never creates, starts, changes or deletes. Before the
// stack's first write on it, it must be able to take one: an ALB that is
// Provisioning or Configuring refuses listener writes (400
// IncorrectStatus.LoadBalancer) until it is Active, so up waits for it; an
// ALB whose creation failed takes nothing (FailedLBError); a CLB its owner
// stopped (inactive) does not serve, and a locked one refuses every write
// (400 ActionNotAllowed): plan refuses both before any write.

package plan

import (
	"fmt"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// namedBusy reports whether the named load balancer lb is busy (ALB
// Provisioning or Configuring): up waits until it is Active.
func namedBusy(lb resource.LoadBalancer) bool {
	return lb.Type == resource.ALB && (lb.Status == "Provisioning" || lb.Status == "Configuring")
}

// planNamed checks the load balancer s names by ID (snap.LB) and returns,
// when it is busy, the step that waits until it is Active (it heads the
// load balancer's lane; Plan drops it when nothing else is written on it).
func planNamed(s *config.Stack, snap *inventory.Snapshot) (*Action, error) {
	id := s.LBID()
	if id == "" || snap.LB.ID != id {
		return nil, nil
	}
	lb := snap.LB
	if inventory.CreateFailed(lb) {
		return nil, &FailedLBError{Kind: lb.Type, ID: id}
	}
	if lb.Type == resource.CLB && (strings.EqualFold(lb.Status, "inactive") || strings.EqualFold(lb.Status, "locked")) {
		return nil, &NamedLBStatusError{Kind: lb.Type, ID: id, Status: strings.ToLower(lb.Status)}
	}
	if !namedBusy(lb) {
		return nil, nil
	}
	have := resource.LBSpec{Type: lb.Type, Name: lb.Name}
	if lb.Spec != nil {
		have = *lb.Spec
	}
	reason := "being created by its owner (Provisioning): wait until it is Active before the first write on it"
	if lb.Status == "Configuring" {
		reason = "a change by its owner is in progress (Configuring): wait until it is Active before the first write on it"
	}
	name := lb.ID
	if lb.Name != "" {
		name = lb.Name + " (" + lb.ID + ")"
	}
	cur := have
	return &Action{
		ID: lbAddr(Update, lb.Type), Op: Update, Kind: KindLoadBalancer, Name: name, Reason: reason,
		Changes:      []Change{{Field: "status", Old: lb.Status, New: "Active"}},
		LoadBalancer: &LBStep{ID: lb.ID, Spec: have, Current: &cur, Wait: true, Named: true},
	}, nil
}

// NamedLBStatusError refuses a stack whose file names by ID a CLB that is
// inactive (stopped by its owner: it does not serve) or locked (it refuses
// every write): wsdeploy never starts or unlocks a load balancer it does
// not own.
type NamedLBStatusError struct{ Kind, ID, Status string }

func (e *NamedLBStatusError) Error() string {
	what := "it was stopped (it does not serve)"
	if e.Status == "locked" {
		what = "Alibaba Cloud locked it (it refuses every change)"
	}
	return fmt.Sprintf("%s.id: %s %s is %s: %s; wsdeploy does not start or unlock a load balancer it does not own; nothing was changed",
		e.Kind, strings.ToUpper(e.Kind), e.ID, e.Status, what)
}

// Hint says how to go on.
func (e *NamedLBStatusError) Hint() string {
	if e.Status == "locked" {
		return fmt.Sprintf("see why %s is locked in the console (an overdue payment or a security lock) and have it unlocked, then run `wsdeploy up` again; "+
			"or name another %s in %s.id, or let wsdeploy create one (%s.create)", e.ID, strings.ToUpper(e.Kind), e.Kind, e.Kind)
	}
	return fmt.Sprintf("if %s is yours to start, start it (console, or `aliyun slb SetLoadBalancerStatus --LoadBalancerId %s --LoadBalancerStatus active`), then run `wsdeploy up` again; "+
		"or name another %s in %s.id, or let wsdeploy create one (%s.create)", e.ID, e.ID, strings.ToUpper(e.Kind), e.Kind, e.Kind)
}
