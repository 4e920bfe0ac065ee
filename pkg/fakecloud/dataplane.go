package fakecloud

// The data plane: while a Server with Options.DataPlane serves, every ALB
// listener that is Running and every CLB listener that is running listens
// on a loopback port and proxies to its backends' mapped addresses
// (dataplane_proxy.go), and backends with a mapped port are health-checked
// for real (dataplane_probe.go). A reconcile loop follows the world: it
// polls it (the state file may be changed by other processes) and opens,
// reconfigures and closes listeners and probes to match, then publishes the
// listening addresses and the probes' verdicts into the world
// (DataPlaneState). See doc.go, "Data plane".

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// dataPlaneTick is how often the data plane looks at the world.
const dataPlaneTick = 50 * time.Millisecond

// dataPlane is the running data plane of one Server.
type dataPlane struct {
	s       *Server
	owner   bool
	release func() // gives up ownership
	ca      *dpCA
	certs   *certCache

	listeners map[string]*dpListener // by dpConfig.key
	probes    map[string]*prober     // by probe key

	kick chan struct{}
	stop chan struct{}
	done chan struct{}
}

// startDataPlane starts the data plane and returns the function that stops
// it: every port closed, every probe and connection ended, and the
// addresses and verdicts withdrawn from the world.
func (s *Server) startDataPlane() (stop func()) {
	dp := &dataPlane{
		s: s, listeners: map[string]*dpListener{}, probes: map[string]*prober{},
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	go dp.run()
	var once sync.Once
	return func() {
		once.Do(func() { close(dp.stop) })
		<-dp.done
	}
}

// poke asks for a reconcile soon (a probe's verdict changed).
func (dp *dataPlane) poke() {
	select {
	case dp.kick <- struct{}{}:
	default:
	}
}

func (dp *dataPlane) run() {
	defer close(dp.done)
	t := time.NewTicker(dataPlaneTick)
	defer t.Stop()
	for {
		dp.sync()
		select {
		case <-dp.stop:
			dp.shutdown()
			return
		case <-t.C:
		case <-dp.kick:
		}
	}
}

// takeOwnership makes this Server the one that serves the world's data
// plane: always without a state file; with one, the process holding the
// exclusive flock on <StatePath>.dataplane.lock (taken without waiting,
// retried every tick, released by the kernel if the process dies).
func (dp *dataPlane) takeOwnership() bool {
	if dp.owner {
		return true
	}
	if dp.s.opts.StatePath == "" {
		dp.owner = true
		return true
	}
	release, ok := tryLockFile(dp.s.opts.StatePath + ".dataplane.lock")
	if !ok {
		return false
	}
	dp.owner, dp.release = true, release
	dp.s.logf("fakecloud: data plane: this process serves the load balancers of %s", dp.s.opts.StatePath)
	return true
}

func (dp *dataPlane) sync() {
	if !dp.takeOwnership() {
		return
	}
	if dp.ca == nil {
		ca, err := dp.s.worldCA()
		if err != nil {
			dp.s.logf("fakecloud: data plane: %v", err)
			return
		}
		dp.ca, dp.certs = ca, &certCache{ca: ca}
	}
	st := dp.s.Snapshot()
	cfgs := dataPlaneConfigs(&st, dp.s.now())

	// Probes first, so that listeners get their backends' probers.
	want := map[string]*probeConfig{}
	for _, c := range cfgs {
		for _, b := range c.backends {
			if b.probeKey != "" {
				want[b.probeKey] = b.probeCfg
			}
		}
	}
	for k, p := range dp.probes {
		if want[k] == nil {
			p.close()
			delete(dp.probes, k)
		}
	}
	for k, pc := range want {
		if p := dp.probes[k]; p != nil {
			if !reflect.DeepEqual(p.cfg.Load(), pc) {
				p.cfg.Store(pc)
			}
			continue
		}
		dp.probes[k] = newProber(k, pc, dp.poke)
	}
	for _, c := range cfgs {
		for _, b := range c.backends {
			if b.probeKey != "" {
				b.probe = dp.probes[b.probeKey]
			}
		}
	}

	prefer := map[string]string{}
	for _, l := range st.DataPlane.Listeners {
		prefer[l.LBType+"/"+l.ListenerID] = l.Address
	}
	for k, l := range dp.listeners {
		if cfgs[k] == nil {
			l.close()
			delete(dp.listeners, k)
		}
	}
	for k, c := range cfgs {
		if l := dp.listeners[k]; l != nil {
			l.update(c)
			continue
		}
		l, err := dp.open(c, prefer[k])
		if err != nil {
			dp.s.logf("fakecloud: data plane: %s listener %s: %v", c.lbType, c.listenerID, err)
			continue
		}
		dp.listeners[k] = l
	}
	dp.publish(&st)
}

// publish writes the served listeners and the probes' verdicts into the
// world when they differ from what it shows.
func (dp *dataPlane) publish(st *State) {
	ls := []DataPlaneListener{}
	for _, l := range dp.listeners {
		c := l.cfg.Load()
		ls = append(ls, DataPlaneListener{LBType: c.lbType, LBID: c.lbID, ListenerID: c.listenerID,
			Protocol: c.protocol, Port: c.port, Address: l.addr})
	}
	sortListeners(ls)
	hs := []ProbedHealth{}
	for _, p := range dp.probes {
		hs = append(hs, *p.verdict.Load())
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].Key < hs[j].Key })
	if len(ls) == 0 {
		ls = nil
	}
	if len(hs) == 0 {
		hs = nil
	}
	if slices.Equal(ls, st.DataPlane.Listeners) && slices.Equal(hs, st.DataPlane.Health) {
		return
	}
	err := dp.s.Update(func(st *State) error {
		st.DataPlane.Listeners, st.DataPlane.Health = ls, hs
		return nil
	})
	if err != nil {
		dp.s.logf("fakecloud: data plane: publish: %v", err)
	}
}

