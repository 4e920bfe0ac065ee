// The load balancer itself, when the stack creates it (alb.create /
// clb.create): its create, in-place update, replacement and deletion.
//
// A load balancer to create is "known after apply": the plan's LB has no ID,
// DNS name or address yet. Plan.LBFrom names the action that creates it;
// every action on the plan's LB depends on that action (it heads the LB's
// lane), and the engine runs them on the load balancer it created. A DNS
// record whose value is the created load balancer's DNS name (ALB) or
// address (CLB) carries RecordStep.ValueFrom = Plan.LBFrom and the value
// KnownAfterApply until the engine fills it in.

package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// KindLoadBalancer is the kind of actions on the load balancer itself.
const KindLoadBalancer = "load-balancer"

// KnownAfterApply stands for a value the create step produces (the load
// balancer's ID, DNS name or address) in plan views and JSON.
const KnownAfterApply = "(known after apply)"

// LBStep creates, updates, replaces or deletes the stack's load balancer.
//
//   - create: Spec is what to create; ClientToken makes the create call
//     idempotent (ALB; stable per stack, epoch and spec); Billing says what
//     will bill. Replaces is the ID of the load balancer it replaces ("" for
//     a first create): the plan shows the pair as -/+ and needs confirmation.
//   - update: ID and the in-place Changes (name, deletion protection, an
//     ALB edition upgrade, which Billing then describes).
//   - delete: ID; Spec is what was read (DeletionProtection on means the
//     teardown refuses, see ProtectedError).
type LBStep struct {
	ID          string          `json:"id,omitempty"`
	Spec        resource.LBSpec `json:"spec"`
	ClientToken string          `json:"clientToken,omitempty"`
	Billing     string          `json:"billing,omitempty"`
	Replaces    string          `json:"replaces,omitempty"`
	// Current is, for an update, the settings the load balancer has.
	Current *resource.LBSpec `json:"current,omitempty"`
	// Wait, for an update, first waits until the load balancer (one an
	// interrupted run created) is Active.
	Wait bool `json:"wait,omitempty"`
	// CreateFailed, on an update or delete, says the load balancer's
	// creation failed (ALB status CreateFailed): it serves nothing and is not
	// billed, so releasing its deletion protection and deleting it destroy
	// nothing and need no confirmation (Plan.Destructive leaves them out).
	CreateFailed bool `json:"createFailed,omitempty"`
	// Deleting, on a create, are the stack's load balancers that were being
	// deleted when the plan read the cloud: they may still count against the
	// account's quota (apply.LBQuotaWaiter).
	Deleting []string `json:"deleting,omitempty"`
	// Named, on a wait, says the load balancer is the one the file names by
	// ID (the user's): the step waits until it is Active and changes nothing.
	Named bool `json:"named,omitempty"`
}

// createFailedReason is why a plan deletes a load balancer whose creation
// failed and creates it again.
const createFailedReason = "creation failed: CreateFailed, not billed: deleted and created again"

// destroysNothing reports whether a is the deletion (or its protection's
// release) of a load balancer whose creation failed: nothing that serves or
// bills goes.
func (a Action) destroysNothing() bool { return a.LoadBalancer != nil && a.LoadBalancer.CreateFailed }

