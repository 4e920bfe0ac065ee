package fakecloud

// ALB end to end through the real SDK client.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
)

func newALBClient(t *testing.T, opts Options) (*TestServer, *alb.Client) {
	t.Helper()
	ts := NewTestServer(t, opts)
	c, err := alb.NewClient(fcConfig(ts, "fake-ak", "fake-secret"))
	if err != nil {
		t.Fatal(err)
	}
	return ts, c
}

func wantSDKError(t *testing.T, err error, status int, code string) {
	t.Helper()
	var se *tea.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("got %v (%T), want SDKError %d %s", err, err, status, code)
	}
	if tea.StringValue(se.Code) != code || tea.IntValue(se.StatusCode) != status {
		t.Fatalf("got %d %s (%s), want %d %s", tea.IntValue(se.StatusCode), tea.StringValue(se.Code), tea.StringValue(se.Message), status, code)
	}
}

func sdkHealthCheck() *alb.CreateServerGroupRequestHealthCheckConfig {
	return &alb.CreateServerGroupRequestHealthCheckConfig{
		HealthCheckEnabled: tea.Bool(true),
		HealthCheckPath:    tea.String("/healthz"),
		HealthCheckCodes:   tea.StringSlice([]string{"http_2xx", "http_3xx"}),
	}
}

