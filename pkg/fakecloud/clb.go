package fakecloud

// CLB (API product Slb, version 2014-05-15): vServer groups and their backend
// servers, HTTP/HTTPS listeners, backend health and tags, answering the real
// SDK (slb-20140515/v4 v4.0.14). CLB instances come only from the seed.
// Responses are the SDK's own ...ResponseBody structs, filled through
// clbFill, which rejects any key the SDK struct does not have, so field names
// (and the wrapped list shapes VServerGroups.VServerGroup[],
// BackendServers.BackendServer[], Tags.Tag[], the flat Listeners[] and flat
// listener Tags[] of DescribeLoadBalancerListeners) cannot drift.
//
// Time: CLB writes are synchronous, but a started listener is "starting" and
// a changed running listener "configuring" for Request.AsyncDuration before it
// shows "running"; a vServer group whose members changed is busy for
// Request.AsyncDuration (400 VServerGroupProcessing for the next membership
// write, as the real API answers calls less than a second apart). Nothing
// runs in the background: states are derived from the request clock.
//
// Behaviour the references do not confirm for CLB, where the fake picks the
// stricter answer (see the facts sheet, ../shared/reference/alibaba-api-facts.md
// from the repository root, §3):
//   - RegionId is required on every action (the real API requires it on
//     vServer-group and tag calls, and on the others when the endpoint is
//     slb.aliyuncs.com, which is the fake's HostId). A region other than the
//     world's is 404 InvalidRegionId.NotFound (the vendor table also lists a
//     400 InvalidParameter variant).
//   - An unknown LoadBalancerId is 404 InvalidLoadBalancerId.NotFound (HTTP
//     status unconfirmed), also when it is one of the LoadBalancerId.N of
//     DescribeLoadBalancerListeners (not silently skipped).
//   - Missing listener: Describe{HTTP,HTTPS}ListenerAttribute answer 400
//     InvalidParameter "The specified resource does not exist." (what
//     Terraform matches); Start/Stop/Delete/Set...Attribute, DescribeHealthStatus
//     with a ListenerPort, and the tag calls answer 404 ListenerNotFound (vendor
//     table). A tool must accept both as "gone". The HTTP call on an HTTPS
//     listener (or the reverse) is 400 UnsupportedOperationonfixedprotocalport.
//   - Listener states: created stopped. StartLoadBalancerListener only from
//     stopped (-> starting -> running); StopLoadBalancerListener only from
//     running (-> stopped at once); Start on a running or Stop on a stopped
//     listener is 400 OperationFailed.ListenerStatusNotSupport. Every write on
//     a listener that is starting or configuring (Set, Start, Stop, Delete) is
//     400 ServiceIsConfiguring. Set...Attribute on a running listener makes it
//     configuring (even when nothing changes); on a stopped one it applies at
//     once and the listener stays stopped. DryRun=true on Set...Attribute
//     validates everything and answers 400 DryRunOperation (code borrowed from
//     ECS/ALB).
//   - ListenerProtocol on Start/Stop/Delete/DescribeHealthStatus may be
//     omitted (only HTTP/HTTPS listeners exist, so a port has at most one);
//     when given it must be lowercase tcp|udp|http|https and match the
//     listener, else ListenerNotFound.
//   - A port is unique per instance across protocols (400
//     ListenerAlreadyExists). At most 50 listeners per instance (400
//     ListenerNumberOverLimit; the real quota is configurable).
//   - Create...Listener requires HealthCheck and StickySession (older API
//     metadata marks StickySession required); the HTTPS create also requires
//     Bandwidth (SDK model) and ServerCertificateId. Certificates are not
//     modelled: any non-empty ServerCertificateId/CACertificateId is accepted.
//     Bandwidth is -1 or 1-5120. Either VServerGroupId (a group of this
//     instance, else 400 InvalidParameter "The specified VServerGroupId does
//     not exist.") or BackendServerPort is required; both may be given.
//   - Listener values are range-checked even when the feature they belong to is
//     off. HealthCheckURI: 2-80 characters, starts with "/", only letters,
//     digits and -/.%?#& (no "=", not "/" alone). HealthCheckHttpCode: comma
//     list of distinct http_2xx..http_5xx. HealthCheckDomain: $_ip or 1-80 of
//     letters, digits, '.', '-'. Cookie: 1-200 ASCII letters and digits only.
//     Description: 1-256 of letters, digits and -/._ (no other characters).
//     Defaults when the health check is on: http_2xx, head, interval 2,
//     timeout 5, thresholds 3/3 (HealthCheckURI, ConnectPort and Domain have
//     no default and are absent from answers until set); TLSCipherPolicy tls_cipher_policy_1_0,
//     EnableHttp2/Gzip/XForwardedFor on, other switches off, Scheduler wrr,
//     Bandwidth -1.
//   - Set...Attribute: VServerGroupId is accepted only together with
//     VServerGroup=on (otherwise 400 InvalidParameter, where the real API may
//     ignore it); VServerGroup=off needs a BackendServerPort from creation.
//     ListenerForward=on (HTTP create only) needs ForwardPort naming an HTTPS
//     listener of the same instance.
//   - ACLs are not modelled: AclStatus=on or any AclId is 400 AclNotExist.
//   - BackendServers (JSON text): numbers or numeric strings for Port/Weight,
//     single quotes instead of double quotes accepted; unknown keys (field
//     names are case-sensitive), null entries or non-array text are 400
//     BackendServersMalformed; more than 20 entries 400 TooManyBackendServers;
//     Port missing or outside 1-65535 400 InvalidParameter; Weight outside
//     0-100 400 InvalidWeight.Malformed; Description "" or not 1-80 of
//     letters, digits and -/._ 400 InvalidParameter; the same (ServerId, Port)
//     twice in one call 400 InvalidParameter (the SDK documents "first one
//     wins" only for the default server group). Type eni/eci: 400 ObtainIpFail
//     (no ENIs/ECIs in the fake world). A missing or not Running ECS instance:
//     400 ObtainIpFail; one in another VPC than the CLB: 400
//     InvalidBackendServers.Inconsistent. ServerIp, if given, must be the
//     instance's private IP.
//   - AddVServerGroupBackendServers of a (ServerId, Port) already in the group,
//     and ModifyVServerGroupBackendServers adding one that stays, are 400
//     InvalidParameter "The resource already exists...". SetVServerGroupAttribute
//     and ModifyVServerGroupBackendServers (OldBackendServers) naming a server
//     that is not in the group are 400 InvalidParameter "The specified
//     resource does not exist..." (RemoveVServerGroupBackendServers ignores
//     such servers, as the SDK documents). SetVServerGroupAttribute leaves the
//     weight of an entry without Weight unchanged. An empty list ("[]") is 400
//     InvalidParameter for Add/Remove/Modify.
//   - Add/Remove/Set/Modify/DeleteVServerGroup on a group whose membership
//     changed less than AsyncDuration ago (CreateVServerGroup with servers
//     included) is 400 VServerGroupProcessing; a rename alone or a Remove that
//     removes nothing does not start that window. Responses of the membership
//     calls list all the group's servers after the change.
//   - DeleteVServerGroup of a group any listener uses: 400 RspoolVipExist.
//   - A locked CLB instance (only via Server.Update) refuses every write on it,
//     its groups and listeners with 400 ActionNotAllowed; tagging is allowed.
//   - Names: VServerGroupName 1-80 of letters, digits and -/._ ; names need not
//     be unique. No quota on vServer groups. IDs are rsp-fakeNNNN.
//   - DescribeLoadBalancers: PageSize 1-100 defaults to 10, PageNumber from 1;
//     PageSize without PageNumber is 400 MissingParameter. LoadBalancerId and
//     LoadBalancerName take at most 10 comma-separated values (unknown IDs
//     match nothing); Tags (JSON) at most 10 pairs. ServerId and
//     ServerIntranetAddress match members of any vServer group.
//   - DescribeLoadBalancerListeners lists instances in the order of
//     LoadBalancerId.N (else state order), listeners by port; NextToken is a
//     decimal offset; Description and the other filters match exactly;
//     tcp/udp match nothing. DescribeVServerGroups' Description filter is an
//     exact name match; IncludeRule gives an empty Rules list.
//   - DescribeHealthStatus: one entry per listener (by port) and backend of its
//     vServer group: unavailable while the listener is stopped or starting or
//     its health check is off; abnormal when the ECS instance is missing, not
//     Running or has Health "unhealthy"; else normal. Listeners on the default
//     server group (BackendServerPort only) list nothing.
//   - Tags: keys 1-64 and values up to 128 characters, no aliyun/acs: prefix in
//     either (checked case-insensitively), no http:// or https:// anywhere,
//     keys unique within a call. More than 20 Tag.N: 400 TagCountLimit on
//     create calls and TagResources, 400 InvalidParameter as a filter; more
//     than 20 tags on one resource: 400 TagCountLimit.
//     ResourceType is case-sensitive; certificate, acl and
//     masterslaveservergroup resources do not exist here (404
//     InvalidResourceId.NotFound, invented). UntagResources needs TagKey.N or
//     All=true (400 MissingParameter otherwise). ListTagResources needs
//     ResourceId.N or Tag.N, skips unknown resource IDs and pages 50 rows per
//     NextToken (a decimal offset).
//   - Seeded instances: name "auto_named_slb" unless the seed names them,
//     status active, vpc network, AddressType internet unless the address is
//     private, ipv4, pay-as-you-go by traffic, spec slb.s1.small, zones
//     <region>-a/-b, vSwitch vsw-<vpc suffix>, resource group rg-fake.
//   - Not modelled (parameters ignored or actions absent): the default server
//     group (AddBackendServers etc.), master-slave groups, TCP/UDP listeners,
//     forwarding rules, domain extensions, ACLs, certificates, deletion and
//     modification protection, BackendServer.configuring/OperationBusy/
//     SystemBusy/ServiceIsStopping (stop is immediate), VServerGroupEmpty.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
)

