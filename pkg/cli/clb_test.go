package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

func clbClient(t testing.TB, e *env) *clb.Client {
	t.Helper()
	cred, err := cloud.StaticCredential("fake-ak", "fake-secret")
	if err != nil {
		t.Fatal(err)
	}
	c, err := clb.New(cloud.Config{Region: "cn-hangzhou", Endpoint: e.fc.URL(), Credential: cred})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clbOwned counts what the fake holds for a stack on CLB, from the fake's own state.
func clbOwned(t *testing.T, e *env, stack string) (groups, listeners int) {
	t.Helper()
	c := clbClient(t, e)
	ctx := context.Background()
	gs, err := c.ListGroupsByTag(ctx, "lb-fake01", resource.OwnerTagKey, stack)
	if err != nil {
		t.Fatal(err)
	}
	ls, err := c.ListListeners(ctx, "lb-fake01")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls {
		if resource.OwnedBy(l.Tags, stack) {
			listeners++
		}
	}
	return len(gs), listeners
}

func TestLifecycleCLB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.write(strings.Replace(clbStack("clb"), "    - {instance: i-fake02, weight: 100}\n", "    - {instance: i-fake02, weight: 100}\n    - ECS03\n", 1))
	ctx := context.Background()

	// Someone else's vServer group, listener and record.
	c := clbClient(t, e)
	foreignGroup, err := c.CreateGroup(ctx, "lb-fake01", "payments", map[string]string{"team": "payments"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CreateListener(ctx, "lb-fake01", resource.Listener{Protocol: "HTTP", Port: 8080, IdleTimeout: 15, RequestTimeout: 60, ServerGroupID: foreignGroup,
		Description: "payments", HealthCheck: &resource.HealthCheck{Enabled: false},
	}); err != nil {
		t.Fatal(err)
	}
	_, d := e.clients()
	foreignRecord, err := d.AddRecord(ctx, resource.Record{Domain: "example.com", RR: "pay", Type: "A", Value: "198.51.100.8", TTL: 600})
	if err != nil {
		t.Fatal(err)
	}
	before := e.fc.Snapshot()

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
	// Listeners are created stopped: up starts them and waits until they run.
	for _, port := range []int{5000, 443} {
		proto := map[int]string{5000: "HTTP", 443: "HTTPS"}[port]
		st, err := c.ListenerStatus(ctx, "lb-fake01", proto, port)
		if err != nil || st != "running" {
			t.Fatalf("listener %s:%d status %q, %v", proto, port, st, err)
		}
	}
	if g, l := clbOwned(t, e, "chat"); g != 1 || l != 2 {
		t.Fatalf("owned after up: %d groups, %d listeners", g, l)
	}

	r = e.mustRun("plan", "--lb", "clb")
	if !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after up:\n%s", r.stdout)
	}
	r = e.mustRun("up", "--lb", "clb")
	if len(r.writes()) != 0 || r.reads() > 7 {
		t.Fatalf("converged up: %d reads, writes %v", r.reads(), r.writes())
	}
	t.Logf("converged CLB up: %d reads, 0 writes", r.reads())

	// Change timeouts and backends: the plan shows exactly those.
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
	if r := e.mustRun("plan", "--lb", "clb"); !strings.Contains(r.stdout, "No changes.") {
		t.Fatalf("plan after change:\n%s", r.stdout)
	}

	// Switching the same stack to ALB is refused before any write.
	r = e.run("up", "--lb", "alb")
	if r.code != 1 || len(r.writes()) != 0 || !strings.Contains(r.stderr, "wsdeploy down --lb clb") {
		t.Fatalf("switch to alb: exit %d, writes %v\n%s", r.code, r.writes(), r.stderr)
	}

	e.mustRun("down", "--lb", "clb", "--yes")
	if g, l := clbOwned(t, e, "chat"); g != 0 || l != 0 {
		t.Fatalf("owned after down: %d groups, %d listeners", g, l)
	}
	after := e.fc.Snapshot()
	if !strings.Contains(mustJSON(t, after.CLB), foreignGroup) || mustJSON(t, recordByID(before, foreignRecord)) != mustJSON(t, recordByID(after, foreignRecord)) {
		t.Fatalf("foreign resources changed")
	}
	if st, err := c.ListenerStatus(ctx, "lb-fake01", "HTTP", 8080); err != nil || st == "" {
		t.Fatalf("foreign listener gone: %q %v", st, err)
	}
	if _, owned, _ := owned(after, "chat"); owned != 0 {
		t.Fatalf("records left")
	}
	r = e.mustRun("down", "--lb", "clb", "--yes")
	if len(r.writes()) != 0 {
		t.Fatalf("second down wrote %v", r.writes())
	}
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
		lb        string
		n         int
		addCalls  int
		addAction string
	}{
		{lb: "alb", n: 250, addCalls: 2, addAction: "alb AddServersToServerGroup"},
		{lb: "clb", n: 45, addCalls: 3, addAction: "slb AddVServerGroupBackendServers"},
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
			// Keep the first 3: the rest are removed in batches too.
			lines := strings.SplitAfter(servers.String(), "\n")
			e.write(strings.Replace(cfg, servers.String(), strings.Join(lines[:3], ""), 1))
			e.mustRun("up", "--lb", tt.lb)
			r = e.mustRun("status", "--lb", tt.lb, "-o", "json")
			var st struct {
				ServerGroup struct{ Backends []struct{ InstanceID string } }
			}
			if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
				t.Fatal(err)
			}
			if len(st.ServerGroup.Backends) != 3 {
				t.Fatalf("%d backends left, want 3", len(st.ServerGroup.Backends))
			}
		})
	}
}
