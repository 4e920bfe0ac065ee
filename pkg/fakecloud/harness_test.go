package fakecloud

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"
)

// What the fake's own tests share: a hand-moved clock, a harness that calls
// one product's handlers directly, and a server on a loopback listener.

// testClock is a world clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// handlerHarness calls one product's handlers directly (no HTTP, no
// signing) on a world from the demo seed, at a clock the test moves.
type handlerHarness struct {
	t                *testing.T
	st               *State
	reg              registry
	product, version string
	async            time.Duration
	// defaults are parameters every call gets unless it sets them ("" drops one).
	defaults url.Values
	now      time.Time
	n        int
}

func newHandlerHarness(t *testing.T, product, version string, async time.Duration) *handlerHarness {
	t.Helper()
	st, err := stateFromSeed(DemoSeed())
	if err != nil {
		t.Fatal(err)
	}
	return &handlerHarness{
		t: t, st: st, reg: builtinRegistry(), product: product, version: version, async: async,
		now: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC),
	}
}

// call runs an action with params given as name, value pairs.
func (h *handlerHarness) call(action string, kv ...string) (any, error) {
	h.t.Helper()
	params := url.Values{}
	for k, v := range h.defaults {
		params[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if _, ok := h.defaults[kv[i]]; ok {
			params.Del(kv[i])
			if kv[i+1] == "" {
				continue
			}
		}
		params.Add(kv[i], kv[i+1])
	}
	return h.callValues(action, params)
}

func (h *handlerHarness) callValues(action string, params url.Values) (any, error) {
	h.t.Helper()
	a, ok := h.reg[actionKey{h.version, action}]
	if !ok {
		h.t.Fatalf("action %s not registered", action)
	}
	h.n++
	return a.fn(h.st, &Request{
		Product: h.product, Version: h.version, Action: action, Params: params,
		RequestID: fmt.Sprintf("REQ-%d", h.n), Now: h.now, AsyncDuration: h.async,
	})
}

func (h *handlerHarness) must(action string, kv ...string) any {
	h.t.Helper()
	out, err := h.call(action, kv...)
	if err != nil {
		h.t.Fatalf("%s %v: %v", action, kv, err)
	}
	return out
}

// settle moves the clock past every pending transition.
func (h *handlerHarness) settle() { h.now = h.now.Add(h.async) }

// serveLoopback serves srv on a loopback port until stop, which cancels the
// context and returns what Serve returned.
func serveLoopback(t *testing.T, srv *Server) (addr string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, srv) }()
	return ln.Addr().String(), func() error {
		cancel()
		select {
		case err := <-served:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("Serve did not return")
			return nil
		}
	}
}
