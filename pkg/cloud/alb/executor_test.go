package alb_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/alb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

var owner = map[string]string{resource.OwnerTagKey: "t"}

func group() resource.ServerGroup {
	return resource.ServerGroup{
		Name: "wsdeploy-t", VpcID: "vpc-fake01", Tags: owner,
		HealthCheck: resource.HealthCheck{Enabled: true, Path: "/healthz", Method: "GET", Codes: []string{"http_2xx"},
			Interval: 5, Timeout: 3, HealthyThreshold: 3, UnhealthyThreshold: 3},
		StickySession: resource.StickySession{Enabled: true, Type: "Insert", CookieTimeout: 1000},
	}
}

// liveGroups are the fake's server groups that are not deleted, by ID.
func liveGroups(fc *fakecloud.TestServer) map[string]*fakecloud.ALBServerGroup {
	out := map[string]*fakecloud.ALBServerGroup{}
	for _, g := range fc.Snapshot().ALB.ServerGroups {
		if !g.Deleted {
			out[g.ID] = g
		}
	}
	return out
}

func liveListeners(fc *fakecloud.TestServer) []*fakecloud.ALBListener {
	var out []*fakecloud.ALBListener
	for _, l := range fc.Snapshot().ALB.Listeners {
		if !l.Deleted {
			out = append(out, l)
		}
	}
	return out
}

func servers(g *fakecloud.ALBServerGroup) string {
	var out []string
	for _, s := range g.Servers {
		if !s.Deleted {
			out = append(out, fmt.Sprintf("%s:%d=%d", s.ServerID, s.Port, s.Weight))
		}
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestExecutorSteps carries every kind of step out through the real SDK and
// reads the result in the fake's own state after each: a step returns only
// when its job is done.
func TestExecutorSteps(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: 20 * time.Millisecond}, alb.New)
	x := c.Executor()
	ctx := context.Background()
	var waits int
	p := func(string, time.Duration) { waits++ }

	gid, err := x.CreateGroup(ctx, "alb-fake01", group(), "tok-g", p)
	if err != nil {
		t.Fatal(err)
	}
	g := liveGroups(fc)[gid]
	if g == nil || g.Name != "wsdeploy-t" || g.VpcID != "vpc-fake01" || g.HealthCheck.Path != "/healthz" || g.Transit != "" && time.Now().Before(g.ReadyAt) {
		t.Fatalf("group after create: %+v", g)
	}

	batch := []resource.Backend{{InstanceID: "i-fake01", Port: 5000, Weight: 100}, {InstanceID: "i-fake02", Port: 5000, Weight: 100}}
	if err := x.AddServers(ctx, gid, batch, "tok-a", p); err != nil {
		t.Fatal(err)
	}
	if got := servers(liveGroups(fc)[gid]); got != "i-fake01:5000=100 i-fake02:5000=100" {
		t.Fatalf("servers after add: %s", got)
	}
	// Another run added them already (its token differs): the step is done.
	if err := x.AddServers(ctx, gid, batch, "tok-other-run", p); err != nil {
		t.Fatalf("adding servers that are there: %v", err)
	}
	if err := x.SetWeights(ctx, gid, []resource.Backend{{InstanceID: "i-fake02", Port: 5000, Weight: 10}}, "tok-w", p); err != nil {
		t.Fatal(err)
	}
	if got := servers(liveGroups(fc)[gid]); got != "i-fake01:5000=100 i-fake02:5000=10" {
		t.Fatalf("servers after reweight: %s", got)
	}

	spec := resource.Listener{Protocol: "HTTP", Port: 5000, IdleTimeout: 15, RequestTimeout: 60, Description: "wsdeploy-t-http-5000", Tags: owner}
	lid, err := x.CreateListener(ctx, "alb-fake01", spec, gid, "tok-l", p)
	if err != nil {
		t.Fatal(err)
	}
	ls := liveListeners(fc)
	if len(ls) != 1 || ls[0].ID != lid || ls[0].Port != 5000 || strings.Join(ls[0].DefaultServerGroups, ",") != gid || ls[0].IdleTimeout != 15 {
		t.Fatalf("listeners after create: %+v", ls)
	}
	spec.IdleTimeout = 30
	if err := x.UpdateListener(ctx, "alb-fake01", resource.Listener{ID: lid}, spec, gid, "tok-u", p); err != nil {
		t.Fatal(err)
	}
	if ls := liveListeners(fc); ls[0].IdleTimeout != 30 {
		t.Fatalf("idle timeout after update: %d", ls[0].IdleTimeout)
	}
	if err := x.SetTag(ctx, "alb-fake01", "wsdeploy-epoch-t", "e1"); err != nil {
		t.Fatal(err)
	}

	if err := x.DeleteListener(ctx, "alb-fake01", resource.Listener{ID: lid}, "tok-dl", p); err != nil {
		t.Fatal(err)
	}
	if err := x.RemoveServers(ctx, gid, batch, "tok-r", p); err != nil {
		t.Fatal(err)
	}
	if err := x.DeleteGroup(ctx, gid, "tok-dg", p); err != nil {
		t.Fatal(err)
	}
	if n, g := len(liveListeners(fc)), liveGroups(fc)[gid]; n != 0 || g != nil {
		t.Fatalf("after teardown: %d listeners, group %+v", n, g)
	}
	var tagged bool
	for _, lb := range fc.Snapshot().ALB.LoadBalancers {
		for _, tag := range lb.Tags {
			tagged = tagged || lb.ID == "alb-fake01" && tag.Key == "wsdeploy-epoch-t" && tag.Value == "e1"
		}
	}
	if !tagged {
		t.Error("the load balancer does not carry the epoch tag")
	}
	if waits == 0 {
		t.Error("no step reported waiting for its job")
	}
}

// TestExecutorCreateListenerAdoptsTheStacks: a listener the stack created
// in another run (another token) is handed to the engine to adopt (a
// *cloud.ListenerExistsError carrying it, as read); a port held by someone
// else stays an error (a *cloud.PortTakenError naming that listener).
func TestExecutorCreateListenerAdoptsTheStacks(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: 20 * time.Millisecond}, alb.New)
	x := c.Executor()
	ctx := context.Background()
	gid, err := x.CreateGroup(ctx, "alb-fake01", group(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	spec := resource.Listener{Protocol: "HTTP", Port: 5000, IdleTimeout: 15, RequestTimeout: 60, Description: "wsdeploy-t-http-5000", Tags: owner}
	first, err := x.CreateListener(ctx, "alb-fake01", spec, gid, "run-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = x.CreateListener(ctx, "alb-fake01", spec, gid, "run-2", nil)
	var ex *cloud.ListenerExistsError
	if !errors.As(err, &ex) || ex.Listener.ID != first || ex.Listener.ServerGroupID != gid || ex.Listener.IdleTimeout != 15 || ex.Listener.Status != "Running" {
		t.Fatalf("second run: %v (%+v); want the first run's %s, running, to adopt", err, ex, first)
	}
	if n := len(liveListeners(fc)); n != 1 {
		t.Fatalf("%d listeners, want 1", n)
	}
	theirs := spec
	theirs.Tags = map[string]string{resource.OwnerTagKey: "someone-else"}
	_, err = x.CreateListener(ctx, "alb-fake01", theirs, gid, "run-3", nil)
	var taken *cloud.PortTakenError
	if !errors.As(err, &taken) || taken.Other.ID != first || !cloud.HasCode(err, "ResourceAlreadyExist.Listener") {
		t.Fatalf("creating on a port another stack holds: %v, want a PortTakenError naming %s (ResourceAlreadyExist.Listener)", err, first)
	}
}
