package cli_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// clbOwned counts the stack's vServer groups and listeners in the fake's CLB state.
func clbOwned(st fakecloud.State, stack string) (groups, listeners int) {
	for _, g := range st.CLB.VServerGroups {
		if tagged(g.Tags, stack) {
			groups++
		}
	}
	for _, l := range st.CLB.Listeners {
		if tagged(l.Tags, stack) {
			listeners++
		}
	}
	return groups, listeners
}

// tagged reports whether tags carry the ownership tag of stack.
func tagged(tags []fakecloud.Tag, stack string) bool {
	for _, t := range tags {
		if t.Key == resource.OwnerTagKey && t.Value == stack {
			return true
		}
	}
	return false
}

// clbListener returns the listener on port of lb-fake01 in the fake's state, or nil.
func clbListener(st fakecloud.State, port int) *fakecloud.CLBListener {
	for _, l := range st.CLB.Listeners {
		if l.LoadBalancerID == "lb-fake01" && l.Port == port {
			return l
		}
	}
	return nil
}

// clbShownStatus is the status the fake shows for a listener now: its
// transition (starting, configuring) until that ends, then its settled status.
func clbShownStatus(l *fakecloud.CLBListener) string {
	if l.Transit != "" && time.Now().Before(l.ReadyAt) {
		return l.Transit
	}
	return l.Status
}

