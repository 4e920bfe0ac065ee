package fakecloud

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/coder/websocket"

	"github.com/wsdeploy/wsdeploy/pkg/chat"
	"github.com/wsdeploy/wsdeploy/pkg/internal/chattest"
)

func TestDataPlaneProxiesHTTPAndWebSocket(t *testing.T) {
	forEachLB(t, func(t *testing.T, lb string) {
		a, b := startApp(t, "web-a"), startApp(t, "web-b")
		e := newDPEnv(t, dpStack{lb: lb, idle: 15, request: 60, drain: -1, xfHeaders: true}, a, b)

		v := e.dataPlane()
		if v.CAPath != "/_fake/ca.pem" || len(v.Listeners) != 1 {
			t.Fatalf("/_fake/dataplane = %+v", v)
		}
		l := v.Listeners[0]
		wantID := map[string]string{"alb": "alb-fake01", "clb": "lb-fake01"}[lb]
		if l.LBType != lb || l.LBID != wantID || l.ListenerID != e.listenerID() || l.Protocol != "HTTP" || l.Port != dpListenerPort ||
			!strings.HasPrefix(l.Address, "127.0.0.1:") {
			t.Fatalf("listener = %+v", l)
		}

		// Round robin over both apps, with the forwarding headers.
		if got := e.countBackends(4); got["web-a"] != 2 || got["web-b"] != 2 {
			t.Fatalf("4 requests reached %v, want 2 each", got)
		}
		_, body := e.get("/headers")
		var h map[string]string
		if err := json.Unmarshal([]byte(body), &h); err != nil {
			t.Fatalf("/headers: %v: %s", err, body)
		}
		if h["xff"] != "127.0.0.1" || h["proto"] != "http" || h["port"] != "80" || h["host"] != e.addr {
			t.Fatalf("headers the app saw: %v", h)
		}
		// By default both add X-Forwarded-For only.
		plain := newDPEnv(t, dpStack{lb: lb, idle: 15, request: 60, drain: -1}, startApp(t, "web-c"))
		_, body = plain.get("/headers")
		h = nil
		if err := json.Unmarshal([]byte(body), &h); err != nil {
			t.Fatalf("/headers: %v: %s", err, body)
		}
		if h["xff"] != "127.0.0.1" || h["proto"] != "" || h["port"] != "" {
			t.Fatalf("headers the app saw with the default switches: %v", h)
		}

		// WebSocket upgrade pass-through.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c := e.mustDial(ctx)
		got, err := echo(ctx, c, "hello")
		if err != nil || (got != "web-a:hello" && got != "web-b:hello") {
			t.Fatalf("echo = %q, %v", got, err)
		}
	})
}

func TestDataPlaneIdleTimeout(t *testing.T) {
	forEachLB(t, func(t *testing.T, lb string) {
		a := startApp(t, "web-a")
		e := newDPEnv(t, dpStack{lb: lb, idle: 1, request: 60, drain: -1}, a)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()

		// A quiet WebSocket is cut at the idle timeout.
		quiet := e.mustDial(ctx)
		start := time.Now() // the quiet connection's last data is after this
		if _, err := echo(ctx, quiet, "x"); err != nil {
			t.Fatal(err)
		}
		// Another one pings every 300ms (as wschat does) and survives.
		busy := e.mustDial(ctx)
		go func() {
			for {
				if _, _, err := busy.Read(ctx); err != nil {
					return
				}
			}
		}()
		pinged := make(chan error, 1)
		go func() {
			tick := time.NewTicker(300 * time.Millisecond)
			defer tick.Stop()
			for i := 0; i < 10; i++ { // 3s, three idle timeouts
				<-tick.C
				if err := busy.Ping(ctx); err != nil {
					pinged <- err
					return
				}
			}
			pinged <- nil
		}()

		_, _, err := quiet.Read(ctx)
		idleFor := time.Since(start)
		if err == nil || ctx.Err() != nil {
			t.Fatalf("quiet WebSocket: read = %v (context %v), want closed by the load balancer", err, ctx.Err())
		}
		if idleFor < time.Second {
			t.Fatalf("quiet WebSocket closed after %s, before the 1s idle timeout", idleFor)
		}
		if err := <-pinged; err != nil {
			t.Fatalf("pinging WebSocket was cut: %v", err)
		}
	})
}