// deleteFailed plans the deletion of a load balancer the stack created
// whose creation failed, its deletion protection released first when on
// (it guards a working load balancer; this one serves nothing), for reason.
// The actions name it (their IDs carry it): it is not the plan's. The caller
// chains them.
func deleteFailed(lb resource.LoadBalancer, reason string) []Action {
	spec := resource.LBSpec{Type: lb.Type, Name: lb.Name}
	if lb.Spec != nil {
		spec = *lb.Spec
	}
	on := &Target{Type: lb.Type, ID: lb.ID}
	name := lb.Name + " (" + lb.ID + ")"
	var out []Action
	if spec.DeletionProtection {
		cur, off := spec, spec
		off.DeletionProtection = false
		a := Action{
			ID: lbAddr(Update, lb.Type), Op: Update, Kind: KindLoadBalancer, Name: name, On: on,
			Reason:       "release the deletion protection of a load balancer whose creation failed (CreateFailed, not billed)",
			Changes:      []Change{{Field: "deletionProtection", Old: "true", New: "false"}},
			LoadBalancer: &LBStep{ID: lb.ID, Spec: off, Current: &cur, CreateFailed: true},
		}
		a.ID.LB = lb.ID
		out = append(out, a)
	}
	spec.DeletionProtection = false
	a := Action{
		ID: lbAddr(Delete, lb.Type), Op: Delete, Kind: KindLoadBalancer, Name: name, On: on, Reason: reason,
		LoadBalancer: &LBStep{ID: lb.ID, Spec: spec, CreateFailed: true},
	}
	a.ID.LB = lb.ID
	return append(out, a)
}

// FailedLBError refuses a stack whose file names by id an ALB whose
// creation failed: nothing can be put on it.
type FailedLBError struct{ Kind, ID string }

func (e *FailedLBError) Error() string {
	return fmt.Sprintf("%s.id: %s %s is in status CreateFailed (its creation failed: it is not billed, and listeners cannot be added to it); nothing was changed",
		e.Kind, strings.ToUpper(e.Kind), e.ID)
}

// Hint says how to go on.
func (e *FailedLBError) Hint() string {
	return fmt.Sprintf("name a working %s in %s.id, or let wsdeploy create one: replace id with %s.create (it deletes a failed one it created and tries again); "+
		"delete %s in the console, where it can only be deleted", strings.ToUpper(e.Kind), e.Kind, e.Kind, e.ID)
}

// DesiredLB is the spec of the load balancer s asks wsdeploy to create (its
// defaults applied), tagged with the stack; ok is false when s names an
// existing one by ID.
func DesiredLB(s *config.Stack) (spec resource.LBSpec, ok bool) { return inventory.DesiredLB(s) }

// Billing says, in one line, that creating spec starts a bill and what bills.
func Billing(spec resource.LBSpec) string {
	if spec.Type == resource.CLB {
		return clbBilling(spec)
	}
	s := fmt.Sprintf("billable: ALB %s edition, pay-as-you-go: an hourly instance fee plus the LCUs (capacity units) used", spec.Edition)
	if spec.AddressType == config.ALBInternet {
		s += fmt.Sprintf("; Internet: an EIP in each of its %d zones, billed for its bandwidth/traffic", len(spec.Zones))
	}
	return s
}

// editionBilling says what an in-place ALB edition change does to the bill.
func editionBilling(spec resource.LBSpec) string {
	return fmt.Sprintf("billable: billed as an ALB %s edition from the change on (each edition has its own instance fee and LCU price); the ID and DNS name stay", spec.Edition)
}

// lbFields shows a spec as the field changes of its create.
func lbFields(spec resource.LBSpec) []Change {
	ch := []Change{
		{Field: "name", New: spec.Name},
		{Field: "addressType", New: spec.AddressType},
	}
	if spec.Type == resource.CLB {
		if spec.VSwitchID != "" {
			ch = append(ch, Change{Field: "vSwitchId", New: spec.VSwitchID})
		}
		if spec.InstanceSpec != "" {
			ch = append(ch, Change{Field: "spec", New: spec.InstanceSpec})
		}
		ch = append(ch, Change{Field: "payType", New: spec.PayType})
	} else {
		ch = append(ch, Change{Field: "edition", New: spec.Edition}, Change{Field: "vpcId", New: spec.VpcID})
		for _, z := range spec.Zones {
			ch = append(ch, Change{Field: "zone " + z.ZoneID, New: z.VSwitchID})
		}
	}
	return append(ch, Change{Field: "deletionProtection", New: fmt.Sprint(spec.DeletionProtection)})
}

