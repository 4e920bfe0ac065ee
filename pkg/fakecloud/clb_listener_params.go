package fakecloud

// The parameters of CLB HTTP/HTTPS listeners, as Create...Listener and
// Set...ListenerAttribute take them.

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Listener values.
var (
	clbDescriptionRE  = regexp.MustCompile(`^[A-Za-z0-9\-/._]{1,256}$`)
	clbHealthURIRE    = regexp.MustCompile(`^/[A-Za-z0-9\-/.%?#&]{1,79}$`)
	clbHealthDomainRE = regexp.MustCompile(`^[A-Za-z0-9.\-]{1,80}$`)
	clbCookieRE       = regexp.MustCompile(`^[A-Za-z0-9]{1,200}$`)
	clbHTTPCodes      = []string{"http_2xx", "http_3xx", "http_4xx", "http_5xx"}
)

// clbFlagDefaults are the on/off switches of a new listener of a protocol.
func clbFlagDefaults(proto string) map[string]string {
	m := map[string]string{
		"XForwardedFor": "on", "XForwardedFor_SLBIP": "off", "XForwardedFor_SLBID": "off",
		"XForwardedFor_proto": "off", "XForwardedFor_SLBPORT": "off", "XForwardedFor_ClientSrcPort": "off",
		"Gzip": "on",
	}
	if proto == "http" {
		m["ListenerForward"] = "off"
	} else {
		m["EnableHttp2"] = "on"
	}
	return m
}

// clbFlagParams are the on/off parameters an action takes.
func clbFlagParams(proto string, create bool) []string {
	names := []string{"XForwardedFor", "XForwardedFor_SLBIP", "XForwardedFor_SLBID", "XForwardedFor_proto",
		"XForwardedFor_SLBPORT", "XForwardedFor_ClientSrcPort", "Gzip"}
	switch {
	case proto == "https":
		names = append(names, "EnableHttp2")
	case create:
		names = append(names, "ListenerForward")
	}
	return names
}

func (l *CLBListener) clone() *CLBListener {
	c := *l
	c.Flags = make(map[string]string, len(l.Flags))
	for k, v := range l.Flags {
		c.Flags[k] = v
	}
	c.Tags = append([]Tag(nil), l.Tags...)
	return &c
}

// clbGroupOf checks that VServerGroupId names a group of lb (400 otherwise).
func clbGroupOf(st *State, lb *CLBInstance, id string) error {
	if g := st.CLB.vServerGroup(id); g == nil || g.LoadBalancerID != lb.ID {
		return clbGroupNotFound(http.StatusBadRequest)
	}
	return nil
}

// clbParseListener overlays the request's listener attributes onto l (whose
// Protocol is set) and checks the result. create selects the create-only
// parameters (BackendServerPort, VServerGroupId without VServerGroup,
// ListenerForward/ForwardPort) and the create-time requirements.
func clbParseListener(st *State, r *Request, lb *CLBInstance, l *CLBListener, create bool) error {
	if err := clbParseBandwidth(r, l); err != nil {
		return err
	}
	if err := clbParseBackend(st, r, lb, l, create); err != nil {
		return err
	}
	if err := clbParseHealthCheck(r, l, create); err != nil {
		return err
	}
	if err := clbParseStickySession(r, l, create); err != nil {
		return err
	}
	if err := clbParseSettings(r, l, create); err != nil {
		return err
	}
	if err := clbParseACL(r); err != nil {
		return err
	}
	if err := clbParseRedirect(st, r, lb, l, create); err != nil {
		return err
	}
	if err := clbParseHTTPS(r, l); err != nil {
		return err
	}
	return nil
}

// clbParseBandwidth reads Bandwidth: -1 (no limit) or 1-5120.
func clbParseBandwidth(r *Request, l *CLBListener) error {
	if v, ok := r.Str("Bandwidth"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || !(n == -1 || (n >= 1 && n <= 5120)) {
			return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified Bandwidth is invalid. (%q: -1 or 1-5120)", v)
		}
		l.Bandwidth = n
	}
	return nil
}

