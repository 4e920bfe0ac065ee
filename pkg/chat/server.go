package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults of Options.
const (
	DefaultPingInterval    = 10 * time.Second
	DefaultWriteTimeout    = 10 * time.Second
	DefaultMaxMessageBytes = 4096
	DefaultRateLimit       = 10 // frames per second, per connection
	DefaultRateBurst       = 20
	DefaultSendQueue       = 64
	DefaultShutdownTimeout = 10 * time.Second
	DefaultMaxConnections  = 20000 // ≈ 160 MB of idle connections; see README: Figures
	DefaultConnLogRate     = 20    // per-connection log lines per second
)

// Options configure a Server. Zero values take the defaults above.
type Options struct {
	// Name identifies this backend in every frame it sends ("backend").
	Name string
	// Bus carries events between backends; nil means a LocalBus (single node).
	Bus Bus
	// AllowedOrigins are the host patterns (path.Match syntax, e.g.
	// "chat.example.com" or "*.example.com"; with "://" matched against
	// scheme://host) of the pages allowed to open a WebSocket. A page served by
	// this backend under the same host is always allowed; requests without an
	// Origin header (non-browser clients) are allowed. "*" is refused.
	AllowedOrigins []string
	// PingInterval is how often every connection is pinged. Keep it below the
	// load balancer's idle timeout (ALB and CLB: 15 s by default, 60 s at most).
	PingInterval time.Duration
	// PongTimeout is how long a ping may go unanswered before the connection
	// is closed as dead (default: PingInterval), unless the peer has
	// acknowledged more bytes since (it is reading a backlog that the ping
	// waits behind; Linux only).
	PongTimeout time.Duration
	// WriteTimeout is how long a client's socket may take nothing (it does
	// not read) before the client is disconnected (default 10s).
	WriteTimeout time.Duration
	// MaxMessageBytes is the largest frame a client may send; a larger one
	// closes the connection with 1009 "message too big" (default 4096).
	MaxMessageBytes int64
	// RateLimit is the sustained number of frames per second a connection
	// may send, RateBurst how many it may send at once (defaults 10 and 20).
	// A negative RateLimit disables the limit.
	RateLimit float64
	RateBurst int
	// SendQueue is how many chat lines may wait for one client whose socket
	// is full (default 64). Lines beyond it are shed for that client, which
	// gets a gap notice (code "gap") once it catches up; a client is
	// disconnected (1008) only when its socket takes nothing for WriteTimeout.
	SendQueue int
	// MaxConnections caps concurrent WebSocket connections (default
	// DefaultMaxConnections); negative means no cap. Beyond it, 503.
	MaxConnections int
	// MaxConnectionsPerIP caps concurrent WebSocket connections from one
	// client address (an IPv6 client counts per /64); 0 means no cap. Beyond
	// it, 429. Behind a load balancer that rewrites the source address (ALB,
	// CLB HTTP/HTTPS listeners) set TrustedProxies, or every client counts as
	// the load balancer.
	MaxConnectionsPerIP int
	// TrustedProxies are the load balancer's addresses. A connection from one
	// of them counts against the client address in X-Forwarded-For (its
	// rightmost entry that is not a trusted proxy); a connection from anywhere
	// else counts against its peer address, whatever it sends.
	TrustedProxies []netip.Prefix
	// ConnLogRate is how many per-connection log lines (connected,
	// disconnected, refused, rate limited, too slow) are written per second
	// (default DefaultConnLogRate); the others are counted and summarised in
	// one line. Negative means no sampling.
	ConnLogRate int
	// ShutdownTimeout bounds the graceful part of a shutdown (default 10s).
	ShutdownTimeout time.Duration
	// Page is served at / (the chat page); nil means no page.
	Page []byte
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
}

// Server is one wschat backend.
type Server struct {
	opts  Options
	bus   Bus
	log   *slog.Logger
	hub   hub
	page  []byte
	csp   string
	stats counters

	draining atomic.Bool
	active   atomic.Int64
	perAddr  addrCounts
	sampler  logSampler
	now      func() time.Time // the sampler's clock
	wg       sync.WaitGroup   // one per WebSocket handler

	// connCtx parents every connection; cancelling it is the hard stop.
	connCtx    context.Context
	cancelConn context.CancelFunc
}