// CreatedEpoch is the epoch of a plan on a load balancer the stack created:
// the epoch tag (if any) and the load balancer's ID. A created load balancer
// that `down` deleted takes its epoch tag with it; its successor has a new
// ID, so ClientTokens of steps on it never meet those of steps on the old.
func CreatedEpoch(epoch, lbID string) string { return epoch + "@" + lbID }

// lbPlan is what planLB decided for the load balancer itself.
type lbPlan struct {
	// head goes first in the load balancer's lane: its create, or its
	// in-place updates.
	head []Action
	// creates is set when head creates the plan's load balancer.
	creates bool
	// waits is set when head waits for the plan's load balancer, an ALB
	// still Provisioning (created by an interrupted run): if its creation
	// fails, the step deletes it and creates it again, so the load
	// balancer the rest of the plan runs on is known after apply.
	waits bool
	// failed go before head: the deletion of the load balancers the stack
	// created whose creation failed.
	failed []Action
	// old is the load balancer a replacement deletes (nil otherwise), and
	// oldUnprotect says its deletion protection must be turned off first.
	old          *resource.LoadBalancer
	oldUnprotect bool
	// oldListeners are the listeners on old, oldGroups the stack's vServer
	// groups on it (CLB): replaceTail deletes those the stack owns.
	oldListeners []resource.Listener
	oldGroups    []resource.ServerGroup
	// resumed says old is the old load balancer of a replacement an
	// interrupted run started (the snapshot's LB is the new one).
	resumed bool
	// named says head only waits for the load balancer the file names by
	// ID (planNamed).
	named bool
}

// lane is the start of the load balancer's lane: the failed load balancers'
// deletion, then head.
func (lp lbPlan) lane() []Action { return append(append([]Action{}, lp.failed...), lp.head...) }

// billableWarning says plainly, above the plan, that applying it starts a bill.
func billableWarning(a Action) string {
	st := a.LoadBalancer
	return fmt.Sprintf("this plan creates %s %s, a billable resource: it bills from its creation until it is deleted (`wsdeploy down` with deletionProtection: false), whatever traffic it serves (%s)",
		strings.ToUpper(st.Spec.Type), st.Spec.Name, strings.TrimPrefix(st.Billing, "billable: "))
}

// lbAddr is the address of the action on the stack's load balancer.
func lbAddr(op Op, kind string) Addr { return Addr{Op: op, Kind: KindLoadBalancer, Key: kind} }

