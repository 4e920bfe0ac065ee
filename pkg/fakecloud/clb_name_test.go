package fakecloud

import (
	"testing"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

// TestCLBSetLoadBalancerName renames a CLB through the real SDK; a bad or
// missing name and an unknown instance are refused and change nothing.
func TestCLBSetLoadBalancerName(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c, err := slb.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	region := tea.String("cn-hangzhou")
	if _, err := c.SetLoadBalancerName(&slb.SetLoadBalancerNameRequest{RegionId: region, LoadBalancerId: tea.String("lb-fake01"), LoadBalancerName: tea.String("chat-2.b_c")}); err != nil {
		t.Fatal(err)
	}
	if snap := ts.Snapshot(); snap.CLB.loadBalancer("lb-fake01").Name != "chat-2.b_c" {
		t.Fatalf("name %q after SetLoadBalancerName", snap.CLB.loadBalancer("lb-fake01").Name)
	}
	_, err = c.SetLoadBalancerName(&slb.SetLoadBalancerNameRequest{RegionId: region, LoadBalancerId: tea.String("lb-fake01"), LoadBalancerName: tea.String("bad name")})
	wantSDKError(t, err, 400, "InvalidParameter")
	_, err = c.SetLoadBalancerName(&slb.SetLoadBalancerNameRequest{RegionId: region, LoadBalancerId: tea.String("lb-fake01")})
	wantSDKError(t, err, 400, "MissingParameter")
	_, err = c.SetLoadBalancerName(&slb.SetLoadBalancerNameRequest{RegionId: region, LoadBalancerId: tea.String("lb-nope"), LoadBalancerName: tea.String("x")})
	wantSDKError(t, err, 404, "InvalidLoadBalancerId.NotFound")
	if snap := ts.Snapshot(); snap.CLB.loadBalancer("lb-fake01").Name != "chat-2.b_c" {
		t.Fatalf("name %q after refused renames", snap.CLB.loadBalancer("lb-fake01").Name)
	}
}
