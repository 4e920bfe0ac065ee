package resource

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// LBSpec is what a load balancer wsdeploy creates is created with, and,
// read back from the cloud, what a stack-created one has (LoadBalancer.Spec).
// The ALB fields are Edition, VpcID and Zones; the CLB fields are VSwitchID,
// InstanceSpec and PayType.
type LBSpec struct {
	Type        string `json:"type"` // alb | clb
	Name        string `json:"name"`
	AddressType string `json:"addressType"` // ALB Internet|Intranet, CLB internet|intranet
	// ALB
	Edition string        `json:"edition,omitempty"`
	VpcID   string        `json:"vpcId,omitempty"`
	Zones   []ZoneMapping `json:"zones,omitempty"`
	// CLB
	VSwitchID    string `json:"vSwitchId,omitempty"`
	InstanceSpec string `json:"instanceSpec,omitempty"`
	PayType      string `json:"payType,omitempty"`

	DeletionProtection bool `json:"deletionProtection"`
	// Tags go in the create call (ALB Tag.N; CLB Tag as JSON) so that the
	// load balancer is the stack's from its first moment: OwnerTagKey=stack.
	Tags map[string]string `json:"tags,omitempty"`
}

// LBStatusCreateFailed is the status of an ALB instance whose create job
// failed: it is not billed and can only be deleted (listeners and updates
// on it are refused with IncorrectStatus.LoadBalancer).
const LBStatusCreateFailed = "CreateFailed"

// LBStatusDeleting is the status wsdeploy gives an ALB instance being
// deleted (its DeleteLoadBalancer job still running: the cloud shows it
// Configuring). It is not billed, serves nothing and goes by itself.
const LBStatusDeleting = "Deleting"

// ZoneMapping is one zone of an ALB and its vSwitch there.
type ZoneMapping struct {
	ZoneID    string `json:"zoneId"`
	VSwitchID string `json:"vSwitchId"`
}

// LBFieldChange is one create setting that differs between a desired spec
// and the load balancer the stack created.
type LBFieldChange struct {
	Field    string
	Old, New string
	// InPlace says the API changes it on the existing load balancer (name,
	// deletion protection, an ALB edition upgrade); otherwise the load
	// balancer must be replaced.
	InPlace bool
	// Why, for a change that is not in place although the field can change
	// in place for other values (an ALB edition), says what the API allows.
	Why string
}

// ALBEditionChanges are the edition changes ALB's UpdateLoadBalancerEdition
// makes in place, from → to (API reference "UpdateLoadBalancerEdition": only
// Basic is upgraded, to Standard or StandardWithWaf, and StandardWithWaf can
// become Standard; nothing becomes Basic). Standard → StandardWithWaf is not
// among them: that takes a new instance.
var ALBEditionChanges = map[string][]string{
	"Basic":           {"Standard", "StandardWithWaf"},
	"StandardWithWaf": {"Standard"},
}

// ALBEditionInPlace reports whether an ALB's edition can change from → to
// in place (UpdateLoadBalancerEdition).
func ALBEditionInPlace(from, to string) bool { return slices.Contains(ALBEditionChanges[from], to) }

// albEditionWhy says why an edition change takes a new ALB.
func albEditionWhy(from, to string) string {
	return fmt.Sprintf("ALB changes its edition in place only from Basic to Standard or StandardWithWaf, and from StandardWithWaf to Standard, not %s → %s", from, to)
}

// DiffLBSpec compares the load balancer the stack created (have) with the
// desired spec (want), field by field, saying which changes the API makes
// in place (name, deletion protection, an ALB edition change that
// UpdateLoadBalancerEdition makes). Zones compare as a set of zone/vSwitch
// pairs.
func DiffLBSpec(have, want LBSpec) []LBFieldChange {
	var out []LBFieldChange
	cmp := func(field, o, n string, inPlace bool) {
		if o != n {
			out = append(out, LBFieldChange{Field: field, Old: o, New: n, InPlace: inPlace})
		}
	}
	cmp("name", have.Name, want.Name, true)
	cmp("deletionProtection", fmt.Sprint(have.DeletionProtection), fmt.Sprint(want.DeletionProtection), true)
	cmp("addressType", have.AddressType, want.AddressType, false)
	if have.Edition != want.Edition {
		c := LBFieldChange{Field: "edition", Old: have.Edition, New: want.Edition, InPlace: ALBEditionInPlace(have.Edition, want.Edition)}
		if !c.InPlace {
			c.Why = albEditionWhy(have.Edition, want.Edition)
		}
		out = append(out, c)
	}
	cmp("vpcId", have.VpcID, want.VpcID, false)
	cmp("zones", zonesText(have.Zones), zonesText(want.Zones), false)
	cmp("vSwitchId", have.VSwitchID, want.VSwitchID, false)
	cmp("instanceSpec", have.InstanceSpec, want.InstanceSpec, false)
	cmp("payType", have.PayType, want.PayType, false)
	return out
}

// zonesText is zones as a sorted "zone=vsw" list.
func zonesText(zs []ZoneMapping) string {
	parts := make([]string, 0, len(zs))
	for _, z := range zs {
		parts = append(parts, z.ZoneID+"="+z.VSwitchID)
	}
	m := make(map[string]string, len(parts))
	for _, p := range parts {
		m[p] = ""
	}
	return strings.Join(SortedKeys(m), ",")
}

// LBClientToken is the ClientToken of the create call of spec for stack: the
// same for the same stack and spec, so a create retried after a crash (or a
// second `up` before the first's create finished) returns the same load
// balancer instead of a second one. epoch is the stack's teardown epoch
// ("" before the first down), so a create after a `down` is a new request.
func LBClientToken(stack, epoch string, spec LBSpec) string {
	h := sha256.New()
	fmt.Fprintf(h, "wsdeploy-lb\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%v",
		stack, epoch, spec.Type, spec.Name, spec.AddressType, spec.Edition, spec.VpcID, zonesText(spec.Zones),
		spec.VSwitchID, spec.InstanceSpec+"/"+spec.PayType, spec.DeletionProtection)
	for _, k := range SortedKeys(spec.Tags) {
		fmt.Fprintf(h, "\x00%s=%s", k, spec.Tags[k])
	}
	return "wsd-lb-" + hex.EncodeToString(h.Sum(nil))[:32]
}

// VPC is a virtual private cloud, as the pre-create checks read it.
type VPC struct {
	ID     string `json:"id"`
	Status string `json:"status,omitempty"`
	CIDR   string `json:"cidr,omitempty"`
}

// VSwitch is a subnet of a VPC in one zone.
type VSwitch struct {
	ID     string `json:"id"`
	VpcID  string `json:"vpcId"`
	ZoneID string `json:"zoneId"`
	CIDR   string `json:"cidr,omitempty"`
	Status string `json:"status,omitempty"`
}
