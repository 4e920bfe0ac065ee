package fakecloud

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
)

const clbTestAsync = 30 * time.Millisecond

type clbHarness struct{ *handlerHarness }

// newCLBHarness calls CLB handlers; RegionId=cn-hangzhou is added unless a
// call sets it ("" removes it).
func newCLBHarness(t *testing.T) *clbHarness {
	h := newHandlerHarness(t, ProductSLB, VersionSLB, clbTestAsync)
	h.defaults = url.Values{"RegionId": {"cn-hangzhou"}}
	return &clbHarness{h}
}

func (h *clbHarness) group(servers string) string {
	h.t.Helper()
	kv := []string{"LoadBalancerId", "lb-fake01", "VServerGroupName", "g"}
	if servers != "" {
		kv = append(kv, "BackendServers", servers)
	}
	out := h.must("CreateVServerGroup", kv...).(*slb.CreateVServerGroupResponseBody)
	h.settle()
	return *out.VServerGroupId
}

// listenerKV is a valid CreateLoadBalancerHTTPListener call; extra pairs
// override or add parameters.
func listenerKV(port int, group string, extra ...string) []string {
	base := map[string]string{
		"LoadBalancerId": "lb-fake01", "ListenerPort": fmt.Sprint(port), "VServerGroupId": group,
		"HealthCheck": "on", "StickySession": "off", "Bandwidth": "-1",
	}
	order := []string{"LoadBalancerId", "ListenerPort", "VServerGroupId", "HealthCheck", "StickySession", "Bandwidth"}
	for i := 0; i+1 < len(extra); i += 2 {
		if _, ok := base[extra[i]]; !ok {
			order = append(order, extra[i])
		}
		base[extra[i]] = extra[i+1]
	}
	var kv []string
	for _, k := range order {
		if v := base[k]; v != "\x00" {
			kv = append(kv, k, v)
		}
	}
	return kv
}

// drop marks a listenerKV parameter as absent.
const drop = "\x00"

func TestCLBBackendServersParsing(t *testing.T) {
	h := newCLBHarness(t)
	g := h.group("")
	tests := []struct {
		servers string
		code    string
	}{
		{`[{"ServerId":"i-fake01","Port":"5000"}`, "BackendServersMalformed"},
		{`{"ServerId":"i-fake01","Port":"5000"}`, "BackendServersMalformed"},
		{`null`, "BackendServersMalformed"},
		{`[null]`, "BackendServersMalformed"},
		{`[{"ServerId":"i-fake01","port":"5000"}]`, "BackendServersMalformed"},
		{`[]`, "InvalidParameter"},
		{`[{"Port":"5000"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":"65536"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":"50.5"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":"+80"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":true}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":80,"Weight":-1}]`, "InvalidWeight.Malformed"},
		{`[{"ServerId":"i-fake01","Port":80,"Weight":"heavy"}]`, "InvalidWeight.Malformed"},
		{`[{"ServerId":"i-fake01","Port":80,"Type":"vm"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":80,"Description":""}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":80,"Description":"has space"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":80,"ServerIp":"192.168.0.99"}]`, "InvalidParameter"},
		{`[{"ServerId":"i-fake01","Port":80},{"ServerId":"i-fake01","Port":"80"}]`, "InvalidParameter"},
		{`[{"ServerId":"eni-1","Port":80,"Type":"eni","ServerIp":"192.168.0.50"}]`, "ObtainIpFail"},
		{`[{"ServerId":"i-nope","Port":80}]`, "ObtainIpFail"},
		{`[{"ServerId":"i-other01","Port":80}]`, "InvalidBackendServers.Inconsistent"},
	}
	for _, tt := range tests {
		_, err := h.call("AddVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", tt.servers)
		e, ok := AsAPIError(err)
		if !ok || e.Code != tt.code || e.HTTPStatus != 400 {
			t.Errorf("%s: got %v, want 400 %s", tt.servers, err, tt.code)
		}
	}
	if n := len(h.st.CLB.vServerGroup(g).Servers); n != 0 {
		t.Fatalf("rejected calls added %d servers", n)
	}
	// A stopped instance cannot be added.
	in, _ := h.st.Instance("i-fake02")
	in.Status = "Stopped"
	_, err := h.call("AddVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", `[{"ServerId":"i-fake02","Port":80}]`)
	wantAPIError(t, err, 400, "ObtainIpFail")
	// Accepted spellings: numbers, numeric strings, single quotes, matching ServerIp.
	out := h.must("AddVServerGroupBackendServers", "VServerGroupId", g, "BackendServers",
		`[{'ServerId':'i-fake01','Port':'80','Weight':'0','Type':'ecs','Description':'web-1/a_b.c'},{"ServerId":"i-fake03","Port":81,"ServerIp":"192.168.0.13"}]`,
	).(*slb.AddVServerGroupBackendServersResponseBody)
	bs := out.BackendServers.BackendServer
	if len(bs) != 2 || *bs[0].Weight != 0 || *bs[0].Description != "web-1/a_b.c" || *bs[1].Weight != 100 || *bs[1].Port != 81 {
		t.Fatalf("accepted servers: %v", out)
	}
}

