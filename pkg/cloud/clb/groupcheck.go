package clb

import (
	"context"
	"fmt"
	"sync"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Two runs of one stack may create its vServer group at the same time (CLB
// takes no ClientToken). After its create, a run lists the stack's groups:
// every run keeps the one with the lowest ID and removes its own extra copy,
// so all runs agree on one group (the race check).
//
// The check need not hold up adding the group's first servers: servers
// added to a copy that loses are removed with it, and then added to the
// group that won. So StartGroup returns the new group's ID as soon as the
// create answered, with the check under way; AddServers on that ID adds
// alongside the check and then follows its verdict; Settle waits for the
// verdict, and nothing else may use the group before it (a listener
// forwarding to a copy that is then removed would break).

// groupChecks are the race checks of the groups this client created.
type groupChecks struct {
	mu sync.Mutex
	m  map[string]*groupCheck // by the ID of the group the run created
}

// groupCheck is the race check of one created group.
type groupCheck struct {
	mine string
	spec resource.ServerGroup
	done chan struct{} // closed when keep and err are set
	keep string        // the group every run keeps
	err  error
	// adding counts AddServers calls on mine in flight; removed is set once
	// mine, lost, has been deleted (or is being deleted): it is removed only
	// when no add to it is in flight, by whoever is last.
	adding  int
	removed bool
}

// check lists the stack's groups on lbID and settles c (keep, err).
func (x Executor) check(ctx context.Context, lbID string, c *groupCheck) {
	defer close(c.done)
	groups, err := x.c.ListGroupsByTag(ctx, lbID, resource.OwnerTagKey, c.spec.Tags[resource.OwnerTagKey])
	if err != nil {
		c.err = fmt.Errorf("list the stack's vServer groups to check that no other run created one: %w", err)
		return
	}
	c.keep = c.mine
	for _, g := range groups {
		if g.Name == c.spec.Name && g.ID < c.keep {
			c.keep = g.ID
		}
	}
}

// StartGroup creates the stack's vServer group on lbID and returns its ID at
// once, with the race check under way (see Settle). Until Settle returns,
// only AddServers may use the ID.
func (x Executor) StartGroup(ctx context.Context, lbID string, spec resource.ServerGroup, _ string, _ cloud.Progress) (string, error) {
	var id string
	err := x.create(ctx, func(ctx context.Context) (err error) {
		id, err = x.c.CreateGroup(ctx, lbID, spec.Name, spec.Tags)
		return err
	}, func(ctx context.Context) (bool, error) {
		groups, err := x.c.ListGroupsByTag(ctx, lbID, resource.OwnerTagKey, spec.Tags[resource.OwnerTagKey])
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
	c := &groupCheck{mine: id, spec: spec, done: make(chan struct{})}
	x.c.groups.mu.Lock()
	if x.c.groups.m == nil {
		x.c.groups.m = map[string]*groupCheck{}
	}
	x.c.groups.m[id] = c
	x.c.groups.mu.Unlock()
	go x.check(ctx, lbID, c)
	return id, nil
}

// pending returns the race check of the group id, nil if this client did
// not create it.
func (x Executor) pending(id string) *groupCheck {
	x.c.groups.mu.Lock()
	defer x.c.groups.mu.Unlock()
	return x.c.groups.m[id]
}

// Settle waits for the race check of the group StartGroup created as id and
// returns the group to use: id, or the one another run created at the same
// time, in which case id is removed (once no AddServers on it is in flight).
func (x Executor) Settle(ctx context.Context, id string, p cloud.Progress) (string, error) {
	c := x.pending(id)
	if c == nil {
		return id, nil
	}
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case <-c.done:
	}
	if c.err != nil || c.keep == c.mine {
		return c.keep, c.err
	}
	if p != nil {
		p("another run created "+c.keep+" at the same time; using it and removing "+c.mine, 0)
	}
	return c.keep, x.removeLost(ctx, c, false)
}

// removeLost deletes the group c's run created and lost, unless an add to
// it is still in flight (that add's AddServers removes it when it ends) or
// it is already removed. added: the caller is an AddServers whose add has
// ended.
func (x Executor) removeLost(ctx context.Context, c *groupCheck, added bool) error {
	x.c.groups.mu.Lock()
	if added {
		c.adding--
	}
	if c.removed || c.adding > 0 {
		x.c.groups.mu.Unlock()
		return nil
	}
	c.removed = true
	x.c.groups.mu.Unlock()
	if err := x.c.DeleteGroup(ctx, c.mine); err != nil && !cloud.HasCode(err, "RspoolVipExist") {
		return fmt.Errorf("remove duplicate vServer group %s: %w", c.mine, err)
	}
	return nil
}

// addServers adds a batch to the group gid, once.
func (x Executor) addServers(ctx context.Context, gid string, batch []resource.Backend) error {
	return x.create(ctx, func(ctx context.Context) error {
		return x.c.AddServers(ctx, gid, batch)
	}, func(ctx context.Context) (bool, error) {
		have, err := x.c.ListServers(ctx, gid)
		return err == nil && resource.ContainsAll(have, batch), err
	})
}

// AddServers adds a batch of servers, once. On a group StartGroup created
// whose race check is under way, the add runs alongside the check; when
// another run's group won, the batch goes to that group as well and the
// copy is removed.
func (x Executor) AddServers(ctx context.Context, gid string, batch []resource.Backend, _ string, _ cloud.Progress) error {
	c := x.pending(gid)
	if c == nil {
		return x.addServers(ctx, gid, batch)
	}
	x.c.groups.mu.Lock()
	lost := c.removed // set only once the check found another run's group
	if !lost {
		c.adding++
	}
	x.c.groups.mu.Unlock()
	if !lost {
		err := x.addServers(ctx, gid, batch)
		settled := false
		select {
		case <-ctx.Done():
		case <-c.done:
			settled = true
		}
		if !settled || c.err != nil || c.keep == c.mine {
			x.c.groups.mu.Lock()
			c.adding--
			x.c.groups.mu.Unlock()
			switch {
			case err != nil:
				return err
			case !settled:
				return ctx.Err()
			}
			return c.err
		}
		// Another run's group won: what happened to the copy does not matter.
		if err := x.removeLost(ctx, c, true); err != nil {
			return err
		}
	}
	return x.addServers(ctx, c.keep, batch)
}
