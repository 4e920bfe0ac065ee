package fakecloud

// The two clients against each other on one world: what one writes, the
// other reads (both directions, for the objects wsdeploy manages), and the
// older SDK's paging (NextToken, PageNumber) to the last page.

import (
	"fmt"
	"strings"
	"testing"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	alidns "github.com/alibabacloud-go/alidns-20150109/v4/client"
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	v1alb "github.com/aliyun/alibaba-cloud-sdk-go/services/alb"
	v1dns "github.com/aliyun/alibaba-cloud-sdk-go/services/alidns"
	v1ecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	v1slb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

// must(call())(t, what) is call's result, or the test fails.
func must[T any](v T, err error) func(t *testing.T, what string) T {
	return func(t *testing.T, what string) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

// sameAnswer: both clients decoded the same answer to the same read.
func sameAnswer(t *testing.T, what string, v1Answer, acs3Body any) {
	t.Helper()
	if d, _ := confAnswerDiff(v1Answer, acs3Body); d != "" {
		t.Errorf("%s: the clients read different answers (older SDK / ACS3 SDK):\n%s", what, d)
	}
}

func TestConformanceCrossALB(t *testing.T) {
	e := newConfEnv(t)
	// Server group: the older SDK creates, the ACS3 SDK reads; and back.
	v1g := must(e.v1ALB.CreateServerGroup(albV1CreateGroup("by-v1", "")))(t, "older CreateServerGroup")
	acs3g := must(e.alb.CreateServerGroup(albACS3CreateGroup("by-acs3", "")))(t, "ACS3 CreateServerGroup")
	sgV1, sgACS3 := v1g.ServerGroupId, tea.StringValue(acs3g.Body.ServerGroupId)
	e.clock.Add(confAsync)

	list := must(e.alb.ListServerGroups(&alb.ListServerGroupsRequest{ServerGroupIds: tea.StringSlice([]string{sgV1})}))(t, "ACS3 ListServerGroups")
	if gs := list.Body.ServerGroups; len(gs) != 1 || tea.StringValue(gs[0].ServerGroupName) != "by-v1" ||
		tea.StringValue(gs[0].HealthCheckConfig.HealthCheckPath) != "/healthz" || len(gs[0].HealthCheckConfig.HealthCheckCodes) != 2 ||
		tea.Int32Value(gs[0].StickySessionConfig.CookieTimeout) != 3600 || len(gs[0].Tags) != 1 || tea.StringValue(gs[0].Tags[0].Key) != "wsdeploy" {
		t.Errorf("the older SDK's server group, read by the ACS3 SDK: %v", list.Body)
	}
	req := v1alb.CreateListServerGroupsRequest()
	req.ServerGroupIds = strs(sgACS3)
	v1list := must(e.v1ALB.ListServerGroups(req))(t, "older ListServerGroups")
	if gs := v1list.ServerGroups; len(gs) != 1 || gs[0].ServerGroupName != "by-acs3" || gs[0].HealthCheckConfig.HealthCheckPath != "/healthz" ||
		len(gs[0].HealthCheckConfig.HealthCheckCodes) != 2 || gs[0].StickySessionConfig.CookieTimeout != 3600 || len(gs[0].Tags) != 1 {
		t.Errorf("the ACS3 SDK's server group, read by the older SDK: %+v", v1list.ServerGroups)
	}

	// Servers: the ACS3 SDK adds to the older SDK's group, and back.
	must(e.alb.AddServersToServerGroup(&alb.AddServersToServerGroupRequest{
		ServerGroupId: tea.String(sgV1),
		Servers:       []*alb.AddServersToServerGroupRequestServers{{ServerType: tea.String("Ecs"), ServerId: tea.String("i-fake01"), Port: tea.Int32(5000), Weight: tea.Int32(70)}},
	}))(t, "ACS3 AddServersToServerGroup")
	add := v1alb.CreateAddServersToServerGroupRequest()
	add.ServerGroupId = sgACS3
	add.Servers = &[]v1alb.AddServersToServerGroupServers{{ServerType: "Ecs", ServerId: "i-fake02", Port: "6000", Weight: "30", Description: "by v1"}}
	must(e.v1ALB.AddServersToServerGroup(add))(t, "older AddServersToServerGroup")
	e.clock.Add(confAsync)
	ls := v1alb.CreateListServerGroupServersRequest()
	ls.ServerGroupId = sgV1
	v1servers := must(e.v1ALB.ListServerGroupServers(ls))(t, "older ListServerGroupServers")
	if s := v1servers.Servers; len(s) != 1 || s[0].ServerId != "i-fake01" || s[0].Port != 5000 || s[0].Weight != 70 || s[0].Status != "Available" {
		t.Errorf("the ACS3 SDK's server, read by the older SDK: %+v", v1servers.Servers)
	}
	servers := must(e.alb.ListServerGroupServers(&alb.ListServerGroupServersRequest{ServerGroupId: tea.String(sgACS3)}))(t, "ACS3 ListServerGroupServers")
	if s := servers.Body.Servers; len(s) != 1 || tea.StringValue(s[0].ServerId) != "i-fake02" || tea.Int32Value(s[0].Port) != 6000 ||
		tea.Int32Value(s[0].Weight) != 30 || tea.StringValue(s[0].Description) != "by v1" {
		t.Errorf("the older SDK's server, read by the ACS3 SDK: %v", servers.Body)
	}
	sameAnswer(t, "ListServerGroupServers", v1servers, must(e.alb.ListServerGroupServers(&alb.ListServerGroupServersRequest{ServerGroupId: tea.String(sgV1)}))(t, "ACS3 ListServerGroupServers").Body)

	// Listeners: the older SDK's on port 80 forwards to the ACS3 SDK's group; the ACS3 SDK's on 81 to the older SDK's.
	cl := v1alb.CreateCreateListenerRequest()
	cl.LoadBalancerId, cl.ListenerProtocol, cl.ListenerPort, cl.IdleTimeout, cl.ListenerDescription = "alb-fake01", "HTTP", "80", "25", "by-v1"
	cl.DefaultActions = albV1Action(sgACS3)
	lsnV1 := must(e.v1ALB.CreateListener(cl))(t, "older CreateListener").ListenerId
	e.clock.Add(confAsync)
	lsnACS3 := tea.StringValue(must(e.alb.CreateListener(&alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(81),
		IdleTimeout: tea.Int32(35), ListenerDescription: tea.String("by-acs3"), DefaultActions: albACS3Action(sgV1),
	}))(t, "ACS3 CreateListener").Body.ListenerId)
	e.clock.Add(confAsync)
	attr := must(e.alb.GetListenerAttribute(&alb.GetListenerAttributeRequest{ListenerId: tea.String(lsnV1)}))(t, "ACS3 GetListenerAttribute")
	if a := attr.Body; tea.Int32Value(a.ListenerPort) != 80 || tea.Int32Value(a.IdleTimeout) != 25 || tea.StringValue(a.ListenerDescription) != "by-v1" ||
		tea.StringValue(a.ListenerStatus) != "Running" || len(a.DefaultActions) != 1 ||
		tea.StringValue(a.DefaultActions[0].ForwardGroupConfig.ServerGroupTuples[0].ServerGroupId) != sgACS3 {
		t.Errorf("the older SDK's listener, read by the ACS3 SDK: %v", attr.Body)
	}
	gl := v1alb.CreateGetListenerAttributeRequest()
	gl.ListenerId = lsnACS3
	v1attr := must(e.v1ALB.GetListenerAttribute(gl))(t, "older GetListenerAttribute")
	if v1attr.ListenerPort != 81 || v1attr.IdleTimeout != 35 || v1attr.ListenerDescription != "by-acs3" || v1attr.ListenerStatus != "Running" ||
		len(v1attr.DefaultActions) != 1 || len(v1attr.DefaultActions[0].ForwardGroupConfig.ServerGroupTuples) != 1 ||
		v1attr.DefaultActions[0].ForwardGroupConfig.ServerGroupTuples[0].ServerGroupId != sgV1 {
		t.Errorf("the ACS3 SDK's listener, read by the older SDK: %+v", v1attr)
	}
	sameAnswer(t, "GetListenerAttribute", v1attr, must(e.alb.GetListenerAttribute(&alb.GetListenerAttributeRequest{ListenerId: tea.String(lsnACS3)}))(t, "ACS3 GetListenerAttribute").Body)
}

// TestConformanceCrossClientToken: a ClientToken used through one client and
// replayed through the other, with the same parameters, is the same request
// (the older SDK also sends RegionId, which no ALB action takes).
func TestConformanceCrossClientToken(t *testing.T) {
	e := newConfEnv(t)
	first := must(e.alb.CreateServerGroup(albACS3CreateGroup("web", "token-1")))(t, "ACS3 CreateServerGroup")
	e.clock.Add(confAsync)
	again := must(e.v1ALB.CreateServerGroup(albV1CreateGroup("web", "token-1")))(t, "older CreateServerGroup replay")
	if again.ServerGroupId != tea.StringValue(first.Body.ServerGroupId) || again.JobId != tea.StringValue(first.Body.JobId) {
		t.Errorf("replay through the older SDK: %s/%s, want %s/%s", again.ServerGroupId, again.JobId,
			tea.StringValue(first.Body.ServerGroupId), tea.StringValue(first.Body.JobId))
	}
	v1first := must(e.v1ALB.CreateServerGroup(albV1CreateGroup("api", "token-2")))(t, "older CreateServerGroup")
	e.clock.Add(confAsync)
	replay := must(e.alb.CreateServerGroup(albACS3CreateGroup("api", "token-2")))(t, "ACS3 CreateServerGroup replay")
	if tea.StringValue(replay.Body.ServerGroupId) != v1first.ServerGroupId {
		t.Errorf("replay through the ACS3 SDK: %s, want %s", tea.StringValue(replay.Body.ServerGroupId), v1first.ServerGroupId)
	}
	if n := len(e.ts.Snapshot().ALB.ServerGroups); n != 2 {
		t.Errorf("%d server groups, want 2", n)
	}
}

func TestConformanceCrossCLB(t *testing.T) {
	e := newConfEnv(t)
	region := tea.String("cn-hangzhou")
	// vServer groups both ways.
	cg := v1slb.CreateCreateVServerGroupRequest()
	cg.LoadBalancerId, cg.VServerGroupName = "lb-fake01", "by-v1"
	cg.BackendServers = `[{"ServerId":"i-fake01","Port":5000,"Weight":60,"Description":"one"}]`
	rspV1 := must(e.v1SLB.CreateVServerGroup(cg))(t, "older CreateVServerGroup").VServerGroupId
	rspACS3 := tea.StringValue(must(e.slb.CreateVServerGroup(&slb.CreateVServerGroupRequest{
		RegionId: region, LoadBalancerId: tea.String("lb-fake01"), VServerGroupName: tea.String("by-acs3"),
		BackendServers: tea.String(`[{"ServerId":"i-fake02","Port":"6000","Weight":"40"}]`),
	}))(t, "ACS3 CreateVServerGroup").Body.VServerGroupId)

	attr := must(e.slb.DescribeVServerGroupAttribute(&slb.DescribeVServerGroupAttributeRequest{RegionId: region, VServerGroupId: tea.String(rspV1)}))(t, "ACS3 DescribeVServerGroupAttribute")
	if a := attr.Body; tea.StringValue(a.VServerGroupName) != "by-v1" || len(a.BackendServers.BackendServer) != 1 ||
		tea.StringValue(a.BackendServers.BackendServer[0].ServerId) != "i-fake01" || tea.Int32Value(a.BackendServers.BackendServer[0].Weight) != 60 ||
		tea.StringValue(a.BackendServers.BackendServer[0].Description) != "one" || tea.StringValue(a.BackendServers.BackendServer[0].ServerIp) != "192.168.0.11" {
		t.Errorf("the older SDK's vServer group, read by the ACS3 SDK: %v", attr.Body)
	}
	ga := v1slb.CreateDescribeVServerGroupAttributeRequest()
	ga.VServerGroupId = rspACS3
	v1attr := must(e.v1SLB.DescribeVServerGroupAttribute(ga))(t, "older DescribeVServerGroupAttribute")
	if bs := v1attr.BackendServers.BackendServer; v1attr.VServerGroupName != "by-acs3" || len(bs) != 1 || bs[0].ServerId != "i-fake02" ||
		bs[0].Port != 6000 || bs[0].Weight != 40 || bs[0].ServerIp != "192.168.0.12" {
		t.Errorf("the ACS3 SDK's vServer group, read by the older SDK: %+v", v1attr)
	}
	sameAnswer(t, "DescribeVServerGroupAttribute", v1attr, must(e.slb.DescribeVServerGroupAttribute(&slb.DescribeVServerGroupAttributeRequest{RegionId: region, VServerGroupId: tea.String(rspACS3)}))(t, "ACS3 DescribeVServerGroupAttribute").Body)

	// Listeners both ways.
	cl := v1slb.CreateCreateLoadBalancerHTTPListenerRequest()
	cl.LoadBalancerId, cl.ListenerPort, cl.VServerGroupId, cl.Bandwidth = "lb-fake01", "80", rspACS3, "-1"
	cl.HealthCheck, cl.HealthCheckURI, cl.StickySession, cl.IdleTimeout, cl.Description = "on", "/ping", "off", "45", "by-v1"
	must(e.v1SLB.CreateLoadBalancerHTTPListener(cl))(t, "older CreateLoadBalancerHTTPListener")
	must(e.slb.CreateLoadBalancerHTTPListener(&slb.CreateLoadBalancerHTTPListenerRequest{
		RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: tea.Int32(81), VServerGroupId: tea.String(rspV1), Bandwidth: tea.Int32(-1),
		HealthCheck: tea.String("off"), StickySession: tea.String("on"), StickySessionType: tea.String("insert"), CookieTimeout: tea.Int32(500),
		Description: tea.String("by-acs3"),
	}))(t, "ACS3 CreateLoadBalancerHTTPListener")
	la := must(e.slb.DescribeLoadBalancerHTTPListenerAttribute(&slb.DescribeLoadBalancerHTTPListenerAttributeRequest{
		RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: tea.Int32(80),
	}))(t, "ACS3 DescribeLoadBalancerHTTPListenerAttribute")
	if a := la.Body; tea.StringValue(a.VServerGroupId) != rspACS3 || tea.StringValue(a.HealthCheckURI) != "/ping" || tea.Int32Value(a.IdleTimeout) != 45 ||
		tea.StringValue(a.Description) != "by-v1" || tea.StringValue(a.Status) != "stopped" {
		t.Errorf("the older SDK's listener, read by the ACS3 SDK: %v", la.Body)
	}
	gl := v1slb.CreateDescribeLoadBalancerHTTPListenerAttributeRequest()
	gl.LoadBalancerId, gl.ListenerPort = "lb-fake01", "81"
	v1la := must(e.v1SLB.DescribeLoadBalancerHTTPListenerAttribute(gl))(t, "older DescribeLoadBalancerHTTPListenerAttribute")
	if v1la.VServerGroupId != rspV1 || v1la.StickySession != "on" || v1la.StickySessionType != "insert" || v1la.CookieTimeout != 500 ||
		v1la.HealthCheck != "off" || v1la.Description != "by-acs3" {
		t.Errorf("the ACS3 SDK's listener, read by the older SDK: %+v", v1la)
	}
	sameAnswer(t, "DescribeLoadBalancerHTTPListenerAttribute", v1la, must(e.slb.DescribeLoadBalancerHTTPListenerAttribute(&slb.DescribeLoadBalancerHTTPListenerAttributeRequest{
		RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: tea.Int32(81),
	}))(t, "ACS3 DescribeLoadBalancerHTTPListenerAttribute").Body)
}

func TestConformanceCrossDNS(t *testing.T) {
	e := newConfEnv(t)
	add := v1dns.CreateAddDomainRecordRequest()
	add.DomainName, add.RR, add.Type, add.Value, add.TTL = "example.com", "chat", "CNAME", "alb-fake01.cn-hangzhou.alb.aliyuncs.com", "600"
	recV1 := must(e.v1DNS.AddDomainRecord(add))(t, "older AddDomainRecord").RecordId
	recACS3 := tea.StringValue(must(e.dns.AddDomainRecord(&alidns.AddDomainRecordRequest{
		DomainName: tea.String("example.com"), RR: tea.String("ws"), Type: tea.String("A"), Value: tea.String("203.0.113.10"), TTL: tea.Int64(1200),
	}))(t, "ACS3 AddDomainRecord").Body.RecordId)

	info := must(e.dns.DescribeDomainRecordInfo(&alidns.DescribeDomainRecordInfoRequest{RecordId: tea.String(recV1)}))(t, "ACS3 DescribeDomainRecordInfo")
	if b := info.Body; tea.StringValue(b.RR) != "chat" || tea.StringValue(b.Type) != "CNAME" || tea.StringValue(b.Value) != "alb-fake01.cn-hangzhou.alb.aliyuncs.com" ||
		tea.Int64Value(b.TTL) != 600 || tea.StringValue(b.DomainName) != "example.com" {
		t.Errorf("the older SDK's record, read by the ACS3 SDK: %v", info.Body)
	}
	req := v1dns.CreateDescribeDomainRecordInfoRequest()
	req.RecordId = recACS3
	v1info := must(e.v1DNS.DescribeDomainRecordInfo(req))(t, "older DescribeDomainRecordInfo")
	if v1info.RR != "ws" || v1info.Type != "A" || v1info.Value != "203.0.113.10" || v1info.TTL != 1200 || v1info.Status != "ENABLE" {
		t.Errorf("the ACS3 SDK's record, read by the older SDK: %+v", v1info)
	}
	sameAnswer(t, "DescribeDomainRecordInfo", v1info, must(e.dns.DescribeDomainRecordInfo(&alidns.DescribeDomainRecordInfoRequest{RecordId: tea.String(recACS3)}))(t, "ACS3 DescribeDomainRecordInfo").Body)
}

func TestConformanceCrossECS(t *testing.T) {
	e := newConfEnv(t)
	snap := e.ts.Snapshot()
	seeded, ok := snap.Instance("i-fake02")
	if !ok {
		t.Fatal("the demo seed has no i-fake02")
	}
	req := v1ecs.CreateDescribeInstancesRequest()
	req.InstanceIds = `["i-fake02"]`
	v1out := must(e.v1ECS.DescribeInstances(req))(t, "older DescribeInstances")
	out := must(e.ecs.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), InstanceIds: tea.String(`["i-fake02"]`)}))(t, "ACS3 DescribeInstances")
	if in := v1out.Instances.Instance; len(in) != 1 || in[0].InstanceId != seeded.ID || in[0].VpcAttributes.VpcId != seeded.VpcID ||
		len(in[0].VpcAttributes.PrivateIpAddress.IpAddress) != 1 || in[0].VpcAttributes.PrivateIpAddress.IpAddress[0] != seeded.PrivateIP ||
		in[0].Status != "Running" || in[0].InstanceName != seeded.Name {
		t.Errorf("older SDK: %+v, want the seeded %+v", v1out.Instances, seeded)
	}
	sameAnswer(t, "DescribeInstances", v1out, out.Body)
}

