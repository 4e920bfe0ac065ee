package fakecloud

// One served listener: a loopback port, TLS for HTTPS, and a reverse proxy
// with the listener's semantics (idle and request timeouts, weighted round
// robin over healthy backends, sticky sessions, draining).

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// dpListener is one listener served on a local port.
type dpListener struct {
	dp        *dataPlane
	cfg       atomic.Pointer[dpConfig]
	addr      string
	srv       *http.Server
	transport *http.Transport
	served    chan struct{} // closed when srv.Serve returned
	handlers  sync.WaitGroup

	mu            sync.Mutex
	closed        bool
	conns         map[*dpConn]struct{}
	tunnels       map[string]map[*dpConn]struct{} // upgraded connections by backend key
	timers        []*time.Timer                   // drain deadlines
	rr            map[string]int                  // smooth weighted round robin state
	serverCookies map[string]string               // the app's cookie value -> backend key
}

// dpEpoch is the origin of the monotonic activity clock of connections.
var dpEpoch = time.Now()

func dpNow() int64 { return int64(time.Since(dpEpoch)) }

type dpConnKey struct{}

// open starts serving cfg on a loopback port, prefer (the address of an
// earlier run) if it is free.
func (dp *dataPlane) open(cfg *dpConfig, prefer string) (*dpListener, error) {
	var raw net.Listener
	if prefer != "" && IsLoopbackHost(prefer) {
		raw, _ = net.Listen("tcp", prefer)
	}
	if raw == nil {
		var err error
		if raw, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return nil, err
		}
	}
	l := &dpListener{
		dp: dp, addr: raw.Addr().String(), served: make(chan struct{}),
		conns: map[*dpConn]struct{}{}, tunnels: map[string]map[*dpConn]struct{}{},
		rr: map[string]int{}, serverCookies: map[string]string{},
		transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 64,
			IdleConnTimeout:     60 * time.Second,
		},
	}
	l.cfg.Store(cfg)
	var ln net.Listener = &dpNetListener{Listener: raw, l: l}
	if cfg.protocol == "HTTPS" {
		ln = tls.NewListener(ln, &tls.Config{
			MinVersion: tls.VersionTLS12,
			NextProtos: []string{"http/1.1"}, // WebSocket needs HTTP/1.1
			GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
				// The names of the records that point at the load balancer
				// now: a record written since the last sync (the tick) is
				// already on the certificate.
				c := l.cfg.Load()
				st := dp.s.Snapshot()
				return dp.certs.get(certNames(&st, c.lbType, c.lbID))
			},
		})
	}
	l.srv = &http.Server{
		Handler:           l,
		ReadHeaderTimeout: 60 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			if tc, ok := c.(*tls.Conn); ok {
				c = tc.NetConn()
			}
			return context.WithValue(ctx, dpConnKey{}, c)
		},
	}
	go func() {
		defer close(l.served)
		l.srv.Serve(ln)
	}()
	dp.s.logf("fakecloud: data plane: %s %s listener %s (port %d) listens on %s", cfg.lbType, cfg.protocol, cfg.listenerID, cfg.port, l.addr)
	return l, nil
}

// update applies a new configuration; backends that left drain.
func (l *dpListener) update(cfg *dpConfig) {
	old := l.cfg.Swap(cfg)
	if cfg.idle < old.idle {
		// A shorter idle timeout applies to the open connections now.
		l.mu.Lock()
		for c := range l.conns {
			c.mu.Lock()
			if c.timer != nil {
				c.timer.Reset(0)
			}
			c.mu.Unlock()
		}
		l.mu.Unlock()
	}
	keep := map[string]bool{}
	for _, b := range cfg.backends {
		keep[b.key] = true
	}
	for _, b := range old.backends {
		if !keep[b.key] {
			l.drain(b.key, old.drain)
		}
	}
}

// drain lets the upgraded connections to a removed backend live for d (<0:
// until they end), then closes them.
func (l *dpListener) drain(key string, d time.Duration) {
	l.transport.CloseIdleConnections()
	if d < 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var conns []*dpConn
	for c := range l.tunnels[key] {
		conns = append(conns, c)
	}
	if len(conns) == 0 {
		return
	}
	closeAll := func() {
		for _, c := range conns {
			c.Close()
		}
	}
	l.dp.s.logf("fakecloud: data plane: backend %s left listener %s: draining %d connection(s) for %s", key, l.cfg.Load().listenerID, len(conns), d)
	if d == 0 {
		go closeAll()
		return
	}
	l.timers = append(l.timers, time.AfterFunc(d, closeAll))
}

