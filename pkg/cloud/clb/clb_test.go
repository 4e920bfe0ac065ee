package clb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// TestListListenersPages reads listeners over several pages through the real
// SDK: 25 listeners with pages of 10 are three calls, and nothing is lost.
func TestListListenersPages(t *testing.T) {
	fc, cfg := cloudtest.Fake(t, fakecloud.Options{AsyncDuration: 10 * time.Millisecond})
	cfg.PageSize = 10
	c, err := clb.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	gid, err := c.CreateGroup(ctx, "lb-fake01", "g", map[string]string{resource.OwnerTagKey: "t"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 25 {
		if err := c.CreateListener(ctx, "lb-fake01", resource.Listener{Protocol: "HTTP", Port: 8000 + i, IdleTimeout: 30, RequestTimeout: 60,
			ServerGroupID: gid, Description: fmt.Sprintf("l-%d", i), Tags: map[string]string{resource.OwnerTagKey: "t"},
		}); err != nil {
			t.Fatal(err)
		}
	}
	fc.ResetCalls()
	ls, err := c.ListListeners(ctx, "lb-fake01")
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 25 {
		t.Fatalf("%d listeners, want 25", len(ls))
	}
	seen := map[int]bool{}
	for _, l := range ls {
		if seen[l.Port] || l.IdleTimeout != 30 || !resource.OwnedBy(l.Tags, "t") || l.ServerGroupID != gid {
			t.Fatalf("bad listener %+v", l)
		}
		seen[l.Port] = true
	}
	if n := len(fc.Calls()); n != 3 {
		t.Fatalf("%d calls for 25 listeners in pages of 10, want 3", n)
	}
}

// TestListenerStatusOfAMissingListener: CLB answers InvalidParameter "The
// specified resource does not exist." for a listener it does not show; that
// is no status, not an error.
func TestListenerStatusOfAMissingListener(t *testing.T) {
	c, _ := cloudtest.Client(t, fakecloud.Options{}, clb.New)
	st, err := c.ListenerStatus(context.Background(), "lb-fake01", "HTTP", 8080)
	if err != nil || st != "" {
		t.Fatalf("status %q, %v; want none and no error", st, err)
	}
}

// TestExecutorStartsAListenerNotVisibleYet: right after its creation a
// listener may be missing from reads (the realistic profile's
// read-after-write window, which outlasts the first poll here); the executor
// starts it and waits until it runs instead of failing.
func TestExecutorStartsAListenerNotVisibleYet(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{Profile: fakecloud.ProfileRealistic, TimeScale: 0.2, FaultSeed: 1}, clb.New)
	ctx := context.Background()
	x := c.Executor()
	gid, err := x.CreateGroup(ctx, "lb-fake01", resource.ServerGroup{Name: "g", Tags: owner}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	spec := resource.Listener{Protocol: "HTTP", Port: 8080, IdleTimeout: 30, RequestTimeout: 60, Description: "l", Tags: owner}
	if _, err := x.CreateListener(ctx, "lb-fake01", spec, gid, "", nil); err != nil {
		t.Fatal(err)
	}
	hidden := false
	for _, c := range fc.Calls() {
		hidden = hidden || (c.Action == "DescribeLoadBalancerHTTPListenerAttribute" && c.Code == "InvalidParameter")
	}
	ls := fc.Snapshot().CLB.Listeners
	if len(ls) != 1 || ls[0].Status != "running" || !hidden {
		t.Fatalf("listeners %+v (a read found it missing: %t), want one, running, after a read that missed it", ls, hidden)
	}
}
