package apply

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
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
	// step's ClientToken (ALB: plan.LBStep.ClientToken, stable per stack
	// and spec, so a re-run after a crash gets the same load balancer);
	// CLB, which has none, recovers a lost answer by looking the load
	// balancer up by its tag. It returns the load balancer with its ID and
	// DNS name (ALB) or address (CLB).
	CreateLB(ctx context.Context, spec resource.LBSpec, token string, p cloud.Progress) (resource.LoadBalancer, error)
	// WaitLB waits until a load balancer (one an interrupted run created) is Active.
	WaitLB(ctx context.Context, id string, p cloud.Progress) (resource.LoadBalancer, error)
	// RenameLB sets the name of a load balancer (ALB UpdateLoadBalancerAttribute).
	RenameLB(ctx context.Context, id, name, token string, p cloud.Progress) error
	// SetDeletionProtection turns deletion protection on or off.
	SetDeletionProtection(ctx context.Context, id string, on bool, token string, p cloud.Progress) error
	// DeleteLB deletes a load balancer and waits until it is gone; deleting
	// one already gone succeeds.
	DeleteLB(ctx context.Context, id, token string, p cloud.Progress) error
}

// LBRecreator is, besides LBMaker, what an executor offers whose load
// balancers can end their creation failed (ALB CreateFailed): WaitOrCreateLB
// waits until id (one an interrupted run created) is Active and, when its
// creation failed, deletes it and creates the load balancer again with spec
// along the create's token chain from token (plan.LBStep.ClientToken of the
// wait step). It returns the Active load balancer: id or the one created.
type LBRecreator interface {
	WaitOrCreateLB(ctx context.Context, id string, spec resource.LBSpec, token string, p cloud.Progress) (resource.LoadBalancer, error)
}

// LBEditor is, besides LBMaker, what an executor offers whose load balancers
// change their edition in place (ALB UpdateLoadBalancerEdition):
// SetLBEdition changes it and waits until the load balancer is Active in
// the new edition.
type LBEditor interface {
	SetLBEdition(ctx context.Context, id, edition, token string, p cloud.Progress) error
}

// LBQuotaWaiter is, besides LBMaker, what an executor offers whose load
// balancers still count against the account's quota while they are being
// deleted (ALB): CreateLBAfterDeleting is CreateLB, except that when the
// quota refuses the create while an instance of the stack is being deleted
// (or deleting, the ones the plan saw being deleted, have gone since), it
// waits until they are gone and creates once more.
type LBQuotaWaiter interface {
	CreateLBAfterDeleting(ctx context.Context, spec resource.LBSpec, token string, deleting []string, p cloud.Progress) (resource.LoadBalancer, error)
}

// lbState is the engine's memory of the load balancer this run created.
type lbState struct {
	lbMu sync.Mutex
	made *resource.LoadBalancer
}

func (e *Engine) madeLB() *resource.LoadBalancer {
	e.lbMu.Lock()
	defer e.lbMu.Unlock()
	return e.made
}

// onMade returns, for an action on the plan's load balancer when the plan
// creates it (Plan.LBFrom), the plan as the action sees it, with the
// created load balancer's epoch (plan.CreatedEpoch, as a later run's plan
// has it), and that load balancer's ID; otherwise p and lbID unchanged.
func (e *Engine) onMade(p *plan.Plan, a *plan.Action, lbID string) (*plan.Plan, string) {
	if p.LBFrom == (plan.Addr{}) || a.On != nil || a.ID == p.LBFrom {
		return p, lbID
	}
	made := e.madeLB()
	if made == nil {
		return p, lbID
	}
	pp := *p
	pp.Epoch = plan.CreatedEpoch(p.Epoch, made.ID)
	return &pp, made.ID
}

