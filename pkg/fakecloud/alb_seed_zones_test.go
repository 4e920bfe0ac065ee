package fakecloud

import (
	"net"
	"testing"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
)

// TestSeededALBVSwitchesAreListed: every vSwitch a seeded ALB reports in its
// ZoneMappings is one DescribeVSwitches lists, of the ALB's VPC and in the
// zone the mapping names: the VPC's own vSwitches in zones ALB has, else
// ones made like a VPC's defaults, in a free block of the VPC.
func TestSeededALBVSwitchesAreListed(t *testing.T) {
	withVSwitches := DemoSeed()
	withVSwitches.VPCs = []SeedVPC{{ID: "vpc-fake01", CIDR: "172.16.0.0/16"}, {ID: "vpc-other01"}}
	withVSwitches.Instances = withVSwitches.Instances[:0]
	withVSwitches.VSwitches = []SeedVSwitch{
		{ID: "vsw-web-a", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-a", CIDR: "172.16.0.0/24"}, // no ALB there
		{ID: "vsw-web-j", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-j", CIDR: "172.16.1.0/24"},
		{ID: "vsw-web-j2", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-j", CIDR: "172.16.3.0/24"},
	}
	for name, tc := range map[string]struct {
		seed  *Seed
		zones []string
	}{
		"demo (the VPC's default vSwitches)":        {DemoSeed(), []string{"vsw-fake01-h@cn-hangzhou-h", "vsw-fake01-i@cn-hangzhou-i"}},
		"the VPC's vSwitch in -j, a default for -h": {withVSwitches, []string{"vsw-web-j@cn-hangzhou-j", "vsw-fake01-h@cn-hangzhou-h"}},
	} {
		t.Run(name, func(t *testing.T) {
			ts, c := newALBClient(t, Options{Seed: tc.seed})
			vc, err := vpc.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
			if err != nil {
				t.Fatal(err)
			}
			attr, err := c.GetLoadBalancerAttribute(&alb.GetLoadBalancerAttributeRequest{LoadBalancerId: tea.String("alb-fake01")})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range attr.Body.ZoneMappings {
				vsw, zone := tea.StringValue(m.VSwitchId), tea.StringValue(m.ZoneId)
				got = append(got, vsw+"@"+zone)
				l, err := vc.DescribeVSwitches(&vpc.DescribeVSwitchesRequest{RegionId: tea.String("cn-hangzhou"), VSwitchId: tea.String(vsw)})
				if err != nil {
					t.Fatal(err)
				}
				if ws := l.Body.VSwitches.VSwitch; len(ws) != 1 || tea.StringValue(ws[0].ZoneId) != zone || tea.StringValue(ws[0].VpcId) != "vpc-fake01" {
					t.Errorf("ZoneMappings names %s in %s; DescribeVSwitches lists %v", vsw, zone, l.Body.VSwitches)
				}
			}
			if len(got) != len(tc.zones) || got[0] != tc.zones[0] || got[1] != tc.zones[1] {
				t.Fatalf("ZoneMappings %v, want %v", got, tc.zones)
			}
			// The vSwitches of the VPC do not overlap and lie in the VPC.
			snap := ts.Snapshot()
			var nets []*net.IPNet
			_, vpcNet, _ := net.ParseCIDR(find(snap.VPC.VPCs, func(v *VPC) bool { return v.ID == "vpc-fake01" }).CIDR)
			for _, w := range snap.VPC.VSwitches {
				if w.VpcID != "vpc-fake01" {
					continue
				}
				_, n, err := net.ParseCIDR(w.CIDR)
				if err != nil || !vpcNet.Contains(n.IP) {
					t.Fatalf("vSwitch %s block %s outside the VPC %s", w.ID, w.CIDR, vpcNet)
				}
				for _, o := range nets {
					if o.Contains(n.IP) || n.Contains(o.IP) {
						t.Fatalf("vSwitch %s block %s overlaps %s", w.ID, w.CIDR, o)
					}
				}
				nets = append(nets, n)
			}
		})
	}
}