// planLB plans the load balancer of a stack that creates it: a create when
// none carries the stack's tag (after the checks before any write, see
// inventory.CheckCreate), in-place updates for the name, deletion protection
// and the ALB edition changes UpdateLoadBalancerEdition makes, a replacement
// (-/+) for the settings the API cannot change in place.
func planLB(s *config.Stack, snap *inventory.Snapshot) (lbPlan, error) {
	var lp lbPlan
	if w, err := planNamed(s, snap); err != nil || w != nil {
		if w != nil {
			lp.head = []Action{*w}
			lp.named = true
		}
		return lp, err
	}
	want, ok := DesiredLB(s)
	if !ok || snap.Create == nil {
		return lp, nil
	}
	kind := strings.ToUpper(want.Type)
	failed := snap.Create.Failed()
	for _, f := range failed {
		lp.failed = append(lp.failed, deleteFailed(f, createFailedReason)...)
	}
	if f := snap.Create.Live(); len(f) > 1 && snap.Create.Replaced == nil {
		return lp, duplicateLBs(s, want, f)
	}
	createAction := func(reason, replaces string) Action {
		a := Action{
			ID: lbAddr(Create, want.Type), Op: Create, Kind: KindLoadBalancer, Name: want.Name, Reason: reason,
			Changes: lbFields(want),
			LoadBalancer: &LBStep{Spec: want, ClientToken: resource.LBClientToken(s.Stack, "", want),
				Billing: Billing(want), Replaces: replaces},
		}
		if want.Type == resource.CLB {
			a.LoadBalancer.ClientToken = "" // CLB creates are recovered by tag lookup (pkg/cloud/clb/lb.go)
		}
		return a
	}
	if snap.LB.ID == "" {
		if err := inventory.CheckCreate(s, snap.Create); err != nil {
			return lp, err
		}
		a := createAction("new, from "+want.Type+".create", "")
		if len(failed) > 0 {
			a = createAction(fmt.Sprintf("replaces %s %s: %s", kind, failed[len(failed)-1].ID, createFailedReason), failed[len(failed)-1].ID)
		}
		if del := snap.Create.Deleting(); len(del) > 0 {
			a.Reason += "; " + deletingNote(kind, del)
			for _, lb := range del {
				a.LoadBalancer.Deleting = append(a.LoadBalancer.Deleting, lb.ID)
			}
		}
		lp.head = append(lp.head, a)
		lp.creates = true
		return lp, nil
	}
	have := resource.LBSpec{Type: want.Type}
	if snap.LB.Spec != nil {
		have = *snap.LB.Spec
	}
	var inPlace, replace []Change
	var why []string // what the API allows, for fields that change in place for other values
	for _, d := range resource.DiffLBSpec(have, want) {
		c := Change{Field: d.Field, Old: d.Old, New: d.New}
		if d.InPlace {
			inPlace = append(inPlace, c)
		} else {
			replace = append(replace, c)
			if d.Why != "" {
				why = append(why, d.Why)
			}
		}
	}
	if r := snap.Create.Replaced; r != nil {
		// An interrupted replacement: snap.LB is the new one; finish it.
		if err := resumeReplacement(&lp, want, r); err != nil {
			return lp, err
		}
	}
	if len(replace) == 0 {
		// Not yet Active: created by a run that stopped while it waited.
		wait := snap.LB.Status != "" && !strings.EqualFold(snap.LB.Status, "Active") // CLB says active
		if len(inPlace) > 0 || wait {
			cur := have
			reason := "drifted"
			if wait {
				inPlace = append([]Change{{Field: "status", Old: snap.LB.Status, New: "Active"}}, inPlace...)
				reason = "created by an interrupted run: wait until it is Active"
				if snap.LB.Status == "Configuring" {
					reason = "a change is still in progress (an interrupted run's): wait until it is Active"
				}
			}
			a := Action{
				ID: lbAddr(Update, want.Type), Op: Update, Kind: KindLoadBalancer, Name: want.Name + " (" + snap.LB.ID + ")",
				Reason: reason, Changes: inPlace, LoadBalancer: &LBStep{ID: snap.LB.ID, Spec: want, Current: &cur, Wait: wait},
			}
			if have.Edition != want.Edition { // an in-place edition change (UpdateLoadBalancerEdition)
				a.LoadBalancer.Billing = editionBilling(want)
			}
			if wait && want.Type == resource.ALB && snap.LB.Status == "Provisioning" {
				// Its creation may still fail (CreateFailed): the step then
				// deletes it and creates the ALB again on the create's token chain.
				a.Reason += " (if its creation fails: deleted and created again)"
				a.LoadBalancer.ClientToken = resource.LBClientToken(s.Stack, "", want)
				lp.waits = true
			}
			lp.head = append(lp.head, a)
		}
		return lp, nil
	}
	if have.VpcID != want.VpcID {
		return lp, &ReplaceError{Kind: want.Type, ID: snap.LB.ID, Field: "vpcId", Old: have.VpcID, New: want.VpcID}
	}
	if have.DeletionProtection && want.DeletionProtection {
		return lp, &ReplaceError{Kind: want.Type, ID: snap.LB.ID, Field: replace[0].Field, Old: replace[0].Old, New: replace[0].New, Protected: true,
			Why: strings.Join(why, "; ")}
	}
	if err := inventory.CheckCreate(s, snap.Create); err != nil {
		return lp, err
	}
	reason := fmt.Sprintf("replaces %s %s: %s cannot change in place", kind, snap.LB.ID, fieldList(replace))
	if len(why) > 0 {
		reason += "; " + strings.Join(why, "; ")
	}
	a := createAction(reason, snap.LB.ID)
	a.Changes = replace
	for _, c := range lbFields(want) {
		if !slices.ContainsFunc(replace, func(r Change) bool { return r.Field == c.Field }) {
			a.Changes = append(a.Changes, c)
		}
	}
	lp.head = append(lp.head, a)
	lp.creates = true
	old := snap.LB
	lp.old = &old
	lp.oldUnprotect = have.DeletionProtection
	lp.oldListeners = snap.Listeners
	if want.Type == resource.CLB {
		// A CLB's vServer groups belong to it: the new CLB gets its own,
		// the old ones are deleted before the old CLB (replaceTail).
		lp.oldGroups = snap.ServerGroups
	}
	return lp, nil
}

