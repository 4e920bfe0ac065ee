package fakecloud

// ALB listener, health and tag handlers, called directly.

import (
	"fmt"
	"testing"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
)

func TestALBListenerLifecycle(t *testing.T) {
	h := newALBHarness(t)
	g := h.createGroup("web")
	g2 := h.createGroup("web2")
	// The group is still Creating: a listener cannot forward to it yet.
	_, err := h.call("CreateListener", "LoadBalancerId", "alb-fake01", "ListenerProtocol", "HTTP", "ListenerPort", "80",
		"DefaultActions.1.Type", "ForwardGroup", "DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId", g)
	wantAPIError(t, err, 400, "IncorrectStatus.ServerGroup")
	h.settle()

	lsn, job := h.createListener(80, g)
	get := h.must("GetListenerAttribute", "ListenerId", lsn).(*alb.GetListenerAttributeResponseBody)
	if *get.ListenerStatus != "Provisioning" || *get.IdleTimeout != 15 || *get.RequestTimeout != 60 || !*get.GzipEnabled {
		t.Fatalf("new listener: %v", get)
	}
	lbAttr := h.must("GetLoadBalancerAttribute", "LoadBalancerId", "alb-fake01").(*alb.GetLoadBalancerAttributeResponseBody)
	if *lbAttr.LoadBalancerStatus != "Configuring" {
		t.Fatalf("ALB while listener provisions: %s", *lbAttr.LoadBalancerStatus)
	}
	// The ALB is busy: a second listener must wait.
	_, err = h.call("CreateListener", "LoadBalancerId", "alb-fake01", "ListenerProtocol", "HTTPS", "ListenerPort", "443",
		"Certificates.1.CertificateId", "123_cn-hangzhou",
		"DefaultActions.1.Type", "ForwardGroup", "DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId", g)
	wantAPIError(t, err, 400, "IncorrectStatus.LoadBalancer")
	_, err = h.call("UpdateListenerAttribute", "ListenerId", lsn, "IdleTimeout", "30")
	wantAPIError(t, err, 400, "IncorrectStatus.Listener")
	// The group is in use.
	_, err = h.call("DeleteServerGroup", "ServerGroupId", g)
	wantAPIError(t, err, 400, "ResourceInUse.ServerGroup")
	if got := h.jobStatus(job); got != "Processing" {
		t.Fatalf("job = %s", got)
	}
	h.settle()
	if got := h.jobStatus(job); got != "Succeeded" {
		t.Fatalf("job = %s", got)
	}
	lbAttr = h.must("GetLoadBalancerAttribute", "LoadBalancerId", "alb-fake01").(*alb.GetLoadBalancerAttributeResponseBody)
	if *lbAttr.LoadBalancerStatus != "Active" || *lbAttr.LoadBalancerBussinessStatus != "Normal" || *lbAttr.DNSName == "" || *lbAttr.RegionId != "cn-hangzhou" {
		t.Fatalf("ALB settled: %v", lbAttr)
	}

	// Port taken.
	_, err = h.call("CreateListener", "LoadBalancerId", "alb-fake01", "ListenerProtocol", "HTTPS", "ListenerPort", "80",
		"Certificates.1.CertificateId", "123_cn-hangzhou",
		"DefaultActions.1.Type", "ForwardGroup", "DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId", g)
	wantAPIError(t, err, 400, "ResourceAlreadyExist.Listener")

	// HTTPS listener on 443.
	out := h.must("CreateListener", "LoadBalancerId", "alb-fake01", "ListenerProtocol", "HTTPS", "ListenerPort", "443",
		"Certificates.1.CertificateId", "123_cn-hangzhou", "IdleTimeout", "60", "RequestTimeout", "180",
		"ListenerDescription", "wsdeploy-web-443", "Tag.1.Key", "app", "Tag.1.Value", "web",
		"DefaultActions.1.Type", "ForwardGroup", "DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId", g).(*alb.CreateListenerResponseBody)
	h.settle()
	get = h.must("GetListenerAttribute", "ListenerId", *out.ListenerId).(*alb.GetListenerAttributeResponseBody)
	if *get.ListenerStatus != "Running" || *get.IdleTimeout != 60 || *get.RequestTimeout != 180 || *get.SecurityPolicyId != "tls_cipher_policy_1_0" ||
		!*get.Http2Enabled || len(get.Certificates) != 1 || *get.ListenerDescription != "wsdeploy-web-443" ||
		*get.DefaultActions[0].ForwardGroupConfig.ServerGroupTuples[0].ServerGroupId != g {
		t.Fatalf("https listener: %v", get)
	}

	// Update: switch to g2, Configuring then Running.
	h.must("UpdateListenerAttribute", "ListenerId", lsn, "RequestTimeout", "120",
		"DefaultActions.1.Type", "ForwardGroup", "DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId", g2)
	get = h.must("GetListenerAttribute", "ListenerId", lsn).(*alb.GetListenerAttributeResponseBody)
	if *get.ListenerStatus != "Configuring" || *get.RequestTimeout != 120 {
		t.Fatalf("updating listener: %v", get)
	}
	_, err = h.call("DeleteListener", "ListenerId", *out.ListenerId)
	wantAPIError(t, err, 400, "IncorrectStatus.LoadBalancer")
	h.settle()

	// Stop / start.
	h.must("StopListener", "ListenerId", lsn)
	h.settle()
	get = h.must("GetListenerAttribute", "ListenerId", lsn).(*alb.GetListenerAttributeResponseBody)
	if *get.ListenerStatus != "Stopped" {
		t.Fatalf("stopped listener: %s", *get.ListenerStatus)
	}
	_, err = h.call("StopListener", "ListenerId", lsn)
	wantAPIError(t, err, 400, "IncorrectStatus.Listener")
	h.must("StartListener", "ListenerId", lsn)
	h.settle()

	// ListListeners filters.
	ll := h.must("ListListeners", "LoadBalancerIds.1", "alb-fake01", "ListenerProtocol", "HTTPS").(*alb.ListListenersResponseBody)
	if *ll.TotalCount != 1 || *ll.Listeners[0].ListenerPort != 443 || *ll.Listeners[0].Tags[0].Value != "web" {
		t.Fatalf("ListListeners: %v", ll)
	}

	// Delete: Deleting, group still in use, then gone.
	h.must("DeleteListener", "ListenerId", lsn)
	get = h.must("GetListenerAttribute", "ListenerId", lsn).(*alb.GetListenerAttributeResponseBody)
	if *get.ListenerStatus != "Deleting" {
		t.Fatalf("deleting listener: %s", *get.ListenerStatus)
	}
	_, err = h.call("DeleteServerGroup", "ServerGroupId", g2)
	wantAPIError(t, err, 400, "ResourceInUse.ServerGroup")
	h.settle()
	_, err = h.call("GetListenerAttribute", "ListenerId", lsn)
	wantAPIError(t, err, 404, "ResourceNotFound.Listener")
	h.must("DeleteServerGroup", "ServerGroupId", g2)
}

