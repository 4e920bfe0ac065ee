package fakecloud

// VPC DescribeVpcs / DescribeVSwitches through the real SDK over HTTP.

import (
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"testing"

	"github.com/alibabacloud-go/tea/tea"
	vpc "github.com/alibabacloud-go/vpc-20160428/v6/client"
)

func TestVPCDescribeDefaultVSwitches(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c, err := vpc.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeVSwitches(&vpc.DescribeVSwitchesRequest{RegionId: tea.String("cn-hangzhou"), VpcId: tea.String("vpc-fake01")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range out.Body.VSwitches.VSwitch {
		got = append(got, tea.StringValue(w.VSwitchId)+"@"+tea.StringValue(w.ZoneId)+"@"+tea.StringValue(w.VpcId))
	}
	want := []string{"vsw-fake01-h@cn-hangzhou-h@vpc-fake01", "vsw-fake01-i@cn-hangzhou-i@vpc-fake01"}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] || tea.Int32Value(out.Body.TotalCount) != 2 {
		t.Fatalf("vSwitches %v, want %v", got, want)
	}
	snap := ts.Snapshot()
	if w := snap.VPC.vswitch("vsw-fake01-i"); w == nil || w.CIDR != "192.168.1.0/24" {
		t.Fatalf("world vSwitch: %+v", w)
	}
	vpcs, err := c.DescribeVpcs(&vpc.DescribeVpcsRequest{RegionId: tea.String("cn-hangzhou"), VpcId: tea.String("vpc-fake01")})
	if err != nil {
		t.Fatal(err)
	}
	if v := vpcs.Body.Vpcs.Vpc; len(v) != 1 || tea.StringValue(v[0].VpcId) != "vpc-fake01" || len(v[0].VSwitchIds.VSwitchId) != 2 {
		t.Fatalf("vpcs: %v", vpcs.Body)
	}
}

func TestVPCSeededVSwitches(t *testing.T) {
	seed := DemoSeed()
	seed.VPCs = append(seed.VPCs, SeedVPC{ID: "vpc-other", CIDR: "10.0.0.0/8"})
	seed.VSwitches = []SeedVSwitch{
		{ID: "vsw-a", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-h", CIDR: "192.168.10.0/24"},
		{ID: "vsw-b", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-j"},
		{ID: "vsw-c", VpcID: "vpc-other", ZoneID: "cn-hangzhou-i"},
		{ID: "vsw-o", VpcID: "vpc-other01", ZoneID: "cn-hangzhou-i"},
	}
	ts := NewTestServer(t, Options{Seed: seed})
	c, err := vpc.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeVSwitches(&vpc.DescribeVSwitchesRequest{RegionId: tea.String("cn-hangzhou"), ZoneId: tea.String("cn-hangzhou-h")})
	if err != nil {
		t.Fatal(err)
	}
	if l := out.Body.VSwitches.VSwitch; len(l) != 1 || tea.StringValue(l[0].VSwitchId) != "vsw-a" || tea.StringValue(l[0].CidrBlock) != "192.168.10.0/24" {
		t.Fatalf("vSwitches in -h: %v", out.Body)
	}
	// An ALB across a vSwitch of another VPC is refused.
	_, ac := newALBClient(t, Options{Seed: seed})
	req := albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-i")
	req.ZoneMappings[0].VSwitchId, req.ZoneMappings[1].VSwitchId = tea.String("vsw-a"), tea.String("vsw-c")
	_, err = ac.CreateLoadBalancer(req)
	wantSDKError(t, err, 400, "Mismatch.VpcId")

	bad := DemoSeed()
	bad.VSwitches = []SeedVSwitch{{ID: "vsw-x", VpcID: "vpc-nope", ZoneID: "cn-hangzhou-h"}}
	if _, err := New(Options{Seed: bad}); err == nil {
		t.Fatal("a vSwitch of an undeclared VPC was accepted")
	}
}

// TestECSInstancesInSeededVSwitches: DescribeInstances puts every instance
// in a vSwitch that DescribeVSwitches lists, of its VPC, holding its private
// IP where one does, and in that vSwitch's zone.
func TestECSInstancesInSeededVSwitches(t *testing.T) {
	check := func(t *testing.T, seed *Seed, want map[string]string) {
		t.Helper()
		ts := NewTestServer(t, Options{Seed: seed})
		vc, err := vpc.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
		if err != nil {
			t.Fatal(err)
		}
		ec, err := ecs.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
		if err != nil {
			t.Fatal(err)
		}
		vsws, err := vc.DescribeVSwitches(&vpc.DescribeVSwitchesRequest{RegionId: tea.String("cn-hangzhou"), PageSize: tea.Int32(50)})
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]*vpc.DescribeVSwitchesResponseBodyVSwitchesVSwitch{}
		for _, w := range vsws.Body.VSwitches.VSwitch {
			listed[tea.StringValue(w.VSwitchId)] = w
		}
		ins, err := ec.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), PageSize: tea.Int32(100)})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, in := range ins.Body.Instances.Instance {
			id, vswID := tea.StringValue(in.InstanceId), tea.StringValue(in.VpcAttributes.VSwitchId)
			w := listed[vswID]
			if w == nil {
				t.Fatalf("%s: vSwitch %s is not listed by DescribeVSwitches", id, vswID)
			}
			if tea.StringValue(w.VpcId) != tea.StringValue(in.VpcAttributes.VpcId) || tea.StringValue(w.ZoneId) != tea.StringValue(in.ZoneId) {
				t.Fatalf("%s: in %s/%s, its vSwitch %s is in %s/%s", id, tea.StringValue(in.VpcAttributes.VpcId), tea.StringValue(in.ZoneId),
					vswID, tea.StringValue(w.VpcId), tea.StringValue(w.ZoneId))
			}
			got[id] = vswID + "@" + tea.StringValue(in.ZoneId)
		}
		for id, v := range want {
			if got[id] != v {
				t.Errorf("%s: %s, want %s", id, got[id], v)
			}
		}
	}
	t.Run("default vSwitches", func(t *testing.T) {
		check(t, DemoSeed(), map[string]string{
			"i-fake01":  "vsw-fake01-h@cn-hangzhou-h",
			"i-other01": "vsw-other01-h@cn-hangzhou-h",
		})
	})
	t.Run("seeded vSwitches", func(t *testing.T) {
		seed := DemoSeed()
		seed.VSwitches = []SeedVSwitch{
			{ID: "vsw-x", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-h", CIDR: "192.168.9.0/24"},
			{ID: "vsw-y", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-i", CIDR: "192.168.0.0/24"},
			{ID: "vsw-z", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-j", CIDR: "192.168.0.0/24"},
			{ID: "vsw-o", VpcID: "vpc-other01", ZoneID: "cn-hangzhou-j", CIDR: "10.9.0.0/24"},
		}
		for i := range seed.Instances {
			if seed.Instances[i].ID == "i-fake03" {
				seed.Instances[i].VSwitchID = "vsw-z"
			}
		}
		check(t, seed, map[string]string{
			"i-fake01":  "vsw-y@cn-hangzhou-i", // the first whose block holds its IP
			"i-fake03":  "vsw-z@cn-hangzhou-j", // the seed's choice
			"i-other01": "vsw-o@cn-hangzhou-j", // none holds it: the VPC's first
		})
	})
	t.Run("a VPC without declared vSwitches has the defaults", func(t *testing.T) {
		seed := DemoSeed()
		seed.VSwitches = []SeedVSwitch{{ID: "vsw-x", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-j"}}
		check(t, seed, map[string]string{
			"i-fake01":  "vsw-x@cn-hangzhou-j",
			"i-other01": "vsw-other01-h@cn-hangzhou-h",
		})
	})
	t.Run("bad seeds", func(t *testing.T) {
		for name, mut := range map[string]func(*Seed){
			"other VPC's vSwitch": func(s *Seed) { s.Instances[0].VSwitchID = "vsw-other01-h" },
			"unknown vSwitch":     func(s *Seed) { s.Instances[0].VSwitchID = "vsw-nope" },
			"IP outside it": func(s *Seed) {
				s.VSwitches = []SeedVSwitch{{ID: "vsw-x", VpcID: "vpc-fake01", ZoneID: "cn-hangzhou-h", CIDR: "192.168.9.0/24"},
					{ID: "vsw-o", VpcID: "vpc-other01", ZoneID: "cn-hangzhou-h"}}
				s.Instances[0].VSwitchID = "vsw-x"
			},
		} {
			seed := DemoSeed()
			mut(seed)
			if _, err := New(Options{Seed: seed}); err == nil {
				t.Errorf("%s: accepted", name)
			}
		}
	})
}

// TestCLBVSwitchIsListed: a seeded CLB reports its VPC's first vSwitch
// (one DescribeVSwitches lists) and that vSwitch's zone as master zone; the
// VSwitchId filter of DescribeLoadBalancers matches what it reports, for a
// created CLB too.
func TestCLBVSwitchIsListed(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c, err := slb.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	region := tea.String("cn-hangzhou")
	attr, err := c.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: region, LoadBalancerId: tea.String("lb-fake01")})
	if err != nil {
		t.Fatal(err)
	}
	if v, z := tea.StringValue(attr.Body.VSwitchId), tea.StringValue(attr.Body.MasterZoneId); v != "vsw-fake01-h" || z != "cn-hangzhou-h" {
		t.Fatalf("seeded CLB in %s/%s, want vsw-fake01-h/cn-hangzhou-h", v, z)
	}
	out, err := c.CreateLoadBalancer(&slb.CreateLoadBalancerRequest{RegionId: region, VSwitchId: tea.String("vsw-fake01-i"), InstanceChargeType: tea.String("PayByCLCU")})
	if err != nil {
		t.Fatal(err)
	}
	for vsw, want := range map[string]string{"vsw-fake01-h": "lb-fake01", "vsw-fake01-i": tea.StringValue(out.Body.LoadBalancerId)} {
		l, err := c.DescribeLoadBalancers(&slb.DescribeLoadBalancersRequest{RegionId: region, VSwitchId: tea.String(vsw)})
		if err != nil {
			t.Fatal(err)
		}
		if lbs := l.Body.LoadBalancers.LoadBalancer; len(lbs) != 1 || tea.StringValue(lbs[0].LoadBalancerId) != want {
			t.Fatalf("VSwitchId=%s: %v, want %s", vsw, l.Body.LoadBalancers, want)
		}
	}
}
