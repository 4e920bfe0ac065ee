package fakecloud

// CLB HTTP/HTTPS listeners: create, change, start, stop, delete, describe,
// and the backend health behind them.

import (
	"net/http"
	"time"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
)

var clbProtocols = []string{"tcp", "udp", "http", "https"}

func clbOnOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func slbCreateLoadBalancerHTTPListener(st *State, r *Request) (any, error) {
	if err := clbCreateListener(st, r, "http"); err != nil {
		return nil, err
	}
	return &slb.CreateLoadBalancerHTTPListenerResponseBody{}, nil
}

func slbCreateLoadBalancerHTTPSListener(st *State, r *Request) (any, error) {
	if err := clbCreateListener(st, r, "https"); err != nil {
		return nil, err
	}
	return &slb.CreateLoadBalancerHTTPSListenerResponseBody{}, nil
}

func clbCreateListener(st *State, r *Request, proto string) error {
	lbID, err := r.Required("LoadBalancerId")
	if err != nil {
		return err
	}
	port, err := r.RequiredInt("ListenerPort", 1, 65535)
	if err != nil {
		return err
	}
	if proto == "https" {
		if _, err := r.Required("Bandwidth"); err != nil {
			return err
		}
		if _, err := r.Required("ServerCertificateId"); err != nil {
			return err
		}
	}
	lb, err := clbLoadBalancer(st, lbID)
	if err != nil {
		return err
	}
	l := &CLBListener{
		LoadBalancerID: lb.ID, Protocol: proto, Port: port, Status: "stopped",
		Bandwidth: -1, Scheduler: "wrr", IdleTimeout: 15, RequestTimeout: 60,
		Flags: clbFlagDefaults(proto), CreateTime: r.Now,
	}
	if proto == "https" {
		l.TLSCipherPolicy = "tls_cipher_policy_1_0"
	}
	if err := clbParseListener(st, r, lb, l, true); err != nil {
		return err
	}
	if l.Tags, err = clbNewTags(r); err != nil {
		return err
	}
	if lb.Status == "locked" {
		return clbLocked()
	}
	if st.CLB.listener(lb.ID, port) != nil {
		return Errorf(http.StatusBadRequest, "ListenerAlreadyExists", "A listener with the specified port already exists")
	}
	if len(st.CLB.listenersOf(lb.ID)) >= 50 {
		return Errorf(http.StatusBadRequest, "ListenerNumberOverLimit", "The maximum number of listeners is exceeded.")
	}
	st.CLB.Listeners = append(st.CLB.Listeners, l)
	r.created(l.resourceID())
	return nil
}

// clbFindListener reads LoadBalancerId, ListenerPort and (withProtocol)
// ListenerProtocol and returns the CLB and the listener, or notFound().
func clbFindListener(st *State, r *Request, withProtocol bool, notFound func() *APIError) (*CLBInstance, *CLBListener, error) {
	lbID, err := r.Required("LoadBalancerId")
	if err != nil {
		return nil, nil, err
	}
	port, err := r.RequiredInt("ListenerPort", 1, 65535)
	if err != nil {
		return nil, nil, err
	}
	proto := ""
	if withProtocol {
		if proto, _, err = r.OneOf("ListenerProtocol", clbProtocols...); err != nil {
			return nil, nil, err
		}
	}
	lb, err := clbLoadBalancer(st, lbID)
	if err != nil {
		return nil, nil, err
	}
	l := st.CLB.listener(lb.ID, port)
	if l == nil || (proto != "" && l.Protocol != proto) {
		return nil, nil, notFound()
	}
	return lb, l, nil
}

func slbSetLoadBalancerHTTPListenerAttribute(st *State, r *Request) (any, error) {
	if err := clbSetListener(st, r, "http"); err != nil {
		return nil, err
	}
	return &slb.SetLoadBalancerHTTPListenerAttributeResponseBody{}, nil
}

func slbSetLoadBalancerHTTPSListenerAttribute(st *State, r *Request) (any, error) {
	if err := clbSetListener(st, r, "https"); err != nil {
		return nil, err
	}
	return &slb.SetLoadBalancerHTTPSListenerAttributeResponseBody{}, nil
}

func clbSetListener(st *State, r *Request, proto string) error {
	lb, l, err := clbFindListener(st, r, false, clbListenerNotFound)
	if err != nil {
		return err
	}
	if l.Protocol != proto {
		return clbWrongProtocol()
	}
	dry, _, err := r.Bool("DryRun")
	if err != nil {
		return err
	}
	next := l.clone()
	if err := clbParseListener(st, r, lb, next, false); err != nil {
		return err
	}
	if lb.Status == "locked" {
		return clbLocked()
	}
	if l.busy(r.Now) {
		return clbConfiguring()
	}
	if dry {
		return Errorf(http.StatusBadRequest, "DryRunOperation", "Request validation has been passed with DryRun flag set.")
	}
	if next.Status == "running" {
		next.Transit, next.ReadyAt = "configuring", r.Now.Add(r.AsyncDuration)
	}
	*l = *next
	return nil
}

