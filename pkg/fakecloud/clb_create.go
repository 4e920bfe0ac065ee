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
	"slices"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

func slbCreateLoadBalancer(st *State, r *Request) (any, error) {
	addrType, err := r.Enum("AddressType", "internet", "internet", "intranet")
	if err != nil {
		return nil, err
	}
	if _, err := r.Enum("PayType", "", "PayOnDemand"); err != nil {
		return nil, err
	}
	charge, err := r.Enum("InstanceChargeType", "PayBySpec", "PayBySpec", "PayByCLCU")
	if err != nil {
		return nil, err
	}
	spec, err := r.Enum("LoadBalancerSpec", "", "slb.s1.small", "slb.s2.small", "slb.s2.medium", "slb.s3.small", "slb.s3.medium", "slb.s3.large")
	if err != nil {
		return nil, err
	}
	switch {
	case charge == "PayBySpec" && spec == "":
		spec = "slb.s1.small"
	case charge == "PayByCLCU" && spec != "":
		return nil, InvalidParameter("LoadBalancerSpec", spec, "no spec with InstanceChargeType PayByCLCU")
	}
	prot, err := r.Enum("DeleteProtection", "off", "on", "off")
	if err != nil {
		return nil, err
	}
	name := r.Get("LoadBalancerName")
	if len(name) > 128 {
		return nil, InvalidParameter("LoadBalancerName", name, "at most 128 characters")
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
	if err := clbQuotaCheck(st); err != nil {
		return nil, err
	}
	seq := st.NextSeq()
	lb := &CLBInstance{
		ID: fmt.Sprintf("lb-fake%04d", seq), Name: name, VpcID: vsw.VpcID, Status: "active",
		CreateTime: r.Now, Tags: tags, VSwitchID: vsw.ID, ZoneID: vsw.ZoneID, Spec: spec,
		ChargeType: charge, DeleteProtection: prot,
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
	return &slb.CreateLoadBalancerResponseBody{
		LoadBalancerId: tea.String(lb.ID), LoadBalancerName: tea.String(lb.Name), Address: tea.String(lb.Address),
		AddressIPVersion: tea.String("ipv4"), NetworkType: tea.String("vpc"), VpcId: tea.String(lb.VpcID),
		VSwitchId: tea.String(lb.VSwitchID), ResourceGroupId: tea.String("rg-fake"), OrderId: tea.Int64(0),
	}, nil
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
	if len(st.CLB.listenersOf(lb.ID)) > 0 {
		return nil, Errorf(http.StatusBadRequest, "OperationDenied.ListenerExists",
			"The load balancer %s still has listeners.", lb.ID)
	}
	st.CLB.LoadBalancers = slices.DeleteFunc(st.CLB.LoadBalancers, func(x *CLBInstance) bool { return x == lb })
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
