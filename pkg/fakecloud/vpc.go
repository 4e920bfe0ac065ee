package fakecloud

// VPC (API version 2016-04-28, SDK vpc-20160428/v6): DescribeVpcs and
// DescribeVSwitches over the seed's VPCs and vSwitches, read-only. A VPC
// the seed declares no vswitches for gets two, in the region's first two zones
// (albZones: <region>-h and -i), IDs vsw-<vpc suffix>-h / -i, CIDR blocks
// 192.168.0.0/24 and 192.168.1.0/24 (a VPC without a CIDR gets the private range holding its instances,
// defaultVPCCIDR).

import (
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/alibabacloud-go/tea/dara"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
)

const (
	ProductVPC = "vpc"
	VersionVPC = "2016-04-28"
)

// VPCState is the VPC part of the world.
type VPCState struct {
	VPCs      []*VPC     `json:"vpcs"`
	VSwitches []*VSwitch `json:"vswitches"`
}

// VPC is a virtual private cloud.
type VPC struct {
	ID   string `json:"id"`
	CIDR string `json:"cidr"`
}

// VSwitch is a vSwitch: one zone of a VPC.
type VSwitch struct {
	ID     string `json:"id"`
	VpcID  string `json:"vpcId"`
	ZoneID string `json:"zoneId"`
	CIDR   string `json:"cidr"`
}

// SeedVSwitch is a vSwitch in the seed.
type SeedVSwitch struct {
	ID     string `yaml:"id"`
	VpcID  string `yaml:"vpcId"`
	ZoneID string `yaml:"zoneId"`
	CIDR   string `yaml:"cidr"`
}

// vpcSeedTime is the CreationTime of seeded VPCs and vSwitches.
var vpcSeedTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func (v *VPCState) vswitch(id string) *VSwitch {
	return find(v.VSwitches, func(s *VSwitch) bool { return s.ID == id })
}

func registerVPC(reg registry) {
	reg.add(VersionVPC, "DescribeVpcs", false, vpcDescribeVpcs)
	reg.add(VersionVPC, "DescribeVSwitches", false, vpcDescribeVSwitches)
}

// checkVPCSeed checks the seed's vSwitches (normalizeSeed calls it).
func checkVPCSeed(s *Seed, vpcs map[string]bool, bad func(string, ...any)) {
	for _, v := range s.VPCs {
		if v.CIDR != "" {
			if _, _, err := net.ParseCIDR(v.CIDR); err != nil {
				bad("vpcs: %s: cidr %q is not a CIDR block", v.ID, v.CIDR)
			}
		}
	}
	seen := map[string]bool{}
	for i, w := range s.VSwitches {
		switch {
		case !strings.HasPrefix(w.ID, "vsw-") || seen[w.ID]:
			bad("vswitches[%d]: id %q is not a unique vsw-... ID", i, w.ID)
		case !vpcs[w.VpcID]:
			bad("vswitches[%d]: vpcId %q is not declared under vpcs", i, w.VpcID)
		case w.ZoneID == "":
			bad("vswitches[%d]: zoneId is missing", i)
		}
		if _, _, err := net.ParseCIDR(w.CIDR); w.CIDR != "" && err != nil {
			bad("vswitches[%d]: cidr %q is not a CIDR block", i, w.CIDR)
		}
		seen[w.ID] = true
	}
}

// seedVPC fills the VPC part of the world.
func seedVPC(st *State, seed *Seed) error {
	for _, v := range seed.VPCs {
		cidr := v.CIDR
		if cidr == "" {
			cidr = defaultVPCCIDR(seed, v.ID)
		}
		st.VPC.VPCs = append(st.VPC.VPCs, &VPC{ID: v.ID, CIDR: cidr})
	}
	vpcCIDR := map[string]string{}
	for _, v := range st.VPC.VPCs {
		vpcCIDR[v.ID] = v.CIDR
	}
	for i, w := range seed.VSwitches {
		cidr := w.CIDR
		if cidr == "" {
			cidr = nthSubnet24(vpcCIDR[w.VpcID], i)
		}
		st.VPC.VSwitches = append(st.VPC.VSwitches, &VSwitch{ID: w.ID, VpcID: w.VpcID, ZoneID: w.ZoneID, CIDR: cidr})
	}
	declared := map[string]bool{}
	for _, w := range seed.VSwitches {
		declared[w.VpcID] = true
	}
	for _, v := range seed.VPCs {
		if !declared[v.ID] {
			suffix := strings.TrimPrefix(v.ID, "vpc-")
			for i, z := range albZones(seed.Region)[:2] {
				st.VPC.VSwitches = append(st.VPC.VSwitches, &VSwitch{
					ID: "vsw-" + suffix + z[strings.LastIndex(z, "-"):], VpcID: v.ID, ZoneID: z,
					CIDR: nthSubnet24(vpcCIDR[v.ID], i),
				})
			}
		}
	}
	return placeInstances(st)
}

