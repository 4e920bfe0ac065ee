package chat

import (
	"sync"
	"sync/atomic"
	"time"
)

// hub is the set of this backend's clients, split into shards (one per
// processor): each shard has one goroutine that fans chat lines out to its
// clients and pings them. A broadcast frame is encoded once and the same
// bytes are written to every client's socket; when the shard is behind
// (lines arrive faster than it writes them) it takes every waiting line at
// once and writes them to each client in one system call, so falling behind
// makes the server cheaper per line instead of overflowing the clients'
// queues.
type hub struct {
	mu     sync.Mutex // guards closed against add
	closed bool
	shards []*shard
	next   atomic.Uint32
	stop   chan struct{}
	wg     sync.WaitGroup
}

// shardQueue is how many frames may wait for a shard before deliver blocks
// (back-pressure towards the bus and so the senders).
const shardQueue = 4096

// Coalescing bounds: at most this many lines, or this many bytes, in one
// write to a client.
const (
	maxBatchLines = 256
	maxBatchBytes = 64 << 10
)

// inlineMax is the largest shard whose lines are written by the delivering
// goroutine itself when nothing is waiting for the shard: a few writes cost
// less than waking the shard's goroutine, and a line for a small room arrives
// sooner.
const inlineMax = 32

type shard struct {
	s       *Server
	in      chan []byte
	pending atomic.Int64 // lines handed to in and not yet written
	mu      sync.RWMutex
	clients []*client
}

func (h *hub) init(s *Server, n int) {
	h.stop = make(chan struct{})
	h.shards = make([]*shard, max(1, n))
	for i := range h.shards {
		h.shards[i] = &shard{s: s, in: make(chan []byte, shardQueue)}
	}
}

// start runs the shards' goroutines until halt.
func (h *hub) start() {
	for _, sh := range h.shards {
		h.wg.Add(1)
		go func() { defer h.wg.Done(); sh.run(h.stop) }()
	}
}

func (h *hub) halt() {
	close(h.stop)
	h.wg.Wait()
}

// add registers c; it reports false once the hub is closed (shutting down).
func (h *hub) add(c *client) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	sh := h.shards[int(h.next.Add(1))%len(h.shards)]
	sh.mu.Lock()
	c.shard, c.slot = sh, len(sh.clients)
	c.nextPing = time.Now().Add(sh.s.opts.PingInterval).UnixNano()
	sh.clients = append(sh.clients, c)
	sh.mu.Unlock()
	return true
}

func (h *hub) remove(c *client) {
	sh := c.shard
	if sh == nil {
		return
	}
	sh.mu.Lock()
	last := len(sh.clients) - 1
	if c.slot <= last && sh.clients[c.slot] == c {
		sh.clients[c.slot] = sh.clients[last]
		sh.clients[c.slot].slot = c.slot
		sh.clients[last] = nil
		sh.clients = sh.clients[:last]
	}
	sh.mu.Unlock()
}

// broadcast hands an encoded frame to every shard; it blocks while a shard's
// queue is full, until stop. It is called from one goroutine (Bus.Run's), so
// a shard with nothing pending has no line that the inline write could
// overtake.
func (h *hub) broadcast(frame []byte) {
	for _, sh := range h.shards {
		if sh.pending.Load() == 0 && sh.fanoutSmall(frame) {
			continue
		}
		sh.pending.Add(1)
		select {
		case sh.in <- frame:
		case <-h.stop:
			return
		}
	}
}

// closeAll closes the hub and starts the close handshake of every client.
func (h *hub) closeAll(code int, reason string) {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.each(func(c *client) { c.kick(code, reason) })
}

// closeAllNow cuts every connection.
func (h *hub) closeAllNow(why string) {
	h.each(func(c *client) { c.closeNow(why) })
}

func (h *hub) each(f func(*client)) {
	for _, sh := range h.shards {
		sh.mu.RLock()
		for _, c := range sh.clients {
			f(c)
		}
		sh.mu.RUnlock()
	}
}

// pingTick is how often a shard looks for connections to ping or to give up
// on: an eighth of the shorter of the ping interval and the pong timeout.
func (sh *shard) pingTick() time.Duration {
	return max(time.Millisecond, min(sh.s.opts.PingInterval, sh.s.opts.PongTimeout)/8)
}

func (sh *shard) run(stop <-chan struct{}) {
	tick := time.NewTicker(sh.pingTick())
	defer tick.Stop()
	var batch []byte
	for {
		select {
		case f := <-sh.in:
			lines, frame := 1, f
			// Behind: take what else is waiting, up to the bounds, and write it
			// as one buffer.
		more:
			for lines < maxBatchLines && len(frame) < maxBatchBytes {
				select {
				case g := <-sh.in:
					if lines == 1 {
						batch = make([]byte, 0, maxBatchBytes+len(g))
						batch = append(batch, f...)
					}
					batch = append(batch, g...)
					frame = batch
					lines++
				default:
					break more
				}
			}
			batch = nil // the buffer now belongs to the clients that queued it
			sh.fanout(frame, lines)
			sh.pending.Add(int64(-lines))
		case <-tick.C:
			sh.ping(time.Now().UnixNano())
		case <-stop:
			return
		}
	}
}

// fanout writes frame (lines chat lines) to every client of the shard.
func (sh *shard) fanout(frame []byte, lines int) {
	sent := 0
	sh.mu.RLock()
	for _, c := range sh.clients {
		if c.write(frame, kindChat, lines) {
			sent++
		}
	}
	sh.mu.RUnlock()
	sh.s.stats.delivered.Add(uint64(sent * lines))
}

// fanoutSmall writes one line to the shard's clients if there are at most
// inlineMax of them, and reports whether it did.
func (sh *shard) fanoutSmall(frame []byte) bool {
	sh.mu.RLock()
	if len(sh.clients) > inlineMax {
		sh.mu.RUnlock()
		return false
	}
	sent := 0
	for _, c := range sh.clients {
		if c.write(frame, kindChat, 1) {
			sent++
		}
	}
	sh.mu.RUnlock()
	sh.s.stats.delivered.Add(uint64(sent))
	return true
}

// ping pings the clients due for it and closes those whose last ping went
// unanswered for PongTimeout, unless their socket is draining: when the
// server is behind, a ping waits behind the lines queued before it, and a
// client busy reading them is alive (a dead peer acknowledges nothing). One
// scheduler per shard replaces a ticker per connection.
func (sh *shard) ping(now int64) {
	interval, timeout := int64(sh.s.opts.PingInterval), int64(sh.s.opts.PongTimeout)
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	for _, c := range sh.clients {
		if c.pingSent != 0 {
			if c.ponged.Load() {
				c.pingSent = 0
			} else if now-c.pingSent >= timeout {
				if a := c.acked(); a >= 0 && a > c.pingAcked {
					c.pingSent, c.pingAcked = now, a // draining: give it another timeout
					continue
				}
				c.pingSent = 0
				c.closeNow("no pong within " + sh.s.opts.PongTimeout.String() + ": peer gone")
				continue
			}
		}
		if c.pingSent == 0 && now >= c.nextPing {
			c.ponged.Store(false)
			c.pingSent, c.nextPing = now, now+interval
			c.write(pingFrame, kindControl, 0)
			c.pingAcked = c.acked()
		}
	}
}