func TestDataPlaneRequestTimeout(t *testing.T) {
	forEachLB(t, func(t *testing.T, lb string) {
		a := startApp(t, "web-a")
		e := newDPEnv(t, dpStack{lb: lb, idle: 1, request: 1, drain: -1}, a)
		// /slow never answers: the load balancer gives up after RequestTimeout
		// (1s), not at the idle timeout (also 1s: a request in flight is not idle).
		status, body := e.get("/slow")
		if status != http.StatusGatewayTimeout || !strings.Contains(body, "504 Gateway Time-out") {
			t.Fatalf("slow request: %d %s", status, body)
		}
	})
}

func TestDataPlaneHealthChecksAndFailover(t *testing.T) {
	forEachLB(t, func(t *testing.T, lb string) {
		a, b := startApp(t, "web-a"), startApp(t, "web-b")
		b.sick.Store(true)
		e := newDPEnv(t, dpStack{lb: lb, idle: 15, request: 60, hc: true, interval: 1, healthy: 2, unhealt: 2, drain: -1}, a, b)
		unhealthy := map[string]string{"alb": "Unhealthy/RESPONSE_MISMATCH", "clb": "abnormal"}[lb]
		e.waitHealth("i-fake01", e.healthy())
		e.waitHealth("i-fake02", unhealthy)
		if got := e.countBackends(4); got["web-a"] != 4 {
			t.Fatalf("with web-b failing its health check, 4 requests reached %v", got)
		}
		// web-b recovers and gets traffic again.
		b.sick.Store(false)
		e.waitHealth("i-fake02", e.healthy())
		if got := e.countBackends(4); got["web-a"] != 2 || got["web-b"] != 2 {
			t.Fatalf("after recovery, 4 requests reached %v", got)
		}
		// web-a dies: connection refused, all traffic fails over to web-b.
		a.stop()
		dead := map[string]string{"alb": "Unhealthy/CONNECT_FAILED", "clb": "abnormal"}[lb]
		e.waitHealth("i-fake01", dead)
		if got := e.countBackends(4); got["web-b"] != 4 {
			t.Fatalf("with web-a down, 4 requests reached %v", got)
		}
		// Nothing healthy: the load balancer's own error page.
		b.sick.Store(true)
		e.waitHealth("i-fake02", unhealthy)
		status, body := e.get("/")
		want := map[string]int{"alb": http.StatusServiceUnavailable, "clb": http.StatusBadGateway}[lb]
		title := map[string]string{"alb": "503 Service Temporarily Unavailable", "clb": "502 Bad Gateway"}[lb]
		if status != want || !strings.Contains(body, "<title>"+title+"</title>") {
			t.Fatalf("no healthy backend: %d %q, want %d %s", status, body, want, title)
		}
		// The verdicts are in the world (Snapshot), for every process sharing it.
		st := e.ts.Snapshot()
		if len(st.DataPlane.Health) != 2 || st.DataPlane.Health[0].State != probeUnhealthy || st.DataPlane.Health[1].State != probeUnhealthy {
			t.Fatalf("published verdicts: %+v", st.DataPlane.Health)
		}
	})
}

func TestDataPlaneHealthBeforeFirstVerdict(t *testing.T) {
	// A backend with a mapped port is not "healthy by default": until the
	// probes decide, ALB reports Initial and CLB unavailable, and no
	// request reaches it.
	forEachLB(t, func(t *testing.T, lb string) {
		a := startApp(t, "web-a")
		e := newDPEnv(t, dpStack{lb: lb, idle: 15, request: 60, hc: true, interval: 50, healthy: 10, unhealt: 10, drain: -1}, a)
		want := map[string]string{"alb": "Initial", "clb": "unavailable"}[lb]
		if got := e.health()["i-fake01"]; got != want {
			t.Fatalf("health before the thresholds are met = %q, want %q", got, want)
		}
		if status, _ := e.get("/"); status == http.StatusOK {
			t.Fatalf("a backend not yet healthy got a request")
		}
	})
}

func TestDataPlaneWeights(t *testing.T) {
	forEachLB(t, func(t *testing.T, lb string) {
		a, b := startApp(t, "web-a"), startApp(t, "web-b")
		e := newDPEnv(t, dpStack{lb: lb, idle: 15, request: 60, drain: -1, weights: []int{30, 10}}, a, b)
		if got := e.countBackends(8); got["web-a"] != 6 || got["web-b"] != 2 {
			t.Fatalf("weights 30:10, 8 requests reached %v", got)
		}
		e.setWeight(0, 0)
		e.retry("weight 0 takes effect", func() error {
			if got := e.countBackends(4); got["web-b"] != 4 {
				return errors.New("web-a still gets requests")
			}
			return nil
		})
	})
}