func TestALBListenerVpcMismatch(t *testing.T) {
	h := newALBHarness(t)
	other := *h.must("CreateServerGroup", append([]string{"ServerGroupName", "other", "VpcId", "vpc-other01"}, albHealthParams...)...).(*alb.CreateServerGroupResponseBody).ServerGroupId
	h.settle()
	_, err := h.call("CreateListener", "LoadBalancerId", "alb-fake01", "ListenerProtocol", "HTTP", "ListenerPort", "80",
		"DefaultActions.1.Type", "ForwardGroup", "DefaultActions.1.ForwardGroupConfig.ServerGroupTuples.1.ServerGroupId", other)
	wantAPIError(t, err, 400, "Mismatch.VpcId")
	// An ECS in the group's own VPC is fine there.
	h.must("AddServersToServerGroup", append([]string{"ServerGroupId", other}, ecsServers("Servers", []string{"i-other01"}, 5000)...)...)
}

func TestALBTags(t *testing.T) {
	h := newALBHarness(t)
	a := h.createGroup("ga", "Tag.1.Key", "stack", "Tag.1.Value", "demo", "Tag.2.Key", "role", "Tag.2.Value", "web")
	b := h.createGroup("gb", "Tag.1.Key", "stack", "Tag.1.Value", "demo")
	h.createGroup("gc", "Tag.1.Key", "stack", "Tag.1.Value", "prod")
	names := func(kv ...string) []string {
		out := h.must("ListServerGroups", kv...).(*alb.ListServerGroupsResponseBody)
		var n []string
		for _, g := range out.ServerGroups {
			n = append(n, *g.ServerGroupName)
		}
		return n
	}
	tests := []struct {
		kv   []string
		want string
	}{
		{[]string{"Tag.1.Key", "stack", "Tag.1.Value", "demo"}, "[ga gb]"},
		{[]string{"Tag.1.Key", "stack"}, "[ga gb gc]"},
		{[]string{"Tag.1.Key", "stack", "Tag.1.Value", "demo", "Tag.2.Key", "role", "Tag.2.Value", "web"}, "[ga]"},
		{[]string{"Tag.1.Key", "nope"}, "[]"},
		{[]string{"ServerGroupNames.1", "gb", "ServerGroupNames.2", "gc"}, "[gb gc]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(names(tt.kv...)); got != tt.want {
			t.Errorf("ListServerGroups %v = %s, want %s", tt.kv, got, tt.want)
		}
	}

	h.must("TagResources", "ResourceType", "servergroup", "ResourceId.1", b, "Tag.1.Key", "role", "Tag.1.Value", "web")
	if got := fmt.Sprint(names("Tag.1.Key", "role")); got != "[ga gb]" {
		t.Errorf("after TagResources: %s", got)
	}
	tr := h.must("ListTagResources", "ResourceType", "servergroup", "ResourceId.1", b).(*alb.ListTagResourcesResponseBody)
	if len(tr.TagResources) != 2 || *tr.TagResources[1].TagKey != "role" || *tr.TagResources[1].ResourceId != b {
		t.Errorf("ListTagResources: %v", tr)
	}
	h.must("UnTagResources", "ResourceType", "servergroup", "ResourceId.1", a, "ResourceId.2", b, "TagKey.1", "role")
	if got := fmt.Sprint(names("Tag.1.Key", "role")); got != "[]" {
		t.Errorf("after UnTagResources: %s", got)
	}
	_, err := h.call("TagResources", "ResourceType", "servergroup", "ResourceId.1", "sgp-nope", "Tag.1.Key", "k", "Tag.1.Value", "v")
	wantAPIError(t, err, 404, "ResourceNotFound.ServerGroup")
	_, err = h.call("UnTagResources", "ResourceType", "servergroup", "ResourceId.1", a)
	wantAPIError(t, err, 400, "MissingParameter")

	// At most 20 tags per resource.
	kv := []string{"ResourceType", "servergroup", "ResourceId.1", a}
	for i := 1; i <= 20; i++ {
		kv = append(kv, fmt.Sprintf("Tag.%d.Key", i), fmt.Sprintf("k%d", i), fmt.Sprintf("Tag.%d.Value", i), "v")
	}
	_, err = h.call("TagResources", kv...)
	wantAPIError(t, err, 400, "InvalidParameter") // 20 new + "stack"
	// Tag filter limit on ListServerGroups is 10.
	var f []string
	for i := 1; i <= 11; i++ {
		f = append(f, fmt.Sprintf("Tag.%d.Key", i), fmt.Sprintf("k%d", i))
	}
	_, err = h.call("ListServerGroups", f...)
	wantAPIError(t, err, 400, "InvalidParameter")

	// Listener and load balancer tags.
	h.settle()
	lsn, _ := h.createListener(80, a, "Tag.1.Key", "stack", "Tag.1.Value", "demo")
	ll := h.must("ListListeners", "Tag.1.Key", "stack", "Tag.1.Value", "demo").(*alb.ListListenersResponseBody)
	if len(ll.Listeners) != 1 || *ll.Listeners[0].ListenerId != lsn {
		t.Errorf("ListListeners by tag: %v", ll)
	}
	h.must("TagResources", "ResourceType", "loadbalancer", "ResourceId.1", "alb-fake01", "Tag.1.Key", "owner", "Tag.1.Value", "me")
	lbs := h.must("ListLoadBalancers", "Tag.1.Key", "owner").(*alb.ListLoadBalancersResponseBody)
	if len(lbs.LoadBalancers) != 1 || *lbs.LoadBalancers[0].Tags[0].Key != "owner" {
		t.Errorf("ListLoadBalancers by tag: %v", lbs)
	}
}

