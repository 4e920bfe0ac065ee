// The stack's DNS record: create, adopt one an interrupted run left without
// its remark, update on drift, delete strays and duplicates.

package plan

import (
	"fmt"

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
