package inventory

import (
	"context"
	"fmt"

	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Health reads how the load balancer sees the stack's backends on every
// listener the stack owns in snap: on ALB one call per owned listener (in
// parallel; ALB lists only backends that are not healthy), on CLB one call
// for the whole load balancer. It only reads, and reports in listener order.
func (r Reader) Health(ctx context.Context, snap *Snapshot) ([]resource.BackendHealth, error) {
	var owned []resource.Listener
	for _, l := range snap.Listeners {
		if resource.OwnedBy(l.Tags, snap.Stack) {
			owned = append(owned, l)
		}
	}
	if len(owned) == 0 {
		return nil, nil
	}
	return r.lb(snap.LB.Type).health(ctx, snap.LB.ID, owned)
}

// HealthOf reads how the listeners (with their IDs) of the load balancer
// lbID, of kind alb or clb, see their backends, with the calls Health makes.
func (r Reader) HealthOf(ctx context.Context, kind, lbID string, listeners []resource.Listener) ([]resource.BackendHealth, error) {
	if len(listeners) == 0 {
		return nil, nil
	}
	return r.lb(kind).health(ctx, lbID, listeners)
}

func (r Reader) albHealth(ctx context.Context, _ string, owned []resource.Listener) ([]resource.BackendHealth, error) {
	each := make([][]resource.BackendHealth, len(owned))
	w := newReads(ctx)
	for i, l := range owned {
		w.Go(func(ctx context.Context) error {
			h, err := r.ALB.ListenerHealth(ctx, l)
			if err != nil {
				return fmt.Errorf("read backend health of listener %s (%s): %w", l.Name(), l.ID, err)
			}
			each[i] = h
			return nil
		})
	}
	if err := w.Wait(); err != nil {
		return nil, err
	}
	var out []resource.BackendHealth
	for _, h := range each {
		out = append(out, h...)
	}
	return out, nil
}

func (r Reader) clbHealth(ctx context.Context, lbID string, owned []resource.Listener) ([]resource.BackendHealth, error) {
	all, err := r.CLB.HealthStatus(ctx, lbID)
	if err != nil {
		return nil, fmt.Errorf("read backend health of CLB %s: %w", lbID, err)
	}
	mine := map[string]bool{}
	for _, l := range owned {
		mine[l.Name()] = true
	}
	var out []resource.BackendHealth
	for _, h := range all {
		if mine[h.Listener] {
			out = append(out, h)
		}
	}
	return out, nil
}
