package verify_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
	"github.com/wsdeploy/wsdeploy/pkg/verify"
)

// proxy is a TCP load balancer for tests: round-robin over backends, and,
// like ALB and CLB, it closes a connection with no data either way for idle.
type proxy struct {
	ln       net.Listener
	backends []string
	idle     time.Duration
	next     atomic.Uint64
	wg       sync.WaitGroup
}

func startProxy(t *testing.T, idle time.Duration, backends ...string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, backends: backends, idle: idle}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.wg.Wait() })
	return p
}

func (p *proxy) Addr() string { return p.ln.Addr().String() }

func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(c)
		}()
	}
}

func (p *proxy) handle(front net.Conn) {
	defer front.Close()
	back, err := net.Dial("tcp", p.backends[int(p.next.Add(1)-1)%len(p.backends)])
	if err != nil {
		return
	}
	defer back.Close()
	var last atomic.Int64
	last.Store(time.Now().UnixNano())
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				last.Store(time.Now().UnixNano())
				if _, werr := dst.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		done <- struct{}{}
	}
	go pipe(back, front)
	go pipe(front, back)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			if p.idle > 0 && time.Since(time.Unix(0, last.Load())) > p.idle {
				return // idle timeout: close both sides
			}
		}
	}
}

func lbResolver(host string) verify.Resolver {
	return func(_ context.Context, name string) (verify.Answer, error) {
		if name != host {
			return verify.Answer{}, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
		}
		return verify.Answer{CNAME: "alb-test.cn-hangzhou.alb.aliyuncs.com", Addrs: []string{"127.0.0.1"}}, nil
	}
}

// quick are options that keep failing paths short.
func quick(target verify.Target) verify.Options {
	return verify.Options{
		Targets: []verify.Target{target}, Timeout: 2 * time.Second, Messages: 5, MessageInterval: time.Millisecond,
		Resolve: lbResolver("chat.test"), ExpectDNS: "alb-test.cn-hangzhou.alb.aliyuncs.com",
	}
}

func run(t *testing.T, o verify.Options) *verify.Report {
	t.Helper()
	rep, err := verify.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	t.Logf("report:\n%s", text.String())
	return rep
}

func result(t *testing.T, rep *verify.Report, check string) verify.Result {
	t.Helper()
	r, ok := rep.Find("", check)
	if !ok {
		t.Fatalf("no %s result in the report", check)
	}
	return r
}

func wantStatus(t *testing.T, rep *verify.Report, check string, want verify.Status, summaryHas string) verify.Result {
	t.Helper()
	r := result(t, rep, check)
	if r.Status != want || !strings.Contains(r.Summary, summaryHas) {
		t.Fatalf("%s: %s %q, want %s with %q", check, r.Status, r.Summary, want, summaryHas)
	}
	return r
}

