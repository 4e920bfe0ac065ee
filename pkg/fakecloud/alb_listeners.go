package fakecloud

// ALB listeners: create, update, start, stop, delete, describe and list.

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

var albListenerDescRE = regexp.MustCompile(`^[A-Za-z0-9._/-]{2,256}$`)

// albParseListenerOptions overlays the optional listener attributes onto l
// (whose Protocol is set) and checks them against the ALB lb.
func albParseListenerOptions(st *State, r *Request, l *ALBListener, lb *ALBLoadBalancer, create bool) error {
	var err error
	if v, ok := r.Str("ListenerDescription"); ok {
		if !albListenerDescRE.MatchString(v) {
			return InvalidParameter("ListenerDescription", v, "2 to 256 letters, digits, '-', '/', '.' or '_'")
		}
		l.Description = v
	}
	if l.IdleTimeout, err = r.IntRange("IdleTimeout", 1, 60, l.IdleTimeout); err != nil {
		return err
	}
	if l.RequestTimeout, err = r.IntRange("RequestTimeout", 1, 180, l.RequestTimeout); err != nil {
		return err
	}
	if err := r.OptBool("GzipEnabled", &l.GzipEnabled); err != nil {
		return err
	}
	https := l.Protocol == "HTTPS"
	if v, ok, err := r.Bool("Http2Enabled"); err != nil {
		return err
	} else if ok {
		if !https {
			return InvalidParameter("Http2Enabled", r.Get("Http2Enabled"), "only on HTTPS listeners")
		}
		l.HTTP2Enabled = v
	}
	if v, ok := r.Str("SecurityPolicyId"); ok {
		if !https {
			return InvalidParameter("SecurityPolicyId", v, "only on HTTPS listeners")
		}
		if !contains(tlsCipherPolicies, v) {
			return albNotFound("SecurityPolicy", v)
		}
		l.SecurityPolicyID = v
	}
	certs := r.Structs("Certificates")
	if len(certs) > 0 || create {
		if l.Protocol == "HTTP" {
			if len(certs) > 0 {
				return InvalidParameter("Certificates", r.Get("Certificates.1.CertificateId"), "no certificate on HTTP listeners")
			}
		} else {
			if len(certs) == 0 {
				return MissingParameter("Certificates.1.CertificateId")
			}
			if len(certs) > 1 {
				return InvalidParameter("Certificates", strconv.Itoa(len(certs))+" certificates", "exactly one default certificate")
			}
			id := certs[0]["CertificateId"]
			if id == "" {
				return MissingParameter("Certificates.1.CertificateId")
			}
			l.Certificates = []string{id}
		}
	}
	if v, ok, err := r.Bool("CaEnabled"); err != nil {
		return err
	} else if ok {
		if !https && v {
			return InvalidParameter("CaEnabled", "true", "only on HTTPS listeners")
		}
		l.CaEnabled = v
	}
	if cas := r.Structs("CaCertificates"); len(cas) > 0 {
		if len(cas) > 1 {
			return InvalidParameter("CaCertificates", strconv.Itoa(len(cas))+" certificates", "one CA certificate")
		}
		if cas[0]["CertificateId"] == "" {
			return MissingParameter("CaCertificates.1.CertificateId")
		}
		l.CaCertificates = []string{cas[0]["CertificateId"]}
	}
	if l.CaEnabled && len(l.CaCertificates) == 0 {
		return MissingParameter("CaCertificates.1.CertificateId")
	}
	if err := albParseXFF(r, l); err != nil {
		return err
	}
	if len(r.indexes("DefaultActions")) > 0 || create {
		if l.DefaultServerGroups, err = albParseDefaultActions(st, r, l, lb); err != nil {
			return err
		}
	}
	return nil
}