// v1Pages follows NextToken to the end, at most 20 pages.
func v1Pages(t *testing.T, page func(token string) (next string, ids []string)) []string {
	t.Helper()
	var all []string
	token := ""
	for i := 0; ; i++ {
		if i == 20 {
			t.Fatal("more than 20 pages")
		}
		next, ids := page(token)
		all = append(all, ids...)
		if next == "" {
			return all
		}
		token = next
	}
}

func wantIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s through the older SDK: %v, want %v", what, got, want)
	}
}

func TestConformanceOlderSDKPaging(t *testing.T) {
	seed := DemoSeed()
	for i := 2; i <= 3; i++ {
		seed.CLBs = append(seed.CLBs, SeedCLB{ID: fmt.Sprintf("lb-fake0%d", i), VpcID: "vpc-fake01", Address: fmt.Sprintf("203.0.113.%d", 10+i)})
	}
	e := newConfEnvWith(t, seed)

	// ALB: 25 servers in one group (NextToken, 20 a page), 3 groups (MaxResults 2).
	var groups []string
	for _, name := range []string{"ga", "gb", "gc"} {
		groups = append(groups, must(e.v1ALB.CreateServerGroup(albV1CreateGroup(name, "")))(t, "CreateServerGroup").ServerGroupId)
	}
	e.clock.Add(confAsync)
	var servers []v1alb.AddServersToServerGroupServers
	var want []string
	for i := 0; i < 25; i++ {
		servers = append(servers, v1alb.AddServersToServerGroupServers{ServerType: "Ecs", ServerId: "i-fake01", Port: fmt.Sprint(5000 + i)})
		want = append(want, fmt.Sprintf("i-fake01:%d", 5000+i))
	}
	add := v1alb.CreateAddServersToServerGroupRequest()
	add.ServerGroupId, add.Servers = groups[0], &servers
	must(e.v1ALB.AddServersToServerGroup(add))(t, "AddServersToServerGroup")
	pages := 0
	got := v1Pages(t, func(token string) (string, []string) {
		req := v1alb.CreateListServerGroupServersRequest()
		req.ServerGroupId, req.NextToken = groups[0], token
		out := must(e.v1ALB.ListServerGroupServers(req))(t, "ListServerGroupServers")
		pages++
		var ids []string
		for _, s := range out.Servers {
			ids = append(ids, fmt.Sprintf("%s:%d", s.ServerId, s.Port))
		}
		return out.NextToken, ids
	})
	wantIDs(t, "ListServerGroupServers", got, want...)
	if pages != 2 {
		t.Errorf("ListServerGroupServers: %d pages, want 2", pages)
	}
	got = v1Pages(t, func(token string) (string, []string) {
		req := v1alb.CreateListServerGroupsRequest()
		req.MaxResults, req.NextToken = "2", token
		out := must(e.v1ALB.ListServerGroups(req))(t, "ListServerGroups")
		var ids []string
		for _, g := range out.ServerGroups {
			ids = append(ids, g.ServerGroupId)
		}
		return out.NextToken, ids
	})
	wantIDs(t, "ListServerGroups", got, groups...)

	// CLB: three instances by PageNumber, two listeners by NextToken.
	var lbs []string
	for n := 1; ; n++ {
		req := v1slb.CreateDescribeLoadBalancersRequest()
		req.PageNumber, req.PageSize = requests.NewInteger(n), "2"
		out := must(e.v1SLB.DescribeLoadBalancers(req))(t, "DescribeLoadBalancers")
		for _, lb := range out.LoadBalancers.LoadBalancer {
			lbs = append(lbs, lb.LoadBalancerId)
		}
		if out.TotalCount != 3 || out.PageNumber != n || out.PageSize != 2 {
			t.Errorf("DescribeLoadBalancers page %d: total %d, page %d, size %d", n, out.TotalCount, out.PageNumber, out.PageSize)
		}
		if len(out.LoadBalancers.LoadBalancer) < 2 || n == 5 {
			break
		}
	}
	wantIDs(t, "DescribeLoadBalancers", lbs, "lb-fake01", "lb-fake02", "lb-fake03")
	cg := v1slb.CreateCreateVServerGroupRequest()
	cg.LoadBalancerId = "lb-fake01"
	rsp := must(e.v1SLB.CreateVServerGroup(cg))(t, "CreateVServerGroup").VServerGroupId
	for _, port := range []string{"80", "8080"} {
		cl := v1slb.CreateCreateLoadBalancerHTTPListenerRequest()
		cl.LoadBalancerId, cl.ListenerPort, cl.VServerGroupId, cl.Bandwidth, cl.HealthCheck, cl.StickySession = "lb-fake01", requests.Integer(port), rsp, "-1", "off", "off"
		must(e.v1SLB.CreateLoadBalancerHTTPListener(cl))(t, "CreateLoadBalancerHTTPListener")
	}
	got = v1Pages(t, func(token string) (string, []string) {
		req := v1slb.CreateDescribeLoadBalancerListenersRequest()
		req.LoadBalancerId, req.MaxResults, req.NextToken = strs("lb-fake01"), "1", token
		out := must(e.v1SLB.DescribeLoadBalancerListeners(req))(t, "DescribeLoadBalancerListeners")
		var ids []string
		for _, l := range out.Listeners {
			ids = append(ids, fmt.Sprint(l.ListenerPort))
		}
		return out.NextToken, ids
	})
	wantIDs(t, "DescribeLoadBalancerListeners", got, "80", "8080")

	// Alidns: five records, two a page.
	want = nil
	for i := 1; i <= 5; i++ {
		add := v1dns.CreateAddDomainRecordRequest()
		add.DomainName, add.RR, add.Type, add.Value = "example.com", fmt.Sprintf("h%d", i), "A", fmt.Sprintf("203.0.113.%d", i)
		must(e.v1DNS.AddDomainRecord(add))(t, "AddDomainRecord")
		want = append(want, fmt.Sprintf("h%d", i))
	}
	var rrs []string
	for n := 1; n <= 5; n++ {
		req := v1dns.CreateDescribeDomainRecordsRequest()
		req.DomainName, req.PageNumber, req.PageSize, req.Direction = "example.com", requests.NewInteger(n), "2", "ASC"
		out := must(e.v1DNS.DescribeDomainRecords(req))(t, "DescribeDomainRecords")
		if out.TotalCount != 5 || out.PageNumber != int64(n) || out.PageSize != 2 {
			t.Errorf("DescribeDomainRecords page %d: total %d, page %d, size %d", n, out.TotalCount, out.PageNumber, out.PageSize)
		}
		for _, r := range out.DomainRecords.Record {
			rrs = append(rrs, r.RR)
		}
		if len(out.DomainRecords.Record) < 2 {
			break
		}
	}
	wantIDs(t, "DescribeDomainRecords", rrs, want...)

	// ECS: four instances, one a page, by NextToken and by PageNumber.
	got = v1Pages(t, func(token string) (string, []string) {
		req := v1ecs.CreateDescribeInstancesRequest()
		req.MaxResults, req.NextToken = "1", token
		out := must(e.v1ECS.DescribeInstances(req))(t, "DescribeInstances")
		var ids []string
		for _, in := range out.Instances.Instance {
			ids = append(ids, in.InstanceId)
		}
		return out.NextToken, ids
	})
	wantIDs(t, "DescribeInstances by NextToken", got, "i-fake01", "i-fake02", "i-fake03", "i-other01")
	var byPage []string
	for n := 1; n <= 5; n++ {
		req := v1ecs.CreateDescribeInstancesRequest()
		req.PageNumber, req.PageSize = requests.NewInteger(n), "1"
		out := must(e.v1ECS.DescribeInstances(req))(t, "DescribeInstances")
		if len(out.Instances.Instance) == 0 {
			break
		}
		byPage = append(byPage, out.Instances.Instance[0].InstanceId)
	}
	wantIDs(t, "DescribeInstances by PageNumber", byPage, "i-fake01", "i-fake02", "i-fake03", "i-other01")
}

