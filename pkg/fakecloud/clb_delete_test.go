package fakecloud

import (
	"testing"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

// TestCLBDeleteLoadBalancerTakesItsObjects: DeleteLoadBalancer deletes the
// instance's listeners (running or not), vServer groups with their backends
// and the tags on all of them, as the SDK documents; afterwards every call
// naming the instance or its objects answers as for ones never created.
// Another instance's objects stay.
func TestCLBDeleteLoadBalancerTakesItsObjects(t *testing.T) {
	e := newCLBEnv(t, Options{})
	other, err := e.c.CreateLoadBalancer(&slb.CreateLoadBalancerRequest{
		RegionId: clbRegion, AddressType: tea.String("intranet"), VSwitchId: tea.String("vsw-fake01-h"),
		InstanceChargeType: tea.String("PayByCLCU"),
	})
	if err != nil {
		t.Fatal(err)
	}
	otherID := tea.StringValue(other.Body.LoadBalancerId)
	otherGroup, err := e.c.CreateVServerGroup(&slb.CreateVServerGroupRequest{RegionId: clbRegion, LoadBalancerId: tea.String(otherID),
		VServerGroupName: tea.String("keep"), BackendServers: tea.String(`[{"ServerId":"i-fake03","Port":5000}]`)})
	if err != nil {
		t.Fatal(err)
	}

	g := e.createGroup("web", `[{"ServerId":"i-fake01","Port":5000},{"ServerId":"i-fake02","Port":5000}]`, "team", "chat")
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	e.settle()
	if _, err := e.c.StartLoadBalancerListener(&slb.StartLoadBalancerListenerRequest{RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.TagResources(&slb.TagResourcesRequest{RegionId: clbRegion, ResourceType: tea.String("listener"),
		ResourceId: []*string{tea.String("lb-fake01_http_80")}, Tag: []*slb.TagResourcesRequestTag{{Key: tea.String("team"), Value: tea.String("chat")}}}); err != nil {
		t.Fatal(err)
	}
	e.settle()

	if _, err := e.c.DeleteLoadBalancer(&slb.DeleteLoadBalancerRequest{RegionId: clbRegion, LoadBalancerId: clbLB}); err != nil {
		t.Fatalf("DeleteLoadBalancer with a running listener and a vServer group: %v", err)
	}
	snap := e.ts.Snapshot()
	if snap.CLB.loadBalancer("lb-fake01") != nil {
		t.Fatal("instance still there")
	}
	for _, l := range snap.CLB.Listeners {
		if l.LoadBalancerID == "lb-fake01" {
			t.Errorf("listener %d of the deleted instance left in the world", l.Port)
		}
	}
	for _, vg := range snap.CLB.VServerGroups {
		if vg.LoadBalancerID == "lb-fake01" {
			t.Errorf("vServer group %s of the deleted instance left in the world, with %d backends", vg.ID, len(vg.Servers))
		}
	}
	if snap.CLB.vServerGroup(tea.StringValue(otherGroup.Body.VServerGroupId)) == nil || snap.CLB.loadBalancer(otherID) == nil {
		t.Error("the other instance or its group went too")
	}

	_, err = e.c.DescribeVServerGroups(&slb.DescribeVServerGroupsRequest{RegionId: clbRegion, LoadBalancerId: clbLB})
	wantSDKError(t, err, 404, "InvalidLoadBalancerId.NotFound")
	_, err = e.c.DescribeVServerGroupAttribute(&slb.DescribeVServerGroupAttributeRequest{RegionId: clbRegion, VServerGroupId: tea.String(g)})
	wantSDKError(t, err, 404, "InvalidParameter")
	_, err = e.c.DescribeLoadBalancerHTTPListenerAttribute(&slb.DescribeLoadBalancerHTTPListenerAttributeRequest{RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80)})
	wantSDKError(t, err, 404, "InvalidLoadBalancerId.NotFound")
	for _, rt := range []struct{ typ, id string }{{"vservergroup", g}, {"listener", "lb-fake01_http_80"}, {"instance", "lb-fake01"}} {
		tags, err := e.c.ListTagResources(&slb.ListTagResourcesRequest{RegionId: clbRegion, ResourceType: tea.String(rt.typ), ResourceId: []*string{tea.String(rt.id)}})
		if err != nil {
			t.Fatalf("ListTagResources %s: %v", rt.typ, err)
		}
		if n := len(tags.Body.TagResources.TagResource); n != 0 {
			t.Errorf("%s %s of the deleted instance still has %d tags", rt.typ, rt.id, n)
		}
	}
}