// New checks opts and returns a server; it does no I/O.
func New(opts Options) (*Server, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	s := &Server{opts: opts, bus: opts.Bus, log: opts.Logger, page: opts.Page, now: time.Now}
	s.sampler.limit = opts.ConnLogRate
	if s.bus == nil {
		s.bus = NewLocalBus()
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s.log = s.log.With("backend", opts.Name)
	s.hub.init(s, runtime.GOMAXPROCS(0))
	if s.page != nil {
		s.csp = contentSecurityPolicy(s.page)
	}
	s.connCtx, s.cancelConn = context.WithCancel(context.Background())
	return s, nil
}

func (o *Options) defaults() error {
	var errs []error
	o.Name = strings.TrimSpace(o.Name)
	if o.Name == "" || len(o.Name) > 64 {
		errs = append(errs, errors.New("backend name: give 1-64 characters (it is shown to clients as \"backend\")"))
	}
	for _, p := range o.AllowedOrigins {
		switch {
		case strings.TrimSpace(p) == "*" || p == "*://*":
			errs = append(errs, fmt.Errorf("allowed origin %q would let any web site use your visitors' connections: list the hosts of your pages instead (e.g. chat.example.com)", p))
		case p == "":
			errs = append(errs, errors.New("allowed origin: empty pattern"))
		default:
			if _, err := path.Match(p, ""); err != nil {
				errs = append(errs, fmt.Errorf("allowed origin %q: %w", p, err))
			}
		}
	}
	if o.PingInterval == 0 {
		o.PingInterval = DefaultPingInterval
	}
	if o.PingInterval < 0 {
		errs = append(errs, fmt.Errorf("ping interval %s: must be positive", o.PingInterval))
	}
	if o.PongTimeout <= 0 {
		o.PongTimeout = o.PingInterval
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.MaxMessageBytes == 0 {
		o.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if o.MaxMessageBytes < 64 {
		errs = append(errs, fmt.Errorf("max message size %d: must be at least 64 bytes", o.MaxMessageBytes))
	}
	if o.RateLimit == 0 {
		o.RateLimit = DefaultRateLimit
	}
	if o.RateBurst == 0 {
		o.RateBurst = DefaultRateBurst
	}
	if o.RateBurst < 0 {
		errs = append(errs, fmt.Errorf("rate burst %d: must be positive", o.RateBurst))
	}
	if o.SendQueue == 0 {
		o.SendQueue = DefaultSendQueue
	}
	if o.SendQueue < 0 {
		errs = append(errs, fmt.Errorf("send queue %d: must be positive", o.SendQueue))
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = DefaultShutdownTimeout
	}
	if o.MaxConnections == 0 {
		o.MaxConnections = DefaultMaxConnections
	}
	if o.MaxConnectionsPerIP < 0 {
		errs = append(errs, fmt.Errorf("connections per client address %d: must be positive, or 0 for no cap", o.MaxConnectionsPerIP))
	}
	for _, p := range o.TrustedProxies {
		if !p.IsValid() {
			errs = append(errs, errors.New("trusted proxy: invalid address range"))
		}
	}
	if o.ConnLogRate == 0 {
		o.ConnLogRate = DefaultConnLogRate
	}
	return errors.Join(errs...)
}

// Stats are a backend's counters.
type Stats struct {
	Connections int64  `json:"connections"` // open WebSocket connections
	Delivered   uint64 `json:"delivered"`   // chat lines written or queued for clients
	Shed        uint64 `json:"shed"`        // chat lines not sent to a client that was too far behind (it got a gap notice)
	SlowDropped uint64 `json:"slowDropped"` // clients disconnected because their socket stopped draining
}

type counters struct {
	delivered atomic.Uint64
	shed      atomic.Uint64
	dropped   atomic.Uint64
}

// Stats returns the current counters.
func (s *Server) Stats() Stats {
	return Stats{Connections: s.active.Load(), Delivered: s.stats.delivered.Load(), Shed: s.stats.shed.Load(), SlowDropped: s.stats.dropped.Load()}
}

// ListenAndServe listens on addr and calls Serve.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves HTTP and WebSocket on ln until ctx ends, then shuts down
// gracefully: /healthz starts failing, no new connection is accepted, every
// WebSocket is closed with 1001 "going away" (named clients' leave notices
// are still published), and after ShutdownTimeout whatever remains is cut.
// A Server serves once.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.hub.start()
	busCtx, stopBus := context.WithCancel(context.WithoutCancel(ctx))
	busDone := make(chan error, 1)
	go func() { busDone <- s.bus.Run(busCtx, s.deliver) }()

	hs := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	serveDone := make(chan error, 1)
	go func() { serveDone <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String(), "pingInterval", s.opts.PingInterval.String(),
		"maxConns", s.opts.MaxConnections, "maxConnsPerIP", s.opts.MaxConnectionsPerIP)
	if s.opts.MaxConnectionsPerIP > 0 && len(s.opts.TrustedProxies) == 0 {
		s.log.Warn("a per-client-address cap without trusted proxies counts every client behind a load balancer " +
			"that rewrites the source address (ALB, CLB HTTP/HTTPS listeners) as that load balancer: list its addresses in --trusted-proxies")
	}
	flushDone := make(chan struct{})
	flushStop := make(chan struct{})
	go func() {
		defer close(flushDone)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-tick.C:
				logSuppressed(s.log, s.sampler.flush(s.now(), false))
			case <-flushStop:
				return
			}
		}
	}()

	var err error
	select {
	case <-ctx.Done():
	case err = <-serveDone:
		err = fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case err = <-busDone:
		err = fmt.Errorf("fan-out bus stopped: %w", err)
	}
	s.shutdown(hs)
	close(flushStop)
	<-flushDone
	logSuppressed(s.log, s.sampler.flush(s.now(), true))
	stopBus()
	s.hub.halt()
	if berr := <-busDone; err == nil && berr != nil {
		err = berr
	}
	return err
}

