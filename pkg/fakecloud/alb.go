package fakecloud

// ALB (API version 2020-06-16): server groups, backend servers, listeners,
// async jobs and tags, answering the real SDK (alb-20200616/v2 v2.3.2).
// Instances (ALBs) come only from the seed. Responses are built from the
// SDK's own ...ResponseBody structs so field names cannot drift.
//
// Time: every write finishes after Request.AsyncDuration. Until then the
// object shows its transitional status (server group Creating/Configuring/
// Deleting, backend server Adding/Configuring/Removing/Replacing, listener
// Provisioning/Configuring/Deleting, ALB Configuring while a listener
// operation runs) and its job is Processing; afterwards Succeeded. Jobs never
// fail.
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
//     JobIds are UUID-like). Seeded ALBs get two synthetic zones
//     (<region>-h, <region>-i) with vSwitches vsw-<alb>-1/-2, no addresses.
//   - Not modelled (parameters are ignored): UchConfig, ServiceName,
//     XForwardedForConfig, QuicConfig, LogConfig, ACLs, rules, quotas,
//     Basic-edition restrictions, failed jobs.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
)

// registerALB adds the ALB actions. Every handler first settles the ALB state
// at the request clock (finished deletions disappear).
func registerALB(reg registry) {
	add := func(name string, write bool, fn func(st *State, r *Request) (any, error)) {
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
	// Asynchronous writes.
	add("CreateServerGroup", true, albCreateServerGroup)
	add("UpdateServerGroupAttribute", true, albUpdateServerGroupAttribute)
	add("DeleteServerGroup", true, albDeleteServerGroup)
	add("AddServersToServerGroup", true, albAddServersToServerGroup)
	add("RemoveServersFromServerGroup", true, albRemoveServersFromServerGroup)
	add("UpdateServerGroupServersAttribute", true, albUpdateServerGroupServersAttribute)
	add("ReplaceServersInServerGroup", true, albReplaceServersInServerGroup)
	add("CreateListener", true, albCreateListener)
	add("UpdateListenerAttribute", true, albUpdateListenerAttribute)
	add("DeleteListener", true, albDeleteListener)
	add("StartListener", true, albStartListener)
	add("StopListener", true, albStopListener)
	// Synchronous writes.
	add("TagResources", true, albTagResources)
	add("UnTagResources", true, albUnTagResources)
}

// ---------------------------------------------------------------------------
// Errors

func albNotFound(kind, id string) *APIError {
	return Errorf(http.StatusNotFound, "ResourceNotFound."+kind, "The specified resource %s of %s is not found.", id, kind)
}

func albIncorrectStatus(kind, id, status string) *APIError {
	return Errorf(http.StatusBadRequest, "IncorrectStatus."+kind, "The status of %s [%s] is incorrect (%s).", kind, id, status)
}

func albDryRun() *APIError {
	return Errorf(http.StatusBadRequest, "DryRunOperation", "Request validation has been passed with DryRun flag set.")
}

// ---------------------------------------------------------------------------
// Async writes: ClientToken, DryRun, jobs

// albResult is what an async write answers besides RequestId.
type albResult struct {
	JobID      string
	ResourceID string
}

// albWrite is a validated asynchronous write: the resource its job reports
// (type servergroup or listener; the ID is "" for a create, whose apply
// makes it) and the operation (Create, Update, Delete); apply changes the
// world and returns the resource's ID.
type albWrite struct {
	resourceType, resourceID, operate string
	apply                             func() string
}

// albAsync runs an asynchronous write: ClientToken replay and DryRun around
// prepare, which validates the request against the world and returns the
// write; then the write is applied and its job recorded. A create answers
// the new resource's ID besides the JobId.
func albAsync(st *State, r *Request, prepare func() (albWrite, error)) (albResult, error) {
	token, hasToken := r.Str("ClientToken")
	if hasToken {
		if len(token) > 64 || !albASCII(token) {
			return albResult{}, InvalidParameter("ClientToken", token, "at most 64 ASCII characters")
		}
	}
	dry, _, err := r.Bool("DryRun")
	if err != nil {
		return albResult{}, err
	}
	hash := albParamsHash(r)
	if token != "" && !dry {
		if prev := st.ALB.clientToken(token); prev != nil {
			if prev.ParamsHash != hash {
				return albResult{}, Errorf(http.StatusBadRequest, "IdempotenceSignatureMismatch",
					"The idempotence token of request is same with the prev one, but the signature is different.")
			}
			if r.Now.Before(prev.DoneAt) {
				return albResult{}, Errorf(http.StatusBadRequest, "IdempotenceProcessing",
					"The request with the same client token %s is still being processed.", token)
			}
			return albResult{JobID: prev.JobID, ResourceID: prev.ResourceID}, nil
		}
	}
	w, err := prepare()
	if err != nil {
		return albResult{}, err
	}
	if dry {
		return albResult{}, albDryRun()
	}
	id := w.apply()
	job := albNewJob(st, r, w.resourceType, id, w.operate)
	res := albResult{JobID: job.ID}
	if w.operate == "Create" {
		res.ResourceID = id
	}
	if token != "" {
		st.ALB.ClientTokens = append(st.ALB.ClientTokens, &ALBClientToken{
			Token: token, Action: r.Action, ParamsHash: hash,
			JobID: res.JobID, ResourceID: res.ResourceID, DoneAt: job.DoneAt,
		})
	}
	return res, nil
}

// albParamsHash fingerprints a request's action and parameters, ClientToken
// and DryRun aside.
func albParamsHash(r *Request) string {
	keys := make([]string, 0, len(r.Params))
	for k := range r.Params {
		if k == "ClientToken" || k == "DryRun" {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", r.Action)
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%q\n", k, r.Params[k])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// albNewJob records a job for the current request.
func albNewJob(st *State, r *Request, resourceType, resourceID, operate string) *ALBJob {
	j := &ALBJob{
		ID:           fmt.Sprintf("job-fake%04d", st.NextSeq()),
		APIName:      r.Action,
		ResourceType: resourceType,
		ResourceID:   resourceID,
		OperateType:  operate,
		CreateTime:   r.Now,
		DoneAt:       r.Now.Add(r.AsyncDuration),
	}
	st.ALB.Jobs = append(st.ALB.Jobs, j)
	return j
}

func albJobStatus(j *ALBJob, now time.Time) string {
	if now.Before(j.DoneAt) {
		return "Processing"
	}
	return "Succeeded"
}

// ---------------------------------------------------------------------------
// Parameter helpers

func albASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] > 0x7e || s[i] < 0x20 {
			return false
		}
	}
	return true
}

// albMapInt reads an integer field of a struct-list entry.
func albMapInt(m map[string]string, field, full string, lo, hi int) (int, bool, error) {
	v, ok := m[field]
	if !ok || v == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, true, InvalidParameter(full, v, "an integer")
	}
	if n < lo || n > hi {
		return 0, true, InvalidParameter(full, v, fmt.Sprintf("an integer from %d to %d", lo, hi))
	}
	return n, true, nil
}

