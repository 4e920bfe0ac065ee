// alb.create / clb.create: the shape of the load balancer to create. The
// cloud-side checks (the VPC, vSwitches and zones exist and fit together)
// happen before any write, in the planner's pre-checks, not here.

package config

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	vpcIDRE  = regexp.MustCompile(`^vpc-[a-z0-9]{4,64}$`)
	vswIDRE  = regexp.MustCompile(`^vsw-[a-z0-9][a-z0-9-]{3,63}$`)
	zoneIDRE = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)
	// ALB LoadBalancerName: 2–128 characters, letters, digits, '.', '_', '-', starting with a letter.
	albNameRE = regexp.MustCompile(`^\p{L}[\p{L}0-9._-]{1,127}$`)
	// CLB LoadBalancerName: 1–80 characters, letters, digits, '.', '_', '-', starting with a letter
	// (SetLoadBalancerName, which renames it in place, does not take the '/' the create allows).
	clbNameRE = regexp.MustCompile(`^\p{L}[\p{L}0-9._-]{0,79}$`)
	clbSpecRE = regexp.MustCompile(`^slb\.s[0-9]\.[a-z0-9.]+$`)
)

// lbCreate checks a create block of kind (alb|clb); the defaults are applied.
func (v *validator) lbCreate(kind string, c *LBCreate) {
	p := kind + ".create"
	if kind == LBCLB {
		v.clbCreate(p, c)
		return
	}
	v.albCreate(p, c)
}

func (v *validator) albCreate(p string, c *LBCreate) {
	if v.text(p+".name", c.Name) && !albNameRE.MatchString(c.Name) {
		v.add(p+".name", q(c.Name), "is not a valid ALB name",
			"use 2–128 letters, digits, '.', '_' and '-', starting with a letter (or leave it out: the default is wsdeploy-<stack>)")
	}
	v.oneOf(p+".addressType", c.AddressType, []string{ALBInternet, ALBIntranet},
		"Internet (reachable from the Internet; it gets an EIP per zone) or Intranet (VPC only)")
	v.oneOf(p+".edition", c.Edition, []string{EditionBasic, EditionStandard, EditionWAF},
		"Basic, Standard or StandardWithWaf")
	if v.present(p+".vpcId", c.VpcID, "add the ID of the VPC to create the ALB in, e.g. vpcId: vpc-bp1xxxxxxxxxxxxxxxxx (VPC console)") &&
		!vpcIDRE.MatchString(c.VpcID) {
		v.add(p+".vpcId", q(c.VpcID), "is not a VPC ID", "use the VPC's ID from the VPC console: vpc- followed by 4–64 lowercase letters and digits")
	}
	zones := firstSeen[string]{}
	vsws := firstSeen[string]{}
	for i, z := range c.Zones {
		zp := fmt.Sprintf("%s.zones[%d]", p, i)
		if v.present(zp+".zoneId", z.ZoneID, "add the zone's ID, e.g. zoneId: cn-hangzhou-h") {
			if !zoneIDRE.MatchString(z.ZoneID) {
				v.add(zp+".zoneId", q(z.ZoneID), "is not a zone ID", "use a zone ID such as cn-hangzhou-h (the region ID and a zone letter)")
			} else if first, dup := zones.repeat(z.ZoneID, i); dup {
				v.add(zp+".zoneId", q(z.ZoneID), fmt.Sprintf("repeats zones[%d]", first), "an ALB needs distinct zones: use another zone, each with its own vSwitch")
			}
		}
		if v.present(zp+".vSwitchId", z.VSwitchID, "add the ID of a vSwitch of the VPC in that zone, e.g. vSwitchId: vsw-bp1xxxxxxxxxxxxxxxxx") &&
			v.vSwitchID(zp+".vSwitchId", z.VSwitchID) {
			if first, dup := vsws.repeat(z.VSwitchID, i); dup {
				v.add(zp+".vSwitchId", q(z.VSwitchID), fmt.Sprintf("repeats zones[%d]", first), "each zone needs its own vSwitch, in that zone")
			}
		}
	}
	if len(c.Zones) < 2 {
		v.add(p+".zones", "", fmt.Sprintf("has %d zone(s); an ALB needs at least two distinct zones (the ALB API requires two, for high availability)", len(c.Zones)),
			"list two or more {zoneId, vSwitchId} pairs, each a vSwitch of the VPC in that zone")
	}
	for _, f := range []struct{ name, val string }{{"vSwitchId", c.VSwitchID}, {"spec", c.Spec}, {"payType", c.PayType}} {
		if f.val != "" {
			v.add(p+"."+f.name, q(f.val), "is a CLB setting, not an ALB one",
				"remove it; an ALB takes edition, vpcId and zones (its vSwitches go in zones[].vSwitchId), and is billed pay-as-you-go")
		}
	}
}