func TestDataPlaneStickySessions(t *testing.T) {
	forEachLB(t, func(t *testing.T, lb string) {
		t.Run("insert", func(t *testing.T) {
			a, b := startApp(t, "web-a"), startApp(t, "web-b")
			e := newDPEnv(t, dpStack{lb: lb, idle: 15, request: 60, drain: -1, sticky: "insert", cookieTimeout: 120}, a, b)
			res, err := e.client.Get("http://" + e.addr + "/")
			if err != nil {
				t.Fatal(err)
			}
			first, _ := io.ReadAll(res.Body)
			res.Body.Close()
			cookies := map[string]*http.Cookie{}
			for _, c := range res.Cookies() {
				cookies[c.Name] = c
			}
			sid := cookies["SERVERID"]
			if sid == nil || sid.MaxAge != 120 {
				t.Fatalf("Set-Cookie: %q", res.Header.Values("Set-Cookie"))
			}
			if cors := cookies["SERVERCORSID"]; (lb == "alb") != (cors != nil) || (cors != nil && (cors.SameSite != http.SameSiteNoneMode || cors.Value != sid.Value)) {
				t.Fatalf("%s SERVERCORSID: %q", lb, res.Header.Values("Set-Cookie"))
			}
			for i := 0; i < 6; i++ {
				req, _ := http.NewRequest("GET", "http://"+e.addr+"/", nil)
				req.AddCookie(&http.Cookie{Name: "SERVERID", Value: sid.Value})
				res, err := e.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if string(body) != string(first) {
					t.Fatalf("request %d with the cookie reached %s, not %s", i, body, first)
				}
			}
		})
		t.Run("server", func(t *testing.T) {
			a, b := startApp(t, "web-a"), startApp(t, "web-b")
			e := newDPEnv(t, dpStack{lb: lb, idle: 15, request: 60, drain: -1, sticky: "server"}, a, b)
			sessions := map[string]string{}
			for i := 0; i < 2; i++ {
				res, err := e.client.Get("http://" + e.addr + "/login")
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				for _, c := range res.Cookies() {
					if c.Name == "appsession" {
						sessions[c.Value] = string(body)
					}
				}
			}
			if len(sessions) != 2 {
				t.Fatalf("two logins gave sessions %v", sessions)
			}
			for v, backend := range sessions {
				for i := 0; i < 4; i++ {
					req, _ := http.NewRequest("GET", "http://"+e.addr+"/", nil)
					req.AddCookie(&http.Cookie{Name: "appsession", Value: v})
					res, err := e.client.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					body, _ := io.ReadAll(res.Body)
					res.Body.Close()
					if string(body) != backend {
						t.Fatalf("session %s reached %s, want %s", v, body, backend)
					}
				}
			}
		})
	})
}

func TestDataPlaneTLSWithTheWorldCA(t *testing.T) {
	forEachLB(t, func(t *testing.T, lb string) {
		a := startApp(t, "web-a")
		e := newDPEnv(t, dpStack{lb: lb, idle: 15, request: 60, drain: -1, https: true}, a)
		// A DNS record pointing at the load balancer names the certificate.
		target := map[string]string{"alb": "alb-fake01.cn-hangzhou.alb.aliyuncs.com", "clb": "203.0.113.10"}[lb]
		typ := map[string]string{"alb": "CNAME", "clb": "A"}[lb]
		err := e.ts.Update(func(st *State) error {
			st.DNS.Domains[0].Records = append(st.DNS.Domains[0].Records, DNSRecord{ID: "1", RR: "chat", Type: typ, Value: target, TTL: 600, Line: "default", Status: "ENABLE"})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.Get(e.ts.URL() + "/_fake/ca.pem")
		if err != nil {
			t.Fatal(err)
		}
		pemData, _ := io.ReadAll(res.Body)
		res.Body.Close()
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pemData) {
			t.Fatalf("/_fake/ca.pem is not a PEM certificate: %q", pemData)
		}
		tlsDial := func(name string) (*tls.Conn, error) {
			return tls.Dial("tcp", e.addr, &tls.Config{RootCAs: roots, ServerName: name})
		}
		// The certificate is issued when the client connects, for the names then.
		eventually(t, 10*time.Second, "certificate for chat.example.com", func() error {
			c, err := tlsDial("chat.example.com")
			if err == nil {
				c.Close()
			}
			return err
		})
		if c, err := tlsDial("other.example.org"); err == nil {
			c.Close()
			t.Fatal("the certificate also verified for other.example.org")
		}
		// The system roots do not trust it.
		if c, err := tls.Dial("tcp", e.addr, &tls.Config{ServerName: "chat.example.com"}); err == nil {
			c.Close()
			t.Fatal("the certificate verified without the fake's CA")
		}
		// wss:// through the listener, trusting the CA.
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: "chat.example.com"}}
		defer tr.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := e.dial(ctx, &websocket.DialOptions{HTTPClient: &http.Client{Transport: tr}})
		if err != nil {
			t.Fatalf("wss through the listener: %v", err)
		}
		defer c.CloseNow()
		if got, err := echo(ctx, c, "secure"); err != nil || got != "web-a:secure" {
			t.Fatalf("echo over wss = %q, %v", got, err)
		}
		// The CA key is not shown by /_fake/state.
		res, err = http.Get(e.ts.URL() + "/_fake/state")
		if err != nil {
			t.Fatal(err)
		}
		state, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if strings.Contains(string(state), "PRIVATE KEY") {
			t.Fatal("/_fake/state shows the CA's private key")
		}
	})
}