func TestAllChecksPassThroughALoadBalancer(t *testing.T) {
	t.Parallel()
	_, a, b := chattest.StartRedisPair(t, chat.Options{PingInterval: 100 * time.Millisecond})
	lb := startProxy(t, 500*time.Millisecond, a.Addr, b.Addr)
	o := quick(verify.Target{Addr: "chat.test:5000", Scheme: "ws", DialAddrs: []string{lb.Addr()}, IdleTimeout: 500 * time.Millisecond})
	o.IdleCheck, o.IdleFor, o.Clients = true, time.Second, 3
	rep := run(t, o)
	if !rep.OK || rep.Failed != 0 || rep.Warnings != 0 || rep.Skipped != 0 {
		t.Fatalf("report not clean: %d passed, %d failed, %d warnings, %d skipped", rep.Passed, rep.Failed, rep.Warnings, rep.Skipped)
	}
	wantStatus(t, rep, verify.CheckDNS, verify.Pass, "chat.test → CNAME alb-test")
	wantStatus(t, rep, verify.CheckUpgrade, verify.Pass, "Sec-WebSocket-Accept correct")
	wantStatus(t, rep, verify.CheckFanout, verify.Pass, "web-a → web-b")
	lat := wantStatus(t, rep, verify.CheckLatency, verify.Pass, "over 5 messages")
	if lat.Metrics["p99Ms"] < lat.Metrics["p50Ms"] || lat.Metrics["crossP50Ms"] == 0 {
		t.Errorf("latency metrics %v: want p99 ≥ p50 and a cross-backend figure", lat.Metrics)
	}
	idle := wantStatus(t, rep, verify.CheckIdle, verify.Pass, "survived")
	if idle.Metrics["idleMs"] < 1000 || idle.Metrics["pings"] < 1 {
		t.Errorf("idle metrics %v: want ≥ 1000ms idle, twice the proxy's idle timeout, kept open by pings", idle.Metrics)
	}
	backends := map[string]int{}
	for _, c := range rep.Targets[0].Clients {
		backends[c.Backend]++
	}
	if backends["web-a"] == 0 || backends["web-b"] == 0 {
		t.Errorf("clients reached %v, want both backends", backends)
	}
	js, err := json.Marshal(rep)
	if err != nil || !bytes.Contains(js, []byte(`"ok":true`)) || !bytes.Contains(js, []byte(`"check":"fan-out"`)) {
		t.Errorf("JSON form %s (%v)", js, err)
	}
}

func TestBackendThatDoesNotUpgrade(t *testing.T) {
	t.Parallel()
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "<h1>It works!</h1>")
	}))
	defer web.Close()
	rep := run(t, quick(verify.Target{Addr: "chat.test:80", DialAddrs: []string{web.Listener.Addr().String()}}))
	if rep.OK {
		t.Fatal("report OK against a plain web server")
	}
	r := wantStatus(t, rep, verify.CheckUpgrade, verify.Fail, "answered 200 OK, want 101 Switching Protocols")
	if !strings.Contains(r.Hint, "plain web server") || len(r.Details) == 0 || !strings.Contains(r.Details[0], "It works!") {
		t.Errorf("hint %q, details %q: want the plain-web-server hint and the body", r.Hint, r.Details)
	}
	for _, c := range []string{verify.CheckClients, verify.CheckBroadcast, verify.CheckFanout, verify.CheckLatency, verify.CheckIdle} {
		wantStatus(t, rep, c, verify.Skip, "skipped")
	}
	wantStatus(t, rep, verify.CheckTCP, verify.Pass, "connected to")
}

func TestProxyThatDropsIdleConnections(t *testing.T) {
	t.Parallel()
	// The app pings every 10 s; the load balancer cuts after 300 ms of silence.
	_, a, b := chattest.StartRedisPair(t, chat.Options{PingInterval: 10 * time.Second})
	lb := startProxy(t, 300*time.Millisecond, a.Addr, b.Addr)
	o := quick(verify.Target{Addr: "chat.test:5000", DialAddrs: []string{lb.Addr()}, IdleTimeout: 300 * time.Millisecond})
	o.IdleCheck, o.IdleFor = true, time.Second
	rep := run(t, o)
	if rep.OK {
		t.Fatal("report OK although the idle connection was cut")
	}
	r := wantStatus(t, rep, verify.CheckIdle, verify.Fail, "the connection closed after")
	if !strings.Contains(r.Hint, "--ping-interval") || !strings.Contains(strings.Join(r.Details, " "), "server pings received: 0") {
		t.Errorf("hint %q, details %q: want the ping-interval hint and 0 pings", r.Hint, r.Details)
	}
	if rep.Failed != 1 {
		t.Errorf("%d checks failed, want only idle", rep.Failed)
	}
}

