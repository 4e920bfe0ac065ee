package inventory

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// SecurityGroups is what the inventory needs of ECS to read security groups.
type SecurityGroups interface {
	// SecurityGroup reads a group and its inbound rules (one call per group).
	SecurityGroup(ctx context.Context, id string) (resource.SecurityGroup, error)
	// SecurityGroupIDsInVPC lists the groups of a VPC.
	SecurityGroupIDsInVPC(ctx context.Context, vpc string) ([]string, error)
}

// Network is what the security groups of the stack's instances hold.
type Network struct {
	// Backends are the backends' instances, in config order (ForUp).
	Backends []resource.Instance `json:"backends,omitempty"`
	// Redis is the instance app.deploy.redis.instance names (ForUp; nil when none).
	Redis *resource.Instance `json:"redis,omitempty"`
	// Groups are the security groups read, by ID: the instances' (ForUp) or
	// every group of the load balancer's VPC (ForDown, to find the stack's rules).
	Groups map[string]resource.SecurityGroup `json:"groups"`
}

// readNetwork reads the security groups of the backends and of the Redis
// instance: one read per group, all at once. insts is the listing of the
// load balancer's VPC that resolve made.
func (r Reader) readNetwork(ctx context.Context, s *config.Stack, backends []resource.Backend, insts []resource.Instance, vpc string) (*Network, error) {
	byID := map[string]resource.Instance{}
	byName := map[string][]resource.Instance{}
	for _, in := range insts {
		byID[in.ID] = in
		byName[in.Name] = append(byName[in.Name], in)
	}
	n := &Network{Groups: map[string]resource.SecurityGroup{}}
	for _, b := range backends {
		n.Backends = append(n.Backends, byID[b.InstanceID])
	}
	if ref := s.RedisInstance(); ref != "" {
		in, ok := byID[ref]
		if !isInstanceID(ref) {
			switch xs := byName[ref]; len(xs) {
			case 1:
				in, ok = xs[0], true
			case 0:
			default:
				return nil, &ResolveError{Problems: []string{fmt.Sprintf("app.deploy.redis.instance: %d ECS instances are named %q; use the instance ID instead", len(xs), ref)}}
			}
		}
		if !ok {
			return nil, &ResolveError{Problems: []string{fmt.Sprintf("app.deploy.redis.instance: no ECS instance %q in the load balancer's VPC %s (region %s); the backends reach Redis at its private address, so it must be in their VPC", ref, vpc, s.Region)}}
		}
		n.Redis = &in
	}
	var ids []string
	seen := map[string]bool{}
	add := func(in resource.Instance) {
		for _, id := range in.SecurityGroupIDs {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	for _, in := range n.Backends {
		add(in)
	}
	if n.Redis != nil {
		add(*n.Redis)
	}
	groups, err := r.readGroups(ctx, ids)
	n.Groups = groups
	return n, err
}

// readVPCGroups reads every security group of a VPC (for down: the stack's
// rules may be in any of them).
func (r Reader) readVPCGroups(ctx context.Context, vpc string) (*Network, error) {
	if r.SG == nil {
		return nil, fmt.Errorf("read the security groups of %s: no ECS client", vpc)
	}
	ids, err := r.SG.SecurityGroupIDsInVPC(ctx, vpc)
	if err != nil {
		return nil, fmt.Errorf("list the security groups of %s: %w", vpc, err)
	}
	sort.Strings(ids)
	groups, err := r.readGroups(ctx, ids)
	return &Network{Groups: groups}, err
}

// readGroups reads groups concurrently, one call each.
func (r Reader) readGroups(ctx context.Context, ids []string) (map[string]resource.SecurityGroup, error) {
	out := map[string]resource.SecurityGroup{}
	if len(ids) == 0 {
		return out, nil
	}
	if r.SG == nil {
		return nil, fmt.Errorf("read security groups: no ECS client")
	}
	var mu sync.Mutex
	w := newReads(ctx)
	for _, id := range ids {
		w.Go(func(ctx context.Context) error {
			g, err := r.SG.SecurityGroup(ctx, id)
			if err != nil {
				return fmt.Errorf("read security group %s: %w", id, err)
			}
			mu.Lock()
			out[id] = g
			mu.Unlock()
			return nil
		})
	}
	return out, w.Wait()
}
