package fakecloud

// CLB listeners, backend health and tags end to end through the real SDK
// client.

import (
	"fmt"
	"testing"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

func TestCLBSDKListenerStateMachine(t *testing.T) {
	e := newCLBEnv(t, Options{})
	g := e.createGroup("web", `[{"ServerId":"i-fake01","Port":"5000"}]`)
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	if got := e.listenerStatus(80); got != "stopped" {
		t.Fatalf("new listener is %s, want stopped", got)
	}
	if err := e.stop(80); err == nil {
		t.Fatal("Stop on a stopped listener succeeded")
	} else {
		wantSDKError(t, err, 400, "OperationFailed.ListenerStatusNotSupport")
	}
	if err := e.start(80); err != nil {
		t.Fatal(err)
	}
	if got := e.listenerStatus(80); got != "starting" {
		t.Fatalf("after Start: %s, want starting", got)
	}
	wantSDKError(t, e.start(80), 400, "ServiceIsConfiguring")
	set := &slb.SetLoadBalancerHTTPListenerAttributeRequest{RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80), IdleTimeout: tea.Int32(45)}
	_, err := e.c.SetLoadBalancerHTTPListenerAttribute(set)
	wantSDKError(t, err, 400, "ServiceIsConfiguring")
	e.settle()
	if got := e.listenerStatus(80); got != "running" {
		t.Fatalf("after settling: %s, want running", got)
	}
	// Start twice: the listener is already running.
	wantSDKError(t, e.start(80), 400, "OperationFailed.ListenerStatusNotSupport")

	// A change to a running listener: configuring, then running again.
	if _, err := e.c.SetLoadBalancerHTTPListenerAttribute(set); err != nil {
		t.Fatal(err)
	}
	if got := e.listenerStatus(80); got != "configuring" {
		t.Fatalf("after Set: %s, want configuring", got)
	}
	_, err = e.c.SetLoadBalancerHTTPListenerAttribute(set)
	wantSDKError(t, err, 400, "ServiceIsConfiguring")
	_, err = e.c.DeleteLoadBalancerListener(&slb.DeleteLoadBalancerListenerRequest{RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80)})
	wantSDKError(t, err, 400, "ServiceIsConfiguring")
	e.settle()
	attr, err := e.c.DescribeLoadBalancerHTTPListenerAttribute(&slb.DescribeLoadBalancerHTTPListenerAttributeRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80),
	})
	if err != nil {
		t.Fatal(err)
	}
	a := attr.Body
	if tea.StringValue(a.Status) != "running" || tea.Int32Value(a.IdleTimeout) != 45 || tea.Int32Value(a.RequestTimeout) != 120 ||
		tea.StringValue(a.VServerGroupId) != g || tea.StringValue(a.HealthCheck) != "on" || tea.StringValue(a.HealthCheckURI) != "/healthz" ||
		tea.StringValue(a.HealthCheckHttpCode) != "http_2xx" || tea.StringValue(a.StickySession) != "off" || tea.Int32Value(a.Bandwidth) != -1 ||
		tea.Int32Value(a.ListenerPort) != 80 || tea.StringValue(a.XForwardedFor) != "on" {
		t.Fatalf("attribute: %v", a)
	}

	// The HTTPS describe of an HTTP port.
	_, err = e.c.DescribeLoadBalancerHTTPSListenerAttribute(&slb.DescribeLoadBalancerHTTPSListenerAttributeRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80),
	})
	wantSDKError(t, err, 400, "UnsupportedOperationonfixedprotocalport")

	if err := e.stop(80); err != nil {
		t.Fatal(err)
	}
	if got := e.listenerStatus(80); got != "stopped" {
		t.Fatalf("after Stop: %s", got)
	}
	_, err = e.c.DeleteLoadBalancerListener(&slb.DeleteLoadBalancerListenerRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80), ListenerProtocol: tea.String("https"),
	})
	wantSDKError(t, err, 404, "ListenerNotFound")
	if _, err := e.c.DeleteLoadBalancerListener(&slb.DeleteLoadBalancerListenerRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80), ListenerProtocol: tea.String("http"),
	}); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.DescribeLoadBalancerHTTPListenerAttribute(&slb.DescribeLoadBalancerHTTPListenerAttributeRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80),
	})
	wantSDKError(t, err, 400, "InvalidParameter")
	wantSDKError(t, e.start(80), 404, "ListenerNotFound")
}