// deletingNote says that load balancers the stack created are being
// deleted, and why the plan creates one instead of waiting for them.
func deletingNote(kind string, lbs []resource.LoadBalancer) string {
	var ids []string
	for _, lb := range lbs {
		ids = append(ids, lb.ID)
	}
	return fmt.Sprintf("%s %s of the stack is being deleted (not billed, it goes by itself; the create waits for it to go when its ClientToken answers it)",
		kind, strings.Join(ids, ", "))
}

func fieldList(cs []Change) string {
	var f []string
	for _, c := range cs {
		f = append(f, c.Field)
	}
	return strings.Join(f, ", ")
}

// replaceTail plans the end of a replacement: once the DNS record points at
// the new load balancer (after), the stack's listeners on the old one go,
// then (its deletion protection off, when it was on) the old one itself.
func replaceTail(s *config.Stack, lp lbPlan, after []Addr) []Action {
	old, listeners, groups := lp.old, lp.oldListeners, lp.oldGroups
	on := &Target{Type: old.Type, ID: old.ID}
	where := " on " + strings.ToUpper(old.Type) + " " + old.ID
	var out []Action
	prev := after
	chain := func(a Action) {
		a.ID.LB = old.ID
		a.On = on
		a.DependsOn = prev
		prev = []Addr{a.ID}
		out = append(out, a)
	}
	for _, l := range listeners {
		if resource.OwnedBy(l.Tags, s.Stack) {
			a := listenerDelete(l, "its load balancer is replaced")
			a.Name += where
			chain(a)
		}
	}
	for _, g := range groups { // CLB: vServer groups of the old CLB
		chain(Action{
			ID: Addr{Op: Delete, Kind: KindServerGroup, Key: g.ID}, Op: Delete, Kind: KindServerGroup, Name: g.Name + " (" + g.ID + ")" + where,
			Reason: "its load balancer is replaced", ServerGroup: &ServerGroupStep{ID: g.ID, Spec: g},
		})
	}
	if lp.oldUnprotect {
		spec := *old.Spec
		spec.DeletionProtection = false
		chain(Action{
			ID: lbAddr(Update, old.Type), Op: Update, Kind: KindLoadBalancer, Name: old.Name + " (" + old.ID + ")",
			Reason:       "release deletion protection before the replacement deletes it",
			Changes:      []Change{{Field: "deletionProtection", Old: "true", New: "false"}},
			LoadBalancer: &LBStep{ID: old.ID, Spec: spec, Current: old.Spec},
		})
	}
	chain(Action{
		ID: lbAddr(Delete, old.Type), Op: Delete, Kind: KindLoadBalancer, Name: old.Name + " (" + old.ID + ")",
		Reason: "replaced", LoadBalancer: &LBStep{ID: old.ID, Spec: *old.Spec},
	})
	return out
}

// ReplaceError refuses a replacement wsdeploy will not plan: a move to
// another VPC (the server group and the backends are in the VPC), or the
// replacement of a load balancer whose deletion protection stays on.
type ReplaceError struct {
	Kind, ID        string
	Field, Old, New string
	Protected       bool
	// Why says what the API allows, for a field that changes in place for
	// other values (an ALB edition).
	Why string
}

