package cli_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// writeActions are the write calls wsdeploy makes, per product, for lost-response faults.
var writeActions = map[string][]string{
	"alb": {"CreateServerGroup", "AddServersToServerGroup", "RemoveServersFromServerGroup", "UpdateServerGroupServersAttribute",
		"CreateListener", "UpdateListenerAttribute", "DeleteListener", "DeleteServerGroup", "TagResources"},
	"slb": {"CreateVServerGroup", "AddVServerGroupBackendServers", "RemoveVServerGroupBackendServers", "SetVServerGroupAttribute",
		"CreateLoadBalancerHTTPListener", "CreateLoadBalancerHTTPSListener", "StartLoadBalancerListener", "DeleteLoadBalancerListener", "DeleteVServerGroup"},
	"alidns": {"AddDomainRecord", "UpdateDomainRecordRemark", "DeleteDomainRecord"},
}

// chaos returns a fault mix: a quarter of all calls throttled or failing with
// 5xx, and a fifth of writes committed with their answer lost (some as a
// dropped connection).
func chaos(lb string) []fakecloud.Fault {
	fs := []fakecloud.Fault{
		{Name: "throttle", Probability: 0.15, Code: "Throttling.User"},
		{Name: "unavailable", Probability: 0.10, Code: "ServiceUnavailable"},
	}
	products := []string{"alidns", "alb"}
	if lb == "clb" {
		products = []string{"alidns", "slb"}
	}
	for _, p := range products {
		for _, a := range writeActions[p] {
			fs = append(fs,
				fakecloud.Fault{Name: "lost-" + a, Product: p, Action: a, Probability: 0.15, CommitThenFail: true},
				fakecloud.Fault{Name: "dropped-" + a, Product: p, Action: a, Probability: 0.05, CommitThenFail: true, Drop: true},
			)
		}
	}
	return fs
}

// countOwned counts the stack's resources in the fake's world, per kind.
func countOwned(st fakecloud.State, stack string) map[string]int {
	n := map[string]int{}
	for _, g := range st.ALB.ServerGroups {
		if tagged(g.Tags, stack) && !g.Deleted {
			n["group"]++
			n["servers"] += len(g.Servers)
		}
	}
	for _, l := range st.ALB.Listeners {
		if tagged(l.Tags, stack) && !l.Deleted {
			n["listener"]++
		}
	}
	for _, g := range st.CLB.VServerGroups {
		if tagged(g.Tags, stack) {
			n["group"]++
			n["servers"] += len(g.Servers)
		}
	}
	for _, l := range st.CLB.Listeners {
		if tagged(l.Tags, stack) {
			n["listener"]++
		}
	}
	for _, d := range st.DNS.Domains {
		for _, r := range d.Records {
			if r.RR == "chat" {
				n["record"]++ // owned or not yet marked: there must never be two
			}
		}
	}
	return n
}

// checkConverged fails t unless the fake holds the stack these tests deploy
// exactly once: one group with its 2 servers, 2 listeners and 1 record.
// when says after what; show is printed with the failure.
func checkConverged(t *testing.T, e *env, when string, show ...string) {
	t.Helper()
	if n := countOwned(e.fc.Snapshot(), "chat"); n["group"] != 1 || n["listener"] != 2 || n["record"] != 1 || n["servers"] != 2 {
		t.Fatalf("%s: %v, want exactly one group with 2 servers, 2 listeners, 1 record\n%s", when, n, strings.Join(show, "\n"))
	}
}

func chaosSeeds(t *testing.T) int { return seedCount(t, "WSDEPLOY_CHAOS_SEEDS", 2, 6) }

// seedCount is how many seeds a randomised test runs: the number in the
// environment variable name if set, else short with -short, else full.
func seedCount(t *testing.T, name string, short, full int) int {
	if s := os.Getenv(name); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if testing.Short() {
		return short
	}
	return full
}

