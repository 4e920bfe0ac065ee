package clb

import (
	"context"
	"fmt"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Executor carries out plan steps on CLB (it is an apply.Executor). CLB
// writes are synchronous but take no ClientToken (the tokens it is given are
// unused): a create whose answer was lost is found by a lookup instead of
// being sent again (cloud.Retry.Create). Listeners are created stopped, so a
// create is followed by a start and a wait until the listener runs.
type Executor struct {
	c *Client
	// GroupCheckWait bounds how long the vServer group race check, and the
	// look-up after a create whose answer was lost, wait for the list of the
	// stack's groups to show a group just created (groupcheck.go); 0 means
	// DefaultGroupCheckWait.
	GroupCheckWait time.Duration
}

// Executor returns the plan step executor over c.
func (c *Client) Executor() Executor { return Executor{c: c} }

// create runs a create with recovery by lookup, per the client's retry policy.
func (x Executor) create(ctx context.Context, create func(context.Context) error, found func(context.Context) (bool, error)) error {
	return x.c.api.Config.Retry.Create(ctx, create, found)
}

// CreateGroup creates the stack's vServer group on lbID and returns it once
// the race check (groupcheck.go) has settled which group the stack keeps.
func (x Executor) CreateGroup(ctx context.Context, lbID string, spec resource.ServerGroup, tok string, p cloud.Progress) (string, error) {
	id, err := x.StartGroup(ctx, lbID, spec, tok, p)
	if err != nil {
		return "", err
	}
	return x.Settle(ctx, id, p)
}

// UpdateGroup has nothing to do on CLB: health check and sticky session are listener settings there.
func (x Executor) UpdateGroup(context.Context, string, resource.ServerGroup, string, cloud.Progress) error {
	return nil
}

// DeleteGroup deletes the group, waiting while a listener still uses it.
func (x Executor) DeleteGroup(ctx context.Context, id, _ string, p cloud.Progress) error {
	return cloud.WaitWhile(ctx, p, "still in use by a listener", func(ctx context.Context) error {
		return x.c.DeleteGroup(ctx, id)
	}, "RspoolVipExist")
}

// RemoveServers removes a batch of servers.
func (x Executor) RemoveServers(ctx context.Context, gid string, batch []resource.Backend, _ string, _ cloud.Progress) error {
	return x.c.RemoveServers(ctx, gid, batch)
}

// SetWeights sets the weights of a batch of servers.
func (x Executor) SetWeights(ctx context.Context, gid string, batch []resource.Backend, _ string, _ cloud.Progress) error {
	return x.c.SetWeights(ctx, gid, batch)
}

// CreateListener creates a listener forwarding to gid, once, and starts it.
// When the answer to the create was lost, the stack's listener that a
// lookup then finds is this create's: it is started. When the cloud says
// the port is taken, the listener there may be another run's (even one that
// reads do not show yet): the stack's is returned as a
// *cloud.ListenerExistsError, for the apply engine to adopt (exists.go).
func (x Executor) CreateListener(ctx context.Context, lbID string, spec resource.Listener, gid, _ string, p cloud.Progress) (string, error) {
	spec.ServerGroupID = gid
	var status string
	var last error // the last create's answer
	taken := func(err error) bool { return cloud.HasCode(err, "ListenerAlreadyExists") }
	err := x.create(ctx, func(ctx context.Context) error {
		last = x.c.CreateListener(ctx, lbID, spec)
		return last
	}, func(ctx context.Context) (bool, error) {
		if taken(last) {
			return false, nil // not necessarily this run's: see existing
		}
		ls, err := x.c.ListListeners(ctx, lbID)
		if err != nil {
			return false, err
		}
		l, ok := resource.OwnedListener(ls, spec.Tags[resource.OwnerTagKey], spec.Protocol, spec.Port)
		status = l.Status
		return ok, nil
	})
	if taken(err) {
		return "", x.existing(ctx, lbID, spec, err, p)
	}
	if err != nil {
		return "", err
	}
	id := ListenerID(lbID, spec.Protocol, spec.Port)
	if status == "running" {
		return id, nil
	}
	return id, x.start(ctx, lbID, spec, p)
}

// start starts a stopped listener and waits until it runs.
func (x Executor) start(ctx context.Context, lbID string, spec resource.Listener, p cloud.Progress) error {
	err := x.create(ctx, func(ctx context.Context) error {
		return x.c.StartListener(ctx, lbID, spec.Protocol, spec.Port)
	}, func(ctx context.Context) (bool, error) {
		st, err := x.c.ListenerStatus(ctx, lbID, spec.Protocol, spec.Port)
		return st == "running" || st == "starting", err
	})
	if cloud.HasCode(err, "OperationFailed.ListenerStatusNotSupport") {
		err = nil // already starting or running (an earlier start's answer was lost)
	}
	if err != nil {
		return fmt.Errorf("start listener %s: %w", spec.Name(), err)
	}
	begin := time.Now()
	return x.c.api.Config.Waits.Wait(ctx, "slb/StartLoadBalancerListener", func(ctx context.Context) (bool, error) {
		st, err := x.c.ListenerStatus(ctx, lbID, spec.Protocol, spec.Port)
		if err != nil {
			return false, err
		}
		if st == "running" {
			return true, nil
		}
		if st == "" {
			st = "not visible yet" // a new listener may be missing from reads for a moment
		}
		if p != nil {
			p(st, time.Since(begin))
		}
		return false, nil
	})
}

// UpdateListener sets every managed attribute of the listener, and starts it
// when it was stopped.
func (x Executor) UpdateListener(ctx context.Context, lbID string, cur, spec resource.Listener, gid, _ string, p cloud.Progress) error {
	spec.ServerGroupID = gid
	if err := x.c.UpdateListener(ctx, lbID, spec); err != nil {
		return err
	}
	if cur.Status == "stopped" {
		return x.start(ctx, lbID, spec, p)
	}
	return nil
}

// DeleteListener deletes the listener.
func (x Executor) DeleteListener(ctx context.Context, lbID string, l resource.Listener, _ string, _ cloud.Progress) error {
	return x.c.DeleteListener(ctx, lbID, l.Protocol, l.Port)
}

// SetTag is not planned on CLB (it has no ClientTokens to keep apart).
func (x Executor) SetTag(context.Context, string, string, string) error { return nil }
