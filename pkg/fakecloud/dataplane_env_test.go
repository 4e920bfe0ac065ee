package fakecloud

// The harness of the data-plane tests: real apps (httptest servers with a
// WebSocket echo), a stack built through the real SDKs, and helpers that read
// the fake's own view (GetListenerHealthStatus / DescribeHealthStatus,
// /_fake/dataplane).

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/coder/websocket"
)

// dpApp is a backend app: it answers its name, echoes WebSocket messages
// prefixed with its name, and fails /healthz while sick.
type dpApp struct {
	name string
	hs   *httptest.Server
	sick atomic.Bool
	quit chan struct{}
	once sync.Once
}

func startApp(t testing.TB, name string) *dpApp {
	t.Helper()
	a := &dpApp{name: name, quit: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Backend", name)
		fmt.Fprint(w, name)
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		if a.sick.Load() {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{
			"backend": name, "host": r.Host,
			"xff": r.Header.Get("X-Forwarded-For"), "proto": r.Header.Get("X-Forwarded-Proto"), "port": r.Header.Get("X-Forwarded-Port"),
		})
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "appsession", Value: "s-" + name, Path: "/"})
		fmt.Fprint(w, name)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-a.quit:
		}
	})
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		for {
			typ, msg, err := c.Read(r.Context())
			if err != nil {
				return
			}
			if err := c.Write(r.Context(), typ, append([]byte(name+":"), msg...)); err != nil {
				return
			}
		}
	})
	a.hs = httptest.NewServer(mux)
	t.Cleanup(a.stop)
	return a
}

func (a *dpApp) addr() string { return a.hs.Listener.Addr().String() }

// stop kills the app (listener and every connection).
func (a *dpApp) stop() {
	a.once.Do(func() {
		close(a.quit)
		a.hs.CloseClientConnections()
		a.hs.Close()
	})
}

// dpStack describes the stack a test builds.
type dpStack struct {
	lb                         string // alb | clb
	idle, request              int
	hc                         bool
	interval, healthy, unhealt int
	sticky                     string // "", insert, server
	cookieTimeout              int
	drain                      int // ALB: seconds; <0 off
	https                      bool
	weights                    []int
	xfHeaders                  bool // X-Forwarded-Proto and -Port on (both LBs default them off)
	create                     bool // create the load balancer through the API instead of the seeded one
}

// dpEnv is a fake cloud with its data plane, apps, and one listener.
type dpEnv struct {
	t      testing.TB
	ts     *TestServer
	albc   *alb.Client
	slbc   *slb.Client
	stack  dpStack
	apps   []*dpApp
	ids    []string
	group  string
	lsn    string // ALB listener ID
	lbID   string // the load balancer: seeded alb-fake01 / lb-fake01, or created
	addr   string // where the listener listens locally
	client *http.Client
}

const dpListenerPort = 80

func newDPEnv(t testing.TB, stack dpStack, apps ...*dpApp) *dpEnv {
	t.Helper()
	var addrs []string
	for _, a := range apps {
		addrs = append(addrs, a.addr())
	}
	e := newDPEnvAddrs(t, stack, addrs...)
	e.apps = apps
	return e
}

// newDPEnvAddrs is newDPEnv for apps listening at addrs.
func newDPEnvAddrs(t testing.TB, stack dpStack, addrs ...string) *dpEnv {
	t.Helper()
	ts := NewTestServer(t, Options{AsyncDuration: 20 * time.Millisecond, DataPlane: true})
	e := &dpEnv{t: t, ts: ts, stack: stack}
	var err error
	if e.albc, err = alb.NewClient(fcConfig(ts, "fake-ak", "fake-secret")); err != nil {
		t.Fatal(err)
	}
	if e.slbc, err = slb.NewClient(fcConfig(ts, "fake-ak", "fake-secret")); err != nil {
		t.Fatal(err)
	}
	for i, a := range addrs {
		id := fmt.Sprintf("i-fake0%d", i+1)
		e.ids = append(e.ids, id)
		if err := ts.SetInstancePorts(id, map[int]string{5000: a}); err != nil {
			t.Fatal(err)
		}
	}
	e.lbID = map[string]string{"alb": "alb-fake01", "clb": "lb-fake01"}[stack.lb]
	if stack.create {
		e.createLB()
	}
	if stack.lb == "alb" {
		e.buildALB()
	} else {
		e.buildCLB()
	}
	e.addr = e.waitListening()
	e.client = e.httpClient(nil)
	return e
}

