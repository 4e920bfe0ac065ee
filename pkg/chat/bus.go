package chat

import (
	"context"
	"fmt"
)

// Bus carries events to every backend of the room, the publishing one
// included. Each backend delivers what it receives to its own clients.
type Bus interface {
	// Publish hands an event to every backend.
	Publish(ctx context.Context, e Event) error
	// Run calls deliver, from one goroutine, for every event any backend
	// publishes, until ctx ends. It is called once.
	Run(ctx context.Context, deliver func(Event)) error
	// Check reports whether the bus can currently carry events; /healthz
	// fails while it returns an error.
	Check(ctx context.Context) error
}

// LocalBus is the single-node bus: events published on this process are
// delivered to this process only.
type LocalBus struct {
	events chan Event
}

var _ Bus = (*LocalBus)(nil)

// localBusQueue bounds the events waiting for delivery; Publish waits (bounded
// by its context) when the queue is full.
const localBusQueue = 1024

// NewLocalBus returns a bus for a single backend.
func NewLocalBus() *LocalBus {
	return &LocalBus{events: make(chan Event, localBusQueue)}
}

// Publish queues e for delivery.
func (b *LocalBus) Publish(ctx context.Context, e Event) error {
	select {
	case b.events <- e:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("publish to the in-process hub: %w", ctx.Err())
	}
}

// Run delivers queued events until ctx ends.
func (b *LocalBus) Run(ctx context.Context, deliver func(Event)) error {
	for {
		select {
		case e := <-b.events:
			deliver(e)
		case <-ctx.Done():
			return nil
		}
	}
}

// Check always succeeds: the in-process hub has nothing to lose contact with.
func (b *LocalBus) Check(context.Context) error { return nil }
