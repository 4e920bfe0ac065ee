// `down`: the deletions of everything the stack owns, on the plan's load
// balancer and on the one of the other kind.

package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Teardown plans `down`: delete everything the stack owns, in dependency
// order, on the snapshot's load balancer and on the one of the other kind it
// also holds (snap.Other): the DNS records first, then on each load balancer
// (after its new epoch, on ALB) the listeners and then the server groups.
func Teardown(s *config.Stack, snap *inventory.Snapshot) *Plan {
	p := &Plan{FormatVersion: FormatVersion, Mode: "down", Stack: s.Stack, Region: s.Region, LB: snap.LB,
		Observed: fingerprint(snap), Epoch: epochOf(snap)}
	remark := resource.RecordRemark(s.Stack)
	var records []Action
	for _, r := range snap.Records {
		if r.Remark == remark {
			records = append(records, Action{
				ID: Addr{Op: Delete, Kind: KindDNSRecord, Key: r.FQDN(), ID: r.ID}, Op: Delete, Kind: KindDNSRecord, Name: r.FQDN() + " " + r.Type,
				Reason: "teardown", Changes: []Change{{Field: "value", Old: r.Value}}, Record: &RecordStep{Record: r},
			})
		}
	}
	var after []Addr // the name goes before what it points at
	for _, r := range records {
		after = append(after, r.ID)
	}
	tags, lbActions := teardownLB(s, snap, nil, p.Observed, after)
	if o := snap.Other; o != nil {
		p.Also = append(p.Also, o.LB)
		if o.NotFound {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s %s (%s.id in the stack file) does not exist: nothing of the stack's is on it", strings.ToUpper(o.LB.Type), o.LB.ID, o.LB.Type))
		}
		t, a := teardownLB(s, o, &Target{Type: o.LB.Type, ID: o.LB.ID}, p.Observed, after)
		tags, lbActions = append(tags, t...), append(lbActions, a...)
	}
	// Epoch tags first, so that whatever happens next, a later `up` sends new ClientTokens.
	p.Actions = append(append(tags, records...), lbActions...)
	p.Actions = append(p.Actions, teardownRules(s, snap)...)
	p.Summary = summarize(p.Actions)
	return p
}

// teardownLB plans the deletions on one load balancer: its epoch tag (ALB,
// when it holds something of the stack), then, once the actions named by
// after (the DNS records) are done, its owned listeners one after another,
// then the server groups. on is set for a load balancer other than the
// plan's: its actions name it, and their IDs carry it.
func teardownLB(s *config.Stack, snap *inventory.Snapshot, on *Target, observed string, after []Addr) (tags, actions []Action) {
	lb, where := "", ""
	if on != nil {
		lb, where = on.ID, " on "+strings.ToUpper(on.Type)+" "+on.ID
	}
	var lane []Addr
	chain := func(a Action) {
		a.ID.LB = lb
		a.Name += where
		a.On = on
		if len(lane) > 0 {
			a.DependsOn = []Addr{lane[len(lane)-1]}
		}
		if len(actions) == 0 {
			a.DependsOn = append(a.DependsOn, after...)
		}
		lane = append(lane, a.ID)
		actions = append(actions, a)
	}
	var listeners []resource.Listener
	for _, l := range snap.Listeners {
		if resource.OwnedBy(l.Tags, s.Stack) {
			listeners = append(listeners, l)
		}
	}
	if (len(listeners) > 0 || len(snap.ServerGroups) > 0) && resource.ProfileOf(snap.LB.Type).EpochTag && !snap.NotFound {
		next := nextEpoch(epochOf(snap), observed)
		a := Action{
			ID: Addr{Op: Update, Kind: KindLBTag, Key: resource.EpochTagKey(s.Stack), LB: lb}, Op: Update, Kind: KindLBTag,
			Name: snap.LB.ID + " " + resource.EpochTagKey(s.Stack), Reason: "new idempotency epoch after teardown",
			Changes: []Change{{Field: "value", Old: epochOf(snap), New: next}},
			Tag:     &TagStep{Key: resource.EpochTagKey(s.Stack), Value: next}, On: on,
		}
		tags = append(tags, a)
		lane = append(lane, a.ID)
	}
	for _, l := range listeners {
		chain(listenerDelete(l, "teardown"))
	}
	for _, g := range snap.ServerGroups {
		a := Action{
			ID: Addr{Op: Delete, Kind: KindServerGroup, Key: g.ID}, Op: Delete, Kind: KindServerGroup, Name: g.Name + " (" + g.ID + ")",
			Reason: "teardown", ServerGroup: &ServerGroupStep{ID: g.ID, Spec: g},
		}
		if n := len(snap.Servers[g.ID]); n > 0 {
			a.Changes = []Change{{Field: "servers", Old: strconv.Itoa(n)}}
		}
		chain(a)
	}
	return tags, actions
}