func (e *dpEnv) weight(i int) int {
	if i < len(e.stack.weights) {
		return e.stack.weights[i]
	}
	return 100
}

// retry calls fn until it succeeds (the fake answers busy while the last
// write is in progress), failing the test after 15s.
func (e *dpEnv) retry(what string, fn func() error) {
	e.t.Helper()
	eventually(e.t, 15*time.Second, what, fn)
}

// eventually polls fn until it returns nil or the deadline passes.
func eventually(t testing.TB, d time.Duration, what string, fn func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := fn()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still failing after %s: %v", what, d, err)
		}
		time.Sleep(20 * time.Millisecond) // polling interval, not synchronisation
	}
}

// createLB creates the stack's load balancer through the API (an ALB
// waited for until Active) and makes it the one the stack is built on.
func (e *dpEnv) createLB() {
	e.t.Helper()
	if e.stack.lb == "alb" {
		req := albCreateReq("dp-create", "cn-hangzhou-h", "cn-hangzhou-i")
		req.DeletionProtectionEnabled = nil
		out, err := e.albc.CreateLoadBalancer(req)
		if err != nil {
			e.t.Fatalf("ALB CreateLoadBalancer: %v", err)
		}
		e.lbID = tea.StringValue(out.Body.LoadBalancerId)
		e.retry("ALB Active", func() error {
			a, err := e.albc.GetLoadBalancerAttribute(&alb.GetLoadBalancerAttributeRequest{LoadBalancerId: tea.String(e.lbID)})
			if err != nil {
				return err
			}
			if s := tea.StringValue(a.Body.LoadBalancerStatus); s != "Active" {
				return fmt.Errorf("status %s", s)
			}
			return nil
		})
		return
	}
	out, err := e.slbc.CreateLoadBalancer(&slb.CreateLoadBalancerRequest{RegionId: clbRegion, VSwitchId: tea.String("vsw-fake01-h"),
		AddressType: tea.String("intranet"), LoadBalancerName: tea.String("dp-created"), InstanceChargeType: tea.String("PayByCLCU")})
	if err != nil {
		e.t.Fatalf("CLB CreateLoadBalancer: %v", err)
	}
	e.lbID = tea.StringValue(out.Body.LoadBalancerId)
}

