package fakecloud

// The zones and vSwitches of a seeded ALB instance. The seed names none, so
// the fake places the instance, as the real API would have been asked to,
// in two zones where ALB can be created (albZones), each through a vSwitch
// of the instance's VPC that DescribeVSwitches lists: the VPC's first
// vSwitch in each such zone, in the world's order. When the VPC has fewer
// than two (a seed that declares its vSwitches elsewhere), the missing ones
// are made the way a VPC's default vSwitches are (vpc.go): in the first ALB
// zones not used yet, ID vsw-<vpc suffix>-<zone letter>, the VPC's next
// free /24 block (nthSubnet24).

import (
	"fmt"
	"net"
	"strings"
)

// seedALBZones gives lb two zones and their vSwitches (st.VPC is seeded).
func seedALBZones(st *State, region string, lb *ALBLoadBalancer) {
	zones := albZones(region)
	var mine []*VSwitch
	for _, w := range st.VPC.VSwitches {
		if w.VpcID == lb.VpcID {
			mine = append(mine, w)
		}
	}
	lb.Zones, lb.VSwitchIDs = nil, nil
	for _, w := range mine {
		if len(lb.Zones) < 2 && contains(zones, w.ZoneID) && !contains(lb.Zones, w.ZoneID) {
			lb.Zones = append(lb.Zones, w.ZoneID)
			lb.VSwitchIDs = append(lb.VSwitchIDs, w.ID)
		}
	}
	for _, z := range zones {
		if len(lb.Zones) >= 2 {
			break
		}
		if contains(lb.Zones, z) {
			continue
		}
		w := newDefaultVSwitch(st, lb.VpcID, z)
		lb.Zones = append(lb.Zones, z)
		lb.VSwitchIDs = append(lb.VSwitchIDs, w.ID)
	}
}

// newDefaultVSwitch adds a vSwitch to vpc in zone, named and addressed as
// the VPC's default vSwitches are, in a /24 block no vSwitch of the VPC
// overlaps, and an ID no vSwitch has.
func newDefaultVSwitch(st *State, vpcID, zone string) *VSwitch {
	var vpcCIDR string
	if v := find(st.VPC.VPCs, func(v *VPC) bool { return v.ID == vpcID }); v != nil {
		vpcCIDR = v.CIDR
	}
	base := "vsw-" + strings.TrimPrefix(vpcID, "vpc-") + zone[strings.LastIndex(zone, "-"):]
	id := base
	for n := 2; st.VPC.vswitch(id) != nil; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	overlaps := func(cidr string) bool {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			return true
		}
		for _, w := range st.VPC.VSwitches {
			if w.VpcID != vpcID {
				continue
			}
			if _, m, err := net.ParseCIDR(w.CIDR); err == nil && (m.Contains(n.IP) || n.Contains(m.IP)) {
				return true
			}
		}
		return false
	}
	cidr := nthSubnet24(vpcCIDR, 0)
	for i := 1; overlaps(cidr) && i < 256; i++ {
		cidr = nthSubnet24(vpcCIDR, i)
	}
	w := &VSwitch{ID: id, VpcID: vpcID, ZoneID: zone, CIDR: cidr}
	st.VPC.VSwitches = append(st.VPC.VSwitches, w)
	return w
}

// albZoneVSwitch is the vSwitch an ALB instance reports for its i-th zone
// z: its own, or (a world saved before seeded instances had them) its VPC's
// first vSwitch in z, else the old synthetic vsw-<alb>-<i+1>.
func albZoneVSwitch(st *State, lb *ALBLoadBalancer, i int, z string) string {
	if i < len(lb.VSwitchIDs) {
		return lb.VSwitchIDs[i]
	}
	if w := find(st.VPC.VSwitches, func(w *VSwitch) bool { return w.VpcID == lb.VpcID && w.ZoneID == z }); w != nil {
		return w.ID
	}
	return fmt.Sprintf("vsw-%s-%d", lb.ID, i+1)
}