// TestChaos deploys and tears down under a random fault mix, many seeds, on
// both load balancers: every run succeeds or fails with a clear error, there is
// never a duplicate, re-runs finish the job, and down leaves nothing owned and
// everything foreign as it was.
func TestChaos(t *testing.T) {
	t.Parallel()
	for _, lb := range []string{"alb", "clb"} {
		// The mix's strength is checked over all of a kind's seeds: a seed
		// makes 40 to 80 calls, too few for a floor on its own share (the
		// shares measured spread from 20% to 41% around the mix's 28%).
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			var mixMu sync.Mutex
			allInjected, allCalls := 0, 0
			t.Cleanup(func() { // after every seed of this kind has ended
				if allCalls == 0 || float64(allInjected)/float64(allCalls) < 0.2 {
					t.Errorf("only %d of %d calls failed over all seeds: the mix is too gentle", allInjected, allCalls)
				}
				t.Logf("%d calls, %d failed or lost (%.0f%%)", allCalls, allInjected, 100*float64(allInjected)/float64(allCalls))
			})
			for seed := 1; seed <= chaosSeeds(t); seed++ {
				t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) {
					t.Parallel()
					e := newEnv(t)
					e.write(clbStack(lb))
					var foreignRecord string
					if lb == "alb" {
						foreignRecord = e.addForeign(8080, "pay").recordID
					} else {
						foreignRecord = e.addForeignRecord("pay", "A", "198.51.100.9")
					}
					foreignBefore := mustJSON(t, recordByID(e.fc.Snapshot(), foreignRecord))

					s := int64(seed)
					if err := e.fc.SetFaultSet(fakecloud.FaultSet{Seed: &s, Faults: chaos(lb)}); err != nil {
						t.Fatal(err)
					}
					injected, calls := 0, 0
					converge := func(args ...string) {
						t.Helper()
						for try := 1; ; try++ {
							r := e.run(args...)
							for _, c := range r.calls {
								calls++
								if c.Injected {
									injected++
								}
							}
							n := countOwned(e.fc.Snapshot(), "chat")
							if n["group"] > 1 || n["listener"] > 2 || n["record"] > 1 {
								t.Fatalf("%v try %d: duplicates %v\n%s", args, try, n, r.stderr)
							}
							if r.code == 0 {
								return
							}
							if !strings.Contains(r.stderr, "Error: ") || !strings.Contains(r.stderr, "To fix: ") {
								t.Fatalf("%v try %d: exit %d without a clear error and hint:\n%s", args, try, r.code, r.stderr)
							}
							if try == 12 {
								t.Fatalf("%v did not converge in %d tries:\n%s", args, try, r.stderr)
							}
						}
					}
					converge("up", "--lb", lb, "--yes")
					checkConverged(t, e, "after up")
					converge("down", "--lb", lb, "--yes")
					if n := countOwned(e.fc.Snapshot(), "chat"); n["group"]+n["listener"]+n["record"] != 0 {
						t.Fatalf("after down: %v still there", n)
					}
					if err := e.fc.SetFaults(nil); err != nil {
						t.Fatal(err)
					}
					if got := mustJSON(t, recordByID(e.fc.Snapshot(), foreignRecord)); got != foreignBefore {
						t.Fatalf("foreign record changed: %s -> %s", foreignBefore, got)
					}
					if r := e.mustRun("plan", "--lb", lb); !strings.Contains(r.stdout, "Plan: 5 to create") {
						t.Fatalf("clean plan after chaos:\n%s", r.stdout)
					}
					if injected == 0 {
						t.Fatalf("none of %d calls failed: no fault was injected", calls)
					}
					t.Logf("%d calls, %d failed or lost (%.0f%%)", calls, injected, 100*float64(injected)/float64(calls))
					mixMu.Lock()
					allInjected += injected
					allCalls += calls
					mixMu.Unlock()
				})
			}
		})
	}
}