func (dp *dataPlane) shutdown() {
	for k, l := range dp.listeners {
		l.close()
		delete(dp.listeners, k)
	}
	for k, p := range dp.probes {
		p.close()
		delete(dp.probes, k)
	}
	if !dp.owner {
		return
	}
	err := dp.s.Update(func(st *State) error {
		st.DataPlane.Listeners, st.DataPlane.Health = nil, nil
		return nil
	})
	if err != nil {
		dp.s.logf("fakecloud: data plane: withdraw: %v", err)
	}
	if dp.release != nil {
		dp.release()
	}
}

// dpConfig is one served listener as the world describes it now.
type dpConfig struct {
	key        string // lbType/listenerID
	lbType     string // alb | clb
	lbID       string
	listenerID string
	protocol   string // HTTP | HTTPS
	port       int
	idle       time.Duration
	request    time.Duration
	backends   []*dpBackend
	sticky     dpSticky
	// drain is how long a removed backend's connections stay: <0 until they
	// end, 0 closed at once.
	drain time.Duration
	// headers added to requests; with xff off the client's X-Forwarded-For
	// passes unchanged, with xffRemove it is dropped (ALB "remove" mode)
	xff, xffRemove, xfProto, xfPort, xfHost, slbIP, slbID, clientPort bool
	lbAddress                                                         string // CLB: SLB-IP
	certNames                                                         []string
}

// dpSticky is the session persistence in force.
type dpSticky struct {
	enabled bool
	insert  bool // else server (the app's cookie)
	timeout int  // insert: cookie Max-Age in seconds
	cookie  string
}

// dpBackend is one backend with a mapped address.
type dpBackend struct {
	key      string // serverID:port
	serverID string
	port     int
	addr     string
	weight   int
	ready    bool   // not being added, instance Running
	cookie   string // the insert cookie's value that names it
	probeKey string // "" when health checks are off
	probeCfg *probeConfig
	probe    *prober
}

