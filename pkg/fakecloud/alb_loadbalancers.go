package fakecloud

// ALB instances (seeded only): GetLoadBalancerAttribute, ListLoadBalancers.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

func albGetLoadBalancerAttribute(st *State, r *Request) (any, error) {
	id, err := r.Required("LoadBalancerId")
	if err != nil {
		return nil, err
	}
	lb := st.ALB.loadBalancer(id)
	if lb == nil {
		return nil, albNotFound("LoadBalancer", id)
	}
	return albLoadBalancerBody(st, lb, r.Now), nil
}

// albLoadBalancerBody describes an ALB instance; ListLoadBalancers answers
// the same, minus the fields its items lack.
func albLoadBalancerBody(st *State, lb *ALBLoadBalancer, now time.Time) *alb.GetLoadBalancerAttributeResponseBody {
	body := &alb.GetLoadBalancerAttributeResponseBody{
		LoadBalancerId:              tea.String(lb.ID),
		DNSName:                     tea.String(lb.DNSName),
		AddressType:                 tea.String(lb.AddressType),
		AddressIpVersion:            tea.String(lb.AddressIPVersion),
		AddressAllocatedMode:        tea.String("Dynamic"),
		LoadBalancerStatus:          tea.String(lb.status(now)),
		LoadBalancerBussinessStatus: tea.String("Normal"),
		LoadBalancerEdition:         tea.String(lb.Edition),
		LoadBalancerBillingConfig:   &alb.GetLoadBalancerAttributeResponseBodyLoadBalancerBillingConfig{PayType: tea.String("PostPay")},
		VpcId:                       tea.String(lb.VpcID),
		RegionId:                    tea.String(st.Region),
		ResourceGroupId:             tea.String(lb.ResourceGroupID),
		CreateTime:                  tea.String(fmtTime(lb.CreateTime)),
		DeletionProtectionConfig:    &alb.GetLoadBalancerAttributeResponseBodyDeletionProtectionConfig{Enabled: tea.Bool(lb.DeletionProtection)},
		ModificationProtectionConfig: &alb.GetLoadBalancerAttributeResponseBodyModificationProtectionConfig{
			Status: tea.String("NonProtection"),
		},
		LoadBalancerOperationLocks: []*alb.GetLoadBalancerAttributeResponseBodyLoadBalancerOperationLocks{},
		Tags: albTags(lb.Tags, func(k, v *string) *alb.GetLoadBalancerAttributeResponseBodyTags {
			return &alb.GetLoadBalancerAttributeResponseBodyTags{Key: k, Value: v}
		}),
		ZoneMappings: []*alb.GetLoadBalancerAttributeResponseBodyZoneMappings{},
	}
	if lb.Name != "" {
		body.LoadBalancerName = tea.String(lb.Name)
	}
	for i, z := range lb.Zones {
		vsw := albZoneVSwitch(st, lb, i, z)
		body.ZoneMappings = append(body.ZoneMappings, &alb.GetLoadBalancerAttributeResponseBodyZoneMappings{
			ZoneId:                tea.String(z),
			VSwitchId:             tea.String(vsw),
			Status:                tea.String("Active"),
			LoadBalancerAddresses: []*alb.GetLoadBalancerAttributeResponseBodyZoneMappingsLoadBalancerAddresses{albZoneAddress(lb, i, z)},
		})
	}
	return body
}