// clbListenerOp is the shared start of Start/Stop/Delete: the listener, the
// instance lock and the listener's own transition.
func clbListenerOp(st *State, r *Request) (*CLBListener, error) {
	lb, l, err := clbFindListener(st, r, true, clbListenerNotFound)
	if err != nil {
		return nil, err
	}
	if lb.Status == "locked" {
		return nil, clbLocked()
	}
	if l.busy(r.Now) {
		return nil, clbConfiguring()
	}
	return l, nil
}

func slbStartLoadBalancerListener(st *State, r *Request) (any, error) {
	l, err := clbListenerOp(st, r)
	if err != nil {
		return nil, err
	}
	if l.Status != "stopped" {
		return nil, clbStatusNotSupport(l.Status)
	}
	l.Status = "running"
	l.Transit, l.ReadyAt = "starting", r.Now.Add(r.AsyncDuration)
	return &slb.StartLoadBalancerListenerResponseBody{}, nil
}

func slbStopLoadBalancerListener(st *State, r *Request) (any, error) {
	l, err := clbListenerOp(st, r)
	if err != nil {
		return nil, err
	}
	if l.Status != "running" {
		return nil, clbStatusNotSupport(l.Status)
	}
	l.Status = "stopped"
	return &slb.StopLoadBalancerListenerResponseBody{}, nil
}

func slbDeleteLoadBalancerListener(st *State, r *Request) (any, error) {
	l, err := clbListenerOp(st, r)
	if err != nil {
		return nil, err
	}
	st.CLB.removeListener(l)
	return &slb.DeleteLoadBalancerListenerResponseBody{}, nil
}

// clbListenerTop is the part of a listener's description outside the
// protocol-specific settings.
func clbListenerTop(l *CLBListener, now time.Time) map[string]any {
	m := map[string]any{
		"LoadBalancerId": l.LoadBalancerID,
		"ListenerPort":   l.Port,
		"Status":         l.status(now),
		"Bandwidth":      l.Bandwidth,
		"Scheduler":      l.Scheduler,
		"AclStatus":      "off",
	}
	if l.VServerGroupID != "" {
		m["VServerGroupId"] = l.VServerGroupID
	}
	// Always there; 0 for a listener created with only a vServer group
	// (unconfirmed: the vendor page lists the field without a condition).
	m["BackendServerPort"] = l.BackendServerPort
	if l.Description != "" {
		m["Description"] = l.Description
	}
	return m
}

// clbListenerConfig is a listener's protocol-specific settings, as in
// HTTPListenerConfig/HTTPSListenerConfig and the ...ListenerAttribute bodies.
func clbListenerConfig(l *CLBListener) map[string]any {
	m := map[string]any{
		"IdleTimeout":    l.IdleTimeout,
		"RequestTimeout": l.RequestTimeout,
		"HealthCheck":    clbOnOff(l.HealthCheck.Enabled),
		"StickySession":  clbOnOff(l.StickySession.Enabled),
	}
	for _, f := range clbFlagParams(l.Protocol, true) {
		m[f] = l.flag(f)
	}
	if h := l.HealthCheck; h.Enabled {
		m["HealthCheckHttpCode"] = h.HTTPCode
		m["HealthCheckMethod"] = h.Method
		m["HealthCheckInterval"] = h.Interval
		m["HealthCheckTimeout"] = h.Timeout
		m["HealthyThreshold"] = h.Healthy
		m["UnhealthyThreshold"] = h.Unhealthy
		if h.URI != "" {
			m["HealthCheckURI"] = h.URI
		}
		// Unset, the check goes to the backend port (0: each backend's own
		// port in the vServer group) and uses the backend's private IP as the
		// host ($_ip), and the answer says so.
		m["HealthCheckConnectPort"] = l.BackendServerPort
		if h.ConnectPort != 0 {
			m["HealthCheckConnectPort"] = h.ConnectPort
		}
		m["HealthCheckDomain"] = "$_ip"
		if h.Domain != "" {
			m["HealthCheckDomain"] = h.Domain
		}
	}
	if s := l.StickySession; s.Enabled {
		m["StickySessionType"] = s.Type
		if s.Type == "insert" {
			m["CookieTimeout"] = s.CookieTimeout
		} else {
			m["Cookie"] = s.Cookie
		}
	}
	if l.Protocol == "http" && l.flag("ListenerForward") == "on" {
		m["ForwardPort"] = l.ForwardPort
	}
	if l.Protocol == "https" {
		m["ServerCertificateId"] = l.ServerCertificateID
		m["TLSCipherPolicy"] = l.TLSCipherPolicy
		if l.CACertificateID != "" {
			m["CACertificateId"] = l.CACertificateID
		}
	}
	return m
}

func slbDescribeLoadBalancerHTTPListenerAttribute(st *State, r *Request) (any, error) {
	m, err := clbListenerAttribute(st, r, "http")
	if err != nil {
		return nil, err
	}
	body := &slb.DescribeLoadBalancerHTTPListenerAttributeResponseBody{}
	return body, sdkFill(body, m)
}

