package cli_test

// One stack, wherever it lives: `down` removes what the stack owns on both the
// ALB and the CLB the file names, whatever --lb or lb: says, and plan/up refuse
// to move a deployed stack to the other kind of load balancer in place. The
// kind a stack is on is told by its tagged server groups, so a stack without
// dns: is covered too.

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// noDNS removes the dns: block from a stack file.
func noDNS(cfg string) string {
	i := strings.Index(cfg, "dns:\n")
	if i < 0 {
		panic("no dns block")
	}
	return cfg[:i]
}

// fakeOwned lists, from the fake's own state, everything that carries the stack's marker on either load balancer.
func fakeOwned(st fakecloud.State, stack string) []string {
	var out []string
	for _, g := range st.ALB.ServerGroups {
		if tagged(g.Tags, stack) && !g.Deleted {
			out = append(out, "alb server group "+g.ID)
		}
	}
	for _, l := range st.ALB.Listeners {
		if tagged(l.Tags, stack) && !l.Deleted {
			out = append(out, "alb listener "+l.ID)
		}
	}
	for _, g := range st.CLB.VServerGroups {
		if tagged(g.Tags, stack) {
			out = append(out, "clb vserver group "+g.ID)
		}
	}
	for _, l := range st.CLB.Listeners {
		if tagged(l.Tags, stack) {
			out = append(out, "clb listener "+l.LoadBalancerID+" "+l.Protocol+":"+itoa(l.Port))
		}
	}
	for _, d := range st.DNS.Domains {
		for _, r := range d.Records {
			if r.Remark == resource.RecordRemark(stack) {
				out = append(out, "dns record "+r.RR+"."+d.Name+" "+r.Type)
			}
		}
	}
	sort.Strings(out)
	return out
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// foreignState is everything in the fake's state that is not the stack's, as JSON, for before/after comparisons.
func foreignState(t *testing.T, st fakecloud.State, stack string) string {
	t.Helper()
	var parts []string
	add := func(kind string, v any) {
		parts = append(parts, kind+" "+mustJSON(t, v))
	}
	for _, g := range st.ALB.ServerGroups {
		if !tagged(g.Tags, stack) {
			add("alb-group", g)
		}
	}
	for _, l := range st.ALB.Listeners {
		if !tagged(l.Tags, stack) {
			add("alb-listener", l)
		}
	}
	for _, g := range st.CLB.VServerGroups {
		if !tagged(g.Tags, stack) {
			add("clb-group", g)
		}
	}
	for _, l := range st.CLB.Listeners {
		if !tagged(l.Tags, stack) {
			add("clb-listener", l)
		}
	}
	for _, d := range st.DNS.Domains {
		for _, r := range d.Records {
			if r.Remark != resource.RecordRemark(stack) {
				add("record", r)
			}
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "\n")
}

// addForeignBoth puts someone else's server group, listener and DNS record on
// the ALB, and a vServer group and listener of someone else and of another
// wsdeploy stack on the CLB.
func addForeignBoth(t *testing.T, e *env) {
	t.Helper()
	e.addForeign(8080, "pay")
	e.addForeignCLB(8080, "payments", map[string]string{"team": "payments"})
	e.addForeignCLB(8081, "wsdeploy-other", map[string]string{resource.OwnerTagKey: "other"})
}

// TestDownRemovesTheStackOnBothKinds: after `up` on one kind of load
// balancer, `down` with the file saying the other kind (and no --lb) removes
// everything the stack owns, on both load balancers, with or without dns:, and
// touches nothing else.
func TestDownRemovesTheStackOnBothKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		upLB     string // the kind `up` deploys on
		fileLB   string // what the file says when `down` runs
		dns      bool
		wantLeft string // the load balancers the final message names
	}{
		{name: "up clb, down with lb alb", upLB: "clb", fileLB: "alb", dns: true},
		{name: "up alb, down with lb clb", upLB: "alb", fileLB: "clb", dns: true},
		{name: "up clb, down with lb alb, no dns", upLB: "clb", fileLB: "alb"},
		{name: "up alb, down with lb clb, no dns", upLB: "alb", fileLB: "clb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			cfg := clbStack("alb")
			if !tt.dns {
				cfg = noDNS(cfg)
			}
			e.write(cfg)
			addForeignBoth(t, e)
			foreignBefore := foreignState(t, e.fc.Snapshot(), "chat")

			e.mustRun("up", "--lb", tt.upLB, "--yes")
			owned := fakeOwned(e.fc.Snapshot(), "chat")
			wantOwned := 3 // a group and two listeners, and the record
			if tt.dns {
				wantOwned++
			}
			if len(owned) != wantOwned {
				t.Fatalf("after up --lb %s the stack owns %v, want %d resources", tt.upLB, owned, wantOwned)
			}

			e.write(strings.Replace(cfg, "lb: alb\n", "lb: "+tt.fileLB+"\n", 1))
			r := e.mustRun("down", "--yes")
			if left := fakeOwned(e.fc.Snapshot(), "chat"); len(left) != 0 {
				t.Fatalf("down (file: lb: %s) after up --lb %s left %v\nstdout:\n%s\nstderr:\n%s", tt.fileLB, tt.upLB, left, r.stdout, r.stderr)
			}
			if after := foreignState(t, e.fc.Snapshot(), "chat"); after != foreignBefore {
				t.Fatalf("down changed resources the stack does not own:\nbefore:\n%s\nafter:\n%s", foreignBefore, after)
			}
			// Every write went to something the stack owned: count them against what was there.
			deletes := 0
			for _, w := range r.okWrites() {
				if strings.Contains(w, "Delete") {
					deletes++
				}
			}
			if deletes != len(owned) {
				t.Fatalf("down made %d delete calls for %d owned resources (%v): %v", deletes, len(owned), owned, r.okWrites())
			}
			// Dependency order, as the fake saw the calls: the record, then the listeners, then the group.
			var order []string
			for _, w := range r.okWrites() {
				switch {
				case strings.HasSuffix(w, "DeleteDomainRecord"):
					order = append(order, "record")
				case strings.HasSuffix(w, "DeleteListener"), strings.HasSuffix(w, "DeleteLoadBalancerListener"):
					order = append(order, "listener")
				case strings.HasSuffix(w, "DeleteServerGroup"), strings.HasSuffix(w, "DeleteVServerGroup"):
					order = append(order, "group")
				}
			}
			want := "listener listener group"
			if tt.dns {
				want = "record " + want
			}
			if got := strings.Join(order, " "); got != want {
				t.Fatalf("down deleted in the order %s, want %s", got, want)
			}
			// The epoch moves on the ALB only when it held something of the stack.
			tagged := strings.Contains(strings.Join(r.okWrites(), ","), "alb TagResources")
			if tagged != (tt.upLB == "alb") {
				t.Fatalf("epoch tag written: %v, after up --lb %s (writes %v)", tagged, tt.upLB, r.okWrites())
			}
			m := regexp.MustCompile(`Destroy complete: \d+ created, \d+ updated, (\d+) deleted\. (.*)\n`).FindStringSubmatch(r.stderr)
			if m == nil || m[1] != itoa(len(owned)) || !strings.Contains(m[2], "ALB alb-fake01") || !strings.Contains(m[2], "CLB lb-fake01") {
				t.Fatalf("final message: %q, want %d deleted and both load balancers named as left in place\n%s", m, len(owned), r.stderr)
			}

			// A second down finds nothing, on either load balancer.
			r = e.mustRun("down", "--yes")
			if len(r.writes()) != 0 || !strings.Contains(r.stdout, "No changes") {
				t.Fatalf("second down: writes %v\n%s", r.writes(), r.stdout)
			}
			// And the stack can be brought up on the other kind now.
			r = e.mustRun("plan", "--lb", tt.fileLB)
			if creates := wantOwned + 1; len(r.writes()) != 0 || !strings.Contains(r.stdout, "Plan: "+itoa(creates)+" to create, 0 to update, 0 to delete.") {
				t.Fatalf("plan --lb %s after down:\n%s", tt.fileLB, r.stdout)
			}
		})
	}
}

