package status

import (
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// The states of the stack's load balancer (LB.State): one stable word for
// -o json, decided here from what the inventory read, the same way a plan
// reads it (inventory.CreateState: Live, Failed, Deleting, Replaced).
const (
	// StateActive: the stack's load balancer is Active (CLB: active).
	StateActive = "active"
	// StateNotCreated: the stack creates its load balancer and none
	// carries its tag: `up` creates it.
	StateNotCreated = "not-created"
	// StateCreateFailed: the only load balancers the stack created ended
	// CreateFailed (not billed): `up` deletes them and creates it again.
	StateCreateFailed = "create-failed"
	// StateDeleting: the only load balancers the stack created are being
	// deleted (not billed, they go by themselves): `up` creates a new one.
	StateDeleting = "deleting"
	// StateProvisioning: the load balancer is still being created (ALB
	// Provisioning): `up` waits until it is Active.
	StateProvisioning = "provisioning"
	// StateInactive: it does not serve (ALB Inactive, CLB inactive): a CLB
	// is for a moment after its create; one that stays so was stopped.
	StateInactive = "inactive"
	// StateConfiguring: a change to it is being applied (ALB Configuring).
	StateConfiguring = "configuring"
	// StateLocked: the cloud refuses changes to it (CLB locked).
	StateLocked = "locked"
	// StateReplacementInterrupted: a replacement was interrupted: two live
	// load balancers carry the stack's tag, the new one (it matches the
	// file: LB above) and the old one (Replacement.Old). Both may be
	// billing; `up` finishes the replacement, `down` refuses until then.
	StateReplacementInterrupted = "replacement-interrupted"
	// StateDuplicates: two or more live load balancers carry the stack's
	// tag and they are not an interrupted replacement (none, or more than
	// one, matches the file): `up` and `down` refuse until one is deleted
	// (Drift.Fix says which). LB above is the first found (lowest ID).
	StateDuplicates = "duplicates"
)

// TaggedLB is one load balancer carrying the stack's tag, as the state of
// an interrupted replacement or of duplicates names it.
type TaggedLB struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	// Target is what a DNS record pointing at it holds (ALB DNS name, CLB address).
	Target string `json:"target,omitempty"`
	// MatchesFile: its create settings are those of the stack file (only
	// settings changed in place may differ).
	MatchesFile bool `json:"matchesFile"`
	// Listeners counts the listeners on it, when they were read (the old
	// load balancer of a replacement).
	Listeners *int `json:"listeners,omitempty"`
}

// Replacement is an interrupted replacement: New is the stack's load
// balancer (it matches the file), Old the one still to go.
type Replacement struct {
	New TaggedLB `json:"new"`
	Old TaggedLB `json:"old"`
}

// lbState decides the state of the stack's load balancer and fills r's
// State, Deleting, Replacement and Tagged.
func lbState(s *config.Stack, snap *inventory.Snapshot, r *LB) {
	cs := snap.Create
	if cs != nil {
		for _, d := range cs.Deleting() {
			r.Deleting = append(r.Deleting, d.ID)
		}
	}
	want, creates := inventory.DesiredLB(s)
	r.CreatedByStack = creates
	tagged := func(lb resource.LoadBalancer) TaggedLB {
		return TaggedLB{
			ID: lb.ID, Status: lb.Status, Target: resource.ProfileOf(lb.Type).RecordTarget(lb),
			MatchesFile: creates && lb.Spec != nil && inventory.Matches(*lb.Spec, want),
		}
	}
	switch {
	case cs != nil && cs.Replaced != nil:
		r.State = StateReplacementInterrupted
		old := tagged(cs.Replaced.LB)
		n := len(cs.Replaced.Listeners)
		old.Listeners = &n
		r.Replacement = &Replacement{New: tagged(snap.LB), Old: old}
	case cs != nil && len(cs.Live()) > 1:
		r.State = StateDuplicates
		for _, lb := range cs.Live() {
			r.Tagged = append(r.Tagged, tagged(lb))
		}
	case snap.LB.ID == "" && len(r.Failed) > 0:
		r.State = StateCreateFailed
	case snap.LB.ID == "" && len(r.Deleting) > 0:
		r.State = StateDeleting
	case snap.LB.ID == "":
		r.State = StateNotCreated
	default:
		r.State = stateOf(snap.LB.Status)
	}
}

// stateOf is the state of an existing load balancer with this status.
func stateOf(status string) string {
	switch strings.ToLower(status) {
	case "", "active":
		return StateActive
	case "provisioning":
		return StateProvisioning
	case "inactive":
		return StateInactive
	case "configuring":
		return StateConfiguring
	case "locked":
		return StateLocked
	case strings.ToLower(resource.LBStatusCreateFailed):
		return StateCreateFailed
	case strings.ToLower(resource.LBStatusDeleting):
		return StateDeleting
	}
	return strings.ToLower(status)
}