// TestConformanceOlderSDKFormAndGET: the older SDK's calls with parameters in
// a form body, and by GET (reads and writes), do what the same call in the
// query does.
func TestConformanceOlderSDKFormAndGET(t *testing.T) {
	e := newConfEnv(t)
	sg := must(e.v1ALB.CreateServerGroup(albV1CreateGroup("form", "")))(t, "CreateServerGroup").ServerGroupId
	e.clock.Add(confAsync)
	add := v1alb.CreateAddServersToServerGroupRequest()
	add.ServerGroupId = sg
	for i, port := range []string{"5000", "5001"} {
		p := fmt.Sprintf("Servers.%d.", i+1)
		add.FormParams[p+"ServerType"], add.FormParams[p+"ServerId"], add.FormParams[p+"Port"], add.FormParams[p+"Weight"] = "Ecs", "i-fake03", port, "40"
	}
	must(e.v1ALB.AddServersToServerGroup(add))(t, "AddServersToServerGroup, servers in the form body")

	cg := v1slb.CreateCreateVServerGroupRequest()
	cg.LoadBalancerId = "lb-fake01"
	cg.FormParams["VServerGroupName"] = "form"
	cg.FormParams["BackendServers"] = `[{"ServerId":"i-fake02","Port":7000,"Weight":55}]`
	rsp := must(e.v1SLB.CreateVServerGroup(cg))(t, "CreateVServerGroup, servers in the form body").VServerGroupId

	rec := v1dns.CreateAddDomainRecordRequest()
	rec.Method = requests.GET
	rec.DomainName, rec.RR, rec.Type, rec.Value = "example.com", "get", "TXT", "by GET"
	recID := must(e.v1DNS.AddDomainRecord(rec))(t, "AddDomainRecord by GET").RecordId

	list := v1alb.CreateListServerGroupServersRequest()
	list.Method, list.ServerGroupId = requests.GET, sg
	servers := must(e.v1ALB.ListServerGroupServers(list))(t, "ListServerGroupServers by GET").Servers
	if len(servers) != 2 || servers[0].Weight != 40 || servers[1].Port != 5001 {
		t.Errorf("servers read by GET: %+v", servers)
	}

	st := e.ts.Snapshot()
	var got []string
	for _, g := range st.ALB.ServerGroups {
		if g.ID == sg {
			for _, s := range g.Servers {
				got = append(got, fmt.Sprintf("%s:%d/%d", s.ServerID, s.Port, s.Weight))
			}
		}
	}
	wantIDs(t, "ALB servers sent in the form body", got, "i-fake03:5000/40", "i-fake03:5001/40")
	got = nil
	for _, g := range st.CLB.VServerGroups {
		if g.ID == rsp {
			got = append(got, g.Name)
			for _, s := range g.Servers {
				got = append(got, fmt.Sprintf("%s:%d/%d", s.ServerID, s.Port, s.Weight))
			}
		}
	}
	wantIDs(t, "CLB group sent in the form body", got, "form", "i-fake02:7000/55")
	got = nil
	for _, d := range st.DNS.Domains {
		for _, r := range d.Records {
			if r.ID == recID {
				got = append(got, r.RR, r.Type, r.Value)
			}
		}
	}
	wantIDs(t, "record added by GET", got, "get", "TXT", "by GET")
}
