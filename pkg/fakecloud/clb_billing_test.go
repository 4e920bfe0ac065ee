package fakecloud

import (
	"testing"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

// TestCLBCreateEndOfSale: pay-by-spec and shared-resource CLBs are no longer
// sold, so a create without InstanceChargeType=PayByCLCU is refused and
// makes nothing; a PayByCLCU create works.
func TestCLBCreateEndOfSale(t *testing.T) {
	e := newCLBEnv(t, Options{})
	before := len(e.ts.Snapshot().CLB.LoadBalancers)
	req := func(charge, spec string) *slb.CreateLoadBalancerRequest {
		r := &slb.CreateLoadBalancerRequest{RegionId: clbRegion, VSwitchId: tea.String("vsw-fake01-h"), AddressType: tea.String("internet")}
		if charge != "" {
			r.InstanceChargeType = tea.String(charge)
		}
		if spec != "" {
			r.LoadBalancerSpec = tea.String(spec)
		}
		return r
	}
	for _, tc := range []struct{ charge, spec, code string }{
		{"", "slb.s1.small", "PayBySpecSlbHaltSales"},
		{"PayBySpec", "slb.s3.large", "PayBySpecSlbHaltSales"},
		{"", "", "ShareSlbHaltSales"},
		{"PayBySpec", "", "ShareSlbHaltSales"},
		{"PayByCLCU", "slb.s1.small", "InvalidParameter"},
	} {
		_, err := e.c.CreateLoadBalancer(req(tc.charge, tc.spec))
		wantSDKError(t, err, 400, tc.code)
	}
	if n := len(e.ts.Snapshot().CLB.LoadBalancers); n != before {
		t.Fatalf("%d CLBs after refused creates, want %d", n, before)
	}
	out, err := e.c.CreateLoadBalancer(req("PayByCLCU", ""))
	if err != nil {
		t.Fatal(err)
	}
	snap := e.ts.Snapshot()
	if lb := snap.CLB.loadBalancer(tea.StringValue(out.Body.LoadBalancerId)); lb == nil || lb.ChargeType != "PayByCLCU" || lb.Spec != "" {
		t.Fatalf("created %+v", lb)
	}
}

// TestCLBInternetChargeType: DescribeLoadBalancerAttribute and
// DescribeLoadBalancers report the InternetChargeType (and the
// pay-by-bandwidth cap) the seed said; the create's parameter is validated:
// the SDK's values only, paybytraffic with PayByCLCU.
func TestCLBInternetChargeType(t *testing.T) {
	seed := DemoSeed()
	seed.CLBs = append(seed.CLBs, SeedCLB{ID: "lb-band01", VpcID: "vpc-fake01", Address: "203.0.113.20", InternetChargeType: "paybybandwidth", Bandwidth: 50})
	e := newCLBEnv(t, Options{Seed: seed})
	for id, want := range map[string]struct {
		charge string
		bw     int32
	}{"lb-fake01": {"paybytraffic", 5120}, "lb-band01": {"paybybandwidth", 50}} {
		attr, err := e.c.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: clbRegion, LoadBalancerId: tea.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if got := tea.StringValue(attr.Body.InternetChargeType); got != want.charge || tea.Int32Value(attr.Body.Bandwidth) != want.bw {
			t.Errorf("%s: InternetChargeType %q Bandwidth %d, want %q %d", id, got, tea.Int32Value(attr.Body.Bandwidth), want.charge, want.bw)
		}
		list, err := e.c.DescribeLoadBalancers(&slb.DescribeLoadBalancersRequest{RegionId: clbRegion, InternetChargeType: tea.String(want.charge)})
		if err != nil {
			t.Fatal(err)
		}
		if lbs := list.Body.LoadBalancers.LoadBalancer; len(lbs) != 1 || tea.StringValue(lbs[0].LoadBalancerId) != id {
			t.Errorf("DescribeLoadBalancers InternetChargeType=%s: %v, want %s only", want.charge, list.Body.LoadBalancers, id)
		}
	}

	create := func(internet string, bw int32) error {
		r := &slb.CreateLoadBalancerRequest{RegionId: clbRegion, VSwitchId: tea.String("vsw-fake01-h"), AddressType: tea.String("internet"),
			InstanceChargeType: tea.String("PayByCLCU"), InternetChargeType: tea.String(internet)}
		if bw != 0 {
			r.Bandwidth = tea.Int32(bw)
		}
		_, err := e.c.CreateLoadBalancer(r)
		return err
	}
	wantSDKError(t, create("PayByTraffic", 0), 400, "InvalidParameter")
	wantSDKError(t, create("paybybandwidth", 10), 400, "InvalidParameter")
	wantSDKError(t, create("paybytraffic", 6000), 400, "InvalidParameter")
	before := len(e.ts.Snapshot().CLB.LoadBalancers)
	if err := create("paybytraffic", 0); err != nil {
		t.Fatal(err)
	}
	if n := len(e.ts.Snapshot().CLB.LoadBalancers); n != before+1 {
		t.Fatalf("%d CLBs, want %d", n, before+1)
	}
	last := e.ts.Snapshot().CLB.LoadBalancers[before]
	if last.internetCharge() != "paybytraffic" {
		t.Fatalf("created with InternetChargeType %q", last.InternetChargeType)
	}
}

// TestCLBSeedInternetChargeType: the seed's internetChargeType is checked.
func TestCLBSeedInternetChargeType(t *testing.T) {
	for _, c := range []SeedCLB{
		{ID: "lb-x1", VpcID: "vpc-fake01", Address: "203.0.113.21", InternetChargeType: "paybybandwidth"},
		{ID: "lb-x1", VpcID: "vpc-fake01", Address: "203.0.113.21", InternetChargeType: "PayByBandwidth", Bandwidth: 5},
		{ID: "lb-x1", VpcID: "vpc-fake01", Address: "192.168.0.50", InternetChargeType: "paybybandwidth", Bandwidth: 5},
		{ID: "lb-x1", VpcID: "vpc-fake01", Address: "203.0.113.21", Bandwidth: 5},
	} {
		seed := DemoSeed()
		seed.CLBs = append(seed.CLBs, c)
		if _, err := New(Options{Seed: seed}); err == nil {
			t.Errorf("seed clb %+v accepted", c)
		}
	}
}

// TestCLBCreateAddressTypeDefault: with a VSwitchId, AddressType defaults to
// intranet (SDK model): a private address in the vSwitch's block.
func TestCLBCreateAddressTypeDefault(t *testing.T) {
	e := newCLBEnv(t, Options{})
	out, err := e.c.CreateLoadBalancer(&slb.CreateLoadBalancerRequest{RegionId: clbRegion, VSwitchId: tea.String("vsw-fake01-i"), InstanceChargeType: tea.String("PayByCLCU")})
	if err != nil {
		t.Fatal(err)
	}
	attr, err := e.c.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: clbRegion, LoadBalancerId: out.Body.LoadBalancerId})
	if err != nil {
		t.Fatal(err)
	}
	if a := tea.StringValue(attr.Body.Address); tea.StringValue(attr.Body.AddressType) != "intranet" || len(a) < 10 || a[:10] != "192.168.1." {
		t.Fatalf("AddressType %s, Address %s: want intranet in 192.168.1.0/24", tea.StringValue(attr.Body.AddressType), a)
	}
}
