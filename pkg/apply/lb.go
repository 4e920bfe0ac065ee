package apply

import (
	"context"
	"fmt"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/alb"
	"github.com/wsdeploy/wsdeploy/pkg/cloud/clb"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Progress reports a wait: what the cloud says, and for how long it has said it.
type Progress func(status string, waited time.Duration)

// LB is one load balancer product's way of carrying out plan steps. Each
// method returns when the change has taken effect (async jobs done, listeners
// running), so the next step on the same load balancer can start.
type LB interface {
	CreateGroup(ctx context.Context, lbID string, spec resource.ServerGroup, token string, p Progress) (string, error)
	UpdateGroup(ctx context.Context, id string, spec resource.ServerGroup, token string, p Progress) error
	DeleteGroup(ctx context.Context, id, token string, p Progress) error
	AddServers(ctx context.Context, groupID string, batch []resource.Backend, token string, p Progress) error
	RemoveServers(ctx context.Context, groupID string, batch []resource.Backend, token string, p Progress) error
	SetWeights(ctx context.Context, groupID string, batch []resource.Backend, token string, p Progress) error
	CreateListener(ctx context.Context, lbID string, spec resource.Listener, groupID, token string, p Progress) (string, error)
	UpdateListener(ctx context.Context, lbID string, cur resource.Listener, spec resource.Listener, groupID, token string, p Progress) error
	DeleteListener(ctx context.Context, lbID string, l resource.Listener, token string, p Progress) error
	SetTag(ctx context.Context, lbID, key, value string) error
}

// ALBAPI is what ALB steps need of the ALB adapter.
type ALBAPI interface {
	CreateServerGroup(ctx context.Context, spec resource.ServerGroup, token string) (id, job string, err error)
	UpdateServerGroup(ctx context.Context, id string, spec resource.ServerGroup, token string) (string, error)
	DeleteServerGroup(ctx context.Context, id, token string) (string, error)
	AddServers(ctx context.Context, groupID string, servers []resource.Backend, token string) (string, error)
	RemoveServers(ctx context.Context, groupID string, servers []resource.Backend, token string) (string, error)
	SetWeights(ctx context.Context, groupID string, servers []resource.Backend, token string) (string, error)
	CreateListener(ctx context.Context, lbID string, spec resource.Listener, token string) (id, job string, err error)
	UpdateListener(ctx context.Context, id string, spec resource.Listener, token string) (string, error)
	DeleteListener(ctx context.Context, id, token string) (string, error)
	WaitJob(ctx context.Context, jobID string, progress func(status string, waited time.Duration)) error
	TagLoadBalancer(ctx context.Context, lbID, key, value string) error
	ListServers(ctx context.Context, groupID string) ([]resource.Backend, error)
	ListListeners(ctx context.Context, lbID string) ([]resource.Listener, error)
}

// CLBAPI is what CLB steps need of the CLB adapter. Its creates are sent
// once each; the lookups let a step find what a lost answer created.
type CLBAPI interface {
	ListGroupsByTag(ctx context.Context, lbID, key, value string) ([]resource.ServerGroup, error)
	ListServers(ctx context.Context, groupID string) ([]resource.Backend, error)
	ListListeners(ctx context.Context, lbID string) ([]resource.Listener, error)
	CreateGroup(ctx context.Context, lbID, name string, tags map[string]string) (string, error)
	DeleteGroup(ctx context.Context, id string) error
	AddServers(ctx context.Context, groupID string, servers []resource.Backend) error
	RemoveServers(ctx context.Context, groupID string, servers []resource.Backend) error
	SetWeights(ctx context.Context, groupID string, servers []resource.Backend) error
	CreateListener(ctx context.Context, lbID string, s resource.Listener) error
	UpdateListener(ctx context.Context, lbID string, s resource.Listener) error
	StartListener(ctx context.Context, lbID, protocol string, port int) error
	DeleteListener(ctx context.Context, lbID, protocol string, port int) error
	ListenerStatus(ctx context.Context, lbID, protocol string, port int) (string, error)
}

var (
	_ ALBAPI = (*alb.Client)(nil)
	_ CLBAPI = (*clb.Client)(nil)
)

// ALBSteps carries out steps on ALB: every write returns a job, waited for.
type ALBSteps struct{ API ALBAPI }

func withGroup(s resource.Listener, groupID string) resource.Listener {
	s.ServerGroupID = groupID
	return s
}

func (a ALBSteps) CreateGroup(ctx context.Context, _ string, spec resource.ServerGroup, token string, p Progress) (string, error) {
	id, job, err := a.API.CreateServerGroup(ctx, spec, token)
	if err != nil {
		return "", err
	}
	return id, a.API.WaitJob(ctx, job, p)
}

func (a ALBSteps) UpdateGroup(ctx context.Context, id string, spec resource.ServerGroup, token string, p Progress) error {
	job, err := a.API.UpdateServerGroup(ctx, id, spec, token)
	if err != nil {
		return err
	}
	return a.API.WaitJob(ctx, job, p)
}

func (a ALBSteps) DeleteGroup(ctx context.Context, id, token string, p Progress) error {
	// A listener deleted a moment ago may still hold the group briefly.
	var job string
	err := cloud.Poll(ctx, 500*time.Millisecond, 3*time.Second, func(ctx context.Context) (bool, error) {
		var err error
		job, err = a.API.DeleteServerGroup(ctx, id, token)
		if cloud.HasCode(err, "ResourceInUse.ServerGroup") {
			if p != nil {
				p("still in use", 0)
			}
			return false, nil
		}
		return err == nil, err
	})
	if err != nil {
		return err
	}
	return a.API.WaitJob(ctx, job, p)
}

func (a ALBSteps) servers(ctx context.Context, f func(context.Context, string, []resource.Backend, string) (string, error), gid string, batch []resource.Backend, token string, p Progress) error {
	job, err := f(ctx, gid, batch, token)
	if err != nil {
		return err
	}
	return a.API.WaitJob(ctx, job, p)
}

func (a ALBSteps) AddServers(ctx context.Context, gid string, batch []resource.Backend, token string, p Progress) error {
	err := a.servers(ctx, a.API.AddServers, gid, batch, token, p)
	if cloud.HasCode(err, "ResourceAlreadyExist.BackendServer") {
		// Another run (planned from another moment, so with another token)
		// added them: fine if every server of the batch is there.
		have, lerr := a.API.ListServers(ctx, gid)
		if lerr != nil {
			return err
		}
		in := map[string]bool{}
		for _, b := range have {
			in[b.Key()] = true
		}
		for _, b := range batch {
			if !in[b.Key()] {
				return err
			}
		}
		if p != nil {
			p("already added by another run", 0)
		}
		return nil
	}
	return err
}

func (a ALBSteps) RemoveServers(ctx context.Context, gid string, batch []resource.Backend, token string, p Progress) error {
	return a.servers(ctx, a.API.RemoveServers, gid, batch, token, p)
}

func (a ALBSteps) SetWeights(ctx context.Context, gid string, batch []resource.Backend, token string, p Progress) error {
	return a.servers(ctx, a.API.SetWeights, gid, batch, token, p)
}

func (a ALBSteps) CreateListener(ctx context.Context, lbID string, spec resource.Listener, gid, token string, p Progress) (string, error) {
	id, job, err := a.API.CreateListener(ctx, lbID, withGroup(spec, gid), token)
	if cloud.HasCode(err, "ResourceAlreadyExist.Listener") {
		// Another run of this stack created it a moment ago: use it if it is ours.
		ls, lerr := a.API.ListListeners(ctx, lbID)
		if lerr != nil {
			return "", err
		}
		for _, l := range ls {
			if l.Port == spec.Port && l.Protocol == spec.Protocol && resource.OwnedBy(l.Tags, spec.Tags[resource.OwnerTagKey]) {
				if p != nil {
					p("already created by another run ("+l.ID+")", 0)
				}
				return l.ID, nil
			}
		}
		return "", err
	}
	if err != nil {
		return "", err
	}
	return id, a.API.WaitJob(ctx, job, p)
}

func (a ALBSteps) UpdateListener(ctx context.Context, lbID string, cur, spec resource.Listener, gid, token string, p Progress) error {
	job, err := a.API.UpdateListener(ctx, cur.ID, withGroup(spec, gid), token)
	if err != nil {
		return err
	}
	return a.API.WaitJob(ctx, job, p)
}

func (a ALBSteps) DeleteListener(ctx context.Context, _ string, l resource.Listener, token string, p Progress) error {
	job, err := a.API.DeleteListener(ctx, l.ID, token)
	if err != nil {
		return err
	}
	return a.API.WaitJob(ctx, job, p)
}

func (a ALBSteps) SetTag(ctx context.Context, lbID, key, value string) error {
	return a.API.TagLoadBalancer(ctx, lbID, key, value)
}

// CLBSteps carries out steps on CLB: synchronous writes, but listeners are
// created stopped, so a create is followed by a start and a wait for running.
type CLBSteps struct{ API CLBAPI }

func (c CLBSteps) CreateGroup(ctx context.Context, lbID string, spec resource.ServerGroup, _ string, p Progress) (string, error) {
	var id string
	err := createOnce(ctx, func(ctx context.Context) (err error) {
		id, err = c.API.CreateGroup(ctx, lbID, spec.Name, spec.Tags)
		return err
	}, func(ctx context.Context) (bool, error) {
		groups, err := c.API.ListGroupsByTag(ctx, lbID, resource.OwnerTagKey, spec.Tags[resource.OwnerTagKey])
		if err != nil {
			return false, err
		}
		for _, g := range groups {
			if g.Name == spec.Name && (id == "" || g.ID < id) {
				id = g.ID
			}
		}
		return id != "", nil
	})
	if err != nil {
		return "", err
	}
	return c.keepOneGroup(ctx, lbID, spec, id, p)
}

// keepOneGroup settles a race: when another run created the same group at the
// same time (CLB has no ClientToken), every run keeps the one with the lowest
// ID and deletes its own extra copy, so all runs agree on one group.
func (c CLBSteps) keepOneGroup(ctx context.Context, lbID string, spec resource.ServerGroup, mine string, p Progress) (string, error) {
	groups, err := c.API.ListGroupsByTag(ctx, lbID, resource.OwnerTagKey, spec.Tags[resource.OwnerTagKey])
	if err != nil {
		return "", err
	}
	keep := mine
	for _, g := range groups {
		if g.Name == spec.Name && g.ID < keep {
			keep = g.ID
		}
	}
	if keep == mine {
		return mine, nil
	}
	if p != nil {
		p("another run created "+keep+" at the same time; using it and removing "+mine, 0)
	}
	if err := c.API.DeleteGroup(ctx, mine); err != nil && !cloud.HasCode(err, "RspoolVipExist") {
		return "", fmt.Errorf("remove duplicate vServer group %s: %w", mine, err)
	}
	return keep, nil
}

// UpdateGroup has nothing to do on CLB: health check and sticky session are listener settings there.
func (c CLBSteps) UpdateGroup(context.Context, string, resource.ServerGroup, string, Progress) error {
	return nil
}

func (c CLBSteps) DeleteGroup(ctx context.Context, id, _ string, p Progress) error {
	return cloud.Poll(ctx, 500*time.Millisecond, 3*time.Second, func(ctx context.Context) (bool, error) {
		err := c.API.DeleteGroup(ctx, id)
		if cloud.HasCode(err, "RspoolVipExist") {
			if p != nil {
				p("still in use by a listener", 0)
			}
			return false, nil
		}
		return err == nil, err
	})
}

func (c CLBSteps) AddServers(ctx context.Context, gid string, batch []resource.Backend, _ string, _ Progress) error {
	return createOnce(ctx, func(ctx context.Context) error {
		return c.API.AddServers(ctx, gid, batch)
	}, func(ctx context.Context) (bool, error) {
		have, err := c.API.ListServers(ctx, gid)
		if err != nil {
			return false, err
		}
		in := map[string]bool{}
		for _, b := range have {
			in[b.Key()] = true
		}
		for _, b := range batch {
			if !in[b.Key()] {
				return false, nil
			}
		}
		return true, nil
	})
}

func (c CLBSteps) RemoveServers(ctx context.Context, gid string, batch []resource.Backend, _ string, _ Progress) error {
	return c.API.RemoveServers(ctx, gid, batch)
}

func (c CLBSteps) SetWeights(ctx context.Context, gid string, batch []resource.Backend, _ string, _ Progress) error {
	return c.API.SetWeights(ctx, gid, batch)
}

func (c CLBSteps) CreateListener(ctx context.Context, lbID string, spec resource.Listener, gid, _ string, p Progress) (string, error) {
	id := clb.ListenerID(lbID, spec.Protocol, spec.Port)
	var status string
	err := createOnce(ctx, func(ctx context.Context) error {
		return c.API.CreateListener(ctx, lbID, withGroup(spec, gid))
	}, func(ctx context.Context) (bool, error) {
		ls, err := c.API.ListListeners(ctx, lbID)
		if err != nil {
			return false, err
		}
		for _, l := range ls {
			if l.Port == spec.Port && l.Protocol == spec.Protocol && resource.OwnedBy(l.Tags, spec.Tags[resource.OwnerTagKey]) {
				status = l.Status
				return true, nil
			}
		}
		return false, nil
	})
	if err != nil {
		return "", err
	}
	if status == "running" {
		return id, nil
	}
	return id, c.start(ctx, lbID, spec, p)
}

// start starts a stopped listener and waits until it runs.
func (c CLBSteps) start(ctx context.Context, lbID string, spec resource.Listener, p Progress) error {
	err := createOnce(ctx, func(ctx context.Context) error {
		return c.API.StartListener(ctx, lbID, spec.Protocol, spec.Port)
	}, func(ctx context.Context) (bool, error) {
		st, err := c.API.ListenerStatus(ctx, lbID, spec.Protocol, spec.Port)
		return st == "running" || st == "starting", err
	})
	if cloud.HasCode(err, "OperationFailed.ListenerStatusNotSupport") {
		err = nil // already starting or running (an earlier start's answer was lost)
	}
	if err != nil {
		return fmt.Errorf("start listener %s: %w", spec.Name(), err)
	}
	begin := time.Now()
	return cloud.Poll(ctx, 100*time.Millisecond, 2*time.Second, func(ctx context.Context) (bool, error) {
		st, err := c.API.ListenerStatus(ctx, lbID, spec.Protocol, spec.Port)
		if err != nil {
			return false, err
		}
		if st == "running" {
			return true, nil
		}
		if p != nil {
			p(st, time.Since(begin))
		}
		return false, nil
	})
}

func (c CLBSteps) UpdateListener(ctx context.Context, lbID string, cur, spec resource.Listener, gid, _ string, p Progress) error {
	if err := c.API.UpdateListener(ctx, lbID, withGroup(spec, gid)); err != nil {
		return err
	}
	if cur.Status == "stopped" {
		return c.start(ctx, lbID, spec, p)
	}
	return nil
}

func (c CLBSteps) DeleteListener(ctx context.Context, lbID string, l resource.Listener, _ string, _ Progress) error {
	return c.API.DeleteListener(ctx, lbID, l.Protocol, l.Port)
}

// SetTag is not planned on CLB (it has no ClientTokens to keep apart).
func (c CLBSteps) SetTag(context.Context, string, string, string) error { return nil }
