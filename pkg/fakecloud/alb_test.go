package fakecloud

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
)

const albTestAsync = 40 * time.Millisecond

type albHarness struct{ *handlerHarness }

func newALBHarness(t *testing.T) *albHarness {
	return &albHarness{newHandlerHarness(t, ProductALB, VersionALB, albTestAsync)}
}

func wantAPIError(t *testing.T, err error, status int, code string) {
	t.Helper()
	e, ok := AsAPIError(err)
	if !ok {
		t.Fatalf("got %v, want %d %s", err, status, code)
	}
	if e.HTTPStatus != status || e.Code != code {
		t.Fatalf("got %d %s (%s), want %d %s", e.HTTPStatus, e.Code, e.Message, status, code)
	}
}

var albHealthParams = []string{
	"HealthCheckConfig.HealthCheckEnabled", "true",
	"HealthCheckConfig.HealthCheckPath", "/healthz",
}

func (h *albHarness) createGroup(name string, extra ...string) string {
	h.t.Helper()
	kv := append([]string{"ServerGroupName", name, "VpcId", "vpc-fake01"}, albHealthParams...)
	out := h.must("CreateServerGroup", append(kv, extra...)...).(*alb.CreateServerGroupResponseBody)
	return *out.ServerGroupId
}

func (h *albHarness) createListener(port int, group string, extra ...string) (string, string) {
	h.t.Helper()
	kv := []string{
		"LoadBalancerId", "alb-fake01", "ListenerProtocol", "HTTP", "ListenerPort", strconv.Itoa(port),
		"DefaultActions.1.Type", "ForwardGroup",
		"DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId", group,
	}
	out := h.must("CreateListener", append(kv, extra...)...).(*alb.CreateListenerResponseBody)
	return *out.ListenerId, *out.JobId
}

func (h *albHarness) groupStatus(id string) string {
	h.t.Helper()
	out := h.must("ListServerGroups", "ServerGroupIds.1", id).(*alb.ListServerGroupsResponseBody)
	if len(out.ServerGroups) == 0 {
		return "gone"
	}
	return *out.ServerGroups[0].ServerGroupStatus
}

func (h *albHarness) jobStatus(id string) string {
	h.t.Helper()
	out := h.must("ListAsynJobs", "JobIds.1", id).(*alb.ListAsynJobsResponseBody)
	if len(out.Jobs) != 1 {
		h.t.Fatalf("ListAsynJobs %s: %d jobs", id, len(out.Jobs))
	}
	return *out.Jobs[0].Status
}

// ecsServers returns Servers.N params for instance/port pairs.
func ecsServers(prefix string, ids []string, port int, extra ...string) []string {
	var kv []string
	for i, id := range ids {
		p := fmt.Sprintf("%s.%d.", prefix, i+1)
		kv = append(kv, p+"ServerType", "Ecs", p+"ServerId", id, p+"Port", strconv.Itoa(port))
		for j := 0; j+1 < len(extra); j += 2 {
			kv = append(kv, p+extra[j], extra[j+1])
		}
	}
	return kv
}