func (s *Server) shutdown(hs *http.Server) {
	s.draining.Store(true)
	s.log.Info("shutting down: closing connections with 1001 going away", "connections", s.active.Load())
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	httpDone := make(chan struct{})
	go func() {
		defer close(httpDone)
		_ = hs.Shutdown(ctx) // stops accepting; hijacked WebSockets are ours to close
	}()
	s.hub.closeAll(closeGoingAway, "server shutting down")
	handlersDone := make(chan struct{})
	go func() { s.wg.Wait(); close(handlersDone) }()
	select {
	case <-handlersDone:
	case <-ctx.Done():
		s.log.Warn("shutdown timeout: cutting the remaining connections", "connections", s.active.Load())
		s.cancelConn()
		s.hub.closeAllNow("shutdown timeout")
		<-handlersDone
	}
	s.cancelConn()
	<-httpDone
	_ = hs.Close()
}

// Handler serves /ws, /healthz and the page at /. Events reach clients only
// while Serve runs.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ws", s.serveWS)
	mux.HandleFunc("GET /healthz", s.serveHealth)
	if s.page != nil {
		mux.HandleFunc("GET /{$}", s.servePage)
		mux.HandleFunc("GET /index.html", s.servePage)
	}
	return mux
}

// Check reports whether this backend should get new clients.
func (s *Server) Check(ctx context.Context) error {
	if s.draining.Load() {
		return errors.New("shutting down")
	}
	return s.bus.Check(ctx)
}

type health struct {
	Status      string `json:"status"` // "ok" or "unavailable"
	Backend     string `json:"backend"`
	Connections int64  `json:"connections"`
	Reason      string `json:"reason,omitempty"`
}

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	h := health{Status: "ok", Backend: s.opts.Name, Connections: s.active.Load()}
	code := http.StatusOK
	if err := s.Check(ctx); err != nil {
		// The reason is coarse on purpose: /healthz is reachable through the
		// load balancer, and Redis addresses are nobody else's business.
		h.Status, code = "unavailable", http.StatusServiceUnavailable
		h.Reason = "fan-out unavailable"
		if s.draining.Load() {
			h.Reason = "shutting down"
		}
		s.log.Warn("health check failing", "err", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(h)
}

func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", s.csp+"; "+connectSrc(r.Host))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(s.page)
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	s.wg.Add(1)
	handedOff := false
	defer func() {
		if !handedOff {
			s.wg.Done()
		}
	}()
	addr := clientAddr(r, s.opts.TrustedProxies)
	remote := []any{"client", addr.String(), "remote", r.RemoteAddr}
	if s.draining.Load() {
		http.Error(w, "shutting down: reconnect to another backend", http.StatusServiceUnavailable)
		return
	}
	if n := s.active.Add(1); s.opts.MaxConnections > 0 && n > int64(s.opts.MaxConnections) {
		s.active.Add(-1)
		s.connLog(s.log, slog.LevelWarn, "refused", "refused a connection: at the connection limit", append(remote, "limit", s.opts.MaxConnections)...)
		http.Error(w, "too many connections", http.StatusServiceUnavailable)
		return
	}
	release := func() { s.active.Add(-1) }
	if limit := s.opts.MaxConnectionsPerIP; limit > 0 {
		key := limitKey(addr)
		if !s.perAddr.acquire(key, limit) {
			s.active.Add(-1)
			s.connLog(s.log, slog.LevelWarn, "refused", "refused a connection: at the per-address limit", append(remote, "limit", limit)...)
			http.Error(w, "too many connections from your address", http.StatusTooManyRequests)
			return
		}
		release = func() { s.perAddr.release(key); s.active.Add(-1) }
	}
	accept, err := checkUpgrade(r, s.opts.AllowedOrigins)
	if err != nil {
		release()
		ue := err.(*upgradeError)
		if ue.status == http.StatusUpgradeRequired {
			w.Header().Set("Connection", "Upgrade")
			w.Header().Set("Upgrade", "websocket")
		}
		http.Error(w, ue.msg, ue.status)
		s.connLog(s.log, slog.LevelWarn, "refused", "refused a WebSocket upgrade", append(remote, "origin", r.Header.Get("Origin"), "err", err)...)
		return
	}
	conn, early, err := upgrade(w, accept)
	if err != nil {
		release()
		s.connLog(s.log, slog.LevelWarn, "refused", "could not upgrade to WebSocket", append(remote, "err", err)...)
		return
	}
	c := newClient(s, conn, early)
	if !s.hub.add(c) {
		release()
		c.kick(closeGoingAway, "server shutting down")
		c.closeNow("server shutting down")
		return
	}
	s.clientLog(c, slog.LevelInfo, "connected", "connected", append(remote, "origin", r.Header.Get("Origin"))...)
	// The welcome is written here, so that the connection's own goroutine
	// never grows its stack for it.
	s.system(c, CodeWelcome, fmt.Sprintf("Welcome! You are connected to %s. Set a username to start chatting.", s.opts.Name))
	// The connection lives on in its own goroutine, so that net/http's
	// per-request state (request, response, buffers, the handler's stack) is
	// freed: an idle connection costs only what it needs.
	handedOff = true
	go func() {
		defer s.wg.Done()
		defer release()
		s.run(c)
	}()
}

