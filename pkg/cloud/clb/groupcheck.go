package clb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Two runs of one stack may create its vServer group at the same time (CLB
// takes no ClientToken). After its create, a run lists the stack's groups:
// every run keeps the one with the lowest ID and removes its own extra copy,
// so all runs agree on one group (the race check). Lists lag behind writes:
// see check and awaitLater for how the check stays right under that lag.
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
	// found: after a create whose answer was lost, the groups of the stack
	// the look-up found when it found more than one (mine is the lowest):
	// this run's is one of them, and nothing tells which.
	found []string
	done  chan struct{} // closed when keep and err are set
	keep  string        // the group every run keeps
	err   error
	// adding counts AddServers calls on mine in flight; removed is set once
	// mine, lost, has been deleted (or is being deleted): it is removed only
	// when no add to it is in flight, by whoever is last.
	adding  int
	removed bool
}

// DefaultGroupCheckWait bounds how long the race check re-reads the
// stack's groups waiting for the list to show the group this run just
// created (Executor.GroupCheckWait overrides it).
const DefaultGroupCheckWait = 30 * time.Second

// checkWait is the bound of the waits for a new group to show in lists.
func (x Executor) checkWait() time.Duration {
	if x.GroupCheckWait > 0 {
		return x.GroupCheckWait
	}
	return DefaultGroupCheckWait
}

// check lists the stack's groups on lbID and settles c (keep, err). Lists
// lag behind writes (read-after-write): a list that does not show the group
// this run just created proves nothing about another run's, so the check
// counts only on a list that shows it, re-read with a growing interval
// (bounded by checkWait()) until it does. Without lag the first list shows it:
// one read, as before.
// WaitGroupVisible is the cloud.Waits kind of the wait for a new vServer
// group to show in lists.
const WaitGroupVisible = "slb/CreateVServerGroup"

func (x Executor) check(ctx context.Context, lbID string, c *groupCheck) {
	defer close(c.done)
	wait := x.checkWait()
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	var groups []resource.ServerGroup
	reads := 0
	// A first read at once (without lag it shows the group: one read), then
	// polls paced like any other wait for the cloud (cloud.Waits), for a new
	// group's read-after-write window.
	err := x.c.api.Config.Waits.WaitNow(wctx, WaitGroupVisible, func(ctx context.Context) (bool, error) {
		var err error
		groups, err = x.c.ListGroupsByTag(ctx, lbID, resource.OwnerTagKey, c.spec.Tags[resource.OwnerTagKey])
		reads++
		return err == nil && slices.ContainsFunc(groups, func(g resource.ServerGroup) bool { return g.ID == c.mine }), err
	})
	switch {
	case err != nil && ctx.Err() == nil && wctx.Err() != nil:
		c.err = &UnseenGroupError{ID: c.mine, Reads: reads, Waited: wait}
		return
	case err != nil:
		c.err = fmt.Errorf("list the stack's vServer groups to check that no other run created one: %w", err)
		return
	}
	c.keep = c.mine
	var later []string // other runs' copies, created after ours
	for _, g := range groups {
		switch {
		case g.Name != c.spec.Name || g.ID == c.mine:
		case g.ID < c.keep:
			c.keep = g.ID
		default:
			later = append(later, g.ID)
		}
	}
	if err := x.removeFound(ctx, c); err != nil {
		c.err = err
		return
	}
	if c.keep == c.mine && len(later) > 0 {
		c.keep, c.err = x.awaitLater(ctx, lbID, c, later)
	}
}

