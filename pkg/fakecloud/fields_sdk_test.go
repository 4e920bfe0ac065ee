package fakecloud

// Response fields the real API returns and a drift check or an address
// lookup reads, through the real SDKs: ALB zone addresses and instance name,
// ALB listener XForwardedForConfig and LogConfig, CLB listener health-check
// host and port and backend port.

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

func TestALBLoadBalancerAddressesAndName(t *testing.T) {
	seed := DemoSeed()
	seed.ALBs[0].Name = "demo-alb"
	seed.ALBs = append(seed.ALBs, SeedALB{ID: "alb-fake02", VpcID: "vpc-fake01"}) // no name
	_, c := newALBClient(t, Options{Seed: seed})
	ctx, rt := context.Background(), &dara.RuntimeOptions{}

	get := func(c *alb.Client, id string) *alb.GetLoadBalancerAttributeResponseBody {
		t.Helper()
		out, err := c.GetLoadBalancerAttributeWithContext(ctx, &alb.GetLoadBalancerAttributeRequest{LoadBalancerId: tea.String(id)}, rt)
		if err != nil {
			t.Fatal(err)
		}
		return out.Body
	}
	b := get(c, "alb-fake01")
	if tea.StringValue(b.LoadBalancerName) != "demo-alb" {
		t.Fatalf("LoadBalancerName %q, want the seeded demo-alb", tea.StringValue(b.LoadBalancerName))
	}
	if b2 := get(c, "alb-fake02"); b2.LoadBalancerName != nil {
		t.Fatalf("unnamed instance answers LoadBalancerName %q", tea.StringValue(b2.LoadBalancerName))
	}
	if len(b.ZoneMappings) != 2 {
		t.Fatalf("zones: %v", b.ZoneMappings)
	}
	seen := map[string]bool{}
	for _, z := range b.ZoneMappings {
		if len(z.LoadBalancerAddresses) != 1 {
			t.Fatalf("zone %s: addresses %v", tea.StringValue(z.ZoneId), z.LoadBalancerAddresses)
		}
		a := z.LoadBalancerAddresses[0]
		pub, priv := net.ParseIP(tea.StringValue(a.Address)), net.ParseIP(tea.StringValue(a.IntranetAddress))
		if pub == nil || pub.To4() == nil || priv == nil || !priv.IsPrivate() || pub.IsPrivate() {
			t.Fatalf("zone %s: Address %q IntranetAddress %q", tea.StringValue(z.ZoneId), tea.StringValue(a.Address), tea.StringValue(a.IntranetAddress))
		}
		if !strings.HasPrefix(tea.StringValue(a.AllocationId), "eip-") || tea.StringValue(a.EipType) != "Common" ||
			tea.StringValue(a.IntranetAddressHcStatus) != "Healthy" || len(a.Ipv4LocalAddresses) == 0 || a.Ipv6Address != nil {
			t.Fatalf("zone %s: %v", tea.StringValue(z.ZoneId), a)
		}
		if seen[a.String()] {
			t.Fatalf("two zones share %v", a)
		}
		seen[a.String()] = true
	}

	// Deterministic per instance and zone: another server on the same seed
	// answers the same addresses; another instance gets others.
	_, c2 := newALBClient(t, Options{Seed: seed})
	zones := func(b *alb.GetLoadBalancerAttributeResponseBody) string {
		var out []string
		for _, z := range b.ZoneMappings {
			out = append(out, z.String())
		}
		return strings.Join(out, "\n")
	}
	if again := get(c2, "alb-fake01"); zones(again) != zones(b) {
		t.Fatalf("addresses changed across servers:\n%s\n%s", zones(again), zones(b))
	}
	if other := get(c, "alb-fake02"); other.ZoneMappings[0].LoadBalancerAddresses[0].String() == b.ZoneMappings[0].LoadBalancerAddresses[0].String() {
		t.Fatal("two instances share an address")
	}

	// The name is a filter of ListLoadBalancers.
	list, err := c.ListLoadBalancersWithContext(ctx, &alb.ListLoadBalancersRequest{LoadBalancerNames: tea.StringSlice([]string{"demo-alb"})}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Body.LoadBalancers) != 1 || tea.StringValue(list.Body.LoadBalancers[0].LoadBalancerName) != "demo-alb" {
		t.Fatalf("ListLoadBalancers by name: %v", list.Body)
	}

	// A seed name outside the real rule is refused.
	bad := DemoSeed()
	bad.ALBs[0].Name = "1-starts-with-a-digit"
	if _, err := New(Options{Seed: bad}); err == nil || !strings.Contains(err.Error(), "albs[0]: name") {
		t.Fatalf("bad seed name: %v", err)
	}
}

