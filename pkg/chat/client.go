package chat

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// reasonSlow is the close reason of a client whose send queue overflowed.
const reasonSlow = "too slow: send queue full"

// client is one WebSocket connection. username and strikes belong to the
// connection's read goroutine; the rest is safe for concurrent use.
type client struct {
	id      string
	conn    *websocket.Conn
	send    chan []byte
	limiter bucket

	username string
	strikes  int

	kickOnce   sync.Once
	kicked     chan struct{}
	kickCode   websocket.StatusCode // written before kicked is closed
	kickReason string

	mu     sync.Mutex
	ending string
}

func newClient(conn *websocket.Conn, o Options) *client {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return &client{
		id:      hex.EncodeToString(b[:]),
		conn:    conn,
		send:    make(chan []byte, o.SendQueue),
		limiter: newBucket(o.RateLimit, o.RateBurst),
		kicked:  make(chan struct{}),
	}
}

// enqueue queues a frame without blocking. A full queue means the client
// cannot keep up: it is disconnected. enqueue reports whether the frame was
// queued, and whether this call is the one that disconnected the client.
func (c *client) enqueue(b []byte) (queued, dropped bool) {
	select {
	case c.send <- b:
		return true, false
	default:
		return false, c.kick(websocket.StatusPolicyViolation, reasonSlow)
	}
}

// kick asks the writer to close the connection with code and reason. Only
// the first call counts (and reports true); it never blocks.
func (c *client) kick(code websocket.StatusCode, reason string) bool {
	first := false
	c.kickOnce.Do(func() {
		first = true
		c.kickCode, c.kickReason = code, reason
		c.setEnd(reason)
		close(c.kicked)
	})
	return first
}

// setEnd records why the connection ends, first reason wins.
func (c *client) setEnd(why string) {
	c.mu.Lock()
	if c.ending == "" {
		c.ending = why
	}
	c.mu.Unlock()
}

func (c *client) end() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ending
}

// bucket is a token bucket: rate tokens per second, at most burst saved up.
// A negative rate means unlimited.
type bucket struct {
	rate, burst, tokens float64
	last                time.Time
}

func newBucket(rate float64, burst int) bucket {
	return bucket{rate: rate, burst: float64(burst), tokens: float64(burst)}
}

func (b *bucket) allow(now time.Time) bool {
	if b.rate < 0 {
		return true
	}
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// hub is the set of this backend's clients.
type hub struct {
	mu      sync.RWMutex
	clients map[*client]struct{}
	closed  bool
}

// add registers c; it reports false once the hub is closed (shutting down).
func (h *hub) add(c *client) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.clients[c] = struct{}{}
	return true
}

func (h *hub) remove(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

// broadcast queues b for every client and returns how many got it and how
// many were disconnected for being too slow.
func (h *hub) broadcast(b []byte) (sent, dropped int) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.clients {
		queued, drop := c.enqueue(b)
		if queued {
			sent++
		}
		if drop {
			dropped++
		}
	}
	return sent, dropped
}

// closeAll closes the hub and asks every client to close with code.
func (h *hub) closeAll(code websocket.StatusCode, reason string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		c.kick(code, reason)
	}
}
