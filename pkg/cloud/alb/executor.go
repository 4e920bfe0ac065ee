package alb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Executor carries out plan steps on ALB (it is an apply.Executor). Every
// write returns a job, and a step returns once its job is done. Writes carry
// the step's ClientToken, so a retried or repeated step never creates twice.
//
// # A failed job, and the token chain
//
// ALB answers a write that repeats a ClientToken with the first write's
// result, and the references do not say that a failed job frees its token;
// the stricter reading (the fake's) is that the failed JobId comes back. The
// step's token comes from the stack, the step, its spec, the owned resources
// the plan started from and the epoch; a failed job changes none of them (the
// change is undone), so every later run would send the same token and be
// handed the same old failure, for ever.
//
// So when the job a write answers had failed before the write was sent, the
// step is sent again with the next token of a chain, NextToken(token, jobID),
// and so on until a write answers a job that is not such an old failure. The
// chain is deterministic: retries whose answer was lost, re-runs and
// concurrent runs that meet the same failed job derive the same next token,
// so they still meet on one job and one resource, as with the first token.
//
// "Had failed before the write was sent" needs both of two signs (the
// stricter choice, as each alone can be wrong): the first look at the job
// already finds it Failed (no poll saw it listed and unfinished), and its end
// (ModifyTime, on the cloud's clock) is before this machine's clock at the
// first attempt of the write. A job that fails while this run watches it, or
// that ended after the write was sent, was started by this step (or by a
// concurrent run that sent the same token): it is reported, not sent again,
// so a failure that persists is shown at once and never looped on. When the
// cloud's clock is ahead of this machine's, an old failure looks new and is
// reported; a later run gets past it. maxChain bounds the walk, whatever the
// clocks say.
//
// # A job that failed because something was busy
//
// A job of the step's own write that fails with a code saying the resource
// or the instance was busy with another change (Conflict.Lock, SystemBusy,
// OperationBusy, IncorrectStatus.*, ResourceInConfiguring.*) is transient:
// the step waits a moment and is sent again with the next token of the chain,
// at most MaxBusyResends times, and only with a token (without one a repeat
// could act twice). A create first looks for what the failed job may have
// left behind (the references do not say that a failed job undoes its
// change): a server group the failed write named is used instead of making
// another; a listener left on the port is met as ResourceAlreadyExist.Listener.
type Executor struct{ c *Client }

// maxChain is how many old failed jobs one write walks past at most.
const maxChain = 32

// MaxBusyResends is how many times one step is sent again after its own job
// failed because something was busy; busyPause is the first wait before
// that (doubling each time).
const MaxBusyResends = 3

var busyPause = 500 * time.Millisecond

// NextToken is the ClientToken a step is sent with again after the write
// with token answered jobID, a job that had already failed.
func NextToken(token, jobID string) string {
	h := sha256.Sum256([]byte(token + "|" + jobID))
	return "wsd-" + hex.EncodeToString(h[:])[:40]
}

// Executor returns the plan step executor over c.
func (c *Client) Executor() Executor { return Executor{c: c} }

// send sends a write with token (write returns the JobId it was answered)
// and waits for the job, walking the token chain past old failed jobs (see
// Executor).
func (x Executor) send(ctx context.Context, token string, p cloud.Progress, write func(token string) (job string, err error)) error {
	busy, pause := 0, busyPause
	for link := 0; ; link++ {
		sent := time.Now()
		job, err := write(token)
		if err != nil {
			return err
		}
		err = x.c.WaitJob(ctx, job, p)
		var failed *JobFailedError
		if token == "" || link == maxChain || !errors.As(err, &failed) {
			return err
		}
		switch {
		case failed.endedBefore(sent):
			if p != nil {
				p("job "+failed.JobID+" failed in an earlier run ("+failed.Code+"): sending the step again", 0)
			}
		case failed.busy() && busy < MaxBusyResends:
			busy++
			if p != nil {
				p("job "+failed.JobID+" failed with "+failed.Code+" (busy): sending the step again in "+pause.String(), 0)
			}
			t := time.NewTimer(pause)
			select {
			case <-ctx.Done():
				t.Stop()
				return errors.Join(err, ctx.Err())
			case <-t.C:
			}
			pause *= 2
		default:
			return err
		}
		token = NextToken(token, failed.JobID)
	}
}

// endedBefore reports whether the job had failed before t: the first look
// found it Failed, and it ended before t. ALB gives milliseconds, so t is
// compared in whole milliseconds too (a job that ended in t's millisecond
// may have ended after t).
func (e *JobFailedError) endedBefore(t time.Time) bool {
	return e.endedUnseen && !e.Ended.IsZero() && e.Ended.UnixMilli() < t.UnixMilli()
}