// removeFound: the run's create lost its answer and its look-up found
// several groups of the stack (c.found); which one the create made is not
// known. Every run keeps the earliest, and the run that made a later copy
// removes it; this run cannot tell its own, so it removes every one it
// found but the one kept and its own pick (mine: Settle removes it when it
// lost). A copy a listener uses (its run kept it: the cloud refuses with
// RspoolVipExist) stays, for awaitLater to find. Taking the lowest for its
// own and leaving the rest left its own copy behind.
func (x Executor) removeFound(ctx context.Context, c *groupCheck) error {
	for _, id := range c.found {
		if id == c.keep || id == c.mine {
			continue
		}
		if err := x.c.DeleteGroup(ctx, id); err != nil && !cloud.HasCode(err, "RspoolVipExist") {
			return fmt.Errorf("the create's answer was lost and the stack has vServer groups %v; remove %s, which may be this run's (%s is kept): %w", c.found, id, c.keep, err)
		}
	}
	return nil
}

// awaitLater settles a check whose list showed this run's group, the
// earliest, next to copies that other runs created after it. A run whose
// check sees ours removes its copy. But lists lag behind writes, and a group
// created earlier may stay missing from them longer than one created later:
// a run whose check read came before ours showed kept its copy, and goes on
// to forward its listeners to it. So wait (bounded by checkWait()) until each
// later copy is gone (keep ours) or a listener forwards to one (keep that
// one, and ours is the copy to remove). At the end of the wait, ours.
func (x Executor) awaitLater(ctx context.Context, lbID string, c *groupCheck, later []string) (string, error) {
	wctx, cancel := context.WithTimeout(ctx, x.checkWait())
	defer cancel()
	keep := c.mine
	err := cloud.Poll(wctx, 100*time.Millisecond, time.Second, func(ctx context.Context) (bool, error) {
		groups, err := x.c.listGroupsByTag(ctx, lbID, resource.OwnerTagKey, c.spec.Tags[resource.OwnerTagKey], true)
		if err != nil {
			return false, err
		}
		left := false
		for _, g := range groups {
			if !slices.Contains(later, g.ID) {
				continue
			}
			left = true
			if len(g.LoadBalancerIDs) > 0 && (keep == c.mine || g.ID < keep) {
				keep = g.ID
			}
		}
		return keep != c.mine || !left, nil
	})
	switch {
	case err != nil && ctx.Err() == nil && wctx.Err() != nil:
		return c.mine, nil
	case err != nil:
		return "", fmt.Errorf("list the stack's vServer groups to see whether another run kept its own: %w", err)
	}
	return keep, nil
}

// lostLookupWait bounds the look-up for a group a create whose answer was
// lost may have made: the time after which a new group is overdue in lists
// (twice the usual lag, cloud.TypicalDurations; the realistic profile's
// longest at time scale 1 is 3 s), at most checkWait(). The race check's
// own wait is longer (checkWait(): it needs the list to show a group known
// to exist), but a create that made nothing (a 5xx before the cloud acted)
// would cost all of it here (a quarter of a chaos run's group creates). A
// group hidden for longer than this is left to the race check of the
// create sent again: it keeps the earlier group when the list shows both by
// the time it shows the new one, and keeps both otherwise (not covered).
func (x Executor) lostLookupWait() time.Duration {
	wait := 4 * time.Second
	if t, ok := cloud.TypicalDurations[WaitGroupVisible]; ok {
		wait = 2 * t.Usual
	}
	return min(wait, x.checkWait())
}

// answerLost reports whether a create failed in a way that may have made
// what it creates: no answer came back on a connection that was made, or
// the cloud answered with a server error (5xx).
func answerLost(err error) bool {
	var e *cloud.Error
	return errors.As(err, &e) && (e.Class == cloud.ClassNoAnswer || e.HTTPStatus >= 500)
}

// UnseenGroupError: the list of the stack's vServer groups did not show the
// group this run had just created, for as long as the race check waits, so
// the check could not tell whether another run made one too.
type UnseenGroupError struct {
	ID     string
	Reads  int
	Waited time.Duration
}

func (e *UnseenGroupError) Error() string {
	return fmt.Sprintf("check that no other run created the stack's vServer group: the list of its groups did not show the group just created (%s) after %d reads in %s",
		e.ID, e.Reads, e.Waited)
}

