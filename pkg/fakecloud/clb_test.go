package fakecloud

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

const clbTestAsync = 30 * time.Millisecond

// ---------------------------------------------------------------------------
// Real SDK client against a test server with a hand-moved clock.

type clbEnv struct {
	t     *testing.T
	ts    *TestServer
	c     *slb.Client
	clock *testClock
}

var (
	clbRegion = tea.String("cn-hangzhou")
	clbLB     = tea.String("lb-fake01")
)

func newCLBEnv(t *testing.T, opts Options) *clbEnv {
	t.Helper()
	clock := &testClock{now: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	if opts.AsyncDuration == 0 {
		opts.AsyncDuration = clbTestAsync
	}
	ts := NewTestServer(t, opts)
	c, err := slb.NewClient(&openapiutil.Config{
		Endpoint:        tea.String(ts.Endpoint()),
		Protocol:        tea.String("HTTP"),
		AccessKeyId:     tea.String("fake-ak"),
		AccessKeySecret: tea.String("fake-secret"),
		RegionId:        clbRegion,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &clbEnv{t: t, ts: ts, c: c, clock: clock}
}

// settle moves the clock past every pending transition.
func (e *clbEnv) settle() { e.clock.Add(clbTestAsync) }

func (e *clbEnv) createGroup(name, servers string, tags ...string) string {
	e.t.Helper()
	req := &slb.CreateVServerGroupRequest{RegionId: clbRegion, LoadBalancerId: clbLB, VServerGroupName: tea.String(name)}
	if servers != "" {
		req.BackendServers = tea.String(servers)
	}
	for i := 0; i+1 < len(tags); i += 2 {
		req.Tag = append(req.Tag, &slb.CreateVServerGroupRequestTag{Key: tea.String(tags[i]), Value: tea.String(tags[i+1])})
	}
	out, err := e.c.CreateVServerGroup(req)
	if err != nil {
		e.t.Fatalf("CreateVServerGroup: %v", err)
	}
	return tea.StringValue(out.Body.VServerGroupId)
}

func (e *clbEnv) httpListener(port int32, group string) *slb.CreateLoadBalancerHTTPListenerRequest {
	return &slb.CreateLoadBalancerHTTPListenerRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(port),
		VServerGroupId: tea.String(group), HealthCheck: tea.String("on"), HealthCheckURI: tea.String("/healthz"),
		StickySession: tea.String("off"), Bandwidth: tea.Int32(-1),
		IdleTimeout: tea.Int32(30), RequestTimeout: tea.Int32(120),
	}
}

func (e *clbEnv) listenerStatus(port int32) string {
	e.t.Helper()
	out, err := e.c.DescribeLoadBalancerHTTPListenerAttribute(&slb.DescribeLoadBalancerHTTPListenerAttributeRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(port),
	})
	if err != nil {
		e.t.Fatalf("DescribeLoadBalancerHTTPListenerAttribute: %v", err)
	}
	return tea.StringValue(out.Body.Status)
}

func (e *clbEnv) start(port int32) error {
	_, err := e.c.StartLoadBalancerListener(&slb.StartLoadBalancerListenerRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(port), ListenerProtocol: tea.String("http"),
	})
	return err
}

func (e *clbEnv) stop(port int32) error {
	_, err := e.c.StopLoadBalancerListener(&slb.StopLoadBalancerListenerRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(port), ListenerProtocol: tea.String("http"),
	})
	return err
}

func (e *clbEnv) groupServers(id string) []*slb.DescribeVServerGroupAttributeResponseBodyBackendServersBackendServer {
	e.t.Helper()
	out, err := e.c.DescribeVServerGroupAttribute(&slb.DescribeVServerGroupAttributeRequest{RegionId: clbRegion, VServerGroupId: tea.String(id)})
	if err != nil {
		e.t.Fatalf("DescribeVServerGroupAttribute: %v", err)
	}
	if out.Body.BackendServers == nil {
		return nil
	}
	return out.Body.BackendServers.BackendServer
}

// ---------------------------------------------------------------------------
// Direct handler harness.

type clbHarness struct{ *handlerHarness }

// newCLBHarness calls CLB handlers; RegionId=cn-hangzhou is added unless a
// call sets it ("" removes it).
func newCLBHarness(t *testing.T) *clbHarness {
	h := newHandlerHarness(t, ProductSLB, VersionSLB, clbTestAsync)
	h.defaults = url.Values{"RegionId": {"cn-hangzhou"}}
	return &clbHarness{h}
}

func (h *clbHarness) group(servers string) string {
	h.t.Helper()
	kv := []string{"LoadBalancerId", "lb-fake01", "VServerGroupName", "g"}
	if servers != "" {
		kv = append(kv, "BackendServers", servers)
	}
	out := h.must("CreateVServerGroup", kv...).(*slb.CreateVServerGroupResponseBody)
	h.settle()
	return *out.VServerGroupId
}

// listenerKV is a valid CreateLoadBalancerHTTPListener call; extra pairs
// override or add parameters.
func listenerKV(port int, group string, extra ...string) []string {
	base := map[string]string{
		"LoadBalancerId": "lb-fake01", "ListenerPort": fmt.Sprint(port), "VServerGroupId": group,
		"HealthCheck": "on", "StickySession": "off", "Bandwidth": "-1",
	}
	order := []string{"LoadBalancerId", "ListenerPort", "VServerGroupId", "HealthCheck", "StickySession", "Bandwidth"}
	for i := 0; i+1 < len(extra); i += 2 {
		if _, ok := base[extra[i]]; !ok {
			order = append(order, extra[i])
		}
		base[extra[i]] = extra[i+1]
	}
	var kv []string
	for _, k := range order {
		if v := base[k]; v != "\x00" {
			kv = append(kv, k, v)
		}
	}
	return kv
}

// drop marks a listenerKV parameter as absent.
const drop = "\x00"

// ---------------------------------------------------------------------------
// Tests through the real SDK