// CreateGroup creates the server group (lbID is unused: an ALB server group
// belongs to a VPC).
func (x Executor) CreateGroup(ctx context.Context, _ string, spec resource.ServerGroup, token string, p cloud.Progress) (id string, err error) {
	err = x.send(ctx, token, p, func(token string) (job string, err error) {
		if id != "" && x.leftOver(ctx, spec, id) {
			return "", nil // the failed job left its group: use it
		}
		id, job, err = x.c.CreateServerGroup(ctx, spec, token)
		return job, err
	})
	return id, err
}

// leftOver reports whether the server group id, named by a create whose job
// failed, exists all the same (listed with the stack's owner tag).
func (x Executor) leftOver(ctx context.Context, spec resource.ServerGroup, id string) bool {
	groups, err := x.c.ListServerGroupsByTag(ctx, resource.OwnerTagKey, spec.Tags[resource.OwnerTagKey])
	if err != nil {
		return false
	}
	for _, g := range groups {
		if g.ID == id {
			return true
		}
	}
	return false
}

// UpdateGroup sets the group's health check and session persistence.
func (x Executor) UpdateGroup(ctx context.Context, id string, spec resource.ServerGroup, token string, p cloud.Progress) error {
	return x.send(ctx, token, p, func(token string) (string, error) {
		return x.c.UpdateServerGroup(ctx, id, spec, token)
	})
}

// DeleteGroup deletes the group, waiting while a listener deleted a moment
// ago still holds it.
func (x Executor) DeleteGroup(ctx context.Context, id, token string, p cloud.Progress) error {
	return x.send(ctx, token, p, func(token string) (job string, err error) {
		err = cloud.WaitWhile(ctx, p, "still in use", func(ctx context.Context) (err error) {
			job, err = x.c.DeleteServerGroup(ctx, id, token)
			return err
		}, "ResourceInUse.ServerGroup")
		return job, err
	})
}

// AddServers adds a batch of servers. When another run (planned from another
// moment, so with another token) added them first, the step is done.
func (x Executor) AddServers(ctx context.Context, gid string, batch []resource.Backend, token string, p cloud.Progress) error {
	err := x.send(ctx, token, p, func(token string) (string, error) {
		return x.c.AddServers(ctx, gid, batch, token)
	})
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
	return x.send(ctx, token, p, func(token string) (string, error) {
		return x.c.RemoveServers(ctx, gid, batch, token)
	})
}

// SetWeights sets the weights of a batch of servers.
func (x Executor) SetWeights(ctx context.Context, gid string, batch []resource.Backend, token string, p cloud.Progress) error {
	return x.send(ctx, token, p, func(token string) (string, error) {
		return x.c.SetWeights(ctx, gid, batch, token)
	})
}

// CreateListener creates a listener forwarding to gid. A listener of the
// stack met on the port instead (another run's, even one that reads did not
// show yet, or one a failed job left) is returned as a
// *cloud.ListenerExistsError, for the apply engine to adopt (exists.go).
func (x Executor) CreateListener(ctx context.Context, lbID string, spec resource.Listener, gid, token string, p cloud.Progress) (id string, err error) {
	spec.ServerGroupID = gid
	err = x.send(ctx, token, p, func(token string) (job string, err error) {
		id, job, err = x.c.CreateListener(ctx, lbID, spec, token)
		return job, err
	})
	if cloud.HasCode(err, "ResourceAlreadyExist.Listener") {
		return "", x.existing(ctx, lbID, spec, err, p)
	}
	if err != nil {
		return "", err
	}
	return id, nil
}

// UpdateListener sets the listener's timeouts, certificate and forwarding.
func (x Executor) UpdateListener(ctx context.Context, _ string, cur, spec resource.Listener, gid, token string, p cloud.Progress) error {
	spec.ServerGroupID = gid
	return x.send(ctx, token, p, func(token string) (string, error) {
		return x.c.UpdateListener(ctx, cur.ID, spec, token)
	})
}

// DeleteListener deletes the listener.
func (x Executor) DeleteListener(ctx context.Context, _ string, l resource.Listener, token string, p cloud.Progress) error {
	return x.send(ctx, token, p, func(token string) (string, error) {
		return x.c.DeleteListener(ctx, l.ID, token)
	})
}

// SetTag tags the load balancer.
func (x Executor) SetTag(ctx context.Context, lbID, key, value string) error {
	return x.c.TagLoadBalancer(ctx, lbID, key, value)
}