// Hint says what to do: the group exists, and a run finds it once lists
// show it. (The engine's error adds the command to run again.)
func (e *UnseenGroupError) Hint() string {
	return fmt.Sprintf("%s was created, but the cloud's list of the stack's vServer groups did not show it within %s (lists lag behind writes): "+
		"wait a minute for the list to catch up, so that the next run finds it (or the one another run kept)", e.ID, e.Waited)
}

// StartGroup creates the stack's vServer group on lbID and returns its ID at
// once, with the race check under way (see Settle). Until Settle returns,
// only AddServers may use the ID.
//
// A create whose answer was lost may have made the group, and lists lag
// behind writes: one look right after it proves nothing. So the look-up
// re-reads, paced like the race check's wait (cloud.Waits, kind
// WaitGroupVisible), until the list shows a group of the stack with spec's
// name, for as long as a new group is expected to stay hidden
// (lostLookupWait); only a group not shown by then counts as not made, and
// the create is sent again. An answer that says the create was refused
// (throttled, busy: 4xx) made nothing: one look.
func (x Executor) StartGroup(ctx context.Context, lbID string, spec resource.ServerGroup, _ string, _ cloud.Progress) (string, error) {
	var id string
	var found []string // after a lost answer, the stack's groups with spec's name
	var failed error   // the last attempt's error
	look := func(ctx context.Context) (bool, error) {
		groups, err := x.c.ListGroupsByTag(ctx, lbID, resource.OwnerTagKey, spec.Tags[resource.OwnerTagKey])
		if err != nil {
			return false, err
		}
		found = found[:0]
		for _, g := range groups {
			if g.Name == spec.Name {
				found = append(found, g.ID)
				if id == "" || g.ID < id {
					id = g.ID
				}
			}
		}
		return id != "", nil
	}
	err := x.create(ctx, func(ctx context.Context) (err error) {
		id, err = x.c.CreateGroup(ctx, lbID, spec.Name, spec.Tags)
		failed = err
		if err == nil {
			found = nil // the answer names this run's group
		}
		return err
	}, func(ctx context.Context) (bool, error) {
		if !answerLost(failed) {
			return look(ctx)
		}
		wctx, cancel := context.WithTimeout(ctx, x.lostLookupWait())
		defer cancel()
		err := x.c.api.Config.Waits.WaitNow(wctx, WaitGroupVisible, look)
		if err != nil && ctx.Err() == nil && wctx.Err() != nil {
			return false, nil // not shown for as long as a new group may stay hidden: not made
		}
		return err == nil, err
	})
	if err != nil {
		return "", err
	}
	c := &groupCheck{mine: id, spec: spec, done: make(chan struct{})}
	if len(found) > 1 {
		c.found = found
	}
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

// addServers adds a batch to the group gid, once. An add whose answer was
// lost (or that met servers already in the group) is looked up by reading
// the group; a group just created may be missing from reads by ID for a
// moment (404, see pkg/fakecloud/doc.go, Read-after-write), so the look-up
// re-reads it for as long as a new group may stay hidden (lostLookupWait)
// before it counts the add as not made. One read took the 404 for "not
// added": the add was sent again, met the servers the first one added, and
// the run failed.
func (x Executor) addServers(ctx context.Context, gid string, batch []resource.Backend) error {
	return x.create(ctx, func(ctx context.Context) error {
		return x.c.AddServers(ctx, gid, batch)
	}, func(ctx context.Context) (bool, error) {
		added := false
		wctx, cancel := context.WithTimeout(ctx, x.lostLookupWait())
		defer cancel()
		err := x.c.api.Config.Waits.WaitNow(wctx, WaitGroupVisible, func(ctx context.Context) (bool, error) {
			have, err := x.c.ListServers(ctx, gid)
			if groupGone(err) {
				return false, nil // not shown yet
			}
			added = err == nil && resource.ContainsAll(have, batch)
			return err == nil, err
		})
		if err != nil && ctx.Err() == nil && wctx.Err() != nil {
			return false, nil // the group never showed: its add goes again, and its answer tells
		}
		return added, err
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
