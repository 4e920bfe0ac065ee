// The stack's DNS record: create, adopt one an interrupted run left without
// its remark, update on drift, delete strays and duplicates; and when it
// points the name at a load balancer the plan creates (or replaces, or
// waits for), or at one named by ID whose listeners the plan creates, the
// order: only once that load balancer can serve.

package plan

import (
	"fmt"
	"slices"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

func dnsActions(s *config.Stack, k resource.Profile, snap *inventory.Snapshot) ([]Action, []string) {
	remark := resource.RecordRemark(s.Stack)
	want := resource.Record{
		Domain: s.DNS.Domain, RR: s.DNS.RR, Type: k.RecordType, Value: k.RecordTarget(snap.LB), TTL: s.DNS.TTL, Remark: remark,
	}
	fqdn := s.DNS.FQDN()
	var owned []resource.Record
	var problems []string
	var adopt []resource.Record
	for _, r := range snap.Records {
		if r.Remark == remark {
			owned = append(owned, r)
			continue
		}
		if r.Remark == "" && r.Type == want.Type && r.Value == want.Value {
			// Exactly the record this stack wants, without any remark: the
			// record of an earlier run that stopped between creating it and
			// marking it (Alidns cannot do both in one call).
			adopt = append(adopt, r)
			continue
		}
		problems = append(problems, fmt.Sprintf("dns: %s already has a %s record → %s (record %s) that this stack does not own; delete it, or set dns.rr to a free name",
			fqdn, r.Type, r.Value, r.ID))
	}
	if len(problems) > 0 {
		return nil, problems
	}
	var out []Action
	for _, r := range snap.Stray {
		out = append(out, Action{
			ID: Addr{Op: Delete, Kind: KindDNSRecord, Key: r.FQDN(), ID: r.ID}, Op: Delete, Kind: KindDNSRecord, Name: r.FQDN() + " " + r.Type + " (" + r.ID + ")",
			Reason: "the stack's name is now " + fqdn, Changes: []Change{{Field: "value", Old: r.Value}}, Record: &RecordStep{Record: r},
		})
	}
	name := fqdn + " " + want.Type
	if len(owned) == 0 && len(adopt) > 0 {
		w := want
		w.ID = adopt[0].ID
		ch := []Change{{Field: "remark", Old: "", New: remark}}
		if adopt[0].TTL != want.TTL {
			ch = append(ch, Change{Field: "ttl", Old: itoa(adopt[0].TTL), New: itoa(want.TTL)})
		}
		return append(out, Action{
			ID: Addr{Op: Update, Kind: KindDNSRecord, Key: fqdn}, Op: Update, Kind: KindDNSRecord, Name: name + " (" + w.ID + ")",
			Reason: "created by an interrupted run; marking it as this stack's", Changes: ch, Record: &RecordStep{Record: w},
		}), nil
	}
	if len(owned) == 0 {
		return append(out, Action{
			ID: Addr{Op: Create, Kind: KindDNSRecord, Key: fqdn}, Op: Create, Kind: KindDNSRecord, Name: name, Reason: "missing",
			Changes: []Change{{Field: "value", New: want.Value}, {Field: "ttl", New: itoa(want.TTL)}},
			Record:  &RecordStep{Record: want},
		}), nil
	}
	cur := owned[0]
	var ch []Change
	if cur.Type != want.Type {
		ch = append(ch, Change{Field: "type", Old: cur.Type, New: want.Type})
	}
	if cur.Value != want.Value {
		ch = append(ch, Change{Field: "value", Old: cur.Value, New: want.Value})
	}
	if cur.TTL != want.TTL {
		ch = append(ch, Change{Field: "ttl", Old: itoa(cur.TTL), New: itoa(want.TTL)})
	}
	if len(ch) > 0 {
		w := want
		w.ID = cur.ID
		out = append(out, Action{
			ID: Addr{Op: Update, Kind: KindDNSRecord, Key: fqdn}, Op: Update, Kind: KindDNSRecord, Name: name + " (" + cur.ID + ")", Reason: "drifted",
			Changes: ch, Record: &RecordStep{Record: w},
		})
	}
	for _, extra := range owned[1:] {
		out = append(out, Action{
			ID: Addr{Op: Delete, Kind: KindDNSRecord, Key: fqdn, ID: extra.ID}, Op: Delete, Kind: KindDNSRecord, Name: fqdn + " " + extra.Type + " (" + extra.ID + ")",
			Reason: "duplicate", Changes: []Change{{Field: "value", Old: extra.Value}}, Record: &RecordStep{Record: extra},
		})
	}
	return out, nil
}

// awaitServing makes the record actions that point the name at the plan's
// load balancer (a create, or an update of the record's type or value) wait
// for serving: the last step of the load balancer's lane, after which its
// listeners exist and run and its server group has the backends. Used when
// the load balancer is new (created, or replacing the old one): moving the
// record sooner would send clients, for as long as resolvers cache the
// record (its TTL), to a load balancer with nothing listening, where the old
// one still served. The old one is deleted only after the record moved
// (replaceTail). A zero serving (nothing to do on the load balancer) adds
// nothing.
func awaitServing(acts []Action, serving Addr) {
	if serving == (Addr{}) {
		return
	}
	for i := range acts {
		a := &acts[i]
		if a.Record == nil || !pointsName(*a) || slices.Contains(a.DependsOn, serving) {
			continue
		}
		a.DependsOn = append(a.DependsOn, serving)
	}
}

// pointsName reports whether record action a sets where the name points:
// it creates the record, or changes its type or value.
func pointsName(a Action) bool {
	switch a.Op {
	case Create:
		return true
	case Update:
		return slices.ContainsFunc(a.Changes, func(c Change) bool { return c.Field == "value" || c.Field == "type" })
	}
	return false
}

// startsServing reports whether the load balancer's lane creates what
// makes it serve the stack (a listener, the server group):
// on a load balancer named by ID (alb.id, clb.id), the first up, a listener
// replaced for a new protocol. A record pointed at it sooner would send
// clients where nothing listens on the port yet. A lane of updates only
// (drift) leaves the record its own lane: the load balancer serves.
func startsServing(acts []Action, lane []Addr) bool {
	for _, a := range acts {
		if a.Op == Create && (a.Kind == KindListener || a.Kind == KindServerGroup) && slices.Contains(lane, a.ID) {
			return true
		}
	}
	return false
}