func TestALBServerGroupLifecycle(t *testing.T) {
	h := newALBHarness(t)
	out := h.must("CreateServerGroup", append([]string{"ServerGroupName", "web-5000", "VpcId", "vpc-fake01"}, albHealthParams...)...).(*alb.CreateServerGroupResponseBody)
	id, job := *out.ServerGroupId, *out.JobId
	if id == "" || job == "" {
		t.Fatalf("empty ids: %+v", out)
	}
	if got := h.groupStatus(id); got != "Creating" {
		t.Fatalf("status right after create = %s, want Creating", got)
	}
	if got := h.jobStatus(job); got != "Processing" {
		t.Fatalf("job = %s, want Processing", got)
	}
	// Busy: a second write on the group is rejected.
	_, err := h.call("AddServersToServerGroup", append([]string{"ServerGroupId", id}, ecsServers("Servers", []string{"i-fake01"}, 5000)...)...)
	wantAPIError(t, err, 400, "IncorrectStatus.ServerGroup")

	h.settle()
	if got := h.groupStatus(id); got != "Available" {
		t.Fatalf("status after settle = %s, want Available", got)
	}
	if got := h.jobStatus(job); got != "Succeeded" {
		t.Fatalf("job = %s, want Succeeded", got)
	}

	add := h.must("AddServersToServerGroup", append([]string{"ServerGroupId", id}, ecsServers("Servers", []string{"i-fake01", "i-fake02"}, 5000)...)...).(*alb.AddServersToServerGroupResponseBody)
	if got := h.groupStatus(id); got != "Configuring" {
		t.Fatalf("group while adding = %s", got)
	}
	ls := h.must("ListServerGroupServers", "ServerGroupId", id).(*alb.ListServerGroupServersResponseBody)
	if len(ls.Servers) != 2 || *ls.Servers[0].Status != "Adding" || *ls.Servers[0].Weight != 100 || *ls.Servers[0].ServerIp != "192.168.0.11" {
		t.Fatalf("servers while adding: %v", ls)
	}
	_, err = h.call("UpdateServerGroupAttribute", "ServerGroupId", id, "ServerGroupName", "web-x")
	wantAPIError(t, err, 400, "IncorrectStatus.ServerGroup")
	h.settle()
	if got := h.jobStatus(*add.JobId); got != "Succeeded" {
		t.Fatalf("add job = %s", got)
	}
	ls = h.must("ListServerGroupServers", "ServerGroupId", id).(*alb.ListServerGroupServersResponseBody)
	if *ls.Servers[0].Status != "Available" || *ls.TotalCount != 2 {
		t.Fatalf("servers after add: %v", ls)
	}

	// Weight update: Configuring, then new weight.
	h.must("UpdateServerGroupServersAttribute", append([]string{"ServerGroupId", id}, ecsServers("Servers", []string{"i-fake01"}, 5000, "Weight", "0")...)...)
	ls = h.must("ListServerGroupServers", "ServerGroupId", id, "ServerIds.1", "i-fake01").(*alb.ListServerGroupServersResponseBody)
	if *ls.Servers[0].Status != "Configuring" || *ls.Servers[0].Weight != 0 {
		t.Fatalf("server while updating: %v", ls)
	}
	h.settle()

	// Remove: Removing, then gone.
	h.must("RemoveServersFromServerGroup", append([]string{"ServerGroupId", id}, ecsServers("Servers", []string{"i-fake02"}, 5000)...)...)
	ls = h.must("ListServerGroupServers", "ServerGroupId", id, "ServerIds.1", "i-fake02").(*alb.ListServerGroupServersResponseBody)
	if len(ls.Servers) != 1 || *ls.Servers[0].Status != "Removing" {
		t.Fatalf("server while removing: %v", ls)
	}
	h.settle()
	ls = h.must("ListServerGroupServers", "ServerGroupId", id).(*alb.ListServerGroupServersResponseBody)
	if len(ls.Servers) != 1 || *ls.Servers[0].ServerId != "i-fake01" {
		t.Fatalf("servers after remove: %v", ls)
	}

	// Replace i-fake01 with i-fake03.
	kv := append([]string{"ServerGroupId", id}, ecsServers("AddedServers", []string{"i-fake03"}, 5000)...)
	kv = append(kv, ecsServers("RemovedServers", []string{"i-fake01"}, 5000)...)
	h.must("ReplaceServersInServerGroup", kv...)
	ls = h.must("ListServerGroupServers", "ServerGroupId", id).(*alb.ListServerGroupServersResponseBody)
	if len(ls.Servers) != 2 || *ls.Servers[0].Status != "Replacing" || *ls.Servers[1].Status != "Replacing" {
		t.Fatalf("servers while replacing: %v", ls)
	}
	h.settle()
	ls = h.must("ListServerGroupServers", "ServerGroupId", id).(*alb.ListServerGroupServersResponseBody)
	if len(ls.Servers) != 1 || *ls.Servers[0].ServerId != "i-fake03" || *ls.Servers[0].Status != "Available" {
		t.Fatalf("servers after replace: %v", ls)
	}

	// Delete: Deleting until the job is done, then gone.
	del := h.must("DeleteServerGroup", "ServerGroupId", id).(*alb.DeleteServerGroupResponseBody)
	if got := h.groupStatus(id); got != "Deleting" {
		t.Fatalf("status while deleting = %s", got)
	}
	_, err = h.call("DeleteServerGroup", "ServerGroupId", id)
	wantAPIError(t, err, 400, "IncorrectStatus.ServerGroup")
	h.settle()
	if got := h.groupStatus(id); got != "gone" {
		t.Fatalf("status after delete = %s", got)
	}
	if got := h.jobStatus(*del.JobId); got != "Succeeded" {
		t.Fatalf("delete job = %s", got)
	}
	_, err = h.call("DeleteServerGroup", "ServerGroupId", id)
	wantAPIError(t, err, 404, "ResourceNotFound.ServerGroup")
}