// registerSLB adds the CLB actions. Every handler first settles the CLB state
// at the request clock and checks RegionId.
func registerSLB(reg registry) {
	add := func(name string, write bool, fn func(st *State, r *Request) (any, error)) {
		reg.add(VersionSLB, name, write, func(st *State, r *Request) (any, error) {
			st.CLB.settle(r.Now)
			if err := checkRegion(st, r); err != nil {
				return nil, err
			}
			return fn(st, r)
		})
	}
	// Reads.
	add("DescribeLoadBalancerAttribute", false, slbDescribeLoadBalancerAttribute)
	add("DescribeLoadBalancers", false, slbDescribeLoadBalancers)
	add("DescribeVServerGroups", false, slbDescribeVServerGroups)
	add("DescribeVServerGroupAttribute", false, slbDescribeVServerGroupAttribute)
	add("DescribeLoadBalancerListeners", false, slbDescribeLoadBalancerListeners)
	add("DescribeLoadBalancerHTTPListenerAttribute", false, slbDescribeLoadBalancerHTTPListenerAttribute)
	add("DescribeLoadBalancerHTTPSListenerAttribute", false, slbDescribeLoadBalancerHTTPSListenerAttribute)
	add("DescribeHealthStatus", false, slbDescribeHealthStatus)
	add("ListTagResources", false, slbListTagResources)
	// Writes (synchronous).
	add("CreateVServerGroup", true, slbCreateVServerGroup)
	add("DeleteVServerGroup", true, slbDeleteVServerGroup)
	add("AddVServerGroupBackendServers", true, slbAddVServerGroupBackendServers)
	add("RemoveVServerGroupBackendServers", true, slbRemoveVServerGroupBackendServers)
	add("SetVServerGroupAttribute", true, slbSetVServerGroupAttribute)
	add("ModifyVServerGroupBackendServers", true, slbModifyVServerGroupBackendServers)
	add("CreateLoadBalancerHTTPListener", true, slbCreateLoadBalancerHTTPListener)
	add("CreateLoadBalancerHTTPSListener", true, slbCreateLoadBalancerHTTPSListener)
	add("SetLoadBalancerHTTPListenerAttribute", true, slbSetLoadBalancerHTTPListenerAttribute)
	add("SetLoadBalancerHTTPSListenerAttribute", true, slbSetLoadBalancerHTTPSListenerAttribute)
	add("StartLoadBalancerListener", true, slbStartLoadBalancerListener)
	add("StopLoadBalancerListener", true, slbStopLoadBalancerListener)
	add("DeleteLoadBalancerListener", true, slbDeleteLoadBalancerListener)
	add("TagResources", true, slbTagResources)
	add("UntagResources", true, slbUntagResources)
}

func clbLBNotFound(id string) *APIError {
	return Errorf(http.StatusNotFound, "InvalidLoadBalancerId.NotFound", "The specified LoadBalancerId does not exist. (%s)", id)
}

