package alb_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud/alb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/internal/cloudtest"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// clock is the fake's world clock, moved on by the test only.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestCreateLBWaitsUntilActive: CreateLB reports the instance's status while
// it is Provisioning and returns once it is Active, with its DNS name. The
// fake's clock moves only when the wait reports progress, so the wait is seen
// unfinished exactly as often as the test decides.
func TestCreateLBWaitsUntilActive(t *testing.T) {
	ck := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c, fc := cloudtest.Client(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: time.Hour, Now: ck.now}, alb.New)
	spec := resource.LBSpec{
		Type: "alb", Name: "chat-alb", AddressType: "Internet", Edition: "Standard", VpcID: "vpc-fake01",
		Zones: []resource.ZoneMapping{{ZoneID: "cn-hangzhou-h", VSwitchID: "vsw-fake01-h"}, {ZoneID: "cn-hangzhou-i", VSwitchID: "vsw-fake01-i"}},
		Tags:  map[string]string{resource.OwnerTagKey: "chat"},
	}
	var seen []string
	lb, err := c.Executor().CreateLB(context.Background(), spec, "tok-1", func(status string, _ time.Duration) {
		seen = append(seen, status)
		if len(seen) == 2 {
			ck.add(2 * time.Hour) // provisioned
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0] != "Provisioning" || seen[1] != "Provisioning" {
		t.Fatalf("progress %v, want Provisioning twice", seen)
	}
	st := fc.Snapshot()
	if len(st.ALB.LoadBalancers) == 0 {
		t.Fatal("no ALB in the fake")
	}
	made := st.ALB.LoadBalancers[len(st.ALB.LoadBalancers)-1]
	if lb.ID != made.ID || lb.DNSName != made.DNSName || lb.Status != "Active" || lb.Spec == nil || lb.Spec.Edition != "Standard" || len(lb.Spec.Zones) != 2 {
		t.Fatalf("CreateLB returned %+v, the fake holds %+v", lb, made)
	}
	// The same token again: the same instance, no second one.
	again, err := c.Executor().CreateLB(context.Background(), spec, "tok-1", nil)
	if err != nil || again.ID != lb.ID || len(fc.Snapshot().ALB.LoadBalancers) != len(st.ALB.LoadBalancers) {
		t.Fatalf("create with the same token: %+v, %v", again, err)
	}
}

// TestCreateLBLeavesAFailedInstanceNotTheStacks: an instance in CreateFailed
// that does not carry the stack's tag (here the spec names no stack) is
// reported and left alone: nothing is deleted, no second create is sent.
func TestCreateLBLeavesAFailedInstanceNotTheStacks(t *testing.T) {
	c, fc := cloudtest.Client(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 10 * time.Millisecond}, alb.New)
	if err := fc.SetFaults([]fakecloud.Fault{{Product: "alb", Action: "CreateLoadBalancer", JobFails: true, Code: "InternalError"}}); err != nil {
		t.Fatal(err)
	}
	spec := resource.LBSpec{
		Type: "alb", Name: "chat-alb", AddressType: "Internet", Edition: "Standard", VpcID: "vpc-fake01",
		Zones: []resource.ZoneMapping{{ZoneID: "cn-hangzhou-h", VSwitchID: "vsw-fake01-h"}, {ZoneID: "cn-hangzhou-i", VSwitchID: "vsw-fake01-i"}},
	}
	_, err := c.Executor().CreateLB(context.Background(), spec, "tok-1", nil)
	var cf *alb.CreateFailedError
	if !errors.As(err, &cf) || !strings.Contains(err.Error(), "leaves it alone") {
		t.Fatalf("CreateLB: %v, want a CreateFailedError that leaves the instance alone", err)
	}
	var creates, deletes int
	for _, call := range fc.Calls() {
		switch call.Action {
		case "CreateLoadBalancer":
			creates++
		case "DeleteLoadBalancer", "DisableDeletionProtection":
			deletes++
		}
	}
	if creates != 1 || deletes != 0 {
		t.Fatalf("%d creates, %d deletes; want 1 and 0", creates, deletes)
	}
}
