package cli_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// overlapRuntime acts out Cloud Assistant commands in the fake: it holds
// each wschat install Running until either another wschat install reaches
// the fake (the two were issued before either finished) or wsdeploy has
// polled this one's result (DescribeInvocationResults, in the fake's request
// log) pollsBeforeRelease times without starting another: it is waiting for
// this one first. Nothing here depends on how long anything takes.
type overlapRuntime struct {
	fc *fakecloud.TestServer

	mu       sync.Mutex
	arrived  []string // instances whose wschat install reached the fake, in order
	held     int      // installs being held now
	another  chan struct{}
	closed   bool
	overlaps int // installs that saw another one issued while they ran
}

const pollsBeforeRelease = 2

func newOverlapRuntime() *overlapRuntime { return &overlapRuntime{another: make(chan struct{})} }

// reset starts a new run.
func (r *overlapRuntime) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.arrived, r.held, r.another, r.closed, r.overlaps = nil, 0, make(chan struct{}), false, 0
}

func (r *overlapRuntime) result() (arrived []string, overlaps int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.arrived...), r.overlaps
}

func (r *overlapRuntime) CommandSucceeded(ctx context.Context, c fakecloud.RuntimeCommand) error {
	if c.Name != "wsdeploy-install-wschat" {
		return nil
	}
	r.mu.Lock()
	r.arrived = append(r.arrived, c.Instance.ID)
	r.held++
	another := r.another
	if r.held >= 2 && !r.closed {
		close(r.another)
		r.closed = true
	}
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.held--
		r.mu.Unlock()
	}()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-another:
			r.mu.Lock()
			r.overlaps++
			r.mu.Unlock()
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
			polls := 0
			for _, call := range r.fc.Calls() {
				if call.Action == "DescribeInvocationResults" && call.Params["InvokeId"] == c.InvokeID {
					polls++
				}
			}
			if polls >= pollsBeforeRelease {
				return nil
			}
		}
	}
}

// TestDeployFirstInstallParallel: a first install runs wschat on both
// backends at once (after Redis, after the network rules): the fake holds
// each install Running until the other is issued, which only happens if
// wsdeploy issued both RunCommand calls before either finished. A version
// change still rolls: the fake holds ECS01's install and wsdeploy polls it
// without issuing ECS02's.
func TestDeployFirstInstallParallel(t *testing.T) {
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			rt := newOverlapRuntime()
			fc := fakecloud.NewTestServer(t, fakecloud.Options{Seed: fakecloud.DemoSeed(), AsyncDuration: 30 * time.Millisecond, InstanceRuntime: rt})
			rt.fc = fc
			e := &env{t: t, fc: fc, dir: t.TempDir()}
			e.fakeCredentials()
			e.cfg = e.dir + "/wsdeploy.yaml"
			yaml := func(v string) string {
				y := fmt.Sprintf(deployYAML, v)
				if lb == "clb" {
					y = strings.Replace(y, "lb: alb\nalb: {id: alb-fake01}", "lb: clb\nclb: {id: lb-fake01}", 1)
				}
				return y
			}
			e.write(yaml("v0.4.0"))

			plan := e.mustRun("plan")
			if n := strings.Count(plan.stdout, "first install: on every backend at once"); n != 2 {
				t.Errorf("plan shows %d first-install steps, want 2:\n%s", n, plan.stdout)
			}
			up := e.mustRun("up", "--yes")
			arrived, overlaps := rt.result()
			if len(arrived) != 2 || overlaps != 2 {
				t.Fatalf("first install: wschat installs reached the fake on %v, %d of them while another was running; want both at once (2)", arrived, overlaps)
			}
			// Redis's install finished before either backend's was issued.
			runs := runCommands(up.calls)
			if len(runs) != 3 || runs[0] != "i-fake03" {
				t.Errorf("RunCommand on %v, want Redis (i-fake03) first", runs)
			}
			redisDone := -1
			for i, c := range up.calls {
				if c.Action == "DescribeInvocationResults" && c.Params["InstanceId"] == "i-fake03" {
					redisDone = i
				}
			}
			for i, c := range up.calls {
				if c.Action == "RunCommand" && c.Params["InstanceId.1"] != "i-fake03" && i < redisDone {
					t.Errorf("RunCommand on %s (call %d) before Redis's install was seen done (call %d)", c.Params["InstanceId.1"], i, redisDone)
				}
			}

			rt.reset()
			e.write(yaml("v0.5.0"))
			plan = e.mustRun("plan")
			if strings.Contains(plan.stdout, "first install") || strings.Count(plan.stdout, "rolling: weight 0") != 2 {
				t.Errorf("a version change's plan does not show a roll:\n%s", plan.stdout)
			}
			e.mustRun("up", "--yes")
			arrived, overlaps = rt.result()
			if len(arrived) != 2 || overlaps != 0 {
				t.Fatalf("version change: wschat installs reached the fake on %v, %d of them while another was running; want one at a time (0)", arrived, overlaps)
			}
		})
	}
}