func (v *validator) clbCreate(p string, c *LBCreate) {
	if v.text(p+".name", c.Name) && !clbNameRE.MatchString(c.Name) {
		v.add(p+".name", q(c.Name), "is not a valid CLB name",
			"use 1–80 letters, digits, '.', '_' and '-', starting with a letter (or leave it out: the default is wsdeploy-<stack>)")
	}
	v.oneOf(p+".addressType", c.AddressType, []string{CLBInternet, CLBIntranet},
		"internet (a public address) or intranet (an address in the vSwitch)")
	if v.present(p+".vSwitchId", c.VSwitchID, "add vSwitchId: vsw-… (a vSwitch of the VPC your backends are in: wsdeploy creates the CLB there)") {
		v.vSwitchID(p+".vSwitchId", c.VSwitchID)
	}
	v.oneOf(p+".payType", c.PayType, []string{PayOnDemand, PayByCLCU},
		"PayOnDemand (with a spec such as slb.s1.small) or PayByCLCU (pay by capacity units, without spec)")
	switch {
	case c.PayType == PayByCLCU && c.Spec != "":
		v.add(p+".spec", q(c.Spec), "is set with payType: PayByCLCU, which has no spec",
			"remove spec (a pay-by-CLCU instance scales by capacity units), or set payType: PayOnDemand")
	case c.PayType == PayOnDemand && c.Spec == "":
		v.add(p+".spec", "", "required field is missing: payType PayOnDemand needs an instance spec",
			"add spec: slb.s1.small (or another spec), or use payType: PayByCLCU without spec")
	case c.Spec != "" && v.text(p+".spec", c.Spec) && !clbSpecRE.MatchString(c.Spec):
		v.add(p+".spec", q(c.Spec), "is not a CLB instance spec", "use a spec such as slb.s1.small, slb.s2.small or slb.s3.medium")
	}
	for _, f := range []struct{ name, val string }{{"edition", c.Edition}, {"vpcId", c.VpcID}} {
		if f.val != "" {
			v.add(p+"."+f.name, q(f.val), "is an ALB setting, not a CLB one",
				"remove it; a CLB takes spec or payType, and vSwitchId (its VPC is the vSwitch's)")
		}
	}
	if len(c.Zones) > 0 {
		v.add(p+".zones", "", "is an ALB setting, not a CLB one",
			"remove it; a CLB takes one vSwitchId (its zone is the vSwitch's)")
	}
}

// oneOf reports a value outside allowed (after defaults, an empty value is
// also wrong), suggesting the right spelling when only the case differs.
func (v *validator) oneOf(path, val string, allowed []string, what string) {
	if contains(allowed, val) || !v.text(path, val) {
		return
	}
	fix := "use " + what
	for _, a := range allowed {
		if strings.EqualFold(a, val) {
			fix = fmt.Sprintf("write %q (this API spells it that way)", a)
		}
	}
	v.add(path, q(val), "is not one of "+strings.Join(allowed, ", "), fix)
}

// vSwitchID reports value, at path, when it is not a vSwitch ID, and answers
// whether it is one.
func (v *validator) vSwitchID(path, value string) bool {
	if vswIDRE.MatchString(value) {
		return true
	}
	v.add(path, q(value), "is not a vSwitch ID", "use the vSwitch's ID from the VPC console: vsw- followed by 4–64 lowercase letters and digits")
	return false
}
