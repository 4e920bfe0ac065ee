package cli_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// rollStack is deployYAML on lb (alb or clb).
func rollStack(lb, version string) string {
	if lb == "clb" {
		return clbDeployYAML(version)
	}
	return fmt.Sprintf(deployYAML, version)
}

// rollSeq is the roll as the fake logged it: weight changes, commands and
// health reads, in order ("weight i-fake01=0", "run i-fake01", "health").
func rollSeq(t *testing.T, calls []fakecloud.Call) []string {
	t.Helper()
	var seq []string
	for _, c := range calls {
		if c.Status != 200 {
			continue
		}
		switch c.Action {
		case "UpdateServerGroupServersAttribute":
			seq = append(seq, "weight "+weightCall(c))
		case "SetVServerGroupAttribute":
			seq = append(seq, "weight "+clbWeight(t, c))
		case "RunCommand":
			seq = append(seq, "run "+c.Params["InstanceId.1"])
		case "GetListenerHealthStatus", "DescribeHealthStatus":
			if len(seq) == 0 || seq[len(seq)-1] != "health" {
				seq = append(seq, "health")
			}
		}
	}
	return seq
}

func clbWeight(t *testing.T, c fakecloud.Call) string {
	t.Helper()
	var bs []struct {
		ServerID string `json:"ServerId"`
		Weight   string
	}
	if err := json.Unmarshal([]byte(c.Params["BackendServers"]), &bs); err != nil || len(bs) != 1 {
		t.Fatalf("BackendServers %q: %v", c.Params["BackendServers"], err)
	}
	return bs[0].ServerID + "=" + bs[0].Weight
}

// TestDeployRollWaitsForTheLoadBalancer: during a rolling update each
// backend is read healthy by the load balancer itself before the roll moves
// on: CLB checks it at weight 0, so the weight comes back after; ALB does not
// check a weight-0 backend (Unused), so the weight comes back first and the
// next backend waits for ALB's verdict.
func TestDeployRollWaitsForTheLoadBalancer(t *testing.T) {
	want := map[string]string{
		"clb": "weight i-fake01=0, run i-fake01, health, weight i-fake01=100, weight i-fake02=0, run i-fake02, health, weight i-fake02=100",
		"alb": "weight i-fake01=0, run i-fake01, weight i-fake01=100, health, weight i-fake02=0, run i-fake02, weight i-fake02=100, health",
	}
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(rollStack(lb, "v0.4.0"))
			e.mustRun("up", "--yes")
			e.write(rollStack(lb, "v0.5.0"))
			r := e.runPaced("up", "--yes")
			if r.code != 0 {
				t.Fatalf("exit %d\n%s", r.code, r.stderr)
			}
			if got := strings.Join(rollSeq(t, r.calls), ", "); got != want[lb] {
				t.Fatalf("rolling update:\n got %s\nwant %s", got, want[lb])
			}
		})
	}
}

// TestDeployRollStopsOnUnhealthyBackend: the command succeeds on ECS01 but
// the load balancer keeps reporting it unhealthy: the roll stops there with
// the load balancer's reason, ECS01 at weight 0 and not tagged as updated,
// ECS02 untouched.
func TestDeployRollStopsOnUnhealthyBackend(t *testing.T) {
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			e.write(rollStack(lb, "v0.4.0"))
			e.mustRun("up", "--yes")
			f := fakecloud.Fault{Product: healthProduct(lb), Health: &fakecloud.HealthFault{Server: "i-fake01"}}
			reason := "unhealthy (abnormal)"
			if lb == "alb" {
				f.Health.ReasonCode, f.Health.ActualResponse = "RESPONSE_MISMATCH", "404"
				reason = "404"
			}
			if err := e.fc.AddFaults(f); err != nil {
				t.Fatal(err)
			}
			e.write(rollStack(lb, "v0.5.0"))
			r := e.runPaced("up", "--yes")
			if r.code == 0 {
				t.Fatal("up succeeded with a backend the load balancer reports unhealthy")
			}
			for _, w := range []string{"does not report i-fake01 healthy", reason, "stays at weight 0"} {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			goldenAt(t, "deploy/roll-unhealthy-"+lb+".txt", strings.ReplaceAll(r.stderr, e.cfg, "wsdeploy.yaml"))
			if got := strings.Join(runCommands(r.calls), " "); got != "i-fake01" {
				t.Errorf("RunCommand on %q, want only i-fake01", got)
			}
			st := e.fc.Snapshot()
			if w := backendWeight(st, lb, "i-fake01"); w != 0 {
				t.Errorf("i-fake01's weight is %d, want 0", w)
			}
			if w := backendWeight(st, lb, "i-fake02"); w != 100 {
				t.Errorf("i-fake02's weight is %d, want 100", w)
			}
			for _, id := range []string{"i-fake01", "i-fake02"} {
				if tag := instanceTag(st, id); !strings.HasPrefix(tag, "wschat/v0.4.0/") {
					t.Errorf("%s tagged %q: the roll did not finish there", id, tag)
				}
			}
			// Fixed: the next up runs ECS01's command again and finishes the roll.
			if err := e.fc.SetFaults(nil); err != nil {
				t.Fatal(err)
			}
			r = e.runPaced("up", "--yes")
			if r.code != 0 {
				t.Fatalf("up after the fix: exit %d\n%s", r.code, r.stderr)
			}
			st = e.fc.Snapshot()
			for _, id := range []string{"i-fake01", "i-fake02"} {
				if tag := instanceTag(st, id); !strings.HasPrefix(tag, "wschat/v0.5.0/") {
					t.Errorf("%s tagged %q after the fix", id, tag)
				}
				if w := backendWeight(st, lb, id); w != 100 {
					t.Errorf("%s's weight is %d after the fix", id, w)
				}
			}
		})
	}
}

// backendWeight is the weight of instance id in the fake's server group
// (ALB) or vServer group (CLB) of the stack.
func backendWeight(st fakecloud.State, lb, id string) int {
	if lb == "alb" {
		for _, g := range st.ALB.ServerGroups {
			for _, s := range g.Servers {
				if s.ServerID == id {
					return s.Weight
				}
			}
		}
		return -1
	}
	for _, g := range st.CLB.VServerGroups {
		for _, s := range g.Servers {
			if s.ServerID == id {
				return s.Weight
			}
		}
	}
	return -1
}
