// Package plan computes what `wsdeploy up` or `down` must do, as a value: an
// ordered list of typed actions with reasons, field changes and dependencies.
// Build and Teardown are pure functions of the desired config and an
// inventory snapshot: no I/O, no clock. The renderer prints plans; the apply
// engine executes them; nothing else decides what changes.
package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Build plans `up`: converge the snapshot to the desired stack. What differs
// between ALB and CLB comes from the load balancer's resource.Profile. The
// plan warns of what the user should know before applying it: listeners
// that close idle WebSockets sooner than clients ping, and a load balancer
// that is not active.
func Build(s *config.Stack, snap *inventory.Snapshot) (*Plan, error) {
	k := resource.ProfileOf(snap.LB.Type)
	p := &Plan{FormatVersion: FormatVersion, Mode: "up", Stack: s.Stack, Region: s.Region, LB: snap.LB,
		Observed: fingerprint(snap), Epoch: epochOf(snap), Warnings: upWarnings(s, snap.LB)}
	var conflicts []string
	if e := snap.Elsewhere; e != nil {
		named := s.ALB
		if e.Kind == config.LBCLB {
			named = s.CLB
		}
		err := &SwitchError{Stack: s.Stack, On: *e, Want: snap.LB,
			Down: "wsdeploy down --lb " + e.Kind, Up: "wsdeploy up --lb " + snap.LB.Type}
		if named != nil {
			err.Named = named.ID
		}
		err.Here = ownedHere(snap)
		return nil, err
	}
	batch := k.ServersPerCall

	// --- the load balancer itself, when the stack creates it (lb.go)
	lp, err := planLB(s, snap)
	if err != nil {
		return nil, err
	}
	if snap.Create != nil && snap.LB.ID != "" && !lp.waits { // waits: the engine adds the LB's ID (apply.onMade)
		p.Epoch = CreatedEpoch(p.Epoch, snap.LB.ID)
	}
	if lp.waits {
		p.LBFrom = lp.head[0].ID
	}
	if lp.resumed {
		p.Warnings = append(p.Warnings, resumeWarning(snap.LB, *lp.old))
	}
	listeners := snap.Listeners
	if lp.creates {
		p.Warnings = append(p.Warnings, billableWarning(lp.head[0]))
		p.LBFrom = lp.head[0].ID
		p.LB = resource.LoadBalancer{Type: snap.LB.Type, Name: lp.head[0].LoadBalancer.Spec.Name, VpcID: snap.LB.VpcID}
		listeners = nil // a new load balancer has none; a replaced one's go in replaceTail
	}

	// --- server group
	want := desiredGroup(s, k, snap.LB)
	var group *resource.ServerGroup
	var extraGroups []resource.ServerGroup
	groups := snap.ServerGroups
	if lp.creates && lp.old != nil && snap.LB.Type == config.LBCLB {
		groups = nil // a CLB's vServer groups stay with the old CLB (planLB)
	}
	if len(groups) > 0 {
		group = pickGroup(snap)
		for _, g := range groups {
			if g.ID != group.ID {
				extraGroups = append(extraGroups, g)
			}
		}
	}
	var groupRef ServerGroupRef
	var lane []Addr // the load balancer's lane: its actions run one after another
	add := func(a Action) {
		if len(lane) > 0 {
			a.DependsOn = append(a.DependsOn, lane[len(lane)-1])
		}
		lane = append(lane, a.ID)
		p.Actions = append(p.Actions, a)
	}
	for _, a := range lp.lane() {
		add(a)
	}
	if group == nil {
		a := Action{
			ID: Addr{Op: Create, Kind: KindServerGroup, Key: want.Name}, Op: Create, Kind: KindServerGroup, Name: want.Name,
			Reason: "missing", Changes: groupFields(k, resource.ServerGroup{}, want, true),
			ServerGroup: &ServerGroupStep{Spec: want},
		}
		add(a)
		groupRef = ServerGroupRef{FromAction: a.ID}
	} else {
		groupRef = ServerGroupRef{ID: group.ID}
		if ch := groupFields(k, *group, want, false); len(ch) > 0 {
			add(Action{
				ID: Addr{Op: Update, Kind: KindServerGroup, Key: want.Name}, Op: Update, Kind: KindServerGroup, Name: want.Name + " (" + group.ID + ")",
				Reason: "drifted", Changes: ch, ServerGroup: &ServerGroupStep{ID: group.ID, Spec: want},
			})
		}
	}

	// --- servers
	var actual []resource.Backend
	if group != nil {
		actual = snap.Servers[group.ID]
	}
	toAdd, toRemove, toWeight := diffServers(snap.Backends, actual)
	serversAction := func(op Op, verb string, list []resource.Backend, reason string, show func(b resource.Backend) Change) {
		if len(list) == 0 {
			return
		}
		ch := make([]Change, 0, len(list))
		for _, b := range list {
			ch = append(ch, show(b))
		}
		add(Action{
			ID: Addr{Op: op, Kind: KindServers, Key: want.Name}, Op: op, Kind: KindServers,
			Name: fmt.Sprintf("%s %d %s %s", verb, len(list), prep(verb), want.Name), Reason: reason, Changes: ch,
			Servers: &ServersStep{Group: groupRef, Servers: list, BatchSize: batch, Calls: (len(list) + batch - 1) / batch},
		})
	}
	serversAction(Delete, "remove", toRemove, "not in wsdeploy.yaml", func(b resource.Backend) Change {
		return Change{Field: b.Key(), Old: "weight " + strconv.Itoa(b.Weight)}
	})
	serversAction(Create, "add", toAdd, "missing", func(b resource.Backend) Change {
		return Change{Field: b.Key() + refNote(b), New: "weight " + strconv.Itoa(b.Weight)}
	})
	serversAction(Update, "reweight", toWeight, "drifted", func(b resource.Backend) Change {
		old := 0
		for _, a := range actual {
			if a.Key() == b.Key() {
				old = a.Weight
			}
		}
		return Change{Field: b.Key() + refNote(b) + " weight", Old: strconv.Itoa(old), New: strconv.Itoa(b.Weight)}
	})

	// --- listeners
	byPort := map[int]resource.Listener{}
	for _, l := range listeners {
		byPort[l.Port] = l
	}
	wanted := map[int]bool{}
	var deletes, replaces, updates, creates []Action
	for i, lc := range s.Listeners {
		wanted[lc.Port] = true
		spec := resource.Listener{
			Protocol: lc.Protocol, Port: lc.Port, IdleTimeout: lc.IdleTimeout, RequestTimeout: lc.RequestTimeout,
			CertificateID: lc.CertificateID, Description: resource.ListenerDescription(s.Stack, lc.Protocol, lc.Port),
			Tags: ownerTags(s.Stack),
		}
		if k.SettingsOnListener {
			hc, ss := groupSettings(s)
			spec.HealthCheck, spec.StickySession = &hc, &ss
		}
		cur, exists := byPort[lc.Port]
		switch {
		case !exists:
			creates = append(creates, listenerCreate(spec, groupRef, "missing"))
		case !resource.OwnedBy(cur.Tags, s.Stack):
			owner := "another tool or person"
			if o := cur.Tags[resource.OwnerTagKey]; o != "" {
				owner = "wsdeploy stack " + strconv.Quote(o)
			}
			conflicts = append(conflicts, fmt.Sprintf("listeners[%d]: port %d on %s %s already has a %s listener (%s) owned by %s; choose another port or remove that listener",
				i, lc.Port, strings.ToUpper(snap.LB.Type), snap.LB.ID, cur.Protocol, cur.ID, owner))
		case cur.Protocol != spec.Protocol:
			deletes = append(deletes, listenerDelete(cur, "protocol changes "+cur.Protocol+" → "+spec.Protocol+" (replace)"))
			replaces = append(replaces, listenerCreate(spec, groupRef, "replaces "+cur.Name()))
		default:
			ch := listenerFields(cur, spec, groupRef)
			if len(ch) > 0 {
				updates = append(updates, Action{
					ID: Addr{Op: Update, Kind: KindListener, Key: spec.Name()}, Op: Update, Kind: KindListener, Name: spec.Name() + " (" + cur.ID + ")",
					Reason: "drifted", Changes: ch, Listener: &ListenerStep{ID: cur.ID, Status: cur.Status, Spec: spec, Group: groupRef},
				})
			}
		}
	}
	for _, l := range listeners {
		if resource.OwnedBy(l.Tags, s.Stack) && !wanted[l.Port] {
			deletes = append(deletes, listenerDelete(l, "not in wsdeploy.yaml"))
		}
	}
	for _, group := range [][]Action{deletes, replaces, updates, creates} {
		for _, a := range group {
			add(a)
		}
	}

	// The step after which the load balancer can serve: its listeners exist
	// and run, its server group has the backends (the lane is sequential).
	var serving Addr
	if len(lane) > 0 {
		serving = lane[len(lane)-1]
	}

	// --- duplicate server groups (e.g. from an interrupted run): remove once nothing points at them
	extraGroups, kept := removableGroups(snap, extraGroups)
	p.Warnings = append(p.Warnings, kept...)
	for _, g := range extraGroups {
		add(Action{
			ID: Addr{Op: Delete, Kind: KindServerGroup, Key: g.ID}, Op: Delete, Kind: KindServerGroup, Name: g.Name + " (" + g.ID + ")",
			Reason: "duplicate of " + group.ID, ServerGroup: &ServerGroupStep{ID: g.ID, Spec: g},
		})
	}

	if lp.named && len(lane) == 1 {
		// Nothing is written on the named load balancer: no need to wait for it.
		p.Actions = slices.DeleteFunc(p.Actions, func(a Action) bool { return a.ID == lane[0] })
		lane = nil
	}

	// --- DNS (its own lane; a record pointing the name at a load balancer
	// the plan creates, replaces or waits for joins it at the end: dns.go)
	if s.DNS != nil {
		dsnap := snap
		if lp.creates || lp.waits { // the record's value is the new load balancer's, known after apply
			cp := *snap
			cp.LB = resource.LoadBalancer{Type: p.LB.Type, Name: p.LB.Name, VpcID: p.LB.VpcID}
			dsnap = &cp
		}
		a, problems := dnsActions(s, k, dsnap)
		conflicts = append(conflicts, problems...)
		if lp.creates || lp.waits {
			knownAfterApply(a, p.LBFrom)
		}
		if lp.creates || lp.waits || lp.old != nil || startsServing(p.Actions, lane) {
			awaitServing(a, serving) // a new (or replacing) load balancer, or listeners new on it, get the name once they serve
		}
		p.Actions = append(p.Actions, a...)
		if snap.MinTTL > 0 && s.DNS.TTL < snap.MinTTL {
			conflicts = append(conflicts, fmt.Sprintf("dns.ttl: %d is below the minimum %d of the DNS edition of %s; set dns.ttl to %d or more", s.DNS.TTL, snap.MinTTL, s.DNS.Domain, snap.MinTTL))
		}
	}
	if len(conflicts) > 0 {
		return nil, &ConflictError{Problems: conflicts}
	}
	if lp.old != nil {
		// --- a replaced load balancer goes once nothing points at it
		var after []Addr
		if len(lane) > 0 { // empty when a resumed replacement left nothing to do on the new one
			after = append(after, lane[len(lane)-1])
		}
		for _, a := range p.Actions {
			if a.Kind == KindDNSRecord {
				after = append(after, a.ID)
			}
		}
		p.Actions = append(p.Actions, replaceTail(s, lp, after)...)
	}
	// --- the app (app.deploy): installed before anything points traffic at it
	appActs, err := appActions(s, snap, group)
	if err != nil {
		return nil, err
	}
	if len(appActs) > 0 {
		ends := appEnds(appActs)
		for i := range p.Actions {
			if len(p.Actions[i].DependsOn) == 0 {
				p.Actions[i].DependsOn = append([]Addr(nil), ends...)
			}
		}
		p.Actions = append(appActs, p.Actions...)
	}
	// --- security-group rules (their own lane, first: the network opens
	// before the app is installed and backends are attached)
	if s.Network != nil && snap.Network != nil {
		rules, err := networkActions(s, snap)
		if err != nil {
			return nil, err
		}
		if len(appActs) > 0 {
			var ids []Addr
			for _, r := range rules {
				ids = append(ids, r.ID)
			}
			for i := range p.Actions {
				if p.Actions[i].App != nil && len(p.Actions[i].DependsOn) == 0 {
					p.Actions[i].DependsOn = ids
				}
			}
		}
		p.Actions = append(rules, p.Actions...)
	}
	p.Summary = summarize(p.Actions)
	return p, nil
}

// upWarnings are what Build warns of: listeners that close idle WebSocket
// connections before clients ping, and a load balancer that is not active.
func upWarnings(s *config.Stack, lb resource.LoadBalancer) []string {
	var w []string
	w = append(w, s.PingWarnings()...)
	if st := strings.ToLower(lb.Status); st != "" && st != "active" && !(lb.ID == s.LBID() && namedBusy(lb)) { // a named busy ALB is waited for (named.go)
		w = append(w, fmt.Sprintf("%s %s is %s, not active: changes may be rejected until it is", strings.ToUpper(lb.Type), lb.ID, lb.Status))
	}
	return w
}
