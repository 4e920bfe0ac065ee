// Package status builds the report of `wsdeploy status`: what a stack has in
// the cloud, how healthy its backends are, whether DNS points at the load
// balancer, and how far it has drifted from wsdeploy.yaml. It only reads.
package status

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Report is the status of one stack.
type Report struct {
	Stack       string       `json:"stack"`
	Region      string       `json:"region"`
	Endpoint    string       `json:"apiEndpoint,omitempty"`
	LB          LB           `json:"lb"`
	Listeners   []Listener   `json:"listeners"`
	ServerGroup *ServerGroup `json:"serverGroup"`
	DNS         *DNS         `json:"dns"`
	// App (with app.deploy) is what is installed on each instance.
	App   *App  `json:"app,omitempty"`
	Drift Drift `json:"drift"`
}

// LB is the load balancer.
type LB struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	DNSName string `json:"dnsName,omitempty"`
	Address string `json:"address,omitempty"`
	Status  string `json:"status"`
	// Name is set for a load balancer the stack will create (ID "").
	Name string `json:"name,omitempty"`
	// Failed are, when the stack has no working load balancer yet (ID ""),
	// the IDs of those it created whose creation failed (Status
	// CreateFailed): not billed; `up` deletes them and creates it again.
	Failed []string `json:"failed,omitempty"`
	// State is what the load balancer is, one word (the State* constants).
	State string `json:"state"`
	// CreatedByStack: the stack creates its load balancer (alb.create /
	// clb.create) rather than name one by ID.
	CreatedByStack bool `json:"createdByStack,omitempty"`
	// Deleting are the IDs of load balancers the stack created that are
	// being deleted (not billed; they go by themselves).
	Deleting []string `json:"deleting,omitempty"`
	// Replacement is set in state replacement-interrupted: the new load
	// balancer (the one above) and the old one.
	Replacement *Replacement `json:"replacement,omitempty"`
	// Tagged are, in state duplicates, the live load balancers carrying
	// the stack's tag (the one above is the first).
	Tagged []TaggedLB `json:"tagged,omitempty"`
}

// Listener is one of the stack's listeners.
type Listener struct {
	Protocol       string `json:"protocol"`
	Port           int    `json:"port"`
	ID             string `json:"id"`
	Status         string `json:"status"`
	IdleTimeout    int    `json:"idleTimeout"`
	RequestTimeout int    `json:"requestTimeout"`
}

// ServerGroup is the stack's server group.
type ServerGroup struct {
	ID       string    `json:"id"`
	Name     string    `json:"name"`
	Backends []Backend `json:"backends"`
}

// Backend is one server with its health.
type Backend struct {
	InstanceID string `json:"instanceId"`
	Name       string `json:"name,omitempty"`
	Port       int    `json:"port"`
	Weight     int    `json:"weight"`
	// Health is healthy, unhealthy, initial, unused or unavailable (worst over the listeners).
	Health string `json:"health"`
	Reason string `json:"reason,omitempty"`
}

// DNS is the stack's record.
type DNS struct {
	FQDN       string `json:"fqdn"`
	Type       string `json:"type,omitempty"`
	Value      string `json:"value,omitempty"`
	TTL        int    `json:"ttl,omitempty"`
	RecordID   string `json:"recordId,omitempty"`
	Exists     bool   `json:"exists"`
	PointsAtLB bool   `json:"pointsAtLb"`
	// PointsAtOldLB: it points at the old load balancer of an interrupted
	// replacement (LB.Replacement.Old), which `up` moves it from.
	PointsAtOldLB bool `json:"pointsAtOldLb,omitempty"`
}

// Drift is what `up` would change.
type Drift struct {
	InSync  bool          `json:"inSync"`
	Summary plan.Summary  `json:"summary"`
	Changes []DriftChange `json:"changes,omitempty"`
	// Problems stop `up` from planning (conflicts, unresolvable backends).
	Problems []string `json:"problems,omitempty"`
	// Fix is how to get past the problems, when the planner says (its To fix).
	Fix string `json:"fix,omitempty"`
}