// routable reports whether b may take new connections.
func (b *dpBackend) routable() bool {
	return b.ready && b.weight > 0 && (b.probe == nil || b.probe.healthy())
}

// dataPlaneConfigs returns the listeners to serve at now, by key.
func dataPlaneConfigs(st *State, now time.Time) map[string]*dpConfig {
	out := map[string]*dpConfig{}
	for _, l := range st.ALB.Listeners {
		if c := albDataPlaneConfig(st, l, now); c != nil {
			out[c.key] = c
		}
	}
	for _, l := range st.CLB.Listeners {
		if c := clbDataPlaneConfig(st, l, now); c != nil {
			out[c.key] = c
		}
	}
	return out
}

// albServed reports whether an ALB listener carries traffic at now:
// settled Running, not being created, started or deleted.
func albServed(l *ALBListener, now time.Time) bool {
	if l.Status != "Running" || l.Deleted || l.gone(now) {
		return false
	}
	return !(l.busy(now) && l.Transit == "Provisioning")
}

func albDataPlaneConfig(st *State, l *ALBListener, now time.Time) *dpConfig {
	lb := st.ALB.loadBalancer(l.LoadBalancerID)
	if lb == nil || !albServed(l, now) || (l.Protocol != "HTTP" && l.Protocol != "HTTPS") {
		return nil
	}
	c := &dpConfig{
		key: "alb/" + l.ID, lbType: "alb", lbID: lb.ID, listenerID: l.ID, protocol: l.Protocol, port: l.Port,
		idle: secondsOr(l.IdleTimeout, 15), request: secondsOr(l.RequestTimeout, 60), drain: 0,
	}
	xff := albXFFConfig(l)
	on := func(name string) bool { return xff[name] == true }
	c.xff, c.xfProto, c.xfPort = on("XForwardedForEnabled"), on("XForwardedForProtoEnabled"), on("XForwardedForSLBPortEnabled")
	c.slbID, c.clientPort, c.xfHost = on("XForwardedForSLBIdEnabled"), on("XForwardedForClientSrcPortEnabled"), on("XForwardedForHostEnabled")
	c.xffRemove = c.xff && xff["XForwardedForProcessingMode"] == "remove"
	if l.Protocol == "HTTPS" {
		c.certNames = certNames(st, "alb", lb.ID)
	}
	first := true
	for _, gid := range l.DefaultServerGroups {
		g := st.ALB.serverGroup(gid)
		if g == nil || g.gone(now) {
			continue
		}
		if first {
			first = false
			ss := g.StickySession
			c.sticky = dpSticky{enabled: ss.Enabled, insert: ss.Type != "Server", timeout: ss.CookieTimeout, cookie: ss.Cookie}
			if c.sticky.insert && c.sticky.timeout == 0 {
				c.sticky.timeout = 1000
			}
			if g.ConnectionDrainEnabled {
				c.drain = time.Duration(g.ConnectionDrainTimeout) * time.Second
			}
		}
		for _, s := range g.Servers {
			if s.Deleted || s.ServerType != "Ecs" {
				continue
			}
			in, ok := st.Instance(s.ServerID)
			if !ok || in.Ports[s.Port] == "" {
				continue
			}
			b := &dpBackend{
				key: fmt.Sprintf("%s:%d", s.ServerID, s.Port), serverID: s.ServerID, port: s.Port,
				addr: in.Ports[s.Port], weight: s.Weight,
				ready:  in.Status == "Running" && !(s.busy(now) && s.Transit != "Configuring"),
				cookie: stickyValue(lb.ID, s.ServerID, s.Port),
			}
			if hc := g.HealthCheck; hc.Enabled {
				port := s.Port
				if hc.ConnectPort != 0 {
					port = hc.ConnectPort
				}
				proto := strings.ToUpper(hc.Protocol)
				if proto != "HTTPS" && proto != "TCP" {
					proto = "HTTP"
				}
				b.probeKey = albProbeKey(g.ID, s.ServerID, s.Port)
				b.probeCfg = &probeConfig{
					addr: in.Ports[port], protocol: proto, method: strings.ToUpper(orString(hc.Method, "HEAD")),
					path: orString(hc.Path, "/"), host: hc.Host, codes: orList(hc.Codes, []string{"http_2xx", "http_3xx"}),
					interval: secondsOr(hc.Interval, 2), timeout: secondsOr(hc.Timeout, 5),
					healthy: intOr(hc.Healthy, 3), unhealthy: intOr(hc.Unhealthy, 3),
				}
			}
			c.backends = append(c.backends, b)
		}
	}
	return c
}