func clbGroupNotFound(status int) *APIError {
	return Errorf(status, "InvalidParameter", "The specified VServerGroupId does not exist.")
}

// clbListenerNotFound is what listener writes answer for a missing listener.
func clbListenerNotFound() *APIError {
	return Errorf(http.StatusNotFound, "ListenerNotFound", "You have not created a listener for the specified port of the load balancer.")
}

// clbListenerNotExist is what Describe...ListenerAttribute answers for a missing listener.
func clbListenerNotExist() *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified resource does not exist.")
}

func clbWrongProtocol() *APIError {
	return Errorf(http.StatusBadRequest, "UnsupportedOperationonfixedprotocalport", "The operation is not supported by the protocol of the specified port.")
}

func clbConfiguring() *APIError {
	return Errorf(http.StatusBadRequest, "ServiceIsConfiguring", "A previous configuration is pending; please try again later.")
}

func clbGroupProcessing() *APIError {
	return Errorf(http.StatusBadRequest, "VServerGroupProcessing", "A previous configuration of the VServer group is pending; please try again later.")
}

func clbLocked() *APIError {
	return Errorf(http.StatusBadRequest, "ActionNotAllowed", "Locked for any Business Reason.")
}

func clbStatusNotSupport(status string) *APIError {
	return Errorf(http.StatusBadRequest, "OperationFailed.ListenerStatusNotSupport", "The operation is not supported in the current listener status (%s).", status)
}

func clbObtainIPFail() *APIError {
	return Errorf(http.StatusBadRequest, "ObtainIpFail", "The specified BackendServers is invalid; some of the specified backend servers do not exist or are not running.")
}

func clbMalformed() *APIError {
	return Errorf(http.StatusBadRequest, "BackendServersMalformed", "the specified parameter BackendServers is unavailable.")
}

var clbGroupNameRE = regexp.MustCompile(`^[A-Za-z0-9\-/._]{1,80}$`)

// BackendServers fields.
var (
	clbServerDescRE = regexp.MustCompile(`^[A-Za-z0-9\-/._]{1,80}$`)
	clbIntRE        = regexp.MustCompile(`^-?[0-9]+$`)
)

// Listener values.
var (
	clbDescriptionRE  = regexp.MustCompile(`^[A-Za-z0-9\-/._]{1,256}$`)
	clbHealthURIRE    = regexp.MustCompile(`^/[A-Za-z0-9\-/.%?#&]{1,79}$`)
	clbHealthDomainRE = regexp.MustCompile(`^[A-Za-z0-9.\-]{1,80}$`)
	clbCookieRE       = regexp.MustCompile(`^[A-Za-z0-9]{1,200}$`)
	clbHTTPCodes      = []string{"http_2xx", "http_3xx", "http_4xx", "http_5xx"}
)

var clbProtocols = []string{"tcp", "udp", "http", "https"}

func clbOnOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// clbLoadBalancer returns the CLB instance named by an ID, or 404.
func clbLoadBalancer(st *State, id string) (*CLBInstance, error) {
	lb := st.CLB.loadBalancer(id)
	if lb == nil {
		return nil, clbLBNotFound(id)
	}
	return lb, nil
}

// clbTagCount refuses more than 20 Tag.N where they would all land on one
// resource (create calls, TagResources).
func clbTagCount(r *Request) error {
	if n := len(r.indexes("Tag")); n > 20 {
		return Errorf(http.StatusBadRequest, "TagCountLimit", "Tags count limit exceeded. (%d tags; at most 20)", n)
	}
	return nil
}

// clbTagParams reads Tag.N.Key/Value: at most 20 pairs, keys 1-64 characters.
func clbTagParams(r *Request) ([]tagFilter, error) { return tagParams(r, 20, 64) }

// clbNewTags reads the Tag.N of a create call.
func clbNewTags(r *Request) ([]Tag, error) {
	if err := clbTagCount(r); err != nil {
		return nil, err
	}
	f, err := clbTagParams(r)
	return tagsOf(f), err
}

// clbTagMaps renders tags as [{TagKey, TagValue}], nil when there are none.
func clbTagMaps(tags []Tag) []any {
	if len(tags) == 0 {
		return nil
	}
	out := make([]any, 0, len(tags))
	for _, t := range tags {
		out = append(out, map[string]any{"TagKey": t.Key, "TagValue": t.Value})
	}
	return out
}

// clbWrappedTags renders tags as {Tag: [...]}, or nil when there are none.
func clbWrappedTags(tags []Tag) any {
	if len(tags) == 0 {
		return nil
	}
	return map[string]any{"Tag": clbTagMaps(tags)}
}

type clbServerSpec struct {
	ServerID       string
	Port           int
	Weight         int
	HasWeight      bool
	Type           string
	ServerIP       string
	Description    string
	HasDescription bool
}

func (s clbServerSpec) key() string { return s.ServerID + ":" + strconv.Itoa(s.Port) }

func (s clbServerSpec) backend() CLBBackend {
	w := 100
	if s.HasWeight {
		w = s.Weight
	}
	return CLBBackend{ServerID: s.ServerID, Port: s.Port, Weight: w, Type: s.Type, ServerIP: s.ServerIP, Description: s.Description}
}

var clbServerFields = map[string]bool{"ServerId": true, "Port": true, "Weight": true, "Type": true, "ServerIp": true, "Description": true}

// clbJSONString decodes a JSON string.
func clbJSONString(raw json.RawMessage) (string, bool) {
	var s string
	if raw == nil || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// clbJSONInt decodes an integer sent as a JSON number or a numeric string:
// (value, present, valid).
func clbJSONInt(raw json.RawMessage) (int, bool, bool) {
	if raw == nil {
		return 0, false, false
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return 0, true, false
	}
	var text string
	switch x := v.(type) {
	case json.Number:
		text = x.String()
	case string:
		text = x
	default:
		return 0, true, false
	}
	if !clbIntRE.MatchString(text) {
		return 0, true, false
	}
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, true, false
	}
	return n, true, true
}

