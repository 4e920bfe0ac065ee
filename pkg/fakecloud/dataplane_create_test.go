package fakecloud

// The data plane serves a load balancer created through the API like a
// seeded one.

import (
	"context"
	"testing"
	"time"
)

// TestDataPlaneServesCreatedLoadBalancer: CreateLoadBalancer (ALB: waited
// for until Active) → server group / vServer group → listener: the data
// plane listens for the new load balancer and carries HTTP and WebSocket
// traffic to the backends.
func TestDataPlaneServesCreatedLoadBalancer(t *testing.T) {
	forEachLB(t, func(t *testing.T, lb string) {
		a, b := startApp(t, "web-a"), startApp(t, "web-b")
		e := newDPEnv(t, dpStack{lb: lb, idle: 15, request: 60, drain: -1, create: true}, a, b)

		// The world holds the created instance, not a seeded one.
		snap := e.ts.Snapshot()
		switch lb {
		case "alb":
			if x := snap.ALB.loadBalancer(e.lbID); x == nil || len(x.VSwitchIDs) != 2 || e.lbID == "alb-fake01" {
				t.Fatalf("created ALB %q: %+v", e.lbID, x)
			}
		case "clb":
			if x := snap.CLB.loadBalancer(e.lbID); x == nil || x.VSwitchID != "vsw-fake01-h" || e.lbID == "lb-fake01" {
				t.Fatalf("created CLB %q: %+v", e.lbID, x)
			}
		}
		v := e.dataPlane()
		if len(v.Listeners) != 1 || v.Listeners[0].LBID != e.lbID || v.Listeners[0].LBType != lb || v.Listeners[0].ListenerID != e.listenerID() {
			t.Fatalf("/_fake/dataplane = %+v, want one listener of %s", v, e.lbID)
		}
		if got := e.countBackends(4); got["web-a"] != 2 || got["web-b"] != 2 {
			t.Fatalf("4 requests reached %v, want 2 each", got)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c := e.mustDial(ctx)
		for _, msg := range []string{"hello", "again"} {
			got, err := echo(ctx, c, msg)
			if err != nil || (got != "web-a:"+msg && got != "web-b:"+msg) {
				t.Fatalf("echo %q = %q, %v", msg, got, err)
			}
		}
	})
}