func TestALBServerGroupEcho(t *testing.T) {
	h := newALBHarness(t)
	id := h.createGroup("web", "Protocol", "HTTP", "Scheduler", "Wlc",
		"HealthCheckConfig.HealthCheckCodes.1", "http_2xx", "HealthCheckConfig.HealthCheckCodes.2", "http_3xx",
		"HealthCheckConfig.HealthCheckInterval", "5", "HealthCheckConfig.HealthCheckMethod", "GET",
		"StickySessionConfig.StickySessionEnabled", "true", "StickySessionConfig.StickySessionType", "Server",
		"StickySessionConfig.Cookie", "WSID",
		"Tag.1.Key", "wsdeploy:stack", "Tag.1.Value", "demo")
	h.settle()
	sid, _ := h.createListener(80, id)
	out := h.must("ListServerGroups", "ServerGroupIds.1", id).(*alb.ListServerGroupsResponseBody)
	g := out.ServerGroups[0]
	hc := g.HealthCheckConfig
	switch {
	case *g.ServerGroupName != "web", *g.Scheduler != "Wlc", *g.ServerGroupType != "Instance", *g.VpcId != "vpc-fake01",
		*hc.HealthCheckPath != "/healthz", *hc.HealthCheckInterval != 5, *hc.HealthCheckMethod != "GET",
		len(hc.HealthCheckCodes) != 2, *hc.HealthCheckTimeout != 5, *hc.HealthyThreshold != 3,
		*g.StickySessionConfig.StickySessionType != "Server", *g.StickySessionConfig.Cookie != "WSID",
		len(g.Tags) != 1 || *g.Tags[0].Key != "wsdeploy:stack",
		len(g.RelatedLoadBalancerIds) != 1 || *g.RelatedLoadBalancerIds[0] != "alb-fake01",
		*g.ServerCount != 0:
		t.Fatalf("echo mismatch: %v", g)
	}
	if sid == "" {
		t.Fatal("no listener id")
	}
}

