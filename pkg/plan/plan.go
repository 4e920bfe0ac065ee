// Package plan computes what `wsdeploy up` or `down` must do, as a value: an
// ordered list of typed actions with reasons, field changes and dependencies.
// Build and Teardown are pure functions of the desired config and an
// inventory snapshot: no I/O, no clock. The renderer prints plans; the apply
// engine executes them; nothing else decides what changes.
package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// FormatVersion is the version of the plan's JSON form.
const FormatVersion = 1

// Op is what an action does.
type Op string

// Ops.
const (
	Create Op = "create"
	Update Op = "update"
	Delete Op = "delete"
)

// Kinds of resources an action acts on.
const (
	KindServerGroup = "server-group"
	KindServers     = "servers"
	KindListener    = "listener"
	KindDNSRecord   = "dns-record"
	KindLBTag       = "lb-tag"
)

// Change is one field that differs.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old,omitempty"`
	New   string `json:"new,omitempty"`
}

// Action is one step of a plan.
type Action struct {
	ID        Addr     `json:"id"`
	Op        Op       `json:"op"`
	Kind      string   `json:"kind"`
	Name      string   `json:"name"`
	Reason    string   `json:"reason"`
	Changes   []Change `json:"changes,omitempty"`
	DependsOn []Addr   `json:"dependsOn,omitempty"`

	// Exactly one payload is set, per Kind.
	// On is the load balancer the action runs on when it is not the plan's LB
	// (a teardown also removes what the stack owns on the other kind).
	On *Target `json:"on,omitempty"`

	ServerGroup *ServerGroupStep `json:"serverGroup,omitempty"`
	Servers     *ServersStep     `json:"servers,omitempty"`
	Listener    *ListenerStep    `json:"listener,omitempty"`
	Record      *RecordStep      `json:"record,omitempty"`
	Tag         *TagStep         `json:"tag,omitempty"`
	App         *AppStep         `json:"app,omitempty"`
	Rule        *RuleStep        `json:"rule,omitempty"`
	// LoadBalancer acts on the load balancer itself (lb.go).
	LoadBalancer *LBStep `json:"loadBalancer,omitempty"`
}

// Target names a load balancer.
type Target struct {
	Type string `json:"type"` // alb | clb
	ID   string `json:"id"`
}

// TagStep sets a tag on the load balancer itself (the stack's epoch).
type TagStep struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ServerGroupRef names a server group: its ID when it exists, or the ID of the
// action that creates it ("known after apply").
type ServerGroupRef struct {
	ID         string `json:"id,omitempty"`
	FromAction Addr   `json:"fromAction,omitzero"`
}

// ServerGroupStep creates, updates or deletes a server group.
type ServerGroupStep struct {
	ID   string               `json:"id,omitempty"` // update, delete
	Spec resource.ServerGroup `json:"spec"`
}

// ServersStep adds, removes or reweights servers of a group. The engine sends
// them in batches of BatchSize (the API's per-call limit, the load balancer
// profile's ServersPerCall), Calls calls in all.
type ServersStep struct {
	Group     ServerGroupRef     `json:"group"`
	Servers   []resource.Backend `json:"servers"`
	BatchSize int                `json:"batchSize"`
	Calls     int                `json:"calls"`
}

// ListenerStep creates, updates or deletes a listener.
type ListenerStep struct {
	ID     string            `json:"id,omitempty"`     // update, delete
	Status string            `json:"status,omitempty"` // current status (update)
	Spec   resource.Listener `json:"spec"`
	Group  ServerGroupRef    `json:"group"`
}

// RecordStep creates, updates or deletes a DNS record.
type RecordStep struct {
	Record resource.Record `json:"record"`
	// ValueFrom, when set, is the action creating the load balancer the
	// record points at: Record.Value is KnownAfterApply until it has run (lb.go).
	ValueFrom Addr `json:"valueFrom,omitzero"`
}