// clbParseBackend reads where the listener forwards: a vServer group of this
// instance, or the default group on BackendServerPort.
func clbParseBackend(st *State, r *Request, lb *CLBInstance, l *CLBListener, create bool) error {
	if create {
		if err := r.OptInt("BackendServerPort", 1, 65535, &l.BackendServerPort); err != nil {
			return err
		}
		if id, ok := r.Str("VServerGroupId"); ok {
			if err := clbGroupOf(st, lb, id); err != nil {
				return err
			}
			l.VServerGroupID = id
		}
		if l.VServerGroupID == "" && l.BackendServerPort == 0 {
			return MissingParameter("BackendServerPort")
		}
	} else {
		vg, _, err := r.OneOf("VServerGroup", "on", "off")
		if err != nil {
			return err
		}
		id, hasID := r.Str("VServerGroupId")
		switch {
		case vg == "on":
			if !hasID || id == "" {
				return MissingParameter("VServerGroupId")
			}
			if err := clbGroupOf(st, lb, id); err != nil {
				return err
			}
			l.VServerGroupID = id
		case hasID:
			return InvalidParameter("VServerGroupId", id, "to be sent together with VServerGroup=on")
		case vg == "off":
			if l.BackendServerPort == 0 {
				return InvalidParameter("VServerGroup", vg, "on: the listener has no BackendServerPort to use the default server group with")
			}
			l.VServerGroupID = ""
		}
	}
	return nil
}

// clbParseHealthCheck reads the health check, with its defaults when on.
func clbParseHealthCheck(r *Request, l *CLBListener, create bool) error {
	hc, hasHC, err := r.OneOf("HealthCheck", "on", "off")
	if err != nil {
		return err
	}
	if create && !hasHC {
		return MissingParameter("HealthCheck")
	}
	if hasHC {
		l.HealthCheck.Enabled = hc == "on"
	}
	h := &l.HealthCheck
	if v, ok := r.Str("HealthCheckURI"); ok {
		if !clbHealthURIRE.MatchString(v) {
			return InvalidParameter("HealthCheckURI", v, "2-80 characters starting with / (not / alone): letters, digits and -/.%?#&")
		}
		h.URI = v
	}
	if err := r.OptInt("HealthCheckConnectPort", 1, 65535, &h.ConnectPort); err != nil {
		return err
	}
	if v, ok := r.Str("HealthCheckDomain"); ok {
		if v != "$_ip" && !clbHealthDomainRE.MatchString(v) {
			return InvalidParameter("HealthCheckDomain", v, "$_ip or a domain of 1-80 letters, digits, periods (.) and hyphens (-)")
		}
		h.Domain = v
	}
	if v, ok := r.Str("HealthCheckHttpCode"); ok {
		seen := map[string]bool{}
		for _, c := range strings.Split(v, ",") {
			if !contains(clbHTTPCodes, c) || seen[c] {
				return InvalidParameter("HealthCheckHttpCode", v, "a comma-separated list of distinct http_2xx, http_3xx, http_4xx, http_5xx")
			}
			seen[c] = true
		}
		h.HTTPCode = v
	}
	if err := r.OptOneOf("HealthCheckMethod", &h.Method, "head", "get"); err != nil {
		return err
	}
	for _, p := range []struct {
		name   string
		lo, hi int
		dst    *int
	}{
		{"HealthCheckInterval", 1, 50, &h.Interval},
		{"HealthCheckTimeout", 1, 300, &h.Timeout},
		{"HealthyThreshold", 2, 10, &h.Healthy},
		{"UnhealthyThreshold", 2, 10, &h.Unhealthy},
	} {
		if err := r.OptInt(p.name, p.lo, p.hi, p.dst); err != nil {
			return err
		}
	}
	if h.Enabled {
		if h.HTTPCode == "" {
			h.HTTPCode = "http_2xx"
		}
		if h.Method == "" {
			h.Method = "head"
		}
		for _, d := range []struct {
			dst *int
			def int
		}{{&h.Interval, 2}, {&h.Timeout, 5}, {&h.Healthy, 3}, {&h.Unhealthy, 3}} {
			if *d.dst == 0 {
				*d.dst = d.def
			}
		}
	}
	return nil
}

