package cli_test

// up -> down -> up with app.deploy: the second up's Cloud Assistant
// commands are new invocations, never the first cycle's answered again for
// a ClientToken it reused. Every assertion reads the fake's state (its
// invocations, tags and load balancers) or its request log.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// cycleStack is a deploy stack on one way of having a load balancer.
type cycleStack struct {
	name    string
	yaml    string
	creates bool // the stack creates its load balancer (down deletes it)
	// lbTags reads the tags of the named load balancer ("" when it creates one).
	lbTags func(st fakecloud.State) []fakecloud.Tag
}

func cycleStacks() []cycleStack {
	base := fmt.Sprintf(deployYAML, "v0.4.0")
	const named = "lb: alb\nalb: {id: alb-fake01}"
	return []cycleStack{
		{name: "ALB named", yaml: base, lbTags: func(st fakecloud.State) []fakecloud.Tag {
			for _, lb := range st.ALB.LoadBalancers {
				if lb.ID == "alb-fake01" {
					return lb.Tags
				}
			}
			return nil
		}},
		{name: "CLB named", yaml: strings.Replace(base, named, "lb: clb\nclb: {id: lb-fake01}", 1), lbTags: func(st fakecloud.State) []fakecloud.Tag {
			for _, lb := range st.CLB.LoadBalancers {
				if lb.ID == "lb-fake01" {
					return lb.Tags
				}
			}
			return nil
		}},
		{name: "ALB created", creates: true, yaml: strings.Replace(base, named, `lb: alb
alb:
  create:
    name: chat-alb
    addressType: Internet
    edition: Standard
    vpcId: vpc-fake01
    zones:
      - {zoneId: cn-hangzhou-h, vSwitchId: vsw-fake01-h}
      - {zoneId: cn-hangzhou-i, vSwitchId: vsw-fake01-i}
    deletionProtection: false`, 1)},
		{name: "CLB created", creates: true, yaml: strings.Replace(base, named,
			"lb: clb\nclb:\n  create: {name: chat-clb, addressType: internet, vSwitchId: vsw-fake01-h, deletionProtection: false}", 1)},
	}
}

var appInstances = []string{"i-fake01", "i-fake02", "i-fake03"}

// newestRun is the newest invocation on an instance, its place among the
// fake's invocations, and its run there.
func newestRun(st fakecloud.State, id string) (int, *fakecloud.ECSInvocation, *fakecloud.InvocationRecord) {
	for i := len(st.ECS.Invocations) - 1; i >= 0; i-- {
		inv := &st.ECS.Invocations[i]
		for j := range inv.Instances {
			if inv.Instances[j].InstanceID == id {
				return i, inv, &inv.Instances[j]
			}
		}
	}
	return -1, nil, nil
}

// installed checks, from the fake, that each app instance's newest
// invocation is an install that succeeded, at or after invocation index
// from, that the instance's deployment tag names the build, and returns
// each install's ClientToken.
func installed(t *testing.T, st fakecloud.State, from int) map[string]string {
	t.Helper()
	tokens := map[string]string{}
	for _, id := range appInstances {
		i, inv, rec := newestRun(st, id)
		if inv == nil {
			t.Errorf("%s: no invocation", id)
			continue
		}
		if i < from {
			t.Errorf("%s: newest invocation %s (%s) is #%d, from before this up (#%d on): the up ran nothing there", id, inv.ID, inv.Name, i, from)
		}
		if !strings.Contains(inv.Name, "install") || strings.Contains(inv.Name, "uninstall") || rec.Status != "Success" {
			t.Errorf("%s: newest invocation %s is %q, %s; want an install that succeeded", id, inv.ID, inv.Name, rec.Status)
		}
		if instanceTag(st, id) == "" {
			t.Errorf("%s: no deployment tag after up", id)
		}
		tokens[id] = inv.ClientToken
	}
	return tokens
}