// clbParseServers reads a BackendServers-style parameter: a JSON array of at
// most 20 servers. It checks syntax and ranges only (not the world).
func clbParseServers(r *Request, name string, required bool) ([]clbServerSpec, bool, error) {
	raw, ok := r.Str(name)
	if !ok || raw == "" {
		if required {
			return nil, false, MissingParameter(name)
		}
		return nil, false, nil
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &items); err != nil {
		// Terraform sends single-quoted pseudo-JSON, which the real API takes.
		items = nil
		if !strings.Contains(raw, "'") || json.Unmarshal([]byte(strings.ReplaceAll(raw, "'", `"`)), &items) != nil {
			return nil, true, clbMalformed()
		}
	}
	if items == nil {
		return nil, true, clbMalformed()
	}
	if len(items) > 20 {
		return nil, true, Errorf(http.StatusBadRequest, "TooManyBackendServers", "The total number of input real servers exceeds max supported number: 20")
	}
	bad := func(i int, format string, args ...any) *APIError {
		return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified %s is invalid: server %d: %s", name, i+1, fmt.Sprintf(format, args...))
	}
	out := make([]clbServerSpec, 0, len(items))
	seen := map[string]bool{}
	for i, it := range items {
		if it == nil {
			return nil, true, clbMalformed()
		}
		for k := range it {
			if !clbServerFields[k] {
				return nil, true, clbMalformed()
			}
		}
		s := clbServerSpec{Type: "ecs"}
		id, ok := clbJSONString(it["ServerId"])
		if !ok || id == "" {
			return nil, true, bad(i, "ServerId must be a non-empty string")
		}
		s.ServerID = id
		port, _, ok := clbJSONInt(it["Port"])
		if !ok || port < 1 || port > 65535 {
			return nil, true, Errorf(http.StatusBadRequest, "InvalidParameter", "The specified BackendServers is invalid, as the Port value should be in [1, 65535].")
		}
		s.Port = port
		if w, present, ok := clbJSONInt(it["Weight"]); present {
			if !ok || w < 0 || w > 100 {
				return nil, true, Errorf(http.StatusBadRequest, "InvalidWeight.Malformed", "A specified weight is not valid.")
			}
			s.Weight, s.HasWeight = w, true
		}
		if raw, present := it["Type"]; present {
			t, ok := clbJSONString(raw)
			if !ok || (t != "ecs" && t != "eni" && t != "eci") {
				return nil, true, Errorf(http.StatusBadRequest, "InvalidParameter", "The type is invalid.")
			}
			s.Type = t
		}
		if raw, present := it["ServerIp"]; present {
			ip, ok := clbJSONString(raw)
			if !ok || !isIPv4(ip) {
				return nil, true, bad(i, "ServerIp must be an IPv4 address")
			}
			s.ServerIP = ip
		}
		if raw, present := it["Description"]; present {
			d, ok := clbJSONString(raw)
			if !ok || !clbServerDescRE.MatchString(d) {
				return nil, true, bad(i, "Description must be 1-80 letters, digits, hyphens (-), forward slashes (/), periods (.) or underscores (_)")
			}
			s.Description, s.HasDescription = d, true
		}
		if seen[s.key()] {
			return nil, true, bad(i, "server %s port %d is listed twice", s.ServerID, s.Port)
		}
		seen[s.key()] = true
		out = append(out, s)
	}
	return out, true, nil
}

// clbParseServerList is clbParseServers for calls that need at least one server.
func clbParseServerList(r *Request, name string) ([]clbServerSpec, error) {
	servers, _, err := clbParseServers(r, name, true)
	if err != nil {
		return nil, err
	}
	if len(servers) == 0 {
		return nil, InvalidParameter(name, r.Get(name), "a JSON array of 1 to 20 backend servers")
	}
	return servers, nil
}

// clbCheckNewServer checks that a server may join a group of lb, filling in ServerIp.
func clbCheckNewServer(st *State, lb *CLBInstance, s *clbServerSpec) error {
	if s.Type != "ecs" {
		return clbObtainIPFail()
	}
	inst, ok := st.Instance(s.ServerID)
	if !ok || inst.Status != "Running" {
		return clbObtainIPFail()
	}
	if inst.VpcID != lb.VpcID {
		return Errorf(http.StatusBadRequest, "InvalidBackendServers.Inconsistent", "All BackendServers on one Specified LoadBalancer have to be in the same vpc or all classic")
	}
	if s.ServerIP != "" && s.ServerIP != inst.PrivateIP {
		return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified BackendServers is invalid: ServerIp %s is not the private IP of %s.", s.ServerIP, s.ServerID)
	}
	s.ServerIP = inst.PrivateIP
	return nil
}

func clbAlreadyInGroup(s clbServerSpec, g *CLBVServerGroup) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter", "The resource already exists: backend server %s port %d is already in vServer group %s.", s.ServerID, s.Port, g.ID)
}

func clbNotInGroup(s clbServerSpec, g *CLBVServerGroup) *APIError {
	return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified resource does not exist: backend server %s port %d is not in vServer group %s.", s.ServerID, s.Port, g.ID)
}

// clbBackendMaps renders backend servers for a response; desc/ip select the
// optional fields the target SDK type has.
func clbBackendMaps(servers []CLBBackend, desc, ip bool) []any {
	out := make([]any, 0, len(servers))
	for _, s := range servers {
		m := map[string]any{"ServerId": s.ServerID, "Port": s.Port, "Weight": s.Weight, "Type": s.Type}
		if desc && s.Description != "" {
			m["Description"] = s.Description
		}
		if ip && s.ServerIP != "" {
			m["ServerIp"] = s.ServerIP
		}
		out = append(out, m)
	}
	return out
}

func clbAddressType(addr string) string {
	if ip := net.ParseIP(addr); ip != nil && ip.IsPrivate() {
		return "intranet"
	}
	return "internet"
}

func clbVSwitch(lb *CLBInstance) string { return "vsw-" + strings.TrimPrefix(lb.VpcID, "vpc-") }