func TestBrokenFanout(t *testing.T) {
	t.Parallel()
	// Two backends, each with its own in-process hub: no Redis between them.
	a := chattest.Start(t, chat.Options{Name: "web-a"})
	b := chattest.Start(t, chat.Options{Name: "web-b"})
	lb := startProxy(t, 0, a.Addr, b.Addr)
	rep := run(t, quick(verify.Target{Addr: "chat.test:5000", DialAddrs: []string{lb.Addr()}}))
	if rep.OK {
		t.Fatal("report OK although messages do not cross backends")
	}
	r := wantStatus(t, rep, verify.CheckFanout, verify.Fail, "did not reach")
	if !strings.Contains(r.Hint, "--redis") {
		t.Errorf("hint %q: want it to point at --redis", r.Hint)
	}
	wantStatus(t, rep, verify.CheckBroadcast, verify.Pass, "reached its sender")
	wantStatus(t, rep, verify.CheckLatency, verify.Pass, "round trip")
	if rep.Failed != 1 {
		t.Errorf("%d checks failed, want only fan-out", rep.Failed)
	}
}

func TestOneBackendOnlyWarns(t *testing.T) {
	t.Parallel()
	a := chattest.Start(t, chat.Options{Name: "web-a"})
	rep := run(t, quick(verify.Target{Addr: "chat.test:5000", DialAddrs: []string{a.Addr}}))
	if !rep.OK {
		t.Fatal("a single healthy backend failed verify")
	}
	wantStatus(t, rep, verify.CheckFanout, verify.Warn, "every client reached web-a")
	wantStatus(t, rep, verify.CheckClients, verify.Pass, "2 clients connected: #1 → web-a, #2 → web-a")
}

// TestWrongAcceptKey answers the handshake with 101 but a wrong Sec-WebSocket-Accept.
func TestWrongAcceptKey(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
					return
				}
				io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
			}()
		}
	}()
	rep := run(t, quick(verify.Target{Addr: "chat.test:80", DialAddrs: []string{ln.Addr().String()}}))
	r := wantStatus(t, rep, verify.CheckUpgrade, verify.Fail, "Sec-WebSocket-Accept is \"dGhlIHNhbXBsZSBub25jZQ==\", want")
	if !strings.Contains(r.Hint, "rewrites the handshake") {
		t.Errorf("hint %q", r.Hint)
	}
}

// TestDNS judges answers (from a stub resolver, per name) against the
// load balancer.
func TestDNS(t *testing.T) {
	t.Parallel()
	closed := closedPort(t)
	const albName = "alb-x.alb.aliyuncs.com"
	lbAnswer := verify.Answer{Addrs: []string{"192.0.2.10"}}
	notFound := &net.DNSError{Err: "no such host", Name: "chat.test", IsNotFound: true}
	tests := []struct {
		name    string
		addr    string
		answer  verify.Answer
		err     error
		expect  string
		why     string
		want    verify.Status
		summary string
	}{
		{"CNAME to the ALB", "chat.test", verify.Answer{CNAME: albName + "."}, nil, albName, "", verify.Pass, "CNAME alb-x.alb.aliyuncs.com. (the load balancer)"},
		{"A record to the CLB", "chat.test", verify.Answer{Addrs: []string{"203.0.113.10"}}, nil, "203.0.113.10", "", verify.Pass, "203.0.113.10 (the load balancer)"},
		{"points elsewhere", "chat.test", verify.Answer{CNAME: "old-lb.example.net", Addrs: []string{"198.51.100.7"}}, nil, albName, "", verify.Fail,
			"chat.test → CNAME old-lb.example.net → 198.51.100.7, want alb-x.alb.aliyuncs.com"},
		{"no record", "chat.test", verify.Answer{}, notFound, "", "", verify.Fail, "no such host"},
		{"no expectation", "chat.test", verify.Answer{Addrs: []string{"192.0.2.1"}}, nil, "", "", verify.Skip,
			"chat.test → 192.0.2.1; not compared with the load balancer: no load balancer was given"},
		{"no expectation, with the reason", "chat.test", verify.Answer{Addrs: []string{"192.0.2.1"}}, nil, "", "no credentials", verify.Skip,
			"not compared with the load balancer: no credentials"},
		{"resolver unreachable", "chat.test", verify.Answer{}, &net.DNSError{Err: "read: connection refused", Name: "chat.test", IsTemporary: true}, albName, "", verify.Skip,
			"could not ask DNS about chat.test, so the record is unchecked"},
		{"resolver timed out", "chat.test", verify.Answer{}, &net.DNSError{Err: "i/o timeout", Name: "chat.test", IsTimeout: true}, albName, "", verify.Skip, "could not ask DNS"},
		{"IP target", "127.0.0.1", verify.Answer{}, errors.New("must not be called"), "", "", verify.Skip, "IP address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := quick(verify.Target{Addr: net.JoinHostPort(tt.addr, "80"), DialAddrs: []string{closed}})
			o.ExpectDNS, o.ExpectDNSUnknown = tt.expect, tt.why
			o.Resolve = func(_ context.Context, name string) (verify.Answer, error) {
				if name == albName {
					return lbAnswer, nil
				}
				return tt.answer, tt.err
			}
			rep, err := verify.Run(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			wantStatus(t, rep, verify.CheckDNS, tt.want, tt.summary)
			wantStatus(t, rep, verify.CheckTCP, verify.Fail, "connect to")
		})
	}
}

