package chat

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// reasonSlow is the close reason of a client whose socket stopped draining.
const reasonSlow = "too slow: not reading"

// closeWait bounds the close handshake: how long the server waits for the
// client's close frame after sending its own.
const closeWait = 5 * time.Second

var timeZero time.Time

// client is one WebSocket connection.
//
// Its only goroutine is the reader (Server.run), which blocks on the next
// frame header with no buffer held. Frames for the client are written by
// whoever has them (the hub's fan-out, the reader's own notices, the ping
// scheduler) straight to the socket without blocking; only when the socket
// does not take everything is a queue allocated and a flusher goroutine
// started, which writes the whole queue in one system call (writev) and
// exits once it is empty.
type client struct {
	id    string
	s     *Server
	conn  net.Conn
	raw   syscall.RawConn // nil: every write goes through the flusher
	early []byte          // bytes that came with the handshake, read first
	hdr   [10]byte        // the reader's frame header

	// The reader's own state.
	limiter  bucket
	username string
	strikes  int

	// Owned by the hub shard the client is on.
	shard     *shard
	slot      int   // index in shard.clients
	nextPing  int64 // unix nanos
	pingSent  int64 // unix nanos of the unanswered ping, 0 if none
	pingAcked int64 // bytes the peer had acknowledged when it was sent (or at the last extension)
	ponged    atomic.Bool

	mu        sync.Mutex
	queue     net.Buffers // frames waiting for the flusher; nil when none
	queued    int         // chat lines in queue
	missed    int         // chat lines shed since the last gap notice
	flushing  bool        // a flusher goroutine owns the socket's writes
	closing   bool        // a close frame is queued or sent: nothing follows it
	closed    bool        // the socket is closed
	sentClose bool        // the close frame has been written
	ending    string      // why the connection ends, first reason wins

	// The non-blocking write, kept to allocate nothing per write.
	wbuf    []byte
	wn      int
	werr    error
	writeFn func(fd uintptr) bool
}

func newClient(s *Server, conn net.Conn, early []byte) *client {
	var b [6]byte
	_, _ = rand.Read(b[:])
	c := &client{
		id:      hex.EncodeToString(b[:]),
		s:       s,
		conn:    conn,
		early:   early,
		limiter: newBucket(s.opts.RateLimit, s.opts.RateBurst),
	}
	if sc, ok := conn.(syscall.Conn); ok {
		if raw, err := sc.SyscallConn(); err == nil {
			if c.writeFn = rawWriter(c); c.writeFn != nil {
				c.raw = raw
			}
		}
	}
	return c
}

// frame kinds for write.
const (
	kindControl = iota // a ping, pong or notice for this client: never shed
	kindChat           // chat lines: shed when the client is too far behind
	kindClose          // the close frame: the last thing written
)

// write sends b (msgs chat lines when kind is kindChat) to the client, never
// blocking: what the socket does not take now is queued for the flusher. A
// client more than SendQueue chat lines behind has the new lines shed (it
// gets a gap notice once it catches up); it is disconnected only when its
// socket stops draining (see flush). write reports whether b was sent or
// queued.
func (c *client) write(b []byte, kind, msgs int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed || c.closing {
		return false
	}
	if kind == kindClose {
		c.closing = true
	}
	if c.flushing || c.raw == nil {
		if kind == kindChat && c.queued+msgs > c.s.opts.SendQueue {
			c.missed += msgs
			c.s.stats.shed.Add(uint64(msgs))
			return false
		}
		if kind == kindChat && c.missed > 0 {
			c.queue = append(c.queue, c.s.gapFrame(c.missed))
			c.missed = 0
		}
		c.queue = append(c.queue, b)
		if kind == kindChat {
			c.queued += msgs
		}
		if !c.flushing {
			c.flushing = true
			go c.flush()
		}
		return true
	}
	c.wbuf = b
	err := c.raw.Write(c.writeFn)
	c.wbuf = nil
	if err == nil {
		err = c.werr
	}
	if err != nil {
		c.closeLocked("write failed: " + err.Error())
		return false
	}
	if c.wn == len(b) {
		if kind == kindClose {
			c.afterCloseSentLocked()
		}
		return true
	}
	// The socket is full: the rest of this frame goes first, by the flusher.
	c.queue = append(c.queue, b[c.wn:])
	if kind == kindChat {
		c.queued += msgs
	}
	c.flushing = true
	go c.flush()
	return true
}