// clbLBMap is what DescribeLoadBalancers and DescribeLoadBalancerAttribute share.
func clbLBMap(st *State, lb *CLBInstance) map[string]any {
	status := lb.Status
	if status == "" { // a state file written before CLB instances had a status
		status = "active"
	}
	m := map[string]any{
		"LoadBalancerId":               lb.ID,
		"LoadBalancerName":             lb.Name,
		"Address":                      lb.Address,
		"AddressType":                  clbAddressType(lb.Address),
		"AddressIPVersion":             "ipv4",
		"NetworkType":                  "vpc",
		"VpcId":                        lb.VpcID,
		"VSwitchId":                    clbVSwitch(lb),
		"LoadBalancerStatus":           status,
		"LoadBalancerSpec":             "slb.s1.small",
		"PayType":                      "PayOnDemand",
		"InstanceChargeType":           "PayBySpec",
		"InternetChargeType":           "paybytraffic",
		"Bandwidth":                    5120,
		"DeleteProtection":             "off",
		"ModificationProtectionStatus": "NonProtection",
		"RegionId":                     st.Region,
		"MasterZoneId":                 st.Region + "-a",
		"SlaveZoneId":                  st.Region + "-b",
		"ResourceGroupId":              "rg-fake",
		"CreateTime":                   fmtTime(lb.CreateTime),
		"CreateTimeStamp":              lb.CreateTime.UnixMilli(),
	}
	if t := clbWrappedTags(lb.Tags); t != nil {
		m["Tags"] = t
	}
	return m
}

func slbDescribeLoadBalancerAttribute(st *State, r *Request) (any, error) {
	id, err := r.Required("LoadBalancerId")
	if err != nil {
		return nil, err
	}
	lb, err := clbLoadBalancer(st, id)
	if err != nil {
		return nil, err
	}
	m := clbLBMap(st, lb)
	var ports, pp, ppLegacy []any
	for _, l := range st.CLB.listenersOf(lb.ID) {
		ports = append(ports, l.Port)
		e := map[string]any{"ListenerPort": l.Port, "ListenerProtocol": l.Protocol}
		if l.Description != "" {
			e["Description"] = l.Description
		}
		if l.Protocol == "http" {
			e["ListenerForward"] = l.flag("ListenerForward")
			if l.flag("ListenerForward") == "on" {
				e["ForwardPort"] = l.ForwardPort
			}
		}
		pp = append(pp, e)
		ppLegacy = append(ppLegacy, map[string]any{"ListenerPort": l.Port, "ListenerProtocal": l.Protocol})
	}
	m["ListenerPorts"] = map[string]any{"ListenerPort": ports}
	m["ListenerPortsAndProtocol"] = map[string]any{"ListenerPortAndProtocol": pp}
	m["ListenerPortsAndProtocal"] = map[string]any{"ListenerPortAndProtocal": ppLegacy}
	// The default server group is not modelled: always empty.
	m["BackendServers"] = map[string]any{"BackendServer": []any{}}
	body := &slb.DescribeLoadBalancerAttributeResponseBody{}
	return body, sdkFill(body, m)
}