// Plan is the whole plan.
type Plan struct {
	FormatVersion int    `json:"formatVersion"`
	Mode          string `json:"mode"` // up | down
	Stack         string `json:"stack"`
	Region        string `json:"region"`
	// Endpoint is the API endpoint when not Alibaba Cloud's own ("" otherwise).
	Endpoint string                `json:"endpoint,omitempty"`
	LB       resource.LoadBalancer `json:"lb"`
	// Also are the other load balancers a teardown covers: the one of the
	// other kind that the config names, whether or not the stack owns anything there.
	Also []resource.LoadBalancer `json:"also,omitempty"`
	// Observed fingerprints the owned resources the plan was built from, and
	// Epoch is the stack's epoch tag on the load balancer; both go into every
	// ClientToken (see apply.Engine).
	Observed string `json:"observed"`
	Epoch    string `json:"epoch"`
	// LBFrom, when set, is the action that creates the plan's LB: its ID,
	// DNS name and address are known after apply (lb.go).
	LBFrom   Addr     `json:"lbFrom,omitzero"`
	Actions  []Action `json:"actions"`
	Warnings []string `json:"warnings,omitempty"`
	Summary  Summary  `json:"summary"`
}

// Summary counts actions per op.
type Summary struct {
	Create int `json:"create"`
	Update int `json:"update"`
	Delete int `json:"delete"`
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Actions) == 0 }

// Total is the number of actions counted: every action is one create, update
// or delete. Every message that counts a plan's changes takes its numbers
// from the Summary, so they cannot disagree.
func (s Summary) Total() int { return s.Create + s.Update + s.Delete }

// Destructive lists the deletions that can cut traffic or a name: listeners,
// server groups and DNS records. Removing backends the user took out of
// wsdeploy.yaml is not among them: it is the change the user asked for.
func (p *Plan) Destructive() []Action {
	var out []Action
	for _, a := range p.Actions {
		if a.Op == Delete && a.Kind != KindServers && !a.destroysNothing() {
			out = append(out, a)
		}
	}
	return out
}

// NeedsConfirmation reports whether applying the plan needs the user's
// consent: any teardown that changes something, and an up that deletes
// something Destructive.
func (p *Plan) NeedsConfirmation() bool {
	if p.Mode == "down" {
		return !p.Empty()
	}
	return len(p.Destructive()) > 0
}

// ConflictError reports resources in the way that this stack does not own.
type ConflictError struct{ Problems []string }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%d conflict(s) with resources this stack does not own:\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// Hint tells the user what to do.
func (e *ConflictError) Hint() string {
	return "wsdeploy never takes over resources it did not create: free the port or name, or change wsdeploy.yaml to use another one"
}

// SwitchError refuses to move a deployed stack to the other kind of load
// balancer in place: the old listeners and server group would keep serving,
// orphaned. The stack's tagged server groups say where it is.
type SwitchError struct {
	Stack string
	// On is where the stack is deployed; Want is the load balancer asked for.
	On   inventory.Placement
	Want resource.LoadBalancer
	// Named is the ID of the load balancer of the old kind that the config
	// names ("" when it names none): `down` removes what is there.
	Named string
	// Down and Up are the commands to run, in order. Build fills in the bare
	// commands; the CLI replaces them with ones that repeat its flags.
	Down, Up string
	// Here, when the stack also owns resources on Want, names them
	// ("server group sgp-1", "listener HTTP:5000 (lsn-1)"): it owns
	// resources on both kinds at once (bothkinds.go).
	Here []string
}

func (e *SwitchError) Error() string {
	if len(e.Here) > 0 {
		return e.both()
	}
	where := strings.ToUpper(e.On.Kind)
	if len(e.On.LoadBalancers) > 0 {
		where += " " + strings.Join(e.On.LoadBalancers, ", ")
	}
	noun := resource.ProfileOf(e.On.Kind).GroupNoun
	if len(e.On.ServerGroups) > 1 {
		noun += "s"
	}
	return fmt.Sprintf("lb: stack %q is deployed on %s (its %s %s), not on %s %s; switching in place would leave it running there",
		e.Stack, where, noun, strings.Join(e.On.ServerGroups, ", "), strings.ToUpper(e.Want.Type), e.Want.ID)
}

// Hint tells the user what to do: the exact commands.
func (e *SwitchError) Hint() string {
	if len(e.Here) > 0 {
		return e.bothHint()
	}
	var add string
	if missing := e.unnamed(); missing != "" {
		add = fmt.Sprintf("set `%s: {id: %s}` in the stack file (down removes the stack from the load balancers the file names), then ", e.On.Kind, missing)
	}
	return fmt.Sprintf("a stack lives on one load balancer at a time: %srun `%s` first to remove it there, then `%s`", add, e.Down, e.Up)
}

