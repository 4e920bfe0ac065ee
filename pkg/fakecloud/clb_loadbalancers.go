package fakecloud

// CLB instances (seeded only): DescribeLoadBalancerAttribute,
// DescribeLoadBalancers.

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"strings"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
)

// clbLoadBalancer returns the CLB instance named by an ID, or 404.
func clbLoadBalancer(st *State, id string) (*CLBInstance, error) {
	lb := st.CLB.loadBalancer(id)
	if lb == nil {
		return nil, clbLBNotFound(id)
	}
	return lb, nil
}

// clbInstanceParam reads LoadBalancerId, then the call's other parameters
// (parse, if not nil: a bad parameter is reported before a missing
// instance), and returns the instance.
func clbInstanceParam(st *State, r *Request, parse func() error) (*CLBInstance, error) {
	id, err := r.Required("LoadBalancerId")
	if err != nil {
		return nil, err
	}
	if parse != nil {
		if err := parse(); err != nil {
			return nil, err
		}
	}
	return clbLoadBalancer(st, id)
}

func clbAddressType(addr string) string {
	if ip := net.ParseIP(addr); ip != nil && ip.IsPrivate() {
		return "intranet"
	}
	return "internet"
}

// clbVSwitch is an instance's vSwitch and its zone (the master zone): a
// created instance's own, a seeded one's VPC's first vSwitch (one that
// DescribeVSwitches lists).
func clbVSwitch(st *State, lb *CLBInstance) (id, zone string) {
	if lb.VSwitchID != "" {
		return lb.VSwitchID, lb.ZoneID
	}
	if w := find(st.VPC.VSwitches, func(w *VSwitch) bool { return w.VpcID == lb.VpcID }); w != nil {
		return w.ID, w.ZoneID
	}
	// A world saved before vSwitches were modelled.
	return "vsw-" + strings.TrimPrefix(lb.VpcID, "vpc-"), st.Region + "-a"
}

// clbLBMap is what DescribeLoadBalancers and DescribeLoadBalancerAttribute share.
func clbLBMap(st *State, lb *CLBInstance) map[string]any {
	status := lb.Status
	if status == "" { // a state file written before CLB instances had a status
		status = "active"
	}
	vswID, zone := clbVSwitch(st, lb)
	m := map[string]any{
		"LoadBalancerId":               lb.ID,
		"LoadBalancerName":             lb.Name,
		"Address":                      lb.Address,
		"AddressType":                  clbAddressType(lb.Address),
		"AddressIPVersion":             "ipv4",
		"NetworkType":                  "vpc",
		"VpcId":                        lb.VpcID,
		"VSwitchId":                    vswID,
		"LoadBalancerStatus":           status,
		"LoadBalancerSpec":             "slb.s1.small",
		"PayType":                      "PayOnDemand",
		"InstanceChargeType":           "PayBySpec",
		"InternetChargeType":           lb.internetCharge(),
		"Bandwidth":                    lb.bandwidth(),
		"DeleteProtection":             "off",
		"ModificationProtectionStatus": "NonProtection",
		"RegionId":                     st.Region,
		"MasterZoneId":                 zone,
		"SlaveZoneId":                  clbSlaveZone(st, lb, zone),
		"ResourceGroupId":              "rg-fake",
		"CreateTime":                   fmtTime(lb.CreateTime),
		"CreateTimeStamp":              lb.CreateTime.UnixMilli(),
	}
	if lb.VSwitchID != "" {
		m["InstanceChargeType"] = lb.ChargeType
		m["LoadBalancerSpec"], m["DeleteProtection"] = lb.Spec, lb.DeleteProtection
		if lb.Spec == "" {
			delete(m, "LoadBalancerSpec")
		}
	}
	if lb.VSwitchID == "" && lb.Spec != "" { // a seeded instance whose spec was modified
		m["LoadBalancerSpec"] = lb.Spec
	}
	if t := clbWrappedTags(lb.Tags); t != nil {
		m["Tags"] = t
	}
	return m
}

func slbDescribeLoadBalancerAttribute(st *State, r *Request) (any, error) {
	lb, err := clbInstanceParam(st, r, nil)
	if err != nil {
		return nil, err
	}
	m := clbLBMap(st, lb)
	var ports, pp, ppLegacy []any
	for _, l := range st.CLB.listenersOf(lb.ID) {
		ports = append(ports, l.Port)
		e := map[string]any{"ListenerPort": l.Port, "ListenerProtocol": l.Protocol}
		if l.Description != "" {
			e["Description"] = l.Description
		}
		if l.Protocol == "http" {
			e["ListenerForward"] = l.flag("ListenerForward")
			if l.flag("ListenerForward") == "on" {
				e["ForwardPort"] = l.ForwardPort
			}
		}
		pp = append(pp, e)
		ppLegacy = append(ppLegacy, map[string]any{"ListenerPort": l.Port, "ListenerProtocal": l.Protocol})
	}
	m["ListenerPorts"] = map[string]any{"ListenerPort": ports}
	m["ListenerPortsAndProtocol"] = map[string]any{"ListenerPortAndProtocol": pp}
	m["ListenerPortsAndProtocal"] = map[string]any{"ListenerPortAndProtocal": ppLegacy}
	// The default server group is not modelled: always empty.
	m["BackendServers"] = map[string]any{"BackendServer": []any{}}
	body := &slb.DescribeLoadBalancerAttributeResponseBody{}
	return body, sdkFill(body, m)
}