func TestALBValidation(t *testing.T) {
	h := newALBHarness(t)
	group := h.createGroup("web")
	h.settle()
	lsnBase := []string{
		"LoadBalancerId", "alb-fake01", "ListenerProtocol", "HTTP", "ListenerPort", "80",
		"DefaultActions.1.Type", "ForwardGroup",
		"DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId", group,
	}
	sgBase := []string{"ServerGroupName", "web2", "VpcId", "vpc-fake01", "HealthCheckConfig.HealthCheckEnabled", "true"}
	manyPorts := []string{"ServerGroupId", group}
	for i := 1; i <= 201; i++ {
		p := fmt.Sprintf("Servers.%d.", i)
		manyPorts = append(manyPorts, p+"ServerType", "Ecs", p+"ServerId", "i-fake01", p+"Port", strconv.Itoa(1000+i))
	}
	tests := []struct {
		name   string
		action string
		kv     []string
		status int
		code   string
	}{
		{"idle timeout 61", "CreateListener", append(append([]string{}, lsnBase...), "IdleTimeout", "61"), 400, "InvalidParameter"},
		{"idle timeout 0", "CreateListener", append(append([]string{}, lsnBase...), "IdleTimeout", "0"), 400, "InvalidParameter"},
		{"request timeout 181", "CreateListener", append(append([]string{}, lsnBase...), "RequestTimeout", "181"), 400, "InvalidParameter"},
		{"port 65536", "CreateListener", append(append([]string{}, lsnBase[:4]...), "ListenerPort", "65536", "DefaultActions.1.Type", "ForwardGroup"), 400, "InvalidParameter"},
		{"protocol TCP", "CreateListener", []string{"LoadBalancerId", "alb-fake01", "ListenerProtocol", "TCP", "ListenerPort", "80"}, 400, "InvalidParameter"},
		{"no default action", "CreateListener", lsnBase[:6], 400, "MissingParameter"},
		{"action type Redirect", "CreateListener", append(append([]string{}, lsnBase[:6]...), "DefaultActions.1.Type", "Redirect"), 400, "InvalidParameter"},
		{"https without cert", "CreateListener", append([]string{"LoadBalancerId", "alb-fake01", "ListenerProtocol", "HTTPS"}, lsnBase[4:]...), 400, "MissingParameter"},
		{"http with cert", "CreateListener", append(append([]string{}, lsnBase...), "Certificates.1.CertificateId", "123"), 400, "InvalidParameter"},
		{"http with security policy", "CreateListener", append(append([]string{}, lsnBase...), "SecurityPolicyId", "tls_cipher_policy_1_2"), 400, "InvalidParameter"},
		{"no port", "CreateListener", lsnBase[:4], 400, "MissingParameter"},
		{"unknown group", "CreateListener", append(append([]string{}, lsnBase[:8]...), "DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId", "sgp-nope"), 404, "ResourceNotFound.ServerGroup"},
		{"unknown alb", "CreateListener", append([]string{"LoadBalancerId", "alb-nope"}, lsnBase[2:]...), 404, "ResourceNotFound.LoadBalancer"},
		{"bad description", "CreateListener", append(append([]string{}, lsnBase...), "ListenerDescription", "x"), 400, "InvalidParameter"},
		{"group name digit first", "CreateServerGroup", append([]string{"ServerGroupName", "1web"}, sgBase[2:]...), 400, "InvalidParameter"},
		{"group name too short", "CreateServerGroup", append([]string{"ServerGroupName", "w"}, sgBase[2:]...), 400, "InvalidParameter"},
		{"no health check", "CreateServerGroup", sgBase[:4], 400, "MissingParameter"},
		{"health check enabled missing", "CreateServerGroup", append(append([]string{}, sgBase[:4]...), "HealthCheckConfig.HealthCheckPath", "/"), 400, "MissingParameter"},
		{"health interval 51", "CreateServerGroup", append(append([]string{}, sgBase...), "HealthCheckConfig.HealthCheckInterval", "51"), 400, "InvalidParameter"},
		{"health path without slash", "CreateServerGroup", append(append([]string{}, sgBase...), "HealthCheckConfig.HealthCheckPath", "healthz"), 400, "InvalidParameter"},
		{"health codes", "CreateServerGroup", append(append([]string{}, sgBase...), "HealthCheckConfig.HealthCheckCodes.1", "200"), 400, "InvalidParameter"},
		{"threshold 1", "CreateServerGroup", append(append([]string{}, sgBase...), "HealthCheckConfig.HealthyThreshold", "1"), 400, "InvalidParameter"},
		{"cookie timeout 86401", "CreateServerGroup", append(append([]string{}, sgBase...), "StickySessionConfig.StickySessionEnabled", "true", "StickySessionConfig.CookieTimeout", "86401"), 400, "InvalidParameter"},
		{"server cookie missing", "CreateServerGroup", append(append([]string{}, sgBase...), "StickySessionConfig.StickySessionEnabled", "true", "StickySessionConfig.StickySessionType", "Server"), 400, "MissingParameter"},
		{"protocol TCP group", "CreateServerGroup", append(append([]string{}, sgBase...), "Protocol", "TCP"), 400, "InvalidParameter"},
		{"no vpc", "CreateServerGroup", []string{"ServerGroupName", "web2", "HealthCheckConfig.HealthCheckEnabled", "true"}, 400, "MissingParameter"},
		{"unknown vpc", "CreateServerGroup", []string{"ServerGroupName", "web2", "VpcId", "vpc-nope", "HealthCheckConfig.HealthCheckEnabled", "true"}, 404, "ResourceNotFound.Vpc"},
		{"tag aliyun prefix", "CreateServerGroup", append(append([]string{}, sgBase...), "Tag.1.Key", "aliyun:x", "Tag.1.Value", "v"), 400, "InvalidParameter"},
		{"tag with url", "CreateServerGroup", append(append([]string{}, sgBase...), "Tag.1.Key", "k", "Tag.1.Value", "see https://x"), 400, "InvalidParameter"},
		{"client token too long", "CreateServerGroup", append(append([]string{}, sgBase...), "ClientToken", string(make([]byte, 65))), 400, "InvalidParameter"},
		{"weight 101", "AddServersToServerGroup", append([]string{"ServerGroupId", group}, ecsServers("Servers", []string{"i-fake01"}, 5000, "Weight", "101")...), 400, "InvalidParameter"},
		{"port 0", "AddServersToServerGroup", append([]string{"ServerGroupId", group}, ecsServers("Servers", []string{"i-fake01"}, 0)...), 400, "InvalidParameter"},
		{"201 servers", "AddServersToServerGroup", manyPorts, 400, "InvalidParameter"},
		{"duplicate server", "AddServersToServerGroup", append([]string{"ServerGroupId", group}, ecsServers("Servers", []string{"i-fake01", "i-fake01"}, 5000)...), 400, "DuplicatedParam.Server"},
		{"server in other vpc", "AddServersToServerGroup", append([]string{"ServerGroupId", group}, ecsServers("Servers", []string{"i-other01"}, 5000)...), 400, "Mismatch.VpcId"},
		{"unknown instance", "AddServersToServerGroup", append([]string{"ServerGroupId", group}, ecsServers("Servers", []string{"i-nope"}, 5000)...), 404, "ResourceNotFound.Ecs"},
		{"ip server in instance group", "AddServersToServerGroup", []string{"ServerGroupId", group, "Servers.1.ServerType", "Ip", "Servers.1.ServerId", "10.0.0.1", "Servers.1.Port", "80"}, 400, "Mismatch.ServerType"},
		{"no servers", "AddServersToServerGroup", []string{"ServerGroupId", group}, 400, "MissingParameter"},
		{"unknown group add", "AddServersToServerGroup", append([]string{"ServerGroupId", "sgp-nope"}, ecsServers("Servers", []string{"i-fake01"}, 5000)...), 404, "ResourceNotFound.ServerGroup"},
		{"remove absent server", "RemoveServersFromServerGroup", append([]string{"ServerGroupId", group}, ecsServers("Servers", []string{"i-fake02"}, 5000)...), 404, "ResourceNotFound.BackendServer"},
		{"update absent server", "UpdateServerGroupServersAttribute", append([]string{"ServerGroupId", group}, ecsServers("Servers", []string{"i-fake02"}, 5000, "Weight", "10")...), 404, "ResourceNotFound.BackendServer"},
		{"get unknown listener", "GetListenerAttribute", []string{"ListenerId", "lsn-nope"}, 404, "ResourceNotFound.Listener"},
		{"get unknown alb", "GetLoadBalancerAttribute", []string{"LoadBalancerId", "alb-nope"}, 404, "ResourceNotFound.LoadBalancer"},
		{"delete unknown listener", "DeleteListener", []string{"ListenerId", "lsn-nope"}, 404, "ResourceNotFound.Listener"},
		{"list 11 group ids", "ListServerGroups", func() []string {
			var kv []string
			for i := 1; i <= 11; i++ {
				kv = append(kv, fmt.Sprintf("ServerGroupIds.%d", i), "sgp-x")
			}
			return kv
		}(), 400, "InvalidParameter"},
		{"max results 101", "ListServerGroups", []string{"MaxResults", "101"}, 400, "InvalidParameter"},
		{"bad next token", "ListListeners", []string{"NextToken", "zzz"}, 400, "InvalidParameter.NextToken"},
		{"health max results 31", "GetListenerHealthStatus", []string{"ListenerId", "lsn-nope", "MaxResults", "31"}, 400, "InvalidParameter"},
		{"health unknown listener", "GetListenerHealthStatus", []string{"ListenerId", "lsn-nope"}, 404, "ResourceNotFound.Listener"},
		{"servers of unknown group", "ListServerGroupServers", []string{"ServerGroupId", "sgp-nope"}, 404, "ResourceNotFound.ServerGroup"},
		{"servers without group", "ListServerGroupServers", nil, 400, "MissingParameter"},
		{"update 41 servers", "UpdateServerGroupServersAttribute", func() []string {
			kv := []string{"ServerGroupId", group}
			for i := 1; i <= 41; i++ {
				p := fmt.Sprintf("Servers.%d.", i)
				kv = append(kv, p+"ServerType", "Ecs", p+"ServerId", "i-fake01", p+"Port", strconv.Itoa(1000+i))
			}
			return kv
		}(), 400, "InvalidParameter"},
		{"untag without keys", "UnTagResources", []string{"ResourceType", "servergroup", "ResourceId.1", group}, 400, "MissingParameter"},
		{"tag bad type", "TagResources", []string{"ResourceType", "vpc", "ResourceId.1", group, "Tag.1.Key", "k"}, 400, "InvalidParameter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.t = t
			_, err := h.call(tt.action, tt.kv...)
			wantAPIError(t, err, tt.status, tt.code)
		})
	}
	// Nothing above changed the world.
	if n := len(h.st.ALB.Listeners); n != 0 {
		t.Fatalf("%d listeners created by failing calls", n)
	}
	if n := len(h.st.ALB.ServerGroups); n != 1 {
		t.Fatalf("%d server groups, want 1", n)
	}
}