// clbCommaList splits a comma-separated filter of at most 10 values.
func clbCommaList(r *Request, name string) ([]string, bool, error) {
	v, ok := r.Str(name)
	if !ok {
		return nil, false, nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > 10 {
		return nil, true, InvalidParameter(name, v, "at most 10 comma-separated values")
	}
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts, true, nil
}

func slbDescribeLoadBalancers(st *State, r *Request) (any, error) {
	ids, hasIDs, err := clbCommaList(r, "LoadBalancerId")
	if err != nil {
		return nil, err
	}
	names, hasNames, err := clbCommaList(r, "LoadBalancerName")
	if err != nil {
		return nil, err
	}
	ips, hasIPs, err := clbCommaList(r, "ServerIntranetAddress")
	if err != nil {
		return nil, err
	}
	enums := []struct {
		name    string
		allowed []string
	}{
		{"AddressType", []string{"internet", "intranet"}},
		{"AddressIPVersion", []string{"ipv4", "ipv6"}},
		{"NetworkType", []string{"vpc", "classic"}},
		{"LoadBalancerStatus", []string{"inactive", "active", "locked"}},
		{"InternetChargeType", []string{"paybybandwidth", "paybytraffic"}},
		{"PayType", []string{"PayOnDemand", "PrePay"}},
	}
	for _, e := range enums {
		if _, _, err := r.OneOf(e.name, e.allowed...); err != nil {
			return nil, err
		}
	}
	filters, err := clbTagParams(r)
	if err != nil {
		return nil, err
	}
	if raw, ok := r.Str("Tags"); ok {
		var pairs []struct {
			TagKey   *string `json:"tagKey"`
			TagValue *string `json:"tagValue"`
		}
		if err := json.Unmarshal([]byte(raw), &pairs); err != nil || len(pairs) > 10 {
			return nil, InvalidParameter("Tags", raw, `a JSON array of at most 10 {"tagKey":"...","tagValue":"..."}`)
		}
		for _, p := range pairs {
			if p.TagKey == nil || *p.TagKey == "" {
				return nil, InvalidParameter("Tags", raw, "tagKey in every pair")
			}
			f := tagFilter{Key: *p.TagKey}
			if p.TagValue != nil {
				f.Value, f.HasValue = *p.TagValue, true
			}
			filters = append(filters, f)
		}
	}
	_, hasNumber := r.Str("PageNumber")
	if _, hasSize := r.Str("PageSize"); hasSize && !hasNumber {
		return nil, MissingParameter("PageNumber")
	}
	eq := func(name, have string) bool {
		v, ok := r.Str(name)
		return !ok || v == have
	}
	var items []any
	for _, lb := range st.CLB.LoadBalancers {
		m := clbLBMap(st, lb)
		match := (!hasIDs || contains(ids, lb.ID)) && (!hasNames || contains(names, lb.Name)) &&
			eq("Address", lb.Address) && eq("VpcId", lb.VpcID) && eq("VSwitchId", clbVSwitch(lb)) &&
			eq("ResourceGroupId", "rg-fake") && eq("MasterZoneId", st.Region+"-a") && eq("SlaveZoneId", st.Region+"-b") &&
			tagsMatch(lb.Tags, filters)
		for _, e := range enums {
			match = match && eq(e.name, fmt.Sprint(m[e.name]))
		}
		if sid, ok := r.Str("ServerId"); ok && match {
			match = clbLBHasServer(st, lb, func(s CLBBackend) bool { return s.ServerID == sid })
		}
		if hasIPs && match {
			match = clbLBHasServer(st, lb, func(s CLBBackend) bool { return contains(ips, s.ServerIP) })
		}
		if match {
			items = append(items, m)
		}
	}
	p, err := numberPage(r, len(items), math.MaxInt32, 10, 100)
	if err != nil {
		return nil, err
	}
	body := &slb.DescribeLoadBalancersResponseBody{}
	return body, sdkFill(body, map[string]any{
		"LoadBalancers": map[string]any{"LoadBalancer": pageOf(items, p)},
		"PageNumber":    p.number,
		"PageSize":      p.size,
		"TotalCount":    p.total,
	})
}

// clbLBHasServer reports whether any vServer group of lb has a matching server.
func clbLBHasServer(st *State, lb *CLBInstance, match func(CLBBackend) bool) bool {
	for _, g := range st.CLB.VServerGroups {
		if g.LoadBalancerID != lb.ID {
			continue
		}
		for _, s := range g.Servers {
			if match(s) {
				return true
			}
		}
	}
	return false
}

// clbWritableGroup returns the group a write targets and its CLB, or why it
// cannot be written now.
func clbWritableGroup(st *State, r *Request, id string) (*CLBVServerGroup, *CLBInstance, error) {
	g := st.CLB.vServerGroup(id)
	if g == nil {
		return nil, nil, clbGroupNotFound(http.StatusNotFound)
	}
	lb := st.CLB.loadBalancer(g.LoadBalancerID)
	if lb == nil {
		return nil, nil, clbGroupNotFound(http.StatusNotFound)
	}
	if lb.Status == "locked" {
		return nil, nil, clbLocked()
	}
	if g.busy(r.Now) {
		return nil, nil, clbGroupProcessing()
	}
	return g, lb, nil
}

func (g *CLBVServerGroup) touch(r *Request) { g.BusyUntil = r.Now.Add(r.AsyncDuration) }

func slbCreateVServerGroup(st *State, r *Request) (any, error) {
	lbID, err := r.Required("LoadBalancerId")
	if err != nil {
		return nil, err
	}
	name, hasName := r.Str("VServerGroupName")
	if hasName && !clbGroupNameRE.MatchString(name) {
		return nil, InvalidParameter("VServerGroupName", name, "1-80 letters, digits, hyphens (-), forward slashes (/), periods (.) or underscores (_)")
	}
	servers, _, err := clbParseServers(r, "BackendServers", false)
	if err != nil {
		return nil, err
	}
	tags, err := clbNewTags(r)
	if err != nil {
		return nil, err
	}
	lb, err := clbLoadBalancer(st, lbID)
	if err != nil {
		return nil, err
	}
	if lb.Status == "locked" {
		return nil, clbLocked()
	}
	for i := range servers {
		if err := clbCheckNewServer(st, lb, &servers[i]); err != nil {
			return nil, err
		}
	}
	g := &CLBVServerGroup{
		ID: fmt.Sprintf("rsp-fake%04d", st.NextSeq()), Name: name, LoadBalancerID: lb.ID,
		CreateTime: r.Now, Tags: tags,
	}
	for _, s := range servers {
		g.Servers = append(g.Servers, s.backend())
	}
	if len(g.Servers) > 0 {
		g.touch(r)
	}
	st.CLB.VServerGroups = append(st.CLB.VServerGroups, g)
	body := &slb.CreateVServerGroupResponseBody{}
	return body, sdkFill(body, map[string]any{
		"VServerGroupId": g.ID,
		"BackendServers": map[string]any{"BackendServer": clbBackendMaps(g.Servers, true, false)},
	})
}

func slbDeleteVServerGroup(st *State, r *Request) (any, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	g := st.CLB.vServerGroup(id)
	if g == nil {
		return nil, clbGroupNotFound(http.StatusNotFound)
	}
	if lb := st.CLB.loadBalancer(g.LoadBalancerID); lb != nil && lb.Status == "locked" {
		return nil, clbLocked()
	}
	if len(st.CLB.listenersUsing(g.ID)) > 0 {
		return nil, Errorf(http.StatusBadRequest, "RspoolVipExist", "there are vips associating with this vServer group.")
	}
	if g.busy(r.Now) {
		return nil, clbGroupProcessing()
	}
	st.CLB.removeVServerGroup(g)
	return &slb.DeleteVServerGroupResponseBody{}, nil
}

func slbAddVServerGroupBackendServers(st *State, r *Request) (any, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	servers, err := clbParseServerList(r, "BackendServers")
	if err != nil {
		return nil, err
	}
	g, lb, err := clbWritableGroup(st, r, id)
	if err != nil {
		return nil, err
	}
	for i := range servers {
		if err := clbCheckNewServer(st, lb, &servers[i]); err != nil {
			return nil, err
		}
		if g.server(servers[i].ServerID, servers[i].Port) >= 0 {
			return nil, clbAlreadyInGroup(servers[i], g)
		}
	}
	for _, s := range servers {
		g.Servers = append(g.Servers, s.backend())
	}
	g.touch(r)
	body := &slb.AddVServerGroupBackendServersResponseBody{}
	return body, sdkFill(body, map[string]any{
		"VServerGroupId": g.ID,
		"BackendServers": map[string]any{"BackendServer": clbBackendMaps(g.Servers, true, false)},
	})
}

func slbRemoveVServerGroupBackendServers(st *State, r *Request) (any, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	servers, err := clbParseServerList(r, "BackendServers")
	if err != nil {
		return nil, err
	}
	g, _, err := clbWritableGroup(st, r, id)
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, s := range servers {
		drop[s.key()] = true
	}
	kept := make([]CLBBackend, 0, len(g.Servers))
	for _, s := range g.Servers {
		if !drop[s.ServerID+":"+strconv.Itoa(s.Port)] {
			kept = append(kept, s)
		}
	}
	if len(kept) != len(g.Servers) {
		g.Servers = kept
		g.touch(r)
	}
	body := &slb.RemoveVServerGroupBackendServersResponseBody{}
	return body, sdkFill(body, map[string]any{
		"VServerGroupId": g.ID,
		"BackendServers": map[string]any{"BackendServer": clbBackendMaps(g.Servers, false, false)},
	})
}

func slbSetVServerGroupAttribute(st *State, r *Request) (any, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	name, hasName := r.Str("VServerGroupName")
	if hasName && !clbGroupNameRE.MatchString(name) {
		return nil, InvalidParameter("VServerGroupName", name, "1-80 letters, digits, hyphens (-), forward slashes (/), periods (.) or underscores (_)")
	}
	servers, _, err := clbParseServers(r, "BackendServers", false)
	if err != nil {
		return nil, err
	}
	g, _, err := clbWritableGroup(st, r, id)
	if err != nil {
		return nil, err
	}
	for _, s := range servers {
		if g.server(s.ServerID, s.Port) < 0 {
			return nil, clbNotInGroup(s, g)
		}
	}
	if hasName {
		g.Name = name
	}
	for _, s := range servers {
		b := &g.Servers[g.server(s.ServerID, s.Port)]
		if s.HasWeight {
			b.Weight = s.Weight
		}
		if s.HasDescription {
			b.Description = s.Description
		}
	}
	if len(servers) > 0 {
		g.touch(r)
	}
	body := &slb.SetVServerGroupAttributeResponseBody{}
	return body, sdkFill(body, map[string]any{
		"VServerGroupId":   g.ID,
		"VServerGroupName": g.Name,
		"BackendServers":   map[string]any{"BackendServer": clbBackendMaps(g.Servers, true, false)},
	})
}

func slbModifyVServerGroupBackendServers(st *State, r *Request) (any, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	olds, err := clbParseServerList(r, "OldBackendServers")
	if err != nil {
		return nil, err
	}
	news, err := clbParseServerList(r, "NewBackendServers")
	if err != nil {
		return nil, err
	}
	g, lb, err := clbWritableGroup(st, r, id)
	if err != nil {
		return nil, err
	}
	drop := map[string]bool{}
	for _, s := range olds {
		if g.server(s.ServerID, s.Port) < 0 {
			return nil, clbNotInGroup(s, g)
		}
		drop[s.key()] = true
	}
	for i := range news {
		if err := clbCheckNewServer(st, lb, &news[i]); err != nil {
			return nil, err
		}
		if g.server(news[i].ServerID, news[i].Port) >= 0 && !drop[news[i].key()] {
			return nil, clbAlreadyInGroup(news[i], g)
		}
	}
	kept := make([]CLBBackend, 0, len(g.Servers)+len(news))
	for _, s := range g.Servers {
		if !drop[s.ServerID+":"+strconv.Itoa(s.Port)] {
			kept = append(kept, s)
		}
	}
	for _, s := range news {
		kept = append(kept, s.backend())
	}
	g.Servers = kept
	g.touch(r)
	body := &slb.ModifyVServerGroupBackendServersResponseBody{}
	return body, sdkFill(body, map[string]any{
		"VServerGroupId": g.ID,
		"BackendServers": map[string]any{"BackendServer": clbBackendMaps(g.Servers, true, false)},
	})
}

func slbDescribeVServerGroups(st *State, r *Request) (any, error) {
	lbID, err := r.Required("LoadBalancerId")
	if err != nil {
		return nil, err
	}
	incListener, _, err := r.Bool("IncludeListener")
	if err != nil {
		return nil, err
	}
	incRule, _, err := r.Bool("IncludeRule")
	if err != nil {
		return nil, err
	}
	filters, err := clbTagParams(r)
	if err != nil {
		return nil, err
	}
	lb, err := clbLoadBalancer(st, lbID)
	if err != nil {
		return nil, err
	}
	desc, hasDesc := r.Str("Description")
	var items []any
	for _, g := range st.CLB.VServerGroups {
		if g.LoadBalancerID != lb.ID || (hasDesc && g.Name != desc) || !tagsMatch(g.Tags, filters) {
			continue
		}
		item := map[string]any{
			"VServerGroupId":   g.ID,
			"VServerGroupName": g.Name,
			"ServerCount":      len(g.Servers),
			"CreateTime":       fmtTime(g.CreateTime),
		}
		if t := clbWrappedTags(g.Tags); t != nil {
			item["Tags"] = t
		}
		if incListener || incRule {
			assoc := map[string]any{}
			if incListener {
				var ls []any
				for _, l := range st.CLB.listenersUsing(g.ID) {
					ls = append(ls, map[string]any{"Port": l.Port, "Protocol": l.Protocol})
				}
				assoc["Listeners"] = map[string]any{"Listener": ls}
			}
			if incRule {
				assoc["Rules"] = map[string]any{"Rule": []any{}}
			}
			item["AssociatedObjects"] = assoc
		}
		items = append(items, item)
	}
	body := &slb.DescribeVServerGroupsResponseBody{}
	return body, sdkFill(body, map[string]any{"VServerGroups": map[string]any{"VServerGroup": items}})
}

func slbDescribeVServerGroupAttribute(st *State, r *Request) (any, error) {
	id, err := r.Required("VServerGroupId")
	if err != nil {
		return nil, err
	}
	g := st.CLB.vServerGroup(id)
	if g == nil {
		return nil, clbGroupNotFound(http.StatusNotFound)
	}
	m := map[string]any{
		"VServerGroupId":   g.ID,
		"VServerGroupName": g.Name,
		"LoadBalancerId":   g.LoadBalancerID,
		"CreateTime":       fmtTime(g.CreateTime),
		"BackendServers":   map[string]any{"BackendServer": clbBackendMaps(g.Servers, true, true)},
	}
	if t := clbWrappedTags(g.Tags); t != nil {
		m["Tags"] = t
	}
	body := &slb.DescribeVServerGroupAttributeResponseBody{}
	return body, sdkFill(body, m)
}

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
	if v, ok := r.Str("Bandwidth"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || !(n == -1 || (n >= 1 && n <= 5120)) {
			return Errorf(http.StatusBadRequest, "InvalidParameter", "The specified Bandwidth is invalid. (%q: -1 or 1-5120)", v)
		}
		l.Bandwidth = n
	}

	// Backend: a vServer group of this instance, or the default group on BackendServerPort.
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

	// Health check.
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
	if v, _, err := r.OneOf("HealthCheckMethod", "head", "get"); err != nil {
		return err
	} else if v != "" {
		h.Method = v
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

	// Session persistence.
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
	if v, _, err := r.OneOf("StickySessionType", "insert", "server"); err != nil {
		return err
	} else if v != "" {
		s.Type = v
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

	// Timeouts, scheduler, description, switches.
	if err := r.OptInt("IdleTimeout", 1, 60, &l.IdleTimeout); err != nil {
		return err
	}
	if err := r.OptInt("RequestTimeout", 1, 180, &l.RequestTimeout); err != nil {
		return err
	}
	if v, _, err := r.OneOf("Scheduler", "wrr", "rr"); err != nil {
		return err
	} else if v != "" {
		l.Scheduler = v
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

	// Access control: no ACL exists in the fake world.
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

	// HTTP redirect (create only).
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

	// HTTPS.
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
		if v, _, err := r.OneOf("TLSCipherPolicy", tlsCipherPolicies...); err != nil {
			return err
		} else if v != "" {
			l.TLSCipherPolicy = v
		}
	}
	return nil
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
	if l.BackendServerPort != 0 {
		m["BackendServerPort"] = l.BackendServerPort
	}
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
		if h.ConnectPort != 0 {
			m["HealthCheckConnectPort"] = h.ConnectPort
		}
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
				(hasDesc && l.Description != desc) || !tagsMatch(l.Tags, filters) {
				continue
			}
			list = append(list, l)
		}
	}
	p, err := tokenPage(r, len(list), 20, 1, 100)
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

// clbHealth is a backend's ServerHealthStatus behind listener l at now.
func clbHealth(st *State, l *CLBListener, b CLBBackend, now time.Time) string {
	if !l.HealthCheck.Enabled || l.status(now) == "stopped" || l.status(now) == "starting" {
		return "unavailable"
	}
	inst, ok := st.Instance(b.ServerID)
	if !ok || inst.Status != "Running" || inst.Health == "unhealthy" {
		return "abnormal"
	}
	return "normal"
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
				"ServerHealthStatus": clbHealth(st, l, b, r.Now),
			})
		}
	}
	body := &slb.DescribeHealthStatusResponseBody{}
	return body, sdkFill(body, map[string]any{"BackendServers": map[string]any{"BackendServer": items}})
}

