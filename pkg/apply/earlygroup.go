package apply

import (
	"context"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/plan"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// GroupStarter is an Executor whose new server groups end with a check that
// may trade the group for one another run created at the same time (CLB,
// which takes no ClientToken: clb.Executor). StartGroup creates the group and
// returns its ID as soon as the create answered, with the check under way;
// Settle waits for the check and returns the group to use. In between the
// engine lets the group's first servers be added (the executor's AddServers
// follows the check's verdict), and nothing else: a listener waits for the
// group step, and so for the check. That takes the check's read off the
// run's critical path (README, "Provisioning speed").
type GroupStarter interface {
	StartGroup(ctx context.Context, lbID string, spec resource.ServerGroup, token string, p cloud.Progress) (string, error)
	Settle(ctx context.Context, id string, p cloud.Progress) (string, error)
}

// early is what lets a step start before a step it depends on has ended:
// the IDs of groups created and still being checked, and when each step
// ends. Guarded by Apply's mutex, except ended (set up before any step runs).
type early struct {
	groups map[plan.Addr]string        // group create step → the group's ID while its check runs
	ended  map[plan.Addr]chan struct{} // closed when the step has ended
	wake   chan struct{}               // a group got its ID: look again at what can start
}

func newEarly(p *plan.Plan) *early {
	e := &early{groups: map[plan.Addr]string{}, ended: map[plan.Addr]chan struct{}{}, wake: make(chan struct{}, 1)}
	for _, a := range p.Actions {
		e.ended[a.ID] = make(chan struct{})
	}
	return e
}

// startsBefore reports whether a may start while its dependency dep (a step
// that has started) runs: a adds the first servers of the group dep is
// creating, whose ID is known. Caller holds Apply's mutex.
func (e *early) startsBefore(a *plan.Action, dep plan.Addr) bool {
	return a.Kind == plan.KindServers && a.Op == plan.Create && a.Servers != nil &&
		a.Servers.Group.ID == "" && a.Servers.Group.FromAction == dep && e.groups[dep] != ""
}

// created publishes the ID of the group step id created; its check still runs.
func (e *early) created(id plan.Addr, gid string) {
	e.groups[id] = gid
	select {
	case e.wake <- struct{}{}:
	default:
	}
}