func (e *dpEnv) buildALB() {
	s := e.stack
	hc := &alb.CreateServerGroupRequestHealthCheckConfig{HealthCheckEnabled: tea.Bool(s.hc)}
	if s.hc {
		hc.HealthCheckPath = tea.String("/healthz")
		hc.HealthCheckMethod = tea.String("GET")
		hc.HealthCheckCodes = tea.StringSlice([]string{"http_2xx"})
		hc.HealthCheckInterval = tea.Int32(int32(s.interval))
		hc.HealthCheckTimeout = tea.Int32(3) // generous: a loaded machine must not flap
		hc.HealthyThreshold = tea.Int32(int32(s.healthy))
		hc.UnhealthyThreshold = tea.Int32(int32(s.unhealt))
	}
	req := &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String("dp-web"), VpcId: tea.String("vpc-fake01"), Protocol: tea.String("HTTP"),
		HealthCheckConfig: hc,
	}
	switch s.sticky {
	case "insert":
		req.StickySessionConfig = &alb.CreateServerGroupRequestStickySessionConfig{StickySessionEnabled: tea.Bool(true),
			StickySessionType: tea.String("Insert"), CookieTimeout: tea.Int32(int32(s.cookieTimeout))}
	case "server":
		req.StickySessionConfig = &alb.CreateServerGroupRequestStickySessionConfig{StickySessionEnabled: tea.Bool(true),
			StickySessionType: tea.String("Server"), Cookie: tea.String("appsession")}
	}
	if s.drain >= 0 {
		req.ConnectionDrainConfig = &alb.CreateServerGroupRequestConnectionDrainConfig{
			ConnectionDrainEnabled: tea.Bool(true), ConnectionDrainTimeout: tea.Int32(int32(s.drain))}
	}
	out, err := e.albc.CreateServerGroup(req)
	if err != nil {
		e.t.Fatalf("CreateServerGroup: %v", err)
	}
	e.group = tea.StringValue(out.Body.ServerGroupId)
	var servers []*alb.AddServersToServerGroupRequestServers
	for i, id := range e.ids {
		servers = append(servers, &alb.AddServersToServerGroupRequestServers{ServerType: tea.String("Ecs"), ServerId: tea.String(id),
			Port: tea.Int32(5000), Weight: tea.Int32(int32(e.weight(i)))})
	}
	e.retry("AddServersToServerGroup", func() error {
		_, err := e.albc.AddServersToServerGroup(&alb.AddServersToServerGroupRequest{ServerGroupId: tea.String(e.group), Servers: servers})
		return err
	})
	lreq := &alb.CreateListenerRequest{
		LoadBalancerId: tea.String(e.lbID), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(dpListenerPort),
		IdleTimeout: tea.Int32(int32(s.idle)), RequestTimeout: tea.Int32(int32(s.request)),
		DefaultActions: []*alb.CreateListenerRequestDefaultActions{{
			Type: tea.String("ForwardGroup"),
			ForwardGroupConfig: &alb.CreateListenerRequestDefaultActionsForwardGroupConfig{
				ServerGroupTuples: []*alb.CreateListenerRequestDefaultActionsForwardGroupConfigServerGroupTuples{{ServerGroupId: tea.String(e.group)}},
			},
		}},
	}
	if s.xfHeaders {
		lreq.XForwardedForConfig = &alb.CreateListenerRequestXForwardedForConfig{
			XForwardedForProtoEnabled: tea.Bool(true), XForwardedForSLBPortEnabled: tea.Bool(true)}
	}
	if s.https {
		lreq.ListenerProtocol = tea.String("HTTPS")
		lreq.ListenerPort = tea.Int32(443)
		lreq.Certificates = []*alb.CreateListenerRequestCertificates{{CertificateId: tea.String("12345-cn-hangzhou")}}
	}
	e.retry("CreateListener", func() error {
		out, err := e.albc.CreateListener(lreq)
		if err == nil {
			e.lsn = tea.StringValue(out.Body.ListenerId)
		}
		return err
	})
}

func (e *dpEnv) clbPort() int32 {
	if e.stack.https {
		return 443
	}
	return dpListenerPort
}