// TestDeployAgainAfterDownApp: up, `down --app` (uninstalls), up again from
// the same cloud state. The second up must install again: each instance's
// newest invocation is a new install (the fake answers a reused ClientToken
// with the first cycle's invocation, as ECS does, so a reused token would
// leave the uninstall newest), sent with a token the first cycle did not
// use; and a third cycle does the same.
func TestDeployAgainAfterDownApp(t *testing.T) {
	t.Parallel()
	for _, c := range cycleStacks() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(c.yaml)
			seen := map[string]string{} // ClientToken -> the cycle that sent it
			for cycle := 1; cycle <= 3; cycle++ {
				from := len(e.fc.Snapshot().ECS.Invocations)
				var epochBefore string
				if c.lbTags != nil {
					epochBefore = tagValue(c.lbTags(e.fc.Snapshot()), "wsdeploy-epoch-chat")
				}
				e.mustRun("up", "--yes")
				st := e.fc.Snapshot()
				if got := len(st.ECS.Invocations) - from; got != len(appInstances) {
					t.Errorf("cycle %d: up started %d invocations, want %d (Redis and two backends)", cycle, got, len(appInstances))
				}
				for id, tok := range installed(t, st, from) {
					if prev, ok := seen[tok]; ok {
						t.Errorf("cycle %d: %s's install sent ClientToken %s again (first sent in %s)", cycle, id, tok, prev)
					}
					seen[tok] = fmt.Sprintf("cycle %d", cycle)
				}
				if n := countOwned(st, "chat"); n["listener"] != 1 || n["servers"] != 2 || n["record"] != 1 {
					t.Errorf("cycle %d: after up the stack owns %v; want 1 listener, 2 servers, 1 record", cycle, n)
				}
				if t.Failed() {
					t.FailNow()
				}

				e.mustRun("down", "--app", "--yes")
				st = e.fc.Snapshot()
				for _, id := range appInstances {
					if tag := instanceTag(st, id); tag != "" {
						t.Errorf("cycle %d: %s still tagged %q after down --app", cycle, id, tag)
					}
					if _, inv, rec := newestRun(st, id); inv == nil || !strings.Contains(inv.Name, "uninstall") || rec.Status != "Success" {
						t.Errorf("cycle %d: %s's newest invocation after down --app is not an uninstall that succeeded", cycle, id)
					}
				}
				if c.creates && len(stackALBs(st, "chat"))+len(stackCLBs(st, "chat")) != 0 {
					t.Errorf("cycle %d: down left the created load balancer", cycle)
				}
				if c.lbTags != nil && c.name == "ALB named" {
					// down moves the epoch on the named ALB on (teardown.go).
					if after := tagValue(c.lbTags(st), "wsdeploy-epoch-chat"); after == "" || after == epochBefore {
						t.Errorf("cycle %d: the ALB's epoch tag %q -> %q: down did not move it on", cycle, epochBefore, after)
					}
				}
			}
		})
	}
}

// TestDeployAgainAfterDown: up, `down` without --app (the app stays
// installed), up again: the second up brings the load balancer's part back
// and runs no command (the instances' tags say the app is there).
func TestDeployAgainAfterDown(t *testing.T) {
	t.Parallel()
	for _, c := range cycleStacks() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(c.yaml)
			e.mustRun("up", "--yes")
			st := e.fc.Snapshot()
			installed(t, st, 0)
			tags := map[string]string{}
			for _, id := range appInstances {
				tags[id] = instanceTag(st, id)
			}
			invocations := len(st.ECS.Invocations)
			for cycle := 2; cycle <= 3; cycle++ {
				e.mustRun("down", "--yes")
				if n := countOwned(e.fc.Snapshot(), "chat"); n["listener"] != 0 || n["record"] != 0 {
					t.Fatalf("cycle %d: after down the stack still owns %v", cycle, n)
				}
				r := e.mustRun("up", "--yes")
				if got := runCommands(r.calls); len(got) != 0 {
					t.Errorf("cycle %d: up ran commands on %v with the app installed", cycle, got)
				}
				st = e.fc.Snapshot()
				if len(st.ECS.Invocations) != invocations {
					t.Errorf("cycle %d: %d invocations, want %d (none new)", cycle, len(st.ECS.Invocations), invocations)
				}
				for _, id := range appInstances {
					if got := instanceTag(st, id); got != tags[id] {
						t.Errorf("cycle %d: %s tagged %q, want %q", cycle, id, got, tags[id])
					}
				}
				if n := countOwned(st, "chat"); n["listener"] != 1 || n["servers"] != 2 || n["record"] != 1 {
					t.Errorf("cycle %d: after up the stack owns %v; want 1 listener, 2 servers, 1 record", cycle, n)
				}
				if r := e.mustRun("plan"); !strings.Contains(r.stdout, "No changes") {
					t.Errorf("cycle %d: plan after up:\n%s", cycle, r.stdout)
				}
			}
		})
	}
}