// placeInstances puts each ECS instance in a vSwitch of its VPC and that
// vSwitch's zone: the seed's vSwitchId (which must be one of the VPC's and
// hold the instance's private IP), else the VPC's first vSwitch whose block
// holds the IP, else its first vSwitch.
func placeInstances(st *State) error {
	for i := range st.ECS.Instances {
		in := &st.ECS.Instances[i]
		var mine []*VSwitch
		for _, w := range st.VPC.VSwitches {
			if w.VpcID == in.VpcID {
				mine = append(mine, w)
			}
		}
		holds := func(w *VSwitch) bool {
			_, n, err := net.ParseCIDR(w.CIDR)
			return err == nil && n.Contains(net.ParseIP(in.PrivateIP))
		}
		var pick *VSwitch
		switch {
		case in.VSwitchID != "":
			pick = find(mine, func(w *VSwitch) bool { return w.ID == in.VSwitchID })
			if pick == nil {
				return fmt.Errorf("seed: instance %s: vSwitchId %s is not a vSwitch of %s", in.ID, in.VSwitchID, in.VpcID)
			}
			if !holds(pick) {
				return fmt.Errorf("seed: instance %s: privateIp %s is not in vSwitch %s (%s)", in.ID, in.PrivateIP, pick.ID, pick.CIDR)
			}
		case len(mine) == 0: // cannot happen: every seeded VPC has vSwitches
			continue
		default:
			if pick = find(mine, holds); pick == nil {
				pick = mine[0]
			}
		}
		in.VSwitchID, in.ZoneID = pick.ID, pick.ZoneID
	}
	return nil
}

// nthSubnet24 is the i-th /24 block of a VPC's CIDR block, so a default
// vSwitch lies inside its VPC (192.168.i.0/24 for 192.168.0.0/16).
func nthSubnet24(vpc string, i int) string {
	_, n, err := net.ParseCIDR(vpc)
	var ip net.IP
	if err == nil {
		ip = n.IP.To4()
	}
	if ip == nil {
		return fmt.Sprintf("192.168.%d.0/24", i)
	}
	base := uint32(ip[0])<<24 | uint32(ip[1])<<16 | uint32(ip[2])<<8 + uint32(i)<<8
	return fmt.Sprintf("%d.%d.%d.0/24", byte(base>>24), byte(base>>16), byte(base>>8))
}

func vpcDescribeVpcs(st *State, r *Request) (any, error) {
	if _, err := r.Enum("RegionId", st.Region, st.Region); err != nil {
		return nil, err
	}
	id := r.Get("VpcId")
	var match []*VPC
	for _, v := range st.VPC.VPCs {
		if id != "" && !contains(strings.Split(id, ","), v.ID) {
			continue
		}
		match = append(match, v)
	}
	p, err := numberPage(r, len(match), pageNumberMax, 10, 50)
	if err != nil {
		return nil, err
	}
	items := []*vpc.DescribeVpcsResponseBodyVpcsVpc{}
	for _, v := range pageOf(match, p) {
		var vsws []*string
		for _, w := range st.VPC.VSwitches {
			if w.VpcID == v.ID {
				vsws = append(vsws, dara.String(w.ID))
			}
		}
		items = append(items, &vpc.DescribeVpcsResponseBodyVpcsVpc{
			VpcId: dara.String(v.ID), VpcName: dara.String(""), CidrBlock: dara.String(v.CIDR),
			Status: dara.String("Available"), RegionId: dara.String(st.Region),
			CreationTime: dara.String(vpcSeedTime.Format(time.RFC3339)), IsDefault: dara.Bool(false),
			ResourceGroupId: dara.String("rg-fake"), VRouterId: dara.String("vrt-" + strings.TrimPrefix(v.ID, "vpc-")),
			VSwitchIds: &vpc.DescribeVpcsResponseBodyVpcsVpcVSwitchIds{VSwitchId: vsws},
		})
	}
	return &vpc.DescribeVpcsResponseBody{
		PageNumber: dara.Int32(int32(p.number)), PageSize: dara.Int32(int32(p.size)), TotalCount: dara.Int32(int32(p.total)),
		Vpcs: &vpc.DescribeVpcsResponseBodyVpcs{Vpc: items},
	}, nil
}

func vpcDescribeVSwitches(st *State, r *Request) (any, error) {
	if _, err := r.Enum("RegionId", st.Region, st.Region); err != nil {
		return nil, err
	}
	vpcID, zone, id := r.Get("VpcId"), r.Get("ZoneId"), r.Get("VSwitchId")
	var match []*VSwitch
	for _, w := range st.VPC.VSwitches {
		switch {
		case vpcID != "" && vpcID != w.VpcID,
			zone != "" && zone != w.ZoneID,
			id != "" && !contains(strings.Split(id, ","), w.ID):
			continue
		}
		match = append(match, w)
	}
	p, err := numberPage(r, len(match), pageNumberMax, 10, 50)
	if err != nil {
		return nil, err
	}
	items := []*vpc.DescribeVSwitchesResponseBodyVSwitchesVSwitch{}
	for _, w := range pageOf(match, p) {
		items = append(items, &vpc.DescribeVSwitchesResponseBodyVSwitchesVSwitch{
			VSwitchId: dara.String(w.ID), VSwitchName: dara.String(""), VpcId: dara.String(w.VpcID),
			ZoneId: dara.String(w.ZoneID), CidrBlock: dara.String(w.CIDR), Status: dara.String("Available"),
			AvailableIpAddressCount: dara.Int64(252), IsDefault: dara.Bool(false),
			ResourceGroupId: dara.String("rg-fake"), CreationTime: dara.String(vpcSeedTime.Format(time.RFC3339)),
		})
	}
	return &vpc.DescribeVSwitchesResponseBody{
		PageNumber: dara.Int32(int32(p.number)), PageSize: dara.Int32(int32(p.size)), TotalCount: dara.Int32(int32(p.total)),
		VSwitches: &vpc.DescribeVSwitchesResponseBodyVSwitches{VSwitch: items},
	}, nil
}