func (e *dpEnv) buildCLB() {
	s := e.stack
	var servers []string
	for i, id := range e.ids {
		servers = append(servers, fmt.Sprintf(`{"ServerId":"%s","Port":5000,"Weight":%d,"Type":"ecs"}`, id, e.weight(i)))
	}
	g, err := e.slbc.CreateVServerGroup(&slb.CreateVServerGroupRequest{RegionId: clbRegion, LoadBalancerId: tea.String(e.lbID),
		VServerGroupName: tea.String("dp-web"), BackendServers: tea.String("[" + strings.Join(servers, ",") + "]")})
	if err != nil {
		e.t.Fatalf("CreateVServerGroup: %v", err)
	}
	e.group = tea.StringValue(g.Body.VServerGroupId)
	onOff := func(b bool) *string {
		if b {
			return tea.String("on")
		}
		return tea.String("off")
	}
	sticky, stype, cookie := "off", (*string)(nil), (*string)(nil)
	var timeout *int32
	switch s.sticky {
	case "insert":
		sticky, stype, timeout = "on", tea.String("insert"), tea.Int32(int32(s.cookieTimeout))
	case "server":
		sticky, stype, cookie = "on", tea.String("server"), tea.String("appsession")
	}
	var hcInterval, hcHealthy, hcUnhealthy, hcTimeout *int32
	var hcURI, hcCode *string
	if s.hc {
		hcInterval, hcHealthy, hcUnhealthy, hcTimeout = tea.Int32(int32(s.interval)), tea.Int32(int32(s.healthy)), tea.Int32(int32(s.unhealt)), tea.Int32(3)
		hcURI, hcCode = tea.String("/healthz"), tea.String("http_2xx")
	}
	if s.https {
		_, err = e.slbc.CreateLoadBalancerHTTPSListener(&slb.CreateLoadBalancerHTTPSListenerRequest{
			RegionId: clbRegion, LoadBalancerId: tea.String(e.lbID), ListenerPort: tea.Int32(443), VServerGroupId: tea.String(e.group),
			Bandwidth: tea.Int32(-1), ServerCertificateId: tea.String("1234-cn-hangzhou"),
			HealthCheck: onOff(s.hc), HealthCheckURI: hcURI, HealthCheckHttpCode: hcCode, HealthCheckInterval: hcInterval,
			HealthCheckTimeout: hcTimeout, HealthyThreshold: hcHealthy, UnhealthyThreshold: hcUnhealthy,
			StickySession: tea.String(sticky), StickySessionType: stype, CookieTimeout: timeout, Cookie: cookie,
			IdleTimeout: tea.Int32(int32(s.idle)),
		})
	} else {
		_, err = e.slbc.CreateLoadBalancerHTTPListener(&slb.CreateLoadBalancerHTTPListenerRequest{
			RegionId: clbRegion, LoadBalancerId: tea.String(e.lbID), ListenerPort: tea.Int32(dpListenerPort), VServerGroupId: tea.String(e.group),
			Bandwidth:   tea.Int32(-1),
			HealthCheck: onOff(s.hc), HealthCheckURI: hcURI, HealthCheckHttpCode: hcCode, HealthCheckInterval: hcInterval,
			HealthCheckTimeout: hcTimeout, HealthyThreshold: hcHealthy, UnhealthyThreshold: hcUnhealthy,
			StickySession: tea.String(sticky), StickySessionType: stype, CookieTimeout: timeout, Cookie: cookie,
			IdleTimeout: tea.Int32(int32(s.idle)), RequestTimeout: tea.Int32(int32(s.request)),
			XForwardedFor_proto: onOff(s.xfHeaders), XForwardedFor_SLBPORT: onOff(s.xfHeaders),
		})
	}
	if err != nil {
		e.t.Fatalf("Create CLB listener: %v", err)
	}
	proto := "http"
	if s.https {
		proto = "https"
	}
	e.retry("StartLoadBalancerListener", func() error {
		_, err := e.slbc.StartLoadBalancerListener(&slb.StartLoadBalancerListenerRequest{RegionId: clbRegion, LoadBalancerId: tea.String(e.lbID),
			ListenerPort: tea.Int32(e.clbPort()), ListenerProtocol: tea.String(proto)})
		return err
	})
}

// listenerID is the ID /_fake/dataplane lists the listener under.
func (e *dpEnv) listenerID() string {
	if e.stack.lb == "alb" {
		return e.lsn
	}
	proto := "http"
	if e.stack.https {
		proto = "https"
	}
	return fmt.Sprintf("%s_%s_%d", e.lbID, proto, e.clbPort())
}