var clbResourceTypes = []string{"instance", "certificate", "acl", "listener", "vservergroup", "masterslaveservergroup"}

func clbResourceType(r *Request) (string, error) {
	typ, err := r.Required("ResourceType")
	if err != nil {
		return "", err
	}
	if !contains(clbResourceTypes, typ) {
		return "", InvalidParameter("ResourceType", typ, "one of "+strings.Join(clbResourceTypes, ", "))
	}
	return typ, nil
}

// clbTaggable returns a pointer to the tags of a resource, or why it cannot be tagged.
func clbTaggable(st *State, typ, id string) (*[]Tag, error) {
	switch typ {
	case "instance":
		lb, err := clbLoadBalancer(st, id)
		if err != nil {
			return nil, err
		}
		return &lb.Tags, nil
	case "vservergroup":
		if g := st.CLB.vServerGroup(id); g != nil {
			return &g.Tags, nil
		}
		return nil, clbGroupNotFound(http.StatusNotFound)
	case "listener":
		lbID, proto, port, ok := parseListenerResourceID(id)
		if !ok {
			return nil, InvalidParameter("ResourceId", id, "<LoadBalancerId>_<protocol>_<port> for a listener")
		}
		lb, err := clbLoadBalancer(st, lbID)
		if err != nil {
			return nil, err
		}
		if l := st.CLB.listener(lb.ID, port); l != nil && l.Protocol == proto {
			return &l.Tags, nil
		}
		return nil, clbListenerNotFound()
	}
	return nil, Errorf(http.StatusNotFound, "InvalidResourceId.NotFound", "The specified resource %s does not exist.", id)
}