func TestALBAddExistingServer(t *testing.T) {
	h := newALBHarness(t)
	g := h.createGroup("web")
	h.settle()
	h.must("AddServersToServerGroup", append([]string{"ServerGroupId", g}, ecsServers("Servers", []string{"i-fake01"}, 5000)...)...)
	h.settle()
	_, err := h.call("AddServersToServerGroup", append([]string{"ServerGroupId", g}, ecsServers("Servers", []string{"i-fake01"}, 5000)...)...)
	wantAPIError(t, err, 400, "ResourceAlreadyExist.BackendServer")
	// Same instance, other port: fine.
	h.must("AddServersToServerGroup", append([]string{"ServerGroupId", g}, ecsServers("Servers", []string{"i-fake01"}, 5001)...)...)
}

func TestALBClientToken(t *testing.T) {
	h := newALBHarness(t)
	kv := append([]string{"ServerGroupName", "web", "VpcId", "vpc-fake01", "ClientToken", "tok-1"}, albHealthParams...)
	first := h.must("CreateServerGroup", kv...).(*alb.CreateServerGroupResponseBody)

	// Repeat while the job runs.
	_, err := h.call("CreateServerGroup", kv...)
	wantAPIError(t, err, 400, "IdempotenceProcessing")
	h.settle()

	// Repeat afterwards: same answer, nothing new.
	again := h.must("CreateServerGroup", kv...).(*alb.CreateServerGroupResponseBody)
	if *again.ServerGroupId != *first.ServerGroupId || *again.JobId != *first.JobId {
		t.Fatalf("replay = %v, first = %v", again, first)
	}
	if n := len(h.st.ALB.ServerGroups); n != 1 {
		t.Fatalf("%d groups after replay", n)
	}
	// Same token, other parameters.
	kv2 := append([]string{"ServerGroupName", "web-2", "VpcId", "vpc-fake01", "ClientToken", "tok-1"}, albHealthParams...)
	_, err = h.call("CreateServerGroup", kv2...)
	wantAPIError(t, err, 400, "IdempotenceSignatureMismatch")
	// Same token, other action.
	_, err = h.call("DeleteServerGroup", "ServerGroupId", *first.ServerGroupId, "ClientToken", "tok-1")
	wantAPIError(t, err, 400, "IdempotenceSignatureMismatch")
	// Without a token a retry creates a duplicate.
	noTok := append([]string{"ServerGroupName", "web", "VpcId", "vpc-fake01"}, albHealthParams...)
	h.must("CreateServerGroup", noTok...)
	h.must("CreateServerGroup", noTok...)
	if n := len(h.st.ALB.ServerGroups); n != 3 {
		t.Fatalf("%d groups, want 3", n)
	}
	// A listener replay must not trip over its own port.
	h.settle()
	lkv := []string{"LoadBalancerId", "alb-fake01", "ListenerProtocol", "HTTP", "ListenerPort", "80", "ClientToken", "lsn-tok",
		"DefaultActions.1.Type", "ForwardGroup", "DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId", *first.ServerGroupId}
	l1 := h.must("CreateListener", lkv...).(*alb.CreateListenerResponseBody)
	h.settle()
	l2 := h.must("CreateListener", lkv...).(*alb.CreateListenerResponseBody)
	if *l1.ListenerId != *l2.ListenerId || *l1.JobId != *l2.JobId || len(h.st.ALB.Listeners) != 1 {
		t.Fatalf("listener replay: %v vs %v", l1, l2)
	}
}