func TestDataPlaneDrainOnRemoval(t *testing.T) {
	cases := []struct {
		name, lb string
		drain    int
		cut      bool // the connection ends once the drain timeout passed
	}{
		{"alb drain 1s", "alb", 1, true},
		{"alb no draining", "alb", -1, true},
		{"clb", "clb", -1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := startApp(t, "web-a")
			e := newDPEnv(t, dpStack{lb: tc.lb, idle: 60, request: 60, drain: tc.drain}, a)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			c := e.mustDial(ctx)
			if _, err := echo(ctx, c, "before"); err != nil {
				t.Fatal(err)
			}
			removed := time.Now()
			e.removeBackend(0)
			// New requests find no backend.
			want := map[string]int{"alb": http.StatusServiceUnavailable, "clb": http.StatusBadGateway}[tc.lb]
			e.retry("removed backend gets no new requests", func() error {
				if status, _ := e.get("/"); status != want {
					return errors.New("still served")
				}
				return nil
			})
			if !tc.cut {
				// CLB: the connection stays until it ends.
				for i := 0; i < 3; i++ {
					if got, err := echo(ctx, c, "after"); err != nil || got != "web-a:after" {
						t.Fatalf("connection to the removed backend: %q, %v", got, err)
					}
				}
				return
			}
			if tc.drain > 0 {
				if got, err := echo(ctx, c, "draining"); err != nil || got != "web-a:draining" {
					t.Fatalf("during the drain timeout: %q, %v", got, err)
				}
			}
			for {
				if _, err := echo(ctx, c, "x"); err != nil {
					if ctx.Err() != nil {
						t.Fatal("the drained connection was never closed")
					}
					break
				}
			}
			if tc.drain > 0 && time.Since(removed) < time.Duration(tc.drain)*time.Second-100*time.Millisecond {
				t.Fatalf("closed %s after removal, before the %ds drain timeout", time.Since(removed), tc.drain)
			}
		})
	}
}

func TestDataPlaneStoppedListenerClosesItsPort(t *testing.T) {
	forEachLB(t, func(t *testing.T, lb string) {
		a := startApp(t, "web-a")
		e := newDPEnv(t, dpStack{lb: lb, idle: 15, request: 60, drain: -1}, a)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		c := e.mustDial(ctx)
		e.stopListener()
		e.retry("port closed", func() error {
			conn, err := net.DialTimeout("tcp", e.addr, time.Second)
			if err == nil {
				conn.Close()
				return errors.New("still accepting")
			}
			return nil
		})
		if _, err := echo(ctx, c, "x"); err == nil {
			t.Fatal("a connection survived its listener's stop")
		}
		if ls := e.dataPlane().Listeners; len(ls) != 0 {
			t.Fatalf("/_fake/dataplane still lists %+v", ls)
		}
	})
}