// recordTarget is the value of a DNS record whose value comes from the
// load balancer this run created (RecordStep.ValueFrom).
func (e *Engine) recordTarget(a *plan.Action) (string, error) {
	made := e.madeLB()
	if made == nil {
		return "", fmt.Errorf("%s: the load balancer it points at (%s) was not created", a.ID, a.Record.ValueFrom)
	}
	return resource.ProfileOf(made.Type).RecordTarget(*made), nil
}

// runLB carries out a step on the load balancer itself.
func (e *Engine) runLB(ctx context.Context, p *plan.Plan, a *plan.Action, lb Executor, progress cloud.Progress) (string, error) {
	m, ok := lb.(LBMaker)
	if !ok {
		return "", fmt.Errorf("%s: no way to create or delete a load balancer of this kind", a.ID)
	}
	st := a.LoadBalancer
	kind := strings.ToUpper(st.Spec.Type)
	switch a.Op {
	case plan.Create:
		var made resource.LoadBalancer
		var err error
		if q, ok := m.(LBQuotaWaiter); ok {
			made, err = q.CreateLBAfterDeleting(ctx, st.Spec, st.ClientToken, st.Deleting, progress)
		} else {
			made, err = m.CreateLB(ctx, st.Spec, st.ClientToken, progress)
		}
		if err != nil {
			return made.ID, fmt.Errorf("create %s %s: %w", kind, st.Spec.Name, err)
		}
		e.lbMu.Lock()
		e.made = &made
		e.lbMu.Unlock()
		return made.ID, nil
	case plan.Update:
		cur := st.Spec
		if st.Current != nil {
			cur = *st.Current
		}
		if st.Wait {
			var got resource.LoadBalancer
			var err error
			if r, ok := m.(LBRecreator); ok && st.ClientToken != "" {
				got, err = r.WaitOrCreateLB(ctx, st.ID, st.Spec, st.ClientToken, progress)
			} else {
				got, err = m.WaitLB(ctx, st.ID, progress)
			}
			if err != nil {
				return "", fmt.Errorf("wait for %s %s to become Active: %w", kind, st.ID, err)
			}
			if p.LBFrom == a.ID { // the plan's LB: the one waited for, or its successor
				e.lbMu.Lock()
				e.made = &got
				e.lbMu.Unlock()
			}
			if got.ID != st.ID {
				return got.ID, nil // created again from the spec: nothing left to update
			}
			if st.Named {
				return "", nil // the user's load balancer: waited for, never changed
			}
			if got.Spec != nil {
				cur.Edition = got.Spec.Edition // an edition change it waited for may have made it
			}
		}
		if cur.Name != st.Spec.Name {
			if err := m.RenameLB(ctx, st.ID, st.Spec.Name, token(p, a, 0), progress); err != nil {
				return "", fmt.Errorf("rename %s %s to %s: %w", kind, st.ID, st.Spec.Name, err)
			}
		}
		if cur.Edition != st.Spec.Edition {
			ed, ok := m.(LBEditor)
			if !ok {
				return "", fmt.Errorf("%s: no way to change the edition of a %s", a.ID, kind)
			}
			if err := ed.SetLBEdition(ctx, st.ID, st.Spec.Edition, token(p, a, 2), progress); err != nil {
				return "", fmt.Errorf("change the edition of %s %s from %s to %s: %w", kind, st.ID, cur.Edition, st.Spec.Edition, err)
			}
		}
		if cur.DeletionProtection != st.Spec.DeletionProtection {
			if err := m.SetDeletionProtection(ctx, st.ID, st.Spec.DeletionProtection, token(p, a, 1), progress); err != nil {
				return "", fmt.Errorf("turn deletion protection of %s %s %s: %w", kind, st.ID, onOff(st.Spec.DeletionProtection), err)
			}
		}
		return "", nil
	case plan.Delete:
		if err := m.DeleteLB(ctx, st.ID, token(p, a, 0), progress); err != nil {
			return "", fmt.Errorf("delete %s %s: %w", kind, st.ID, err)
		}
		return "", nil
	}
	return "", fmt.Errorf("%s: unknown op", a.ID)
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