// clbCommaList splits a comma-separated filter of at most 10 values.
func clbCommaList(r *Request, name string) ([]string, bool, error) {
	v, ok := r.Str(name)
	if !ok {
		return nil, false, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > 10 {
		return nil, true, InvalidParameter(name, v, "at most 10 comma-separated values")
	}
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts, true, nil
}

func slbDescribeLoadBalancers(st *State, r *Request) (any, error) {
	ids, hasIDs, err := clbCommaList(r, "LoadBalancerId")
	if err != nil {
		return nil, err
	}
	names, hasNames, err := clbCommaList(r, "LoadBalancerName")
	if err != nil {
		return nil, err
	}
	ips, hasIPs, err := clbCommaList(r, "ServerIntranetAddress")
	if err != nil {
		return nil, err
	}
	enums := []struct {
		name    string
		allowed []string
	}{
		{"AddressType", []string{"internet", "intranet"}},
		{"AddressIPVersion", []string{"ipv4", "ipv6"}},
		{"NetworkType", []string{"vpc", "classic"}},
		{"LoadBalancerStatus", []string{"inactive", "active", "locked"}},
		{"InternetChargeType", []string{"paybybandwidth", "paybytraffic"}},
		{"PayType", []string{"PayOnDemand", "PrePay"}},
	}
	for _, e := range enums {
		if _, _, err := r.OneOf(e.name, e.allowed...); err != nil {
			return nil, err
		}
	}
	filters, err := clbTagParams(r)
	if err != nil {
		return nil, err
	}
	if raw, ok := r.Str("Tags"); ok {
		var pairs []struct {
			TagKey   *string `json:"tagKey"`
			TagValue *string `json:"tagValue"`
		}
		if err := json.Unmarshal([]byte(raw), &pairs); err != nil || len(pairs) > 10 {
			return nil, InvalidParameter("Tags", raw, `a JSON array of at most 10 {"tagKey":"...","tagValue":"..."}`)
		}
		for _, p := range pairs {
			if p.TagKey == nil || *p.TagKey == "" {
				return nil, InvalidParameter("Tags", raw, "tagKey in every pair")
			}
			f := tagFilter{Key: *p.TagKey}
			if p.TagValue != nil {
				f.Value, f.HasValue = *p.TagValue, true
			}
			filters = append(filters, f)
		}
	}
	_, hasNumber := r.Str("PageNumber")
	if _, hasSize := r.Str("PageSize"); hasSize && !hasNumber {
		return nil, MissingParameter("PageNumber")
	}
	eq := func(name, have string) bool {
		v, ok := r.Str(name)
		return !ok || v == have
	}
	var items []any
	for _, lb := range st.CLB.LoadBalancers {
		m := clbLBMap(st, lb)
		match := (!hasIDs || contains(ids, lb.ID)) && (!hasNames || contains(names, lb.Name)) &&
			eq("Address", lb.Address) && eq("VpcId", lb.VpcID) && eq("VSwitchId", fmt.Sprint(m["VSwitchId"])) &&
			eq("ResourceGroupId", "rg-fake") && eq("MasterZoneId", fmt.Sprint(m["MasterZoneId"])) && eq("SlaveZoneId", fmt.Sprint(m["SlaveZoneId"])) &&
			tagsMatch(lb.Tags, filters)
		for _, e := range enums {
			match = match && eq(e.name, fmt.Sprint(m[e.name]))
		}
		if sid, ok := r.Str("ServerId"); ok && match {
			match = clbLBHasServer(st, lb, func(s CLBBackend) bool { return s.ServerID == sid })
		}
		if hasIPs && match {
			match = clbLBHasServer(st, lb, func(s CLBBackend) bool { return contains(ips, s.ServerIP) })
		}
		if match {
			items = append(items, m)
		}
	}
	p, err := numberPage(r, len(items), math.MaxInt32, 10, 100)
	if err != nil {
		return nil, err
	}
	body := &slb.DescribeLoadBalancersResponseBody{}
	return body, sdkFill(body, map[string]any{
		"LoadBalancers": map[string]any{"LoadBalancer": pageOf(items, p)},
		"PageNumber":    p.number,
		"PageSize":      p.size,
		"TotalCount":    p.total,
	})
}

// clbLBHasServer reports whether any vServer group of lb has a matching server.
func clbLBHasServer(st *State, lb *CLBInstance, match func(CLBBackend) bool) bool {
	for _, g := range st.CLB.VServerGroups {
		if g.LoadBalancerID != lb.ID {
			continue
		}
		for _, s := range g.Servers {
			if match(s) {
				return true
			}
		}
	}
	return false
}