// run serves one connection until it ends. It is the connection's only
// goroutine: it reads; writes happen where the frames come from.
func (s *Server) run(c *client) {
	start := time.Now()
	why := s.readLoop(s.connCtx, c)
	c.closeNow(why)
	s.hub.remove(c)
	if c.username != "" {
		pctx, pcancel := context.WithTimeout(context.WithoutCancel(s.connCtx), 2*time.Second)
		err := s.bus.Publish(pctx, Event{Type: TypeSystem, Code: CodeLeft, Username: c.username, Text: c.username + " left the chat.", Origin: s.opts.Name})
		pcancel()
		if err != nil {
			s.clientLog(c, slog.LevelWarn, "publishFailed", "could not announce a departure", "err", err)
		}
	}
	s.clientLog(c, slog.LevelInfo, "disconnected", "disconnected", "reason", why, "duration", time.Since(start).Round(time.Millisecond).String())
}

// readLoop handles the client's frames until the connection ends, and says
// why it ended. When the server ends it (a close frame sent), it waits for
// the client's close frame or for it to hang up, at most closeWait.
func (s *Server) readLoop(ctx context.Context, c *client) string {
	var msg []byte
	var msgOp byte
	inMsg := false
	for {
		f, err := c.readFrame(s.opts.MaxMessageBytes, len(msg))
		if err != nil {
			var fe *frameError
			if errors.As(err, &fe) {
				c.kick(fe.code, fe.reason)
				c.drain()
				return fe.why
			}
			return describeEnd(c, err)
		}
		switch f.op {
		case opPing:
			c.write(controlFrame(opPong, f.payload), kindControl, 0)
			continue
		case opPong:
			c.ponged.Store(true)
			continue
		case opClose:
			code := closeNormal
			if len(f.payload) >= 2 {
				code = int(f.payload[0])<<8 | int(f.payload[1])
			}
			if why := c.end(); why != "" {
				return why // the answer to our close frame
			}
			echo := code
			if code == 1005 || code == 1006 || code == 1015 || code < 1000 {
				echo = closeNormal
			}
			c.kick(echo, "")
			if len(f.payload) < 2 {
				return "closed by the client (1005)"
			}
			return fmt.Sprintf("closed by the client (%d)", code)
		case opText, opBinary, opContinuation:
		default:
			c.kick(closeProtocolError, "unknown opcode")
			c.drain()
			return "sent a frame with an unknown opcode"
		}
		if (f.op == opContinuation) != inMsg {
			c.kick(closeProtocolError, "unexpected continuation frame")
			c.drain()
			return "sent a fragmented message out of order"
		}
		if f.op != opContinuation {
			msgOp, msg = f.op, f.payload
		} else {
			msg = append(msg, f.payload...)
		}
		if inMsg = !f.fin; inMsg {
			continue
		}
		data := msg
		msg = nil
		if c.isClosing() {
			continue // closing: only the client's close frame matters now
		}
		if msgOp != opText {
			c.kick(closeUnsupportedData, "frames are JSON text")
			c.drain()
			return "sent a binary frame"
		}
		if stop := s.handle(ctx, c, data); stop != "" {
			c.drain()
			return stop
		}
	}
}