// clbParseStickySession reads session persistence.
func clbParseStickySession(r *Request, l *CLBListener, create bool) error {
	ss, hasSS, err := r.OneOf("StickySession", "on", "off")
	if err != nil {
		return err
	}
	if create && !hasSS {
		return MissingParameter("StickySession")
	}
	if hasSS {
		l.StickySession.Enabled = ss == "on"
	}
	s := &l.StickySession
	if err := r.OptOneOf("StickySessionType", &s.Type, "insert", "server"); err != nil {
		return err
	}
	if err := r.OptInt("CookieTimeout", 1, 86400, &s.CookieTimeout); err != nil {
		return err
	}
	if v, ok := r.Str("Cookie"); ok {
		if !clbCookieRE.MatchString(v) {
			return InvalidParameter("Cookie", v, "1-200 ASCII letters and digits")
		}
		s.Cookie = v
	}
	if s.Enabled {
		switch {
		case s.Type == "":
			return MissingParameter("StickySessionType")
		case s.Type == "insert" && s.CookieTimeout == 0:
			return MissingParameter("CookieTimeout")
		case s.Type == "server" && s.Cookie == "":
			return MissingParameter("Cookie")
		}
	}
	return nil
}

// clbParseSettings reads the timeouts, scheduler, description and on/off
// switches.
func clbParseSettings(r *Request, l *CLBListener, create bool) error {
	if err := r.OptInt("IdleTimeout", 1, 60, &l.IdleTimeout); err != nil {
		return err
	}
	if err := r.OptInt("RequestTimeout", 1, 180, &l.RequestTimeout); err != nil {
		return err
	}
	if err := r.OptOneOf("Scheduler", &l.Scheduler, "wrr", "rr"); err != nil {
		return err
	}
	if v, ok := r.Str("Description"); ok {
		if !clbDescriptionRE.MatchString(v) {
			return InvalidParameter("Description", v, "1-256 letters, digits, hyphens (-), forward slashes (/), periods (.) or underscores (_)")
		}
		l.Description = v
	}
	for _, f := range clbFlagParams(l.Protocol, create) {
		v, ok, err := r.OneOf(f, "on", "off")
		if err != nil {
			return err
		}
		if ok {
			l.Flags[f] = v
		}
	}
	return nil
}

// clbParseACL reads the access control parameters: no ACL exists in the
// fake world.
func clbParseACL(r *Request) error {
	if _, _, err := r.OneOf("AclType", "white", "black"); err != nil {
		return err
	}
	acl, _, err := r.OneOf("AclStatus", "on", "off")
	if err != nil {
		return err
	}
	if id, ok := r.Str("AclId"); ok || acl == "on" {
		if !ok {
			return MissingParameter("AclId")
		}
		return Errorf(http.StatusBadRequest, "AclNotExist", "The specified ACL %s does not exist.", id)
	}
	return nil
}

// clbParseRedirect reads the HTTP redirect (HTTP create only).
func clbParseRedirect(st *State, r *Request, lb *CLBInstance, l *CLBListener, create bool) error {
	if l.Protocol == "http" && create {
		if err := r.OptInt("ForwardPort", 1, 65535, &l.ForwardPort); err != nil {
			return err
		}
		if l.Flags["ListenerForward"] == "on" {
			if l.ForwardPort == 0 {
				return MissingParameter("ForwardPort")
			}
			if t := st.CLB.listener(lb.ID, l.ForwardPort); t == nil || t.Protocol != "https" {
				return InvalidParameter("ForwardPort", strconv.Itoa(l.ForwardPort), "the port of an HTTPS listener of this instance")
			}
		}
	}
	return nil
}

// clbParseHTTPS reads the certificates and TLS policy of an HTTPS listener.
func clbParseHTTPS(r *Request, l *CLBListener) error {
	if l.Protocol == "https" {
		if v, ok := r.Str("ServerCertificateId"); ok {
			if v == "" {
				return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified parameter ServerCertificateId is empty.")
			}
			l.ServerCertificateID = v
		}
		if v, ok := r.Str("CACertificateId"); ok {
			l.CACertificateID = v
		}
		if err := r.OptOneOf("TLSCipherPolicy", &l.TLSCipherPolicy, tlsCipherPolicies...); err != nil {
			return err
		}
	}
	return nil
}
