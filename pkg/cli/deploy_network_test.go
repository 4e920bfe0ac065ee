package cli_test

import (
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
)

// TestDeployNetworkRulesBeforeCommands: with network.manage and app.deploy,
// up opens the ports (AuthorizeSecurityGroup) before any Cloud Assistant
// command runs, since wschat's /healthz wait on a backend needs Redis
// reachable; read from the fake's request log order. A re-run of the
// combined, converged stack makes no write at all.
func TestDeployNetworkRulesBeforeCommands(t *testing.T) {
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			// No rule for the LB nor for Redis: up must add both kinds.
			e := newEnvSeed(t, netSeed(nil, nil))
			e.write(netStack(lb, true))
			// Each rule takes a while to be answered: a command that did not
			// wait for the rules would show up in the log before them.
			if err := e.fc.AddFaults(fakecloud.Fault{Product: "ecs", Action: "AuthorizeSecurityGroup", Delay: 300 * time.Millisecond}); err != nil {
				t.Fatal(err)
			}
			up := e.mustRun("up", "--yes")
			lastRule, firstRun, rules, runs := -1, -1, 0, 0
			for i, c := range up.calls {
				if c.Status != 200 {
					continue
				}
				switch {
				case c.Product == "ecs" && c.Action == "AuthorizeSecurityGroup":
					lastRule = i
					rules++
				case c.Product == "ecs" && c.Action == "RunCommand":
					if firstRun < 0 {
						firstRun = i
					}
					runs++
				}
			}
			if rules == 0 || runs != 3 {
				t.Fatalf("up made %d AuthorizeSecurityGroup and %d RunCommand calls, want some rules and 3 commands", rules, runs)
			}
			if lastRule > firstRun {
				t.Errorf("AuthorizeSecurityGroup (call %d) after the first RunCommand (call %d): a command ran before its ports were open", lastRule, firstRun)
			}
			// The Redis rule is in place when Redis's command runs.
			st := e.fc.Snapshot()
			own, _ := rulesOf(t, st)
			if len(own["sg-redis"]) != 2 || len(own["sg-web"]) == 0 {
				t.Errorf("the stack's rules after up: %v", ruleSet(own))
			}
			if len(st.ECS.Invocations) != 3 {
				t.Errorf("%d invocations, want 3", len(st.ECS.Invocations))
			}

			again := e.mustRun("up", "--yes")
			if w := again.writes(); len(w) != 0 {
				t.Errorf("a converged up (network + app) wrote %v", w)
			}
			if runCommandsIn(again.calls) != 0 {
				t.Error("a converged up ran a command")
			}
		})
	}
}

func runCommandsIn(calls []fakecloud.Call) int {
	n := 0
	for _, c := range calls {
		if c.Action == "RunCommand" || c.Action == "InvokeCommand" {
			n++
		}
	}
	return n
}