func tagValue(tags []fakecloud.Tag, key string) string {
	for _, tg := range tags {
		if tg.Key == key {
			return tg.Value
		}
	}
	return ""
}

// installsOn counts the installs the fake started on an instance from
// invocation index from on.
func installsOn(st fakecloud.State, id string, from int) int {
	n := 0
	for _, inv := range st.ECS.Invocations[from:] {
		for _, rec := range inv.Instances {
			if rec.InstanceID == id && strings.HasPrefix(inv.Name, "wsdeploy-install-") {
				n++
			}
		}
	}
	return n
}

// TestDeployAgainAfterDownAppLostAnswers: in the second cycle, every
// RunCommand answer for ECS03 is lost (the call is carried out, the client
// hears 503): the retries inside the run, and the next up from that state,
// send the token the first call sent, so ECS03 gets one install in the
// cycle, not one per attempt, and it is the one that up waits for.
func TestDeployAgainAfterDownAppLostAnswers(t *testing.T) {
	t.Parallel()
	for _, c := range cycleStacks()[1:3] { // CLB named (no epoch tag), ALB created (epoch gone with the ALB)
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(c.yaml)
			e.mustRun("up", "--yes")
			e.mustRun("down", "--app", "--yes")
			from := len(e.fc.Snapshot().ECS.Invocations)
			lost := fakecloud.Fault{Name: "lost-run", Product: "ecs", Action: "RunCommand", Params: map[string]string{"InstanceId.1": "i-fake03"}, CommitThenFail: true}
			if err := e.fc.SetFaults([]fakecloud.Fault{lost}); err != nil {
				t.Fatal(err)
			}
			r := e.run("up", "--yes")
			if r.code == 0 {
				t.Fatalf("up succeeded with every RunCommand answer on ECS03 lost:\n%s", r.stdout)
			}
			attempts := 0
			for _, call := range r.calls {
				if call.Action == "RunCommand" && call.Params["InstanceId.1"] == "i-fake03" {
					attempts++
				}
			}
			if attempts < 2 {
				t.Fatalf("RunCommand on ECS03 sent %d times; the test needs the client to retry", attempts)
			}
			st := e.fc.Snapshot()
			if n := installsOn(st, "i-fake03", from); n != 1 {
				t.Errorf("%d RunCommand calls on ECS03 started %d installs, want 1 (one ClientToken)", attempts, n)
			}
			if tag := instanceTag(st, "i-fake03"); tag != "" {
				t.Errorf("ECS03 tagged %q though its up failed", tag)
			}
			if err := e.fc.SetFaults(nil); err != nil {
				t.Fatal(err)
			}
			e.mustRun("up", "--yes")
			st = e.fc.Snapshot()
			if n := installsOn(st, "i-fake03", from); n != 1 {
				t.Errorf("after the re-run ECS03 had %d installs in this cycle, want 1 (the re-run sends the failed run's token)", n)
			}
			installed(t, st, from)
		})
	}
}