func TestALBDryRun(t *testing.T) {
	h := newALBHarness(t)
	kv := append([]string{"ServerGroupName", "web", "VpcId", "vpc-fake01", "DryRun", "true", "ClientToken", "t"}, albHealthParams...)
	_, err := h.call("CreateServerGroup", kv...)
	wantAPIError(t, err, 400, "DryRunOperation")
	if len(h.st.ALB.ServerGroups) != 0 || len(h.st.ALB.Jobs) != 0 || len(h.st.ALB.ClientTokens) != 0 {
		t.Fatal("dry run changed the world")
	}
	// A dry run still reports what is wrong.
	_, err = h.call("CreateServerGroup", "ServerGroupName", "web", "VpcId", "vpc-fake01", "DryRun", "true")
	wantAPIError(t, err, 400, "MissingParameter")
	_, err = h.call("DeleteListener", "ListenerId", "lsn-nope", "DryRun", "true")
	wantAPIError(t, err, 404, "ResourceNotFound.Listener")
}

func TestALBPagination(t *testing.T) {
	h := newALBHarness(t)
	for i := 0; i < 25; i++ {
		h.createGroup(fmt.Sprintf("g%02d", i))
	}
	h.settle()
	first := h.must("ListServerGroups").(*alb.ListServerGroupsResponseBody)
	if len(first.ServerGroups) != 20 || *first.TotalCount != 25 || *first.MaxResults != 20 || *first.NextToken == "" {
		t.Fatalf("page 1: %d groups, total %d, next %q", len(first.ServerGroups), *first.TotalCount, *first.NextToken)
	}
	second := h.must("ListServerGroups", "NextToken", *first.NextToken).(*alb.ListServerGroupsResponseBody)
	if len(second.ServerGroups) != 5 || *second.NextToken != "" || *second.ServerGroups[4].ServerGroupName != "g24" {
		t.Fatalf("page 2: %d groups, next %q", len(second.ServerGroups), *second.NextToken)
	}
	small := h.must("ListServerGroups", "MaxResults", "10").(*alb.ListServerGroupsResponseBody)
	if len(small.ServerGroups) != 10 || *small.MaxResults != 10 {
		t.Fatalf("MaxResults 10: %d", len(small.ServerGroups))
	}

	// 25 servers on 25 ports of one group.
	g := *first.ServerGroups[0].ServerGroupId
	kv := []string{"ServerGroupId", g}
	for i := 1; i <= 25; i++ {
		p := fmt.Sprintf("Servers.%d.", i)
		kv = append(kv, p+"ServerType", "Ecs", p+"ServerId", "i-fake01", p+"Port", strconv.Itoa(5000+i))
	}
	h.must("AddServersToServerGroup", kv...)
	page := h.must("ListServerGroupServers", "ServerGroupId", g).(*alb.ListServerGroupServersResponseBody)
	if len(page.Servers) != 20 || *page.TotalCount != 25 || *page.NextToken == "" {
		t.Fatalf("servers page 1: %d, next %q", len(page.Servers), *page.NextToken)
	}
	page = h.must("ListServerGroupServers", "ServerGroupId", g, "NextToken", *page.NextToken).(*alb.ListServerGroupServersResponseBody)
	if len(page.Servers) != 5 || *page.NextToken != "" {
		t.Fatalf("servers page 2: %d, next %q", len(page.Servers), *page.NextToken)
	}
	jobs := h.must("ListAsynJobs", "ResourceType", "servergroup").(*alb.ListAsynJobsResponseBody)
	if len(jobs.Jobs) != 20 || *jobs.TotalCount != 26 {
		t.Fatalf("jobs: %d of %d", len(jobs.Jobs), *jobs.TotalCount)
	}
}