// groupBackends lists the backends of the stack's one server group (ALB)
// or vServer group (CLB) in the fake's state as "instance:port:weight",
// sorted. A backend whose removal is still under way shows with "(removing)".
func groupBackends(t *testing.T, st fakecloud.State, stack string) string {
	t.Helper()
	var out []string
	groups := 0
	now := time.Now()
	for _, g := range st.ALB.ServerGroups {
		if !tagged(g.Tags, stack) || g.Deleted {
			continue
		}
		groups++
		for _, s := range g.Servers {
			switch {
			case s.Deleted && !now.Before(s.ReadyAt):
				// gone
			case s.Deleted:
				out = append(out, fmt.Sprintf("%s:%d:%d(removing)", s.ServerID, s.Port, s.Weight))
			default:
				out = append(out, fmt.Sprintf("%s:%d:%d", s.ServerID, s.Port, s.Weight))
			}
		}
	}
	for _, g := range st.CLB.VServerGroups {
		if !tagged(g.Tags, stack) {
			continue
		}
		groups++
		for _, s := range g.Servers {
			out = append(out, fmt.Sprintf("%s:%d:%d", s.ServerID, s.Port, s.Weight))
		}
	}
	if groups != 1 {
		t.Fatalf("the fake holds %d server groups of stack %s, want 1", groups, stack)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestLifecycleCLB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(clbStack("clb"), "    - {instance: i-fake02, weight: 100}\n", "    - {instance: i-fake02, weight: 100}\n    - ECS03\n", 1))

	// Someone else's vServer group, listener and record.
	foreignGroup := e.addForeignCLB(8080, "payments", map[string]string{"team": "payments"})
	foreignRecord := e.addForeignRecord("pay", "A", "198.51.100.8")
	before := e.fc.Snapshot()
	foreignBefore := clbForeign(t, before, foreignGroup, foreignRecord)

	r := e.mustRun("plan", "--lb", "clb")
	if len(r.writes()) != 0 {
		t.Fatalf("plan wrote: %v", r.writes())
	}
	golden(t, "clb-create/plan.txt", r.stdout)

	r = e.mustRun("up", "--lb", "clb", "-o", "json")
	var dep struct {
		LB  struct{ Type, ID, Address string }
		DNS struct{ Type, Value string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &dep); err != nil {
		t.Fatal(err)
	}
	if dep.LB.Type != "clb" || dep.DNS.Type != "A" || dep.DNS.Value != "203.0.113.10" {
		t.Fatalf("up result: %+v", dep)
	}
	st := e.fc.Snapshot()
	if g, l := clbOwned(st, "chat"); g != 1 || l != 2 {
		t.Fatalf("owned after up: %d groups, %d listeners", g, l)
	}
	if got := groupBackends(t, st, "chat"); got != "i-fake01:5000:100 i-fake02:5000:100 i-fake03:5000:100" {
		t.Fatalf("backends after up: %s", got)
	}
	// Listeners are created stopped: up starts them and waits until they run.
	for _, want := range []struct {
		proto                       string
		port, idle, request         int
		certificate, vServerGroupID string
	}{
		{proto: "http", port: 5000, idle: 60, request: 60},
		{proto: "https", port: 443, idle: 60, request: 60, certificate: "12315790212_166f8204689_1714763408_70998"},
	} {
		l := clbListener(st, want.port)
		if l == nil || l.Protocol != want.proto || clbShownStatus(l) != "running" || l.IdleTimeout != want.idle || l.RequestTimeout != want.request ||
			l.ServerCertificateID != want.certificate || !tagged(l.Tags, "chat") || l.VServerGroupID == "" || l.VServerGroupID == foreignGroup {
			t.Fatalf("listener %d after up: %s, want %+v", want.port, mustJSON(t, l), want)
		}
	}
	if rec := ownedRecord(t, st, "chat"); rec.RR != "chat" || rec.Type != "A" || rec.Value != "203.0.113.10" {
		t.Fatalf("record after up: %+v", rec)
	}

	r = e.mustRun("plan", "--lb", "clb")
	if !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after up:\n%s", r.stdout)
	}
	r = e.mustRun("up", "--lb", "clb")
	if len(r.writes()) != 0 || r.reads() > 8 {
		t.Fatalf("converged up: %d reads, writes %v", r.reads(), r.writes())
	}
	t.Logf("converged CLB up: %d reads, 0 writes", r.reads())

	// Change timeouts and backends (ECS03 goes, i-fake02 weighs 50): the plan shows exactly those.
	e.write(strings.NewReplacer(
		"{instance: i-fake02, weight: 100}", "{instance: i-fake02, weight: 50}",
		"{protocol: HTTP, port: 5000, idleTimeout: 60, requestTimeout: 60}", "{protocol: HTTP, port: 5000, idleTimeout: 30, requestTimeout: 120}",
	).Replace(clbStack("clb")))
	r = e.mustRun("plan", "--lb", "clb", "-o", "json")
	golden(t, "clb-change/plan.json", r.stdout)
	var p struct{ Actions []struct{ ID string } }
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range p.Actions {
		ids = append(ids, a.ID)
	}
	if got := strings.Join(ids, " "); got != "delete:servers/wsdeploy-chat update:servers/wsdeploy-chat update:listener/HTTP:5000" {
		t.Fatalf("change plan = %s", got)
	}
	r = e.mustRun("up", "--lb", "clb")
	if got := strings.Join(r.okWrites(), ","); got != "slb RemoveVServerGroupBackendServers,slb SetVServerGroupAttribute,slb SetLoadBalancerHTTPListenerAttribute" {
		t.Fatalf("change writes = %s", got)
	}
	// The fake holds the change: the weight, the timeouts, ECS03 gone; the HTTPS listener as it was.
	changed := e.fc.Snapshot()
	if got := groupBackends(t, changed, "chat"); got != "i-fake01:5000:100 i-fake02:5000:50" {
		t.Fatalf("backends after the change: %s, want i-fake01:5000:100 i-fake02:5000:50", got)
	}
	if l := clbListener(changed, 5000); l == nil || l.IdleTimeout != 30 || l.RequestTimeout != 120 || l.Status != "running" {
		t.Fatalf("listener 5000 after the change: %s, want idle 30, request 120, running", mustJSON(t, l))
	}
	if a, b := mustJSON(t, clbListener(st, 443)), mustJSON(t, clbListener(changed, 443)); a != b {
		t.Fatalf("listener 443 changed:\n%s\n-> %s", a, b)
	}
	if r := e.mustRun("plan", "--lb", "clb"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after change:\n%s", r.stdout)
	}

	// Switching the same stack to ALB is refused before any write.
	r = e.run("up", "--lb", "alb")
	if r.code != 1 || len(r.writes()) != 0 || !strings.Contains(r.stderr, "wsdeploy down --lb clb") {
		t.Fatalf("switch to alb: exit %d, writes %v\n%s", r.code, r.writes(), r.stderr)
	}

	e.mustRun("down", "--lb", "clb", "--yes")
	after := e.fc.Snapshot()
	if g, l := clbOwned(after, "chat"); g != 0 || l != 0 {
		t.Fatalf("owned after down: %d groups, %d listeners", g, l)
	}
	if _, _, rec := owned(after, "chat"); rec != 0 {
		t.Fatalf("%d records left", rec)
	}
	if got := clbForeign(t, after, foreignGroup, foreignRecord); got != foreignBefore {
		t.Fatalf("foreign resources changed:\n%s\n-> %s", foreignBefore, got)
	}
	r = e.mustRun("down", "--lb", "clb", "--yes")
	if len(r.writes()) != 0 {
		t.Fatalf("second down wrote %v", r.writes())
	}
}