// clbServed reports whether a CLB listener carries traffic at now: running
// (configuring included), not starting.
func clbServed(l *CLBListener, now time.Time) bool {
	return l.Status == "running" && !(l.busy(now) && l.Transit == "starting")
}

func clbDataPlaneConfig(st *State, l *CLBListener, now time.Time) *dpConfig {
	lb := st.CLB.loadBalancer(l.LoadBalancerID)
	if lb == nil || !clbServed(l, now) {
		return nil
	}
	c := &dpConfig{
		key: "clb/" + l.resourceID(), lbType: "clb", lbID: lb.ID, listenerID: l.resourceID(),
		protocol: strings.ToUpper(l.Protocol), port: l.Port,
		idle: secondsOr(l.IdleTimeout, 15), request: secondsOr(l.RequestTimeout, 60),
		xff: l.flag("XForwardedFor") == "on", xfProto: l.flag("XForwardedFor_proto") == "on",
		xfPort: l.flag("XForwardedFor_SLBPORT") == "on", slbIP: l.flag("XForwardedFor_SLBIP") == "on",
		slbID: l.flag("XForwardedFor_SLBID") == "on", clientPort: l.flag("XForwardedFor_ClientSrcPort") == "on",
		lbAddress: lb.Address, drain: -1,
	}
	if l.Protocol == "https" {
		c.certNames = certNames(st, "clb", lb.ID)
	}
	ss := l.StickySession
	c.sticky = dpSticky{enabled: ss.Enabled, insert: ss.Type != "server", timeout: ss.CookieTimeout, cookie: ss.Cookie}
	g := st.CLB.vServerGroup(l.VServerGroupID)
	if g == nil {
		return c
	}
	for _, s := range g.Servers {
		in, ok := st.Instance(s.ServerID)
		if !ok || in.Ports[s.Port] == "" {
			continue
		}
		b := &dpBackend{
			key: fmt.Sprintf("%s:%d", s.ServerID, s.Port), serverID: s.ServerID, port: s.Port,
			addr: in.Ports[s.Port], weight: s.Weight, ready: in.Status == "Running",
			cookie: stickyValue(lb.ID, s.ServerID, s.Port),
		}
		if hc := l.HealthCheck; hc.Enabled {
			port := s.Port
			if hc.ConnectPort != 0 {
				port = hc.ConnectPort
			}
			host := hc.Domain
			if host == "$_ip" {
				host = ""
			}
			codes := []string{"http_2xx"}
			if hc.HTTPCode != "" {
				codes = strings.Split(hc.HTTPCode, ",")
			}
			b.probeKey = clbProbeKey(lb.ID, l.Port, s.ServerID, s.Port)
			b.probeCfg = &probeConfig{
				addr: in.Ports[port], protocol: "HTTP", method: strings.ToUpper(orString(hc.Method, "head")),
				path: orString(hc.URI, "/"), host: host, codes: codes,
				interval: secondsOr(hc.Interval, 2), timeout: secondsOr(hc.Timeout, 5),
				healthy: intOr(hc.Healthy, 3), unhealthy: intOr(hc.Unhealthy, 3),
			}
		}
		c.backends = append(c.backends, b)
	}
	return c
}

func secondsOr(n, def int) time.Duration {
	if n <= 0 {
		n = def
	}
	return time.Duration(n) * time.Second
}

func intOr(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orList(l, def []string) []string {
	if len(l) == 0 {
		return def
	}
	return l
}