func TestCLBSDKRegionChecks(t *testing.T) {
	e := newCLBEnv(t, Options{})
	_, err := e.c.DescribeVServerGroups(&slb.DescribeVServerGroupsRequest{LoadBalancerId: clbLB})
	wantSDKError(t, err, 400, "MissingParameter")
	_, err = e.c.DescribeVServerGroups(&slb.DescribeVServerGroupsRequest{RegionId: tea.String("cn-beijing"), LoadBalancerId: clbLB})
	wantSDKError(t, err, 404, "InvalidRegionId.NotFound")
	_, err = e.c.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{LoadBalancerId: clbLB})
	wantSDKError(t, err, 400, "MissingParameter")
	_, err = e.c.StartLoadBalancerListener(&slb.StartLoadBalancerListenerRequest{LoadBalancerId: clbLB, ListenerPort: tea.Int32(80)})
	wantSDKError(t, err, 400, "MissingParameter")
	_, err = e.c.CreateVServerGroup(&slb.CreateVServerGroupRequest{RegionId: tea.String("us-west-1"), LoadBalancerId: clbLB})
	wantSDKError(t, err, 404, "InvalidRegionId.NotFound")
	if n := len(e.ts.Snapshot().CLB.VServerGroups); n != 0 {
		t.Fatalf("a rejected create left %d groups", n)
	}
	// The error body is the real one, with the SLB host.
	_, err = e.c.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: clbRegion, LoadBalancerId: tea.String("lb-nope")})
	wantSDKError(t, err, 404, "InvalidLoadBalancerId.NotFound")
	if !strings.Contains(err.Error(), "slb.aliyuncs.com") || !strings.Contains(err.Error(), "product=Slb") {
		t.Errorf("error body: %v", err)
	}
}

func TestCLBSDKDescribeLoadBalancerAttribute(t *testing.T) {
	e := newCLBEnv(t, Options{})
	g := e.createGroup("web", "")
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.CreateLoadBalancerHTTPSListener(&slb.CreateLoadBalancerHTTPSListenerRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(443), VServerGroupId: tea.String(g),
		HealthCheck: tea.String("off"), StickySession: tea.String("off"), Bandwidth: tea.Int32(-1),
		ServerCertificateId: tea.String("idkp-123-cn-test-0"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.TagResources(&slb.TagResourcesRequest{RegionId: clbRegion, ResourceType: tea.String("instance"),
		ResourceId: []*string{clbLB}, Tag: []*slb.TagResourcesRequestTag{{Key: tea.String("env"), Value: tea.String("prod")}}}); err != nil {
		t.Fatal(err)
	}
	out, err := e.c.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: clbRegion, LoadBalancerId: clbLB})
	if err != nil {
		t.Fatal(err)
	}
	b := out.Body
	if tea.StringValue(b.Address) != "203.0.113.10" || tea.StringValue(b.VpcId) != "vpc-fake01" ||
		tea.StringValue(b.LoadBalancerStatus) != "active" || tea.StringValue(b.AddressType) != "internet" ||
		tea.StringValue(b.NetworkType) != "vpc" || tea.StringValue(b.RegionId) != "cn-hangzhou" || tea.StringValue(b.RequestId) == "" {
		t.Fatalf("attribute: %v", b)
	}
	if got := b.ListenerPorts.ListenerPort; len(got) != 2 || *got[0] != 80 || *got[1] != 443 {
		t.Errorf("ListenerPorts %v", got)
	}
	pp := b.ListenerPortsAndProtocol.ListenerPortAndProtocol
	if len(pp) != 2 || tea.StringValue(pp[0].ListenerProtocol) != "http" || tea.StringValue(pp[1].ListenerProtocol) != "https" {
		t.Errorf("ListenerPortsAndProtocol %v", pp)
	}
	if tags := b.Tags.Tag; len(tags) != 1 || tea.StringValue(tags[0].TagKey) != "env" || tea.StringValue(tags[0].TagValue) != "prod" {
		t.Errorf("Tags %v", b.Tags)
	}

	list, err := e.c.DescribeLoadBalancers(&slb.DescribeLoadBalancersRequest{RegionId: clbRegion, VpcId: tea.String("vpc-fake01")})
	if err != nil {
		t.Fatal(err)
	}
	if lbs := list.Body.LoadBalancers.LoadBalancer; len(lbs) != 1 || tea.StringValue(lbs[0].Address) != "203.0.113.10" ||
		tea.Int32Value(list.Body.TotalCount) != 1 || tea.Int32Value(list.Body.PageSize) != 10 || tea.Int32Value(list.Body.PageNumber) != 1 {
		t.Errorf("DescribeLoadBalancers: %v", list.Body)
	}
}

