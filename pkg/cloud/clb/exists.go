package clb

import (
	"context"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// WaitListenerVisible is the cloud.Waits kind of the wait for a listener
// that a create was told is on its port to show in reads, and to settle.
const WaitListenerVisible = "slb/CreateLoadBalancerListener"

// existing looks, after a create of spec met a listener on its port
// (createErr), for that listener: see cloud.AwaitListener. A listener starting, configuring or
// stopping is waited for; a stopped one is left to the engine, which starts
// it as it would a stopped listener in the plan.
func (x Executor) existing(ctx context.Context, lbID string, spec resource.Listener, createErr error, p cloud.Progress) error {
	return cloud.AwaitListener(ctx, x.c.api.Config.Waits, WaitListenerVisible, lbID, spec, createErr,
		func(ctx context.Context) ([]resource.Listener, error) { return x.c.ListListeners(ctx, lbID) },
		func(status string) bool {
			return status == "starting" || status == "configuring" || status == "stopping"
		}, p)
}