func (e *ReplaceError) Error() string {
	k := strings.ToUpper(e.Kind)
	if e.Protected {
		cannot := "it cannot change in place"
		if e.Why != "" {
			cannot = e.Why
		}
		return fmt.Sprintf("%s.create.%s: changing %s → %s replaces %s %s (%s), and its deletion protection is on", e.Kind, e.Field, e.Old, e.New, k, e.ID, cannot)
	}
	return fmt.Sprintf("%s.create.%s: the stack's %s %s is in %s; wsdeploy does not move a stack to another VPC (%s) in place", e.Kind, e.Field, k, e.ID, e.Old, e.New)
}

// Hint says how to go on.
func (e *ReplaceError) Hint() string {
	if e.Protected {
		return fmt.Sprintf("set %s.create.deletionProtection: false together with the change, and run `wsdeploy up` again: the plan then replaces %s (-/+) after asking you; "+
			"or undo the change to keep it", e.Kind, e.ID)
	}
	return fmt.Sprintf("the backends and the server group live in the VPC: set %s.create.deletionProtection: false, run `wsdeploy up`, then `wsdeploy down` to remove the stack from %s, "+
		"then change vpcId (and the backends) and run `wsdeploy up`; or undo the change", e.Kind, e.Old)
}

// AddLBTeardown adds to a teardown the deletion of the load balancer the
// stack created (found by its tag), after everything else of the plan;
// keep leaves it in place (down --keep-lb). A load balancer named by ID is
// never deleted: only a stack that creates its load balancer finds one. With
// deletion protection on, it refuses (a *ProtectedError) and the teardown
// must not run.
func AddLBTeardown(p *Plan, s *config.Stack, snap *inventory.Snapshot, keep bool) error {
	if snap.Create == nil {
		return nil
	}
	// Two or more carry the stack's tag: a replacement was interrupted.
	// Taking down one would leave the other, and what the stack has on it.
	if live := snap.Create.Live(); len(live) > 1 {
		e := &UnfinishedReplaceError{Kind: live[0].Type}
		for _, lb := range live {
			e.IDs = append(e.IDs, lb.ID)
		}
		return e
	}
	if keep {
		return nil
	}
	// Those whose creation failed go too: nothing can be on them.
	for _, f := range snap.Create.Failed() {
		acts := deleteFailed(f, "teardown; the stack created it, and its creation failed (CreateFailed, not billed)")
		for i := 1; i < len(acts); i++ {
			acts[i].DependsOn = []Addr{acts[i-1].ID}
		}
		p.Actions = append(p.Actions, acts...)
	}
	p.Summary = summarize(p.Actions)
	if snap.LB.ID == "" {
		return nil
	}
	lb := snap.LB
	spec := resource.LBSpec{Type: lb.Type}
	if lb.Spec != nil {
		spec = *lb.Spec
	}
	if spec.DeletionProtection {
		return &ProtectedError{Kind: lb.Type, ID: lb.ID, Name: lb.Name}
	}
	var foreign []string
	for _, l := range snap.Listeners {
		if !resource.OwnedBy(l.Tags, s.Stack) {
			foreign = append(foreign, l.Name()+" ("+l.ID+")")
		}
	}
	if len(foreign) > 0 {
		return &ForeignOnLBError{Kind: lb.Type, ID: lb.ID, Listeners: foreign}
	}
	var after []Addr
	for _, a := range p.Actions {
		if a.On == nil {
			after = append(after, a.ID)
		}
	}
	p.Actions = append(p.Actions, Action{
		ID: lbAddr(Delete, lb.Type), Op: Delete, Kind: KindLoadBalancer, Name: lb.Name + " (" + lb.ID + ")",
		Reason: "teardown; the stack created it", DependsOn: after,
		LoadBalancer: &LBStep{ID: lb.ID, Spec: spec},
	})
	p.Summary = summarize(p.Actions)
	return nil
}

