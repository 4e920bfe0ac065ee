package fakecloud

// ALB (API version 2020-06-16): server groups, backend servers, listeners,
// async jobs and tags, answering the real SDK (alb-20200616/v2 v2.3.2).
// Instances (ALBs) come only from the seed. Responses are built from the
// SDK's own ...ResponseBody structs so field names cannot drift.
//
// This file registers the actions; they live by object in alb_jobs.go (the
// async-write and job pattern every write goes through), alb_loadbalancers.go,
// alb_servergroups.go, alb_servers.go, alb_listeners.go, alb_health.go and
// alb_tags.go, over the typed world of alb_state.go.
//
// Time: every write finishes after Request.AsyncDuration (the profile's
// draw for the action in the realistic profile). Until then the
// object shows its transitional status (server group Creating/Configuring/
// Deleting, backend server Adding/Configuring/Removing/Replacing, listener
// Provisioning/Configuring/Deleting, ALB Configuring while a listener
// operation runs) and its job is Processing; afterwards Succeeded, or Failed
// when a JobFails fault rule fired on the write (then the change is undone
// when the job ends; see below).
//
// Behaviour the references do not confirm for ALB, where the fake picks the
// stricter answer (see the facts sheet, ../shared/reference/alibaba-api-facts.md
// from the repository root, §2):
//   - HTTP statuses: DryRunOperation, IdempotenceProcessing,
//     IdempotenceSignatureMismatch, ResourceAlreadyExist.*, Mismatch.*,
//     DuplicatedParam.Server are 400; every ResourceNotFound.* is 404.
//     Parameter errors use the generic InvalidParameter / MissingParameter.
//   - ClientToken: a repeat with the same token and parameters returns the first
//     result (same resource ID and the same JobId) once its job has finished, and
//     IdempotenceProcessing while it is still running. A token is global, not per
//     action: reusing it for another action or other parameters is
//     IdempotenceSignatureMismatch. Tokens never expire. DryRun and failed calls
//     do not consume a token.
//   - Failed jobs (through a JobFails fault rule, or drawn by the realistic
//     profile, doc.go): until its end the job
//     is Processing and the resource transitional as for any write; then
//     ListAsynJobs shows Status Failed with ErrorCode and ErrorMessage
//     (ModifyTime = the end), and the resource is as before the write: a
//     created one is gone, a changed or deleted one is back, with the tags it
//     has now (tagging is synchronous). The references do not say what real
//     ALB leaves behind; undoing everything is the stricter choice (a client
//     may assume no part of a failed change). A repeat with the write's
//     ClientToken answers the failed JobId again: trying again takes a new
//     token.
//   - DryRun also runs the state checks (not found, busy, in use, duplicates),
//     not only the syntax checks, before answering DryRunOperation.
//   - Backend servers: a missing ECS instance is 404 ResourceNotFound.Ecs (NLB's
//     code), one in another VPC 400 Mismatch.VpcId, a server type the group type
//     does not take 400 Mismatch.ServerType; Eni/Eci servers are always
//     ResourceNotFound.Eni/.Eci (the fake world has none). ServerIp, if given for
//     an Ecs server, must be the instance's private IP. Adding a (ServerId, Port)
//     that is already in the group is 400 ResourceAlreadyExist.BackendServer;
//     removing or updating one that is not is 404 ResourceNotFound.BackendServer.
//     ReplaceServersInServerGroup rejects a server listed both as added and as
//     removed (DuplicatedParam.Server); its servers show Replacing.
//   - UpdateServerGroupServersAttribute takes at most 40 servers (the SDK doc
//     says "40 server groups"), Add/Remove/Replace at most 200.
//   - Server groups: an unknown VpcId is 404 ResourceNotFound.Vpc.
//     ServerGroupType Fc is not modelled and is rejected. HealthCheckPath
//     defaults to "/" for HTTP(S) checks, HealthCheckCodes to http_2xx (gRPC:
//     "0"). HealthCheckConfig and StickySessionConfig values are range-checked
//     even when the feature is disabled. Sticky sessions need CrossZoneEnabled,
//     slow start needs the Wrr scheduler. A cookie (Server type) may be
//     printable ASCII without space, ',' or ';' and may not start with '$'.
//     ListServerGroupServers requires ServerGroupId. ServerGroupIds.N filters
//     take at most 10 IDs. Group names need not be unique.
//   - Listeners: ListenerDescription is 2-256 of letters, digits and "-/._" (the
//     intersection of the CreateListener and UpdateListenerAttribute docs).
//     HTTPS and QUIC need exactly one Certificates.1.CertificateId; HTTP takes
//     none. SecurityPolicyId, Http2Enabled and CaEnabled=true are rejected on
//     non-HTTPS listeners; SecurityPolicyId must be a system policy
//     (tls_cipher_policy_*), anything else is 404 ResourceNotFound.SecurityPolicy.
//     DefaultActions takes exactly one ForwardGroup action with exactly one
//     server group, which must exist, be idle (Available: a group still
//     Creating or Configuring is IncorrectStatus.ServerGroup), sit in the ALB's
//     VPC (else 400 Mismatch.VpcId) and use a backend protocol the listener can
//     forward to (HTTP listener: HTTP; HTTPS: any; QUIC: HTTP or gRPC; else
//     InvalidParameter). Ports are unique per ALB among HTTP/HTTPS listeners
//     and among QUIC listeners (QUIC is UDP), including listeners still
//     Deleting.
//   - Busy rules: CreateListener, UpdateListenerAttribute, DeleteListener,
//     StartListener and StopListener all make the ALB Configuring and are
//     rejected with IncorrectStatus.LoadBalancer while it is; a write on a busy
//     listener (Provisioning/Configuring/Deleting) is IncorrectStatus.Listener,
//     checked before the ALB. StartListener on a Running and StopListener on a
//     Stopped listener are IncorrectStatus.Listener. A write on a group that is
//     Creating/Configuring/Deleting is IncorrectStatus.ServerGroup. A group
//     referenced by a listener, even one still Deleting, is
//     ResourceInUse.ServerGroup on delete.
//   - Tags: keys/values are checked case-insensitively for the aliyun/acs:
//     prefixes; keys must be unique within a call; a resource holds at most 20
//     tags (InvalidParameter beyond). Tag filters take at most 10 pairs on
//     ListServerGroups/ListServerGroupServers (keys at most 64 characters there
//     and on ListLoadBalancers) and 20 elsewhere. TagResources and
//     ListTagResources take at most 50 ResourceId.N. Resource types are
//     loadbalancer, servergroup and listener (acl/securitypolicy objects do not
//     exist here: 404); UnTagResources needs TagKey.N, Tag.N or All=true.
//     Tagging is synchronous and allowed on busy resources.
//   - GetListenerHealthStatus pages over the non-normal servers of all the
//     listener's server groups (every page lists every group). Adding/Replacing
//     servers are Initial, weight 0 is Unused, an instance whose Health is
//     unhealthy is Unhealthy (ReasonCode CONNECT_FAILED) and one that is not
//     Running is Unhealthy (CONNECT_TIMEOUT); with health checks off only
//     Initial/Unused are listed. No forwarding rules are modelled, so
//     RuleHealthStatus is always empty.
//   - IDs are deterministic: sgp-fakeNNNN, lsn-fakeNNNN, job-fakeNNNN (real
//     JobIds are UUID-like). Seeded ALBs get two zones where ALB can be
//     created, each through a vSwitch of their VPC that DescribeVSwitches
//     lists (alb_seed_zones.go: the VPC's own, else made like a VPC's
//     default ones), each with one
//     LoadBalancerAddresses entry derived from the instance ID and the zone
//     (never changes, not seedable: the seed has no zones): IntranetAddress
//     10.x.<zone#>.y with two Ipv4LocalAddresses after it, Healthy; an
//     Internet instance also an EIP (Address 198.51.100.x, AllocationId
//     eip-..., EipType Common), an Intranet one Address = IntranetAddress.
//     LoadBalancerName is the seed's name (2-128 letters, digits, . _ -,
//     starting with a letter, checked at seed time) and absent when the seed
//     gives none.
//   - Listener XForwardedForConfig is kept (CreateListener,
//     UpdateListenerAttribute) and answered in full with the SDK model's
//     defaults: XForwardedForEnabled true with ProcessingMode append, every
//     other switch false; aliases and trusted addresses only once set.
//     Client-certificate switches and aliases on a non-HTTPS listener,
//     XForwardedForEnabled/ClientSrcPort/ClientSourceIps/ProcessingMode on
//     QUIC: 400 InvalidParameter (stricter reading of "only ... listeners
//     support this parameter"). LogConfig is always the default
//     (AccessLogRecordCustomizedHeadersEnabled false, TracingEnabled false):
//     UpdateListenerLogConfig is not served.
//   - Instances made through the API (alb_create.go), codes unconfirmed:
//     CreateLoadBalancer answers LoadBalancerId (no JobId, as the SDK body)
//     and records a loadbalancer Create job; the instance is Provisioning
//     until the write's AsyncDuration (realistic profile: 30-90 s scaled),
//     then Active, DNSName <id>.<region>.alb.aliyuncs.com, IDs
//     alb-fakeNNNN. VpcId, AddressType, LoadBalancerEdition and
//     LoadBalancerBillingConfig.PayType (PostPay) are required; fewer than
//     two ZoneMappings or a zone given twice: 400 InvalidParameter; a zone
//     outside DescribeZones (<region>-h/-i/-j): 400
//     OperationDenied.ZoneNotSupport; an unknown VPC 404
//     ResourceNotFound.Vpc, an unknown vSwitch 404
//     ResourceNotFound.VSwitch, one of another VPC 400 Mismatch.VpcId, one
//     in another zone than named 400 Mismatch.ZoneId. DeleteLoadBalancer
//     refuses an instance that is not Active (400 IncorrectStatus.LoadBalancer),
//     has deletion protection on (400
//     OperationDenied.DeletionProtectionEnabled) or still has listeners (400
//     ResourceInUse.LoadBalancer: stricter than deleting them with it); the
//     instance shows Configuring until its job ends, then is gone. A create
//     job that fails (JobFails, or the realistic profile's draw) leaves the
//     instance in status CreateFailed, as the SDK documents ("you are not
//     charged ... You can only delete the ALB instance"): listeners and
//     UpdateLoadBalancerAttribute are refused (400
//     IncorrectStatus.LoadBalancer), DeleteLoadBalancer works (deletion
//     protection still holds, and may be released: stricter, unconfirmed),
//     it counts against the quota, and the real cloud's automatic removal
//     after a day is not modelled (stricter: the client must delete it). A
//     failed update or delete job puts the instance back as before.
//     CreateListener needs an Active instance (Provisioning, Configuring or
//     CreateFailed: 400 IncorrectStatus.LoadBalancer), and so do the writes
//     on an existing listener (Update/Start/Stop/DeleteListener): refused
//     for any status but Active, not only while a listener job runs
//     (stricter, unconfirmed: Terraform retries both busy codes on them).
//   - UpdateLoadBalancerEdition (alb_edition.go; what is confirmed and what
//     is not: doc.go) changes the edition in place: Basic → Standard or
//     StandardWithWaf, StandardWithWaf → Standard; the instance is
//     Configuring, still answering its old edition, until the change is done.
//   - Quota (lb_quotas.go): at most Quotas.ALBInstances instances (seed
//     quotas.albInstances, default 60, the per-region default on the ALB
//     quota page, which allows at most 150), every instance counting (seeded,
//     CreateFailed, being deleted); beyond it CreateLoadBalancer is 400
//     QuotaExceeded.LoadBalancersNum "The quota of alb_quota_loadbalancers_num
//     is exceeded ..." (code recalled from the ALB error table, unconfirmed),
//     checked after the parameters, DryRun included.
//     Enable/DisableDeletionProtection are synchronous (the SDK body has no
//     JobId) and allowed in any status; UpdateLoadBalancerAttribute (a job,
//     the instance Configuring meanwhile) needs an Active instance.
//   - Not modelled (parameters are ignored): UchConfig, ServiceName,
//     QuicConfig, ACLs, rules, quotas other than the instance quota,
//     Basic-edition restrictions, jobs that fail on their own (except in the
//     realistic profile).

