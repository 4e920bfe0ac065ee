package inventory

import (
	"context"
	"fmt"
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
	// is then the snapshot's LB.
	Found []resource.LoadBalancer `json:"found,omitempty"`
	// The rest is read (ForUp) only while the load balancer is still to be
	// created, for the checks before the first write (plan.CheckCreate):
	// the VPC (nil when it does not exist), the vSwitches the config names
	// that exist, by ID, and the zones where the kind can be created
	// (nil when the kind has no zone list).
	VPC       *resource.VPC               `json:"vpc,omitempty"`
	VSwitches map[string]resource.VSwitch `json:"vSwitches,omitempty"`
	Zones     []string                    `json:"zones,omitempty"`
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
	if len(found) > 0 {
		snap.LB = found[0]
	} else {
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