// albParseDefaultActions reads DefaultActions.N: one ForwardGroup action to
// one server group that the listener can use.
func albParseDefaultActions(st *State, r *Request, l *ALBListener, lb *ALBLoadBalancer) ([]string, error) {
	idx := r.indexes("DefaultActions")
	if len(idx) == 0 {
		return nil, MissingParameter("DefaultActions")
	}
	if len(idx) > 1 {
		return nil, InvalidParameter("DefaultActions", strconv.Itoa(len(idx))+" actions", "one ForwardGroup action")
	}
	p := "DefaultActions." + strconv.Itoa(idx[0]) + "."
	typ, err := r.Required(p + "Type")
	if err != nil {
		return nil, err
	}
	if typ != "ForwardGroup" {
		return nil, InvalidParameter(p+"Type", typ, "ForwardGroup")
	}
	tp := p + "ForwardGroupConfig.ServerGroupTuples"
	tuples := r.Structs(tp)
	if len(tuples) == 0 {
		return nil, MissingParameter(tp)
	}
	if len(tuples) > 1 {
		return nil, InvalidParameter(tp, strconv.Itoa(len(tuples))+" server groups", "one server group in the default action")
	}
	id := tuples[0]["ServerGroupId"]
	if id == "" {
		return nil, MissingParameter(tp + ".1.ServerGroupId")
	}
	g := st.ALB.serverGroup(id)
	if g == nil {
		return nil, albNotFound("ServerGroup", id)
	}
	if g.busy(r.Now) {
		return nil, albIncorrectStatus("ServerGroup", id, g.Transit)
	}
	if g.VpcID != lb.VpcID {
		return nil, Errorf(http.StatusBadRequest, "Mismatch.VpcId",
			"The VpcId is mismatched for %s (%s) and %s (%s).", g.ID, g.VpcID, lb.ID, lb.VpcID)
	}
	ok := false
	switch l.Protocol {
	case "HTTP":
		ok = g.Protocol == "HTTP"
	case "HTTPS":
		ok = true
	case "QUIC":
		ok = g.Protocol == "HTTP" || g.Protocol == "gRPC"
	}
	if !ok {
		return nil, InvalidParameter(tp+".1.ServerGroupId", id,
			fmt.Sprintf("a server group whose protocol a %s listener can forward to (it uses %s)", l.Protocol, g.Protocol))
	}
	return []string{id}, nil
}