// albZoneAddress is the address an ALB instance has in its i-th zone,
// derived from the instance ID and the zone so that it never changes: a
// private IPv4 address in the zone's vSwitch (10.<h>.<i+1>.<h>) with two
// local addresses next to it; for an Internet instance also an EIP
// (198.51.100.<h>, a documentation range, with an eip-... AllocationId) as
// Address, for an Intranet one the private address as Address; for a
// DualStack one also an IPv6 address (2001:db8::/32).
func albZoneAddress(lb *ALBLoadBalancer, i int, zone string) *alb.GetLoadBalancerAttributeResponseBodyZoneMappingsLoadBalancerAddresses {
	h := sha256.Sum256([]byte(lb.ID + "/" + zone))
	host := 4 + int(h[1])%240 // leaves room for the two local addresses
	private := fmt.Sprintf("10.%d.%d.%d", h[0], i+1, host)
	a := &alb.GetLoadBalancerAttributeResponseBodyZoneMappingsLoadBalancerAddresses{
		Address:                 tea.String(private),
		IntranetAddress:         tea.String(private),
		IntranetAddressHcStatus: tea.String("Healthy"),
		Ipv4LocalAddresses: []*string{
			tea.String(fmt.Sprintf("10.%d.%d.%d", h[0], i+1, host+1)),
			tea.String(fmt.Sprintf("10.%d.%d.%d", h[0], i+1, host+2)),
		},
	}
	if lb.AddressType == "Internet" {
		a.Address = tea.String(fmt.Sprintf("198.51.100.%d", 1+int(h[2])%254))
		a.AllocationId = tea.String("eip-" + hex.EncodeToString(h[3:12]))
		a.EipType = tea.String("Common")
	}
	if lb.AddressIPVersion == "DualStack" {
		a.Ipv6Address = tea.String(fmt.Sprintf("2001:db8:%x:%x::%x", h[12], i+1, int(h[13])<<8|int(h[14])))
		a.Ipv6AddressHcStatus = tea.String("Healthy")
	}
	return a
}

func albListLoadBalancers(st *State, r *Request) (any, error) {
	ids, err := r.ListMax("LoadBalancerIds", 20, "values")
	if err != nil {
		return nil, err
	}
	names, err := r.ListMax("LoadBalancerNames", 10, "values")
	if err != nil {
		return nil, err
	}
	vpcs, err := r.ListMax("VpcIds", 10, "values")
	if err != nil {
		return nil, err
	}
	tags, err := tagParams(r, 20, 64)
	if err != nil {
		return nil, err
	}
	addrType, err := r.Enum("AddressType", "", "Internet", "Intranet")
	if err != nil {
		return nil, err
	}
	status, err := r.Enum("LoadBalancerStatus", "", "Inactive", "Active", "Provisioning", "Configuring", "CreateFailed")
	if err != nil {
		return nil, err
	}
	bizStatus, err := r.Enum("LoadBalancerBussinessStatus", "", "Normal", "Abnormal")
	if err != nil {
		return nil, err
	}
	ipVersion, err := r.Enum("AddressIpVersion", "", "IPv4", "DualStack")
	if err != nil {
		return nil, err
	}
	payType, err := r.Enum("PayType", "", "PostPay")
	if err != nil {
		return nil, err
	}
	dns, zone, rg := r.Get("DNSName"), r.Get("ZoneId"), r.Get("ResourceGroupId")
	var match []*ALBLoadBalancer
	for _, lb := range st.ALB.LoadBalancers {
		switch {
		case len(ids) > 0 && !contains(ids, lb.ID),
			len(names) > 0 && !contains(names, lb.Name),
			len(vpcs) > 0 && !contains(vpcs, lb.VpcID),
			addrType != "" && addrType != lb.AddressType,
			status != "" && status != lb.status(r.Now),
			bizStatus != "" && bizStatus != "Normal",
			ipVersion != "" && ipVersion != lb.AddressIPVersion,
			payType != "" && payType != "PostPay",
			dns != "" && dns != lb.DNSName,
			zone != "" && !contains(lb.Zones, zone),
			rg != "" && rg != lb.ResourceGroupID,
			!tagsMatch(lb.Tags, tags):
			continue
		}
		match = append(match, lb)
	}
	return albList(st, r, &alb.ListLoadBalancersResponseBody{}, "LoadBalancers", match, func(lb *ALBLoadBalancer) (*alb.ListLoadBalancersResponseBodyLoadBalancers, error) {
		item := &alb.ListLoadBalancersResponseBodyLoadBalancers{}
		return item, sdkProject(item, albLoadBalancerBody(st, lb, r.Now))
	})
}