// DriftChange is one planned action.
type DriftChange struct {
	Op      plan.Op       `json:"op"`
	Kind    string        `json:"kind"`
	Name    string        `json:"name"`
	Reason  string        `json:"reason"`
	Changes []plan.Change `json:"changes,omitempty"`
}

// Issues lists what in the report needs attention, in the order it is
// printed: two load balancers carrying the stack's tag (an interrupted
// replacement, or duplicates), one that is inactive or locked, drift from wsdeploy.yaml (or problems that stop planning), a
// backend the load balancer does not report healthy (a weight-0 backend,
// "unused", is the user's choice and does not count), and a DNS record that
// is missing or does not point at the load balancer. Empty means everything
// matches and is healthy (status --detailed-exitcode exits 0).
func (r *Report) Issues() []string {
	var out []string
	switch r.LB.State {
	case StateReplacementInterrupted:
		out = append(out, fmt.Sprintf("lb: a replacement was interrupted: %s %s (new) and %s (old) both carry the stack's tag",
			strings.ToUpper(r.LB.Type), r.LB.Replacement.New.ID, r.LB.Replacement.Old.ID))
	case StateDuplicates:
		out = append(out, fmt.Sprintf("lb: %d %ss carry the stack's tag", len(r.LB.Tagged), strings.ToUpper(r.LB.Type)))
	case StateInactive, StateLocked:
		out = append(out, fmt.Sprintf("lb: %s %s is %s", strings.ToUpper(r.LB.Type), r.LB.ID, r.LB.Status))
	}
	switch {
	case len(r.Drift.Problems) > 0:
		out = append(out, fmt.Sprintf("drift: `wsdeploy up` cannot plan (%d problem(s))", len(r.Drift.Problems)))
	case !r.Drift.InSync:
		out = append(out, fmt.Sprintf("drift: `wsdeploy up` would make %d change(s)", r.Drift.Summary.Total()))
	}
	if r.ServerGroup != nil {
		for _, b := range r.ServerGroup.Backends {
			if b.Health != "healthy" && b.Health != "unused" {
				out = append(out, fmt.Sprintf("backend %s:%d is %s", b.InstanceID, b.Port, b.Health))
			}
		}
	}
	if r.DNS != nil {
		switch {
		case !r.DNS.Exists:
			out = append(out, fmt.Sprintf("dns: no record for %s", r.DNS.FQDN))
		case !r.DNS.PointsAtLB:
			out = append(out, fmt.Sprintf("dns: %s does not point at the load balancer", r.DNS.FQDN))
		}
	}
	return out
}

// healthRank orders health from best to worst.
var healthRank = map[string]int{"healthy": 0, "unused": 1, "initial": 2, "unavailable": 3, "unhealthy": 4}

// worst is each backend's worst health over the listeners (the first
// reported of equals), with its reason and the listener that saw it.
func worst(health []resource.BackendHealth) map[string][2]string {
	out := map[string][2]string{}
	for _, h := range health {
		if cur, ok := out[h.Key()]; ok && healthRank[cur[0]] >= healthRank[h.Health] {
			continue
		}
		reason := h.Reason
		if reason != "" {
			reason += " on " + h.Listener
		}
		out[h.Key()] = [2]string{h.Health, reason}
	}
	return out
}

