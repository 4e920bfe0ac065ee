package fakecloud

// CLB instances made through the API: CreateLoadBalancer (synchronous; the
// instance is active at once), DeleteLoadBalancer and
// SetLoadBalancerDeleteProtection. A created instance is a normal CLB:
// listeners, vServer groups, tags and the data plane serve it like a
// seeded one.

import (
	"fmt"
	"net"
	"net/http"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

func slbCreateLoadBalancer(st *State, r *Request) (any, error) {
	token, hasToken := r.Str("ClientToken")
	if hasToken && (token == "" || len(token) > 64 || !albASCII(token)) {
		return nil, InvalidParameter("ClientToken", token, "1-64 ASCII characters")
	}
	hash := albParamsHash(r)
	if prev := st.CLB.clientToken(token); hasToken && prev != nil {
		if prev.ParamsHash != hash {
			return nil, Errorf(http.StatusBadRequest, "IdempotentParameterMismatch",
				"The request uses the same client token as a previous, but non-identical request.")
		}
		return prev.Answer, nil
	}
	// With a VSwitchId (always given here) AddressType defaults to intranet
	// (SDK model: "If this parameter is specified, AddressType is set to
	// intranet by default").
	addrType, err := r.Enum("AddressType", "intranet", "internet", "intranet")
	if err != nil {
		return nil, err
	}
	bill, err := clbCreateBilling(r, addrType)
	if err != nil {
		return nil, err
	}
	prot, err := r.Enum("DeleteProtection", "off", "on", "off")
	if err != nil {
		return nil, err
	}
	name := r.Get("LoadBalancerName")
	if err := clbCheckName(name); err != nil {
		return nil, err
	}
	tags, err := clbNewTags(r)
	if err != nil {
		return nil, err
	}
	vswID, err := r.Required("VSwitchId")
	if err != nil {
		return nil, err
	}
	vsw := st.VPC.vswitch(vswID)
	if vsw == nil {
		return nil, Errorf(http.StatusBadRequest, "InvalidVSwitchId.NotExist", "The specified VSwitchId %s does not exist.", vswID)
	}
	if v := r.Get("VpcId"); v != "" && v != vsw.VpcID {
		return nil, Errorf(http.StatusBadRequest, "InvalidParameter.VpcId", "The vSwitch %s is not in the VPC %s.", vswID, v)
	}
	slave, err := clbCreateZones(st, r, vsw) // clb_zones.go
	if err != nil {
		return nil, err
	}
	if err := clbQuotaCheck(st); err != nil {
		return nil, err
	}
	seq := st.NextSeq()
	lb := &CLBInstance{
		ID: fmt.Sprintf("lb-fake%04d", seq), Name: name, VpcID: vsw.VpcID, Status: "active",
		CreateTime: r.Now, Tags: tags, VSwitchID: vsw.ID, ZoneID: vsw.ZoneID, Spec: bill.spec,
		ChargeType: bill.charge, DeleteProtection: prot, InternetChargeType: bill.internet, Bandwidth: bill.bandwidth,
		SlaveZoneID: slave,
	}
	if lb.Name == "" {
		lb.Name = "auto_named_slb"
	}
	if addrType == "internet" {
		lb.Address = fmt.Sprintf("203.0.113.%d", 100+int(seq%150))
	} else {
		ip, _, _ := net.ParseCIDR(vsw.CIDR)
		v4 := ip.To4()
		lb.Address = fmt.Sprintf("%d.%d.%d.%d", v4[0], v4[1], v4[2], 10+int(seq%200))
	}
	st.CLB.LoadBalancers = append(st.CLB.LoadBalancers, lb)
	answer := &slb.CreateLoadBalancerResponseBody{
		LoadBalancerId: tea.String(lb.ID), LoadBalancerName: tea.String(lb.Name), Address: tea.String(lb.Address),
		AddressIPVersion: tea.String("ipv4"), NetworkType: tea.String("vpc"), VpcId: tea.String(lb.VpcID),
		VSwitchId: tea.String(lb.VSwitchID), ResourceGroupId: tea.String("rg-fake"), OrderId: tea.Int64(0),
	}
	if hasToken {
		st.CLB.ClientTokens = append(st.CLB.ClientTokens, &CLBClientToken{Token: token, ParamsHash: hash, Answer: answer})
	}
	return answer, nil
}

// slbModifyLoadBalancerInstanceSpec changes a pay-by-spec instance's
// specification (synchronous for pay-as-you-go: OrderId 0).
func slbModifyLoadBalancerInstanceSpec(st *State, r *Request) (any, error) {
	var spec string
	lb, err := clbInstanceParam(st, r, func() error {
		var err error
		if spec, err = r.Enum("LoadBalancerSpec", "", clbSpecs...); err != nil {
			return err
		}
		if spec == "" {
			return MissingParameter("LoadBalancerSpec")
		}
		_, _, err = r.Bool("AutoPay")
		return err
	})
	if err != nil {
		return nil, err
	}
	if lb.Status == "locked" {
		return nil, clbLocked()
	}
	if lb.ChargeType == "PayByCLCU" {
		return nil, Errorf(http.StatusBadRequest, "OperationDenied.PayByCLCU",
			"The load balancer %s is billed by CLCU and has no specification to modify.", lb.ID)
	}
	lb.Spec = spec
	return &slb.ModifyLoadBalancerInstanceSpecResponseBody{OrderId: tea.Int64(0)}, nil
}

// clbSpecs are the specifications CreateLoadBalancer and
// ModifyLoadBalancerInstanceSpec take.
var clbSpecs = []string{"slb.s1.small", "slb.s2.small", "slb.s2.medium", "slb.s3.small", "slb.s3.medium", "slb.s3.large"}

// clbCheckName checks a LoadBalancerName.
func clbCheckName(name string) error {
	if len(name) > 128 {
		return InvalidParameter("LoadBalancerName", name, "at most 128 characters")
	}
	return nil
}

func slbDeleteLoadBalancer(st *State, r *Request) (any, error) {
	lb, err := clbInstanceParam(st, r, nil)
	if err != nil {
		return nil, err
	}
	if lb.DeleteProtection == "on" {
		return nil, Errorf(http.StatusBadRequest, "OperationDenied.DeleteProtection",
			"The load balancer %s cannot be deleted because delete protection is on.", lb.ID)
	}
	st.CLB.deleteInstance(lb)
	return &slb.DeleteLoadBalancerResponseBody{}, nil
}

func slbSetLoadBalancerDeleteProtection(st *State, r *Request) (any, error) {
	var prot string
	lb, err := clbInstanceParam(st, r, func() error {
		var err error
		if prot, err = r.Enum("DeleteProtection", "", "on", "off"); err != nil {
			return err
		}
		if prot == "" {
			return MissingParameter("DeleteProtection")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	lb.DeleteProtection = prot
	return &slb.SetLoadBalancerDeleteProtectionResponseBody{}, nil
}