import (
	"net/http"
)

// albJobWrites are the ALB writes that answer a JobId: their work goes on in
// a job that ListAsynJobs reports (and that a JobFails fault rule can make
// fail).
var albJobWrites = map[string]handler{
	"CreateServerGroup":                 albCreateServerGroup,
	"UpdateServerGroupAttribute":        albUpdateServerGroupAttribute,
	"DeleteServerGroup":                 albDeleteServerGroup,
	"AddServersToServerGroup":           albAddServersToServerGroup,
	"RemoveServersFromServerGroup":      albRemoveServersFromServerGroup,
	"UpdateServerGroupServersAttribute": albUpdateServerGroupServersAttribute,
	"ReplaceServersInServerGroup":       albReplaceServersInServerGroup,
	"CreateListener":                    albCreateListener,
	"UpdateListenerAttribute":           albUpdateListenerAttribute,
	"DeleteListener":                    albDeleteListener,
	"StartListener":                     albStartListener,
	"StopListener":                      albStopListener,
	"CreateLoadBalancer":                albCreateLoadBalancer,
	"DeleteLoadBalancer":                albDeleteLoadBalancer,
	"UpdateLoadBalancerAttribute":       albUpdateLoadBalancerAttribute,
	// It answers no JobId (a RequestId only), but its work goes on in the
	// background all the same (alb_edition.go).
	"UpdateLoadBalancerEdition": albUpdateLoadBalancerEdition,
}