func TestALBHealthStatus(t *testing.T) {
	h := newALBHarness(t)
	g := h.createGroup("web")
	h.settle()
	h.must("AddServersToServerGroup", append([]string{"ServerGroupId", g}, ecsServers("Servers", []string{"i-fake01", "i-fake02", "i-fake03"}, 5000)...)...)
	h.settle()
	h.must("UpdateServerGroupServersAttribute", append([]string{"ServerGroupId", g}, ecsServers("Servers", []string{"i-fake03"}, 5000, "Weight", "0")...)...)
	h.settle()
	inst, _ := h.st.Instance("i-fake02")
	inst.Health = "unhealthy"
	lsn, _ := h.createListener(80, g)
	h.settle()
	out := h.must("GetListenerHealthStatus", "ListenerId", lsn).(*alb.GetListenerHealthStatusResponseBody)
	infos := out.ListenerHealthStatus[0].ServerGroupInfos
	if len(infos) != 1 || *infos[0].HealthCheckEnabled != "on" {
		t.Fatalf("infos: %v", out)
	}
	got := map[string]string{}
	for _, s := range infos[0].NonNormalServers {
		got[*s.ServerId] = *s.Status
		if *s.Status == "Unhealthy" && (s.Reason == nil || *s.Reason.ReasonCode == "") {
			t.Errorf("unhealthy without reason: %v", s)
		}
	}
	if fmt.Sprint(got) != "map[i-fake02:Unhealthy i-fake03:Unused]" {
		t.Fatalf("non-normal servers: %v", got)
	}
	_, err := h.call("GetListenerHealthStatus", "ListenerId", lsn, "MaxResults", "31")
	wantAPIError(t, err, 400, "InvalidParameter")
}