// Build assembles the report from what was read: the snapshot, the health
// of the backends as the listeners see them (inventory.Reader.Health), and
// the plan of `up` (nil when planning failed with planErr). It reads
// nothing itself.
func Build(s *config.Stack, snap *inventory.Snapshot, p *plan.Plan, planErr error, health []resource.BackendHealth, endpoint string) *Report {
	r := &Report{
		Stack: s.Stack, Region: s.Region, Endpoint: endpoint,
		LB:        LB{Type: snap.LB.Type, ID: snap.LB.ID, DNSName: snap.LB.DNSName, Address: snap.LB.Address, Status: snap.LB.Status},
		Listeners: []Listener{},
	}
	if snap.LB.ID == "" { // alb.create / clb.create: not created yet, or its creation failed
		r.LB.Name = snap.LB.Name
		if snap.Create != nil {
			for _, f := range snap.Create.Failed() {
				r.LB.Failed = append(r.LB.Failed, f.ID)
				r.LB.Status = f.Status
			}
		}
	}
	lbState(s, snap, &r.LB)
	var groupID string
	for _, l := range snap.Listeners {
		if !resource.OwnedBy(l.Tags, s.Stack) {
			continue
		}
		r.Listeners = append(r.Listeners, Listener{Protocol: l.Protocol, Port: l.Port, ID: l.ID, Status: l.Status, IdleTimeout: l.IdleTimeout, RequestTimeout: l.RequestTimeout})
		if l.ServerGroupID != "" {
			groupID = l.ServerGroupID
		}
	}
	if len(snap.ServerGroups) > 0 {
		g := snap.ServerGroups[0]
		for _, x := range snap.ServerGroups {
			if x.ID == groupID {
				g = x
			}
		}
		names := map[string]string{}
		for _, b := range snap.Backends {
			if b.Ref != b.InstanceID {
				names[b.InstanceID] = b.Ref
			}
		}
		sg := &ServerGroup{ID: g.ID, Name: g.Name, Backends: []Backend{}}
		seen := worst(health)
		for _, b := range snap.Servers[g.ID] {
			hb := Backend{InstanceID: b.InstanceID, Name: names[b.InstanceID], Port: b.Port, Weight: b.Weight, Health: "healthy"}
			if x, ok := seen[b.Key()]; ok {
				hb.Health, hb.Reason = x[0], x[1]
			}
			if b.Weight == 0 && hb.Health == "healthy" {
				hb.Health = "unused"
			}
			sg.Backends = append(sg.Backends, hb)
		}
		sort.Slice(sg.Backends, func(i, j int) bool { return sg.Backends[i].InstanceID < sg.Backends[j].InstanceID })
		r.ServerGroup = sg
	}
	if s.DNS != nil {
		d := &DNS{FQDN: s.DNS.FQDN()}
		k := resource.ProfileOf(snap.LB.Type)
		target, typ := k.RecordTarget(snap.LB), k.RecordType
		for _, rec := range snap.Records {
			if rec.Remark != resource.RecordRemark(s.Stack) {
				continue
			}
			d.Exists, d.Type, d.Value, d.TTL, d.RecordID = true, rec.Type, rec.Value, rec.TTL, rec.ID
			d.PointsAtLB = rec.Type == typ && rec.Value == target
			if rp := r.LB.Replacement; rp != nil && !d.PointsAtLB {
				d.PointsAtOldLB = rec.Type == typ && rec.Value == rp.Old.Target
			}
			break
		}
		r.DNS = d
	}
	if planErr == nil {
		r.App = appReport(s.Stack, snap.App, p)
	} else {
		r.App = appReport(s.Stack, snap.App, nil)
	}
	switch {
	case planErr != nil:
		r.Drift.Problems = strings.Split(strings.TrimSpace(planErr.Error()), "\n")
		for i := range r.Drift.Problems {
			r.Drift.Problems[i] = strings.TrimSpace(r.Drift.Problems[i])
		}
		var h interface{ Hint() string }
		if errors.As(planErr, &h) {
			r.Drift.Fix = h.Hint()
		}
	case p != nil:
		r.Drift.InSync = p.Empty()
		r.Drift.Summary = p.Summary
		for _, a := range p.Actions {
			r.Drift.Changes = append(r.Drift.Changes, DriftChange{Op: a.Op, Kind: a.Kind, Name: a.Name, Reason: a.Reason, Changes: a.Changes})
		}
	}
	return r
}
