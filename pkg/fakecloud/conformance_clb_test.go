package fakecloud

// The CLB (SLB) conformance scenario (see conformance_test.go). The older
// SDK sends RegionId from its client; the ACS3 SDK only when set.

import (
	slb "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	v1slb "github.com/aliyun/alibaba-cloud-sdk-go/services/slb"
)

type confCall = [2]func(*confEnv) (any, error)

// group picks the scenario's vServer group, or a made-up one.
func group(e *confEnv, id string) string {
	if id == "" {
		return e.v("rsp")
	}
	return id
}

func init() { confScenarios[ProductSLB] = confScenario{steps: slbConformance} }

func slbConformance() []confStep {
	const P = ProductSLB
	region := tea.String("cn-hangzhou")
	g := func(action string, c confCall) confStep { return ok(P, action, c[0], c[1]) }
	b := func(status int, code, action string, c confCall) confStep {
		return fails(status, code, P, action, c[0], c[1])
	}

	// An instance made through the API (clb_create.go).
	createLB := func(vsw, charge, spec string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateCreateLoadBalancerRequest()
			req.AddressType, req.VSwitchId, req.VpcId, req.LoadBalancerSpec = "intranet", vsw, "vpc-fake01", spec
			req.LoadBalancerName, req.PayType, req.DeleteProtection = "chat-clb", "PayOnDemand", "on"
			req.InstanceChargeType = charge
			out, err := e.v1SLB.CreateLoadBalancer(req)
			if err == nil {
				e.vars["newclb"] = out.LoadBalancerId
			}
			return v1(out, err)
		}, func(e *confEnv) (any, error) {
			req := &slb.CreateLoadBalancerRequest{
				RegionId: region, AddressType: tea.String("intranet"), VSwitchId: tea.String(vsw), VpcId: tea.String("vpc-fake01"),
				LoadBalancerName: tea.String("chat-clb"), PayType: tea.String("PayOnDemand"),
				DeleteProtection: tea.String("on"),
			}
			if spec != "" {
				req.LoadBalancerSpec = tea.String(spec)
			}
			if charge != "" {
				req.InstanceChargeType = tea.String(charge)
			}
			out, err := e.slb.CreateLoadBalancer(req)
			if err == nil {
				e.vars["newclb"] = tea.StringValue(out.Body.LoadBalancerId)
			}
			return acs3(out, err)
		})
	}
	protectLB := func(v string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateSetLoadBalancerDeleteProtectionRequest()
			req.LoadBalancerId, req.DeleteProtection = e.v("newclb"), v
			return v1(e.v1SLB.SetLoadBalancerDeleteProtection(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.SetLoadBalancerDeleteProtection(&slb.SetLoadBalancerDeleteProtectionRequest{
				RegionId: region, LoadBalancerId: tea.String(e.v("newclb")), DeleteProtection: tea.String(v),
			}))
		})
	}
	renameLB := func(name string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateSetLoadBalancerNameRequest()
			req.LoadBalancerId, req.LoadBalancerName = e.v("newclb"), name
			return v1(e.v1SLB.SetLoadBalancerName(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.SetLoadBalancerName(&slb.SetLoadBalancerNameRequest{
				RegionId: region, LoadBalancerId: tea.String(e.v("newclb")), LoadBalancerName: tea.String(name),
			}))
		})
	}
	deleteLB := func(id string) confCall {
		pick := func(e *confEnv) string {
			if id == "" {
				return e.v("newclb")
			}
			return id
		}
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateDeleteLoadBalancerRequest()
			req.LoadBalancerId = pick(e)
			return v1(e.v1SLB.DeleteLoadBalancer(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.DeleteLoadBalancer(&slb.DeleteLoadBalancerRequest{RegionId: region, LoadBalancerId: tea.String(pick(e))}))
		})
	}

	respecLB := func(id, spec string) confCall {
		pick := func(e *confEnv) string {
			if id == "" {
				return e.v("newclb")
			}
			return id
		}
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateModifyLoadBalancerInstanceSpecRequest()
			req.LoadBalancerId, req.LoadBalancerSpec = pick(e), spec
			return v1(e.v1SLB.ModifyLoadBalancerInstanceSpec(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.ModifyLoadBalancerInstanceSpec(&slb.ModifyLoadBalancerInstanceSpecRequest{
				RegionId: region, LoadBalancerId: tea.String(pick(e)), LoadBalancerSpec: tea.String(spec),
			}))
		})
	}

	lbAttr := func(id string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateDescribeLoadBalancerAttributeRequest()
			req.LoadBalancerId = id
			return v1(e.v1SLB.DescribeLoadBalancerAttribute(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: region, LoadBalancerId: tea.String(id)}))
		})
	}
	lbs := func(pageSize string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateDescribeLoadBalancersRequest()
			req.VpcId, req.PageSize = "vpc-fake01", requests.Integer(pageSize)
			return v1(e.v1SLB.DescribeLoadBalancers(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.DescribeLoadBalancers(&slb.DescribeLoadBalancersRequest{RegionId: region, VpcId: tea.String("vpc-fake01"), PageSize: confInt32(pageSize)}))
		})
	}
	createGroup := func(servers string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateCreateVServerGroupRequest()
			req.LoadBalancerId, req.VServerGroupName, req.BackendServers = "lb-fake01", "web", servers
			req.Tag = &[]v1slb.CreateVServerGroupTag{{Key: "wsdeploy:stack", Value: "demo"}}
			out, err := e.v1SLB.CreateVServerGroup(req)
			if err == nil {
				e.vars["rsp"] = out.VServerGroupId
			}
			return v1(out, err)
		}, func(e *confEnv) (any, error) {
			out, err := e.slb.CreateVServerGroup(&slb.CreateVServerGroupRequest{
				RegionId: region, LoadBalancerId: tea.String("lb-fake01"), VServerGroupName: tea.String("web"), BackendServers: tea.String(servers),
				Tag: []*slb.CreateVServerGroupRequestTag{{Key: tea.String("wsdeploy:stack"), Value: tea.String("demo")}},
			})
			if err == nil {
				e.vars["rsp"] = tea.StringValue(out.Body.VServerGroupId)
			}
			return acs3(out, err)
		})
	}
	addServers := func(servers string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateAddVServerGroupBackendServersRequest()
			req.VServerGroupId, req.BackendServers = e.v("rsp"), servers
			return v1(e.v1SLB.AddVServerGroupBackendServers(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.AddVServerGroupBackendServers(&slb.AddVServerGroupBackendServersRequest{
				RegionId: region, VServerGroupId: tea.String(e.v("rsp")), BackendServers: tea.String(servers),
			}))
		})
	}
	groups := func(lb string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateDescribeVServerGroupsRequest()
			req.LoadBalancerId, req.IncludeListener = lb, requests.NewBoolean(true)
			return v1(e.v1SLB.DescribeVServerGroups(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.DescribeVServerGroups(&slb.DescribeVServerGroupsRequest{RegionId: region, LoadBalancerId: tea.String(lb), IncludeListener: tea.Bool(true)}))
		})
	}
	groupAttr := func(id string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateDescribeVServerGroupAttributeRequest()
			req.VServerGroupId = group(e, id)
			return v1(e.v1SLB.DescribeVServerGroupAttribute(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.DescribeVServerGroupAttribute(&slb.DescribeVServerGroupAttributeRequest{RegionId: region, VServerGroupId: tea.String(group(e, id))}))
		})
	}
	setGroup := func(name, servers string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateSetVServerGroupAttributeRequest()
			req.VServerGroupId, req.VServerGroupName, req.BackendServers = e.v("rsp"), name, servers
			return v1(e.v1SLB.SetVServerGroupAttribute(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.SetVServerGroupAttribute(&slb.SetVServerGroupAttributeRequest{
				RegionId: region, VServerGroupId: tea.String(e.v("rsp")), VServerGroupName: tea.String(name), BackendServers: tea.String(servers),
			}))
		})
	}
	modifyGroup := func(old, new string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateModifyVServerGroupBackendServersRequest()
			req.VServerGroupId, req.OldBackendServers, req.NewBackendServers = e.v("rsp"), old, new
			return v1(e.v1SLB.ModifyVServerGroupBackendServers(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.ModifyVServerGroupBackendServers(&slb.ModifyVServerGroupBackendServersRequest{
				RegionId: region, VServerGroupId: tea.String(e.v("rsp")), OldBackendServers: tea.String(old), NewBackendServers: tea.String(new),
			}))
		})
	}
	removeServers := func(servers string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateRemoveVServerGroupBackendServersRequest()
			req.VServerGroupId, req.BackendServers = e.v("rsp"), servers
			return v1(e.v1SLB.RemoveVServerGroupBackendServers(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.RemoveVServerGroupBackendServers(&slb.RemoveVServerGroupBackendServersRequest{
				RegionId: region, VServerGroupId: tea.String(e.v("rsp")), BackendServers: tea.String(servers),
			}))
		})
	}
	createHTTP := func(port string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateCreateLoadBalancerHTTPListenerRequest()
			req.LoadBalancerId, req.ListenerPort, req.VServerGroupId = "lb-fake01", requests.Integer(port), e.v("rsp")
			req.HealthCheck, req.HealthCheckURI, req.StickySession, req.Bandwidth = "on", "/healthz", "off", "-1"
			req.IdleTimeout, req.RequestTimeout, req.Description = "30", "120", "web"
			return v1(e.v1SLB.CreateLoadBalancerHTTPListener(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.CreateLoadBalancerHTTPListener(&slb.CreateLoadBalancerHTTPListenerRequest{
				RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: confInt32(port), VServerGroupId: tea.String(e.v("rsp")),
				HealthCheck: tea.String("on"), HealthCheckURI: tea.String("/healthz"), StickySession: tea.String("off"), Bandwidth: tea.Int32(-1),
				IdleTimeout: tea.Int32(30), RequestTimeout: tea.Int32(120), Description: tea.String("web"),
			}))
		})
	}
	createHTTPS := func(port, cert string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateCreateLoadBalancerHTTPSListenerRequest()
			req.LoadBalancerId, req.ListenerPort, req.VServerGroupId = "lb-fake01", requests.Integer(port), e.v("rsp")
			req.HealthCheck, req.StickySession, req.StickySessionType, req.Bandwidth = "off", "on", "insert", "-1"
			req.CookieTimeout, req.ServerCertificateId = "600", cert
			return v1(e.v1SLB.CreateLoadBalancerHTTPSListener(req))
		}, func(e *confEnv) (any, error) {
			req := &slb.CreateLoadBalancerHTTPSListenerRequest{
				RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: confInt32(port), VServerGroupId: tea.String(e.v("rsp")),
				HealthCheck: tea.String("off"), StickySession: tea.String("on"), StickySessionType: tea.String("insert"), Bandwidth: tea.Int32(-1),
				CookieTimeout: tea.Int32(600),
			}
			if cert != "" {
				req.ServerCertificateId = tea.String(cert)
			}
			return acs3(e.slb.CreateLoadBalancerHTTPSListener(req))
		})
	}
	listeners := func(max string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateDescribeLoadBalancerListenersRequest()
			req.LoadBalancerId, req.MaxResults = strs("lb-fake01"), requests.Integer(max)
			return v1(e.v1SLB.DescribeLoadBalancerListeners(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.DescribeLoadBalancerListeners(&slb.DescribeLoadBalancerListenersRequest{
				RegionId: region, LoadBalancerId: tea.StringSlice([]string{"lb-fake01"}), MaxResults: confInt32(max),
			}))
		})
	}
	httpAttr := func(port string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateDescribeLoadBalancerHTTPListenerAttributeRequest()
			req.LoadBalancerId, req.ListenerPort = "lb-fake01", requests.Integer(port)
			return v1(e.v1SLB.DescribeLoadBalancerHTTPListenerAttribute(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.DescribeLoadBalancerHTTPListenerAttribute(&slb.DescribeLoadBalancerHTTPListenerAttributeRequest{
				RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: confInt32(port),
			}))
		})
	}
	httpsAttr := func(port string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateDescribeLoadBalancerHTTPSListenerAttributeRequest()
			req.LoadBalancerId, req.ListenerPort = "lb-fake01", requests.Integer(port)
			return v1(e.v1SLB.DescribeLoadBalancerHTTPSListenerAttribute(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.DescribeLoadBalancerHTTPSListenerAttribute(&slb.DescribeLoadBalancerHTTPSListenerAttributeRequest{
				RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: confInt32(port),
			}))
		})
	}
	setHTTP := func(idle string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateSetLoadBalancerHTTPListenerAttributeRequest()
			req.LoadBalancerId, req.ListenerPort, req.IdleTimeout, req.Description = "lb-fake01", "80", requests.Integer(idle), "web-v2"
			req.HealthCheckInterval, req.HealthyThreshold = "5", "4"
			return v1(e.v1SLB.SetLoadBalancerHTTPListenerAttribute(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.SetLoadBalancerHTTPListenerAttribute(&slb.SetLoadBalancerHTTPListenerAttributeRequest{
				RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: tea.Int32(80), IdleTimeout: confInt32(idle),
				Description: tea.String("web-v2"), HealthCheckInterval: tea.Int32(5), HealthyThreshold: tea.Int32(4),
			}))
		})
	}
	setHTTPS := func(policy string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateSetLoadBalancerHTTPSListenerAttributeRequest()
			req.LoadBalancerId, req.ListenerPort, req.TLSCipherPolicy, req.CookieTimeout = "lb-fake01", "443", policy, "1200"
			return v1(e.v1SLB.SetLoadBalancerHTTPSListenerAttribute(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.SetLoadBalancerHTTPSListenerAttribute(&slb.SetLoadBalancerHTTPSListenerAttributeRequest{
				RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: tea.Int32(443), TLSCipherPolicy: tea.String(policy),
				CookieTimeout: tea.Int32(1200),
			}))
		})
	}
	start := func(port string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateStartLoadBalancerListenerRequest()
			req.LoadBalancerId, req.ListenerPort, req.ListenerProtocol = "lb-fake01", requests.Integer(port), "http"
			return v1(e.v1SLB.StartLoadBalancerListener(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.StartLoadBalancerListener(&slb.StartLoadBalancerListenerRequest{
				RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: confInt32(port), ListenerProtocol: tea.String("http"),
			}))
		})
	}
	stop := func(port string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateStopLoadBalancerListenerRequest()
			req.LoadBalancerId, req.ListenerPort, req.ListenerProtocol = "lb-fake01", requests.Integer(port), "http"
			return v1(e.v1SLB.StopLoadBalancerListener(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.StopLoadBalancerListener(&slb.StopLoadBalancerListenerRequest{
				RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: confInt32(port), ListenerProtocol: tea.String("http"),
			}))
		})
	}
	health := func(lb string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateDescribeHealthStatusRequest()
			req.LoadBalancerId = lb
			return v1(e.v1SLB.DescribeHealthStatus(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.DescribeHealthStatus(&slb.DescribeHealthStatusRequest{RegionId: region, LoadBalancerId: tea.String(lb)}))
		})
	}
	tag := func(key string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateTagResourcesRequest()
			req.ResourceType, req.ResourceId = "instance", strs("lb-fake01")
			req.Tag = &[]v1slb.TagResourcesTag{{Key: key, Value: "prod"}}
			return v1(e.v1SLB.TagResources(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.TagResources(&slb.TagResourcesRequest{
				RegionId: region, ResourceType: tea.String("instance"), ResourceId: tea.StringSlice([]string{"lb-fake01"}),
				Tag: []*slb.TagResourcesRequestTag{{Key: tea.String(key), Value: tea.String("prod")}},
			}))
		})
	}
	listTags := func(ids ...string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateListTagResourcesRequest()
			req.ResourceType = "instance"
			if len(ids) > 0 {
				req.ResourceId = &ids
			}
			return v1(e.v1SLB.ListTagResources(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.ListTagResources(&slb.ListTagResourcesRequest{
				RegionId: region, ResourceType: tea.String("instance"), ResourceId: tea.StringSlice(ids),
			}))
		})
	}
	untag := func(keys ...string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateUntagResourcesRequest()
			req.ResourceType, req.ResourceId = "instance", strs("lb-fake01")
			if len(keys) > 0 {
				req.TagKey = &keys
			}
			return v1(e.v1SLB.UntagResources(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.UntagResources(&slb.UntagResourcesRequest{
				RegionId: region, ResourceType: tea.String("instance"), ResourceId: tea.StringSlice([]string{"lb-fake01"}), TagKey: tea.StringSlice(keys),
			}))
		})
	}
	deleteListener := func(port, proto string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateDeleteLoadBalancerListenerRequest()
			req.LoadBalancerId, req.ListenerPort, req.ListenerProtocol = "lb-fake01", requests.Integer(port), proto
			return v1(e.v1SLB.DeleteLoadBalancerListener(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.DeleteLoadBalancerListener(&slb.DeleteLoadBalancerListenerRequest{
				RegionId: region, LoadBalancerId: tea.String("lb-fake01"), ListenerPort: confInt32(port), ListenerProtocol: tea.String(proto),
			}))
		})
	}
	deleteGroup := func(id string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1slb.CreateDeleteVServerGroupRequest()
			req.VServerGroupId = group(e, id)
			return v1(e.v1SLB.DeleteVServerGroup(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.slb.DeleteVServerGroup(&slb.DeleteVServerGroupRequest{RegionId: region, VServerGroupId: tea.String(group(e, id))}))
		})
	}
	otherRegion := pair(func(e *confEnv) (any, error) {
		req := v1slb.CreateDescribeLoadBalancerAttributeRequest()
		req.RegionId, req.LoadBalancerId = "cn-beijing", "lb-fake01"
		return v1(e.v1SLB.DescribeLoadBalancerAttribute(req))
	}, func(e *confEnv) (any, error) {
		return acs3(e.slb.DescribeLoadBalancerAttribute(&slb.DescribeLoadBalancerAttributeRequest{RegionId: tea.String("cn-beijing"), LoadBalancerId: tea.String("lb-fake01")}))
	})

	return []confStep{
		g("DescribeLoadBalancerAttribute", lbAttr("lb-fake01")),
		b(404, "InvalidLoadBalancerId.NotFound", "DescribeLoadBalancerAttribute", lbAttr("lb-nope")),
		b(404, "InvalidRegionId.NotFound", "DescribeLoadBalancerAttribute", otherRegion),
		g("DescribeLoadBalancers", lbs("")),
		b(400, "MissingParameter", "DescribeLoadBalancers", lbs("5")),

		// A vServer group and its members.
		b(400, "BackendServersMalformed", "CreateVServerGroup", createGroup(`[{"ServerId":"i-fake01","Port":5001`)),
		g("CreateVServerGroup", createGroup(`[{"ServerId":"i-fake01","Port":5000,"Weight":80},{"ServerId":"i-fake02","Port":"5000"}]`)),
		b(400, "VServerGroupProcessing", "AddVServerGroupBackendServers", addServers(`[{"ServerId":"i-fake03","Port":5000}]`)),
		settle(),
		g("AddVServerGroupBackendServers", addServers(`[{"ServerId":"i-fake03","Port":5000,"Weight":"50","Description":"node-3"}]`)),
		g("DescribeVServerGroups", groups("lb-fake01")),
		b(404, "InvalidLoadBalancerId.NotFound", "DescribeVServerGroups", groups("lb-nope")),
		g("DescribeVServerGroupAttribute", groupAttr("")),
		b(404, "InvalidParameter", "DescribeVServerGroupAttribute", groupAttr("rsp-nope")),
		settle(),
		g("SetVServerGroupAttribute", setGroup("web-v2", `[{"ServerId":"i-fake01","Port":"5000","Weight":"0"}]`)),
		settle(),
		b(400, "InvalidParameter", "SetVServerGroupAttribute", setGroup("web-v2", `[{"ServerId":"i-fake01","Port":"7000","Weight":"10"}]`)),
		g("ModifyVServerGroupBackendServers", modifyGroup(`[{"ServerId":"i-fake02","Port":"5000"}]`, `[{"ServerId":"i-fake03","Port":"6000","Weight":"30"}]`)),
		settle(),
		b(400, "InvalidParameter", "ModifyVServerGroupBackendServers", modifyGroup(`[{"ServerId":"i-fake02","Port":"5000"}]`, `[{"ServerId":"i-fake03","Port":"7000"}]`)),
		g("RemoveVServerGroupBackendServers", removeServers(`[{"ServerId":"i-fake03","Port":"6000"}]`)),
		settle(),
		b(400, "InvalidParameter", "RemoveVServerGroupBackendServers", removeServers(`[]`)),
		g("DescribeVServerGroupAttribute", groupAttr("")),

		// Listeners.
		g("CreateLoadBalancerHTTPListener", createHTTP("80")),
		b(400, "ListenerAlreadyExists", "CreateLoadBalancerHTTPListener", createHTTP("80")),
		g("CreateLoadBalancerHTTPSListener", createHTTPS("443", "idkp-123-cn-test-0")),
		b(400, "MissingParameter", "CreateLoadBalancerHTTPSListener", createHTTPS("444", "")),
		g("DescribeLoadBalancerListeners", listeners("")),
		b(400, "InvalidParameter", "DescribeLoadBalancerListeners", listeners("101")),
		g("DescribeLoadBalancerHTTPListenerAttribute", httpAttr("80")),
		b(400, "InvalidParameter", "DescribeLoadBalancerHTTPListenerAttribute", httpAttr("81")),
		g("DescribeLoadBalancerHTTPSListenerAttribute", httpsAttr("443")),
		b(400, "UnsupportedOperationonfixedprotocalport", "DescribeLoadBalancerHTTPSListenerAttribute", httpsAttr("80")),
		g("SetLoadBalancerHTTPListenerAttribute", setHTTP("20")),
		b(400, "InvalidParameter", "SetLoadBalancerHTTPListenerAttribute", setHTTP("61")),
		g("SetLoadBalancerHTTPSListenerAttribute", setHTTPS("tls_cipher_policy_1_2")),
		b(400, "InvalidParameter", "SetLoadBalancerHTTPSListenerAttribute", setHTTPS("tls_bogus")),
		g("StartLoadBalancerListener", start("80")),
		b(404, "ListenerNotFound", "StartLoadBalancerListener", start("81")),
		g("DescribeVServerGroups", groups("lb-fake01")),
		settle(),
		g("DescribeHealthStatus", health("lb-fake01")),
		b(404, "InvalidLoadBalancerId.NotFound", "DescribeHealthStatus", health("lb-nope")),
		g("StopLoadBalancerListener", stop("80")),
		b(404, "ListenerNotFound", "StopLoadBalancerListener", stop("81")),
		g("DescribeLoadBalancerHTTPListenerAttribute", httpAttr("80")),

		// Tags.
		g("TagResources", tag("env")),
		b(400, "InvalidParameter", "TagResources", tag("aliyun:env")),
		g("ListTagResources", listTags("lb-fake01")),
		b(400, "MissingParameter", "ListTagResources", listTags()),
		g("UntagResources", untag("env")),
		b(400, "MissingParameter", "UntagResources", untag()),
		g("DescribeLoadBalancerAttribute", lbAttr("lb-fake01")),

		// Teardown.
		b(400, "RspoolVipExist", "DeleteVServerGroup", deleteGroup("")),
		g("DeleteLoadBalancerListener", deleteListener("80", "http")),
		g("DeleteLoadBalancerListener", deleteListener("443", "https")),
		b(404, "ListenerNotFound", "DeleteLoadBalancerListener", deleteListener("80", "http")),
		g("DeleteVServerGroup", deleteGroup("")),
		g("DescribeVServerGroups", groups("lb-fake01")),

		// A CLB of its own.
		b(400, "InvalidVSwitchId.NotExist", "CreateLoadBalancer", createLB("vsw-nope", "PayByCLCU", "")),
		b(400, "InvalidParameter", "CreateLoadBalancer", createLB("vsw-fake01-h", "", "slb.huge")),
		b(400, "PayBySpecSlbHaltSales", "CreateLoadBalancer", createLB("vsw-fake01-h", "", "slb.s1.small")),
		b(400, "ShareSlbHaltSales", "CreateLoadBalancer", createLB("vsw-fake01-h", "PayBySpec", "")),
		g("CreateLoadBalancer", createLB("vsw-fake01-h", "PayByCLCU", "")),
		b(400, "MissingParameter", "SetLoadBalancerName", renameLB("")),
		b(400, "OperationDenied.PayByCLCU", "ModifyLoadBalancerInstanceSpec", respecLB("", "slb.s2.small")),
		g("ModifyLoadBalancerInstanceSpec", respecLB("lb-fake01", "slb.s2.small")),
		b(400, "InvalidParameter", "ModifyLoadBalancerInstanceSpec", respecLB("lb-fake01", "slb.huge")),
		b(400, "OperationDenied.DeleteProtection", "DeleteLoadBalancer", deleteLB("")),
		b(400, "InvalidParameter", "SetLoadBalancerName", renameLB("no spaces")),
		g("SetLoadBalancerName", renameLB("chat-clb-2")),
		b(400, "InvalidParameter", "SetLoadBalancerDeleteProtection", protectLB("maybe")),
		g("SetLoadBalancerDeleteProtection", protectLB("off")),
		g("DeleteLoadBalancer", deleteLB("")),
		b(404, "InvalidLoadBalancerId.NotFound", "DeleteLoadBalancer", deleteLB("lb-nope")),
	}
}