// TestKindSwitchRefused: plan and up against the other kind of load balancer
// than the stack is deployed on are refused before any write, naming the
// down command to run first, with or without dns:.
func TestKindSwitchRefused(t *testing.T) {
	t.Parallel()
	for _, from := range []string{"alb", "clb"} {
		to := map[string]string{"alb": "clb", "clb": "alb"}[from]
		for _, withDNS := range []bool{true, false} {
			name := from + " to " + to
			if !withDNS {
				name += ", no dns"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				cfg := clbStack("alb")
				if !withDNS {
					cfg = noDNS(cfg)
				}
				e.write(cfg)
				e.mustRun("up", "--lb", from, "--yes")
				world := func() string {
					st := e.fc.Snapshot()
					return mustJSON(t, []any{st.ALB.LoadBalancers, st.ALB.ServerGroups, st.ALB.Listeners, st.CLB, st.DNS})
				}
				before := world()
				for _, cmd := range []string{"plan", "up"} {
					args := []string{cmd, "--lb", to}
					if cmd == "up" {
						args = append(args, "--yes")
					}
					r := e.run(args...)
					if r.code != 1 || len(r.writes()) != 0 {
						t.Fatalf("%s --lb %s on a stack deployed on %s: exit %d, writes %v\n%s%s", cmd, to, from, r.code, r.writes(), r.stdout, r.stderr)
					}
					down := "wsdeploy down --lb " + from + " -f " + e.cfg + " --endpoint " + e.fc.URL()
					upCmd := "wsdeploy up --lb " + to + " -f " + e.cfg + " --endpoint " + e.fc.URL()
					for _, want := range []string{strings.ToUpper(from), "`" + down + "`", "`" + upCmd + "`"} {
						if !strings.Contains(r.stderr, want) {
							t.Fatalf("%s --lb %s: message lacks %q:\n%s", cmd, to, want, r.stderr)
						}
					}
				}
				if after := world(); after != before {
					t.Fatalf("refused runs changed the cloud")
				}
				// The named command does what it says; then up on the other kind works.
				e.mustRun("down", "--lb", from, "--yes")
				e.mustRun("up", "--lb", to, "--yes")
				if r := e.mustRun("plan", "--lb", to); !strings.Contains(r.stdout, "No changes.") {
					t.Fatalf("plan after the switch:\n%s", r.stdout)
				}
			})
		}
	}
}