// drain waits, after the server sent its close frame, until the client hangs
// up or closeWait passes, discarding what it still sends: closing a socket
// with unread bytes would reset the connection and could destroy the close
// frame before the client reads it.
func (c *client) drain() {
	_ = c.conn.SetReadDeadline(time.Now().Add(closeWait))
	var buf [512]byte
	for {
		if _, err := c.conn.Read(buf[:]); err != nil {
			return
		}
	}
}

// strikeLimit is how many rate-limited frames in a row end a connection.
const strikeLimit = 20

// handle acts on one client frame; a non-empty result ends the connection.
func (s *Server) handle(ctx context.Context, c *client, data []byte) string {
	if !c.limiter.allow(time.Now()) {
		c.strikes++
		if c.strikes == 1 {
			s.clientLog(c, slog.LevelWarn, "rateLimited", "rate limited", "rate", s.opts.RateLimit, "burst", s.opts.RateBurst)
		}
		if c.strikes >= strikeLimit {
			c.kick(closePolicyViolation, "rate limit exceeded")
			return "kept sending over the rate limit"
		}
		s.system(c, CodeRateLimited, fmt.Sprintf("Slow down: at most %g messages per second. That message was dropped.", s.opts.RateLimit))
		return ""
	}
	c.strikes = 0
	var m ClientFrame
	if err := json.Unmarshal(data, &m); err != nil {
		s.system(c, CodeInvalid, `Frames are JSON objects such as {"type":"message","text":"hi"}.`)
		return ""
	}
	switch m.Type {
	case TypeSetUsername:
		name, err := cleanUsername(m.Username)
		if err != nil {
			s.system(c, CodeInvalid, "Username not set: "+err.Error()+".")
			return ""
		}
		c.username = name
		s.system(c, CodeUsernameSet, "Username set to "+name+".")
	case TypeMessage:
		if c.username == "" {
			s.system(c, CodeUsernameRequired, "Set a username before sending messages. Your message was not sent.")
			return ""
		}
		text, err := cleanMessage(m.Text)
		if err != nil {
			s.system(c, CodeInvalid, "Message not sent: "+err.Error()+".")
			return ""
		}
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err = s.bus.Publish(pctx, Event{Type: TypeMessage, Text: c.username + ": " + text, Username: c.username, Origin: s.opts.Name})
		cancel()
		if err != nil {
			s.clientLog(c, slog.LevelError, "publishFailed", "could not publish a message", "err", err)
			s.system(c, CodeUnavailable, "Your message was not delivered: the chat is temporarily unavailable. Try again.")
		}
	default:
		s.system(c, CodeInvalid, fmt.Sprintf("Unknown frame type %q: use set_username or message.", m.Type))
	}
	return ""
}

// system sends a notice to one client.
func (s *Server) system(c *client, code, text string) {
	b, _ := json.Marshal(Frame{Type: TypeSystem, Code: code, Text: text, Backend: s.opts.Name})
	c.write(textFrame(b), kindControl, 0)
}

// gapFrame is the notice that n chat lines were shed for a client.
func (s *Server) gapFrame(n int) []byte {
	text := fmt.Sprintf("%d messages were not delivered to you: the connection could not keep up.", n)
	if n == 1 {
		text = "1 message was not delivered to you: the connection could not keep up."
	}
	b, _ := json.Marshal(Frame{Type: TypeSystem, Code: CodeGap, Text: text, Missed: n, Backend: s.opts.Name})
	return textFrame(b)
}

// deliver hands one event to every client of this backend: it is encoded
// once, JSON and WebSocket frame, and the same bytes go to every socket. It
// blocks only while the hub's queues are full (back-pressure on the bus).
func (s *Server) deliver(e Event) {
	b, err := json.Marshal(Frame{Type: e.Type, Code: e.Code, Text: e.Text, Username: e.Username, Origin: e.Origin, Backend: s.opts.Name})
	if err != nil {
		return
	}
	s.hub.broadcast(textFrame(b))
}

func describeEnd(c *client, err error) string {
	if why := c.end(); why != "" {
		return why
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, net.ErrClosed) {
		return "closed by the server"
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "the client went away without a close frame"
	}
	return "connection lost: " + err.Error()
}