func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestTLS(t *testing.T) {
	t.Parallel()
	cert, pool := selfSigned(t, "chat.test", 30*24*time.Hour)
	srv, err := chat.New(chat.Options{Name: "web-tls", Logger: chattest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- srv.Serve(ctx, tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}}))
	}()
	t.Cleanup(func() { cancel(); <-done })
	leaf, _ := x509.ParseCertificate(cert.Certificate[0])

	tests := []struct {
		name     string
		host     string
		roots    *x509.CertPool
		insecure bool
		now      time.Time
		want     verify.Status
		summary  string
	}{
		{"trusted", "chat.test", pool, false, time.Now(), verify.Pass, "certificate expires in 29 days"},
		{"unknown CA", "chat.test", nil, false, time.Now(), verify.Fail, "the chain is not trusted"},
		{"unknown CA, --insecure", "chat.test", nil, true, time.Now(), verify.Warn, "(accepted: --insecure)"},
		{"wrong name", "other.test", pool, false, time.Now(), verify.Fail, "not valid for other.test (it names chat.test, 127.0.0.1)"},
		{"expires soon", "chat.test", pool, false, leaf.NotAfter.Add(-5 * 24 * time.Hour), verify.Warn, "expires in 5 days"},
		{"expired", "chat.test", pool, false, leaf.NotAfter.Add(time.Hour), verify.Fail, "the certificate expired on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := quick(verify.Target{Addr: tt.host + ":443", Scheme: "wss", DialAddrs: []string{ln.Addr().String()}})
			o.Resolve = lbResolver(tt.host)
			o.RootCAs, o.Insecure, o.Now = tt.roots, tt.insecure, func() time.Time { return tt.now }
			rep := run(t, o)
			wantStatus(t, rep, verify.CheckTLS, tt.want, tt.summary)
			if tt.want == verify.Fail {
				wantStatus(t, rep, verify.CheckUpgrade, verify.Skip, "skipped")
			} else if tt.name != "expired" {
				wantStatus(t, rep, verify.CheckBroadcast, verify.Pass, "reached its sender")
			}
		})
	}
}

// selfSigned makes a certificate for host and 127.0.0.1, valid for life.
func selfSigned(t *testing.T, host string, life time.Duration) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(life),
		DNSNames: []string{host}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

func TestOptionsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		o    verify.Options
		want string
	}{
		{"no target", verify.Options{}, "no target"},
		{"no port", verify.Options{Targets: []verify.Target{{Addr: "chat.test"}}}, "want host:port"},
		{"bad scheme", verify.Options{Targets: []verify.Target{{Addr: "chat.test:80", Scheme: "http"}}}, "use ws or wss"},
		{"one client", verify.Options{Targets: []verify.Target{{Addr: "chat.test:80"}}, Clients: 1}, "clients 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := verify.Run(context.Background(), tt.o)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