// ProtectedError refuses to delete a created load balancer whose deletion
// protection is on.
type ProtectedError struct{ Kind, ID, Name string }

func (e *ProtectedError) Error() string {
	return fmt.Sprintf("down: %s %s (%s), which this stack created, has deletion protection on; nothing was changed", strings.ToUpper(e.Kind), e.ID, e.Name)
}

// Hint names the two ways on.
func (e *ProtectedError) Hint() string {
	return fmt.Sprintf("to delete it, set %s.create.deletionProtection: false in the stack file, run `wsdeploy up` (it turns the protection off), then `wsdeploy down`; "+
		"to keep it and remove everything else, run `wsdeploy down --keep-lb`", e.Kind)
}

// knownAfterApply marks the DNS actions that point the name at a load
// balancer still to create: their value comes from the action from.
func knownAfterApply(acts []Action, from Addr) {
	for i := range acts {
		a := &acts[i]
		if a.Record == nil || a.Op == Delete || a.Record.Record.Value != "" {
			continue
		}
		a.Record.Record.Value = KnownAfterApply
		a.Record.ValueFrom = from
		a.DependsOn = append(a.DependsOn, from)
		for j := range a.Changes {
			if a.Changes[j].Field == "value" {
				a.Changes[j].New = KnownAfterApply
			}
		}
	}
}

// clbBilling says what a CLB of spec bills: the instance (by capacity units,
// or by spec, which the cloud no longer sells), and for an internet CLB its
// public address's traffic.
func clbBilling(spec resource.LBSpec) string {
	s := "billable: CLB pay-as-you-go by capacity units (PayByCLCU): an hourly instance fee plus the CLCUs used"
	if spec.PayType != config.PayByCLCU {
		s = "billable: CLB pay-as-you-go by spec " + spec.InstanceSpec + ": an hourly fee for the spec, used or not" +
			" (pay-by-spec CLBs are no longer sold since 2025-06-01: the create may be refused; payType: PayByCLCU is the current way)"
	}
	if spec.AddressType == config.CLBInternet {
		s += "; internet: a public IP address, its outbound traffic billed by the GB"
	}
	return s
}

// ForeignOnLBError refuses to delete a created load balancer that holds
// listeners the stack does not own.
type ForeignOnLBError struct {
	Kind, ID  string
	Listeners []string
}

func (e *ForeignOnLBError) Error() string {
	return fmt.Sprintf("down: %s %s, which this stack created, also holds listeners it does not own: %s; nothing was changed",
		strings.ToUpper(e.Kind), e.ID, strings.Join(e.Listeners, ", "))
}

// Hint says how to go on without deleting what the stack does not own.
func (e *ForeignOnLBError) Hint() string {
	return "wsdeploy deletes nothing it does not own: remove those listeners (or move them elsewhere) and run `wsdeploy down` again, " +
		"or keep the load balancer and remove the rest of the stack with `wsdeploy down --keep-lb`"
}

// UnfinishedReplaceError refuses a teardown while two or more load balancers
// carry the stack's tag: a replacement of the created one was interrupted,
// and taking down one of them would leave the other, and what the stack has
// on it, behind.
type UnfinishedReplaceError struct {
	Kind string
	IDs  []string
}

func (e *UnfinishedReplaceError) Error() string {
	return fmt.Sprintf("down: %d %ss carry this stack's tag (%s): a replacement was interrupted; nothing was changed",
		len(e.IDs), strings.ToUpper(e.Kind), strings.Join(e.IDs, ", "))
}

// Hint says how to get back to one load balancer, then down.
func (e *UnfinishedReplaceError) Hint() string {
	return "run `wsdeploy up` with the stack file to finish the replacement (it keeps the load balancer that matches the file and deletes the other), " +
		"then `wsdeploy down`; if neither matches the file, delete the one you do not want in the console (after moving anything you added to it), then run `wsdeploy down`"
}
