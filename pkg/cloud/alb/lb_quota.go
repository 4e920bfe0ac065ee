package alb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// quotaFull reports whether err is the account's quota refusing a create
// (QuotaExceeded.*, such as QuotaExceeded.LoadBalancersNum).
func quotaFull(err error) bool {
	var e *cloud.Error
	return errors.As(err, &e) && strings.HasPrefix(e.Code, "QuotaExceeded")
}

// CreateLBAfterDeleting is CreateLB for a plan that saw instances of the
// stack being deleted (deleting; see apply.LBQuotaWaiter and
// createAfterDeleting).
func (x Executor) CreateLBAfterDeleting(ctx context.Context, spec resource.LBSpec, token string, deleting []string, p cloud.Progress) (resource.LoadBalancer, error) {
	return x.createLoop(ctx, spec, token, nil, deleting, p)
}

// createAfterDeleting sends the create of spec with token. An ALB instance
// being deleted still counts against the account's instance quota until it
// is gone (pkg/fakecloud/doc.go, "ALB instance quota"), so `up` right after
// a `down` that deleted the stack's ALB (or was stopped while it did) may be
// refused for the quota. When the create is refused so, it looks at the
// stack's instances (its owner tag): those being deleted
// (resource.LBStatusDeleting, as the inventory sees them) are waited for
// until they are gone, with progress, paced as a DeleteLoadBalancer's work
// (cloud.Waits), and the create is sent once more. So it is, at once, when
// one that the plan saw being deleted (known) has gone since the plan. Any
// other refusal, or a quota full with nothing of the stack going, is
// returned as it came.
func (x Executor) createAfterDeleting(ctx context.Context, spec resource.LBSpec, token string, known []string, p cloud.Progress) (string, error) {
	id, err := x.c.createLB(ctx, spec, token)
	owner := spec.Tags[resource.OwnerTagKey]
	if !quotaFull(err) || owner == "" {
		return id, err
	}
	lbs, lerr := x.c.ListLoadBalancersByTag(ctx, resource.OwnerTagKey, owner)
	if lerr != nil {
		return "", errors.Join(err, fmt.Errorf("look for an ALB of the stack being deleted: %w", lerr))
	}
	var going, gone []string
	for _, lb := range lbs {
		if lb.Status == resource.LBStatusDeleting {
			going = append(going, lb.ID)
		}
	}
	for _, k := range known {
		if !slices.ContainsFunc(lbs, func(lb resource.LoadBalancer) bool { return lb.ID == k }) {
			gone = append(gone, k)
		}
	}
	switch {
	case len(going) == 0 && len(gone) == 0:
		return "", err
	case len(going) == 0:
		if p != nil {
			p("the account's ALB quota was full while "+strings.Join(gone, ", ")+" of the stack was being deleted; it is gone now: creating again", cloud.Notice)
		}
		return x.c.createLB(ctx, spec, token)
	}
	which := strings.Join(going, ", ")
	if p != nil {
		p("the account's ALB quota is full, and "+which+" of the stack, being deleted, still counts against it: waiting until it is gone, then creating again", cloud.Notice)
	}
	start := time.Now()
	werr := x.c.api.Config.Waits.Wait(ctx, "alb/DeleteLoadBalancer", func(ctx context.Context) (bool, error) {
		for len(going) > 0 {
			_, err := x.c.readLB(ctx, going[0])
			if !lbNotFound(err) {
				if err == nil && p != nil {
					p(going[0]+" still being deleted", time.Since(start))
				}
				return false, err
			}
			going = going[1:]
		}
		return true, nil
	})
	if werr != nil {
		return "", errors.Join(err, fmt.Errorf("wait until %s of the stack is deleted: %w", which, werr))
	}
	return x.c.createLB(ctx, spec, token)
}
