package cloud

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// A listener create can meet a listener on its port that the plan did not
// see: another run of the same stack created it after this run read the
// load balancer, or while reads did not show it yet (lists lag behind
// writes), or this run's own earlier attempt did (its answer was lost). The
// cloud then says the port is taken (ALB ResourceAlreadyExist.Listener, CLB
// ListenerAlreadyExists), and the executors look (AwaitListener): the
// stack's own listener is handed to the apply engine as a
// *ListenerExistsError, which the engine adopts (it compares it with the
// plan's spec and updates what differs, as for drift); any other answer is
// the create's error, or a *PortTakenError.

// ListenerVisibleWait bounds how long a run waits for reads to show a
// listener that a create was told is on its port.
const ListenerVisibleWait = 30 * time.Second

// ListenerExistsError says a listener create found, on its port, a listener
// of the stack (Listener, as read once reads showed it and it had settled).
// It is not a failure by itself: the apply engine adopts the listener.
type ListenerExistsError struct {
	Listener resource.Listener
	Err      error // what the create was answered ("" when a lookup found it)
}

func (e *ListenerExistsError) Error() string {
	msg := fmt.Sprintf("listener %s of the stack already exists (%s)", e.Listener.Name(), e.Listener.ID)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *ListenerExistsError) Unwrap() error { return e.Err }

// PortTakenError says a listener create was refused because the port is
// taken, by a listener the stack does not own (Other), or by one no read
// showed within ListenerVisibleWait (Other is empty).
type PortTakenError struct {
	Port   int
	LB     string
	Other  resource.Listener
	Waited time.Duration
	Err    error // the create's error
}

func (e *PortTakenError) Error() string {
	if e.Other.ID == "" {
		return fmt.Sprintf("port %d of %s is taken, but no read of its listeners showed a listener there within %s: %v", e.Port, e.LB, e.Waited, e.Err)
	}
	return fmt.Sprintf("port %d of %s is taken by listener %s (%s), which this stack does not own: %v", e.Port, e.LB, e.Other.ID, e.Other.Name(), e.Err)
}

func (e *PortTakenError) Unwrap() error { return e.Err }

// Hint says what to do about the port.
func (e *PortTakenError) Hint() string {
	if e.Other.ID == "" {
		return fmt.Sprintf("the load balancer's reads may lag behind a listener created a moment ago: wait a minute and run the same command again; "+
			"if it fails the same way, look at port %d of %s in the console", e.Port, e.LB)
	}
	return e.Fix()
}

// Fix is the hint without running the command again (see Error.Fix).
func (e *PortTakenError) Fix() string {
	if e.Other.ID == "" {
		return fmt.Sprintf("the load balancer's reads may lag behind a listener created a moment ago (if the next run fails the same way, "+
			"look at port %d of %s in the console): wait a minute", e.Port, e.LB)
	}
	return fmt.Sprintf("listener %s on port %d is not this stack's (no wsdeploy tag for it): choose another port in the stack file, "+
		"or remove that listener if nothing needs it", e.Other.ID, e.Port)
}

// AwaitListener looks for the listener on spec's port of lbID after a
// create of spec was told the port is taken (createErr), and returns what
// the create step should return. It reads the listeners with list, a first
// time at once and then paced by w as work of kind, until one on the port
// shows (at most ListenerVisibleWait). The stack's own listener on spec's
// protocol is then read until busy says no more (another run is still
// creating or starting it), and returned as a *ListenerExistsError;
// anything else is a *PortTakenError.
func AwaitListener(ctx context.Context, w *Waits, kind, lbID string, spec resource.Listener, createErr error,
	list func(context.Context) ([]resource.Listener, error), busy func(status string) bool, p Progress) error {
	stack := spec.Tags[resource.OwnerTagKey]
	on := func(ls []resource.Listener) (resource.Listener, bool) {
		for _, l := range ls {
			if l.Port == spec.Port {
				return l, true
			}
		}
		return resource.Listener{}, false
	}
	var found resource.Listener
	start := time.Now()
	wctx, cancel := context.WithTimeout(ctx, ListenerVisibleWait)
	defer cancel()
	err := w.WaitNow(wctx, kind, func(ctx context.Context) (bool, error) {
		ls, err := list(ctx)
		if err != nil {
			return false, err
		}
		l, ok := on(ls)
		if !ok {
			if p != nil {
				p("the port is taken; waiting for reads to show its listener", time.Since(start))
			}
			return false, nil
		}
		found = l
		return true, nil
	})
	switch {
	case err != nil && ctx.Err() == nil && wctx.Err() != nil:
		return &PortTakenError{Port: spec.Port, LB: lbID, Waited: ListenerVisibleWait, Err: createErr}
	case err != nil:
		return errors.Join(createErr, fmt.Errorf("read the listeners of %s: %w", lbID, err))
	}
	if found.Protocol != spec.Protocol || !resource.OwnedBy(found.Tags, stack) {
		return &PortTakenError{Port: spec.Port, LB: lbID, Other: found, Err: createErr}
	}
	if busy(found.Status) {
		gone := false
		err := w.Wait(ctx, kind, func(ctx context.Context) (bool, error) {
			ls, err := list(ctx)
			if err != nil {
				return false, err
			}
			l, ok := on(ls)
			if gone = !ok || l.ID != found.ID; gone {
				return true, nil
			}
			found = l
			if p != nil {
				p("another run of the stack is creating it ("+found.Status+")", time.Since(start))
			}
			return !busy(l.Status), nil
		})
		if err != nil {
			return errors.Join(createErr, fmt.Errorf("wait for listener %s: %w", found.ID, err))
		}
		if gone {
			return fmt.Errorf("listener %s went away while this run waited for it to settle: %w", found.ID, createErr)
		}
	}
	return &ListenerExistsError{Listener: found, Err: createErr}
}