// close stops serving: the port closes, every connection ends.
func (l *dpListener) close() {
	l.mu.Lock()
	l.closed = true
	conns := make([]*dpConn, 0, len(l.conns))
	for c := range l.conns {
		conns = append(conns, c)
	}
	for _, t := range l.timers {
		t.Stop()
	}
	l.mu.Unlock()
	// Connections first: once the port refuses, none is left.
	for _, c := range conns {
		c.Close()
	}
	l.srv.Close()
	<-l.served
	l.handlers.Wait()
	l.transport.CloseIdleConnections()
	c := l.cfg.Load()
	l.dp.s.logf("fakecloud: data plane: %s listener %s closed %s", c.lbType, c.listenerID, l.addr)
}

// dpNetListener wraps accepted connections in dpConn.
type dpNetListener struct {
	net.Listener
	l *dpListener
}

func (n *dpNetListener) Accept() (net.Conn, error) {
	raw, err := n.Listener.Accept()
	if err != nil {
		return nil, err
	}
	c := &dpConn{Conn: raw, l: n.l}
	c.last.Store(dpNow())
	n.l.mu.Lock()
	if n.l.closed {
		n.l.mu.Unlock()
		raw.Close()
		return nil, net.ErrClosed
	}
	n.l.conns[c] = struct{}{}
	c.mu.Lock()
	c.timer = time.AfterFunc(n.l.cfg.Load().idle, c.watch)
	c.mu.Unlock()
	n.l.mu.Unlock()
	return c, nil
}

// dpConn is a client connection: it records when data last moved either way
// and is closed after the listener's idle timeout without any, unless a
// (not upgraded) request is in flight, which the request timeout bounds.
type dpConn struct {
	net.Conn
	l      *dpListener
	last   atomic.Int64 // dpNow of the last byte either way
	busy   atomic.Int32 // requests in flight
	closed atomic.Bool

	mu    sync.Mutex
	timer *time.Timer
}

func (c *dpConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.last.Store(dpNow())
	}
	return n, err
}

func (c *dpConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if n > 0 {
		c.last.Store(dpNow())
	}
	return n, err
}

func (c *dpConn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.mu.Lock()
		if c.timer != nil {
			c.timer.Stop()
		}
		c.mu.Unlock()
		c.l.mu.Lock()
		delete(c.l.conns, c)
		c.l.mu.Unlock()
	}
	return c.Conn.Close()
}

// watch is the idle timer: it closes the connection once it has been idle
// for the listener's idle timeout, else re-arms for the rest.
func (c *dpConn) watch() {
	if c.closed.Load() {
		return
	}
	idle := c.l.cfg.Load().idle
	wait := idle
	if c.busy.Load() == 0 {
		since := time.Duration(dpNow() - c.last.Load())
		if since >= idle {
			c.l.dp.s.logf("fakecloud: data plane: listener %s: closing %s after %s without data (idle timeout)", c.l.cfg.Load().listenerID, c.RemoteAddr(), idle)
			c.Close()
			return
		}
		wait = idle - since
	}
	c.mu.Lock()
	if !c.closed.Load() {
		c.timer.Reset(wait)
	}
	c.mu.Unlock()
}

func (c *dpConn) requestDone() {
	c.last.Store(dpNow())
	c.busy.Add(-1)
}

// isUpgrade reports whether r asks to switch protocols (WebSocket).
func isUpgrade(r *http.Request) bool {
	if r.Header.Get("Upgrade") == "" {
		return false
	}
	for _, v := range r.Header.Values("Connection") {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), "upgrade") {
				return true
			}
		}
	}
	return false
}

func (l *dpListener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.handlers.Add(1)
	defer l.handlers.Done()
	cfg := l.cfg.Load()
	c, _ := r.Context().Value(dpConnKey{}).(*dpConn)
	upgrade := isUpgrade(r)
	if !upgrade && c != nil {
		c.busy.Add(1)
		defer c.requestDone()
	}
	b := l.pick(cfg, r)
	if b == nil {
		if cfg.lbType == "alb" {
			lbPage(w, http.StatusServiceUnavailable, "503 Service Temporarily Unavailable")
		} else {
			lbPage(w, http.StatusBadGateway, "502 Bad Gateway")
		}
		return
	}
	if upgrade && c != nil {
		l.track(b.key, c, true)
		defer l.track(b.key, c, false)
	}
	ctx := r.Context()
	if !upgrade {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.request)
		defer cancel()
	}
	rp := &httputil.ReverseProxy{
		Rewrite:       func(pr *httputil.ProxyRequest) { l.rewrite(cfg, b, pr) },
		Transport:     l.transport,
		FlushInterval: -1,
		ErrorLog:      log.New(io.Discard, "", 0),
		ModifyResponse: func(res *http.Response) error {
			l.sticky(cfg, b, r, res)
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			if errors.Is(err, context.DeadlineExceeded) {
				lbPage(w, http.StatusGatewayTimeout, "504 Gateway Time-out")
				return
			}
			lbPage(w, http.StatusBadGateway, "502 Bad Gateway")
		},
	}
	rp.ServeHTTP(w, r.WithContext(ctx))
}