// flush writes the queue, all of it in one system call each round, until it
// is empty. A socket that takes nothing for WriteTimeout means the client is
// not reading: it is disconnected. A client that reads, however
// slowly, keeps its connection.
func (c *client) flush() {
	for {
		c.mu.Lock()
		if c.closed {
			c.queue, c.flushing = nil, false
			c.mu.Unlock()
			return
		}
		if len(c.queue) == 0 && c.missed > 0 && !c.closing {
			c.queue = append(c.queue, c.s.gapFrame(c.missed))
			c.missed = 0
		}
		if len(c.queue) == 0 {
			c.queue, c.flushing = nil, false
			if c.closing && !c.sentClose {
				c.afterCloseSentLocked()
			}
			c.mu.Unlock()
			return
		}
		bufs := c.queue
		c.queue, c.queued = nil, 0
		c.mu.Unlock()

		err := c.writeAll(bufs)
		if err != nil {
			c.mu.Lock()
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() && !c.closed {
				c.s.stats.dropped.Add(1)
				c.s.clientLog(c, slog.LevelWarn, "slow",
					"disconnected a slow client: its socket took nothing for the write timeout", "writeTimeout", c.s.opts.WriteTimeout.String())
				c.closeLocked(reasonSlow)
			} else {
				c.closeLocked("write failed: " + err.Error())
			}
			c.queue, c.flushing = nil, false
			c.mu.Unlock()
			return
		}
	}
}

// writeAll writes bufs to the socket, giving up only when the socket takes
// nothing for WriteTimeout. The deadline applies to each stretch without
// progress, not to the whole round: a client that reads a long backlog
// slowly is not one that stopped reading. Progress is what the peer
// acknowledges (Linux) as well as what the write takes: a blocked write
// wakes only once a good part of the send buffer is free, which a slow
// reader may take longer than WriteTimeout to free while reading all along.
func (c *client) writeAll(bufs net.Buffers) error {
	for {
		acked := c.acked()
		_ = c.conn.SetWriteDeadline(time.Now().Add(c.s.opts.WriteTimeout))
		n, err := bufs.WriteTo(c.conn) // consumes what it wrote
		var ne net.Error
		if err == nil || len(bufs) == 0 || !errors.As(err, &ne) || !ne.Timeout() {
			return err
		}
		if a := c.acked(); n == 0 && (a < 0 || a <= acked) {
			return err // nothing taken, nothing acknowledged: not reading
		}
	}
}

// afterCloseSentLocked: the close frame is out; the client has closeWait to
// answer with its own before the reader gives up.
func (c *client) afterCloseSentLocked() {
	c.sentClose = true
	_ = c.conn.SetReadDeadline(time.Now().Add(closeWait))
}

// kick starts the close handshake with code and reason; only the first call
// counts (and reports true). It never blocks.
func (c *client) kick(code int, reason string) bool {
	c.setEnd(reason)
	return c.write(closeFrame(code, reason), kindClose, 0)
}

// closeNow closes the socket without a close frame.
func (c *client) closeNow(why string) {
	c.mu.Lock()
	c.closeLocked(why)
	c.mu.Unlock()
}

func (c *client) closeLocked(why string) {
	if c.ending == "" {
		c.ending = why
	}
	if !c.closed {
		c.closed = true
		_ = c.conn.Close()
	}
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

// isClosing reports whether the server has started closing the connection.
func (c *client) isClosing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closing || c.closed
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