// registerALB adds the ALB actions. Every handler first settles the ALB state
// at the request clock (finished deletions disappear, failed jobs are rolled
// back).
func registerALB(reg registry) {
	add := func(name string, write bool, fn handler) {
		reg.add(VersionALB, name, write, func(st *State, r *Request) (any, error) {
			st.ALB.settle(r.Now)
			return fn(st, r)
		})
	}
	// Reads.
	add("GetLoadBalancerAttribute", false, albGetLoadBalancerAttribute)
	add("ListLoadBalancers", false, albListLoadBalancers)
	add("ListServerGroups", false, albListServerGroups)
	add("ListServerGroupServers", false, albListServerGroupServers)
	add("GetListenerAttribute", false, albGetListenerAttribute)
	add("ListListeners", false, albListListeners)
	add("GetListenerHealthStatus", false, albGetListenerHealthStatus)
	add("ListAsynJobs", false, albListAsynJobs)
	add("ListTagResources", false, albListTagResources)
	add("DescribeZones", false, albDescribeZones)
	// Asynchronous writes.
	for name, fn := range albJobWrites {
		add(name, true, fn)
		k := actionKey{VersionALB, name}
		a := reg[k]
		a.job = true
		reg[k] = a
	}
	// Synchronous writes.
	add("TagResources", true, albTagResources)
	add("UnTagResources", true, albUnTagResources)
	add("EnableDeletionProtection", true, albSetDeletionProtection(true))
	add("DisableDeletionProtection", true, albSetDeletionProtection(false))
}

