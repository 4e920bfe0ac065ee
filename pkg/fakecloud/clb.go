package fakecloud

// CLB (API product Slb, version 2014-05-15): vServer groups and their backend
// servers, HTTP/HTTPS listeners, backend health and tags, answering the real
// SDK (slb-20140515/v4 v4.0.14). CLB instances come from the seed or from
// CreateLoadBalancer (clb_create.go). Unconfirmed, stricter choices there:
// creation is synchronous and the instance active at once (ID lb-fakeNNNN,
// Address 203.0.113.x for internet, else an address in the vSwitch's block);
// AddressType defaults to intranet, as the SDK documents for a create with a
// VSwitchId; VSwitchId is required (a classic-network CLB is not modelled) and must
// exist (400 InvalidVSwitchId.NotExist) and be in VpcId if given (400
// InvalidParameter.VpcId); only InstanceChargeType PayByCLCU is sold (no
// LoadBalancerSpec with it: 400 InvalidParameter), pay-by-spec and
// shared-resource creates are refused as the end of sale says, and
// InternetChargeType/Bandwidth are validated and kept (clb_billing.go).
// SetLoadBalancerName
// (clb_name.go) takes 1-80 letters, digits, '.', '_', '-' (400
// InvalidParameter otherwise). DeleteLoadBalancer
// is refused while DeleteProtection is on (400
// OperationDenied.DeleteProtection); otherwise the instance goes with its
// listeners, vServer groups (and their backends) and the tags on them
// (clb_delete.go; the SDK: "The listeners and tags of the SLB instance are
// deleted along with the SLB instance").
// CreateLoadBalancer takes ClientToken and Tag.N (both in the SDK's request
// struct): a repeat with the same ClientToken (1-64 ASCII, else 400
// InvalidParameter) and the same parameters (RegionId aside) answers the
// first call's answer again and creates nothing, even once that instance is
// deleted; the same token with other parameters is 400
// IdempotentParameterMismatch (code and status unconfirmed; ECS's code).
// Tokens never expire. At most Quotas.CLBInstances instances (seed
// quotas.clbInstances, default 60, as recalled from the quota page:
// unconfirmed); beyond it 400 QuotaExceeded.LoadBalancersNum (code invented
// after ALB's). ModifyLoadBalancerInstanceSpec (LoadBalancerSpec one of
// CreateLoadBalancer's; a PayByCLCU instance: 400 OperationDenied.PayByCLCU,
// invented; OrderId 0, as for pay-as-you-go) changes the instance at once; a
// locked instance refuses it (400 ActionNotAllowed).
// A seeded instance reports its VPC's first vSwitch (one DescribeVSwitches
// lists) as VSwitchId and that vSwitch's zone as MasterZoneId; SlaveZoneId is
// another zone of the region (clb_zones.go; a created instance's as the
// create's SlaveZoneId said, else derived the same way).
// Responses are the SDK's own ...ResponseBody structs, filled through
// sdkFill, which rejects any key the SDK struct does not have, so field names
// (and the wrapped list shapes VServerGroups.VServerGroup[],
// BackendServers.BackendServer[], Tags.Tag[], the flat Listeners[] and flat
// listener Tags[] of DescribeLoadBalancerListeners) cannot drift.
//
// This file registers the actions and holds the CLB error answers; the
// actions live by object in clb_loadbalancers.go, clb_vservergroups.go (with
// the BackendServers parameter in clb_backends.go), clb_listeners.go (with
// their parameters in clb_listener_params.go) and clb_tags.go, over the typed
// world of clb_state.go.
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
//     timeout 5, thresholds 3/3, HealthCheckDomain $_ip (the backend's
//     private IP; the vendor page's example answer), HealthCheckConnectPort
//     the listener's BackendServerPort, 0 (each backend's own port) for a
//     listener created with only a vServer group (unconfirmed);
//     HealthCheckURI has no default and is absent until set.
//     BackendServerPort is always answered, 0 when never set (unconfirmed);
//     TLSCipherPolicy tls_cipher_policy_1_0,
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
//     private, ipv4, pay-as-you-go, InternetChargeType as the seed says
//     (default paybytraffic), spec slb.s1.small, master zone its VPC's
//     first vSwitch's (that vSwitch as VSwitchId), slave zone another zone
//     of the region (clb_zones.go), resource group rg-fake.
//   - Not modelled (parameters ignored or actions absent): the default server
//     group (AddBackendServers etc.), master-slave groups, TCP/UDP listeners,
//     forwarding rules, domain extensions, ACLs, certificates, deletion and
//     modification protection, BackendServer.configuring/OperationBusy/
//     SystemBusy/ServiceIsStopping (stop is immediate), VServerGroupEmpty.

import "net/http"

// registerSLB adds the CLB actions. Every handler first settles the CLB state
// at the request clock and checks RegionId.
func registerSLB(reg registry) {
	add := func(name string, write bool, fn handler) {
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
	add("CreateLoadBalancer", true, slbCreateLoadBalancer)
	add("DeleteLoadBalancer", true, slbDeleteLoadBalancer)
	add("SetLoadBalancerDeleteProtection", true, slbSetLoadBalancerDeleteProtection)
	add("SetLoadBalancerName", true, slbSetLoadBalancerName)
	add("ModifyLoadBalancerInstanceSpec", true, slbModifyLoadBalancerInstanceSpec)
}

// Errors: codes, statuses and messages from the vendor's CLB error table.

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