// clbTagTargets reads ResourceType and ResourceId.N (1 to 20) of
// TagResources and UntagResources.
func clbTagTargets(st *State, r *Request) ([]string, func(id string) (*[]Tag, error), error) {
	typ, err := clbResourceType(r)
	if err != nil {
		return nil, nil, err
	}
	ids, err := tagResourceIDs(r, 20, "ResourceId.1")
	if err != nil {
		return nil, nil, err
	}
	return ids, func(id string) (*[]Tag, error) { return clbTaggable(st, typ, id) }, nil
}

func slbTagResources(st *State, r *Request) (any, error) {
	ids, find, err := clbTagTargets(st, r)
	if err != nil {
		return nil, err
	}
	if err := clbTagCount(r); err != nil {
		return nil, err
	}
	tags, err := clbTagParams(r)
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return nil, MissingParameter("Tag.1.Key")
	}
	err = tagResources(ids, find, tags, func(id string, n int) error {
		return Errorf(http.StatusBadRequest, "TagCountLimit", "Tags count limit exceeded. (%s would have %d tags; at most 20)", id, n)
	})
	if err != nil {
		return nil, err
	}
	return &slb.TagResourcesResponseBody{}, nil
}

func slbUntagResources(st *State, r *Request) (any, error) {
	ids, find, err := clbTagTargets(st, r)
	if err != nil {
		return nil, err
	}
	keys, err := r.ListMax("TagKey", 20, "keys")
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		if err := checkTagText(fmt.Sprintf("TagKey.%d", i+1), k, 64, true); err != nil {
			return nil, err
		}
	}
	all, _, err := r.Bool("All")
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 && !all {
		return nil, MissingParameter("TagKey.1")
	}
	// With TagKey.N, only those keys go, even with All=true.
	err = untagResources(ids, find, func(t Tag) bool { return len(keys) == 0 || contains(keys, t.Key) })
	if err != nil {
		return nil, err
	}
	return &slb.UntagResourcesResponseBody{}, nil
}

// clbTagPageSize is how many rows one ListTagResources page holds.
const clbTagPageSize = 50

func slbListTagResources(st *State, r *Request) (any, error) {
	typ, err := clbResourceType(r)
	if err != nil {
		return nil, err
	}
	ids, err := tagResourceIDs(r, 20, "")
	if err != nil {
		return nil, err
	}
	filters, err := clbTagParams(r)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 && len(filters) == 0 {
		return nil, MissingParameter("ResourceId.1")
	}
	var resources []tagged
	switch typ {
	case "instance":
		for _, lb := range st.CLB.LoadBalancers {
			resources = append(resources, tagged{lb.ID, lb.Tags})
		}
	case "vservergroup":
		for _, g := range st.CLB.VServerGroups {
			resources = append(resources, tagged{g.ID, g.Tags})
		}
	case "listener":
		for _, lb := range st.CLB.LoadBalancers {
			for _, l := range st.CLB.listenersOf(lb.ID) {
				resources = append(resources, tagged{l.resourceID(), l.Tags})
			}
		}
	}
	var rows []any
	for _, row := range tagRows(resources, ids, filters) {
		rows = append(rows, map[string]any{"ResourceId": row.id, "ResourceType": typ, "TagKey": row.Key, "TagValue": row.Value})
	}
	p, err := tokenWindow(r, len(rows), clbTagPageSize)
	if err != nil {
		return nil, err
	}
	m := map[string]any{"TagResources": map[string]any{"TagResource": pageOf(rows, p)}}
	if p.next != "" {
		m["NextToken"] = p.next
	}
	body := &slb.ListTagResourcesResponseBody{}
	return body, sdkFill(body, m)
}