// The state survives a JSON round trip (it is persisted between calls).
func TestALBStateJSON(t *testing.T) {
	h := newALBHarness(t)
	g := h.createGroup("web", "Tag.1.Key", "k", "Tag.1.Value", "v")
	h.settle()
	h.createListener(80, g)
	h.must("AddServersToServerGroup", append([]string{"ServerGroupId", g}, ecsServers("Servers", []string{"i-fake01"}, 5000)...)...)
	data, err := json.Marshal(h.st)
	if err != nil {
		t.Fatal(err)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	h.st = &st
	if got := h.groupStatus(g); got != "Configuring" {
		t.Fatalf("after reload: %s", got)
	}
	h.settle()
	if got := h.groupStatus(g); got != "Available" {
		t.Fatalf("after reload and settle: %s", got)
	}
	ls := h.must("ListServerGroupServers", "ServerGroupId", g).(*alb.ListServerGroupServersResponseBody)
	if len(ls.Servers) != 1 || *ls.Servers[0].Status != "Available" {
		t.Fatalf("servers after reload: %v", ls)
	}
}

func TestALBUpdateServerGroupAttribute(t *testing.T) {
	h := newALBHarness(t)
	g := h.createGroup("web", "HealthCheckConfig.HealthCheckInterval", "10")
	h.settle()
	h.must("UpdateServerGroupAttribute", "ServerGroupId", g, "ServerGroupName", "web-v2",
		"HealthCheckConfig.HealthCheckPath", "/ready",
		"StickySessionConfig.StickySessionEnabled", "true")
	if got := h.groupStatus(g); got != "Configuring" {
		t.Fatalf("status = %s", got)
	}
	h.settle()
	out := h.must("ListServerGroups", "ServerGroupIds.1", g).(*alb.ListServerGroupsResponseBody)
	sg := out.ServerGroups[0]
	hc := sg.HealthCheckConfig
	if *sg.ServerGroupName != "web-v2" || *hc.HealthCheckPath != "/ready" || *hc.HealthCheckInterval != 10 || !*hc.HealthCheckEnabled ||
		!*sg.StickySessionConfig.StickySessionEnabled || *sg.StickySessionConfig.StickySessionType != "Insert" ||
		*sg.StickySessionConfig.CookieTimeout != 1000 || *sg.ServerGroupStatus != "Available" {
		t.Fatalf("after update: %v", sg)
	}
	_, err := h.call("UpdateServerGroupAttribute", "ServerGroupId", g, "HealthCheckConfig.HealthCheckTimeout", "301")
	wantAPIError(t, err, 400, "InvalidParameter")
	_, err = h.call("UpdateServerGroupAttribute", "ServerGroupId", g, "CrossZoneEnabled", "false")
	wantAPIError(t, err, 400, "InvalidParameter") // sticky sessions need cross-zone
	_, err = h.call("UpdateServerGroupAttribute", "ServerGroupId", "sgp-nope", "ServerGroupName", "x1")
	wantAPIError(t, err, 404, "ResourceNotFound.ServerGroup")
}

func TestALBListLoadBalancers(t *testing.T) {
	h := newALBHarness(t)
	tests := []struct {
		kv   []string
		want int
	}{
		{nil, 1},
		{[]string{"LoadBalancerIds.1", "alb-fake01"}, 1},
		{[]string{"LoadBalancerIds.1", "alb-nope"}, 0},
		{[]string{"VpcIds.1", "vpc-other01"}, 0},
		{[]string{"AddressType", "Internet", "LoadBalancerStatus", "Active"}, 1},
		{[]string{"DNSName", "alb-fake01.cn-hangzhou.alb.aliyuncs.com"}, 1},
		{[]string{"ZoneId", "cn-hangzhou-h"}, 1},
	}
	for _, tt := range tests {
		out := h.must("ListLoadBalancers", tt.kv...).(*alb.ListLoadBalancersResponseBody)
		if len(out.LoadBalancers) != tt.want || int(*out.TotalCount) != tt.want {
			t.Errorf("ListLoadBalancers %v: %d, want %d", tt.kv, len(out.LoadBalancers), tt.want)
		}
	}
	out := h.must("ListLoadBalancers").(*alb.ListLoadBalancersResponseBody)
	lb := out.LoadBalancers[0]
	if *lb.VpcId != "vpc-fake01" || *lb.LoadBalancerEdition != "Standard" || *lb.LoadBalancerBussinessStatus != "Normal" {
		t.Errorf("load balancer: %v", lb)
	}
	_, err := h.call("ListLoadBalancers", "AddressType", "Public")
	wantAPIError(t, err, 400, "InvalidParameter")
}
