package fakecloud

// ALB CreateLoadBalancer / DeleteLoadBalancer / DescribeZones through the
// real SDK over HTTP.

import (
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

func albCreateReq(token string, zones ...string) *alb.CreateLoadBalancerRequest {
	req := &alb.CreateLoadBalancerRequest{
		VpcId:                     tea.String("vpc-fake01"),
		AddressType:               tea.String("Internet"),
		AddressAllocatedMode:      tea.String("Fixed"),
		LoadBalancerEdition:       tea.String("Standard"),
		LoadBalancerBillingConfig: &alb.CreateLoadBalancerRequestLoadBalancerBillingConfig{PayType: tea.String("PostPay")},
		LoadBalancerName:          tea.String("chat-alb"),
		DeletionProtectionEnabled: tea.Bool(true),
		Tag:                       []*alb.CreateLoadBalancerRequestTag{{Key: tea.String("wsdeploy-stack"), Value: tea.String("chat")}},
	}
	if token != "" {
		req.ClientToken = tea.String(token)
	}
	for _, z := range zones {
		req.ZoneMappings = append(req.ZoneMappings, &alb.CreateLoadBalancerRequestZoneMappings{
			ZoneId: tea.String(z), VSwitchId: tea.String("vsw-fake01" + z[len(z)-2:]),
		})
	}
	return req
}

func TestALBCreateLoadBalancerLifecycle(t *testing.T) {
	clock := &testClock{now: time.Now()}
	ts, c := newALBClient(t, Options{AsyncDuration: albTestAsync, Now: clock.Now})

	zones, err := c.DescribeZones(&alb.DescribeZonesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(zones.Body.Zones) < 2 || tea.StringValue(zones.Body.Zones[0].ZoneId) != "cn-hangzhou-h" {
		t.Fatalf("DescribeZones: %v", zones.Body)
	}

	out, err := c.CreateLoadBalancer(albCreateReq("tok-1", "cn-hangzhou-h", "cn-hangzhou-i"))
	if err != nil {
		t.Fatal(err)
	}
	id := tea.StringValue(out.Body.LoadBalancerId)
	var lb *ALBLoadBalancer
	snap := ts.Snapshot()
	for _, l := range snap.ALB.LoadBalancers {
		if l.ID == id {
			lb = l
		}
	}
	if lb == nil || lb.Name != "chat-alb" || !lb.DeletionProtection || len(lb.Tags) != 1 || lb.VSwitchIDs[1] != "vsw-fake01-i" {
		t.Fatalf("created %q: %+v", id, lb)
	}
	// A retry with the same token while it provisions: still processing.
	_, err = c.CreateLoadBalancer(albCreateReq("tok-1", "cn-hangzhou-h", "cn-hangzhou-i"))
	wantSDKError(t, err, 400, "IdempotenceProcessing")

	get := func() *alb.GetLoadBalancerAttributeResponseBody {
		t.Helper()
		a, err := c.GetLoadBalancerAttribute(&alb.GetLoadBalancerAttributeRequest{LoadBalancerId: tea.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		return a.Body
	}
	if s := tea.StringValue(get().LoadBalancerStatus); s != "Provisioning" {
		t.Fatalf("status right after create: %s", s)
	}
	_, err = c.DeleteLoadBalancer(&alb.DeleteLoadBalancerRequest{LoadBalancerId: tea.String(id)})
	wantSDKError(t, err, 400, "IncorrectStatus.LoadBalancer")
	clock.Add(albTestAsync)
	body := get()
	if tea.StringValue(body.LoadBalancerStatus) != "Active" ||
		tea.StringValue(body.DNSName) != id+".cn-hangzhou.alb.aliyuncs.com" ||
		!tea.BoolValue(body.DeletionProtectionConfig.Enabled) ||
		len(body.ZoneMappings) != 2 || tea.StringValue(body.ZoneMappings[0].VSwitchId) != "vsw-fake01-h" ||
		tea.StringValue(body.ZoneMappings[0].LoadBalancerAddresses[0].Address) == "" {
		t.Fatalf("active ALB: %v", body)
	}
	// The same token once done answers the same instance; no second one.
	again, err := c.CreateLoadBalancer(albCreateReq("tok-1", "cn-hangzhou-h", "cn-hangzhou-i"))
	if err != nil || tea.StringValue(again.Body.LoadBalancerId) != id {
		t.Fatalf("retry: %v %v", again, err)
	}
	if n := len(ts.Snapshot().ALB.LoadBalancers); n != len(snap.ALB.LoadBalancers) {
		t.Fatalf("%d ALBs after the retry, want %d", n, len(snap.ALB.LoadBalancers))
	}
	_, err = c.DeleteLoadBalancer(&alb.DeleteLoadBalancerRequest{LoadBalancerId: tea.String(id)})
	wantSDKError(t, err, 400, "OperationDenied.DeletionProtectionEnabled")
	// Rename, then release the protection and delete it.
	up, err := c.UpdateLoadBalancerAttribute(&alb.UpdateLoadBalancerAttributeRequest{LoadBalancerId: tea.String(id), LoadBalancerName: tea.String("chat-alb-2")})
	if err != nil || tea.StringValue(up.Body.JobId) == "" {
		t.Fatalf("update: %v %v", up, err)
	}
	if s := tea.StringValue(get().LoadBalancerStatus); s != "Configuring" {
		t.Fatalf("status while renaming: %s", s)
	}
	clock.Add(albTestAsync)
	if _, err := c.DisableDeletionProtection(&alb.DisableDeletionProtectionRequest{ResourceId: tea.String(id)}); err != nil {
		t.Fatal(err)
	}
	if b := get(); tea.StringValue(b.LoadBalancerName) != "chat-alb-2" || tea.BoolValue(b.DeletionProtectionConfig.Enabled) {
		t.Fatalf("after rename and release: %v", b)
	}
	if _, err := c.DeleteLoadBalancer(&alb.DeleteLoadBalancerRequest{LoadBalancerId: tea.String(id)}); err != nil {
		t.Fatal(err)
	}

	// Without protection it goes once its job ends.
	noProt := albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-i")
	noProt.DeletionProtectionEnabled = nil
	out2, err := c.CreateLoadBalancer(noProt)
	if err != nil {
		t.Fatal(err)
	}
	id2 := tea.StringValue(out2.Body.LoadBalancerId)
	clock.Add(albTestAsync)
	del, err := c.DeleteLoadBalancer(&alb.DeleteLoadBalancerRequest{LoadBalancerId: tea.String(id2)})
	if err != nil || tea.StringValue(del.Body.JobId) == "" {
		t.Fatalf("delete: %v %v", del, err)
	}
	if snap := ts.Snapshot(); snap.ALB.loadBalancer(id2) == nil {
		t.Fatal("deleted before its job ended")
	}
	clock.Add(albTestAsync)
	_, err = c.GetLoadBalancerAttribute(&alb.GetLoadBalancerAttributeRequest{LoadBalancerId: tea.String(id2)})
	wantSDKError(t, err, 404, "ResourceNotFound.LoadBalancer")
}

func TestALBCreateLoadBalancerErrors(t *testing.T) {
	clock := &testClock{now: time.Now()}
	ts, c := newALBClient(t, Options{AsyncDuration: albTestAsync, Now: clock.Now})
	before := len(ts.Snapshot().ALB.LoadBalancers)
	for _, tc := range []struct {
		name   string
		req    *alb.CreateLoadBalancerRequest
		status int
		code   string
	}{
		{"one zone", albCreateReq("", "cn-hangzhou-h"), 400, "InvalidParameter"},
		{"same zone twice", albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-h"), 400, "InvalidParameter"},
		{"zone without ALB", albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-z"), 400, "OperationDenied.ZoneNotSupport"},
		{"unknown vswitch", func() *alb.CreateLoadBalancerRequest {
			r := albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-i")
			r.ZoneMappings[1].VSwitchId = tea.String("vsw-nope")
			return r
		}(), 404, "ResourceNotFound.VSwitch"},
		{"vswitch in another zone", func() *alb.CreateLoadBalancerRequest {
			r := albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-i")
			r.ZoneMappings[1].VSwitchId = tea.String("vsw-fake01-h")
			return r
		}(), 400, "Mismatch.ZoneId"},
		{"unknown vpc", func() *alb.CreateLoadBalancerRequest {
			r := albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-i")
			r.VpcId = tea.String("vpc-nope")
			return r
		}(), 404, "ResourceNotFound.Vpc"},
		{"bad edition", func() *alb.CreateLoadBalancerRequest {
			r := albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-i")
			r.LoadBalancerEdition = tea.String("Huge")
			return r
		}(), 400, "InvalidParameter"},
		{"dry run", func() *alb.CreateLoadBalancerRequest {
			r := albCreateReq("", "cn-hangzhou-h", "cn-hangzhou-i")
			r.DryRun = tea.Bool(true)
			return r
		}(), 400, "DryRunOperation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateLoadBalancer(tc.req)
			wantSDKError(t, err, tc.status, tc.code)
		})
	}
	if n := len(ts.Snapshot().ALB.LoadBalancers); n != before {
		t.Fatalf("%d ALBs after failed creates, want %d", n, before)
	}
}
