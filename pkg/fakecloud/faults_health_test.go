package fakecloud

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

// albHealthListener makes, through the SDK, a server group with i-fake01..03
// on port 5000 (i-fake03 at weight 0) behind an HTTP listener, and lets it
// all settle.
func albHealthListener(t *testing.T, c *alb.Client, clock *testClock) string {
	t.Helper()
	ctx, rt := context.Background(), &dara.RuntimeOptions{}
	cg, err := c.CreateServerGroupWithContext(ctx, &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("web"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(),
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	sg := cg.Body.ServerGroupId
	clock.Add(albTestAsync)
	var servers []*alb.AddServersToServerGroupRequestServers
	for i, w := range []int32{100, 100, 0} {
		servers = append(servers, &alb.AddServersToServerGroupRequestServers{
			ServerType: tea.String("Ecs"), ServerId: tea.String(fmt.Sprintf("i-fake0%d", i+1)), Port: tea.Int32(5000), Weight: tea.Int32(w),
		})
	}
	if _, err := c.AddServersToServerGroupWithContext(ctx, &alb.AddServersToServerGroupRequest{ServerGroupId: sg, Servers: servers}, rt); err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)
	cl, err := c.CreateListenerWithContext(ctx, &alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(80),
		DefaultActions: []*alb.CreateListenerRequestDefaultActions{{
			Type: tea.String("ForwardGroup"),
			ForwardGroupConfig: &alb.CreateListenerRequestDefaultActionsForwardGroupConfig{
				ServerGroupTuples: []*alb.CreateListenerRequestDefaultActionsForwardGroupConfigServerGroupTuples{{ServerGroupId: sg}},
			},
		}},
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)
	return tea.StringValue(cl.Body.ListenerId)
}

// albNonNormalOf reads a listener's non-normal servers through the SDK as
// "id status reason expected actual" lines.
func albNonNormalOf(t *testing.T, c *alb.Client, lsn string) string {
	t.Helper()
	out, err := c.GetListenerHealthStatusWithContext(context.Background(), &alb.GetListenerHealthStatusRequest{ListenerId: tea.String(lsn)}, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, s := range out.Body.ListenerHealthStatus[0].ServerGroupInfos[0].NonNormalServers {
		line := tea.StringValue(s.ServerId) + " " + tea.StringValue(s.Status)
		if s.Reason != nil {
			line += " " + tea.StringValue(s.Reason.ReasonCode) + " " + tea.StringValue(s.Reason.ExpectedResponse) + " " + tea.StringValue(s.Reason.ActualResponse)
		}
		lines = append(lines, strings.TrimSpace(line))
	}
	return strings.Join(lines, "; ")
}

// A health rule reports, on the calls it fires on, the server it names as
// Unhealthy with its reason (ExpectedResponse from the group's codes) or
// Initial; a server at weight 0 stays Unused, and then it is healthy again.
func TestFaultHealthALB(t *testing.T) {
	clock := &testClock{now: time.Now()}
	ts, c := newALBClient(t, Options{AsyncDuration: albTestAsync, Now: clock.Now})
	lsn := albHealthListener(t, c, clock)
	if got := albNonNormalOf(t, c, lsn); got != "i-fake03 Unused" {
		t.Fatalf("before any rule: %q", got)
	}
	if err := ts.AddFaults(
		Fault{Product: "alb", Times: 1, Health: &HealthFault{Server: "i-fake01", ReasonCode: "RESPONSE_MISMATCH", ActualResponse: "404"}},
		Fault{Product: "alb", Times: 1, Health: &HealthFault{Status: "Initial"}},
	); err != nil {
		t.Fatal(err)
	}
	// Both rules fire on the first read: the last one that names a server wins.
	if got := albNonNormalOf(t, c, lsn); got != "i-fake01 Initial; i-fake02 Initial; i-fake03 Unused" {
		t.Fatalf("first read: %q", got)
	}
	if got := albNonNormalOf(t, c, lsn); got != "i-fake03 Unused" {
		t.Fatalf("after the rules' times: %q", got)
	}
	if err := ts.SetFaults([]Fault{{Product: "alb", Action: "GetListenerHealthStatus", Health: &HealthFault{Server: "i-fake02", ReasonCode: "RESPONSE_MISMATCH", ActualResponse: "404"}}}); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if got := albNonNormalOf(t, c, lsn); got != "i-fake02 Unhealthy RESPONSE_MISMATCH HTTP_2xx,HTTP_3xx 404; i-fake03 Unused" {
			t.Fatalf("a server that stays unhealthy: %q", got)
		}
	}
	if err := ts.SetFaults([]Fault{{Product: "alb", Health: &HealthFault{}}}); err != nil {
		t.Fatal(err)
	}
	if got := albNonNormalOf(t, c, lsn); got != "i-fake01 Unhealthy CONNECT_FAILED; i-fake02 Unhealthy CONNECT_FAILED; i-fake03 Unused" {
		t.Fatalf("every server, the default reason: %q", got)
	}
	// Other calls are not matched, nor counted.
	if _, err := c.ListListenersWithContext(context.Background(), &alb.ListListenersRequest{}, &dara.RuntimeOptions{}); err != nil {
		t.Fatal(err)
	}
	if st := ts.Faults(); st[0].Matched != 1 || st[0].Fired != 1 {
		t.Fatalf("counters %+v", st[0])
	}
}

func TestFaultHealthCLB(t *testing.T) {
	e := newCLBEnv(t, Options{})
	g := e.createGroup("web", `[{"ServerId":"i-fake01","Port":"5000"},{"ServerId":"i-fake02","Port":"5000"}]`)
	if _, err := e.c.CreateLoadBalancerHTTPListener(e.httpListener(80, g)); err != nil {
		t.Fatal(err)
	}
	health := func() string {
		t.Helper()
		out, err := e.c.DescribeHealthStatus(&slb.DescribeHealthStatusRequest{RegionId: clbRegion, LoadBalancerId: clbLB})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, b := range out.Body.BackendServers.BackendServer {
			got = append(got, tea.StringValue(b.ServerId)+" "+tea.StringValue(b.ServerHealthStatus))
		}
		return strings.Join(got, "; ")
	}
	if err := e.ts.AddFaults(Fault{Product: "clb", Health: &HealthFault{Server: "i-fake02"}}); err != nil {
		t.Fatal(err)
	}
	if got := health(); got != "i-fake01 unavailable; i-fake02 unavailable" {
		t.Fatalf("a stopped listener is not checked: %q", got)
	}
	if err := e.start(80); err != nil {
		t.Fatal(err)
	}
	e.settle()
	if got := health(); got != "i-fake01 normal; i-fake02 abnormal" {
		t.Fatalf("running: %q", got)
	}
	if err := e.ts.SetFaults([]Fault{{Product: "slb", Times: 1, Health: &HealthFault{Status: "Initial"}}}); err != nil {
		t.Fatal(err)
	}
	if got := health(); got != "i-fake01 unavailable; i-fake02 unavailable" {
		t.Fatalf("Initial: %q", got)
	}
	if got := health(); got != "i-fake01 normal; i-fake02 normal" {
		t.Fatalf("after times: %q", got)
	}
}

func TestParseHealthFaults(t *testing.T) {
	fs, err := ParseFaults([]byte(`
- {product: alb, times: 3, health: {server: i-fake01, reasonCode: RESPONSE_MISMATCH, actualResponse: "404"}}
- {product: clb, action: DescribeHealthStatus, delay: 1s, health: {status: Initial}}
`))
	if err != nil {
		t.Fatal(err)
	}
	if h := fs.Faults[0].Health; h == nil || h.Server != "i-fake01" || h.ActualResponse != "404" || fs.Faults[1].Product != "slb" {
		t.Fatalf("parsed %+v", fs.Faults)
	}
	bad := []struct{ doc, want string }{
		{"- {health: {}}\n", "health needs product alb or slb"},
		{"- {product: ecs, health: {}}\n", "health needs product alb or slb"},
		{"- {product: alb, action: ListListeners, health: {}}\n", `action "ListListeners" is not alb's health read; use GetListenerHealthStatus`},
		{"- {product: alb, code: Throttling, health: {}}\n", "health lets the call succeed"},
		{"- {product: alb, health: {status: Healthy}}\n", `status "Healthy" is not Unhealthy or Initial`},
		{"- {product: alb, health: {status: Initial, reasonCode: CONNECT_FAILED}}\n", "an Initial server has no reason"},
		{"- {product: alb, health: {reasonCode: BROKEN}}\n", `reasonCode "BROKEN" is not one of`},
		{"- {product: slb, health: {reasonCode: CONNECT_FAILED}}\n", "CLB's DescribeHealthStatus gives no reason"},
		{"- {product: alb, health: {reasonCode: CONNECT_FAILED, actualResponse: \"404\"}}\n", "actualResponse needs reasonCode RESPONSE_MISMATCH"},
		{"- {product: alb, health: {reasonCode: RESPONSE_MISMATCH, actualResponse: \"4o4\"}}\n", "not an HTTP status"},
		{"- {product: alb, health: {sever: i-fake01}}\n", "field sever not found"},
	}
	for _, tt := range bad {
		_, err := ParseFaults([]byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseFaults(%q) = %v, want an error containing %q", tt.doc, err, tt.want)
		}
	}
}
