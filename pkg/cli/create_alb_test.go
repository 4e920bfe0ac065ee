package cli_test

// alb.create: the stack creates its ALB, finds it again by its tag, and
// deletes it only when it made it. Every assertion reads the fake's state
// (Snapshot) or its request log (Calls).

import (
	"slices"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// createYAML is the README's example stack, with an ALB to create in the
// demo world's VPC (its default vSwitches: one in each of zones h and i).
const createYAML = `stack: chat
region: cn-hangzhou
lb: alb
alb:
  create:
    name: chat-alb
    addressType: Internet
    edition: Standard
    vpcId: vpc-fake01
    zones:
      - {zoneId: cn-hangzhou-h, vSwitchId: vsw-fake01-h}
      - {zoneId: cn-hangzhou-i, vSwitchId: vsw-fake01-i}
    deletionProtection: %s
backends:
  port: 5000
  servers:
    - ECS01
    - {instance: i-fake02, weight: 100}
    - ECS03
listeners:
  - {protocol: HTTP, port: 5000, idleTimeout: 60, requestTimeout: 60}
dns:
  domain: example.com
  rr: chat
  ttl: 600
`

func createConfig(protect string) string { return strings.Replace(createYAML, "%s", protect, 1) }

// stackALBs are the ALB instances in the fake carrying stack's owner tag.
func stackALBs(st fakecloud.State, stack string) []*fakecloud.ALBLoadBalancer {
	var out []*fakecloud.ALBLoadBalancer
	for _, lb := range st.ALB.LoadBalancers {
		for _, t := range lb.Tags {
			if t.Key == resource.OwnerTagKey && t.Value == stack {
				out = append(out, lb)
			}
		}
	}
	return out
}

// countCalls counts the calls of an action in a run.
func countCalls(r result, action string) int {
	n := 0
	for _, c := range r.calls {
		if c.Action == action {
			n++
		}
	}
	return n
}

func TestCreateALBLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(createConfig("false"))
	seeded := len(e.fc.Snapshot().ALB.LoadBalancers)

	// plan: a billable ALB to create, and no write.
	r := e.mustRun("plan")
	if w := r.writes(); len(w) != 0 {
		t.Fatalf("plan made write calls: %v", w)
	}
	golden(t, "create-alb/plan.txt", r.stdout)

	// up creates it, with its tag and a ClientToken in the one create call.
	r = e.mustRun("up", "--yes")
	st := e.fc.Snapshot()
	lbs := stackALBs(st, "chat")
	if len(lbs) != 1 || len(st.ALB.LoadBalancers) != seeded+1 {
		t.Fatalf("after up: %d ALBs tagged chat, %d in all (seeded %d); want 1 new", len(lbs), len(st.ALB.LoadBalancers), seeded)
	}
	lb := lbs[0]
	if lb.Name != "chat-alb" || lb.Edition != "Standard" || lb.AddressType != "Internet" || lb.VpcID != "vpc-fake01" ||
		!slices.Equal(lb.Zones, []string{"cn-hangzhou-h", "cn-hangzhou-i"}) || lb.DeletionProtection {
		t.Fatalf("created ALB: %+v", lb)
	}
	var creates []fakecloud.Call
	for _, c := range r.calls {
		if c.Action == "CreateLoadBalancer" {
			creates = append(creates, c)
		}
	}
	if len(creates) != 1 || creates[0].Params["ClientToken"] == "" || creates[0].Params["Tag.1.Key"] != resource.OwnerTagKey || creates[0].Params["Tag.1.Value"] != "chat" {
		t.Fatalf("CreateLoadBalancer calls: %+v", creates)
	}
	// Everything is on the new ALB, and the name points at its DNS name.
	var onNew int
	for _, l := range st.ALB.Listeners {
		if l.LoadBalancerID == lb.ID && !l.Deleted {
			onNew++
		}
		if l.LoadBalancerID == "alb-fake01" && slices.ContainsFunc(l.Tags, func(t fakecloud.Tag) bool { return t.Key == resource.OwnerTagKey }) {
			t.Fatalf("a stack listener went on the seeded ALB: %+v", l)
		}
	}
	if onNew != 1 {
		t.Fatalf("%d listeners on the new ALB %s, want 1", onNew, lb.ID)
	}
	if g, _, _ := owned(st, "chat"); g != 1 {
		t.Fatalf("%d server groups owned, want 1", g)
	}
	if rec := ownedRecord(t, st, "chat"); rec.Type != "CNAME" || rec.Value != lb.DNSName || lb.DNSName == "" {
		t.Fatalf("record %+v, want a CNAME to %q", rec, lb.DNSName)
	}

	// A converged re-run finds it by its tag: no write, no second ALB.
	r = e.mustRun("up", "--yes")
	if w := r.writes(); len(w) != 0 {
		t.Fatalf("converged up wrote: %v\n%s", w, r.stdout)
	}
	if n := len(stackALBs(e.fc.Snapshot(), "chat")); n != 1 {
		t.Fatalf("%d ALBs after the re-run, want 1", n)
	}

	// down removes everything, the ALB last.
	r = e.mustRun("down", "--yes")
	st = e.fc.Snapshot()
	if n := len(stackALBs(st, "chat")); n != 0 {
		t.Fatalf("after down: %d ALBs of the stack remain", n)
	}
	if g, l, rec := owned(st, "chat"); g != 0 || l != 0 || rec != 0 {
		t.Fatalf("after down: %d groups, %d listeners, %d records owned", g, l, rec)
	}
	ok := r.okWrites()
	if len(ok) == 0 || ok[len(ok)-1] != "alb DeleteLoadBalancer" {
		t.Fatalf("down's writes %v: want DeleteLoadBalancer last", ok)
	}
	if !slices.ContainsFunc(st.ALB.LoadBalancers, func(x *fakecloud.ALBLoadBalancer) bool { return x.ID == "alb-fake01" }) {
		t.Fatal("the seeded ALB alb-fake01 was deleted")
	}
}
