package cli_test

// The load balancer the file names by ID (alb.id / clb.id), in a state
// its owner (or the cloud) left it in: an ALB still Provisioning or
// Configuring is waited for before the stack's first write on it; a CLB
// that is inactive or locked is refused by plan and up before any write.
// The fake's own state puts the load balancer in that state; its request
// log proves what was (not) written.

import (
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// lbReads counts the GetLoadBalancerAttribute calls on id in calls.
func lbReads(calls []fakecloud.Call, id string) int {
	n := 0
	for _, c := range calls {
		if c.Action == "GetLoadBalancerAttribute" && c.Params["LoadBalancerId"] == id {
			n++
		}
	}
	return n
}

// TestUpWaitsForNamedBusyALB: alb-fake01 (named by alb.id) is Provisioning
// or Configuring and stays so while the fake's clock is stopped. plan says
// up waits (golden) and writes nothing; up reads it again (its wait) and
// has written nothing on it (ALB API) by then, the ALB still busy; once the clock resumes
// and the ALB is Active, up converges, with no write refused as busy.
func TestUpWaitsForNamedBusyALB(t *testing.T) {
	t.Parallel()
	for _, status := range []string{"Provisioning", "Configuring"} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			e, clk := newClockEnv(t)
			clk.stop()
			if err := e.fc.Update(func(st *fakecloud.State) error {
				for _, lb := range st.ALB.LoadBalancers {
					if lb.ID == "alb-fake01" {
						if status == "Provisioning" {
							lb.ProvisionedAt = clk.now().Add(time.Hour)
						} else {
							lb.BusyUntil = clk.now().Add(time.Hour)
						}
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			// release ends the state: the clock runs again, and the ALB is Active.
			release := func() {
				if err := e.fc.Update(func(st *fakecloud.State) error {
					for _, lb := range st.ALB.LoadBalancers {
						if lb.ID == "alb-fake01" {
							lb.ProvisionedAt, lb.BusyUntil = time.Time{}, time.Time{}
						}
					}
					return nil
				}); err != nil {
					t.Error(err)
				}
				clk.resume()
			}
			r := e.run("plan")
			if r.code != 0 || len(r.writes()) != 0 {
				t.Fatalf("plan: exit %d, writes %v\n%s%s", r.code, r.writes(), r.stdout, r.stderr)
			}
			golden(t, "named-alb-"+strings.ToLower(status)+".txt", r.stdout)
			planReads := lbReads(r.calls, "alb-fake01")

			done := make(chan result, 1)
			go func() { done <- e.run("up", "--yes") }()
			// Until up reads the ALB once more than plan did (its wait), or writes, or ends.
			for {
				calls := e.fc.Calls()
				var writes []string
				for _, c := range calls {
					if c.Write && c.Product == "alb" { // the DNS record and the network are not on it
						writes = append(writes, c.Product+" "+c.Action+" "+c.Code)
					}
				}
				if len(writes) > 0 {
					release()
					<-done
					t.Fatalf("up wrote while alb-fake01 was %s: %v", status, writes)
				}
				if lbReads(calls, "alb-fake01") > planReads {
					break
				}
				select {
				case r := <-done:
					t.Fatalf("up ended without waiting: exit %d\n%s%s", r.code, r.stdout, r.stderr)
				case <-time.After(2 * time.Millisecond): // polling the request log
				}
			}
			release()
			r = <-done
			if r.code != 0 {
				t.Fatalf("up: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			for _, c := range r.calls {
				if c.Write && c.Code == "IncorrectStatus.LoadBalancer" {
					t.Errorf("up: %s refused as busy: it did not wait", c.Action)
				}
			}
			if len(r.okWrites()) == 0 || len(e.fc.Snapshot().ALB.Listeners) == 0 {
				t.Fatalf("up: writes %v, listeners %v: want the stack put on alb-fake01", r.okWrites(), e.fc.Snapshot().ALB.Listeners)
			}
			if r = e.run("plan"); r.code != 0 || !strings.Contains(r.stdout, "No changes") {
				t.Fatalf("plan after up: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

// TestNamedCLBInactiveOrLockedIsRefused: lb-fake01 (named by clb.id) is
// inactive (stopped by its owner) or locked: plan and up fail before any
// write, saying why and what to do (golden); wsdeploy does not start it.
func TestNamedCLBInactiveOrLockedIsRefused(t *testing.T) {
	t.Parallel()
	for _, status := range []string{"inactive", "locked"} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(clbStack("clb"))
			if err := e.fc.Update(func(st *fakecloud.State) error {
				for _, lb := range st.CLB.LoadBalancers {
					if lb.ID == "lb-fake01" {
						lb.Status = status
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			for _, cmd := range [][]string{{"plan", "--lb", "clb"}, {"up", "--lb", "clb", "--yes"}} {
				r := e.run(cmd...)
				if r.code == 0 || len(r.writes()) != 0 {
					t.Fatalf("%s: exit %d, writes %v; want a refusal before any write\n%s%s", cmd[0], r.code, r.writes(), r.stdout, r.stderr)
				}
				goldenAt(t, "errors/named-clb-"+status+"-"+cmd[0]+".txt", r.stderr)
			}
			for _, lb := range e.fc.Snapshot().CLB.LoadBalancers {
				if lb.ID == "lb-fake01" && lb.Status != status {
					t.Fatalf("lb-fake01 is %s, want %s left alone", lb.Status, status)
				}
			}
		})
	}
}