// clbForeign is someone else's vServer group, the listeners forwarding to it
// and their record, as JSON from the fake's state; it fails the test if one is missing.
func clbForeign(t *testing.T, st fakecloud.State, groupID, recordID string) string {
	t.Helper()
	var parts []string
	for _, g := range st.CLB.VServerGroups {
		if g.ID == groupID {
			parts = append(parts, mustJSON(t, g))
		}
	}
	for _, l := range st.CLB.Listeners {
		if l.VServerGroupID == groupID {
			parts = append(parts, mustJSON(t, l))
		}
	}
	if rec := recordByID(st, recordID); rec != nil {
		parts = append(parts, mustJSON(t, rec))
	}
	if len(parts) != 3 {
		t.Fatalf("someone else's group, listener and record: %d of 3 in the fake:\n%s", len(parts), strings.Join(parts, "\n"))
	}
	return strings.Join(parts, "\n")
}

// ownedRecord is the stack's one DNS record in the fake's state.
func ownedRecord(t *testing.T, st fakecloud.State, stack string) fakecloud.DNSRecord {
	t.Helper()
	var found []fakecloud.DNSRecord
	for _, d := range st.DNS.Domains {
		for _, r := range d.Records {
			if r.Remark == resource.RecordRemark(stack) {
				found = append(found, r)
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d records of stack %s in the fake, want 1: %+v", len(found), stack, found)
	}
	return found[0]
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func recordByID(st fakecloud.State, id string) any {
	for _, d := range st.DNS.Domains {
		for _, r := range d.Records {
			if r.ID == id {
				return r
			}
		}
	}
	return nil
}

// TestManyBackends attaches and detaches more backends than one API call
// takes, on both load balancers, and reads them back over several pages.
func TestManyBackends(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lb           string
		n            int
		addCalls     int // and remove calls for all but 3
		addAction    string
		removeAction string
	}{
		{lb: "alb", n: 250, addCalls: 2, addAction: "alb AddServersToServerGroup", removeAction: "alb RemoveServersFromServerGroup"},
		{lb: "clb", n: 45, addCalls: 3, addAction: "slb AddVServerGroupBackendServers", removeAction: "slb RemoveVServerGroupBackendServers"},
	}
	for _, tt := range tests {
		t.Run(tt.lb, func(t *testing.T) {
			seed := fakecloud.DemoSeed()
			var servers strings.Builder
			for i := range tt.n {
				id := fmt.Sprintf("i-many%04d", i)
				seed.Instances = append(seed.Instances, fakecloud.SeedInstance{ID: id, Name: fmt.Sprintf("many-%d", i), VpcID: "vpc-fake01", PrivateIP: fmt.Sprintf("192.168.%d.%d", 10+i/200, 1+i%200)})
				fmt.Fprintf(&servers, "    - %s\n", id)
			}
			e := newEnvSeed(t, seed)
			cfg := strings.Replace(clbStack(tt.lb), "    - ECS01\n    - {instance: i-fake02, weight: 100}\n", servers.String(), 1)
			e.write(cfg)
			r := e.mustRun("up", "--lb", tt.lb)
			adds := 0
			for _, w := range r.okWrites() {
				if w == tt.addAction {
					adds++
				}
			}
			if adds != tt.addCalls {
				t.Fatalf("%d x %s, want %d", adds, tt.addAction, tt.addCalls)
			}
			r = e.mustRun("plan", "--lb", tt.lb)
			if !strings.Contains(r.stdout, "No changes.") {
				t.Fatalf("plan after up with %d backends:\n%s", tt.n, r.stdout)
			}
			if got := strings.Count(groupBackends(t, e.fc.Snapshot(), "chat"), ":5000:100"); got != tt.n {
				t.Fatalf("the fake holds %d backends of weight 100 after up, want %d", got, tt.n)
			}
			// Keep the first 3: the rest are removed in batches too.
			lines := strings.SplitAfter(servers.String(), "\n")
			e.write(strings.Replace(cfg, servers.String(), strings.Join(lines[:3], ""), 1))
			r = e.mustRun("up", "--lb", tt.lb)
			if got := groupBackends(t, e.fc.Snapshot(), "chat"); got != "i-many0000:5000:100 i-many0001:5000:100 i-many0002:5000:100" {
				t.Fatalf("backends left in the fake: %s, want the first 3", got)
			}
			removes := 0
			for _, w := range r.okWrites() {
				if w == tt.removeAction {
					removes++
				}
			}
			if removes != tt.addCalls {
				t.Fatalf("%d x %s, want %d", removes, tt.removeAction, tt.addCalls)
			}
		})
	}
}
