package fakecloud

// VPC DescribeVpcs / DescribeVSwitches through the real SDK over HTTP.

import (
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
