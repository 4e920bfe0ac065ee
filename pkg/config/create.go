// alb.create and clb.create: the load balancer wsdeploy creates when the
// file names none (instead of alb.id / clb.id).

package config

// LBCreate is what the stack's load balancer is created with. One type
// serves both kinds; the fields of the other kind are reported as problems
// (validate_create.go). The ALB fields are AddressType (Internet|Intranet),
// Edition, VpcID and Zones; the CLB fields are AddressType (internet|intranet),
// VSwitchID, Spec and PayType. Name and DeletionProtection are common.
type LBCreate struct {
	// Name defaults to wsdeploy-<stack> (DefaultLBName).
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// AddressType is Internet|Intranet on ALB, internet|intranet on CLB (the
	// APIs' own spellings). Default: Internet / internet.
	AddressType string `yaml:"addressType,omitempty" json:"addressType,omitempty"`

	// ALB: Edition is Basic | Standard | StandardWithWaf (default Standard).
	Edition string `yaml:"edition,omitempty" json:"edition,omitempty"`
	// ALB: VpcID is the VPC the load balancer is in.
	VpcID string `yaml:"vpcId,omitempty" json:"vpcId,omitempty"`
	// ALB: Zones are at least two distinct zones, each with a vSwitch of the VPC.
	Zones []ZoneMapping `yaml:"zones,omitempty" json:"zones,omitempty"`

	// CLB: VSwitchID is the vSwitch the CLB is created in (required: it puts
	// the CLB in the backends' VPC; an intranet CLB gets its address there).
	VSwitchID string `yaml:"vSwitchId,omitempty" json:"vSwitchId,omitempty"`
	// CLB: Spec is the instance spec (slb.s1.small, …); required with
	// PayOnDemand, not allowed with PayByCLCU.
	Spec string `yaml:"spec,omitempty" json:"spec,omitempty"`
	// CLB: PayType is PayOnDemand (pay-as-you-go by spec; the default when a
	// spec is given) or PayByCLCU (pay by capacity units; the default without).
	PayType string `yaml:"payType,omitempty" json:"payType,omitempty"`

	// DeletionProtection defaults to true: down refuses to delete the load
	// balancer until the file says false and up has applied it.
	DeletionProtection *bool `yaml:"deletionProtection,omitempty" json:"deletionProtection,omitempty"`
}

// ZoneMapping is one zone of an ALB and the vSwitch it uses there.
type ZoneMapping struct {
	ZoneID    string `yaml:"zoneId" json:"zoneId"`
	VSwitchID string `yaml:"vSwitchId" json:"vSwitchId"`
}

// Values of the create settings.
const (
	ALBInternet = "Internet"
	ALBIntranet = "Intranet"
	CLBInternet = "internet"
	CLBIntranet = "intranet"

	EditionBasic    = "Basic"
	EditionStandard = "Standard"
	EditionWAF      = "StandardWithWaf"

	PayOnDemand = "PayOnDemand"
	PayByCLCU   = "PayByCLCU"
)

// DefaultLBName is the name of a created load balancer when the file gives none.
func DefaultLBName(stack string) string { return "wsdeploy-" + stack }

// LBCreate returns the create settings of the stack's load-balancer kind
// (nil when the file names an existing one by ID).
func (s *Stack) LBCreate() *LBCreate {
	ref := s.ALB
	if s.LB == LBCLB {
		ref = s.CLB
	}
	if ref == nil {
		return nil
	}
	return ref.Create
}

// CreatesLB reports whether the stack's load balancer is one wsdeploy creates.
func (s *Stack) CreatesLB() bool { return s.LBCreate() != nil }

// DeletionProtected is the create setting, true unless the file says false.
func (c *LBCreate) DeletionProtected() bool {
	return c.DeletionProtection == nil || *c.DeletionProtection
}

// applyCreateDefaults fills the defaults of a create block of kind (alb|clb).
func applyCreateDefaults(stack, kind string, c *LBCreate) {
	if c == nil {
		return
	}
	setDefault(&c.Name, DefaultLBName(stack))
	setDefault(&c.DeletionProtection, ptr(true))
	if kind == LBCLB {
		setDefault(&c.AddressType, CLBInternet)
		// With a spec, pay by spec; without, by capacity units (pay-by-spec
		// CLBs are no longer sold since 2025-06-01, so that is the default).
		if c.Spec != "" {
			setDefault(&c.PayType, PayOnDemand)
		}
		setDefault(&c.PayType, PayByCLCU)
		return
	}
	setDefault(&c.AddressType, ALBInternet)
	setDefault(&c.Edition, EditionStandard)
}
