package inventory

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// LBFinder is what the inventory needs of a load-balancer API (ALB or CLB
// client) to find the load balancers a stack created: by the stack's owner
// tag (resource.OwnerTagKey = stack), which the create call itself sets.
// The listed load balancers carry Spec (their create settings as read).
type LBFinder interface {
	ListLoadBalancersByTag(ctx context.Context, key, value string) ([]resource.LoadBalancer, error)
}

// ZoneLister lists the zones of the region where a load balancer of the
// client's kind can be created (ALB DescribeZones).
type ZoneLister interface {
	LBZones(ctx context.Context) ([]string, error)
}

// VPC is what the pre-create checks need of the VPC API.
type VPC interface {
	// GetVPC reads a VPC; found is false when it does not exist.
	GetVPC(ctx context.Context, id string) (vpc resource.VPC, found bool, err error)
	// GetVSwitches reads the vSwitches with these IDs; missing ones are left out.
	GetVSwitches(ctx context.Context, ids []string) ([]resource.VSwitch, error)
}

// CreateState is what the inventory reads for a stack whose load balancer
// wsdeploy creates (config alb.create / clb.create).
type CreateState struct {
	// Found are the load balancers of the stack's kind carrying its owner
	// tag, oldest ID first: normally none (not created yet) or one, which
	// is then the snapshot's LB; one whose creation failed (Failed) never
	// is.
	Found []resource.LoadBalancer `json:"found,omitempty"`
	// Replaced is set (ForUp) when a replacement was interrupted: exactly
	// two live load balancers carry the tag, one matches the file (it is
	// the snapshot's LB) and the other does not (this one, still to go).
	Replaced *ReplacedLB `json:"replaced,omitempty"`
	// The rest is read (ForUp) only while the load balancer is still to be
	// created, for the checks before the first write (CheckCreate):
	// the VPC (nil when it does not exist), the vSwitches the config names
	// that exist, by ID, and the zones where the kind can be created
	// (nil when the kind has no zone list).
	VPC       *resource.VPC               `json:"vpc,omitempty"`
	VSwitches map[string]resource.VSwitch `json:"vSwitches,omitempty"`
	Zones     []string                    `json:"zones,omitempty"`
}

// CreateFailed reports whether lb's creation failed (ALB status
// CreateFailed: not billed, only deletable). The stack never builds on one.
func CreateFailed(lb resource.LoadBalancer) bool { return lb.Status == resource.LBStatusCreateFailed }

// Failed are the found load balancers whose creation failed (ALB
// CreateFailed): up deletes them and creates the load balancer again, down
// deletes them.
func (cs *CreateState) Failed() []resource.LoadBalancer {
	var out []resource.LoadBalancer
	for _, lb := range cs.Found {
		if CreateFailed(lb) {
			out = append(out, lb)
		}
	}
	return out
}

// Deleting reports whether lb is being deleted (ALB: its DeleteLoadBalancer
// job still running, resource.LBStatusDeleting): it is not billed and goes
// by itself; the stack never builds on one.
func Deleting(lb resource.LoadBalancer) bool { return lb.Status == resource.LBStatusDeleting }

// Deleting are the found load balancers being deleted (by a run that was
// stopped while it deleted them, or by hand): a plan creates the stack's
// load balancer rather than wait for one of them.
func (cs *CreateState) Deleting() []resource.LoadBalancer {
	var out []resource.LoadBalancer
	for _, lb := range cs.Found {
		if Deleting(lb) {
			out = append(out, lb)
		}
	}
	return out
}

// Live are the other found load balancers (neither failed nor being
// deleted): normally none or one, the snapshot's LB.
func (cs *CreateState) Live() []resource.LoadBalancer {
	var out []resource.LoadBalancer
	for _, lb := range cs.Found {
		if !CreateFailed(lb) && !Deleting(lb) {
			out = append(out, lb)
		}
	}
	return out
}