var (
	albServerGroupNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{1,127}$`)
	albListenerDescRE    = regexp.MustCompile(`^[A-Za-z0-9._/-]{2,256}$`)
	albHealthPathRE      = regexp.MustCompile(`^/[A-Za-z0-9\-/.%?#&=_;~!()*\[\]@$^:",+]{0,79}$`)
	albHealthHostRE      = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-zA-Z]+$`)
	albGRPCCodeRE        = regexp.MustCompile(`^[0-9]{1,2}(-[0-9]{1,2})?$`)
)

func albCheckServerGroupName(name string) error {
	if !albServerGroupNameRE.MatchString(name) {
		return InvalidParameter("ServerGroupName", name, "2 to 128 letters, digits, '.', '_' or '-', starting with a letter")
	}
	return nil
}

func albCheckDescription(field, d string) error {
	n := utf8.RuneCountInString(d)
	l := strings.ToLower(d)
	if n < 2 || n > 256 || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
		return InvalidParameter(field, d, "2 to 256 characters, not starting with http:// or https://")
	}
	return nil
}

// ---------------------------------------------------------------------------
// Tags

// albNewTags reads the Tag.N of a create call.
func albNewTags(r *Request) ([]Tag, error) {
	f, err := tagParams(r, 20, 128)
	return tagsOf(f), err
}

// albTags converts tags into an SDK response's Tags list (never nil).
func albTags[T any](tags []Tag, tag func(key, value *string) *T) []*T {
	out := []*T{}
	for _, t := range tags {
		out = append(out, tag(tea.String(t.Key), tea.String(t.Value)))
	}
	return out
}

func albFmtTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// ---------------------------------------------------------------------------
// Load balancers

func albGetLoadBalancerAttribute(st *State, r *Request) (any, error) {
	id, err := r.Required("LoadBalancerId")
	if err != nil {
		return nil, err
	}
	lb := st.ALB.loadBalancer(id)
	if lb == nil {
		return nil, albNotFound("LoadBalancer", id)
	}
	body := &alb.GetLoadBalancerAttributeResponseBody{
		LoadBalancerId:              tea.String(lb.ID),
		LoadBalancerName:            tea.String(lb.Name),
		DNSName:                     tea.String(lb.DNSName),
		AddressType:                 tea.String(lb.AddressType),
		AddressIpVersion:            tea.String(lb.AddressIPVersion),
		AddressAllocatedMode:        tea.String("Dynamic"),
		LoadBalancerStatus:          tea.String(lb.status(r.Now)),
		LoadBalancerBussinessStatus: tea.String("Normal"),
		LoadBalancerEdition:         tea.String(lb.Edition),
		LoadBalancerBillingConfig:   &alb.GetLoadBalancerAttributeResponseBodyLoadBalancerBillingConfig{PayType: tea.String("PostPay")},
		VpcId:                       tea.String(lb.VpcID),
		RegionId:                    tea.String(st.Region),
		ResourceGroupId:             tea.String(lb.ResourceGroupID),
		CreateTime:                  tea.String(albFmtTime(lb.CreateTime)),
		DeletionProtectionConfig:    &alb.GetLoadBalancerAttributeResponseBodyDeletionProtectionConfig{Enabled: tea.Bool(false)},
		ModificationProtectionConfig: &alb.GetLoadBalancerAttributeResponseBodyModificationProtectionConfig{
			Status: tea.String("NonProtection"),
		},
		LoadBalancerOperationLocks: []*alb.GetLoadBalancerAttributeResponseBodyLoadBalancerOperationLocks{},
		Tags: albTags(lb.Tags, func(k, v *string) *alb.GetLoadBalancerAttributeResponseBodyTags {
			return &alb.GetLoadBalancerAttributeResponseBodyTags{Key: k, Value: v}
		}),
		ZoneMappings: []*alb.GetLoadBalancerAttributeResponseBodyZoneMappings{},
	}
	for i, z := range lb.Zones {
		body.ZoneMappings = append(body.ZoneMappings, &alb.GetLoadBalancerAttributeResponseBodyZoneMappings{
			ZoneId:    tea.String(z),
			VSwitchId: tea.String(fmt.Sprintf("vsw-%s-%d", lb.ID, i+1)),
			Status:    tea.String("Active"),
		})
	}
	return body, nil
}

func albListLoadBalancers(st *State, r *Request) (any, error) {
	ids, err := r.ListMax("LoadBalancerIds", 20, "values")
	if err != nil {
		return nil, err
	}
	names, err := r.ListMax("LoadBalancerNames", 10, "values")
	if err != nil {
		return nil, err
	}
	vpcs, err := r.ListMax("VpcIds", 10, "values")
	if err != nil {
		return nil, err
	}
	tags, err := tagParams(r, 20, 64)
	if err != nil {
		return nil, err
	}
	addrType, err := r.Enum("AddressType", "", "Internet", "Intranet")
	if err != nil {
		return nil, err
	}
	status, err := r.Enum("LoadBalancerStatus", "", "Inactive", "Active", "Provisioning", "Configuring", "CreateFailed")
	if err != nil {
		return nil, err
	}
	bizStatus, err := r.Enum("LoadBalancerBussinessStatus", "", "Normal", "Abnormal")
	if err != nil {
		return nil, err
	}
	ipVersion, err := r.Enum("AddressIpVersion", "", "IPv4", "DualStack")
	if err != nil {
		return nil, err
	}
	payType, err := r.Enum("PayType", "", "PostPay")
	if err != nil {
		return nil, err
	}
	dns, zone, rg := r.Get("DNSName"), r.Get("ZoneId"), r.Get("ResourceGroupId")
	var match []*ALBLoadBalancer
	for _, lb := range st.ALB.LoadBalancers {
		switch {
		case len(ids) > 0 && !contains(ids, lb.ID),
			len(names) > 0 && !contains(names, lb.Name),
			len(vpcs) > 0 && !contains(vpcs, lb.VpcID),
			addrType != "" && addrType != lb.AddressType,
			status != "" && status != lb.status(r.Now),
			bizStatus != "" && bizStatus != "Normal",
			ipVersion != "" && ipVersion != lb.AddressIPVersion,
			payType != "" && payType != "PostPay",
			dns != "" && dns != lb.DNSName,
			zone != "" && !contains(lb.Zones, zone),
			rg != "" && rg != lb.ResourceGroupID,
			!tagsMatch(lb.Tags, tags):
			continue
		}
		match = append(match, lb)
	}
	p, err := tokenPage(r, len(match), 20, 1, 100)
	if err != nil {
		return nil, err
	}
	body := &alb.ListLoadBalancersResponseBody{
		LoadBalancers: []*alb.ListLoadBalancersResponseBodyLoadBalancers{},
		MaxResults:    tea.Int32(int32(p.maxResults)),
		NextToken:     tea.String(p.next),
		TotalCount:    tea.Int32(int32(len(match))),
	}
	for _, lb := range pageOf(match, p) {
		item := &alb.ListLoadBalancersResponseBodyLoadBalancers{
			LoadBalancerId:              tea.String(lb.ID),
			LoadBalancerName:            tea.String(lb.Name),
			DNSName:                     tea.String(lb.DNSName),
			AddressType:                 tea.String(lb.AddressType),
			AddressIpVersion:            tea.String(lb.AddressIPVersion),
			AddressAllocatedMode:        tea.String("Dynamic"),
			LoadBalancerStatus:          tea.String(lb.status(r.Now)),
			LoadBalancerBussinessStatus: tea.String("Normal"),
			LoadBalancerEdition:         tea.String(lb.Edition),
			LoadBalancerBillingConfig:   &alb.ListLoadBalancersResponseBodyLoadBalancersLoadBalancerBillingConfig{PayType: tea.String("PostPay")},
			VpcId:                       tea.String(lb.VpcID),
			ResourceGroupId:             tea.String(lb.ResourceGroupID),
			CreateTime:                  tea.String(albFmtTime(lb.CreateTime)),
			DeletionProtectionConfig:    &alb.ListLoadBalancersResponseBodyLoadBalancersDeletionProtectionConfig{Enabled: tea.Bool(false)},
			ModificationProtectionConfig: &alb.ListLoadBalancersResponseBodyLoadBalancersModificationProtectionConfig{
				Status: tea.String("NonProtection"),
			},
			LoadBalancerOperationLocks: []*alb.ListLoadBalancersResponseBodyLoadBalancersLoadBalancerOperationLocks{},
			Tags: albTags(lb.Tags, func(k, v *string) *alb.ListLoadBalancersResponseBodyLoadBalancersTags {
				return &alb.ListLoadBalancersResponseBodyLoadBalancersTags{Key: k, Value: v}
			}),
		}
		body.LoadBalancers = append(body.LoadBalancers, item)
	}
	return body, nil
}

// ---------------------------------------------------------------------------
// Server groups

// albDefaultHealthCheck is a new group's health check before the request's fields apply.
func albDefaultHealthCheck() ALBHealthCheck {
	return ALBHealthCheck{
		Protocol: "HTTP", Path: "/", Method: "HEAD", HTTPVersion: "HTTP1.1",
		Codes: []string{"http_2xx"}, Interval: 2, Timeout: 5, Healthy: 3, Unhealthy: 3,
	}
}

// albParseHealthCheck overlays HealthCheckConfig.* onto hc. On create the
// struct and HealthCheckEnabled are required.
func albParseHealthCheck(r *Request, hc ALBHealthCheck, create bool) (ALBHealthCheck, error) {
	const p = "HealthCheckConfig."
	sub := r.Sub("HealthCheckConfig")
	if len(sub) == 0 {
		if create {
			return hc, MissingParameter("HealthCheckConfig")
		}
		return hc, nil
	}
	enabled, ok, err := r.Bool(p + "HealthCheckEnabled")
	if err != nil {
		return hc, err
	}
	if !ok {
		if create {
			return hc, MissingParameter(p + "HealthCheckEnabled")
		}
	} else {
		hc.Enabled = enabled
	}
	protoChanged := false
	if v, ok := r.Str(p + "HealthCheckProtocol"); ok {
		if v, err = r.Enum(p+"HealthCheckProtocol", "", "HTTP", "HTTPS", "TCP", "gRPC"); err != nil {
			return hc, err
		}
		protoChanged = v != hc.Protocol
		hc.Protocol = v
	}
	if hc.ConnectPort, err = r.IntRange(p+"HealthCheckConnectPort", 0, 65535, hc.ConnectPort); err != nil {
		return hc, err
	}
	if v, ok := r.Str(p + "HealthCheckPath"); ok {
		if !albHealthPathRE.MatchString(v) {
			return hc, InvalidParameter(p+"HealthCheckPath", v, "1 to 80 characters starting with /")
		}
		hc.Path = v
	}
	defMethod := hc.Method
	if protoChanged && hc.Protocol == "gRPC" {
		defMethod = "POST"
	}
	if hc.Method, err = r.Enum(p+"HealthCheckMethod", defMethod, "GET", "POST", "HEAD"); err != nil {
		return hc, err
	}
	if hc.Protocol == "gRPC" && hc.Method == "HEAD" {
		return hc, InvalidParameter(p+"HealthCheckMethod", hc.Method, "GET or POST for gRPC health checks")
	}
	if hc.HTTPVersion, err = r.Enum(p+"HealthCheckHttpVersion", hc.HTTPVersion, "HTTP1.0", "HTTP1.1"); err != nil {
		return hc, err
	}
	if v, ok := r.Str(p + "HealthCheckHost"); ok {
		if len(v) > 80 || !albHealthHostRE.MatchString(v) {
			return hc, InvalidParameter(p+"HealthCheckHost", v, "a domain name of 1 to 80 characters")
		}
		hc.Host = v
	}
	codes := r.List(p + "HealthCheckCodes")
	if len(codes) > 0 {
		hc.Codes = codes
	} else if protoChanged {
		if hc.Protocol == "gRPC" {
			hc.Codes = []string{"0"}
		} else {
			hc.Codes = []string{"http_2xx"}
		}
	}
	for _, c := range hc.Codes {
		switch hc.Protocol {
		case "HTTP", "HTTPS":
			if c != "http_2xx" && c != "http_3xx" && c != "http_4xx" && c != "http_5xx" {
				return hc, InvalidParameter(p+"HealthCheckCodes", c, "http_2xx, http_3xx, http_4xx or http_5xx")
			}
		case "gRPC":
			if !albGRPCCodeRE.MatchString(c) {
				return hc, InvalidParameter(p+"HealthCheckCodes", c, "a gRPC status code or range from 0 to 99")
			}
		}
	}
	if hc.Interval, err = r.IntRange(p+"HealthCheckInterval", 1, 50, hc.Interval); err != nil {
		return hc, err
	}
	if hc.Timeout, err = r.IntRange(p+"HealthCheckTimeout", 1, 300, hc.Timeout); err != nil {
		return hc, err
	}
	if hc.Healthy, err = r.IntRange(p+"HealthyThreshold", 2, 10, hc.Healthy); err != nil {
		return hc, err
	}
	if hc.Unhealthy, err = r.IntRange(p+"UnhealthyThreshold", 2, 10, hc.Unhealthy); err != nil {
		return hc, err
	}
	return hc, nil
}

// albParseStickySession overlays StickySessionConfig.* onto ss.
func albParseStickySession(r *Request, ss ALBStickySession) (ALBStickySession, error) {
	const p = "StickySessionConfig."
	if len(r.Sub("StickySessionConfig")) == 0 {
		return ss, nil
	}
	enabled, ok, err := r.Bool(p + "StickySessionEnabled")
	if err != nil {
		return ss, err
	}
	if ok {
		ss.Enabled = enabled
	}
	if ss.Type == "" {
		ss.Type = "Insert"
	}
	if ss.Type, err = r.Enum(p+"StickySessionType", ss.Type, "Insert", "Server"); err != nil {
		return ss, err
	}
	if ss.CookieTimeout == 0 {
		ss.CookieTimeout = 1000
	}
	if ss.CookieTimeout, err = r.IntRange(p+"CookieTimeout", 1, 86400, ss.CookieTimeout); err != nil {
		return ss, err
	}
	if v, ok := r.Str(p + "Cookie"); ok {
		if len(v) < 1 || len(v) > 200 || !albASCII(v) || strings.ContainsAny(v, " ,;") || strings.HasPrefix(v, "$") {
			return ss, InvalidParameter(p+"Cookie", v, "1 to 200 ASCII characters without space, ',' or ';', not starting with $")
		}
		ss.Cookie = v
	}
	if ss.Enabled && ss.Type == "Server" && ss.Cookie == "" {
		return ss, MissingParameter(p + "Cookie")
	}
	return ss, nil
}

// albParseGroupOptions reads the options CreateServerGroup and
// UpdateServerGroupAttribute share, overlaying them onto g.
func albParseGroupOptions(r *Request, g *ALBServerGroup, create bool) error {
	var err error
	if g.Scheduler, err = r.Enum("Scheduler", g.Scheduler, "Wrr", "Wlc", "Sch"); err != nil {
		return err
	}
	if g.HealthCheck, err = albParseHealthCheck(r, g.HealthCheck, create); err != nil {
		return err
	}
	if g.StickySession, err = albParseStickySession(r, g.StickySession); err != nil {
		return err
	}
	if err := r.OptBool("ConnectionDrainConfig.ConnectionDrainEnabled", &g.ConnectionDrainEnabled); err != nil {
		return err
	}
	if g.ConnectionDrainTimeout, err = r.IntRange("ConnectionDrainConfig.ConnectionDrainTimeout", 0, 900, g.ConnectionDrainTimeout); err != nil {
		return err
	}
	if err := r.OptBool("SlowStartConfig.SlowStartEnabled", &g.SlowStartEnabled); err != nil {
		return err
	}
	if g.SlowStartDuration, err = r.IntRange("SlowStartConfig.SlowStartDuration", 30, 900, g.SlowStartDuration); err != nil {
		return err
	}
	if g.SlowStartEnabled && g.Scheduler != "Wrr" {
		return InvalidParameter("SlowStartConfig.SlowStartEnabled", "true", "slow start only with the Wrr scheduler")
	}
	if err := r.OptBool("CrossZoneEnabled", &g.CrossZoneEnabled); err != nil {
		return err
	}
	if !g.CrossZoneEnabled && g.StickySession.Enabled {
		return InvalidParameter("StickySessionConfig.StickySessionEnabled", "true", "session persistence only with cross-zone load balancing enabled")
	}
	if err := r.OptBool("UpstreamKeepaliveEnabled", &g.UpstreamKeepaliveEnabled); err != nil {
		return err
	}
	return nil
}

func albCreateServerGroup(st *State, r *Request) (any, error) {
	res, err := albAsync(st, r, func() (albWrite, error) {
		g, err := albNewServerGroup(st, r)
		if err != nil {
			return albWrite{}, err
		}
		return albWrite{resourceType: "servergroup", operate: "Create", apply: func() string {
			g.ID = fmt.Sprintf("sgp-fake%04d", st.NextSeq())
			g.CreateTime = r.Now
			g.start("Creating", r.Now, r.AsyncDuration)
			st.ALB.ServerGroups = append(st.ALB.ServerGroups, g)
			return g.ID
		}}, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.CreateServerGroupResponseBody{JobId: tea.String(res.JobID), ServerGroupId: tea.String(res.ResourceID)}, nil
}

// albNewServerGroup reads a CreateServerGroup request.
func albNewServerGroup(st *State, r *Request) (*ALBServerGroup, error) {
	name, err := r.Required("ServerGroupName")
	if err != nil {
		return nil, err
	}
	if err := albCheckServerGroupName(name); err != nil {
		return nil, err
	}
	g := &ALBServerGroup{
		Name:                   name,
		HealthCheck:            albDefaultHealthCheck(),
		Scheduler:              "Wrr",
		ConnectionDrainTimeout: 300,
		SlowStartDuration:      30,
		CrossZoneEnabled:       true,
		ResourceGroupID:        "rg-fake",
	}
	if v, ok := r.Str("ServerGroupType"); ok && v == "Fc" {
		return nil, InvalidParameter("ServerGroupType", v, "Instance or Ip (Fc is not modelled by the fake cloud)")
	}
	if g.Type, err = r.Enum("ServerGroupType", "Instance", "Instance", "Ip"); err != nil {
		return nil, err
	}
	if g.Protocol, err = r.Enum("Protocol", "HTTP", "HTTP", "HTTPS", "gRPC"); err != nil {
		return nil, err
	}
	if err := albParseGroupOptions(r, g, true); err != nil {
		return nil, err
	}
	if err := r.OptBool("Ipv6Enabled", &g.Ipv6Enabled); err != nil {
		return nil, err
	}
	if v := r.Get("ResourceGroupId"); v != "" {
		g.ResourceGroupID = v
	}
	if g.Tags, err = albNewTags(r); err != nil {
		return nil, err
	}
	if g.VpcID, err = r.Required("VpcId"); err != nil {
		return nil, err
	}
	if !contains(st.ECS.VPCs, g.VpcID) {
		return nil, albNotFound("Vpc", g.VpcID)
	}
	return g, nil
}

// albWritableGroup returns the group a write targets, or why it cannot be written now.
func albWritableGroup(st *State, r *Request) (*ALBServerGroup, error) {
	id, err := r.Required("ServerGroupId")
	if err != nil {
		return nil, err
	}
	g := st.ALB.serverGroup(id)
	if g == nil {
		return nil, albNotFound("ServerGroup", id)
	}
	if g.busy(r.Now) {
		return nil, albIncorrectStatus("ServerGroup", id, g.Transit)
	}
	return g, nil
}

// albGroupWrite is the shape of every write on an existing server group: the
// group must be idle; check validates the request against it and returns the
// change, after which the group shows transit until its job ends.
func albGroupWrite(st *State, r *Request, transit, operate string, check func(g *ALBServerGroup) (func(), error)) (albResult, error) {
	return albAsync(st, r, func() (albWrite, error) {
		g, err := albWritableGroup(st, r)
		if err != nil {
			return albWrite{}, err
		}
		change, err := check(g)
		if err != nil {
			return albWrite{}, err
		}
		return albWrite{resourceType: "servergroup", resourceID: g.ID, operate: operate, apply: func() string {
			change()
			g.start(transit, r.Now, r.AsyncDuration)
			return g.ID
		}}, nil
	})
}

func albUpdateServerGroupAttribute(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Configuring", "Update", func(g *ALBServerGroup) (func(), error) {
		upd := *g
		if v, ok := r.Str("ServerGroupName"); ok {
			if err := albCheckServerGroupName(v); err != nil {
				return nil, err
			}
			upd.Name = v
		}
		if err := albParseGroupOptions(r, &upd, false); err != nil {
			return nil, err
		}
		return func() { *g = upd }, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.UpdateServerGroupAttributeResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albDeleteServerGroup(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Deleting", "Delete", func(g *ALBServerGroup) (func(), error) {
		if users := st.ALB.listenersUsing(g.ID); len(users) > 0 {
			return nil, Errorf(http.StatusBadRequest, "ResourceInUse.ServerGroup",
				"The specified resource %s of ServerGroup is in use by listener %s.", g.ID, users[0].ID)
		}
		return func() { g.Deleted = true }, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.DeleteServerGroupResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albListServerGroups(st *State, r *Request) (any, error) {
	ids, err := r.ListMax("ServerGroupIds", 10, "values")
	if err != nil {
		return nil, err
	}
	names, err := r.ListMax("ServerGroupNames", 10, "values")
	if err != nil {
		return nil, err
	}
	tags, err := tagParams(r, 10, 64)
	if err != nil {
		return nil, err
	}
	typ, err := r.Enum("ServerGroupType", "", "Instance", "Ip", "Fc")
	if err != nil {
		return nil, err
	}
	vpc, rg := r.Get("VpcId"), r.Get("ResourceGroupId")
	var match []*ALBServerGroup
	for _, g := range st.ALB.ServerGroups {
		switch {
		case len(ids) > 0 && !contains(ids, g.ID),
			len(names) > 0 && !contains(names, g.Name),
			typ != "" && typ != g.Type,
			vpc != "" && vpc != g.VpcID,
			rg != "" && rg != g.ResourceGroupID,
			!tagsMatch(g.Tags, tags):
			continue
		}
		match = append(match, g)
	}
	p, err := tokenPage(r, len(match), 20, 1, 100)
	if err != nil {
		return nil, err
	}
	body := &alb.ListServerGroupsResponseBody{
		ServerGroups: []*alb.ListServerGroupsResponseBodyServerGroups{},
		MaxResults:   tea.Int32(int32(p.maxResults)),
		NextToken:    tea.String(p.next),
		TotalCount:   tea.Int32(int32(len(match))),
	}
	for _, g := range pageOf(match, p) {
		body.ServerGroups = append(body.ServerGroups, albServerGroupItem(st, g, r.Now))
	}
	return body, nil
}

func albServerGroupItem(st *State, g *ALBServerGroup, now time.Time) *alb.ListServerGroupsResponseBodyServerGroups {
	hc := g.HealthCheck
	item := &alb.ListServerGroupsResponseBodyServerGroups{
		ServerGroupId:     tea.String(g.ID),
		ServerGroupName:   tea.String(g.Name),
		ServerGroupStatus: tea.String(g.visible(now, "Available")),
		ServerGroupType:   tea.String(g.Type),
		Protocol:          tea.String(g.Protocol),
		Scheduler:         tea.String(g.Scheduler),
		VpcId:             tea.String(g.VpcID),
		ResourceGroupId:   tea.String(g.ResourceGroupID),
		CreateTime:        tea.String(albFmtTime(g.CreateTime)),
		ServerCount:       tea.Int32(int32(len(g.Servers))),
		HealthCheckConfig: &alb.ListServerGroupsResponseBodyServerGroupsHealthCheckConfig{
			HealthCheckEnabled:     tea.Bool(hc.Enabled),
			HealthCheckProtocol:    tea.String(hc.Protocol),
			HealthCheckConnectPort: tea.Int32(int32(hc.ConnectPort)),
			HealthCheckPath:        tea.String(hc.Path),
			HealthCheckMethod:      tea.String(hc.Method),
			HealthCheckHttpVersion: tea.String(hc.HTTPVersion),
			HealthCheckCodes:       tea.StringSlice(hc.Codes),
			HealthCheckInterval:    tea.Int32(int32(hc.Interval)),
			HealthCheckTimeout:     tea.Int32(int32(hc.Timeout)),
			HealthyThreshold:       tea.Int32(int32(hc.Healthy)),
			UnhealthyThreshold:     tea.Int32(int32(hc.Unhealthy)),
		},
		StickySessionConfig: &alb.ListServerGroupsResponseBodyServerGroupsStickySessionConfig{
			StickySessionEnabled: tea.Bool(g.StickySession.Enabled),
		},
		ConnectionDrainConfig: &alb.ListServerGroupsResponseBodyServerGroupsConnectionDrainConfig{
			ConnectionDrainEnabled: tea.Bool(g.ConnectionDrainEnabled),
			ConnectionDrainTimeout: tea.Int32(int32(g.ConnectionDrainTimeout)),
		},
		SlowStartConfig: &alb.ListServerGroupsResponseBodyServerGroupsSlowStartConfig{
			SlowStartEnabled:  tea.Bool(g.SlowStartEnabled),
			SlowStartDuration: tea.Int32(int32(g.SlowStartDuration)),
		},
		CrossZoneEnabled:         tea.Bool(g.CrossZoneEnabled),
		UpstreamKeepaliveEnabled: tea.Bool(g.UpstreamKeepaliveEnabled),
		Ipv6Enabled:              tea.Bool(g.Ipv6Enabled),
		RelatedLoadBalancerIds:   []*string{},
		Tags: albTags(g.Tags, func(k, v *string) *alb.ListServerGroupsResponseBodyServerGroupsTags {
			return &alb.ListServerGroupsResponseBodyServerGroupsTags{Key: k, Value: v}
		}),
	}
	if hc.Host != "" {
		item.HealthCheckConfig.HealthCheckHost = tea.String(hc.Host)
	}
	if ss := g.StickySession; ss.Enabled {
		item.StickySessionConfig.StickySessionType = tea.String(ss.Type)
		if ss.Type == "Insert" {
			item.StickySessionConfig.CookieTimeout = tea.Int32(int32(ss.CookieTimeout))
		} else {
			item.StickySessionConfig.Cookie = tea.String(ss.Cookie)
		}
	}
	var lbs []string
	for _, l := range st.ALB.listenersUsing(g.ID) {
		if !contains(lbs, l.LoadBalancerID) {
			lbs = append(lbs, l.LoadBalancerID)
		}
	}
	item.RelatedLoadBalancerIds = tea.StringSlice(lbs)
	return item
}

// ---------------------------------------------------------------------------
// Backend servers

// albServerSpec is one entry of Servers.N / AddedServers.N / RemovedServers.N.
type albServerSpec struct {
	ServerType, ServerID, ServerIP string
	Port, Weight                   int
	HasWeight                      bool
	Description                    string
	HasDescription                 bool
	RemoteIPEnabled                bool
}

func (s albServerSpec) key() string { return s.ServerID + "/" + strconv.Itoa(s.Port) }

// albParseServers reads a list of servers. full: all attributes (add/update);
// otherwise only the identity (remove). It enforces the per-call maximum and
// rejects duplicates.
func albParseServers(r *Request, name string, max int, full bool) ([]albServerSpec, error) {
	entries := r.Structs(name)
	if len(entries) == 0 {
		return nil, MissingParameter(name)
	}
	if len(entries) > max {
		return nil, InvalidParameter(name, strconv.Itoa(len(entries))+" servers", fmt.Sprintf("at most %d servers per call", max))
	}
	seen := map[string]bool{}
	out := make([]albServerSpec, 0, len(entries))
	for i, m := range entries {
		p := fmt.Sprintf("%s.%d.", name, i+1)
		s := albServerSpec{ServerType: m["ServerType"], ServerID: m["ServerId"], ServerIP: m["ServerIp"]}
		if s.ServerType == "" {
			return nil, MissingParameter(p + "ServerType")
		}
		switch s.ServerType {
		case "Ecs", "Eni", "Eci", "Ip", "Fc":
		default:
			return nil, InvalidParameter(p+"ServerType", s.ServerType, "one of Ecs, Eni, Eci, Ip, Fc")
		}
		if s.ServerID == "" {
			return nil, MissingParameter(p + "ServerId")
		}
		port, ok, err := albMapInt(m, "Port", p+"Port", 1, 65535)
		if err != nil {
			return nil, err
		}
		if !ok && s.ServerType != "Fc" {
			return nil, MissingParameter(p + "Port")
		}
		s.Port = port
		if full {
			w, ok, err := albMapInt(m, "Weight", p+"Weight", 0, 100)
			if err != nil {
				return nil, err
			}
			s.Weight, s.HasWeight = w, ok
			if !ok {
				s.Weight = 100
			}
			if d, ok := m["Description"]; ok {
				if err := albCheckDescription(p+"Description", d); err != nil {
					return nil, err
				}
				s.Description, s.HasDescription = d, true
			}
			if v, ok := m["RemoteIpEnabled"]; ok {
				if v != "true" && v != "false" {
					return nil, InvalidParameter(p+"RemoteIpEnabled", v, "true or false")
				}
				s.RemoteIPEnabled = v == "true"
			}
		}
		if seen[s.key()] {
			return nil, Errorf(http.StatusBadRequest, "DuplicatedParam.Server",
				"The param of Server is duplicated: %s port %d.", s.ServerID, s.Port)
		}
		seen[s.key()] = true
		out = append(out, s)
	}
	return out, nil
}

// albCheckNewServer checks that a server may join the group, filling in ServerIp.
func albCheckNewServer(st *State, g *ALBServerGroup, s *albServerSpec) error {
	ok := false
	switch g.Type {
	case "Instance":
		ok = s.ServerType == "Ecs" || s.ServerType == "Eni" || s.ServerType == "Eci"
	case "Ip":
		ok = s.ServerType == "Ip"
	}
	if !ok {
		return Errorf(http.StatusBadRequest, "Mismatch.ServerType",
			"The ServerType is mismatched for %s and %s.", s.ServerType, g.Type)
	}
	switch s.ServerType {
	case "Ecs":
		inst, found := st.Instance(s.ServerID)
		if !found {
			return albNotFound("Ecs", s.ServerID)
		}
		if inst.VpcID != g.VpcID {
			return Errorf(http.StatusBadRequest, "Mismatch.VpcId",
				"The VpcId is mismatched for %s (%s) and %s (%s).", s.ServerID, inst.VpcID, g.ID, g.VpcID)
		}
		if s.ServerIP != "" && s.ServerIP != inst.PrivateIP {
			return InvalidParameter("ServerIp", s.ServerIP, "the private IP of "+s.ServerID)
		}
		s.ServerIP = inst.PrivateIP
	case "Eni":
		return albNotFound("Eni", s.ServerID)
	case "Eci":
		return albNotFound("Eci", s.ServerID)
	case "Ip":
		if net.ParseIP(s.ServerID) == nil {
			return InvalidParameter("ServerId", s.ServerID, "an IP address")
		}
		if s.ServerIP != "" && s.ServerIP != s.ServerID {
			return InvalidParameter("ServerIp", s.ServerIP, "the same address as ServerId")
		}
		s.ServerIP = s.ServerID
	}
	if g.server(s.ServerID, s.Port) != nil {
		return Errorf(http.StatusBadRequest, "ResourceAlreadyExist.BackendServer",
			"The backend server %s port %d already exists in %s.", s.ServerID, s.Port, g.ID)
	}
	return nil
}

// albExistingServers returns the group's servers matching specs, or 404 for
// the first that is not there.
func albExistingServers(g *ALBServerGroup, specs []albServerSpec) ([]*ALBServer, error) {
	var servers []*ALBServer
	for _, s := range specs {
		srv := g.server(s.ServerID, s.Port)
		if srv == nil || srv.ServerType != s.ServerType {
			return nil, Errorf(http.StatusNotFound, "ResourceNotFound.BackendServer",
				"The specified resource %s port %d of BackendServer is not found in %s.", s.ServerID, s.Port, g.ID)
		}
		servers = append(servers, srv)
	}
	return servers, nil
}

// albAddServers adds the servers of specs to g, each showing transit.
func albAddServers(g *ALBServerGroup, specs []albServerSpec, transit string, r *Request) {
	for _, s := range specs {
		srv := albNewServer(s)
		srv.start(transit, r.Now, r.AsyncDuration)
		g.Servers = append(g.Servers, srv)
	}
}

// albDropServers starts removing servers, each showing transit until gone.
func albDropServers(servers []*ALBServer, transit string, r *Request) {
	for _, srv := range servers {
		srv.start(transit, r.Now, r.AsyncDuration)
		srv.Deleted = true
	}
}

func albNewServer(s albServerSpec) *ALBServer {
	return &ALBServer{
		ServerID: s.ServerID, ServerIP: s.ServerIP, ServerType: s.ServerType, Port: s.Port,
		Weight: s.Weight, Description: s.Description, RemoteIPEnabled: s.RemoteIPEnabled,
	}
}

func albAddServersToServerGroup(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Configuring", "Update", func(g *ALBServerGroup) (func(), error) {
		specs, err := albParseServers(r, "Servers", 200, true)
		if err != nil {
			return nil, err
		}
		for i := range specs {
			if err := albCheckNewServer(st, g, &specs[i]); err != nil {
				return nil, err
			}
		}
		return func() { albAddServers(g, specs, "Adding", r) }, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.AddServersToServerGroupResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albRemoveServersFromServerGroup(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Configuring", "Update", func(g *ALBServerGroup) (func(), error) {
		specs, err := albParseServers(r, "Servers", 200, false)
		if err != nil {
			return nil, err
		}
		servers, err := albExistingServers(g, specs)
		if err != nil {
			return nil, err
		}
		return func() { albDropServers(servers, "Removing", r) }, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.RemoveServersFromServerGroupResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albUpdateServerGroupServersAttribute(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Configuring", "Update", func(g *ALBServerGroup) (func(), error) {
		specs, err := albParseServers(r, "Servers", 40, true)
		if err != nil {
			return nil, err
		}
		servers, err := albExistingServers(g, specs)
		if err != nil {
			return nil, err
		}
		return func() {
			for i, srv := range servers {
				if specs[i].HasWeight {
					srv.Weight = specs[i].Weight
				}
				if specs[i].HasDescription {
					srv.Description = specs[i].Description
				}
				srv.start("Configuring", r.Now, r.AsyncDuration)
			}
		}, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.UpdateServerGroupServersAttributeResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albReplaceServersInServerGroup(st *State, r *Request) (any, error) {
	res, err := albGroupWrite(st, r, "Configuring", "Update", func(g *ALBServerGroup) (func(), error) {
		added, err := albParseServers(r, "AddedServers", 200, true)
		if err != nil {
			return nil, err
		}
		removed, err := albParseServers(r, "RemovedServers", 200, false)
		if err != nil {
			return nil, err
		}
		old, err := albExistingServers(g, removed)
		if err != nil {
			return nil, err
		}
		for i := range added {
			for _, s := range removed {
				if s.key() == added[i].key() {
					return nil, Errorf(http.StatusBadRequest, "DuplicatedParam.Server",
						"The param of Server is duplicated: %s port %d is both added and removed.", s.ServerID, s.Port)
				}
			}
			if err := albCheckNewServer(st, g, &added[i]); err != nil {
				return nil, err
			}
		}
		return func() {
			albDropServers(old, "Replacing", r)
			albAddServers(g, added, "Replacing", r)
		}, nil
	})
	if err != nil {
		return nil, err
	}
	return &alb.ReplaceServersInServerGroupResponseBody{JobId: tea.String(res.JobID)}, nil
}

func albListServerGroupServers(st *State, r *Request) (any, error) {
	id, err := r.Required("ServerGroupId")
	if err != nil {
		return nil, err
	}
	if _, err := r.IntRange("MaxResults", 1, 100, 20); err != nil {
		return nil, err
	}
	ids := r.List("ServerIds")
	tags, err := tagParams(r, 10, 64)
	if err != nil {
		return nil, err
	}
	g := st.ALB.serverGroup(id)
	if g == nil {
		return nil, albNotFound("ServerGroup", id)
	}
	var match []*ALBServer
	if tagsMatch(g.Tags, tags) {
		for _, s := range g.Servers {
			if len(ids) > 0 && !contains(ids, s.ServerID) {
				continue
			}
			match = append(match, s)
		}
	}
	p, err := tokenPage(r, len(match), 20, 1, 100)
	if err != nil {
		return nil, err
	}
	body := &alb.ListServerGroupServersResponseBody{
		Servers:    []*alb.ListServerGroupServersResponseBodyServers{},
		MaxResults: tea.Int32(int32(p.maxResults)),
		NextToken:  tea.String(p.next),
		TotalCount: tea.Int32(int32(len(match))),
	}
	for _, s := range pageOf(match, p) {
		item := &alb.ListServerGroupServersResponseBodyServers{
			ServerGroupId:   tea.String(g.ID),
			ServerId:        tea.String(s.ServerID),
			ServerIp:        tea.String(s.ServerIP),
			ServerType:      tea.String(s.ServerType),
			Port:            tea.Int32(int32(s.Port)),
			Weight:          tea.Int32(int32(s.Weight)),
			Status:          tea.String(s.visible(r.Now, "Available")),
			RemoteIpEnabled: tea.Bool(s.RemoteIPEnabled),
		}
		if s.Description != "" {
			item.Description = tea.String(s.Description)
		}
		body.Servers = append(body.Servers, item)
	}
	return body, nil
}

// ---------------------------------------------------------------------------
// Listeners

var albSystemSecurityPolicies = []string{
	"tls_cipher_policy_1_0", "tls_cipher_policy_1_1", "tls_cipher_policy_1_2",
	"tls_cipher_policy_1_2_strict", "tls_cipher_policy_1_2_strict_with_1_3",
}

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
		if !contains(albSystemSecurityPolicies, v) {
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
	if r.Now.Before(lb.BusyUntil) {
		return nil, nil, albIncorrectStatus("LoadBalancer", lb.ID, "Configuring")
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
	if r.Now.Before(lb.BusyUntil) {
		return nil, nil, albIncorrectStatus("LoadBalancer", lb.ID, "Configuring")
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
	if l == nil {
		return nil, albNotFound("Listener", id)
	}
	body := &alb.GetListenerAttributeResponseBody{
		ListenerId:       tea.String(l.ID),
		LoadBalancerId:   tea.String(l.LoadBalancerID),
		ListenerProtocol: tea.String(l.Protocol),
		ListenerPort:     tea.Int32(int32(l.Port)),
		ListenerStatus:   tea.String(l.visible(r.Now, l.Status)),
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
	return body, nil
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
			!tagsMatch(l.Tags, tags):
			continue
		}
		match = append(match, l)
	}
	p, err := tokenPage(r, len(match), 20, 1, 100)
	if err != nil {
		return nil, err
	}
	body := &alb.ListListenersResponseBody{
		Listeners:  []*alb.ListListenersResponseBodyListeners{},
		MaxResults: tea.Int32(int32(p.maxResults)),
		NextToken:  tea.String(p.next),
		TotalCount: tea.Int32(int32(len(match))),
	}
	for _, l := range pageOf(match, p) {
		item := &alb.ListListenersResponseBodyListeners{
			ListenerId:       tea.String(l.ID),
			LoadBalancerId:   tea.String(l.LoadBalancerID),
			ListenerProtocol: tea.String(l.Protocol),
			ListenerPort:     tea.Int32(int32(l.Port)),
			ListenerStatus:   tea.String(l.visible(r.Now, l.Status)),
			IdleTimeout:      tea.Int32(int32(l.IdleTimeout)),
			RequestTimeout:   tea.Int32(int32(l.RequestTimeout)),
			GzipEnabled:      tea.Bool(l.GzipEnabled),
			Http2Enabled:     tea.Bool(l.HTTP2Enabled),
			DefaultActions:   []*alb.ListListenersResponseBodyListenersDefaultActions{},
			Tags: albTags(l.Tags, func(k, v *string) *alb.ListListenersResponseBodyListenersTags {
				return &alb.ListListenersResponseBodyListenersTags{Key: k, Value: v}
			}),
		}
		if l.Description != "" {
			item.ListenerDescription = tea.String(l.Description)
		}
		if l.SecurityPolicyID != "" {
			item.SecurityPolicyId = tea.String(l.SecurityPolicyID)
		}
		fg := &alb.ListListenersResponseBodyListenersDefaultActionsForwardGroupConfig{}
		for _, id := range l.DefaultServerGroups {
			fg.ServerGroupTuples = append(fg.ServerGroupTuples,
				&alb.ListListenersResponseBodyListenersDefaultActionsForwardGroupConfigServerGroupTuples{ServerGroupId: tea.String(id)})
		}
		item.DefaultActions = append(item.DefaultActions, &alb.ListListenersResponseBodyListenersDefaultActions{
			Type: tea.String("ForwardGroup"), ForwardGroupConfig: fg,
		})
		body.Listeners = append(body.Listeners, item)
	}
	return body, nil
}

// albHealthEntry is one non-normal server in GetListenerHealthStatus.
type albHealthEntry struct {
	group  string
	server *ALBServer
	status string
	reason string
}

func albGetListenerHealthStatus(st *State, r *Request) (any, error) {
	id, err := r.Required("ListenerId")
	if err != nil {
		return nil, err
	}
	if _, _, err := r.Bool("IncludeRule"); err != nil {
		return nil, err
	}
	if _, err := r.IntRange("MaxResults", 1, 30, 20); err != nil {
		return nil, err
	}
	l := st.ALB.listener(id)
	if l == nil {
		return nil, albNotFound("Listener", id)
	}
	var entries []albHealthEntry
	var groups []*ALBServerGroup
	for _, gid := range l.DefaultServerGroups {
		g := st.ALB.serverGroup(gid)
		if g == nil {
			continue
		}
		groups = append(groups, g)
		for _, s := range g.Servers {
			if s.Deleted {
				continue // Removing / replaced away
			}
			e := albHealthEntry{group: g.ID, server: s}
			switch {
			case s.busy(r.Now) && s.Transit != "Configuring":
				e.status = "Initial"
			case s.Weight == 0:
				e.status = "Unused"
			case !g.HealthCheck.Enabled || s.ServerType != "Ecs":
				continue
			default:
				inst, ok := st.Instance(s.ServerID)
				switch {
				case !ok || inst.Status != "Running":
					e.status, e.reason = "Unhealthy", "CONNECT_TIMEOUT"
				case inst.Health == "unhealthy":
					e.status, e.reason = "Unhealthy", "CONNECT_FAILED"
				default:
					continue
				}
			}
			entries = append(entries, e)
		}
	}
	p, err := tokenPage(r, len(entries), 20, 1, 30)
	if err != nil {
		return nil, err
	}
	status := &alb.GetListenerHealthStatusResponseBodyListenerHealthStatus{
		ListenerId:       tea.String(l.ID),
		ListenerPort:     tea.Int32(int32(l.Port)),
		ListenerProtocol: tea.String(l.Protocol),
		ServerGroupInfos: []*alb.GetListenerHealthStatusResponseBodyListenerHealthStatusServerGroupInfos{},
	}
	for _, g := range groups {
		hc := "off"
		if g.HealthCheck.Enabled {
			hc = "on"
		}
		info := &alb.GetListenerHealthStatusResponseBodyListenerHealthStatusServerGroupInfos{
			ServerGroupId:      tea.String(g.ID),
			ActionType:         tea.String("ForwardGroup"),
			HealthCheckEnabled: tea.String(hc),
			NonNormalServers:   []*alb.GetListenerHealthStatusResponseBodyListenerHealthStatusServerGroupInfosNonNormalServers{},
		}
		for _, e := range pageOf(entries, p) {
			if e.group != g.ID {
				continue
			}
			nn := &alb.GetListenerHealthStatusResponseBodyListenerHealthStatusServerGroupInfosNonNormalServers{
				ServerId: tea.String(e.server.ServerID),
				ServerIp: tea.String(e.server.ServerIP),
				Port:     tea.Int32(int32(e.server.Port)),
				Status:   tea.String(e.status),
			}
			if e.reason != "" {
				nn.Reason = &alb.GetListenerHealthStatusResponseBodyListenerHealthStatusServerGroupInfosNonNormalServersReason{
					ReasonCode: tea.String(e.reason),
				}
			}
			info.NonNormalServers = append(info.NonNormalServers, nn)
		}
		status.ServerGroupInfos = append(status.ServerGroupInfos, info)
	}
	return &alb.GetListenerHealthStatusResponseBody{
		ListenerHealthStatus: []*alb.GetListenerHealthStatusResponseBodyListenerHealthStatus{status},
		RuleHealthStatus:     []*alb.GetListenerHealthStatusResponseBodyRuleHealthStatus{},
		NextToken:            tea.String(p.next),
	}, nil
}

// ---------------------------------------------------------------------------
// Jobs

func albListAsynJobs(st *State, r *Request) (any, error) {
	jobIDs := r.List("JobIds")
	resIDs := r.List("ResourceIds")
	rtype, err := r.Enum("ResourceType", "", "loadbalancer", "listener", "rule", "acl", "securitypolicy", "servergroup")
	if err != nil {
		return nil, err
	}
	api := r.Get("ApiName")
	var begin, end int64
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"BeginTime", &begin}, {"EndTime", &end}} {
		if v, ok := r.Str(p.name); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return nil, InvalidParameter(p.name, v, "a time in milliseconds since the epoch")
			}
			*p.dst = n
		}
	}
	var match []*ALBJob
	for _, j := range st.ALB.Jobs {
		ms := j.CreateTime.UnixMilli()
		switch {
		case len(jobIDs) > 0 && !contains(jobIDs, j.ID),
			len(resIDs) > 0 && !contains(resIDs, j.ResourceID),
			rtype != "" && rtype != j.ResourceType,
			api != "" && api != j.APIName,
			begin > 0 && ms < begin,
			end > 0 && ms > end:
			continue
		}
		match = append(match, j)
	}
	p, err := tokenPage(r, len(match), 20, 1, 100)
	if err != nil {
		return nil, err
	}
	body := &alb.ListAsynJobsResponseBody{
		Jobs:       []*alb.ListAsynJobsResponseBodyJobs{},
		MaxResults: tea.Int64(int64(p.maxResults)),
		NextToken:  tea.String(p.next),
		TotalCount: tea.Int64(int64(len(match))),
	}
	for _, j := range pageOf(match, p) {
		status := albJobStatus(j, r.Now)
		modify := j.CreateTime
		if status == "Succeeded" {
			modify = j.DoneAt
		}
		body.Jobs = append(body.Jobs, &alb.ListAsynJobsResponseBodyJobs{
			Id:           tea.String(j.ID),
			ApiName:      tea.String(j.APIName),
			Status:       tea.String(status),
			ResourceType: tea.String(j.ResourceType),
			ResourceId:   tea.String(j.ResourceID),
			OperateType:  tea.String(j.OperateType),
			CreateTime:   tea.Int64(j.CreateTime.UnixMilli()),
			ModifyTime:   tea.Int64(modify.UnixMilli()),
		})
	}
	return body, nil
}

// ---------------------------------------------------------------------------
// Tags

// albTaggable returns a pointer to the tags of the resource of that type, or 404.
func albTaggable(st *State, typ, id string) (*[]Tag, error) {
	switch typ {
	case "loadbalancer":
		if lb := st.ALB.loadBalancer(id); lb != nil {
			return &lb.Tags, nil
		}
		return nil, albNotFound("LoadBalancer", id)
	case "servergroup":
		if g := st.ALB.serverGroup(id); g != nil {
			return &g.Tags, nil
		}
		return nil, albNotFound("ServerGroup", id)
	case "listener":
		if l := st.ALB.listener(id); l != nil {
			return &l.Tags, nil
		}
		return nil, albNotFound("Listener", id)
	case "acl":
		return nil, albNotFound("Acl", id)
	case "securitypolicy":
		return nil, albNotFound("SecurityPolicy", id)
	}
	return nil, InvalidParameter("ResourceType", typ, "one of loadbalancer, servergroup, listener, acl, securitypolicy")
}

// albTagTargets reads ResourceType and ResourceId.N (1 to 50) of TagResources
// and UnTagResources.
func albTagTargets(st *State, r *Request) ([]string, func(id string) (*[]Tag, error), error) {
	typ, err := r.Required("ResourceType")
	if err != nil {
		return nil, nil, err
	}
	ids, err := tagResourceIDs(r, 50, "ResourceId")
	if err != nil {
		return nil, nil, err
	}
	return ids, func(id string) (*[]Tag, error) { return albTaggable(st, typ, id) }, nil
}

func albTagResources(st *State, r *Request) (any, error) {
	ids, find, err := albTagTargets(st, r)
	if err != nil {
		return nil, err
	}
	filters, err := tagParams(r, 20, 128)
	if err != nil {
		return nil, err
	}
	if len(filters) == 0 {
		return nil, MissingParameter("Tag")
	}
	err = tagResources(ids, find, filters, func(id string, n int) error {
		return InvalidParameter("Tag", strconv.Itoa(n)+" tags on "+id, "at most 20 tags per resource")
	})
	if err != nil {
		return nil, err
	}
	return &alb.TagResourcesResponseBody{}, nil
}

func albUnTagResources(st *State, r *Request) (any, error) {
	ids, find, err := albTagTargets(st, r)
	if err != nil {
		return nil, err
	}
	all, _, err := r.Bool("All")
	if err != nil {
		return nil, err
	}
	keys, err := r.ListMax("TagKey", 20, "values")
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		if err := checkTagText(fmt.Sprintf("TagKey.%d", i+1), k, 128, true); err != nil {
			return nil, err
		}
	}
	pairs, err := tagParams(r, 20, 128)
	if err != nil {
		return nil, err
	}
	if !all && len(keys) == 0 && len(pairs) == 0 {
		return nil, MissingParameter("TagKey")
	}
	err = untagResources(ids, find, func(t Tag) bool {
		if all || contains(keys, t.Key) {
			return true
		}
		for _, p := range pairs {
			if p.matches(t) {
				return true
			}
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	return &alb.UnTagResourcesResponseBody{}, nil
}

func albListTagResources(st *State, r *Request) (any, error) {
	typ, err := r.Required("ResourceType")
	if err != nil {
		return nil, err
	}
	ids, err := r.ListMax("ResourceId", 50, "values")
	if err != nil {
		return nil, err
	}
	filters, err := tagParams(r, 20, 128)
	if err != nil {
		return nil, err
	}
	var resources []tagged
	switch typ {
	case "loadbalancer":
		for _, lb := range st.ALB.LoadBalancers {
			resources = append(resources, tagged{lb.ID, lb.Tags})
		}
	case "servergroup":
		for _, g := range st.ALB.ServerGroups {
			resources = append(resources, tagged{g.ID, g.Tags})
		}
	case "listener":
		for _, l := range st.ALB.Listeners {
			resources = append(resources, tagged{l.ID, l.Tags})
		}
	case "acl", "securitypolicy":
	default:
		return nil, InvalidParameter("ResourceType", typ, "one of loadbalancer, servergroup, listener, acl, securitypolicy")
	}
	rows := tagRows(resources, ids, filters)
	p, err := tokenPage(r, len(rows), 20, 1, 100)
	if err != nil {
		return nil, err
	}
	body := &alb.ListTagResourcesResponseBody{
		TagResources: []*alb.ListTagResourcesResponseBodyTagResources{},
		MaxResults:   tea.Int32(int32(p.maxResults)),
		NextToken:    tea.String(p.next),
	}
	for _, row := range pageOf(rows, p) {
		body.TagResources = append(body.TagResources, &alb.ListTagResourcesResponseBodyTagResources{
			ResourceId: tea.String(row.id), ResourceType: tea.String(typ),
			TagKey: tea.String(row.Key), TagValue: tea.String(row.Value),
		})
	}
	return body, nil
}