// TestKindSwitchOldLBNotInFile: a stack deployed on a CLB the file no longer
// names is still recognised, and the message says which block to add back.
func TestKindSwitchOldLBNotInFile(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cfg := noDNS(clbStack("alb"))
	e.write(cfg)
	e.mustRun("up", "--lb", "clb", "--yes")
	e.write(strings.Replace(cfg, "clb: {id: lb-fake01}\n", "", 1))
	r := e.run("plan")
	if r.code != 1 || len(r.writes()) != 0 || !strings.Contains(r.stderr, "CLB lb-fake01") || !strings.Contains(r.stderr, "clb: {id: lb-fake01}") {
		t.Fatalf("plan: exit %d, writes %v\n%s", r.code, r.writes(), r.stderr)
	}
}

// TestDownOtherLBGone: a load balancer of the other kind that the file names
// but that no longer exists holds nothing of the stack: down still works.
func TestDownOtherLBGone(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cfg := strings.Replace(clbStack("alb"), "clb: {id: lb-fake01}", "clb: {id: lb-gone0001}", 1)
	e.write(cfg)
	e.mustRun("up", "--yes")
	r := e.mustRun("down", "--yes")
	if left := fakeOwned(e.fc.Snapshot(), "chat"); len(left) != 0 {
		t.Fatalf("down left %v", left)
	}
	if !strings.Contains(r.stdout, "Warning: CLB lb-gone0001 (clb.id in the stack file) does not exist: nothing of the stack's is on it\n") {
		t.Fatalf("down does not say the CLB named in the file was not found:\n%s", r.stdout)
	}
}
