package fakecloud

import (
	"testing"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

// TestCLBSlaveZone: a CLB's SlaveZoneId is a zone of the region other than
// its master zone (the vSwitch's), never a placeholder: for a seeded
// instance, for a created one (derived, or as the create said), in
// DescribeLoadBalancerAttribute and DescribeLoadBalancers alike. A create's
// zones must fit its vSwitch and the region.
func TestCLBSlaveZone(t *testing.T) {
	e := newCLBEnv(t, Options{})
	snap := e.ts.Snapshot()
	zones := regionZones(&snap)
	check := func(id, master, slave string) {
		t.Helper()
		attr, err := e.c.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: clbRegion, LoadBalancerId: tea.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		m, s := tea.StringValue(attr.Body.MasterZoneId), tea.StringValue(attr.Body.SlaveZoneId)
		if m != master || s != slave || s == m || !contains(zones, s) {
			t.Errorf("%s: zones %s/%s, want %s/%s (region zones %v)", id, m, s, master, slave, zones)
		}
		l, err := e.c.DescribeLoadBalancers(&slb.DescribeLoadBalancersRequest{RegionId: clbRegion, LoadBalancerId: tea.String(id), SlaveZoneId: tea.String(slave)})
		if err != nil {
			t.Fatal(err)
		}
		if lbs := l.Body.LoadBalancers.LoadBalancer; len(lbs) != 1 || tea.StringValue(lbs[0].SlaveZoneId) != slave {
			t.Errorf("%s: DescribeLoadBalancers SlaveZoneId=%s: %v", id, slave, l.Body.LoadBalancers)
		}
	}
	check("lb-fake01", "cn-hangzhou-h", "cn-hangzhou-i")

	create := func(vsw, master, slave string) (string, error) {
		r := &slb.CreateLoadBalancerRequest{RegionId: clbRegion, VSwitchId: tea.String(vsw), InstanceChargeType: tea.String("PayByCLCU")}
		if master != "" {
			r.MasterZoneId = tea.String(master)
		}
		if slave != "" {
			r.SlaveZoneId = tea.String(slave)
		}
		out, err := e.c.CreateLoadBalancer(r)
		if err != nil {
			return "", err
		}
		return tea.StringValue(out.Body.LoadBalancerId), nil
	}
	id, err := create("vsw-fake01-i", "", "")
	if err != nil {
		t.Fatal(err)
	}
	check(id, "cn-hangzhou-i", "cn-hangzhou-h")
	if id, err = create("vsw-fake01-h", "cn-hangzhou-h", "cn-hangzhou-j"); err != nil {
		t.Fatal(err)
	}
	check(id, "cn-hangzhou-h", "cn-hangzhou-j")

	for _, bad := range [][3]string{
		{"vsw-fake01-h", "cn-hangzhou-i", ""},              // master zone is not the vSwitch's
		{"vsw-fake01-h", "", "cn-hangzhou-h"},              // slave = master
		{"vsw-fake01-h", "", "cn-hangzhou-z"},              // not a zone of the region
		{"vsw-fake01-h", "cn-hangzhou-h", "cn-shanghai-a"}, // another region's
	} {
		_, err := create(bad[0], bad[1], bad[2])
		wantSDKError(t, err, 400, "InvalidParameter")
	}
}