// DesiredLB is the spec of the load balancer s asks wsdeploy to create (its
// defaults applied), tagged with the stack; ok is false when s names an
// existing one by ID.
func DesiredLB(s *config.Stack) (spec resource.LBSpec, ok bool) {
	c := s.LBCreate()
	if c == nil {
		return resource.LBSpec{}, false
	}
	spec = resource.LBSpec{
		Type: s.LB, Name: c.Name, AddressType: c.AddressType,
		DeletionProtection: c.DeletionProtected(), Tags: map[string]string{resource.OwnerTagKey: s.Stack},
	}
	if s.LB == config.LBCLB {
		spec.VSwitchID, spec.InstanceSpec, spec.PayType = c.VSwitchID, c.Spec, c.PayType
		return spec, true
	}
	spec.Edition, spec.VpcID = c.Edition, c.VpcID
	for _, z := range c.Zones {
		spec.Zones = append(spec.Zones, resource.ZoneMapping{ZoneID: z.ZoneID, VSwitchID: z.VSwitchID})
	}
	return spec, true
}

// Matches reports whether the load balancer the stack created (have) is the
// one the file asks for (want): only settings the API changes in place (name,
// deletion protection) may differ.
func Matches(have, want resource.LBSpec) bool {
	for _, d := range resource.DiffLBSpec(have, want) {
		if !d.InPlace {
			return false
		}
	}
	return true
}

// ReplacedLB is the old load balancer of a replacement a run started and
// did not finish: what the stack owns on it still has to go, then it does.
type ReplacedLB struct {
	LB resource.LoadBalancer `json:"lb"`
	// Listeners are every listener on it; Groups its vServer groups the
	// stack owns (CLB: they belong to the CLB; an ALB's server group is
	// the region's and moves to the new ALB).
	Listeners []resource.Listener    `json:"listeners,omitempty"`
	Groups    []resource.ServerGroup `json:"groups,omitempty"`
}

// resumable picks, among exactly two live load balancers the stack created,
// the one that matches the file (the new one of an interrupted replacement)
// and the one that does not (the old one); ok is false in any other case
// (both match, neither does), which stays a conflict.
func resumable(live []resource.LoadBalancer, want resource.LBSpec) (cur, old resource.LoadBalancer, ok bool) {
	if len(live) != 2 {
		return cur, old, false
	}
	m0, m1 := live[0].Spec != nil && Matches(*live[0].Spec, want), live[1].Spec != nil && Matches(*live[1].Spec, want)
	switch {
	case m0 && !m1:
		return live[0], live[1], true
	case m1 && !m0:
		return live[1], live[0], true
	}
	return cur, old, false
}

