// The rolling update's health gate: after the command on a backend, the
// load balancer itself must report the backend healthy before the roll
// moves on. The command's own /healthz wait only proves wschat answers on
// the instance; the load balancer's check proves it answers where traffic
// comes from (security groups, the health check's path and codes).
//
// CLB checks a backend at weight 0, so the engine waits there and restores
// the weight only once DescribeHealthStatus says normal. ALB does not check
// a backend at weight 0 (GetListenerHealthStatus reports it Unused), so the
// engine restores the weight, waits for ALB to report it healthy, and puts
// it back to weight 0 if it does not become so. Either way a backend that
// never becomes healthy stops the roll, at weight 0, with the load
// balancer's reason, and its deployment tag is not written: the next `up`
// runs its command again.

package apply

import (
	"context"
	"fmt"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/health"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// HealthReader reads how the listeners of a load balancer see their
// backends (inventory.Reader.HealthOf).
type HealthReader interface {
	HealthOf(ctx context.Context, kind, lbID string, listeners []resource.Listener) ([]resource.BackendHealth, error)
}

// RollHealthError is a backend the load balancer did not report healthy
// after its command: the roll stopped there, the backend at weight 0.
type RollHealthError struct {
	Instance string
	// Group is the server group it is left at weight 0 in.
	Group string
	Err   *health.NotHealthyError
}

func (e *RollHealthError) Error() string {
	return fmt.Sprintf("after its command succeeded, the load balancer does not report %s healthy: %v", e.Instance, e.Err)
}

func (e *RollHealthError) Unwrap() error { return e.Err }

// Hint says what to do: the roll stopped, the backend is out of rotation.
func (e *RollHealthError) Hint() string {
	return "the rolling update stopped at " + e.Instance + " and the other backends are untouched; " + e.Instance +
		" stays at weight 0 in " + e.Group + " until the load balancer reports it healthy after a run. Fix what the load balancer reports above " +
		"(the instance's security group must let the load balancer reach backends.port; backends.healthCheck must match what wschat answers)"
}

// awaitHealthy waits until the load balancer reports the drained backend
// healthy on the stack's listeners, restoring its weight before (ALB) or
// after (CLB) the wait; token n and n+1 are the weight changes' tokens.
func (e *Engine) awaitHealthy(ctx context.Context, p *plan.Plan, a *plan.Action, lb Executor, gid string, progress cloud.Progress) error {
	st := a.App
	d := st.Drain
	restore := func(n int) error {
		if err := lb.SetWeights(ctx, gid, []resource.Backend{d.Backend}, token(p, a, n), progress); err != nil {
			return fmt.Errorf("restore %s's weight %d in server group %s: %w", st.InstanceID, d.Backend.Weight, gid, err)
		}
		return nil
	}
	if d.Health == nil || e.Health == nil || d.Backend.Weight == 0 {
		return restore(2)
	}
	kind := p.LB.Type
	if a.On != nil {
		kind = a.On.Type
	}
	lbID := p.LB.ID
	if a.On != nil {
		lbID = a.On.ID
	}
	checksAtZero := kind == "clb"
	if !checksAtZero {
		if err := restore(2); err != nil {
			return err
		}
	}
	var listeners []resource.Listener
	var names []string
	for _, l := range d.Health.Listeners {
		listeners = append(listeners, l.Listener())
		names = append(names, fmt.Sprintf("%s:%d", l.Protocol, l.Port))
	}
	pace := health.PaceFor
	if e.HealthPace != nil {
		pace = e.HealthPace
	}
	start := time.Now()
	_, err := health.Wait(ctx, health.Options{
		Read: func(ctx context.Context) ([]resource.BackendHealth, error) {
			return e.Health.HealthOf(ctx, kind, lbID, listeners)
		},
		Kind: kind, Listeners: names, Check: d.Health.Check, Pace: pace(d.Health.Check),
		Backends: []health.Backend{{InstanceID: st.InstanceID, Name: d.Backend.Ref, Port: d.Backend.Port}},
		Progress: func(pr health.Progress) {
			for _, w := range pr.Waiting() {
				progress("waiting for the load balancer: "+w, time.Since(start))
			}
		},
	})
	if err != nil {
		nh, ok := err.(*health.NotHealthyError)
		if !ok {
			return fmt.Errorf("wait for the load balancer to report %s healthy: %w", st.InstanceID, err)
		}
		if !checksAtZero {
			out := d.Backend
			out.Weight = 0
			if werr := lb.SetWeights(ctx, gid, []resource.Backend{out}, token(p, a, 3), progress); werr != nil {
				return fmt.Errorf("%v; and setting its weight back to 0 in %s failed: %w", (&RollHealthError{Instance: st.InstanceID, Group: gid, Err: nh}).Error(), gid, werr)
			}
		}
		return &RollHealthError{Instance: st.InstanceID, Group: gid, Err: nh}
	}
	if checksAtZero {
		return restore(2)
	}
	return nil
}
