package clb_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

var owner = map[string]string{resource.OwnerTagKey: "t"}

func groupsNamed(fc *fakecloud.TestServer, name string) []*fakecloud.CLBVServerGroup {
	var out []*fakecloud.CLBVServerGroup
	for _, g := range fc.Snapshot().CLB.VServerGroups {
		if g.Name == name {
			out = append(out, g)
		}
	}
	return out
}

// TestExecutorLostAnswersCreateOnce: CLB takes no ClientToken, so when the
// answer to a create is lost (the change is kept, the client gets a 503),
// the executor finds what the first attempt made instead of sending the
// create again. The fake's state and request log say what happened.
func TestExecutorLostAnswersCreateOnce(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: 20 * time.Millisecond}, clb.New)
	for _, action := range []string{"CreateVServerGroup", "AddVServerGroupBackendServers", "CreateLoadBalancerHTTPListener", "StartLoadBalancerListener"} {
		if err := fc.AddFaults(fakecloud.Fault{Product: "slb", Action: action, CommitThenFail: true, Times: 1}); err != nil {
			t.Fatal(err)
		}
	}
	x := c.Executor()
	ctx := context.Background()
	gid, err := x.CreateGroup(ctx, "lb-fake01", resource.ServerGroup{Name: "wsdeploy-t", Tags: owner}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if gs := groupsNamed(fc, "wsdeploy-t"); len(gs) != 1 || gs[0].ID != gid {
		t.Fatalf("groups after a lost create answer: %d, want one (%s)", len(gs), gid)
	}
	batch := []resource.Backend{{InstanceID: "i-fake01", Port: 5000, Weight: 100}, {InstanceID: "i-fake02", Port: 5000, Weight: 50}}
	if err := x.AddServers(ctx, gid, batch, "", nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range groupsNamed(fc, "wsdeploy-t")[0].Servers {
		got = append(got, fmt.Sprintf("%s:%d=%d", s.ServerID, s.Port, s.Weight))
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "i-fake01:5000=100 i-fake02:5000=50" {
		t.Fatalf("servers: %v", got)
	}
	hc := resource.HealthCheck{Enabled: true, Path: "/healthz", Method: "GET", Codes: []string{"http_2xx"}, Interval: 5, Timeout: 3, HealthyThreshold: 3, UnhealthyThreshold: 3}
	spec := resource.Listener{Protocol: "HTTP", Port: 5000, IdleTimeout: 15, RequestTimeout: 60, Description: "wsdeploy-t-http-5000",
		Tags: owner, HealthCheck: &hc, StickySession: &resource.StickySession{}}
	id, err := x.CreateListener(ctx, "lb-fake01", spec, gid, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if id != clb.ListenerID("lb-fake01", "HTTP", 5000) {
		t.Errorf("listener ID %q", id)
	}
	var ls []*fakecloud.CLBListener
	for _, l := range fc.Snapshot().CLB.Listeners {
		ls = append(ls, l)
	}
	if len(ls) != 1 || ls[0].Status != "running" || ls[0].VServerGroupID != gid || ls[0].HealthCheck.URI != "/healthz" {
		t.Fatalf("listeners: %+v", ls)
	}
	for _, action := range []string{"CreateVServerGroup", "AddVServerGroupBackendServers", "CreateLoadBalancerHTTPListener", "StartLoadBalancerListener"} {
		if n := cloudtest.Count(fc, action); n != 1 {
			t.Errorf("%s was sent %d times, want once", action, n)
		}
	}
}

// TestExecutorKeepsOneGroup: when another run created the stack's group at
// the same time, both keep the one with the lowest ID and the later one
// removes its own copy.
func TestExecutorKeepsOneGroup(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: 20 * time.Millisecond}, clb.New)
	ctx := context.Background()
	first, err := c.CreateGroup(ctx, "lb-fake01", "wsdeploy-t", owner)
	if err != nil {
		t.Fatal(err)
	}
	var messages []string
	got, err := c.Executor().CreateGroup(ctx, "lb-fake01", resource.ServerGroup{Name: "wsdeploy-t", Tags: owner}, "", func(s string, _ time.Duration) {
		messages = append(messages, s)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != first {
		t.Errorf("kept %s, want the first run's %s", got, first)
	}
	if gs := groupsNamed(fc, "wsdeploy-t"); len(gs) != 1 || gs[0].ID != first {
		t.Fatalf("%d groups left, want only %s", len(gs), first)
	}
	if len(messages) != 1 || !strings.Contains(messages[0], "another run created "+first) {
		t.Errorf("progress = %q", messages)
	}
}

// TestExecutorStartsAStoppedListenerOnUpdate: an update of a stopped
// listener also starts it, and returns once it runs.
func TestExecutorStartsAStoppedListenerOnUpdate(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{AsyncDuration: 20 * time.Millisecond}, clb.New)
	ctx := context.Background()
	gid, err := c.CreateGroup(ctx, "lb-fake01", "wsdeploy-t", owner)
	if err != nil {
		t.Fatal(err)
	}
	spec := resource.Listener{Protocol: "HTTP", Port: 5000, IdleTimeout: 15, RequestTimeout: 60, Description: "wsdeploy-t-http-5000", Tags: owner, ServerGroupID: gid}
	if err := c.CreateListener(ctx, "lb-fake01", spec); err != nil { // created stopped
		t.Fatal(err)
	}
	spec.IdleTimeout = 30
	if err := c.Executor().UpdateListener(ctx, "lb-fake01", resource.Listener{Status: "stopped"}, spec, gid, "", nil); err != nil {
		t.Fatal(err)
	}
	l := fc.Snapshot().CLB.Listeners[0]
	if l.Status != "running" || l.IdleTimeout != 30 {
		t.Fatalf("listener after update: status %s, idle timeout %d", l.Status, l.IdleTimeout)
	}
}