// dataPlane reads GET /_fake/dataplane.
func (e *dpEnv) dataPlane() DataPlaneView {
	e.t.Helper()
	res, err := http.Get(e.ts.URL() + "/_fake/dataplane")
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var v DataPlaneView
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil {
		e.t.Fatal(err)
	}
	return v
}

// waitListening waits until /_fake/dataplane lists the listener and returns its address.
func (e *dpEnv) waitListening() string {
	e.t.Helper()
	var addr string
	e.retry("listener listed by /_fake/dataplane", func() error {
		for _, l := range e.dataPlane().Listeners {
			if l.ListenerID == e.listenerID() {
				addr = l.Address
				return nil
			}
		}
		return errors.New("not listed")
	})
	return addr
}

func (e *dpEnv) scheme(ws bool) string {
	switch {
	case ws && e.stack.https:
		return "wss://"
	case ws:
		return "ws://"
	case e.stack.https:
		return "https://"
	}
	return "http://"
}

// httpClient is a client without keep-alive (every request a new
// connection), trusting roots for HTTPS.
func (e *dpEnv) httpClient(roots *x509.CertPool) *http.Client {
	tr := &http.Transport{DisableKeepAlives: true, TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: "localhost"}}
	e.t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 20 * time.Second}
}

// get fetches path through the load balancer: status and body.
func (e *dpEnv) get(path string) (int, string) {
	e.t.Helper()
	res, err := e.client.Get(e.scheme(false) + e.addr + path)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// dial opens a WebSocket through the load balancer.
func (e *dpEnv) dial(ctx context.Context, opts *websocket.DialOptions) (*websocket.Conn, error) {
	if opts == nil {
		opts = &websocket.DialOptions{HTTPClient: e.client}
	}
	c, _, err := websocket.Dial(ctx, e.scheme(true)+e.addr+"/ws", opts)
	return c, err
}

// mustDial opens a WebSocket through the load balancer, closed when the
// test ends.
func (e *dpEnv) mustDial(ctx context.Context) *websocket.Conn {
	e.t.Helper()
	c, err := e.dial(ctx, nil)
	if err != nil {
		e.t.Fatalf("dial through the load balancer: %v", err)
	}
	e.t.Cleanup(func() { c.CloseNow() })
	return c
}

// echo sends msg and returns the answer.
func echo(ctx context.Context, c *websocket.Conn, msg string) (string, error) {
	if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		return "", err
	}
	_, got, err := c.Read(ctx)
	return string(got), err
}

// health is what the fake's health API reports per instance: ALB "Healthy"
// (not listed), "Initial", "Unhealthy"...; CLB normal/abnormal/unavailable.
func (e *dpEnv) health() map[string]string {
	e.t.Helper()
	out := map[string]string{}
	if e.stack.lb == "alb" {
		for _, id := range e.ids {
			out[id] = "Healthy"
		}
		res, err := e.albc.GetListenerHealthStatus(&alb.GetListenerHealthStatusRequest{ListenerId: tea.String(e.lsn)})
		if err != nil {
			e.t.Fatalf("GetListenerHealthStatus: %v", err)
		}
		for _, l := range res.Body.ListenerHealthStatus {
			for _, g := range l.ServerGroupInfos {
				for _, s := range g.NonNormalServers {
					st := tea.StringValue(s.Status)
					if s.Reason != nil {
						st += "/" + tea.StringValue(s.Reason.ReasonCode)
					}
					out[tea.StringValue(s.ServerId)] = st
				}
			}
		}
		return out
	}
	res, err := e.slbc.DescribeHealthStatus(&slb.DescribeHealthStatusRequest{RegionId: clbRegion, LoadBalancerId: tea.String(e.lbID), ListenerPort: tea.Int32(e.clbPort())})
	if err != nil {
		e.t.Fatalf("DescribeHealthStatus: %v", err)
	}
	if res.Body.BackendServers != nil {
		for _, s := range res.Body.BackendServers.BackendServer {
			out[tea.StringValue(s.ServerId)] = tea.StringValue(s.ServerHealthStatus)
		}
	}
	return out
}

