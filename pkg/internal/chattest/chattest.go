// Package chattest runs wschat backends and WebSocket clients in tests.
package chattest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/internal/redistest"
)

// Backend is a wschat server on a loopback port.
type Backend struct {
	Name   string
	Addr   string // 127.0.0.1:port
	Server *chat.Server
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	tb     testing.TB
}

// WSURL is the backend's WebSocket URL.
func (b *Backend) WSURL() string { return "ws://" + b.Addr + "/ws" }

// HTTPURL is the backend's base URL.
func (b *Backend) HTTPURL() string { return "http://" + b.Addr }

// Start serves a backend with opts (Name and Logger filled in when empty)
// until the test ends or Stop is called.
func Start(tb testing.TB, opts chat.Options) *Backend {
	tb.Helper()
	return StartWith(tb, opts, nil)
}

// StartWith is Start with a hook that sees the server before it serves.
func StartWith(tb testing.TB, opts chat.Options, before func(*chat.Server)) *Backend {
	tb.Helper()
	if opts.Name == "" {
		opts.Name = "web-" + strings.ToLower(strings.NewReplacer("/", "-", " ", "-").Replace(tb.Name()))
	}
	if opts.Logger == nil {
		opts.Logger = Logger(tb)
	}
	srv, err := chat.New(opts)
	if err != nil {
		tb.Fatalf("new wschat backend: %v", err)
	}
	if before != nil {
		before(srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := &Backend{Name: opts.Name, Addr: ln.Addr().String(), Server: srv, cancel: cancel, done: make(chan error, 1), tb: tb}
	go func() { b.done <- srv.Serve(ctx, ln) }()
	tb.Cleanup(b.Stop)
	return b
}

// StopTimeout bounds how long Stop waits for a graceful shutdown.
const StopTimeout = 30 * time.Second

// Stop shuts the backend down gracefully and waits for it; a backend that
// does not stop within StopTimeout (something is stuck) fails the test.
func (b *Backend) Stop() {
	b.once.Do(func() {
		b.cancel()
		select {
		case <-b.done:
		case <-time.After(StopTimeout):
			b.tb.Errorf("backend %s did not shut down within %s", b.Name, StopTimeout)
		}
	})
}

// SteadyRedisBus returns a bus on the Redis at url with wschat's default
// health interval (a quiet subscription is pinged every 2s and given up
// after 6s without an answer), closed at cleanup. There is no shorter
// interval for tests: a subscription given up because a loaded machine kept
// Redis's answer back loses every message published until it is back (pub/sub
// keeps nothing). Tests of a Redis that goes away drive it: Stop (the
// connections are cut) or Pause (Redis falls silent), redistest.
func SteadyRedisBus(tb testing.TB, url string) *chat.RedisBus {
	tb.Helper()
	return RedisBusWith(tb, chat.RedisOptions{URL: url})
}

// RedisBusWith returns a bus built from o (logging through Logger unless o
// has a Logger), closed at cleanup. Leave o.HealthInterval out unless the
// test is about it (see SteadyRedisBus).
func RedisBusWith(tb testing.TB, o chat.RedisOptions) *chat.RedisBus {
	tb.Helper()
	if o.Logger == nil {
		o.Logger = Logger(tb)
	}
	bus, err := chat.NewRedisBus(o)
	if err != nil {
		tb.Fatalf("new Redis bus: %v", err)
	}
	tb.Cleanup(func() { _ = bus.Close() })
	return bus
}

// StartRedisPair starts backends web-a and web-b with opts, sharing a Redis
// of their own (redistest.Start) through SteadyRedisBus, and waits until both
// are subscribed (their /healthz answers 200).
func StartRedisPair(tb testing.TB, opts chat.Options) (*redistest.Server, *Backend, *Backend) {
	tb.Helper()
	rs := redistest.Start(tb)
	oa, ob := opts, opts
	oa.Name, oa.Bus = "web-a", SteadyRedisBus(tb, rs.URL())
	ob.Name, ob.Bus = "web-b", SteadyRedisBus(tb, rs.URL())
	a, b := Start(tb, oa), Start(tb, ob)
	WaitHealthy(tb, a, 10*time.Second)
	WaitHealthy(tb, b, 10*time.Second)
	return rs, a, b
}

// Logger logs through tb.Log while the test runs, and drops logs after.
func Logger(tb testing.TB) *slog.Logger {
	w := &tbWriter{tb: tb}
	tb.Cleanup(func() { w.mu.Lock(); w.done = true; w.mu.Unlock() })
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tbWriter struct {
	mu   sync.Mutex
	tb   testing.TB
	done bool
}

func (w *tbWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.tb.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

// Client is a test WebSocket client that reads every frame into a queue.
type Client struct {
	Conn   *websocket.Conn
	tb     testing.TB
	frames chan chat.Frame
	closed chan struct{}
	err    error // why reading stopped; valid once closed is closed
}

// Dial connects to url and starts reading. origin, when set, is sent as the Origin header.
func Dial(tb testing.TB, url, origin string) *Client {
	tb.Helper()
	c, err := TryDial(url, origin)
	if err != nil {
		tb.Fatalf("dial %s: %v", url, err)
	}
	c.tb = tb
	tb.Cleanup(func() { _ = c.Conn.CloseNow() })
	return c
}

// TryDial is Dial returning the error.
func TryDial(url, origin string) (*Client, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	opts := &websocket.DialOptions{}
	if origin != "" {
		opts.HTTPHeader = map[string][]string{"Origin": {origin}}
	}
	conn, _, err := websocket.Dial(ctx, url, opts)
	if err != nil {
		return nil, err
	}
	c := &Client{Conn: conn, frames: make(chan chat.Frame, 4096), closed: make(chan struct{})}
	go c.read()
	return c, nil
}

func (c *Client) read() {
	defer close(c.closed)
	for {
		_, data, err := c.Conn.Read(context.Background())
		if err != nil {
			c.err = err
			return
		}
		var f chat.Frame
		if err := json.Unmarshal(data, &f); err != nil {
			c.err = fmt.Errorf("decode frame %q: %w", data, err)
			return
		}
		c.frames <- f
	}
}

// Send sends one frame.
func (c *Client) Send(f chat.ClientFrame) {
	c.tb.Helper()
	b, _ := json.Marshal(f)
	if err := c.SendRaw(b); err != nil {
		c.tb.Fatalf("send %s: %v", b, err)
	}
}

// SendRaw sends bytes as one text frame.
func (c *Client) SendRaw(b []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.Conn.Write(ctx, websocket.MessageText, b)
}

// SetUsername sets the username and waits for the confirmation.
func (c *Client) SetUsername(name string) {
	c.tb.Helper()
	c.Send(chat.ClientFrame{Type: chat.TypeSetUsername, Username: name})
	c.Expect(func(f chat.Frame) bool { return f.Code == chat.CodeUsernameSet })
}

// ErrClosed is returned by Next once the connection is closed and drained.
var ErrClosed = errors.New("connection closed")

// Next returns the next frame, waiting at most d.
func (c *Client) Next(d time.Duration) (chat.Frame, error) {
	select {
	case f := <-c.frames:
		return f, nil
	default:
	}
	select {
	case f := <-c.frames:
		return f, nil
	case <-c.closed:
		select {
		case f := <-c.frames:
			return f, nil
		default:
			return chat.Frame{}, fmt.Errorf("%w: %v", ErrClosed, c.err)
		}
	case <-time.After(d):
		return chat.Frame{}, fmt.Errorf("no frame within %s", d)
	}
}

// Wait is how long Expect waits.
const Wait = 5 * time.Second

// Expect skips frames until one matches, failing the test after Wait.
func (c *Client) Expect(match func(chat.Frame) bool) chat.Frame {
	c.tb.Helper()
	f, err := c.Find(match, Wait)
	if err != nil {
		c.tb.Fatal(err)
	}
	return f
}

// Find skips frames until one matches, for at most d; the skipped frames are returned in the error.
func (c *Client) Find(match func(chat.Frame) bool, d time.Duration) (chat.Frame, error) {
	deadline := time.Now().Add(d)
	var seen []string
	for {
		f, err := c.Next(time.Until(deadline))
		if err != nil {
			return chat.Frame{}, fmt.Errorf("no matching frame (%v); saw %d other(s): %s", err, len(seen), strings.Join(seen, " | "))
		}
		if match(f) {
			return f, nil
		}
		seen = append(seen, fmt.Sprintf("%+v", f))
	}
}

// WaitClosed waits up to d for the connection to end and returns the error
// reading stopped with; the test fails if it is still open.
func (c *Client) WaitClosed(d time.Duration) error {
	c.tb.Helper()
	select {
	case <-c.closed:
		return c.err
	case <-time.After(d):
		c.tb.Fatalf("the connection is still open after %s", d)
		return nil
	}
}

// WaitHealthy polls the backend's /healthz until it answers 200, failing the test after d.
func WaitHealthy(tb testing.TB, b *Backend, d time.Duration) {
	tb.Helper()
	if err := PollHealth(b, http.StatusOK, d); err != nil {
		tb.Fatal(err)
	}
}

// PollHealth polls /healthz until it answers want, for at most d.
func PollHealth(b *Backend, want int, d time.Duration) error {
	deadline := time.Now().Add(d)
	last := "no answer"
	for {
		resp, err := http.Get(b.HTTPURL() + "/healthz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == want {
				return nil
			}
			last = fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(body)))
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s /healthz: want %d within %s, last answer: %s", b.Name, want, d, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
