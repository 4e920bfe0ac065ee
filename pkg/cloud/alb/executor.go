package alb

import (
	"context"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Executor carries out plan steps on ALB (it is an apply.Executor). Every
// write returns a job, and a step returns once its job is done. Writes carry
// the step's ClientToken, so a retried or repeated step never creates twice.
type Executor struct{ c *Client }

// Executor returns the plan step executor over c.
func (c *Client) Executor() Executor { return Executor{c: c} }

// CreateGroup creates the server group (lbID is unused: an ALB server group
// belongs to a VPC).
func (x Executor) CreateGroup(ctx context.Context, _ string, spec resource.ServerGroup, token string, p cloud.Progress) (string, error) {
	id, job, err := x.c.CreateServerGroup(ctx, spec, token)
	if err != nil {
		return "", err
	}
	return id, x.c.WaitJob(ctx, job, p)
}

// UpdateGroup sets the group's health check and session persistence.
func (x Executor) UpdateGroup(ctx context.Context, id string, spec resource.ServerGroup, token string, p cloud.Progress) error {
	return x.wait(ctx, p)(x.c.UpdateServerGroup(ctx, id, spec, token))
}

// DeleteGroup deletes the group, waiting while a listener deleted a moment
// ago still holds it.
func (x Executor) DeleteGroup(ctx context.Context, id, token string, p cloud.Progress) error {
	var job string
	err := cloud.WaitWhile(ctx, p, "still in use", func(ctx context.Context) (err error) {
		job, err = x.c.DeleteServerGroup(ctx, id, token)
		return err
	}, "ResourceInUse.ServerGroup")
	if err != nil {
		return err
	}
	return x.c.WaitJob(ctx, job, p)
}

// AddServers adds a batch of servers. When another run (planned from another
// moment, so with another token) added them first, the step is done.
func (x Executor) AddServers(ctx context.Context, gid string, batch []resource.Backend, token string, p cloud.Progress) error {
	err := x.wait(ctx, p)(x.c.AddServers(ctx, gid, batch, token))
	if cloud.HasCode(err, "ResourceAlreadyExist.BackendServer") {
		have, lerr := x.c.ListServers(ctx, gid)
		if lerr != nil || !resource.ContainsAll(have, batch) {
			return err
		}
		if p != nil {
			p("already added by another run", 0)
		}
		return nil
	}
	return err
}

// RemoveServers removes a batch of servers.
func (x Executor) RemoveServers(ctx context.Context, gid string, batch []resource.Backend, token string, p cloud.Progress) error {
	return x.wait(ctx, p)(x.c.RemoveServers(ctx, gid, batch, token))
}

// SetWeights sets the weights of a batch of servers.
func (x Executor) SetWeights(ctx context.Context, gid string, batch []resource.Backend, token string, p cloud.Progress) error {
	return x.wait(ctx, p)(x.c.SetWeights(ctx, gid, batch, token))
}

// CreateListener creates a listener forwarding to gid. When another run of
// the stack created it a moment ago, it uses that one.
func (x Executor) CreateListener(ctx context.Context, lbID string, spec resource.Listener, gid, token string, p cloud.Progress) (string, error) {
	spec.ServerGroupID = gid
	id, job, err := x.c.CreateListener(ctx, lbID, spec, token)
	if cloud.HasCode(err, "ResourceAlreadyExist.Listener") {
		ls, lerr := x.c.ListListeners(ctx, lbID)
		if lerr != nil {
			return "", err
		}
		l, ok := resource.OwnedListener(ls, spec.Tags[resource.OwnerTagKey], spec.Protocol, spec.Port)
		if !ok {
			return "", err
		}
		if p != nil {
			p("already created by another run ("+l.ID+")", 0)
		}
		return l.ID, nil
	}
	if err != nil {
		return "", err
	}
	return id, x.c.WaitJob(ctx, job, p)
}

// UpdateListener sets the listener's timeouts, certificate and forwarding.
func (x Executor) UpdateListener(ctx context.Context, _ string, cur, spec resource.Listener, gid, token string, p cloud.Progress) error {
	spec.ServerGroupID = gid
	return x.wait(ctx, p)(x.c.UpdateListener(ctx, cur.ID, spec, token))
}

// DeleteListener deletes the listener.
func (x Executor) DeleteListener(ctx context.Context, _ string, l resource.Listener, token string, p cloud.Progress) error {
	return x.wait(ctx, p)(x.c.DeleteListener(ctx, l.ID, token))
}

// SetTag tags the load balancer.
func (x Executor) SetTag(ctx context.Context, lbID, key, value string) error {
	return x.c.TagLoadBalancer(ctx, lbID, key, value)
}

// wait returns a function that waits for the job of a write that returned
// (job, err).
func (x Executor) wait(ctx context.Context, p cloud.Progress) func(job string, err error) error {
	return func(job string, err error) error {
		if err != nil {
			return err
		}
		return x.c.WaitJob(ctx, job, p)
	}
}