func TestInstancePortsEndpointAndSeed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	seed := DemoSeed()
	seed.Instances[0].Ports = map[int]string{5000: "127.0.0.1:5101"}
	ts := NewTestServer(t, Options{Seed: seed, StatePath: path})
	snap := ts.Snapshot()
	if in, _ := snap.Instance("i-fake01"); in.Ports[5000] != "127.0.0.1:5101" {
		t.Fatalf("seeded ports: %v", in.Ports)
	}
	put := func(id, body string) (int, string) {
		req, _ := http.NewRequest(http.MethodPut, ts.URL()+"/_fake/instances/"+id+"/ports", strings.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if status, body := put("i-fake02", `{"5000": "127.0.0.1:5102", "8080": "localhost:9000"}`); status != http.StatusOK {
		t.Fatalf("PUT ports: %d %s", status, body)
	}
	for _, bad := range []struct{ id, body string }{
		{"i-fake02", `{"5000": "nohost"}`}, {"i-fake02", `{"70000": "127.0.0.1:1"}`}, {"i-fake02", `{"x": "127.0.0.1:1"}`}, {"i-fake02", `[1]`},
	} {
		if status, body := put(bad.id, bad.body); status != http.StatusBadRequest {
			t.Fatalf("PUT %s: %d %s, want 400", bad.body, status, body)
		}
	}
	if status, _ := put("i-nope", `{}`); status != http.StatusNotFound {
		t.Fatalf("unknown instance: %d", status)
	}
	// Persisted: a new server on the state file sees them.
	other, err := New(Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	snap = other.Snapshot()
	in, _ := snap.Instance("i-fake02")
	if in.Ports[5000] != "127.0.0.1:5102" || in.Ports[8080] != "localhost:9000" {
		t.Fatalf("ports after reload: %v", in.Ports)
	}
	// A seed with a bad map is refused, naming the instance.
	if _, err := ParseSeed([]byte("region: cn-hangzhou\naccessKeys: [{id: a, secret: b}]\nvpcs: [{id: vpc-1}]\n" +
		"instances: [{id: i-1, vpcId: vpc-1, privateIp: 10.0.0.1, ports: {5000: nope}}]\n")); err == nil || !strings.Contains(err.Error(), "instances[0]: ports") {
		t.Fatalf("bad seed ports: %v", err)
	}
}

func TestDataPlaneServeLifecycleAndOneOwnerPerStateFile(t *testing.T) {
	a := startApp(t, "web-a")
	path := filepath.Join(t.TempDir(), "state.json")
	seed := DemoSeed()
	seed.Instances[0].Ports = map[int]string{5000: a.addr()}
	// Two servers share the state file; both would serve the data plane.
	first, err := New(Options{Seed: seed, StatePath: path, AsyncDuration: 10 * time.Millisecond, DataPlane: true})
	if err != nil {
		t.Fatal(err)
	}
	second, err := New(Options{StatePath: path, AsyncDuration: 10 * time.Millisecond, DataPlane: true})
	if err != nil {
		t.Fatal(err)
	}
	serve := func(s *Server) (string, context.CancelFunc, chan error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- Serve(ctx, ln, s) }()
		return "http://" + ln.Addr().String(), cancel, done
	}
	url1, stop1, done1 := serve(first)
	_, stop2, done2 := serve(second)
	defer stop2()
	// A CLB listener, written straight into the world.
	err = first.Update(func(st *State) error {
		st.CLB.VServerGroups = append(st.CLB.VServerGroups, &CLBVServerGroup{ID: "rsp-1", Name: "g", LoadBalancerID: "lb-fake01",
			Servers: []CLBBackend{{ServerID: "i-fake01", Port: 5000, Weight: 100, Type: "ecs"}}})
		st.CLB.Listeners = append(st.CLB.Listeners, &CLBListener{LoadBalancerID: "lb-fake01", Protocol: "http", Port: 80, Status: "running",
			VServerGroupID: "rsp-1", IdleTimeout: 15, RequestTimeout: 60, Flags: map[string]string{}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var addr string
	eventually(t, 10*time.Second, "listener served", func() error {
		ls := second.DataPlane().Listeners // the other process sees it too
		if len(ls) != 1 {
			return errors.New("not listed")
		}
		addr = ls[0].Address
		return nil
	})
	res, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != "web-a" {
		t.Fatalf("through the data plane: %q", body)
	}
	res, err = http.Get(url1 + "/_fake/dataplane")
	if err != nil {
		t.Fatal(err)
	}
	var v DataPlaneView
	json.NewDecoder(res.Body).Decode(&v)
	res.Body.Close()
	if len(v.Listeners) != 1 || v.Listeners[0].Address != addr {
		t.Fatalf("GET /_fake/dataplane = %+v", v)
	}
	// The owner stops: its port closes and the other server takes over.
	stop1()
	if err := <-done1; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	eventually(t, 10*time.Second, "the other server serves the listener", func() error {
		ls := second.DataPlane().Listeners
		if len(ls) != 1 {
			return errors.New("not listed")
		}
		res, err := http.Get("http://" + ls[0].Address + "/")
		if err != nil {
			return err
		}
		res.Body.Close()
		return nil
	})
	stop2()
	if err := <-done2; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	st, err := New(Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	if ls := st.DataPlane().Listeners; len(ls) != 0 {
		t.Fatalf("after every server stopped, the world still lists %+v", ls)
	}
	if _, err := os.Stat(path + ".dataplane.lock"); err != nil {
		t.Fatalf("lock file: %v", err)
	}
	// No goroutine of the data plane outlives Serve.
	eventually(t, 10*time.Second, "data plane goroutines gone", func() error {
		buf := make([]byte, 1<<20)
		stacks := string(buf[:runtime.Stack(buf, true)])
		if loc := dataPlaneFrame.FindStringIndex(stacks); loc != nil {
			return fmt.Errorf("still running: %s", stacks[max(0, loc[0]-1500):min(len(stacks), loc[1]+200)])
		}
		return nil
	})
}

// dataPlaneFrame matches a stack frame in the data plane's (non-test) code.
var dataPlaneFrame = regexp.MustCompile(`pkg/fakecloud/dataplane(_state|_tls|_probe|_proxy|_lock_unix)?\.go:`)

// wschat behind the data plane: its pings keep a quiet client's WebSocket
// open past the listener's idle timeout; a backend that pings less often
// than that loses its quiet clients, as on the real load balancers.
func TestDataPlaneWithWschat(t *testing.T) {
	forEachLB(t, func(t *testing.T, lb string) {
		for _, tc := range []struct {
			name    string
			ping    time.Duration
			survive bool
		}{{"pings every 300ms", 300 * time.Millisecond, true}, {"pings every 10s", 10 * time.Second, false}} {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				web := chattest.Start(t, chat.Options{Name: "web-a", PingInterval: tc.ping})
				e := newDPEnvAddrs(t, dpStack{lb: lb, idle: 1, request: 60, hc: true, interval: 1, healthy: 2, unhealt: 2, drain: -1}, web.Addr)
				e.waitHealth("i-fake01", e.healthy())
				c := chattest.Dial(t, "ws://"+e.addr+"/ws", "")
				c.SetUsername("alice")
				if !tc.survive {
					if err := c.WaitClosed(10 * time.Second); err == nil {
						t.Fatal("closed without an error")
					}
					return
				}
				// Three idle timeouts without a frame from either side...
				if f, err := c.Next(3 * time.Second); err == nil || errors.Is(err, chattest.ErrClosed) {
					t.Fatalf("quiet client: frame %+v, %v; want nothing and still open", f, err)
				}
				// ...and the connection still works.
				c.SetUsername("alice2")
			})
		}
	})
}

// Reconfiguring a running listener keeps its port, and a shorter idle
// timeout applies to the connections already open.
func TestDataPlaneListenerReconfigured(t *testing.T) {
	forEachLB(t, func(t *testing.T, lb string) {
		a := startApp(t, "web-a")
		e := newDPEnv(t, dpStack{lb: lb, idle: 60, request: 60, drain: -1}, a)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		c := e.mustDial(ctx)
		if _, err := echo(ctx, c, "x"); err != nil {
			t.Fatal(err)
		}
		e.retry("set IdleTimeout 1", func() error {
			if lb == "alb" {
				_, err := e.albc.UpdateListenerAttribute(&alb.UpdateListenerAttributeRequest{ListenerId: tea.String(e.lsn), IdleTimeout: tea.Int32(1)})
				return err
			}
			_, err := e.slbc.SetLoadBalancerHTTPListenerAttribute(&slb.SetLoadBalancerHTTPListenerAttributeRequest{RegionId: clbRegion,
				LoadBalancerId: clbLB, ListenerPort: tea.Int32(dpListenerPort), IdleTimeout: tea.Int32(1)})
			return err
		})
		if _, _, err := c.Read(ctx); err == nil || ctx.Err() != nil {
			t.Fatalf("quiet WebSocket after the idle timeout became 1s: %v (context %v)", err, ctx.Err())
		}
		if addr := e.waitListening(); addr != e.addr {
			t.Fatalf("reconfigured listener moved from %s to %s", e.addr, addr)
		}
		if status, body := e.get("/"); status != http.StatusOK || body != "web-a" {
			t.Fatalf("after reconfiguring: %d %s", status, body)
		}
	})
}
