package apply

import (
	"context"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// LBMaker is what the engine needs, besides Executor, to carry out the
// load-balancer steps of a stack that creates its load balancer
// (plan.KindLoadBalancer). The ALB and CLB executors implement it; the
// engine finds it on the Executor of the step's kind (a type assertion), so
// executors of stacks that never create one need not.
type LBMaker interface {
	// CreateLB creates a load balancer with spec (its tags in the create
	// call) and waits until it is Active, reporting progress. token is the
	// step's ClientToken (ALB: plan.LBStep.ClientToken, stable per stack,
	// epoch and spec, so a re-run after a crash gets the same load balancer);
	// CLB, which has none, recovers a lost answer by looking the load
	// balancer up by its tag. It returns the load balancer with its ID and
	// DNS name (ALB) or address (CLB).
	CreateLB(ctx context.Context, spec resource.LBSpec, token string, p cloud.Progress) (resource.LoadBalancer, error)
	// RenameLB sets the name of a load balancer (ALB UpdateLoadBalancerAttribute).
	RenameLB(ctx context.Context, id, name, token string, p cloud.Progress) error
	// SetDeletionProtection turns deletion protection on or off.
	SetDeletionProtection(ctx context.Context, id string, on bool, token string, p cloud.Progress) error
	// DeleteLB deletes a load balancer and waits until it is gone; deleting
	// one already gone succeeds.
	DeleteLB(ctx context.Context, id, token string, p cloud.Progress) error
}