// waitHealth waits until the health API reports want for instance id.
func (e *dpEnv) waitHealth(id, want string) {
	e.t.Helper()
	e.retry("health of "+id+" = "+want, func() error {
		if got := e.health()[id]; got != want {
			return fmt.Errorf("health %s = %q", id, got)
		}
		return nil
	})
}

func (e *dpEnv) healthy() string {
	if e.stack.lb == "alb" {
		return "Healthy"
	}
	return "normal"
}

// removeBackend takes instance i out of the group through the API.
func (e *dpEnv) removeBackend(i int) {
	e.t.Helper()
	e.retry("remove backend", func() error {
		if e.stack.lb == "alb" {
			_, err := e.albc.RemoveServersFromServerGroup(&alb.RemoveServersFromServerGroupRequest{ServerGroupId: tea.String(e.group),
				Servers: []*alb.RemoveServersFromServerGroupRequestServers{{ServerType: tea.String("Ecs"), ServerId: tea.String(e.ids[i]), Port: tea.Int32(5000)}}})
			return err
		}
		_, err := e.slbc.RemoveVServerGroupBackendServers(&slb.RemoveVServerGroupBackendServersRequest{RegionId: clbRegion,
			VServerGroupId: tea.String(e.group), BackendServers: tea.String(fmt.Sprintf(`[{"ServerId":"%s","Port":5000}]`, e.ids[i]))})
		return err
	})
}

// setWeight changes instance i's weight through the API.
func (e *dpEnv) setWeight(i, w int) {
	e.t.Helper()
	e.retry("set weight", func() error {
		if e.stack.lb == "alb" {
			_, err := e.albc.UpdateServerGroupServersAttribute(&alb.UpdateServerGroupServersAttributeRequest{ServerGroupId: tea.String(e.group),
				Servers: []*alb.UpdateServerGroupServersAttributeRequestServers{{ServerType: tea.String("Ecs"), ServerId: tea.String(e.ids[i]),
					Port: tea.Int32(5000), Weight: tea.Int32(int32(w))}}})
			return err
		}
		_, err := e.slbc.SetVServerGroupAttribute(&slb.SetVServerGroupAttributeRequest{RegionId: clbRegion,
			VServerGroupId: tea.String(e.group), BackendServers: tea.String(fmt.Sprintf(`[{"ServerId":"%s","Port":5000,"Weight":%d}]`, e.ids[i], w))})
		return err
	})
}

// stopListener stops the listener through the API.
func (e *dpEnv) stopListener() {
	e.t.Helper()
	e.retry("stop listener", func() error {
		if e.stack.lb == "alb" {
			_, err := e.albc.StopListener(&alb.StopListenerRequest{ListenerId: tea.String(e.lsn)})
			return err
		}
		proto := "http"
		if e.stack.https {
			proto = "https"
		}
		_, err := e.slbc.StopLoadBalancerListener(&slb.StopLoadBalancerListenerRequest{RegionId: clbRegion, LoadBalancerId: tea.String(e.lbID),
			ListenerPort: tea.Int32(e.clbPort()), ListenerProtocol: tea.String(proto)})
		return err
	})
}

// countBackends sends n requests (each on a new connection) and counts the answers by backend.
func (e *dpEnv) countBackends(n int) map[string]int {
	e.t.Helper()
	got := map[string]int{}
	for i := 0; i < n; i++ {
		status, body := e.get("/")
		if status != http.StatusOK {
			e.t.Fatalf("request %d: status %d: %s", i, status, body)
		}
		got[body]++
	}
	return got
}

// forEachLB runs f as parallel subtests alb and clb.
func forEachLB(t *testing.T, f func(t *testing.T, lb string)) {
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			f(t, lb)
		})
	}
}
