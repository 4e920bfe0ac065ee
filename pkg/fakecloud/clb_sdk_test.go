package fakecloud

// CLB end to end through the real SDK client, at a clock the test moves.

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
)

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
	if opts.AsyncDuration == 0 && opts.Profile != ProfileRealistic {
		opts.AsyncDuration = clbTestAsync
	}
	ts := NewTestServer(t, opts)
	c, err := slb.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
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
	// The deadline only bounds a hang: how soon the status changes is the
	// machine's speed, not the fake's behaviour.
	eventually(t, 15*time.Second, "listener running", func() error {
		if got := e.listenerStatus(80); got != "running" {
			return fmt.Errorf("status %s", got)
		}
		return nil
	})
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
