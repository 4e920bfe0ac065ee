package fakecloud

// CLB CreateLoadBalancer / SetLoadBalancerDeleteProtection /
// DeleteLoadBalancer through the real SDK over HTTP.

import (
	"testing"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

func TestCLBCreateLoadBalancerLifecycle(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c, err := slb.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	region := tea.String("cn-hangzhou")
	out, err := c.CreateLoadBalancer(&slb.CreateLoadBalancerRequest{
		RegionId: region, AddressType: tea.String("internet"), VSwitchId: tea.String("vsw-fake01-i"),
		LoadBalancerSpec: tea.String("slb.s1.small"), LoadBalancerName: tea.String("chat-clb"),
		DeleteProtection: tea.String("on"), PayType: tea.String("PayOnDemand"),
		Tag: []*slb.CreateLoadBalancerRequestTag{{Key: tea.String("wsdeploy-stack"), Value: tea.String("chat")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := tea.StringValue(out.Body.LoadBalancerId)
	snap := ts.Snapshot()
	lb := snap.CLB.loadBalancer(id)
	if lb == nil || lb.Address != tea.StringValue(out.Body.Address) || lb.VpcID != "vpc-fake01" || lb.ZoneID != "cn-hangzhou-i" ||
		lb.DeleteProtection != "on" || len(lb.Tags) != 1 || clbAddressType(lb.Address) != "internet" {
		t.Fatalf("created %q: %+v (answer %v)", id, lb, out.Body)
	}
	attr, err := c.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: region, LoadBalancerId: tea.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(attr.Body.VSwitchId) != "vsw-fake01-i" || tea.StringValue(attr.Body.DeleteProtection) != "on" || tea.StringValue(attr.Body.LoadBalancerStatus) != "active" {
		t.Fatalf("attribute: %v", attr.Body)
	}
	_, err = c.DeleteLoadBalancer(&slb.DeleteLoadBalancerRequest{RegionId: region, LoadBalancerId: tea.String(id)})
	wantSDKError(t, err, 400, "OperationDenied.DeleteProtection")
	if _, err := c.SetLoadBalancerDeleteProtection(&slb.SetLoadBalancerDeleteProtectionRequest{RegionId: region, LoadBalancerId: tea.String(id), DeleteProtection: tea.String("off")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteLoadBalancer(&slb.DeleteLoadBalancerRequest{RegionId: region, LoadBalancerId: tea.String(id)}); err != nil {
		t.Fatal(err)
	}
	if snap := ts.Snapshot(); snap.CLB.loadBalancer(id) != nil {
		t.Fatal("still there after DeleteLoadBalancer")
	}
	// Intranet: an address in the vSwitch's block; PayByCLCU takes no spec.
	_, err = c.CreateLoadBalancer(&slb.CreateLoadBalancerRequest{
		RegionId: region, AddressType: tea.String("intranet"), VSwitchId: tea.String("vsw-fake01-h"),
		InstanceChargeType: tea.String("PayByCLCU"), LoadBalancerSpec: tea.String("slb.s1.small"),
	})
	wantSDKError(t, err, 400, "InvalidParameter")
	in, err := c.CreateLoadBalancer(&slb.CreateLoadBalancerRequest{
		RegionId: region, AddressType: tea.String("intranet"), VSwitchId: tea.String("vsw-fake01-h"),
		InstanceChargeType: tea.String("PayByCLCU"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if a := tea.StringValue(in.Body.Address); len(a) < 10 || a[:10] != "192.168.0." {
		t.Fatalf("intranet address %q", a)
	}
}