func TestCLBSDKVServerGroupLifecycle(t *testing.T) {
	e := newCLBEnv(t, Options{})
	// Terraform-style single-quoted pseudo-JSON with string numbers.
	out, err := e.c.CreateVServerGroup(&slb.CreateVServerGroupRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, VServerGroupName: tea.String("web-5000"),
		BackendServers: tea.String(`[{'ServerId':'i-fake01','Port':'5000','Weight':'80'},{'ServerId':'i-fake02','Port':'5000'}]`),
		Tag:            []*slb.CreateVServerGroupRequestTag{{Key: tea.String("wsdeploy:stack"), Value: tea.String("demo")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	g := tea.StringValue(out.Body.VServerGroupId)
	bs := out.Body.BackendServers.BackendServer
	if !strings.HasPrefix(g, "rsp-") || len(bs) != 2 || tea.Int32Value(bs[0].Weight) != 80 || tea.Int32Value(bs[1].Weight) != 100 ||
		tea.Int32Value(bs[0].Port) != 5000 || tea.StringValue(bs[0].Type) != "ecs" {
		t.Fatalf("create: %v", out.Body)
	}
	add := func(servers string) (*slb.AddVServerGroupBackendServersResponse, error) {
		return e.c.AddVServerGroupBackendServers(&slb.AddVServerGroupBackendServersRequest{
			RegionId: clbRegion, VServerGroupId: tea.String(g), BackendServers: tea.String(servers),
		})
	}
	// The membership change is still being applied.
	_, err = add(`[{"ServerId":"i-fake03","Port":5000}]`)
	wantSDKError(t, err, 400, "VServerGroupProcessing")
	e.settle()
	// Numbers as JSON numbers or numeric strings.
	res, err := add(`[{"ServerId":"i-fake03","Port":5000,"Weight":"50","Description":"node-3"}]`)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Body.BackendServers.BackendServer); n != 3 || tea.StringValue(res.Body.VServerGroupId) != g {
		t.Fatalf("add response lists %d servers: %v", n, res.Body)
	}
	e.settle()
	_, err = add(`[{"ServerId":"i-fake01","Port":"5000"}]`)
	wantSDKError(t, err, 400, "InvalidParameter") // already in the group
	_, err = add(`[{"ServerId":"i-other01","Port":"5000"}]`)
	wantSDKError(t, err, 400, "InvalidBackendServers.Inconsistent")
	_, err = add(`[{"ServerId":"i-nope","Port":"5000"}]`)
	wantSDKError(t, err, 400, "ObtainIpFail")
	_, err = add(`[{"ServerId":"i-fake01","Port":5001`)
	wantSDKError(t, err, 400, "BackendServersMalformed")
	_, err = add(`[{"ServerId":"i-fake01","Port":5001,"Weight":101}]`)
	wantSDKError(t, err, 400, "InvalidWeight.Malformed")
	_, err = add(`[{"ServerId":"i-fake01","Port":0}]`)
	wantSDKError(t, err, 400, "InvalidParameter")

	var many []string
	for i := 0; i < 21; i++ {
		many = append(many, fmt.Sprintf(`{"ServerId":"i-fake01","Port":"%d"}`, 6000+i))
	}
	_, err = add("[" + strings.Join(many, ",") + "]")
	wantSDKError(t, err, 400, "TooManyBackendServers")
	if _, err := add("[" + strings.Join(many[:20], ",") + "]"); err != nil {
		t.Fatalf("20 servers in one call: %v", err)
	}
	e.settle()
	if n := len(e.groupServers(g)); n != 23 {
		t.Fatalf("group has %d servers, want 23", n)
	}

	attr, err := e.c.DescribeVServerGroupAttribute(&slb.DescribeVServerGroupAttributeRequest{RegionId: clbRegion, VServerGroupId: tea.String(g)})
	if err != nil {
		t.Fatal(err)
	}
	a := attr.Body
	s0 := a.BackendServers.BackendServer[0]
	if tea.StringValue(a.VServerGroupName) != "web-5000" || tea.StringValue(a.LoadBalancerId) != "lb-fake01" ||
		tea.StringValue(s0.ServerId) != "i-fake01" || tea.StringValue(s0.ServerIp) != "192.168.0.11" ||
		len(a.Tags.Tag) != 1 || tea.StringValue(a.Tags.Tag[0].TagKey) != "wsdeploy:stack" || tea.StringValue(a.CreateTime) != "2025-03-01T10:00:00Z" {
		t.Fatalf("attribute: %v", a)
	}

	// Reweight and rename; members only.
	set, err := e.c.SetVServerGroupAttribute(&slb.SetVServerGroupAttributeRequest{
		RegionId: clbRegion, VServerGroupId: tea.String(g), VServerGroupName: tea.String("web-v2"),
		BackendServers: tea.String(`[{"ServerId":"i-fake01","Port":"5000","Weight":"0"}]`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(set.Body.VServerGroupName) != "web-v2" || tea.Int32Value(set.Body.BackendServers.BackendServer[0].Weight) != 0 {
		t.Fatalf("set: %v", set.Body)
	}
	e.settle()
	_, err = e.c.SetVServerGroupAttribute(&slb.SetVServerGroupAttributeRequest{
		RegionId: clbRegion, VServerGroupId: tea.String(g), BackendServers: tea.String(`[{"ServerId":"i-fake01","Port":"7000","Weight":"10"}]`),
	})
	wantSDKError(t, err, 400, "InvalidParameter")

	// Remove 20 at once, then servers not in the group (ignored: no error,
	// nothing changes, no busy window).
	remove := func(servers string) int {
		t.Helper()
		rm, err := e.c.RemoveVServerGroupBackendServers(&slb.RemoveVServerGroupBackendServersRequest{
			RegionId: clbRegion, VServerGroupId: tea.String(g), BackendServers: tea.String(servers),
		})
		if err != nil {
			t.Fatal(err)
		}
		return len(rm.Body.BackendServers.BackendServer)
	}
	if n := remove("[" + strings.Join(many[:20], ",") + "]"); n != 3 {
		t.Fatalf("remove left %d servers", n)
	}
	e.settle()
	if n := remove(`[{"ServerId":"i-fake03","Port":"9999"},{"ServerId":"i-fake02","Port":"1"}]`); n != 3 {
		t.Fatalf("removing absent servers left %d servers", n)
	}
	// Replace i-fake02 by i-fake03:6000.
	if _, err := e.c.ModifyVServerGroupBackendServers(&slb.ModifyVServerGroupBackendServersRequest{
		RegionId: clbRegion, VServerGroupId: tea.String(g),
		OldBackendServers: tea.String(`[{"ServerId":"i-fake02","Port":"5000"}]`),
		NewBackendServers: tea.String(`[{"ServerId":"i-fake03","Port":"6000","Weight":"30"}]`),
	}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range e.groupServers(g) {
		got = append(got, fmt.Sprintf("%s:%d/%d", tea.StringValue(s.ServerId), tea.Int32Value(s.Port), tea.Int32Value(s.Weight)))
	}
	if strings.Join(got, " ") != "i-fake01:5000/0 i-fake03:5000/50 i-fake03:6000/30" {
		t.Fatalf("servers after modify: %v", got)
	}

	_, err = e.c.DescribeVServerGroupAttribute(&slb.DescribeVServerGroupAttributeRequest{RegionId: clbRegion, VServerGroupId: tea.String("rsp-nope")})
	wantSDKError(t, err, 404, "InvalidParameter")
}

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

// TestCLBSDKStartsWithTheRealClock polls as a tool would: starting gives way
// to running after AsyncDuration of wall-clock time.
func TestCLBSDKStartsWithTheRealClock(t *testing.T) {
	e := newCLBEnv(t, Options{Now: time.Now})
	g := e.createGroup("web", "")
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	if err := e.start(80); err != nil {
		t.Fatal(err)
	}
	if got := e.listenerStatus(80); got != "starting" && time.Since(begin) < clbTestAsync {
		t.Fatalf("right after Start: %s", got)
	}
	deadline := time.Now().Add(2 * time.Second)
	for e.listenerStatus(80) != "running" {
		if time.Now().After(deadline) {
			t.Fatal("listener never became running")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCLBSDKListenerAlreadyExists(t *testing.T) {
	e := newCLBEnv(t, Options{})
	g := e.createGroup("web", "")
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	_, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g))
	wantSDKError(t, err, 400, "ListenerAlreadyExists")
	_, err = e.c.CreateLoadBalancerHTTPSListener(&slb.CreateLoadBalancerHTTPSListenerRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80), VServerGroupId: tea.String(g),
		HealthCheck: tea.String("off"), StickySession: tea.String("off"), Bandwidth: tea.Int32(-1),
		ServerCertificateId: tea.String("idkp-123-cn-test-0"),
	})
	wantSDKError(t, err, 400, "ListenerAlreadyExists")
	// HTTPS needs the certificate.
	_, err = e.c.CreateLoadBalancerHTTPSListener(&slb.CreateLoadBalancerHTTPSListenerRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(443), VServerGroupId: tea.String(g),
		HealthCheck: tea.String("off"), StickySession: tea.String("off"), Bandwidth: tea.Int32(-1),
	})
	wantSDKError(t, err, 400, "MissingParameter")
	// A group of another CLB (or none) is "does not exist", 400.
	req := e.httpListener(81, "rsp-nope")
	_, err = e.c.CreateLoadBalancerHTTPListener(req)
	wantSDKError(t, err, 400, "InvalidParameter")
}

func TestCLBSDKRspoolVipExist(t *testing.T) {
	e := newCLBEnv(t, Options{})
	g := e.createGroup("web", `[{"ServerId":"i-fake01","Port":"5000"}]`)
	e.settle()
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	if err := e.start(80); err != nil {
		t.Fatal(err)
	}
	e.settle()
	del := &slb.DeleteVServerGroupRequest{RegionId: clbRegion, VServerGroupId: tea.String(g)}
	_, err := e.c.DeleteVServerGroup(del)
	wantSDKError(t, err, 400, "RspoolVipExist")
	// IncludeListener shows who uses it.
	vg, err := e.c.DescribeVServerGroups(&slb.DescribeVServerGroupsRequest{RegionId: clbRegion, LoadBalancerId: clbLB, IncludeListener: tea.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	ls := vg.Body.VServerGroups.VServerGroup[0].AssociatedObjects.Listeners.Listener
	if len(ls) != 1 || tea.Int32Value(ls[0].Port) != 80 || tea.StringValue(ls[0].Protocol) != "http" {
		t.Fatalf("AssociatedObjects: %v", vg.Body)
	}
	// A running listener may be deleted directly.
	if _, err := e.c.DeleteLoadBalancerListener(&slb.DeleteLoadBalancerListenerRequest{
		RegionId: clbRegion, LoadBalancerId: clbLB, ListenerPort: tea.Int32(80), ListenerProtocol: tea.String("http"),
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.DeleteVServerGroup(del); err != nil {
		t.Fatal(err)
	}
	_, err = e.c.DeleteVServerGroup(del)
	wantSDKError(t, err, 404, "InvalidParameter")
	if !strings.Contains(err.Error(), "The specified VServerGroupId does not exist") {
		t.Errorf("message: %v", err)
	}
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

func TestCLBSDKDescribeVServerGroupsTagFilter(t *testing.T) {
	e := newCLBEnv(t, Options{})
	mine := e.createGroup("web", `[{"ServerId":"i-fake01","Port":"5000"}]`, "wsdeploy:stack", "demo", "team", "a")
	e.createGroup("web", "", "wsdeploy:stack", "other")
	e.createGroup("foreign", "")
	list := func(tags ...string) []*slb.DescribeVServerGroupsResponseBodyVServerGroupsVServerGroup {
		t.Helper()
		req := &slb.DescribeVServerGroupsRequest{RegionId: clbRegion, LoadBalancerId: clbLB}
		for i := 0; i < len(tags); i += 2 {
			tag := &slb.DescribeVServerGroupsRequestTag{Key: tea.String(tags[i])}
			if tags[i+1] != "*" {
				tag.Value = tea.String(tags[i+1])
			}
			req.Tag = append(req.Tag, tag)
		}
		out, err := e.c.DescribeVServerGroups(req)
		if err != nil {
			t.Fatal(err)
		}
		if out.Body.VServerGroups == nil {
			return nil
		}
		return out.Body.VServerGroups.VServerGroup
	}
	if n := len(list()); n != 3 {
		t.Fatalf("all groups: %d", n)
	}
	got := list("wsdeploy:stack", "demo")
	if len(got) != 1 || tea.StringValue(got[0].VServerGroupId) != mine || tea.Int64Value(got[0].ServerCount) != 1 ||
		len(got[0].Tags.Tag) != 2 || got[0].AssociatedObjects != nil {
		t.Fatalf("tag filter: %v", got)
	}
	if n := len(list("wsdeploy:stack", "*")); n != 2 {
		t.Fatalf("key-only filter: %d", n)
	}
	if n := len(list("wsdeploy:stack", "demo", "team", "b")); n != 0 {
		t.Fatalf("two filters: %d", n)
	}
	_, err := e.c.DescribeVServerGroups(&slb.DescribeVServerGroupsRequest{RegionId: clbRegion})
	wantSDKError(t, err, 400, "MissingParameter")
	_, err = e.c.DescribeVServerGroups(&slb.DescribeVServerGroupsRequest{RegionId: clbRegion, LoadBalancerId: tea.String("lb-nope")})
	wantSDKError(t, err, 404, "InvalidLoadBalancerId.NotFound")
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

func TestCLBSDKLockedInstance(t *testing.T) {
	e := newCLBEnv(t, Options{})
	g := e.createGroup("web", "")
	if err := e.ts.Update(func(st *State) error {
		st.CLB.loadBalancer("lb-fake01").Status = "locked"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g))
	wantSDKError(t, err, 400, "ActionNotAllowed")
	_, err = e.c.CreateVServerGroup(&slb.CreateVServerGroupRequest{RegionId: clbRegion, LoadBalancerId: clbLB})
	wantSDKError(t, err, 400, "ActionNotAllowed")
	out, err := e.c.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: clbRegion, LoadBalancerId: clbLB})
	if err != nil {
		t.Fatal(err)
	}
	if got := tea.StringValue(out.Body.LoadBalancerStatus); got != "locked" {
		t.Fatalf("status %s", got)
	}
}

func TestCLBStatePersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	e := newCLBEnv(t, Options{StatePath: path, Seed: DemoSeed()})
	g := e.createGroup("web", `[{"ServerId":"i-fake01","Port":"5000"}]`, "k", "v")
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	if err := e.start(80); err != nil {
		t.Fatal(err)
	}
	// A second server on the same file sees the same world (strict decoding).
	e2 := newCLBEnv(t, Options{StatePath: path})
	e2.clock.Add(time.Second)
	if got := e2.listenerStatus(80); got != "running" {
		t.Fatalf("listener via the second server: %s", got)
	}
	if n := len(e2.groupServers(g)); n != 1 {
		t.Fatalf("group via the second server: %d servers", n)
	}
	snap := e.ts.Snapshot()
	data, err := json.Marshal(snap.CLB)
	if err != nil || !strings.Contains(string(data), `"vServerGroups"`) {
		t.Fatalf("state JSON: %s %v", data, err)
	}
}

// ---------------------------------------------------------------------------
// Direct handler tests

func TestCLBBackendServersParsing(t *testing.T) {
	h := newCLBHarness(t)
	g := h.group("")
	tests := []struct {
		servers string
		code    string
	}{
		{`[{"ServerId":"i-fake01","Port":"5000"}`, "BackendServersMalformed"},
		{`{"ServerId":"i-fake01","Port":"5000"}`, "BackendServersMalformed"},
		{`null`, "BackendServersMalformed"},
		{`[null]`, "BackendServersMalformed"},
		{`[{"ServerId":"i-fake01","port":"5000"}]`, "BackendServersMalformed"},
		{`[]`, "InvalidParameter"},
		{`[{"Port":"5000"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":"65536"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":"50.5"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":"+80"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":true}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":80,"Weight":-1}]`, "InvalidWeight.Malformed"},
		{`[{"ServerId":"i-fake01","Port":80,"Weight":"heavy"}]`, "InvalidWeight.Malformed"},
		{`[{"ServerId":"i-fake01","Port":80,"Type":"vm"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":80,"Description":""}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":80,"Description":"has space"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":80,"ServerIp":"192.168.0.99"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":80},{"ServerId":"i-fake01","Port":"80"}]`, "InvalidParameter"},
		{`[{"ServerId":"eni-1","Port":80,"Type":"eni","ServerIp":"192.168.0.50"}]`, "ObtainIpFail"},
		{`[{"ServerId":"i-nope","Port":80}]`, "ObtainIpFail"},
		{`[{"ServerId":"i-other01","Port":80}]`, "InvalidBackendServers.Inconsistent"},
	}
	for _, tt := range tests {
		_, err := h.call("AddVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", tt.servers)
		e, ok := AsAPIError(err)
		if !ok || e.Code != tt.code || e.HTTPStatus != 400 {
			t.Errorf("%s: got %v, want 400 %s", tt.servers, err, tt.code)
		}
	}
	if n := len(h.st.CLB.vServerGroup(g).Servers); n != 0 {
		t.Fatalf("rejected calls added %d servers", n)
	}
	// A stopped instance cannot be added.
	in, _ := h.st.Instance("i-fake02")
	in.Status = "Stopped"
	_, err := h.call("AddVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", `[{"ServerId":"i-fake02","Port":80}]`)
	wantAPIError(t, err, 400, "ObtainIpFail")
	// Accepted spellings: numbers, numeric strings, single quotes, matching ServerIp.
	out := h.must("AddVServerGroupBackendServers", "VServerGroupId", g, "BackendServers",
		`[{'ServerId':'i-fake01','Port':'80','Weight':'0','Type':'ecs','Description':'web-1/a_b.c'},{"ServerId":"i-fake03","Port":81,"ServerIp":"192.168.0.13"}]`,
	).(*slb.AddVServerGroupBackendServersResponseBody)
	bs := out.BackendServers.BackendServer
	if len(bs) != 2 || *bs[0].Weight != 0 || *bs[0].Description != "web-1/a_b.c" || *bs[1].Weight != 100 || *bs[1].Port != 81 {
		t.Fatalf("accepted servers: %v", out)
	}
}

func TestCLBVServerGroupBusyWindow(t *testing.T) {
	h := newCLBHarness(t)
	g := h.group(`[{"ServerId":"i-fake01","Port":"80"}]`)
	// Rename alone does not start the window; a membership change does.
	h.must("SetVServerGroupAttribute", "VServerGroupId", g, "VServerGroupName", "renamed")
	h.must("RemoveVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", `[{"ServerId":"i-fake02","Port":"80"}]`)
	h.must("RemoveVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`)
	for _, c := range [][]string{
		{"AddVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`},
		{"RemoveVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`},
		{"SetVServerGroupAttribute", "VServerGroupId", g, "VServerGroupName", "x"},
		{"DeleteVServerGroup", "VServerGroupId", g},
	} {
		_, err := h.call(c[0], c[1:]...)
		wantAPIError(t, err, 400, "VServerGroupProcessing")
	}
	h.settle()
	h.must("DeleteVServerGroup", "VServerGroupId", g)
	_, err := h.call("DeleteVServerGroup", "VServerGroupId", g)
	wantAPIError(t, err, 404, "InvalidParameter")
}

func TestCLBModifyVServerGroupBackendServers(t *testing.T) {
	h := newCLBHarness(t)
	g := h.group(`[{"ServerId":"i-fake01","Port":"80"},{"ServerId":"i-fake02","Port":"80"}]`)
	_, err := h.call("ModifyVServerGroupBackendServers", "VServerGroupId", g,
		"OldBackendServers", `[{"ServerId":"i-fake03","Port":"80"}]`, "NewBackendServers", `[{"ServerId":"i-fake03","Port":"81"}]`)
	wantAPIError(t, err, 400, "InvalidParameter") // old one is not a member
	_, err = h.call("ModifyVServerGroupBackendServers", "VServerGroupId", g,
		"OldBackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`, "NewBackendServers", `[{"ServerId":"i-fake02","Port":"80"}]`)
	wantAPIError(t, err, 400, "InvalidParameter") // new one stays a member
	_, err = h.call("ModifyVServerGroupBackendServers", "VServerGroupId", g, "OldBackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`)
	wantAPIError(t, err, 400, "MissingParameter")
	// Replacing a server by itself changes its weight.
	h.must("ModifyVServerGroupBackendServers", "VServerGroupId", g,
		"OldBackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`, "NewBackendServers", `[{"ServerId":"i-fake01","Port":"80","Weight":"5"}]`)
	sv := h.st.CLB.vServerGroup(g).Servers
	if len(sv) != 2 || sv[1].ServerID != "i-fake01" || sv[1].Weight != 5 {
		t.Fatalf("servers: %+v", sv)
	}
}

func TestCLBListenerValidation(t *testing.T) {
	h := newCLBHarness(t)
	g := h.group("")
	other := h.st.NextSeq()
	h.st.CLB.LoadBalancers = append(h.st.CLB.LoadBalancers, &CLBInstance{ID: "lb-other", VpcID: "vpc-fake01", Address: "203.0.113.11", Status: "active"})
	h.st.CLB.VServerGroups = append(h.st.CLB.VServerGroups, &CLBVServerGroup{ID: fmt.Sprintf("rsp-other%d", other), LoadBalancerID: "lb-other"})
	otherGroup := fmt.Sprintf("rsp-other%d", other)
	tests := []struct {
		extra  []string
		status int
		code   string
	}{
		{[]string{"HealthCheck", drop}, 400, "MissingParameter"},
		{[]string{"StickySession", drop}, 400, "MissingParameter"},
		{[]string{"HealthCheck", "yes"}, 400, "InvalidParameter"},
		{[]string{"ListenerPort", "0"}, 400, "InvalidParameter"},
		{[]string{"ListenerPort", drop}, 400, "MissingParameter"},
		{[]string{"VServerGroupId", drop}, 400, "MissingParameter"},
		{[]string{"VServerGroupId", otherGroup}, 400, "InvalidParameter"},
		{[]string{"VServerGroupId", "rsp-nope"}, 400, "InvalidParameter"},
		{[]string{"LoadBalancerId", "lb-nope"}, 404, "InvalidLoadBalancerId.NotFound"},
		{[]string{"IdleTimeout", "61"}, 400, "InvalidParameter"},
		{[]string{"IdleTimeout", "0"}, 400, "InvalidParameter"},
		{[]string{"RequestTimeout", "181"}, 400, "InvalidParameter"},
		{[]string{"Bandwidth", "0"}, 400, "InvalidParameter"},
		{[]string{"Bandwidth", "5121"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckURI", "/"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckURI", "healthz"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckURI", "/health?x=1"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckURI", "/" + strings.Repeat("a", 80)}, 400, "InvalidParameter"},
		{[]string{"HealthCheckHttpCode", "http_2xx,http_6xx"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckHttpCode", "http_2xx,http_2xx"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckMethod", "GET"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckInterval", "51"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckTimeout", "301"}, 400, "InvalidParameter"},
		{[]string{"HealthyThreshold", "1"}, 400, "InvalidParameter"},
		{[]string{"UnhealthyThreshold", "11"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckConnectPort", "65536"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckDomain", "bad domain"}, 400, "InvalidParameter"},
		{[]string{"StickySession", "on"}, 400, "MissingParameter"},
		{[]string{"StickySession", "on", "StickySessionType", "insert"}, 400, "MissingParameter"},
		{[]string{"StickySession", "on", "StickySessionType", "server"}, 400, "MissingParameter"},
		{[]string{"StickySession", "on", "StickySessionType", "insert", "CookieTimeout", "86401"}, 400, "InvalidParameter"},
		{[]string{"StickySession", "on", "StickySessionType", "server", "Cookie", "a;b"}, 400, "InvalidParameter"},
		{[]string{"StickySessionType", "rewrite"}, 400, "InvalidParameter"},
		{[]string{"Scheduler", "sch"}, 400, "InvalidParameter"},
		{[]string{"Description", "has space"}, 400, "InvalidParameter"},
		{[]string{"Description", strings.Repeat("d", 257)}, 400, "InvalidParameter"},
		{[]string{"XForwardedFor", "true"}, 400, "InvalidParameter"},
		{[]string{"Gzip", "ON"}, 400, "InvalidParameter"},
		{[]string{"AclStatus", "on"}, 400, "MissingParameter"},
		{[]string{"AclStatus", "on", "AclId", "acl-1"}, 400, "AclNotExist"},
		{[]string{"ListenerForward", "on"}, 400, "MissingParameter"},
		{[]string{"ListenerForward", "on", "ForwardPort", "443"}, 400, "InvalidParameter"},
		{[]string{"Tag.1.Key", "acs:x", "Tag.1.Value", "v"}, 400, "InvalidParameter"},
		{[]string{"Tag.1.Key", "k", "Tag.1.Value", "http://x"}, 400, "InvalidParameter"},
		{[]string{"Tag.1.Key", strings.Repeat("k", 65)}, 400, "InvalidParameter"},
	}
	for _, tt := range tests {
		_, err := h.call("CreateLoadBalancerHTTPListener", listenerKV(80, g, tt.extra...)...)
		e, ok := AsAPIError(err)
		if !ok || e.Code != tt.code || e.HTTPStatus != tt.status {
			t.Errorf("%v: got %v, want %d %s", tt.extra, err, tt.status, tt.code)
		}
	}
	if n := len(h.st.CLB.Listeners); n != 0 {
		t.Fatalf("rejected creates left %d listeners", n)
	}
	// Accepted: everything at its limits, BackendServerPort instead of a group.
	h.must("CreateLoadBalancerHTTPListener", listenerKV(80, g,
		"IdleTimeout", "60", "RequestTimeout", "180", "Bandwidth", "5120", "HealthCheckURI", "/a-b/c.html?x%20#f&g",
		"HealthCheckHttpCode", "http_2xx,http_3xx", "HealthCheckMethod", "get", "HealthCheckInterval", "50",
		"HealthCheckTimeout", "300", "HealthyThreshold", "10", "UnhealthyThreshold", "2", "HealthCheckDomain", "$_ip",
		"StickySession", "on", "StickySessionType", "server", "Cookie", "SESSIONID", "Scheduler", "rr",
		"Description", "wsdeploy/demo_80.http", "Tag.1.Key", "k", "Tag.1.Value", "")...)
	h.must("CreateLoadBalancerHTTPListener", listenerKV(81, "", "VServerGroupId", drop, "BackendServerPort", "5000")...)
	// HTTPS: certificate and bandwidth are required; cipher policy checked.
	https := func(extra ...string) []string {
		return append(listenerKV(443, g, "ServerCertificateId", "idkp-123-cn-test-0"), extra...)
	}
	_, err := h.call("CreateLoadBalancerHTTPSListener", listenerKV(443, g)...)
	wantAPIError(t, err, 400, "MissingParameter")
	_, err = h.call("CreateLoadBalancerHTTPSListener", listenerKV(443, g, "ServerCertificateId", "c", "Bandwidth", drop)...)
	wantAPIError(t, err, 400, "MissingParameter")
	_, err = h.call("CreateLoadBalancerHTTPSListener", https("TLSCipherPolicy", "tls_cipher_policy_9")...)
	wantAPIError(t, err, 400, "InvalidParameter")
	h.must("CreateLoadBalancerHTTPSListener", https("EnableHttp2", "off", "TLSCipherPolicy", "tls_cipher_policy_1_2")...)
	// An HTTP->HTTPS redirect needs an HTTPS target.
	h.must("CreateLoadBalancerHTTPListener", listenerKV(82, g, "ListenerForward", "on", "ForwardPort", "443")...)

	l := h.st.CLB.listener("lb-fake01", 80)
	if l.IdleTimeout != 60 || l.RequestTimeout != 180 || l.StickySession.Cookie != "SESSIONID" || l.HealthCheck.Method != "get" || len(l.Tags) != 1 {
		t.Fatalf("listener 80: %+v", l)
	}
	// Defaults.
	l81 := h.st.CLB.listener("lb-fake01", 81)
	if l81.IdleTimeout != 15 || l81.RequestTimeout != 60 || l81.Scheduler != "wrr" || l81.HealthCheck.Interval != 2 ||
		l81.HealthCheck.HTTPCode != "http_2xx" || l81.Flags["Gzip"] != "on" || l81.Flags["XForwardedFor_SLBIP"] != "off" {
		t.Fatalf("defaults: %+v", l81)
	}
	ls := h.must("DescribeLoadBalancerListeners", "LoadBalancerId.1", "lb-fake01", "ListenerPort", "82").(*slb.DescribeLoadBalancerListenersResponseBody)
	if c := ls.Listeners[0].HTTPListenerConfig; *c.ListenerForward != "on" || *c.ForwardPort != 443 {
		t.Fatalf("redirect: %v", ls)
	}
	attr := h.must("DescribeLoadBalancerHTTPSListenerAttribute", "LoadBalancerId", "lb-fake01", "ListenerPort", "443").(*slb.DescribeLoadBalancerHTTPSListenerAttributeResponseBody)
	if *attr.EnableHttp2 != "off" || *attr.TLSCipherPolicy != "tls_cipher_policy_1_2" || *attr.ServerCertificateId != "idkp-123-cn-test-0" {
		t.Fatalf("https attribute: %v", attr)
	}
}

func TestCLBSetListenerAttribute(t *testing.T) {
	h := newCLBHarness(t)
	g1, g2 := h.group(""), h.group("")
	h.must("CreateLoadBalancerHTTPListener", listenerKV(80, g1)...)
	set := func(kv ...string) error {
		_, err := h.call("SetLoadBalancerHTTPListenerAttribute", append([]string{"LoadBalancerId", "lb-fake01", "ListenerPort", "80"}, kv...)...)
		return err
	}
	// On a stopped listener, changes apply at once and it stays stopped.
	if err := set("RequestTimeout", "90", "StickySession", "on", "StickySessionType", "insert", "CookieTimeout", "100"); err != nil {
		t.Fatal(err)
	}
	l := h.st.CLB.listener("lb-fake01", 80)
	if l.status(h.now) != "stopped" || l.RequestTimeout != 90 || !l.StickySession.Enabled {
		t.Fatalf("after set: %+v", l)
	}
	wantAPIError(t, set("VServerGroupId", g2), 400, "InvalidParameter")
	wantAPIError(t, set("VServerGroup", "on"), 400, "MissingParameter")
	wantAPIError(t, set("VServerGroup", "off"), 400, "InvalidParameter")
	wantAPIError(t, set("IdleTimeout", "61"), 400, "InvalidParameter")
	wantAPIError(t, set("DryRun", "true", "IdleTimeout", "20"), 400, "DryRunOperation")
	if l.IdleTimeout != 15 {
		t.Fatalf("DryRun changed the listener: %+v", l)
	}
	if err := set("VServerGroup", "on", "VServerGroupId", g2); err != nil {
		t.Fatal(err)
	}
	if h.st.CLB.listener("lb-fake01", 80).VServerGroupID != g2 {
		t.Fatal("group not switched")
	}
	_, err := h.call("SetLoadBalancerHTTPSListenerAttribute", "LoadBalancerId", "lb-fake01", "ListenerPort", "80", "IdleTimeout", "20")
	wantAPIError(t, err, 400, "UnsupportedOperationonfixedprotocalport")
	_, err = h.call("SetLoadBalancerHTTPListenerAttribute", "LoadBalancerId", "lb-fake01", "ListenerPort", "81", "IdleTimeout", "20")
	wantAPIError(t, err, 404, "ListenerNotFound")
	// Start, settle, then a change makes it configuring.
	h.must("StartLoadBalancerListener", "LoadBalancerId", "lb-fake01", "ListenerPort", "80")
	h.settle()
	if err := set("IdleTimeout", "20"); err != nil {
		t.Fatal(err)
	}
	if got := h.st.CLB.listener("lb-fake01", 80).status(h.now); got != "configuring" {
		t.Fatalf("status %s", got)
	}
	wantAPIError(t, set("IdleTimeout", "21"), 400, "ServiceIsConfiguring")
	_, err = h.call("StopLoadBalancerListener", "LoadBalancerId", "lb-fake01", "ListenerPort", "80")
	wantAPIError(t, err, 400, "ServiceIsConfiguring")
	h.settle()
	h.must("StopLoadBalancerListener", "LoadBalancerId", "lb-fake01", "ListenerPort", "80", "ListenerProtocol", "http")
	_, err = h.call("StartLoadBalancerListener", "LoadBalancerId", "lb-fake01", "ListenerPort", "80", "ListenerProtocol", "HTTP")
	wantAPIError(t, err, 400, "InvalidParameter")
}

func TestCLBDescribeLoadBalancers(t *testing.T) {
	h := newCLBHarness(t)
	h.group(`[{"ServerId":"i-fake02","Port":"80"}]`)
	tests := []struct {
		kv   []string
		want int
	}{
		{nil, 1},
		{[]string{"LoadBalancerId", "lb-fake01,lb-nope"}, 1},
		{[]string{"LoadBalancerId", "lb-nope"}, 0},
		{[]string{"VpcId", "vpc-other01"}, 0},
		{[]string{"Address", "203.0.113.10", "AddressType", "internet", "LoadBalancerStatus", "active"}, 1},
		{[]string{"AddressType", "intranet"}, 0},
		{[]string{"ServerId", "i-fake02"}, 1},
		{[]string{"ServerId", "i-fake01"}, 0},
		{[]string{"ServerIntranetAddress", "192.168.0.12"}, 1},
		{[]string{"LoadBalancerName", "auto_named_slb"}, 1},
		{[]string{"PageNumber", "2", "PageSize", "1"}, 0},
		{[]string{"Tag.1.Key", "k"}, 0},
	}
	for _, tt := range tests {
		out := h.must("DescribeLoadBalancers", tt.kv...).(*slb.DescribeLoadBalancersResponseBody)
		got := 0
		if out.LoadBalancers != nil {
			got = len(out.LoadBalancers.LoadBalancer)
		}
		if got != tt.want {
			t.Errorf("DescribeLoadBalancers %v: %d, want %d", tt.kv, got, tt.want)
		}
	}
	h.must("TagResources", "ResourceType", "instance", "ResourceId.1", "lb-fake01", "Tag.1.Key", "k", "Tag.1.Value", "v")
	if out := h.must("DescribeLoadBalancers", "Tags", `[{"tagKey":"k","tagValue":"v"}]`).(*slb.DescribeLoadBalancersResponseBody); len(out.LoadBalancers.LoadBalancer) != 1 {
		t.Errorf("Tags JSON filter: %v", out)
	}
	_, err := h.call("DescribeLoadBalancers", "PageSize", "5")
	wantAPIError(t, err, 400, "MissingParameter")
	_, err = h.call("DescribeLoadBalancers", "PageNumber", "1", "PageSize", "101")
	wantAPIError(t, err, 400, "InvalidParameter")
	_, err = h.call("DescribeLoadBalancers", "AddressType", "public")
	wantAPIError(t, err, 400, "InvalidParameter")
	_, err = h.call("DescribeLoadBalancers", "RegionId", "")
	wantAPIError(t, err, 400, "MissingParameter")
}

func TestCLBListTagResourcesPaging(t *testing.T) {
	h := newCLBHarness(t)
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, h.group(""))
	}
	for _, id := range ids {
		kv := []string{"ResourceType", "vservergroup", "ResourceId.1", id}
		for j := 0; j < 20; j++ {
			kv = append(kv, fmt.Sprintf("Tag.%d.Key", j+1), fmt.Sprintf("k%d", j), fmt.Sprintf("Tag.%d.Value", j+1), "v")
		}
		h.must("TagResources", kv...)
	}
	kv := []string{"ResourceType", "vservergroup"}
	for i, id := range ids {
		kv = append(kv, fmt.Sprintf("ResourceId.%d", i+1), id)
	}
	p1 := h.must("ListTagResources", kv...).(*slb.ListTagResourcesResponseBody)
	if len(p1.TagResources.TagResource) != 50 || *p1.NextToken != "50" {
		t.Fatalf("page 1: %d rows, next %v", len(p1.TagResources.TagResource), p1.NextToken)
	}
	p2 := h.must("ListTagResources", append(kv, "NextToken", "50")...).(*slb.ListTagResourcesResponseBody)
	if len(p2.TagResources.TagResource) != 10 || p2.NextToken != nil {
		t.Fatalf("page 2: %d rows", len(p2.TagResources.TagResource))
	}
	_, err := h.call("ListTagResources", "ResourceType", "vservergroup")
	wantAPIError(t, err, 400, "MissingParameter")
	_, err = h.call("ListTagResources", append(kv, "NextToken", "x")...)
	wantAPIError(t, err, 400, "InvalidParameter.NextToken")
	_, err = h.call("TagResources", "ResourceType", "certificate", "ResourceId.1", "cert-1", "Tag.1.Key", "k")
	wantAPIError(t, err, 404, "InvalidResourceId.NotFound")
	// All=true removes every tag.
	h.must("UntagResources", "ResourceType", "vservergroup", "ResourceId.1", ids[0], "All", "true")
	if n := len(h.st.CLB.vServerGroup(ids[0]).Tags); n != 0 {
		t.Fatalf("%d tags left", n)
	}
}

func TestCLBParseListenerResourceID(t *testing.T) {
	for _, tt := range []struct {
		id, lb, proto string
		port          int
		ok            bool
	}{
		{"lb-fake01_http_80", "lb-fake01", "http", 80, true},
		{"lb-a_b_https_443", "lb-a_b", "https", 443, true},
		{"lb-fake01_http", "", "", 0, false},
		{"lb-fake01_http_0", "", "", 0, false},
		{"_http_80", "", "", 0, false},
	} {
		lb, proto, port, ok := parseListenerResourceID(tt.id)
		if lb != tt.lb || proto != tt.proto || port != tt.port || ok != tt.ok {
			t.Errorf("%s: %q %q %d %v", tt.id, lb, proto, port, ok)
		}
	}
}

func TestCLBTagLimits(t *testing.T) {
	h := newCLBHarness(t)
	var tags []string
	for i := 1; i <= 21; i++ {
		tags = append(tags, fmt.Sprintf("Tag.%d.Key", i), fmt.Sprintf("k%d", i), fmt.Sprintf("Tag.%d.Value", i), "v")
	}
	_, err := h.call("CreateVServerGroup", append([]string{"LoadBalancerId", "lb-fake01"}, tags...)...)
	wantAPIError(t, err, 400, "TagCountLimit")
	_, err = h.call("CreateLoadBalancerHTTPListener", listenerKV(80, h.group(""), tags...)...)
	wantAPIError(t, err, 400, "TagCountLimit")
	_, err = h.call("DescribeVServerGroups", append([]string{"LoadBalancerId", "lb-fake01"}, tags...)...)
	wantAPIError(t, err, 400, "InvalidParameter")
	_, err = h.call("CreateVServerGroup", "LoadBalancerId", "lb-fake01", "Tag.1.Key", "k", "Tag.2.Key", "k")
	wantAPIError(t, err, 400, "InvalidParameter")
	_, err = h.call("CreateVServerGroup", "LoadBalancerId", "lb-fake01", "Tag.1.Value", "v")
	wantAPIError(t, err, 400, "MissingParameter")
	h.must("CreateVServerGroup", append([]string{"LoadBalancerId", "lb-fake01"}, tags[:80]...)...)
}