func albNotFound(kind, id string) *APIError {
	return Errorf(http.StatusNotFound, "ResourceNotFound."+kind, "The specified resource %s of %s is not found.", id, kind)
}

func albIncorrectStatus(kind, id, status string) *APIError {
	return Errorf(http.StatusBadRequest, "IncorrectStatus."+kind, "The status of %s [%s] is incorrect (%s).", kind, id, status)
}

func albDryRun() *APIError {
	return Errorf(http.StatusBadRequest, "DryRunOperation", "Request validation has been passed with DryRun flag set.")
}

func albASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > 0x7e || s[i] < 0x20 {
			return false
		}
	}
	return true
}

// albList answers one page of matches as ALB's List... actions do: the page
// (MaxResults 1-100, default 20; NextToken) under key, each match made an
// item, with MaxResults, NextToken and TotalCount, in body, the action's SDK
// ...ResponseBody.
func albList[T, I any](st *State, r *Request, body any, key string, matches []T, item func(T) (I, error)) (any, error) {
	p, err := tokenPage(st, r, len(matches), 20, 1, 100)
	if err != nil {
		return nil, err
	}
	items := []I{}
	for _, m := range pageOf(matches, p) {
		it, err := item(m)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return body, sdkFill(body, map[string]any{key: items, "MaxResults": p.maxResults, "NextToken": p.next, "TotalCount": p.total})
}