// unnamed is a load balancer the stack is on that the config does not name.
func (e *SwitchError) unnamed() string {
	for _, lb := range e.On.LoadBalancers {
		if lb != e.Named {
			return lb
		}
	}
	if e.Named == "" {
		return "<the " + strings.ToUpper(e.On.Kind) + " ID>"
	}
	return ""
}

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
	if snap.Create != nil && snap.LB.ID != "" {
		p.Epoch = CreatedEpoch(p.Epoch, snap.LB.ID)
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
	var oldGroups []resource.ServerGroup
	if lp.old != nil && snap.LB.Type == config.LBCLB {
		// A CLB's vServer groups belong to it: the new CLB gets its own,
		// the old ones are deleted before the old CLB (replaceTail).
		groups, oldGroups = nil, snap.ServerGroups
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

	// --- duplicate server groups (e.g. from an interrupted run): remove once nothing points at them
	for _, g := range extraGroups {
		add(Action{
			ID: Addr{Op: Delete, Kind: KindServerGroup, Key: g.ID}, Op: Delete, Kind: KindServerGroup, Name: g.Name + " (" + g.ID + ")",
			Reason: "duplicate of " + group.ID, ServerGroup: &ServerGroupStep{ID: g.ID, Spec: g},
		})
	}

	// --- DNS (its own lane: independent of the ALB lane)
	if s.DNS != nil {
		dsnap := snap
		if lp.creates { // the record's value is the new load balancer's, known after apply
			cp := *snap
			cp.LB = p.LB
			dsnap = &cp
		}
		a, problems := dnsActions(s, k, dsnap)
		conflicts = append(conflicts, problems...)
		if lp.creates {
			knownAfterApply(a, p.LBFrom)
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
		after := []Addr{lane[len(lane)-1]}
		for _, a := range p.Actions {
			if a.Kind == KindDNSRecord {
				after = append(after, a.ID)
			}
		}
		p.Actions = append(p.Actions, replaceTail(s, lp, snap.Listeners, oldGroups, after)...)
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

// upWarnings are what Build warns of: listeners that close idle WebSocket
// connections before clients ping, and a load balancer that is not active.
func upWarnings(s *config.Stack, lb resource.LoadBalancer) []string {
	var w []string
	w = append(w, s.PingWarnings()...)
	if st := strings.ToLower(lb.Status); st != "" && st != "active" {
		w = append(w, fmt.Sprintf("%s %s is %s, not active: changes may be rejected until it is", strings.ToUpper(lb.Type), lb.ID, lb.Status))
	}
	return w
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

func desiredGroup(s *config.Stack, k resource.Profile, lb resource.LoadBalancer) resource.ServerGroup {
	g := resource.ServerGroup{Name: resource.ServerGroupName(s.Stack), Tags: ownerTags(s.Stack)}
	if k.SettingsOnListener {
		return g // a vServer group has only a name and members
	}
	g.VpcID, g.Protocol = lb.VpcID, "HTTP"
	g.HealthCheck, g.StickySession = groupSettings(s)
	return g
}

// groupSettings is the health check and session persistence of the config.
func groupSettings(s *config.Stack) (resource.HealthCheck, resource.StickySession) {
	hc := s.Backends.HealthCheck
	ss := s.Backends.StickySession
	h := resource.HealthCheck{Enabled: hc.Enabled == nil || *hc.Enabled}
	st := resource.StickySession{Enabled: ss.Enabled == nil || *ss.Enabled}
	if h.Enabled {
		h.Path, h.Method = hc.Path, hc.Method
		h.Codes = append([]string(nil), hc.Codes...)
		h.Interval, h.Timeout = hc.Interval, hc.Timeout
		h.HealthyThreshold, h.UnhealthyThreshold = hc.HealthyThreshold, hc.UnhealthyThreshold
	}
	if st.Enabled {
		st.Type = ss.Type
		if ss.Type == "Server" {
			st.Cookie = ss.Cookie
		} else {
			st.CookieTimeout = ss.CookieTimeout
		}
	}
	return h, st
}

// pickGroup chooses the stack's server group when several carry its tag: the
// one its listeners forward to, else the lowest ID.
func pickGroup(snap *inventory.Snapshot) *resource.ServerGroup {
	for _, l := range snap.Listeners {
		if !resource.OwnedBy(l.Tags, snap.Stack) {
			continue
		}
		for i := range snap.ServerGroups {
			if snap.ServerGroups[i].ID == l.ServerGroupID {
				return &snap.ServerGroups[i]
			}
		}
	}
	return &snap.ServerGroups[0]
}

// groupFields lists what differs between a server group and the one wanted
// (every field when creating): on ALB its VPC and protocol (fixed at
// creation) and its health check and session persistence; a CLB vServer
// group has nothing but a name and members.
func groupFields(k resource.Profile, cur, want resource.ServerGroup, creating bool) []Change {
	if k.SettingsOnListener {
		return nil
	}
	var ch []Change
	if creating {
		ch = append(ch, Change{Field: "vpc", New: want.VpcID}, Change{Field: "protocol", New: want.Protocol})
	}
	return append(ch, settingsFields(cur.HealthCheck, want.HealthCheck, cur.StickySession, want.StickySession, creating)...)
}

// settingsFields lists what differs in health check and session persistence
// (every field when creating), wherever the product keeps them.
func settingsFields(curHC, wantHC resource.HealthCheck, curSS, wantSS resource.StickySession, creating bool) []Change {
	var ch []Change
	f := func(field, old, new string) {
		if creating || old != new {
			if creating {
				old = ""
			}
			ch = append(ch, Change{Field: field, Old: old, New: new})
		}
	}
	f("healthCheck.enabled", strconv.FormatBool(curHC.Enabled), strconv.FormatBool(wantHC.Enabled))
	if wantHC.Enabled {
		h, w := curHC, wantHC
		f("healthCheck.path", h.Path, w.Path)
		f("healthCheck.method", h.Method, w.Method)
		f("healthCheck.codes", strings.Join(h.Codes, ","), strings.Join(w.Codes, ","))
		f("healthCheck.interval", itoa(h.Interval), itoa(w.Interval))
		f("healthCheck.timeout", itoa(h.Timeout), itoa(w.Timeout))
		f("healthCheck.healthyThreshold", itoa(h.HealthyThreshold), itoa(w.HealthyThreshold))
		f("healthCheck.unhealthyThreshold", itoa(h.UnhealthyThreshold), itoa(w.UnhealthyThreshold))
	}
	f("stickySession.enabled", strconv.FormatBool(curSS.Enabled), strconv.FormatBool(wantSS.Enabled))
	if wantSS.Enabled {
		s, w := curSS, wantSS
		f("stickySession.type", s.Type, w.Type)
		if w.Type == "Server" {
			f("stickySession.cookie", s.Cookie, w.Cookie)
		} else {
			f("stickySession.cookieTimeout", itoa(s.CookieTimeout), itoa(w.CookieTimeout))
		}
	}
	return ch
}

func diffServers(want, have []resource.Backend) (add, remove, reweight []resource.Backend) {
	haveBy := map[string]resource.Backend{}
	for _, b := range have {
		haveBy[b.Key()] = b
	}
	wantBy := map[string]bool{}
	for _, b := range want {
		wantBy[b.Key()] = true
		cur, ok := haveBy[b.Key()]
		switch {
		case !ok:
			add = append(add, b)
		case cur.Weight != b.Weight:
			reweight = append(reweight, b)
		}
	}
	for _, b := range have {
		if !wantBy[b.Key()] {
			remove = append(remove, b)
		}
	}
	sort.Slice(remove, func(i, j int) bool { return remove[i].Key() < remove[j].Key() })
	return add, remove, reweight
}

func listenerCreate(spec resource.Listener, g ServerGroupRef, reason string) Action {
	ch := []Change{
		{Field: "idleTimeout", New: itoa(spec.IdleTimeout)},
		{Field: "requestTimeout", New: itoa(spec.RequestTimeout)},
		{Field: "forwardTo", New: g.String()},
	}
	if spec.CertificateID != "" {
		ch = append(ch, Change{Field: "certificateId", New: spec.CertificateID})
	}
	if spec.HealthCheck != nil { // CLB: health check and sticky session are listener settings
		ch = append(ch, settingsFields(resource.HealthCheck{}, *spec.HealthCheck, resource.StickySession{}, *spec.StickySession, true)...)
	}
	return Action{
		ID: Addr{Op: Create, Kind: KindListener, Key: spec.Name()}, Op: Create, Kind: KindListener, Name: spec.Name(),
		Reason: reason, Changes: ch, Listener: &ListenerStep{Spec: spec, Group: g},
	}
}

func listenerDelete(l resource.Listener, reason string) Action {
	return Action{
		ID: Addr{Op: Delete, Kind: KindListener, Key: l.Name()}, Op: Delete, Kind: KindListener, Name: l.Name() + " (" + l.ID + ")",
		Reason: reason, Listener: &ListenerStep{ID: l.ID, Spec: l},
	}
}

func listenerFields(cur, want resource.Listener, g ServerGroupRef) []Change {
	var ch []Change
	if cur.IdleTimeout != want.IdleTimeout {
		ch = append(ch, Change{Field: "idleTimeout", Old: itoa(cur.IdleTimeout), New: itoa(want.IdleTimeout)})
	}
	if cur.RequestTimeout != want.RequestTimeout {
		ch = append(ch, Change{Field: "requestTimeout", Old: itoa(cur.RequestTimeout), New: itoa(want.RequestTimeout)})
	}
	if want.Protocol == "HTTPS" && cur.CertificateID != want.CertificateID {
		ch = append(ch, Change{Field: "certificateId", Old: cur.CertificateID, New: want.CertificateID})
	}
	if g.ID == "" || cur.ServerGroupID != g.ID {
		ch = append(ch, Change{Field: "forwardTo", Old: cur.ServerGroupID, New: g.String()})
	}
	if want.HealthCheck != nil {
		var curHC resource.HealthCheck
		if cur.HealthCheck != nil {
			curHC = *cur.HealthCheck
		}
		var curSS resource.StickySession
		if cur.StickySession != nil {
			curSS = *cur.StickySession
		}
		ch = append(ch, settingsFields(curHC, *want.HealthCheck, curSS, *want.StickySession, false)...)
		if cur.Status == "stopped" {
			ch = append(ch, Change{Field: "status", Old: "stopped", New: "running"})
		}
	}
	return ch
}

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

func summarize(as []Action) Summary {
	var s Summary
	for _, a := range as {
		switch a.Op {
		case Create:
			s.Create++
		case Update:
			s.Update++
		case Delete:
			s.Delete++
		}
	}
	return s
}

func ownerTags(stack string) map[string]string { return map[string]string{resource.OwnerTagKey: stack} }

func itoa(n int) string { return strconv.Itoa(n) }

func refNote(b resource.Backend) string {
	if b.Ref != "" && b.Ref != b.InstanceID {
		return " (" + b.Ref + ")"
	}
	return ""
}

func prep(verb string) string {
	switch verb {
	case "add":
		return "to"
	case "remove":
		return "from"
	}
	return "in"
}

// String prints a reference as the ID or "(known after apply)".
func (r ServerGroupRef) String() string {
	if r.ID != "" {
		return r.ID
	}
	return "(known after apply)"
}

// fingerprint names the owned load-balancer resources a snapshot holds (IDs
// only, no statuses), so runs that start from the same cloud agree on it. It
// goes into every ALB ClientToken. DNS records stay out: Alidns writes run
// alongside the LB's lane, so a concurrent run may start after another has
// written the record but before its server group exists, and it must still
// send that run's token for the group (records are recovered by lookup).
func fingerprint(snap *inventory.Snapshot) string {
	var ids []string
	for _, g := range snap.ServerGroups {
		ids = append(ids, "g:"+g.ID)
		for _, b := range snap.Servers[g.ID] {
			ids = append(ids, fmt.Sprintf("s:%s:%s:%d", g.ID, b.Key(), b.Weight))
		}
	}
	for _, l := range snap.Listeners {
		if resource.OwnedBy(l.Tags, snap.Stack) {
			ids = append(ids, "l:"+l.ID)
		}
	}
	if o := snap.Other; o != nil {
		for _, g := range o.ServerGroups {
			ids = append(ids, "g:"+g.ID)
		}
		for _, l := range o.Listeners {
			if resource.OwnedBy(l.Tags, o.Stack) {
				ids = append(ids, "l:"+o.LB.ID+":"+l.ID)
			}
		}
	}
	sort.Strings(ids)
	h := sha256.Sum256([]byte(strings.Join(ids, "\n")))
	return hex.EncodeToString(h[:8])
}

func epochOf(snap *inventory.Snapshot) string {
	if e := snap.LB.Tags[resource.EpochTagKey(snap.Stack)]; e != "" {
		return e
	}
	return "0"
}

// nextEpoch derives the epoch `down` records: new for every teardown of a
// different set of resources, the same for concurrent teardowns of one set.
func nextEpoch(cur, observed string) string {
	h := sha256.Sum256([]byte(cur + "|" + observed))
	return hex.EncodeToString(h[:6])
}