func slbDescribeLoadBalancerHTTPSListenerAttribute(st *State, r *Request) (any, error) {
	m, err := clbListenerAttribute(st, r, "https")
	if err != nil {
		return nil, err
	}
	body := &slb.DescribeLoadBalancerHTTPSListenerAttributeResponseBody{}
	return body, sdkFill(body, m)
}

func clbListenerAttribute(st *State, r *Request, proto string) (map[string]any, error) {
	_, l, err := clbFindListener(st, r, false, clbListenerNotExist)
	if err != nil {
		return nil, err
	}
	if r.hidden(l.resourceID(), l.CreateTime) {
		return nil, clbListenerNotExist()
	}
	if l.Protocol != proto {
		return nil, clbWrongProtocol()
	}
	m := clbListenerTop(l, r.Now)
	for k, v := range clbListenerConfig(l) {
		m[k] = v
	}
	if t := clbWrappedTags(l.Tags); t != nil {
		m["Tags"] = t
	}
	return m, nil
}

func slbDescribeLoadBalancerListeners(st *State, r *Request) (any, error) {
	ids, err := r.ListMax("LoadBalancerId", 10, "IDs")
	if err != nil {
		return nil, err
	}
	proto, _, err := r.OneOf("ListenerProtocol", clbProtocols...)
	if err != nil {
		return nil, err
	}
	port := 0
	if err := r.OptInt("ListenerPort", 1, 65535, &port); err != nil {
		return nil, err
	}
	filters, err := clbTagParams(r)
	if err != nil {
		return nil, err
	}
	if _, err := r.IntRange("MaxResults", 1, 100, 20); err != nil {
		return nil, err
	}
	var lbs []*CLBInstance
	if len(ids) == 0 {
		lbs = st.CLB.LoadBalancers
	}
	for _, id := range ids {
		lb, err := clbLoadBalancer(st, id)
		if err != nil {
			return nil, err
		}
		lbs = append(lbs, lb)
	}
	desc, hasDesc := r.Str("Description")
	var list []*CLBListener
	for _, lb := range lbs {
		for _, l := range st.CLB.listenersOf(lb.ID) {
			if (proto != "" && l.Protocol != proto) || (port != 0 && l.Port != port) ||
				(hasDesc && l.Description != desc) || !tagsMatch(l.Tags, filters) || r.hidden(l.resourceID(), l.CreateTime) {
				continue
			}
			list = append(list, l)
		}
	}
	p, err := tokenPage(st, r, len(list), 20, 1, 100)
	if err != nil {
		return nil, err
	}
	var items []any
	for _, l := range pageOf(list, p) {
		item := clbListenerTop(l, r.Now)
		item["ListenerProtocol"] = l.Protocol
		if l.Protocol == "http" {
			item["HTTPListenerConfig"] = clbListenerConfig(l)
		} else {
			item["HTTPSListenerConfig"] = clbListenerConfig(l)
		}
		if t := clbTagMaps(l.Tags); t != nil {
			item["Tags"] = t
		}
		items = append(items, item)
	}
	m := map[string]any{"MaxResults": p.maxResults, "TotalCount": p.total}
	if len(items) > 0 {
		m["Listeners"] = items
	}
	if p.next != "" {
		m["NextToken"] = p.next
	}
	body := &slb.DescribeLoadBalancerListenersResponseBody{}
	return body, sdkFill(body, m)
}

func slbDescribeHealthStatus(st *State, r *Request) (any, error) {
	lbID, err := r.Required("LoadBalancerId")
	if err != nil {
		return nil, err
	}
	port := 0
	if err := r.OptInt("ListenerPort", 1, 65535, &port); err != nil {
		return nil, err
	}
	proto, _, err := r.OneOf("ListenerProtocol", clbProtocols...)
	if err != nil {
		return nil, err
	}
	lb, err := clbLoadBalancer(st, lbID)
	if err != nil {
		return nil, err
	}
	if port != 0 {
		if l := st.CLB.listener(lb.ID, port); l == nil || (proto != "" && l.Protocol != proto) {
			return nil, clbListenerNotFound()
		}
	}
	var items []any
	for _, l := range st.CLB.listenersOf(lb.ID) {
		if (port != 0 && l.Port != port) || (proto != "" && l.Protocol != proto) || l.VServerGroupID == "" {
			continue
		}
		g := st.CLB.vServerGroup(l.VServerGroupID)
		if g == nil {
			continue
		}
		for _, b := range g.Servers {
			items = append(items, map[string]any{
				"ServerId":           b.ServerID,
				"ServerIp":           b.ServerIP,
				"Port":               b.Port,
				"ListenerPort":       l.Port,
				"Protocol":           l.Protocol,
				"ServerHealthStatus": clbHealthFault(clbHealth(st, r.realism, l, b, r.Now), b.ServerID, r.health),
			})
		}
	}
	body := &slb.DescribeHealthStatusResponseBody{}
	return body, sdkFill(body, map[string]any{"BackendServers": map[string]any{"BackendServer": items}})
}
