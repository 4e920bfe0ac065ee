package inventory

import (
	"context"
	"fmt"
	"sort"
	"strings"

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
