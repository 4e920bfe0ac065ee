package up

// `up --wait-healthy`: after the apply, wait until the load balancer reports
// every backend of the stack healthy on every listener of the stack.

import (
	"context"
	"fmt"

	"github.com/wsdeploy/wsdeploy/pkg/cmdutil"
	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/health"
	"github.com/wsdeploy/wsdeploy/pkg/render"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// waitHealthy waits, within ctx (--timeout), for the backends of deployment
// d to be healthy on its listeners. It only reads: one round is ALB
// GetListenerHealthStatus per listener, or CLB DescribeHealthStatus.
func waitHealthy(ctx context.Context, opts *UpOptions, sess *cmdutil.Session, d render.Deployment) error {
	f, s := opts.Factory, sess.Stack
	log := f.Log(opts.Output)
	// The health check is the stack's: the apply just made the server group
	// (CLB: the listeners) match it.
	hc := healthCheckOf(s)
	if !hc.Enabled {
		log.HealthSkipped("the health check is off (backends.healthCheck.enabled: false), so the load balancer reports no health")
		return nil
	}
	var backends []health.Backend
	for _, b := range d.ServerGroup.Servers {
		if b.Weight > 0 {
			backends = append(backends, health.Backend{InstanceID: b.InstanceID, Name: b.Ref, Port: b.Port})
		}
	}
	var listeners []resource.Listener
	var names []string
	for _, l := range d.Listeners {
		listeners = append(listeners, resource.Listener{ID: l.ID, Protocol: l.Protocol, Port: l.Port})
		names = append(names, fmt.Sprintf("%s:%d", l.Protocol, l.Port))
	}
	switch {
	case len(listeners) == 0:
		log.HealthSkipped("the stack has no listeners")
		return nil
	case len(backends) == 0:
		log.HealthSkipped("no backend takes traffic (every weight is 0)")
		return nil
	}
	pace := health.PaceFor
	if f.HealthPace != nil {
		pace = f.HealthPace
	}
	reader := sess.Clients.Reader()
	log.HealthStarted(len(backends), names, fmt.Sprintf("%s %s every %ds, healthy after %d passes in a row", hc.Method, hc.Path, hc.Interval, hc.HealthyThreshold))
	ready, err := health.Wait(ctx, health.Options{
		Read: func(ctx context.Context) ([]resource.BackendHealth, error) {
			return reader.HealthOf(ctx, d.LB.Type, d.LB.ID, listeners)
		},
		Kind: d.LB.Type, Listeners: names, Backends: backends, Check: hc, Pace: pace(hc),
		Progress: log.HealthWaiting,
	})
	if err != nil {
		return err
	}
	log.HealthReady(*ready)
	return nil
}

// healthCheckOf is the stack's health check (its defaults applied).
func healthCheckOf(s *config.Stack) resource.HealthCheck {
	c := s.Backends.HealthCheck
	return resource.HealthCheck{
		Enabled: c.Enabled == nil || *c.Enabled, Path: c.Path, Method: c.Method, Codes: c.Codes,
		Interval: c.Interval, Timeout: c.Timeout, HealthyThreshold: c.HealthyThreshold, UnhealthyThreshold: c.UnhealthyThreshold,
	}
}
