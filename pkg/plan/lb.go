// The load balancer itself, when the stack creates it (alb.create /
// clb.create): its create, in-place update, replacement and deletion.
//
// A load balancer to create is "known after apply": the plan's LB has no ID,
// DNS name or address yet. Plan.LBFrom names the action that creates it;
// every action on the plan's LB depends on that action (it heads the LB's
// lane), and the engine runs them on the load balancer it created. A DNS
// record whose value is the created load balancer's DNS name (ALB) or
// address (CLB) carries RecordStep.ValueFrom = Plan.LBFrom and the value
// KnownAfterApply until the engine fills it in.

package plan

import (
	"fmt"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// KindLoadBalancer is the kind of actions on the load balancer itself.
const KindLoadBalancer = "load-balancer"

// KnownAfterApply stands for a value the create step produces (the load
// balancer's ID, DNS name or address) in plan views and JSON.
const KnownAfterApply = "(known after apply)"

// LBStep creates, updates, replaces or deletes the stack's load balancer.
//
//   - create: Spec is what to create; ClientToken makes the create call
//     idempotent (ALB; stable per stack, epoch and spec); Billing says what
//     will bill. Replaces is the ID of the load balancer it replaces ("" for
//     a first create): the plan shows the pair as -/+ and needs confirmation.
//   - update: ID and the in-place Changes (name, deletion protection).
//   - delete: ID; Spec is what was read (DeletionProtection on means the
//     teardown refuses, see ProtectedError).
type LBStep struct {
	ID          string          `json:"id,omitempty"`
	Spec        resource.LBSpec `json:"spec"`
	ClientToken string          `json:"clientToken,omitempty"`
	Billing     string          `json:"billing,omitempty"`
	Replaces    string          `json:"replaces,omitempty"`
}

// DesiredLB is the spec of the load balancer s asks wsdeploy to create (its
// defaults applied), tagged with the stack; ok is false when s names an
// existing one by ID.
func DesiredLB(s *config.Stack) (spec resource.LBSpec, ok bool) {
	c := s.LBCreate()
	if c == nil {
		return resource.LBSpec{}, false
	}
	spec = resource.LBSpec{
		Type: s.LB, Name: c.Name, AddressType: c.AddressType,
		DeletionProtection: c.DeletionProtected(), Tags: ownerTags(s.Stack),
	}
	if s.LB == config.LBCLB {
		spec.VSwitchID, spec.InstanceSpec, spec.PayType = c.VSwitchID, c.Spec, c.PayType
		return spec, true
	}
	spec.Edition, spec.VpcID = c.Edition, c.VpcID
	for _, z := range c.Zones {
		spec.Zones = append(spec.Zones, resource.ZoneMapping{ZoneID: z.ZoneID, VSwitchID: z.VSwitchID})
	}
	return spec, true
}

// Billing says, in one line, that creating spec starts a bill and what bills.
func Billing(spec resource.LBSpec) string {
	if spec.Type == resource.CLB {
		return clbBilling(spec)
	}
	s := fmt.Sprintf("billable: ALB %s edition, pay-as-you-go: an hourly instance fee plus the LCUs (capacity units) used", spec.Edition)
	if spec.AddressType == config.ALBInternet {
		s += fmt.Sprintf("; Internet: an EIP in each of its %d zones, billed for its bandwidth/traffic", len(spec.Zones))
	}
	return s
}

// lbFields shows a spec as the field changes of its create.
func lbFields(spec resource.LBSpec) []Change {
	ch := []Change{
		{Field: "name", New: spec.Name},
		{Field: "addressType", New: spec.AddressType},
	}
	if spec.Type == resource.CLB {
		if spec.VSwitchID != "" {
			ch = append(ch, Change{Field: "vSwitchId", New: spec.VSwitchID})
		}
		if spec.InstanceSpec != "" {
			ch = append(ch, Change{Field: "spec", New: spec.InstanceSpec})
		}
		ch = append(ch, Change{Field: "payType", New: spec.PayType})
	} else {
		ch = append(ch, Change{Field: "edition", New: spec.Edition}, Change{Field: "vpcId", New: spec.VpcID})
		for _, z := range spec.Zones {
			ch = append(ch, Change{Field: "zone " + z.ZoneID, New: z.VSwitchID})
		}
	}
	return append(ch, Change{Field: "deletionProtection", New: fmt.Sprint(spec.DeletionProtection)})
}

// clbBilling says what a CLB of spec bills: the instance (by capacity units,
// or by spec, which the cloud no longer sells), and for an internet CLB its
// public address's traffic.
func clbBilling(spec resource.LBSpec) string {
	s := "billable: CLB pay-as-you-go by capacity units (PayByCLCU): an hourly instance fee plus the CLCUs used"
	if spec.PayType != config.PayByCLCU {
		s = "billable: CLB pay-as-you-go by spec " + spec.InstanceSpec + ": an hourly fee for the spec, used or not" +
			" (pay-by-spec CLBs are no longer sold since 2025-06-01: the create may be refused; payType: PayByCLCU is the current way)"
	}
	if spec.AddressType == config.CLBInternet {
		s += "; internet: a public IP address, its outbound traffic billed by the GB"
	}
	return s
}