func TestALBSDKEndToEnd(t *testing.T) {
	clock := &testClock{now: time.Now()}
	ts, c := newALBClient(t, Options{AsyncDuration: albTestAsync, Now: clock.Now})
	ctx := context.Background()
	rt := &dara.RuntimeOptions{}

	create := &alb.CreateServerGroupRequest{
		ServerGroupName:   tea.String("wsdeploy-web"),
		VpcId:             tea.String("vpc-fake01"),
		Protocol:          tea.String("HTTP"),
		HealthCheckConfig: sdkHealthCheck(),
		StickySessionConfig: &alb.CreateServerGroupRequestStickySessionConfig{
			StickySessionEnabled: tea.Bool(true), StickySessionType: tea.String("Insert"), CookieTimeout: tea.Int32(3600),
		},
		Tag:         []*alb.CreateServerGroupRequestTag{{Key: tea.String("wsdeploy"), Value: tea.String("demo")}},
		ClientToken: tea.String("create-web"),
	}
	cg, err := c.CreateServerGroupWithContext(ctx, create, rt)
	if err != nil {
		t.Fatal(err)
	}
	sg := tea.StringValue(cg.Body.ServerGroupId)
	if sg == "" || tea.StringValue(cg.Body.JobId) == "" || tea.StringValue(cg.Body.RequestId) == "" {
		t.Fatalf("CreateServerGroup body: %v", cg.Body)
	}
	jobs, err := c.ListAsynJobsWithContext(ctx, &alb.ListAsynJobsRequest{JobIds: []*string{cg.Body.JobId}}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs.Body.Jobs) != 1 || tea.StringValue(jobs.Body.Jobs[0].Status) != "Processing" || tea.StringValue(jobs.Body.Jobs[0].ApiName) != "CreateServerGroup" {
		t.Fatalf("job: %v", jobs.Body)
	}
	// Busy group.
	_, err = c.AddServersToServerGroupWithContext(ctx, &alb.AddServersToServerGroupRequest{
		ServerGroupId: tea.String(sg),
		Servers:       []*alb.AddServersToServerGroupRequestServers{{ServerType: tea.String("Ecs"), ServerId: tea.String("i-fake01"), Port: tea.Int32(5000)}},
	}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "IncorrectStatus.ServerGroup")
	clock.Add(albTestAsync)
	jobs, err = c.ListAsynJobsWithContext(ctx, &alb.ListAsynJobsRequest{JobIds: []*string{cg.Body.JobId}}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(jobs.Body.Jobs[0].Status) != "Succeeded" {
		t.Fatalf("job after settle: %v", jobs.Body)
	}

	// 25 servers (the form-body parameter) → 20 + 5.
	var srv []*alb.AddServersToServerGroupRequestServers
	for i := 0; i < 25; i++ {
		srv = append(srv, &alb.AddServersToServerGroupRequestServers{
			ServerType: tea.String("Ecs"), ServerId: tea.String(fmt.Sprintf("i-fake0%d", i%3+1)), Port: tea.Int32(int32(5000 + i)), Weight: tea.Int32(50),
		})
	}
	if _, err := c.AddServersToServerGroupWithContext(ctx, &alb.AddServersToServerGroupRequest{ServerGroupId: tea.String(sg), Servers: srv}, rt); err != nil {
		t.Fatal(err)
	}
	page, err := c.ListServerGroupServersWithContext(ctx, &alb.ListServerGroupServersRequest{ServerGroupId: tea.String(sg)}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Body.Servers) != 20 || tea.Int32Value(page.Body.TotalCount) != 25 || tea.StringValue(page.Body.NextToken) == "" ||
		tea.StringValue(page.Body.Servers[0].Status) != "Adding" || tea.Int32Value(page.Body.Servers[0].Weight) != 50 {
		t.Fatalf("page 1: %v", page.Body)
	}
	page, err = c.ListServerGroupServersWithContext(ctx, &alb.ListServerGroupServersRequest{ServerGroupId: tea.String(sg), NextToken: page.Body.NextToken}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Body.Servers) != 5 || tea.StringValue(page.Body.NextToken) != "" {
		t.Fatalf("page 2: %v", page.Body)
	}
	clock.Add(albTestAsync)

	// Other VPC, weight 101.
	_, err = c.AddServersToServerGroupWithContext(ctx, &alb.AddServersToServerGroupRequest{
		ServerGroupId: tea.String(sg),
		Servers:       []*alb.AddServersToServerGroupRequestServers{{ServerType: tea.String("Ecs"), ServerId: tea.String("i-other01"), Port: tea.Int32(5000)}},
	}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "Mismatch.VpcId")
	_, err = c.AddServersToServerGroupWithContext(ctx, &alb.AddServersToServerGroupRequest{
		ServerGroupId: tea.String(sg),
		Servers:       []*alb.AddServersToServerGroupRequestServers{{ServerType: tea.String("Ecs"), ServerId: tea.String("i-fake01"), Port: tea.Int32(6000), Weight: tea.Int32(101)}},
	}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "InvalidParameter")

	// Listeners.
	action := func(id string) []*alb.CreateListenerRequestDefaultActions {
		return []*alb.CreateListenerRequestDefaultActions{{
			Type: tea.String("ForwardGroup"),
			ForwardGroupConfig: &alb.CreateListenerRequestDefaultActionsForwardGroupConfig{
				ServerGroupTuples: []*alb.CreateListenerRequestDefaultActionsForwardGroupConfigServerGroupTuples{{ServerGroupId: tea.String(id)}},
			},
		}}
	}
	_, err = c.CreateListenerWithContext(ctx, &alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(80),
		IdleTimeout: tea.Int32(61), DefaultActions: action(sg),
	}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = c.CreateListenerWithContext(ctx, &alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(80),
		RequestTimeout: tea.Int32(181), DefaultActions: action(sg),
	}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "InvalidParameter")
	_, err = c.CreateListenerWithContext(ctx, &alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(80),
		DefaultActions: action(sg), DryRun: tea.Bool(true),
	}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "DryRunOperation")

	cl, err := c.CreateListenerWithContext(ctx, &alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(80),
		IdleTimeout: tea.Int32(60), RequestTimeout: tea.Int32(180), DefaultActions: action(sg),
		Tag: []*alb.CreateListenerRequestTag{{Key: tea.String("wsdeploy"), Value: tea.String("demo")}},
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	lsn := tea.StringValue(cl.Body.ListenerId)
	_, err = c.CreateListenerWithContext(ctx, &alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTPS"), ListenerPort: tea.Int32(443),
		Certificates:   []*alb.CreateListenerRequestCertificates{{CertificateId: tea.String("12315790212_166f8204689_1714763408_70998")}},
		DefaultActions: action(sg),
	}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "IncorrectStatus.LoadBalancer")
	_, err = c.DeleteServerGroupWithContext(ctx, &alb.DeleteServerGroupRequest{ServerGroupId: tea.String(sg)}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "ResourceInUse.ServerGroup")
	clock.Add(albTestAsync)

	_, err = c.CreateListenerWithContext(ctx, &alb.CreateListenerRequest{
		LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(80),
		DefaultActions: action(sg),
	}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "ResourceAlreadyExist.Listener")

	attr, err := c.GetListenerAttributeWithContext(ctx, &alb.GetListenerAttributeRequest{ListenerId: tea.String(lsn)}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(attr.Body.ListenerStatus) != "Running" || tea.Int32Value(attr.Body.IdleTimeout) != 60 ||
		tea.StringValue(attr.Body.DefaultActions[0].ForwardGroupConfig.ServerGroupTuples[0].ServerGroupId) != sg {
		t.Fatalf("listener: %v", attr.Body)
	}
	ll, err := c.ListListenersWithContext(ctx, &alb.ListListenersRequest{
		LoadBalancerIds: []*string{tea.String("alb-fake01")},
		Tag:             []*alb.ListListenersRequestTag{{Key: tea.String("wsdeploy"), Value: tea.String("demo")}},
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if tea.Int32Value(ll.Body.TotalCount) != 1 || tea.StringValue(ll.Body.Listeners[0].ListenerId) != lsn {
		t.Fatalf("ListListeners: %v", ll.Body)
	}
	sgs, err := c.ListServerGroupsWithContext(ctx, &alb.ListServerGroupsRequest{
		Tag: []*alb.ListServerGroupsRequestTag{{Key: tea.String("wsdeploy"), Value: tea.String("demo")}},
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if len(sgs.Body.ServerGroups) != 1 || tea.Int32Value(sgs.Body.ServerGroups[0].ServerCount) != 25 ||
		tea.StringValue(sgs.Body.ServerGroups[0].RelatedLoadBalancerIds[0]) != "alb-fake01" ||
		tea.Int32Value(sgs.Body.ServerGroups[0].StickySessionConfig.CookieTimeout) != 3600 ||
		len(sgs.Body.ServerGroups[0].HealthCheckConfig.HealthCheckCodes) != 2 ||
		tea.StringValue(sgs.Body.ServerGroups[0].HealthCheckConfig.HealthCheckPath) != "/healthz" {
		t.Fatalf("ListServerGroups: %v", sgs.Body)
	}

	// Health: i-fake02 goes unhealthy; its three ports show up.
	err = ts.Update(func(st *State) error {
		inst, _ := st.Instance("i-fake02")
		inst.Health = "unhealthy"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	hs, err := c.GetListenerHealthStatusWithContext(ctx, &alb.GetListenerHealthStatusRequest{ListenerId: tea.String(lsn), MaxResults: tea.Int64(5)}, rt)
	if err != nil {
		t.Fatal(err)
	}
	nn := hs.Body.ListenerHealthStatus[0].ServerGroupInfos[0].NonNormalServers
	if len(nn) != 5 || tea.StringValue(nn[0].ServerId) != "i-fake02" || tea.StringValue(nn[0].Status) != "Unhealthy" ||
		tea.StringValue(nn[0].Reason.ReasonCode) != "CONNECT_FAILED" || tea.StringValue(hs.Body.NextToken) == "" {
		t.Fatalf("health page 1: %v", hs.Body)
	}
	hs, err = c.GetListenerHealthStatusWithContext(ctx, &alb.GetListenerHealthStatusRequest{ListenerId: tea.String(lsn), MaxResults: tea.Int64(5), NextToken: hs.Body.NextToken}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(hs.Body.ListenerHealthStatus[0].ServerGroupInfos[0].NonNormalServers); n != 3 || tea.StringValue(hs.Body.NextToken) != "" {
		t.Fatalf("health page 2: %d servers, next %q", n, tea.StringValue(hs.Body.NextToken))
	}

	// ClientToken replay through the wire.
	again, err := c.CreateServerGroupWithContext(ctx, create, rt)
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(again.Body.ServerGroupId) != sg || tea.StringValue(again.Body.JobId) != tea.StringValue(cg.Body.JobId) {
		t.Fatalf("replay: %v", again.Body)
	}
	_, err = c.CreateServerGroupWithContext(ctx, &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("other"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(),
		ClientToken: tea.String("create-web"),
	}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "IdempotenceSignatureMismatch")

	// Teardown order: listener, wait, group.
	dl, err := c.DeleteListenerWithContext(ctx, &alb.DeleteListenerRequest{ListenerId: tea.String(lsn)}, rt)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DeleteServerGroupWithContext(ctx, &alb.DeleteServerGroupRequest{ServerGroupId: tea.String(sg)}, rt)
	wantSDKError(t, err, http.StatusBadRequest, "ResourceInUse.ServerGroup")
	clock.Add(albTestAsync)
	jobs, err = c.ListAsynJobsWithContext(ctx, &alb.ListAsynJobsRequest{JobIds: []*string{dl.Body.JobId}}, rt)
	if err != nil {
		t.Fatal(err)
	}
	if tea.StringValue(jobs.Body.Jobs[0].Status) != "Succeeded" || tea.StringValue(jobs.Body.Jobs[0].OperateType) != "Delete" {
		t.Fatalf("delete job: %v", jobs.Body)
	}
	_, err = c.GetListenerAttributeWithContext(ctx, &alb.GetListenerAttributeRequest{ListenerId: tea.String(lsn)}, rt)
	wantSDKError(t, err, http.StatusNotFound, "ResourceNotFound.Listener")
	if _, err := c.DeleteServerGroupWithContext(ctx, &alb.DeleteServerGroupRequest{ServerGroupId: tea.String(sg)}, rt); err != nil {
		t.Fatal(err)
	}
	clock.Add(albTestAsync)
	_, err = c.DeleteServerGroupWithContext(ctx, &alb.DeleteServerGroupRequest{ServerGroupId: tea.String(sg)}, rt)
	wantSDKError(t, err, http.StatusNotFound, "ResourceNotFound.ServerGroup")
}

// TestALBSDKWallClock runs one async cycle on the real clock.
func TestALBSDKWallClock(t *testing.T) {
	const async = 50 * time.Millisecond
	_, c := newALBClient(t, Options{AsyncDuration: async})
	ctx := context.Background()
	rt := &dara.RuntimeOptions{}
	start := time.Now()
	cg, err := c.CreateServerGroupWithContext(ctx, &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("web"), VpcId: tea.String("vpc-fake01"), HealthCheckConfig: sdkHealthCheck(),
	}, rt)
	if err != nil {
		t.Fatal(err)
	}
	status := func() string {
		out, err := c.ListServerGroupsWithContext(ctx, &alb.ListServerGroupsRequest{ServerGroupIds: []*string{cg.Body.ServerGroupId}}, rt)
		if err != nil {
			t.Fatal(err)
		}
		return tea.StringValue(out.Body.ServerGroups[0].ServerGroupStatus)
	}
	// A slow machine (-race) may take longer than async for two calls; only
	// a status seen within the window must be Creating.
	if got := status(); got != "Creating" && time.Since(start) < async {
		t.Fatalf("status = %s, want Creating", got)
	}
	// The deadline only bounds a hang: how soon the status changes is the
	// machine's speed, not the fake's behaviour.
	eventually(t, 15*time.Second, "server group Available", func() error {
		if got := status(); got != "Available" {
			return fmt.Errorf("status %s", got)
		}
		return nil
	})
}