func TestALBListenerXForwardedForAndLogConfig(t *testing.T) {
	clock := &testClock{now: time.Now()}
	_, c := newALBClient(t, Options{AsyncDuration: albTestAsync, Now: clock.Now})
	ctx, rt := context.Background(), &dara.RuntimeOptions{}
	cg, err := c.CreateServerGroupWithContext(ctx, &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("web"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(),
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)
	actions := []*alb.CreateListenerRequestDefaultActions{{
		Type: tea.String("ForwardGroup"),
		ForwardGroupConfig: &alb.CreateListenerRequestDefaultActionsForwardGroupConfig{
			ServerGroupTuples: []*alb.CreateListenerRequestDefaultActionsForwardGroupConfigServerGroupTuples{{ServerGroupId: cg.Body.ServerGroupId}},
		},
	}}
	// Client-certificate headers are HTTPS only.
	_, err = c.CreateListenerWithContext(ctx, &alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(80), DefaultActions: actions,
		XForwardedForConfig: &alb.CreateListenerRequestXForwardedForConfig{XForwardedForClientCertSubjectDNEnabled: tea.Bool(true)},
	}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "InvalidParameter")
	cl, err := c.CreateListenerWithContext(ctx, &alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(80), DefaultActions: actions,
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)

	get := func() *alb.GetListenerAttributeResponseBody {
		t.Helper()
		out, err := c.GetListenerAttributeWithContext(ctx, &alb.GetListenerAttributeRequest{ListenerId: cl.Body.ListenerId}, rt)
		if err != nil {
			t.Fatal(err)
		}
		return out.Body
	}
	x := get().XForwardedForConfig
	if x == nil || !tea.BoolValue(x.XForwardedForEnabled) || tea.StringValue(x.XForwardedForProcessingMode) != "append" ||
		x.XForwardedForProtoEnabled == nil || tea.BoolValue(x.XForwardedForProtoEnabled) ||
		x.XForwardedForSLBIdEnabled == nil || tea.BoolValue(x.XForwardedForSLBIdEnabled) ||
		x.XForwardedForSLBPortEnabled == nil || tea.BoolValue(x.XForwardedForSLBPortEnabled) ||
		x.XForwardedForClientSrcPortEnabled == nil || tea.BoolValue(x.XForwardedForClientSrcPortEnabled) {
		t.Fatalf("default XForwardedForConfig: %v", x)
	}
	lc := get().LogConfig
	if lc == nil || lc.AccessLogRecordCustomizedHeadersEnabled == nil || tea.BoolValue(lc.AccessLogRecordCustomizedHeadersEnabled) ||
		lc.AccessLogTracingConfig == nil || lc.AccessLogTracingConfig.TracingEnabled == nil || tea.BoolValue(lc.AccessLogTracingConfig.TracingEnabled) {
		t.Fatalf("default LogConfig: %v", lc)
	}

	// An update changes only what it sends, after its job.
	_, err = c.UpdateListenerAttributeWithContext(ctx, &alb.UpdateListenerAttributeRequest{
		ListenerId: cl.Body.ListenerId,
		XForwardedForConfig: &alb.UpdateListenerAttributeRequestXForwardedForConfig{
			XForwardedForProtoEnabled: tea.Bool(true), XForwardedForProcessingMode: tea.String("remove"),
		},
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)
	x = get().XForwardedForConfig
	if !tea.BoolValue(x.XForwardedForEnabled) || !tea.BoolValue(x.XForwardedForProtoEnabled) || tea.StringValue(x.XForwardedForProcessingMode) != "remove" ||
		tea.BoolValue(x.XForwardedForSLBIdEnabled) {
		t.Fatalf("updated XForwardedForConfig: %v", x)
	}

	// ListListeners carries the same.
	list, err := c.ListListenersWithContext(ctx, &alb.ListListenersRequest{ListenerIds: []*string{cl.Body.ListenerId}}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Body.Listeners) != 1 || !tea.BoolValue(list.Body.Listeners[0].XForwardedForConfig.XForwardedForProtoEnabled) ||
		list.Body.Listeners[0].LogConfig == nil || list.Body.Listeners[0].LogConfig.AccessLogRecordCustomizedHeadersEnabled == nil {
		t.Fatalf("ListListeners: %v", list.Body)
	}
}

func TestCLBListenerHealthCheckHostAndPorts(t *testing.T) {
	e := newCLBEnv(t, Options{})
	g := e.createGroup("web", `[{"ServerId":"i-fake01","Port":5000}]`)
	// wsdeploy's shape: a vServer group, no BackendServerPort, no health-check host or port.
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	// The other shape: the default server group on a backend port.
	req := e.httpListener(81, "")
	req.VServerGroupId = nil
	req.BackendServerPort = tea.Int32(5000)
	if _, err := e.c.CreateLoadBalancerHTTPListener(req); err != nil {
		t.Fatal(err)
	}
	// Explicit health-check host and port.
	req = e.httpListener(82, g)
	req.HealthCheckDomain, req.HealthCheckConnectPort = tea.String("ws.example.com"), tea.Int32(8080)
	if _, err := e.c.CreateLoadBalancerHTTPListener(req); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		port                     int32
		domain                   string
		connectPort, backendPort int32
	}{
		{80, "$_ip", 0, 0},
		{81, "$_ip", 5000, 5000},
		{82, "ws.example.com", 8080, 0},
	} {
		out, err := e.c.DescribeLoadBalancerHTTPListenerAttribute(&slb.DescribeLoadBalancerHTTPListenerAttributeRequest{
			RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(tc.port),
		})
		if err != nil {
			t.Fatal(err)
		}
		b := out.Body
		if b.HealthCheckDomain == nil || b.HealthCheckConnectPort == nil || b.BackendServerPort == nil ||
			*b.HealthCheckDomain != tc.domain || *b.HealthCheckConnectPort != tc.connectPort || *b.BackendServerPort != tc.backendPort {
			t.Errorf("port %d: HealthCheckDomain %q HealthCheckConnectPort %d BackendServerPort %d, want %q %d %d", tc.port,
				tea.StringValue(b.HealthCheckDomain), tea.Int32Value(b.HealthCheckConnectPort), tea.Int32Value(b.BackendServerPort),
				tc.domain, tc.connectPort, tc.backendPort)
		}
	}
	// DescribeLoadBalancerListeners answers the same.
	all, err := e.c.DescribeLoadBalancerListeners(&slb.DescribeLoadBalancerListenersRequest{RegionId: clbRegion, LoadBalancerId: []*string{clbLB}})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all.Body.Listeners {
		cfg := l.HTTPListenerConfig
		if l.BackendServerPort == nil || cfg == nil || cfg.HealthCheckDomain == nil || cfg.HealthCheckConnectPort == nil {
			t.Errorf("listener %d: %v", tea.Int32Value(l.ListenerPort), l)
		}
	}
}