// rewrite addresses the request to backend b, keeping the client's Host,
// and adds the listener's forwarding headers.
func (l *dpListener) rewrite(cfg *dpConfig, b *dpBackend, pr *httputil.ProxyRequest) {
	pr.Out.URL.Scheme = "http"
	pr.Out.URL.Host = b.addr
	pr.Out.Host = pr.In.Host
	client, clientPort, _ := net.SplitHostPort(pr.In.RemoteAddr)
	h := pr.Out.Header
	prior := strings.Join(pr.In.Header.Values("X-Forwarded-For"), ", ")
	switch {
	case cfg.xffRemove:
	case cfg.xff && prior != "":
		h.Set("X-Forwarded-For", prior+", "+client)
	case cfg.xff:
		h.Set("X-Forwarded-For", client)
	case prior != "":
		h.Set("X-Forwarded-For", prior) // not the load balancer's: passed as sent
	}
	if cfg.xfHost {
		h.Set("X-Forwarded-Host", pr.In.Host)
	}
	if cfg.xfProto {
		h.Set("X-Forwarded-Proto", strings.ToLower(cfg.protocol))
	}
	if cfg.xfPort {
		h.Set("X-Forwarded-Port", strconv.Itoa(cfg.port))
	}
	if cfg.slbIP {
		h.Set("SLB-IP", cfg.lbAddress)
	}
	if cfg.slbID {
		h.Set("SLB-ID", cfg.lbID)
	}
	if cfg.clientPort {
		h.Set("X-Forwarded-Client-srcport", clientPort)
	}
}

// Cookie names of session persistence by insertion: CLB inserts SERVERID;
// ALB inserts SERVERID and SERVERCORSID (the same, with SameSite=None).
const (
	stickyCookie     = "SERVERID"
	stickyCORSCookie = "SERVERCORSID"
)

// stickyValue is the insert cookie's value naming a backend.
func stickyValue(lbID, serverID string, port int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%s:%d", lbID, serverID, port)))
	return hex.EncodeToString(sum[:16])
}

// sticky sets the insert cookie, or learns the app's cookie, on a response
// from b.
func (l *dpListener) sticky(cfg *dpConfig, b *dpBackend, req *http.Request, res *http.Response) {
	s := cfg.sticky
	if !s.enabled {
		return
	}
	if !s.insert {
		for _, ck := range res.Cookies() {
			if ck.Name == s.cookie && ck.Value != "" {
				l.mu.Lock()
				if len(l.serverCookies) > 100000 {
					clear(l.serverCookies)
				}
				l.serverCookies[ck.Value] = b.key
				l.mu.Unlock()
			}
		}
		return
	}
	if ck, err := req.Cookie(stickyCookie); err == nil && ck.Value == b.cookie {
		return
	}
	res.Header.Add("Set-Cookie", (&http.Cookie{Name: stickyCookie, Value: b.cookie, Path: "/", MaxAge: s.timeout}).String())
	if cfg.lbType == "alb" {
		res.Header.Add("Set-Cookie", (&http.Cookie{Name: stickyCORSCookie, Value: b.cookie, Path: "/", MaxAge: s.timeout,
			SameSite: http.SameSiteNoneMode, Secure: true}).String())
	}
}

// pick chooses the backend of a new request: the sticky one if it may take
// it, else by smooth weighted round robin over the routable backends; nil
// when none is.
func (l *dpListener) pick(cfg *dpConfig, r *http.Request) *dpBackend {
	var cands []*dpBackend
	for _, b := range cfg.backends {
		if b.routable() {
			cands = append(cands, b)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := cfg.sticky; s.enabled {
		want := ""
		if s.insert {
			if ck, err := r.Cookie(stickyCookie); err == nil {
				for _, b := range cands {
					if b.cookie == ck.Value {
						return b
					}
				}
			}
		} else if ck, err := r.Cookie(s.cookie); err == nil {
			want = l.serverCookies[ck.Value]
		}
		for _, b := range cands {
			if want != "" && b.key == want {
				return b
			}
		}
	}
	total := 0
	var best *dpBackend
	for _, b := range cands {
		l.rr[b.key] += b.weight
		total += b.weight
		if best == nil || l.rr[b.key] > l.rr[best.key] {
			best = b
		}
	}
	l.rr[best.key] -= total
	return best
}

// track adds (or removes) an upgraded connection to backend key.
func (l *dpListener) track(key string, c *dpConn, add bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if add {
		if l.tunnels[key] == nil {
			l.tunnels[key] = map[*dpConn]struct{}{}
		}
		l.tunnels[key][c] = struct{}{}
		return
	}
	delete(l.tunnels[key], c)
	if len(l.tunnels[key]) == 0 {
		delete(l.tunnels, key)
	}
}

// lbPage answers with the load balancer's own error page.
func lbPage(w http.ResponseWriter, status int, title string) {
	h := w.Header()
	h.Set("Content-Type", "text/html")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n</body>\r\n</html>\r\n", title, title)
}