func TestCLBVServerGroupBusyWindow(t *testing.T) {
	h := newCLBHarness(t)
	g := h.group(`[{"ServerId":"i-fake01","Port":"80"}]`)
	// Rename alone does not start the window; a membership change does.
	h.must("SetVServerGroupAttribute", "VServerGroupId", g, "VServerGroupName", "renamed")
	h.must("RemoveVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", `[{"ServerId":"i-fake02","Port":"80"}]`)
	h.must("RemoveVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`)
	for _, c := range [][]string{
		{"AddVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`},
		{"RemoveVServerGroupBackendServers", "VServerGroupId", g, "BackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`},
		{"SetVServerGroupAttribute", "VServerGroupId", g, "VServerGroupName", "x"},
		{"DeleteVServerGroup", "VServerGroupId", g},
	} {
		_, err := h.call(c[0], c[1:]...)
		wantAPIError(t, err, 400, "VServerGroupProcessing")
	}
	h.settle()
	h.must("DeleteVServerGroup", "VServerGroupId", g)
	_, err := h.call("DeleteVServerGroup", "VServerGroupId", g)
	wantAPIError(t, err, 404, "InvalidParameter")
}

func TestCLBModifyVServerGroupBackendServers(t *testing.T) {
	h := newCLBHarness(t)
	g := h.group(`[{"ServerId":"i-fake01","Port":"80"},{"ServerId":"i-fake02","Port":"80"}]`)
	_, err := h.call("ModifyVServerGroupBackendServers", "VServerGroupId", g,
		"OldBackendServers", `[{"ServerId":"i-fake03","Port":"80"}]`, "NewBackendServers", `[{"ServerId":"i-fake03","Port":"81"}]`)
	wantAPIError(t, err, 400, "InvalidParameter") // old one is not a member
	_, err = h.call("ModifyVServerGroupBackendServers", "VServerGroupId", g,
		"OldBackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`, "NewBackendServers", `[{"ServerId":"i-fake02","Port":"80"}]`)
	wantAPIError(t, err, 400, "InvalidParameter") // new one stays a member
	_, err = h.call("ModifyVServerGroupBackendServers", "VServerGroupId", g, "OldBackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`)
	wantAPIError(t, err, 400, "MissingParameter")
	// Replacing a server by itself changes its weight.
	h.must("ModifyVServerGroupBackendServers", "VServerGroupId", g,
		"OldBackendServers", `[{"ServerId":"i-fake01","Port":"80"}]`, "NewBackendServers", `[{"ServerId":"i-fake01","Port":"80","Weight":"5"}]`)
	sv := h.st.CLB.vServerGroup(g).Servers
	if len(sv) != 2 || sv[1].ServerID != "i-fake01" || sv[1].Weight != 5 {
		t.Fatalf("servers: %+v", sv)
	}
}

func TestCLBListenerValidation(t *testing.T) {
	h := newCLBHarness(t)
	g := h.group("")
	other := h.st.NextSeq()
	h.st.CLB.LoadBalancers = append(h.st.CLB.LoadBalancers, &CLBInstance{ID: "lb-other", VpcID: "vpc-fake01", Address: "203.0.113.11", Status: "active"})
	h.st.CLB.VServerGroups = append(h.st.CLB.VServerGroups, &CLBVServerGroup{ID: fmt.Sprintf("rsp-other%d", other), LoadBalancerID: "lb-other"})
	otherGroup := fmt.Sprintf("rsp-other%d", other)
	tests := []struct {
		extra  []string
		status int
		code   string
	}{
		{[]string{"HealthCheck", drop}, 400, "MissingParameter"},
		{[]string{"StickySession", drop}, 400, "MissingParameter"},
		{[]string{"HealthCheck", "yes"}, 400, "InvalidParameter"},
		{[]string{"ListenerPort", "0"}, 400, "InvalidParameter"},
		{[]string{"ListenerPort", drop}, 400, "MissingParameter"},
		{[]string{"VServerGroupId", drop}, 400, "MissingParameter"},
		{[]string{"VServerGroupId", otherGroup}, 400, "InvalidParameter"},
		{[]string{"VServerGroupId", "rsp-nope"}, 400, "InvalidParameter"},
		{[]string{"LoadBalancerId", "lb-nope"}, 404, "InvalidLoadBalancerId.NotFound"},
		{[]string{"IdleTimeout", "61"}, 400, "InvalidParameter"},
		{[]string{"IdleTimeout", "0"}, 400, "InvalidParameter"},
		{[]string{"RequestTimeout", "181"}, 400, "InvalidParameter"},
		{[]string{"Bandwidth", "0"}, 400, "InvalidParameter"},
		{[]string{"Bandwidth", "5121"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckURI", "/"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckURI", "healthz"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckURI", "/health?x=1"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckURI", "/" + strings.Repeat("a", 80)}, 400, "InvalidParameter"},
		{[]string{"HealthCheckHttpCode", "http_2xx,http_6xx"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckHttpCode", "http_2xx,http_2xx"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckMethod", "GET"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckInterval", "51"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckTimeout", "301"}, 400, "InvalidParameter"},
		{[]string{"HealthyThreshold", "1"}, 400, "InvalidParameter"},
		{[]string{"UnhealthyThreshold", "11"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckConnectPort", "65536"}, 400, "InvalidParameter"},
		{[]string{"HealthCheckDomain", "bad domain"}, 400, "InvalidParameter"},
		{[]string{"StickySession", "on"}, 400, "MissingParameter"},
		{[]string{"StickySession", "on", "StickySessionType", "insert"}, 400, "MissingParameter"},
		{[]string{"StickySession", "on", "StickySessionType", "server"}, 400, "MissingParameter"},
		{[]string{"StickySession", "on", "StickySessionType", "insert", "CookieTimeout", "86401"}, 400, "InvalidParameter"},
		{[]string{"StickySession", "on", "StickySessionType", "server", "Cookie", "a;b"}, 400, "InvalidParameter"},
		{[]string{"StickySessionType", "rewrite"}, 400, "InvalidParameter"},
		{[]string{"Scheduler", "sch"}, 400, "InvalidParameter"},
		{[]string{"Description", "has space"}, 400, "InvalidParameter"},
		{[]string{"Description", strings.Repeat("d", 257)}, 400, "InvalidParameter"},
		{[]string{"XForwardedFor", "true"}, 400, "InvalidParameter"},
		{[]string{"Gzip", "ON"}, 400, "InvalidParameter"},
		{[]string{"AclStatus", "on"}, 400, "MissingParameter"},
		{[]string{"AclStatus", "on", "AclId", "acl-1"}, 400, "AclNotExist"},
		{[]string{"ListenerForward", "on"}, 400, "MissingParameter"},
		{[]string{"ListenerForward", "on", "ForwardPort", "443"}, 400, "InvalidParameter"},
		{[]string{"Tag.1.Key", "acs:x", "Tag.1.Value", "v"}, 400, "InvalidParameter"},
		{[]string{"Tag.1.Key", "k", "Tag.1.Value", "http://x"}, 400, "InvalidParameter"},
		{[]string{"Tag.1.Key", strings.Repeat("k", 65)}, 400, "InvalidParameter"},
	}
	for _, tt := range tests {
		_, err := h.call("CreateLoadBalancerHTTPListener", listenerKV(80, g, tt.extra...)...)
		e, ok := AsAPIError(err)
		if !ok || e.Code != tt.code || e.HTTPStatus != tt.status {
			t.Errorf("%v: got %v, want %d %s", tt.extra, err, tt.status, tt.code)
		}
	}
	if n := len(h.st.CLB.Listeners); n != 0 {
		t.Fatalf("rejected creates left %d listeners", n)
	}
	// Accepted: everything at its limits, BackendServerPort instead of a group.
	h.must("CreateLoadBalancerHTTPListener", listenerKV(80, g,
		"IdleTimeout", "60", "RequestTimeout", "180", "Bandwidth", "5120", "HealthCheckURI", "/a-b/c.html?x%20#f&g",
		"HealthCheckHttpCode", "http_2xx,http_3xx", "HealthCheckMethod", "get", "HealthCheckInterval", "50",
		"HealthCheckTimeout", "300", "HealthyThreshold", "10", "UnhealthyThreshold", "2", "HealthCheckDomain", "$_ip",
		"StickySession", "on", "StickySessionType", "server", "Cookie", "SESSIONID", "Scheduler", "rr",
		"Description", "wsdeploy/demo_80.http", "Tag.1.Key", "k", "Tag.1.Value", "")...)
	h.must("CreateLoadBalancerHTTPListener", listenerKV(81, "", "VServerGroupId", drop, "BackendServerPort", "5000")...)
	// HTTPS: certificate and bandwidth are required; cipher policy checked.
	https := func(extra ...string) []string {
		return append(listenerKV(443, g, "ServerCertificateId", "idkp-123-cn-test-0"), extra...)
	}
	_, err := h.call("CreateLoadBalancerHTTPSListener", listenerKV(443, g)...)
	wantAPIError(t, err, 400, "MissingParameter")
	_, err = h.call("CreateLoadBalancerHTTPSListener", listenerKV(443, g, "ServerCertificateId", "c", "Bandwidth", drop)...)
	wantAPIError(t, err, 400, "MissingParameter")
	_, err = h.call("CreateLoadBalancerHTTPSListener", https("TLSCipherPolicy", "tls_cipher_policy_9")...)
	wantAPIError(t, err, 400, "InvalidParameter")
	h.must("CreateLoadBalancerHTTPSListener", https("EnableHttp2", "off", "TLSCipherPolicy", "tls_cipher_policy_1_2")...)
	// An HTTP->HTTPS redirect needs an HTTPS target.
	h.must("CreateLoadBalancerHTTPListener", listenerKV(82, g, "ListenerForward", "on", "ForwardPort", "443")...)

	l := h.st.CLB.listener("lb-fake01", 80)
	if l.IdleTimeout != 60 || l.RequestTimeout != 180 || l.StickySession.Cookie != "SESSIONID" || l.HealthCheck.Method != "get" || len(l.Tags) != 1 {
		t.Fatalf("listener 80: %+v", l)
	}
	// Defaults.
	l81 := h.st.CLB.listener("lb-fake01", 81)
	if l81.IdleTimeout != 15 || l81.RequestTimeout != 60 || l81.Scheduler != "wrr" || l81.HealthCheck.Interval != 2 ||
		l81.HealthCheck.HTTPCode != "http_2xx" || l81.Flags["Gzip"] != "on" || l81.Flags["XForwardedFor_SLBIP"] != "off" {
		t.Fatalf("defaults: %+v", l81)
	}
	ls := h.must("DescribeLoadBalancerListeners", "LoadBalancerId.1", "lb-fake01", "ListenerPort", "82").(*slb.DescribeLoadBalancerListenersResponseBody)
	if c := ls.Listeners[0].HTTPListenerConfig; *c.ListenerForward != "on" || *c.ForwardPort != 443 {
		t.Fatalf("redirect: %v", ls)
	}
	attr := h.must("DescribeLoadBalancerHTTPSListenerAttribute", "LoadBalancerId", "lb-fake01", "ListenerPort", "443").(*slb.DescribeLoadBalancerHTTPSListenerAttributeResponseBody)
	if *attr.EnableHttp2 != "off" || *attr.TLSCipherPolicy != "tls_cipher_policy_1_2" || *attr.ServerCertificateId != "idkp-123-cn-test-0" {
		t.Fatalf("https attribute: %v", attr)
	}
}

func TestCLBSetListenerAttribute(t *testing.T) {
	h := newCLBHarness(t)
	g1, g2 := h.group(""), h.group("")
	h.must("CreateLoadBalancerHTTPListener", listenerKV(80, g1)...)
	set := func(kv ...string) error {
		_, err := h.call("SetLoadBalancerHTTPListenerAttribute", append([]string{"LoadBalancerId", "lb-fake01", "ListenerPort", "80"}, kv...)...)
		return err
	}
	// On a stopped listener, changes apply at once and it stays stopped.
	if err := set("RequestTimeout", "90", "StickySession", "on", "StickySessionType", "insert", "CookieTimeout", "100"); err != nil {
		t.Fatal(err)
	}
	l := h.st.CLB.listener("lb-fake01", 80)
	if l.status(h.now) != "stopped" || l.RequestTimeout != 90 || !l.StickySession.Enabled {
		t.Fatalf("after set: %+v", l)
	}
	wantAPIError(t, set("VServerGroupId", g2), 400, "InvalidParameter")
	wantAPIError(t, set("VServerGroup", "on"), 400, "MissingParameter")
	wantAPIError(t, set("VServerGroup", "off"), 400, "InvalidParameter")
	wantAPIError(t, set("IdleTimeout", "61"), 400, "InvalidParameter")
	wantAPIError(t, set("DryRun", "true", "IdleTimeout", "20"), 400, "DryRunOperation")
	if l.IdleTimeout != 15 {
		t.Fatalf("DryRun changed the listener: %+v", l)
	}
	if err := set("VServerGroup", "on", "VServerGroupId", g2); err != nil {
		t.Fatal(err)
	}
	if h.st.CLB.listener("lb-fake01", 80).VServerGroupID != g2 {
		t.Fatal("group not switched")
	}
	_, err := h.call("SetLoadBalancerHTTPSListenerAttribute", "LoadBalancerId", "lb-fake01", "ListenerPort", "80", "IdleTimeout", "20")
	wantAPIError(t, err, 400, "UnsupportedOperationonfixedprotocalport")
	_, err = h.call("SetLoadBalancerHTTPListenerAttribute", "LoadBalancerId", "lb-fake01", "ListenerPort", "81", "IdleTimeout", "20")
	wantAPIError(t, err, 404, "ListenerNotFound")
	// Start, settle, then a change makes it configuring.
	h.must("StartLoadBalancerListener", "LoadBalancerId", "lb-fake01", "ListenerPort", "80")
	h.settle()
	if err := set("IdleTimeout", "20"); err != nil {
		t.Fatal(err)
	}
	if got := h.st.CLB.listener("lb-fake01", 80).status(h.now); got != "configuring" {
		t.Fatalf("status %s", got)
	}
	wantAPIError(t, set("IdleTimeout", "21"), 400, "ServiceIsConfiguring")
	_, err = h.call("StopLoadBalancerListener", "LoadBalancerId", "lb-fake01", "ListenerPort", "80")
	wantAPIError(t, err, 400, "ServiceIsConfiguring")
	h.settle()
	h.must("StopLoadBalancerListener", "LoadBalancerId", "lb-fake01", "ListenerPort", "80", "ListenerProtocol", "http")
	_, err = h.call("StartLoadBalancerListener", "LoadBalancerId", "lb-fake01", "ListenerPort", "80", "ListenerProtocol", "HTTP")
	wantAPIError(t, err, 400, "InvalidParameter")
}

func TestCLBDescribeLoadBalancers(t *testing.T) {
	h := newCLBHarness(t)
	h.group(`[{"ServerId":"i-fake02","Port":"80"}]`)
	tests := []struct {
		kv   []string
		want int
	}{
		{nil, 1},
		{[]string{"LoadBalancerId", "lb-fake01,lb-nope"}, 1},
		{[]string{"LoadBalancerId", "lb-nope"}, 0},
		{[]string{"VpcId", "vpc-other01"}, 0},
		{[]string{"Address", "203.0.113.10", "AddressType", "internet", "LoadBalancerStatus", "active"}, 1},
		{[]string{"AddressType", "intranet"}, 0},
		{[]string{"ServerId", "i-fake02"}, 1},
		{[]string{"ServerId", "i-fake01"}, 0},
		{[]string{"ServerIntranetAddress", "192.168.0.12"}, 1},
		{[]string{"LoadBalancerName", "auto_named_slb"}, 1},
		{[]string{"PageNumber", "2", "PageSize", "1"}, 0},
		{[]string{"Tag.1.Key", "k"}, 0},
	}
	for _, tt := range tests {
		out := h.must("DescribeLoadBalancers", tt.kv...).(*slb.DescribeLoadBalancersResponseBody)
		got := 0
		if out.LoadBalancers != nil {
			got = len(out.LoadBalancers.LoadBalancer)
		}
		if got != tt.want {
			t.Errorf("DescribeLoadBalancers %v: %d, want %d", tt.kv, got, tt.want)
		}
	}
	h.must("TagResources", "ResourceType", "instance", "ResourceId.1", "lb-fake01", "Tag.1.Key", "k", "Tag.1.Value", "v")
	if out := h.must("DescribeLoadBalancers", "Tags", `[{"tagKey":"k","tagValue":"v"}]`).(*slb.DescribeLoadBalancersResponseBody); len(out.LoadBalancers.LoadBalancer) != 1 {
		t.Errorf("Tags JSON filter: %v", out)
	}
	_, err := h.call("DescribeLoadBalancers", "PageSize", "5")
	wantAPIError(t, err, 400, "MissingParameter")
	_, err = h.call("DescribeLoadBalancers", "PageNumber", "1", "PageSize", "101")
	wantAPIError(t, err, 400, "InvalidParameter")
	_, err = h.call("DescribeLoadBalancers", "AddressType", "public")
	wantAPIError(t, err, 400, "InvalidParameter")
	_, err = h.call("DescribeLoadBalancers", "RegionId", "")
	wantAPIError(t, err, 400, "MissingParameter")
}

func TestCLBListTagResourcesPaging(t *testing.T) {
	h := newCLBHarness(t)
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, h.group(""))
	}
	for _, id := range ids {
		kv := []string{"ResourceType", "vservergroup", "ResourceId.1", id}
		for j := 0; j < 20; j++ {
			kv = append(kv, fmt.Sprintf("Tag.%d.Key", j+1), fmt.Sprintf("k%d", j), fmt.Sprintf("Tag.%d.Value", j+1), "v")
		}
		h.must("TagResources", kv...)
	}
	kv := []string{"ResourceType", "vservergroup"}
	for i, id := range ids {
		kv = append(kv, fmt.Sprintf("ResourceId.%d", i+1), id)
	}
	p1 := h.must("ListTagResources", kv...).(*slb.ListTagResourcesResponseBody)
	if len(p1.TagResources.TagResource) != 50 || p1.NextToken == nil || *p1.NextToken == "50" {
		t.Fatalf("page 1: %d rows, next %v", len(p1.TagResources.TagResource), p1.NextToken)
	}
	p2 := h.must("ListTagResources", append(kv, "NextToken", *p1.NextToken)...).(*slb.ListTagResourcesResponseBody)
	if len(p2.TagResources.TagResource) != 10 || p2.NextToken != nil {
		t.Fatalf("page 2: %d rows", len(p2.TagResources.TagResource))
	}
	_, err := h.call("ListTagResources", "ResourceType", "vservergroup")
	wantAPIError(t, err, 400, "MissingParameter")
	_, err = h.call("ListTagResources", append(kv, "NextToken", "x")...)
	wantAPIError(t, err, 400, "InvalidParameter.NextToken")
	_, err = h.call("ListTagResources", append(kv, "NextToken", "50")...) // the decimal offset is no token
	wantAPIError(t, err, 400, "InvalidParameter.NextToken")
	_, err = h.call("TagResources", "ResourceType", "certificate", "ResourceId.1", "cert-1", "Tag.1.Key", "k")
	wantAPIError(t, err, 404, "InvalidResourceId.NotFound")
	// All=true removes every tag.
	h.must("UntagResources", "ResourceType", "vservergroup", "ResourceId.1", ids[0], "All", "true")
	if n := len(h.st.CLB.vServerGroup(ids[0]).Tags); n != 0 {
		t.Fatalf("%d tags left", n)
	}
}

func TestCLBParseListenerResourceID(t *testing.T) {
	for _, tt := range []struct {
		id, lb, proto string
		port          int
		ok            bool
	}{
		{"lb-fake01_http_80", "lb-fake01", "http", 80, true},
		{"lb-a_b_https_443", "lb-a_b", "https", 443, true},
		{"lb-fake01_http", "", "", 0, false},
		{"lb-fake01_http_0", "", "", 0, false},
		{"_http_80", "", "", 0, false},
	} {
		lb, proto, port, ok := parseListenerResourceID(tt.id)
		if lb != tt.lb || proto != tt.proto || port != tt.port || ok != tt.ok {
			t.Errorf("%s: %q %q %d %v", tt.id, lb, proto, port, ok)
		}
	}
}

func TestCLBTagLimits(t *testing.T) {
	h := newCLBHarness(t)
	var tags []string
	for i := 1; i <= 21; i++ {
		tags = append(tags, fmt.Sprintf("Tag.%d.Key", i), fmt.Sprintf("k%d", i), fmt.Sprintf("Tag.%d.Value", i), "v")
	}
	_, err := h.call("CreateVServerGroup", append([]string{"LoadBalancerId", "lb-fake01"}, tags...)...)
	wantAPIError(t, err, 400, "TagCountLimit")
	_, err = h.call("CreateLoadBalancerHTTPListener", listenerKV(80, h.group(""), tags...)...)
	wantAPIError(t, err, 400, "TagCountLimit")
	_, err = h.call("DescribeVServerGroups", append([]string{"LoadBalancerId", "lb-fake01"}, tags...)...)
	wantAPIError(t, err, 400, "InvalidParameter")
	_, err = h.call("CreateVServerGroup", "LoadBalancerId", "lb-fake01", "Tag.1.Key", "k", "Tag.2.Key", "k")
	wantAPIError(t, err, 400, "InvalidParameter")
	_, err = h.call("CreateVServerGroup", "LoadBalancerId", "lb-fake01", "Tag.1.Value", "v")
	wantAPIError(t, err, 400, "MissingParameter")
	h.must("CreateVServerGroup", append([]string{"LoadBalancerId", "lb-fake01"}, tags[:80]...)...)
}
