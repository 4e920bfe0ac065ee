package cli_test

import (
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// TestKindSwitchFileEdited: the stack file switched from `alb:` to `clb:`
// (the alb: block gone) while the stack's ALB resources still exist: plan
// and up refuse before any write, naming the ALB server group and the block
// to add back for down. (Already refused before the both-kinds check: the
// stack owns nothing on the CLB, so its ALB groups are looked for.)
func TestKindSwitchFileEdited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cfg := noDNS(clbStack("alb"))
	e.write(strings.Replace(cfg, "clb: {id: lb-fake01}\n", "", 1))
	e.mustRun("up", "--yes")
	sg := ownedALBGroup(t, e)
	e.write(strings.Replace(strings.Replace(cfg, "alb: {id: alb-fake01}\n", "", 1), "lb: alb\n", "lb: clb\n", 1))
	for _, args := range [][]string{{"plan"}, {"up", "--yes"}} {
		r := e.run(args...)
		if r.code != 1 || len(r.writes()) != 0 {
			t.Fatalf("%s after switching the file to clb: exit %d, writes %v\n%s", args[0], r.code, r.writes(), r.stderr)
		}
		for _, w := range []string{"is deployed on ALB alb-fake01", sg, "alb: {id: alb-fake01}", "To fix:"} {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: stderr lacks %q\n%s", args[0], w, r.stderr)
			}
		}
	}
}

// TestStackOnBothKindsRefused: a stack that owns resources on an ALB and on
// a CLB at once (here: deployed on the ALB, and a vServer group and listener
// tagged with the stack left on the CLB) is refused by plan and up on either
// kind, before any write, naming what it owns on each side and how to keep
// one.
func TestStackOnBothKindsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cfg := noDNS(clbStack("alb"))
	e.write(cfg)
	e.mustRun("up", "--lb", "alb", "--yes")
	sg := ownedALBGroup(t, e)
	rsp := e.addForeignCLB(8090, "wsdeploy-chat", map[string]string{resource.OwnerTagKey: "chat"})
	for _, lb := range []string{"alb", "clb"} {
		for _, args := range [][]string{{"plan", "--lb", lb}, {"up", "--lb", lb, "--yes"}} {
			r := e.run(args...)
			if r.code != 1 || len(r.writes()) != 0 {
				t.Fatalf("%v on a stack on both kinds: exit %d, writes %v\n%s%s", args, r.code, r.writes(), r.stdout, r.stderr)
			}
			for _, w := range []string{"owns resources on both kinds of load balancer", sg, rsp, "nothing was changed", "To fix: keep it on one", "wsdeploy down"} {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("%v: stderr lacks %q\n%s", args, w, r.stderr)
				}
			}
		}
	}
}

// ownedALBGroup is the ID of the stack's server group on the ALB, from the fake's state.
func ownedALBGroup(t *testing.T, e *env) string {
	t.Helper()
	for _, g := range e.fc.Snapshot().ALB.ServerGroups {
		for _, tg := range g.Tags {
			if tg.Key == resource.OwnerTagKey && tg.Value == "chat" {
				return g.ID
			}
		}
	}
	t.Fatal("the stack has no server group on the ALB")
	return ""
}