// findCreated lists the load balancers of a kind the stack created.
func findCreated(ctx context.Context, api any, kind, stack string) ([]resource.LoadBalancer, error) {
	f, ok := api.(LBFinder)
	if !ok {
		return nil, fmt.Errorf("find the %s of stack %s: this %s client cannot list load balancers by tag", strings.ToUpper(kind), stack, strings.ToUpper(kind))
	}
	lbs, err := f.ListLoadBalancersByTag(ctx, resource.OwnerTagKey, stack)
	if err != nil {
		return nil, fmt.Errorf("find the %s of stack %s by its tag %s=%s: %w", strings.ToUpper(kind), stack, resource.OwnerTagKey, stack, err)
	}
	var out []resource.LoadBalancer
	for _, lb := range lbs {
		if resource.OwnedBy(lb.Tags, stack) {
			out = append(out, lb)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// readCreate finds the load balancer a stack that creates its own made (by
// its tag) and makes it the snapshot's LB; before it exists, the snapshot's
// LB is only its kind, name and VPC (ALB: create.vpcId), with no ID. For up
// (ForUp) it adds to w the reads of the checks before the first write: the
// VPC, the vSwitches the config names and the zones of the kind.
func (r Reader) readCreate(ctx context.Context, w *reads, s *config.Stack, c *config.LBCreate, mode Mode, snap *Snapshot) error {
	var api any = r.ALB
	if s.LB == config.LBCLB {
		api = r.CLB
	}
	found, err := findCreated(ctx, api, s.LB, s.Stack)
	if err != nil {
		return err
	}
	cs := &CreateState{Found: found}
	snap.Create = cs
	live := cs.Live()
	want, _ := DesiredLB(s)
	if cur, old, ok := resumable(live, want); ok && mode == ForUp {
		snap.LB = cur
		cs.Replaced = &ReplacedLB{LB: old}
		r.readReplaced(w, s, cs.Replaced)
	} else if len(live) > 0 {
		snap.LB = live[0]
	} else { // none yet, or only instances whose creation failed (Failed) or being deleted
		snap.LB = resource.LoadBalancer{Type: s.LB, Name: c.Name, VpcID: c.VpcID}
	}
	if mode != ForUp {
		return nil
	}
	if r.VPC == nil {
		return fmt.Errorf("check the network of the %s to create: no VPC client", strings.ToUpper(s.LB))
	}
	var vsws []string
	for _, z := range c.Zones {
		vsws = append(vsws, z.VSwitchID)
	}
	if c.VSwitchID != "" {
		vsws = append(vsws, c.VSwitchID)
	}
	if c.VpcID != "" {
		w.Go(func(ctx context.Context) error {
			v, ok, err := r.VPC.GetVPC(ctx, c.VpcID)
			if err != nil {
				return fmt.Errorf("read VPC %s: %w", c.VpcID, err)
			}
			if ok {
				cs.VPC = &v
			}
			return nil
		})
	}
	if len(vsws) > 0 {
		w.Go(func(ctx context.Context) error {
			list, err := r.VPC.GetVSwitches(ctx, vsws)
			if err != nil {
				return fmt.Errorf("read vSwitches %s: %w", strings.Join(vsws, ", "), err)
			}
			cs.VSwitches = map[string]resource.VSwitch{}
			for _, v := range list {
				cs.VSwitches[v.ID] = v
			}
			// A CLB's VPC is its vSwitch's.
			if v, ok := cs.VSwitches[c.VSwitchID]; ok && snap.LB.ID == "" && snap.LB.VpcID == "" {
				snap.LB.VpcID = v.VpcID
			}
			return nil
		})
	}
	if zl, ok := api.(ZoneLister); ok {
		w.Go(func(ctx context.Context) error {
			zones, err := zl.LBZones(ctx)
			if err != nil {
				return fmt.Errorf("list the zones where %s can be created: %w", strings.ToUpper(s.LB), err)
			}
			cs.Zones = zones
			return nil
		})
	}
	return nil
}

// readReplaced adds to w the reads of what is on the old load balancer of
// an interrupted replacement: its listeners and (CLB) the stack's vServer
// groups on it.
func (r Reader) readReplaced(w *reads, s *config.Stack, old *ReplacedLB) {
	api := r.lb(s.LB)
	w.Go(func(ctx context.Context) error {
		ls, err := api.listeners(ctx, old.LB.ID)
		if err != nil {
			return fmt.Errorf("list listeners of the replaced %s %s: %w", api.kind, old.LB.ID, err)
		}
		sort.Slice(ls, func(i, j int) bool { return ls[i].Port < ls[j].Port })
		old.Listeners = ls
		return nil
	})
	if s.LB != config.LBCLB {
		return
	}
	w.Go(func(ctx context.Context) error {
		groups, err := api.ownedGroups(ctx, old.LB.ID, s.Stack)
		if err != nil {
			return fmt.Errorf("list the vServer groups of stack %s on the replaced CLB %s: %w", s.Stack, old.LB.ID, err)
		}
		sort.Slice(groups, func(i, j int) bool { return groups[i].ID < groups[j].ID })
		old.Groups = groups
		return nil
	})
}

// PrecheckError lists what the cloud will refuse about a load balancer to
// create, found before any write: a VPC or vSwitch that does not exist, a
// vSwitch in another VPC or zone, a zone without the product.
type PrecheckError struct {
	Kind     string
	Problems []string
}

func (e *PrecheckError) Error() string {
	return fmt.Sprintf("the %s to create cannot be created as %s.create says (nothing was changed):\n  %s", strings.ToUpper(e.Kind), e.Kind, strings.Join(e.Problems, "\n  "))
}

// Hint says how to fix it.
func (e *PrecheckError) Hint() string {
	return fmt.Sprintf("fix %s.create in the stack file: name a VPC of the region and, for each zone, a vSwitch of that VPC in that zone "+
		"(the VPC console lists them per zone); then run `wsdeploy plan` to check again", e.Kind)
}

// CheckCreate checks, before any write, what the cloud would refuse about
// creating the load balancer s asks for (alb.create / clb.create): the VPC exists, each vSwitch exists, is in the VPC and in
// the zone named, and each zone supports the product.
func CheckCreate(s *config.Stack, cs *CreateState) error {
	c := s.LBCreate()
	if c == nil || cs == nil {
		return nil
	}
	want := resource.LBSpec{Type: s.LB, VpcID: c.VpcID, VSwitchID: c.VSwitchID}
	for _, z := range c.Zones {
		want.Zones = append(want.Zones, resource.ZoneMapping{ZoneID: z.ZoneID, VSwitchID: z.VSwitchID})
	}
	var probs []string
	p := want.Type + ".create"
	if want.VpcID != "" && cs.VPC == nil {
		probs = append(probs, fmt.Sprintf("%s.vpcId: VPC %s does not exist in region %s", p, want.VpcID, s.Region))
	}
	for i, z := range want.Zones {
		zp := fmt.Sprintf("%s.zones[%d]", p, i)
		w, ok := cs.VSwitches[z.VSwitchID]
		switch {
		case !ok:
			probs = append(probs, fmt.Sprintf("%s.vSwitchId: vSwitch %s does not exist in region %s", zp, z.VSwitchID, s.Region))
		case w.VpcID != want.VpcID:
			probs = append(probs, fmt.Sprintf("%s.vSwitchId: vSwitch %s belongs to VPC %s, not to %s (vpcId)", zp, z.VSwitchID, w.VpcID, want.VpcID))
		case w.ZoneID != z.ZoneID:
			probs = append(probs, fmt.Sprintf("%s: vSwitch %s is in zone %s, not in %s; use zoneId: %s, or a vSwitch of zone %s", zp, z.VSwitchID, w.ZoneID, z.ZoneID, w.ZoneID, z.ZoneID))
		}
		if cs.Zones != nil && !slices.Contains(cs.Zones, z.ZoneID) {
			probs = append(probs, fmt.Sprintf("%s.zoneId: zone %s does not support %s in region %s; zones that do: %s", zp, z.ZoneID, strings.ToUpper(want.Type), s.Region, strings.Join(cs.Zones, ", ")))
		}
	}
	if want.VSwitchID != "" {
		if _, ok := cs.VSwitches[want.VSwitchID]; !ok {
			probs = append(probs, fmt.Sprintf("%s.vSwitchId: vSwitch %s does not exist in region %s", p, want.VSwitchID, s.Region))
		}
	}
	if len(probs) > 0 {
		return &PrecheckError{Kind: want.Type, Problems: probs}
	}
	return nil
}

// StackLB reads the stack's load balancer: the one the file names by ID,
// or the one the stack created (found by its tag; an error when there is
// none yet).
func (r Reader) StackLB(ctx context.Context, s *config.Stack) (resource.LoadBalancer, error) {
	api := r.lb(s.LB)
	if s.CreatesLB() {
		var finder any = r.ALB
		if s.LB == config.LBCLB {
			finder = r.CLB
		}
		found, err := findCreated(ctx, finder, s.LB, s.Stack)
		if err != nil {
			return resource.LoadBalancer{}, err
		}
		if len(found) == 0 {
			return resource.LoadBalancer{}, fmt.Errorf("no %s carries the tag %s=%s: the stack has not created its load balancer yet (run `wsdeploy up`)",
				api.kind, resource.OwnerTagKey, s.Stack)
		}
		cs := CreateState{Found: found}
		if live := cs.Live(); len(live) > 0 {
			return live[0], nil
		}
		return found[0], nil // its creation failed: its status says so
	}
	return api.get(ctx, s.LBID())
}