func TestCLBSDKDescribeLoadBalancerListenersPaging(t *testing.T) {
	e := newCLBEnv(t, Options{})
	g := e.createGroup("web", "")
	for i := int32(0); i < 24; i++ {
		if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(8000+i, g)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.c.CreateLoadBalancerHTTPSListener(&slb.CreateLoadBalancerHTTPSListenerRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(443), VServerGroupId: tea.String(g),
		HealthCheck: tea.String("on"), HealthCheckURI: tea.String("/ready"), StickySession: tea.String("on"),
		StickySessionType: tea.String("insert"), CookieTimeout: tea.Int32(600), Bandwidth: tea.Int32(-1),
		ServerCertificateId: tea.String("idkp-123-cn-test-0"), IdleTimeout: tea.Int32(60), RequestTimeout: tea.Int32(180),
		Tag: []*slb.CreateLoadBalancerHTTPSListenerRequestTag{{Key: tea.String("wsdeploy:stack"), Value: tea.String("demo")}},
	}); err != nil {
		t.Fatal(err)
	}
	req := &slb.DescribeLoadBalancerListenersRequest{RegionId: clbRegion, LoadBalancerId: []*string{clbLB}}
	p1, err := e.c.DescribeLoadBalancerListeners(req)
	if err != nil {
		t.Fatal(err)
	}
	b := p1.Body
	if len(b.Listeners) != 20 || tea.Int32Value(b.TotalCount) != 25 || tea.Int32Value(b.MaxResults) != 20 || tea.StringValue(b.NextToken) == "" {
		t.Fatalf("page 1: %d listeners, total %d, max %d, next %q", len(b.Listeners), tea.Int32Value(b.TotalCount), tea.Int32Value(b.MaxResults), tea.StringValue(b.NextToken))
	}
	first := b.Listeners[0]
	if tea.Int32Value(first.ListenerPort) != 443 || tea.StringValue(first.ListenerProtocol) != "https" || tea.StringValue(first.Status) != "stopped" ||
		first.HTTPSListenerConfig == nil || first.HTTPListenerConfig != nil ||
		tea.StringValue(first.HTTPSListenerConfig.ServerCertificateId) != "idkp-123-cn-test-0" ||
		tea.Int32Value(first.HTTPSListenerConfig.IdleTimeout) != 60 || tea.Int32Value(first.HTTPSListenerConfig.RequestTimeout) != 180 ||
		tea.StringValue(first.HTTPSListenerConfig.StickySessionType) != "insert" || tea.Int32Value(first.HTTPSListenerConfig.CookieTimeout) != 600 ||
		tea.StringValue(first.HTTPSListenerConfig.HealthCheckURI) != "/ready" || tea.StringValue(first.VServerGroupId) != g ||
		len(first.Tags) != 1 || tea.StringValue(first.Tags[0].TagKey) != "wsdeploy:stack" {
		t.Fatalf("first listener: %v", first)
	}
	second := b.Listeners[1]
	if tea.Int32Value(second.ListenerPort) != 8000 || second.HTTPListenerConfig == nil ||
		tea.Int32Value(second.HTTPListenerConfig.IdleTimeout) != 30 || tea.Int32Value(second.HTTPListenerConfig.RequestTimeout) != 120 ||
		tea.StringValue(second.HTTPListenerConfig.HealthCheckURI) != "/healthz" || len(second.Tags) != 0 {
		t.Fatalf("second listener: %v", second)
	}
	req.NextToken = b.NextToken
	p2, err := e.c.DescribeLoadBalancerListeners(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(p2.Body.Listeners) != 5 || tea.StringValue(p2.Body.NextToken) != "" || tea.Int32Value(p2.Body.Listeners[4].ListenerPort) != 8023 {
		t.Fatalf("page 2: %d listeners, next %q", len(p2.Body.Listeners), tea.StringValue(p2.Body.NextToken))
	}
	// Filters.
	f, err := e.c.DescribeLoadBalancerListeners(&slb.DescribeLoadBalancerListenersRequest{
		RegionId: clbRegion, ListenerProtocol: tea.String("https"), MaxResults: tea.Int32(100),
		Tag: []*slb.DescribeLoadBalancerListenersRequestTag{{Key: tea.String("wsdeploy:stack")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Body.Listeners) != 1 || tea.Int32Value(f.Body.TotalCount) != 1 {
		t.Fatalf("filtered: %v", f.Body)
	}
	_, err = e.c.DescribeLoadBalancerListeners(&slb.DescribeLoadBalancerListenersRequest{RegionId: clbRegion, MaxResults: tea.Int32(101)})
	wantSDKError(t, err, 400, "InvalidParameter")
	_, err = e.c.DescribeLoadBalancerListeners(&slb.DescribeLoadBalancerListenersRequest{RegionId: clbRegion, LoadBalancerId: []*string{tea.String("lb-nope")}})
	wantSDKError(t, err, 404, "InvalidLoadBalancerId.NotFound")
	// None: Listeners absent.
	none, err := e.c.DescribeLoadBalancerListeners(&slb.DescribeLoadBalancerListenersRequest{RegionId: clbRegion, ListenerPort: tea.Int32(9999)})
	if err != nil {
		t.Fatal(err)
	}
	if none.Body.Listeners != nil || tea.Int32Value(none.Body.TotalCount) != 0 {
		t.Fatalf("no match: %v", none.Body)
	}
}

func TestCLBSDKDescribeHealthStatus(t *testing.T) {
	e := newCLBEnv(t, Options{})
	g := e.createGroup("web", `[{"ServerId":"i-fake01","Port":"5000"},{"ServerId":"i-fake02","Port":"5000"},{"ServerId":"i-fake03","Port":"5000"}]`)
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	noCheck := e.httpListener(81, g)
	noCheck.HealthCheck, noCheck.HealthCheckURI = tea.String("off"), nil
	if _, err := e.c.CreateLoadBalancerHTTPListener(noCheck); err != nil {
		t.Fatal(err)
	}
	health := func(port int32) map[string]string {
		t.Helper()
		req := &slb.DescribeHealthStatusRequest{RegionId: clbRegion, LoadBalancerId: clbLB}
		if port != 0 {
			req.ListenerPort = tea.Int32(port)
		}
		out, err := e.c.DescribeHealthStatus(req)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, b := range out.Body.BackendServers.BackendServer {
			m[fmt.Sprintf("%d/%s:%d", tea.Int32Value(b.ListenerPort), tea.StringValue(b.ServerId), tea.Int32Value(b.Port))] = tea.StringValue(b.ServerHealthStatus)
			if tea.StringValue(b.Protocol) != "http" || tea.StringValue(b.ServerIp) == "" {
				t.Errorf("entry %v", b)
			}
		}
		return m
	}
	if got := health(80); got["80/i-fake01:5000"] != "unavailable" || len(got) != 3 {
		t.Fatalf("stopped listener: %v", got)
	}
	for _, p := range []int32{80, 81} {
		if err := e.start(p); err != nil {
			t.Fatal(err)
		}
	}
	if got := health(80); got["80/i-fake01:5000"] != "unavailable" {
		t.Fatalf("starting listener: %v", got)
	}
	e.settle()
	if err := e.ts.Update(func(st *State) error {
		in, _ := st.Instance("i-fake02")
		in.Health = "unhealthy"
		in3, _ := st.Instance("i-fake03")
		in3.Status = "Stopped"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	got := health(0)
	want := map[string]string{
		"80/i-fake01:5000": "normal", "80/i-fake02:5000": "abnormal", "80/i-fake03:5000": "abnormal",
		"81/i-fake01:5000": "unavailable", "81/i-fake02:5000": "unavailable", "81/i-fake03:5000": "unavailable",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("health = %v, want %v", got, want)
	}
	_, err := e.c.DescribeHealthStatus(&slb.DescribeHealthStatusRequest{RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(82)})
	wantSDKError(t, err, 404, "ListenerNotFound")
}

func TestCLBSDKTags(t *testing.T) {
	e := newCLBEnv(t, Options{})
	g := e.createGroup("web", "")
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	tag := func(typ, id string, kv ...string) error {
		req := &slb.TagResourcesRequest{RegionId: clbRegion, ResourceType: tea.String(typ), ResourceId: []*string{tea.String(id)}}
		for i := 0; i+1 < len(kv); i += 2 {
			req.Tag = append(req.Tag, &slb.TagResourcesRequestTag{Key: tea.String(kv[i]), Value: tea.String(kv[i+1])})
		}
		_, err := e.c.TagResources(req)
		return err
	}
	if err := tag("listener", "lb-fake01_http_80", "wsdeploy:stack", "demo"); err != nil {
		t.Fatal(err)
	}
	if err := tag("vservergroup", g, "wsdeploy:stack", "demo"); err != nil {
		t.Fatal(err)
	}
	wantSDKError(t, tag("listener", "lb-fake01_https_80", "k", "v"), 404, "ListenerNotFound")
	wantSDKError(t, tag("vservergroup", "rsp-nope", "k", "v"), 404, "InvalidParameter")
	wantSDKError(t, tag("listener", "lb-fake01_http_80", "aliyun:x", "v"), 400, "InvalidParameter")
	wantSDKError(t, tag("Listener", "lb-fake01_http_80", "k", "v"), 400, "InvalidParameter")
	var kv []string
	for i := 0; i < 20; i++ {
		kv = append(kv, fmt.Sprintf("k%02d", i), "v")
	}
	wantSDKError(t, tag("listener", "lb-fake01_http_80", kv...), 400, "TagCountLimit")
	if err := tag("listener", "lb-fake01_http_80", kv[:38]...); err != nil {
		t.Fatalf("19 more tags (20 in all): %v", err)
	}

	out, err := e.c.ListTagResources(&slb.ListTagResourcesRequest{
		RegionId: clbRegion, ResourceType: tea.String("listener"), ResourceId: []*string{tea.String("lb-fake01_http_80")},
	})
	if err != nil {
		t.Fatal(err)
	}
	rows := out.Body.TagResources.TagResource
	if len(rows) != 20 || tea.StringValue(rows[0].ResourceId) != "lb-fake01_http_80" || tea.StringValue(rows[0].ResourceType) != "listener" ||
		tea.StringValue(rows[0].TagKey) != "wsdeploy:stack" {
		t.Fatalf("ListTagResources: %v", out.Body)
	}
	if _, err := e.c.UntagResources(&slb.UntagResourcesRequest{
		RegionId: clbRegion, ResourceType: tea.String("listener"), ResourceId: []*string{tea.String("lb-fake01_http_80")},
		TagKey: []*string{tea.String("k00"), tea.String("k01")},
	}); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.UntagResources(&slb.UntagResourcesRequest{
		RegionId: clbRegion, ResourceType: tea.String("listener"), ResourceId: []*string{tea.String("lb-fake01_http_80")},
	})
	wantSDKError(t, err, 400, "MissingParameter")
	byTag, err := e.c.ListTagResources(&slb.ListTagResourcesRequest{
		RegionId: clbRegion, ResourceType: tea.String("vservergroup"),
		Tag: []*slb.ListTagResourcesRequestTag{{Key: tea.String("wsdeploy:stack"), Value: tea.String("demo")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows := byTag.Body.TagResources.TagResource; len(rows) != 1 || tea.StringValue(rows[0].ResourceId) != g {
		t.Fatalf("by tag: %v", byTag.Body)
	}
	attr, err := e.c.DescribeLoadBalancerHTTPListenerAttribute(&slb.DescribeLoadBalancerHTTPListenerAttributeRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80),
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(attr.Body.Tags.Tag); n != 18 {
		t.Fatalf("listener has %d tags after untagging 2 of 20", n)
	}
}