func albCreateListener(st *State, r *Request) (any, error) {
	res, err := albAsync(st, r, func() (albWrite, error) {
		l, lb, err := albNewListener(st, r)
		if err != nil {
			return albWrite{}, err
		}
		return albWrite{resourceType: "listener", operate: "Create", apply: func() string {
			l.ID = fmt.Sprintf("lsn-fake%04d", st.NextSeq())
			l.CreateTime = r.Now
			l.start("Provisioning", r.Now, r.AsyncDuration)
			st.ALB.Listeners = append(st.ALB.Listeners, l)
			lb.BusyUntil = r.Now.Add(r.AsyncDuration)
			return l.ID
		}}, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.CreateListenerResponseBody{JobId: tea.String(res.JobID), ListenerId: tea.String(res.ResourceID)}, nil
}

// albNewListener reads a CreateListener request: the new listener and its ALB.
func albNewListener(st *State, r *Request) (*ALBListener, *ALBLoadBalancer, error) {
	lbID, err := r.Required("LoadBalancerId")
	if err != nil {
		return nil, nil, err
	}
	if _, err := r.Required("ListenerProtocol"); err != nil {
		return nil, nil, err
	}
	proto, err := r.Enum("ListenerProtocol", "", "HTTP", "HTTPS", "QUIC")
	if err != nil {
		return nil, nil, err
	}
	port, err := r.RequiredInt("ListenerPort", 1, 65535)
	if err != nil {
		return nil, nil, err
	}
	lb := st.ALB.loadBalancer(lbID)
	if lb == nil {
		return nil, nil, albNotFound("LoadBalancer", lbID)
	}
	l := &ALBListener{
		LoadBalancerID: lbID, Protocol: proto, Port: port,
		IdleTimeout: 15, RequestTimeout: 60, GzipEnabled: true, Status: "Running",
	}
	if proto == "HTTPS" {
		l.HTTP2Enabled = true
		l.SecurityPolicyID = "tls_cipher_policy_1_0"
	}
	if l.Tags, err = albNewTags(r); err != nil {
		return nil, nil, err
	}
	if err := albParseListenerOptions(st, r, l, lb, true); err != nil {
		return nil, nil, err
	}
	if s := lb.status(r.Now); s != "Active" {
		return nil, nil, albIncorrectStatus("LoadBalancer", lb.ID, s)
	}
	for _, o := range st.ALB.Listeners {
		if o.LoadBalancerID == lbID && o.Port == port && (o.Protocol == "QUIC") == (proto == "QUIC") {
			return nil, nil, Errorf(http.StatusBadRequest, "ResourceAlreadyExist.Listener",
				"The specified resource of Listener already exists: port %d of %s is used by %s.", port, lbID, o.ID)
		}
	}
	return l, lb, nil
}

// albWritableListener returns the listener a write targets and its ALB, or why
// it cannot be written now (the listener's own state is checked first).
func albWritableListener(st *State, r *Request) (*ALBListener, *ALBLoadBalancer, error) {
	id, err := r.Required("ListenerId")
	if err != nil {
		return nil, nil, err
	}
	l := st.ALB.listener(id)
	if l == nil {
		return nil, nil, albNotFound("Listener", id)
	}
	if l.busy(r.Now) {
		return nil, nil, albIncorrectStatus("Listener", id, l.Transit)
	}
	lb := st.ALB.loadBalancer(l.LoadBalancerID)
	if lb == nil {
		return nil, nil, albNotFound("LoadBalancer", l.LoadBalancerID)
	}
	if s := lb.status(r.Now); s != "Active" { // Configuring, also Provisioning/CreateFailed (seeded or set by a test)
		return nil, nil, albIncorrectStatus("LoadBalancer", lb.ID, s)
	}
	return l, lb, nil
}

// albListenerOp is the shape of every write on an existing listener: the
// listener and its ALB must be idle; check validates the request and returns
// the change, after which the listener shows transit and the ALB is
// Configuring until the job ends.
func albListenerOp(st *State, r *Request, check func(l *ALBListener, lb *ALBLoadBalancer) (func(l *ALBListener), error), transit, operate string) (albResult, error) {
	return albAsync(st, r, func() (albWrite, error) {
		l, lb, err := albWritableListener(st, r)
		if err != nil {
			return albWrite{}, err
		}
		mutate, err := check(l, lb)
		if err != nil {
			return albWrite{}, err
		}
		return albWrite{resourceType: "listener", resourceID: l.ID, operate: operate, apply: func() string {
			mutate(l)
			l.start(transit, r.Now, r.AsyncDuration)
			lb.BusyUntil = r.Now.Add(r.AsyncDuration)
			return l.ID
		}}, nil
	})
}

func albUpdateListenerAttribute(st *State, r *Request) (any, error) {
	res, err := albListenerOp(st, r, func(l *ALBListener, lb *ALBLoadBalancer) (func(*ALBListener), error) {
		upd := *l
		if err := albParseListenerOptions(st, r, &upd, lb, false); err != nil {
			return nil, err
		}
		return func(l *ALBListener) { *l = upd }, nil
	}, "Configuring", "Update")
	if err != nil {
		return nil, err
	}
	return &alb.UpdateListenerAttributeResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albDeleteListener(st *State, r *Request) (any, error) {
	res, err := albListenerOp(st, r, func(*ALBListener, *ALBLoadBalancer) (func(*ALBListener), error) {
		return func(l *ALBListener) { l.Deleted = true }, nil
	}, "Deleting", "Delete")
	if err != nil {
		return nil, err
	}
	return &alb.DeleteListenerResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albStartListener(st *State, r *Request) (any, error) {
	res, err := albListenerOp(st, r, func(l *ALBListener, _ *ALBLoadBalancer) (func(*ALBListener), error) {
		if l.Status == "Running" {
			return nil, albIncorrectStatus("Listener", l.ID, l.Status)
		}
		return func(l *ALBListener) { l.Status = "Running" }, nil
	}, "Configuring", "Update")
	if err != nil {
		return nil, err
	}
	return &alb.StartListenerResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albStopListener(st *State, r *Request) (any, error) {
	res, err := albListenerOp(st, r, func(l *ALBListener, _ *ALBLoadBalancer) (func(*ALBListener), error) {
		if l.Status == "Stopped" {
			return nil, albIncorrectStatus("Listener", l.ID, l.Status)
		}
		return func(l *ALBListener) { l.Status = "Stopped" }, nil
	}, "Configuring", "Update")
	if err != nil {
		return nil, err
	}
	return &alb.StopListenerResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albGetListenerAttribute(st *State, r *Request) (any, error) {
	id, err := r.Required("ListenerId")
	if err != nil {
		return nil, err
	}
	l := st.ALB.listener(id)
	if l == nil || r.hidden(l.ID, l.CreateTime) {
		return nil, albNotFound("Listener", id)
	}
	return albListenerBody(l, r.Now), nil
}

// albListenerBody describes a listener; ListListeners answers the same,
// minus the fields its items lack.
func albListenerBody(l *ALBListener, now time.Time) *alb.GetListenerAttributeResponseBody {
	body := &alb.GetListenerAttributeResponseBody{
		ListenerId:       tea.String(l.ID),
		LoadBalancerId:   tea.String(l.LoadBalancerID),
		ListenerProtocol: tea.String(l.Protocol),
		ListenerPort:     tea.Int32(int32(l.Port)),
		ListenerStatus:   tea.String(l.visible(now, l.Status)),
		IdleTimeout:      tea.Int32(int32(l.IdleTimeout)),
		RequestTimeout:   tea.Int32(int32(l.RequestTimeout)),
		GzipEnabled:      tea.Bool(l.GzipEnabled),
		Http2Enabled:     tea.Bool(l.HTTP2Enabled),
		CaEnabled:        tea.Bool(l.CaEnabled),
		Certificates:     []*alb.GetListenerAttributeResponseBodyCertificates{},
		CaCertificates:   []*alb.GetListenerAttributeResponseBodyCaCertificates{},
		DefaultActions:   []*alb.GetListenerAttributeResponseBodyDefaultActions{},
		Tags: albTags(l.Tags, func(k, v *string) *alb.GetListenerAttributeResponseBodyTags {
			return &alb.GetListenerAttributeResponseBodyTags{Key: k, Value: v}
		}),
	}
	if l.Description != "" {
		body.ListenerDescription = tea.String(l.Description)
	}
	if l.SecurityPolicyID != "" {
		body.SecurityPolicyId = tea.String(l.SecurityPolicyID)
	}
	for _, c := range l.Certificates {
		body.Certificates = append(body.Certificates, &alb.GetListenerAttributeResponseBodyCertificates{CertificateId: tea.String(c)})
	}
	for _, c := range l.CaCertificates {
		body.CaCertificates = append(body.CaCertificates, &alb.GetListenerAttributeResponseBodyCaCertificates{
			CertificateId: tea.String(c), IsDefault: tea.Bool(true), Status: tea.String("Associated"),
		})
	}
	fg := &alb.GetListenerAttributeResponseBodyDefaultActionsForwardGroupConfig{}
	for _, id := range l.DefaultServerGroups {
		fg.ServerGroupTuples = append(fg.ServerGroupTuples,
			&alb.GetListenerAttributeResponseBodyDefaultActionsForwardGroupConfigServerGroupTuples{ServerGroupId: tea.String(id)})
	}
	body.DefaultActions = append(body.DefaultActions, &alb.GetListenerAttributeResponseBodyDefaultActions{
		Type: tea.String("ForwardGroup"), ForwardGroupConfig: fg,
	})
	body.XForwardedForConfig = &alb.GetListenerAttributeResponseBodyXForwardedForConfig{}
	body.LogConfig = &alb.GetListenerAttributeResponseBodyLogConfig{}
	if err := sdkFill(body.XForwardedForConfig, albXFFConfig(l)); err != nil {
		panic(err) // the names are the SDK's own: a mismatch is a programming error
	}
	if err := sdkFill(body.LogConfig, albLogConfig()); err != nil {
		panic(err)
	}
	return body
}

func albListListeners(st *State, r *Request) (any, error) {
	ids, err := r.ListMax("ListenerIds", 20, "values")
	if err != nil {
		return nil, err
	}
	lbs, err := r.ListMax("LoadBalancerIds", 20, "values")
	if err != nil {
		return nil, err
	}
	proto, err := r.Enum("ListenerProtocol", "", "HTTP", "HTTPS", "QUIC")
	if err != nil {
		return nil, err
	}
	tags, err := tagParams(r, 20, 128)
	if err != nil {
		return nil, err
	}
	var match []*ALBListener
	for _, l := range st.ALB.Listeners {
		switch {
		case len(ids) > 0 && !contains(ids, l.ID),
			len(lbs) > 0 && !contains(lbs, l.LoadBalancerID),
			proto != "" && proto != l.Protocol,
			!tagsMatch(l.Tags, tags),
			r.hidden(l.ID, l.CreateTime):
			continue
		}
		match = append(match, l)
	}
	return albList(st, r, &alb.ListListenersResponseBody{}, "Listeners", match, func(l *ALBListener) (*alb.ListListenersResponseBodyListeners, error) {
		item := &alb.ListListenersResponseBodyListeners{}
		return item, sdkProject(item, albListenerBody(l, r.Now))
	})
}
