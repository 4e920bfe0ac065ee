package plan

import (
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// reaches reports whether action from waits, directly or not, for action to.
func reaches(p *Plan, from, to Addr) bool {
	byID := map[Addr]Action{}
	for _, a := range p.Actions {
		byID[a.ID] = a
	}
	seen := map[Addr]bool{}
	var walk func(id Addr) bool
	walk = func(id Addr) bool {
		for _, d := range byID[id].DependsOn {
			if d == to || (!seen[d] && func() bool { seen[d] = true; return walk(d) }()) {
				return true
			}
		}
		return false
	}
	return walk(from)
}

// TestRecordWaitsForTheNewLBToServe: a record that points the name at a
// load balancer the plan creates (first create, replacement) depends on
// every step that puts the listeners and backends on it; a replaced one's
// listeners and the old one itself go after the record. A record on an
// existing load balancer keeps its own lane.
func TestRecordWaitsForTheNewLBToServe(t *testing.T) {
	s := createStack(false)
	want, _ := DesiredLB(s)
	have := want
	have.AddressType = "Intranet" // cannot change in place
	replace := createdSnap(s, have)
	replace.Records[0].Value = "alb-made1.example"
	fresh := createdSnap(s, want)
	fresh.LB = resource.LoadBalancer{Type: "alb", VpcID: "vpc-fake01"}
	fresh.Create.Found = nil
	fresh.Listeners, fresh.ServerGroups, fresh.Records = nil, nil, nil

	check := func(name string, p *Plan, old bool) {
		t.Helper()
		var rec *Action
		var serving, oldGoes []Addr
		for i, a := range p.Actions {
			switch {
			case a.Kind == KindDNSRecord:
				rec = &p.Actions[i]
			case a.ID.LB != "":
				oldGoes = append(oldGoes, a.ID)
			case a.Kind == KindListener || a.Kind == KindServers || a.Kind == KindServerGroup || a.Kind == KindLoadBalancer:
				serving = append(serving, a.ID)
			}
		}
		if rec == nil || len(serving) < 2 || (old && len(oldGoes) < 2) {
			t.Fatalf("%s: plan %s", name, ids(p))
		}
		for _, a := range serving {
			if !reaches(p, rec.ID, a) {
				t.Errorf("%s: the record %s does not wait for %s (plan %s)", name, rec.ID, a, ids(p))
			}
		}
		for _, a := range oldGoes {
			if !reaches(p, a, rec.ID) {
				t.Errorf("%s: %s does not wait for the record %s", name, a, rec.ID)
			}
		}
	}
	p, err := Build(s, replace)
	if err != nil {
		t.Fatal(err)
	}
	check("replace", p, true)
	p, err = Build(s, fresh)
	if err != nil {
		t.Fatal(err)
	}
	check("create", p, false)

	// A load balancer named by ID (alb.id), first up: the listeners are
	// created, so a record create or move waits for them too; a TTL-only
	// change does not point the name anywhere new and keeps its own lane,
	// and so does a move while the lane only updates (the LB serves).
	first := converged(stack())
	first.Listeners, first.ServerGroups, first.Records = nil, nil, nil
	first.Servers = nil
	p, err = Build(stack(), first)
	if err != nil {
		t.Fatal(err)
	}
	check("named by ID, first up", p, false)
	moved := converged(stack())
	moved.Listeners = nil
	moved.Records[0].Value = "elsewhere.example"
	p, err = Build(stack(), moved)
	if err != nil {
		t.Fatal(err)
	}
	check("named by ID, listeners missing, record moves", p, false)

	for name, change := range map[string]func(*inventory.Snapshot){
		"TTL-only change, listeners missing": func(s *inventory.Snapshot) { s.Listeners = nil; s.Records[0].TTL = 60 },
		"record moves, listener drifted":     func(s *inventory.Snapshot) { s.Listeners[0].IdleTimeout = 30; s.Records[0].Value = "elsewhere.example" },
	} {
		snap := converged(stack())
		change(snap)
		p, err = Build(stack(), snap)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range p.Actions {
			if a.Kind == KindDNSRecord {
				n++
				if len(a.DependsOn) != 0 {
					t.Errorf("%s: the record depends on %v", name, a.DependsOn)
				}
			}
		}
		if n != 1 || len(p.Actions) < 2 {
			t.Fatalf("%s: plan %s", name, ids(p))
		}
	}
}
