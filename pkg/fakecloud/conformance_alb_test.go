package fakecloud

// The ALB conformance scenario (see conformance_test.go).

import (
	"reflect"

	alb "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	v1alb "github.com/aliyun/alibaba-cloud-sdk-go/services/alb"
)

// v1 passes on what the older SDK decoded.
func v1[T any](resp T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// acs3 passes on the Body of an ACS3 SDK response.
func acs3[T any](resp *T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return reflect.ValueOf(resp).Elem().FieldByName("Body").Interface(), nil
}

func strs(s ...string) *[]string { return &s }

// albV1Action is the older SDK's forward-to-one-group default action.
func albV1Action(sg string) *[]v1alb.CreateListenerDefaultActions {
	return &[]v1alb.CreateListenerDefaultActions{{
		Type: "ForwardGroup",
		ForwardGroupConfig: v1alb.CreateListenerDefaultActionsForwardGroupConfig{
			ServerGroupTuples: &[]v1alb.CreateListenerDefaultActionsForwardGroupConfigServerGroupTuplesItem{{ServerGroupId: sg}},
		},
	}}
}

func albACS3Action(sg string) []*alb.CreateListenerRequestDefaultActions {
	return []*alb.CreateListenerRequestDefaultActions{{
		Type: tea.String("ForwardGroup"),
		ForwardGroupConfig: &alb.CreateListenerRequestDefaultActionsForwardGroupConfig{
			ServerGroupTuples: []*alb.CreateListenerRequestDefaultActionsForwardGroupConfigServerGroupTuples{{ServerGroupId: tea.String(sg)}},
		},
	}}
}

// albV1CreateGroup is the older SDK's CreateServerGroup of the scenario.
func albV1CreateGroup(name, token string) *v1alb.CreateServerGroupRequest {
	req := v1alb.CreateCreateServerGroupRequest()
	req.ServerGroupName, req.VpcId, req.Protocol, req.ClientToken = name, "vpc-fake01", "HTTP", token
	req.HealthCheckConfig = v1alb.CreateServerGroupHealthCheckConfig{
		HealthCheckEnabled: "true", HealthCheckPath: "/healthz", HealthCheckCodes: strs("http_2xx", "http_3xx"),
	}
	req.StickySessionConfig = v1alb.CreateServerGroupStickySessionConfig{
		StickySessionEnabled: "true", StickySessionType: "Insert", CookieTimeout: "3600",
	}
	req.Tag = &[]v1alb.CreateServerGroupTag{{Key: "wsdeploy", Value: "demo"}}
	return req
}

func albACS3CreateGroup(name, token string) *alb.CreateServerGroupRequest {
	return &alb.CreateServerGroupRequest{
		ServerGroupName: tea.String(name), VpcId: tea.String("vpc-fake01"), Protocol: tea.String("HTTP"),
		ClientToken: tea.String(token),
		HealthCheckConfig: &alb.CreateServerGroupRequestHealthCheckConfig{
			HealthCheckEnabled: tea.Bool(true), HealthCheckPath: tea.String("/healthz"),
			HealthCheckCodes: tea.StringSlice([]string{"http_2xx", "http_3xx"}),
		},
		StickySessionConfig: &alb.CreateServerGroupRequestStickySessionConfig{
			StickySessionEnabled: tea.Bool(true), StickySessionType: tea.String("Insert"), CookieTimeout: tea.Int32(3600),
		},
		Tag: []*alb.CreateServerGroupRequestTag{{Key: tea.String("wsdeploy"), Value: tea.String("demo")}},
	}
}

func init() { confScenarios[ProductALB] = confScenario{steps: albConformance} }

func albConformance() []confStep {
	const P = ProductALB
	// Reads of the load balancer.
	getLB := func(id string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateGetLoadBalancerAttributeRequest()
				req.LoadBalancerId = id
				return v1(e.v1ALB.GetLoadBalancerAttribute(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.GetLoadBalancerAttribute(&alb.GetLoadBalancerAttributeRequest{LoadBalancerId: tea.String(id)}))
			}
	}
	listLBs := func(status string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateListLoadBalancersRequest()
				req.VpcIds = strs("vpc-fake01")
				req.LoadBalancerStatus = status
				return v1(e.v1ALB.ListLoadBalancers(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.ListLoadBalancersRequest{VpcIds: tea.StringSlice([]string{"vpc-fake01"})}
				if status != "" {
					req.LoadBalancerStatus = tea.String(status)
				}
				return acs3(e.alb.ListLoadBalancers(req))
			}
	}
	createGroup := func(name, token string, keep bool) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				out, err := e.v1ALB.CreateServerGroup(albV1CreateGroup(name, token))
				if err == nil && keep {
					e.vars["sg"], e.vars["job"] = out.ServerGroupId, out.JobId
				}
				return v1(out, err)
			}, func(e *confEnv) (any, error) {
				out, err := e.alb.CreateServerGroup(albACS3CreateGroup(name, token))
				if err == nil && keep {
					e.vars["sg"], e.vars["job"] = tea.StringValue(out.Body.ServerGroupId), tea.StringValue(out.Body.JobId)
				}
				return acs3(out, err)
			}
	}
	listJobs := func(resourceType string, byJob bool) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateListAsynJobsRequest()
				if byJob {
					req.JobIds = strs(e.v("job"))
				}
				req.ResourceType = resourceType
				return v1(e.v1ALB.ListAsynJobs(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.ListAsynJobsRequest{}
				if byJob {
					req.JobIds = tea.StringSlice([]string{e.v("job")})
				}
				if resourceType != "" {
					req.ResourceType = tea.String(resourceType)
				}
				return acs3(e.alb.ListAsynJobs(req))
			}
	}
	// servers are (id, port, weight) triples; weight "" is left out.
	type srv struct{ id, port, weight string }
	addServers := func(group string, ss ...srv) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateAddServersToServerGroupRequest()
				req.ServerGroupId = group
				if group == "" {
					req.ServerGroupId = e.v("sg")
				}
				var l []v1alb.AddServersToServerGroupServers
				for _, s := range ss {
					l = append(l, v1alb.AddServersToServerGroupServers{ServerType: "Ecs", ServerId: s.id, Port: s.port, Weight: s.weight})
				}
				req.Servers = &l
				return v1(e.v1ALB.AddServersToServerGroup(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.AddServersToServerGroupRequest{ServerGroupId: tea.String(group)}
				if group == "" {
					req.ServerGroupId = tea.String(e.v("sg"))
				}
				for _, s := range ss {
					x := &alb.AddServersToServerGroupRequestServers{ServerType: tea.String("Ecs"), ServerId: tea.String(s.id), Port: confInt32(s.port)}
					if s.weight != "" {
						x.Weight = confInt32(s.weight)
					}
					req.Servers = append(req.Servers, x)
				}
				return acs3(e.alb.AddServersToServerGroup(req))
			}
	}
	listGroups := func(typ string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateListServerGroupsRequest()
				req.ServerGroupIds = strs(e.v("sg"))
				req.ServerGroupType = typ
				return v1(e.v1ALB.ListServerGroups(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.ListServerGroupsRequest{ServerGroupIds: tea.StringSlice([]string{e.v("sg")})}
				if typ != "" {
					req.ServerGroupType = tea.String(typ)
				}
				return acs3(e.alb.ListServerGroups(req))
			}
	}
	listServers := func(max string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateListServerGroupServersRequest()
				req.ServerGroupId = e.v("sg")
				req.MaxResults = requests.Integer(max)
				return v1(e.v1ALB.ListServerGroupServers(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.ListServerGroupServersRequest{ServerGroupId: tea.String(e.v("sg"))}
				if max != "" {
					req.MaxResults = confInt32(max)
				}
				return acs3(e.alb.ListServerGroupServers(req))
			}
	}
	updateServers := func(ss ...srv) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateUpdateServerGroupServersAttributeRequest()
				req.ServerGroupId = e.v("sg")
				var l []v1alb.UpdateServerGroupServersAttributeServers
				for _, s := range ss {
					l = append(l, v1alb.UpdateServerGroupServersAttributeServers{ServerType: "Ecs", ServerId: s.id, Port: s.port, Weight: s.weight, Description: "node"})
				}
				req.Servers = &l
				return v1(e.v1ALB.UpdateServerGroupServersAttribute(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.UpdateServerGroupServersAttributeRequest{ServerGroupId: tea.String(e.v("sg"))}
				for _, s := range ss {
					req.Servers = append(req.Servers, &alb.UpdateServerGroupServersAttributeRequestServers{
						ServerType: tea.String("Ecs"), ServerId: tea.String(s.id), Port: confInt32(s.port), Weight: confInt32(s.weight), Description: tea.String("node"),
					})
				}
				return acs3(e.alb.UpdateServerGroupServersAttribute(req))
			}
	}
	replaceServers := func(group string, removed, added srv) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateReplaceServersInServerGroupRequest()
				req.ServerGroupId = group
				if group == "" {
					req.ServerGroupId = e.v("sg")
				}
				req.RemovedServers = &[]v1alb.ReplaceServersInServerGroupRemovedServers{{ServerType: "Ecs", ServerId: removed.id, Port: removed.port}}
				req.AddedServers = &[]v1alb.ReplaceServersInServerGroupAddedServers{{ServerType: "Ecs", ServerId: added.id, Port: added.port, Weight: added.weight}}
				return v1(e.v1ALB.ReplaceServersInServerGroup(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.ReplaceServersInServerGroupRequest{ServerGroupId: tea.String(group)}
				if group == "" {
					req.ServerGroupId = tea.String(e.v("sg"))
				}
				req.RemovedServers = []*alb.ReplaceServersInServerGroupRequestRemovedServers{{ServerType: tea.String("Ecs"), ServerId: tea.String(removed.id), Port: confInt32(removed.port)}}
				req.AddedServers = []*alb.ReplaceServersInServerGroupRequestAddedServers{{ServerType: tea.String("Ecs"), ServerId: tea.String(added.id), Port: confInt32(added.port), Weight: confInt32(added.weight)}}
				return acs3(e.alb.ReplaceServersInServerGroup(req))
			}
	}
	removeServers := func(group string, s srv) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateRemoveServersFromServerGroupRequest()
				req.ServerGroupId = group
				if group == "" {
					req.ServerGroupId = e.v("sg")
				}
				req.Servers = &[]v1alb.RemoveServersFromServerGroupServers{{ServerType: "Ecs", ServerId: s.id, Port: s.port}}
				return v1(e.v1ALB.RemoveServersFromServerGroup(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.RemoveServersFromServerGroupRequest{ServerGroupId: tea.String(group)}
				if group == "" {
					req.ServerGroupId = tea.String(e.v("sg"))
				}
				req.Servers = []*alb.RemoveServersFromServerGroupRequestServers{{ServerType: tea.String("Ecs"), ServerId: tea.String(s.id), Port: confInt32(s.port)}}
				return acs3(e.alb.RemoveServersFromServerGroup(req))
			}
	}
	updateGroup := func(name, scheduler string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateUpdateServerGroupAttributeRequest()
				req.ServerGroupId, req.ServerGroupName, req.Scheduler = e.v("sg"), name, scheduler
				req.HealthCheckConfig = v1alb.UpdateServerGroupAttributeHealthCheckConfig{HealthCheckEnabled: "true", HealthCheckPath: "/health", HealthCheckInterval: "5"}
				return v1(e.v1ALB.UpdateServerGroupAttribute(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.UpdateServerGroupAttributeRequest{
					ServerGroupId: tea.String(e.v("sg")), ServerGroupName: tea.String(name), Scheduler: tea.String(scheduler),
					HealthCheckConfig: &alb.UpdateServerGroupAttributeRequestHealthCheckConfig{
						HealthCheckEnabled: tea.Bool(true), HealthCheckPath: tea.String("/health"), HealthCheckInterval: tea.Int32(5),
					},
				}
				return acs3(e.alb.UpdateServerGroupAttribute(req))
			}
	}
	createListener := func(idle string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateCreateListenerRequest()
				req.LoadBalancerId, req.ListenerProtocol, req.ListenerPort = "alb-fake01", "HTTP", "80"
				req.IdleTimeout, req.RequestTimeout, req.ListenerDescription = requests.Integer(idle), "120", "web"
				req.GzipEnabled = requests.NewBoolean(false)
				req.DefaultActions = albV1Action(e.v("sg"))
				req.Tag = &[]v1alb.CreateListenerTag{{Key: "wsdeploy", Value: "demo"}}
				out, err := e.v1ALB.CreateListener(req)
				if err == nil {
					e.vars["lsn"] = out.ListenerId
				}
				return v1(out, err)
			}, func(e *confEnv) (any, error) {
				req := &alb.CreateListenerRequest{
					LoadBalancerId: tea.String("alb-fake01"), ListenerProtocol: tea.String("HTTP"), ListenerPort: tea.Int32(80),
					IdleTimeout: confInt32(idle), RequestTimeout: tea.Int32(120), ListenerDescription: tea.String("web"),
					GzipEnabled: tea.Bool(false), DefaultActions: albACS3Action(e.v("sg")),
					Tag: []*alb.CreateListenerRequestTag{{Key: tea.String("wsdeploy"), Value: tea.String("demo")}},
				}
				out, err := e.alb.CreateListener(req)
				if err == nil {
					e.vars["lsn"] = tea.StringValue(out.Body.ListenerId)
				}
				return acs3(out, err)
			}
	}
	// listener picks the scenario's listener, or a made-up one.
	listener := func(e *confEnv, id string) string {
		if id == "" {
			return e.v("lsn")
		}
		return id
	}
	getListener := func(id string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateGetListenerAttributeRequest()
				req.ListenerId = listener(e, id)
				return v1(e.v1ALB.GetListenerAttribute(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.GetListenerAttribute(&alb.GetListenerAttributeRequest{ListenerId: tea.String(listener(e, id))}))
			}
	}
	listListeners := func(proto string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateListListenersRequest()
				req.LoadBalancerIds = strs("alb-fake01")
				req.ListenerProtocol = proto
				return v1(e.v1ALB.ListListeners(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.ListListenersRequest{LoadBalancerIds: tea.StringSlice([]string{"alb-fake01"})}
				if proto != "" {
					req.ListenerProtocol = tea.String(proto)
				}
				return acs3(e.alb.ListListeners(req))
			}
	}
	health := func(max string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateGetListenerHealthStatusRequest()
				req.ListenerId, req.MaxResults = e.v("lsn"), requests.Integer(max)
				return v1(e.v1ALB.GetListenerHealthStatus(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.GetListenerHealthStatus(&alb.GetListenerHealthStatusRequest{ListenerId: tea.String(e.v("lsn")), MaxResults: confInt64(max)}))
			}
	}
	updateListener := func(request string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateUpdateListenerAttributeRequest()
				req.ListenerId, req.IdleTimeout, req.RequestTimeout, req.ListenerDescription = e.v("lsn"), "30", requests.Integer(request), "web-v2"
				req.GzipEnabled = requests.NewBoolean(true)
				return v1(e.v1ALB.UpdateListenerAttribute(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.UpdateListenerAttribute(&alb.UpdateListenerAttributeRequest{
					ListenerId: tea.String(e.v("lsn")), IdleTimeout: tea.Int32(30), RequestTimeout: confInt32(request),
					ListenerDescription: tea.String("web-v2"), GzipEnabled: tea.Bool(true),
				}))
			}
	}
	stopListener := func() (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateStopListenerRequest()
				req.ListenerId = e.v("lsn")
				return v1(e.v1ALB.StopListener(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.StopListener(&alb.StopListenerRequest{ListenerId: tea.String(e.v("lsn"))}))
			}
	}
	startListener := func() (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateStartListenerRequest()
				req.ListenerId = e.v("lsn")
				return v1(e.v1ALB.StartListener(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.StartListener(&alb.StartListenerRequest{ListenerId: tea.String(e.v("lsn"))}))
			}
	}
	tag := func(key string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateTagResourcesRequest()
				req.ResourceType, req.ResourceId = "listener", strs(e.v("lsn"))
				req.Tag = &[]v1alb.TagResourcesTag{{Key: key, Value: "prod"}}
				return v1(e.v1ALB.TagResources(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.TagResources(&alb.TagResourcesRequest{
					ResourceType: tea.String("listener"), ResourceId: tea.StringSlice([]string{e.v("lsn")}),
					Tag: []*alb.TagResourcesRequestTag{{Key: tea.String(key), Value: tea.String("prod")}},
				}))
			}
	}
	listTags := func(typ string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateListTagResourcesRequest()
				req.ResourceType, req.ResourceId = typ, strs(e.v("lsn"))
				return v1(e.v1ALB.ListTagResources(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.ListTagResources(&alb.ListTagResourcesRequest{
					ResourceType: tea.String(typ), ResourceId: tea.StringSlice([]string{e.v("lsn")}),
				}))
			}
	}
	untag := func(keys ...string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateUnTagResourcesRequest()
				req.ResourceType, req.ResourceId = "listener", strs(e.v("lsn"))
				if len(keys) > 0 {
					req.TagKey = &keys
				}
				return v1(e.v1ALB.UnTagResources(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.UnTagResources(&alb.UnTagResourcesRequest{
					ResourceType: tea.String("listener"), ResourceId: tea.StringSlice([]string{e.v("lsn")}), TagKey: tea.StringSlice(keys),
				}))
			}
	}
	deleteListener := func(id string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateDeleteListenerRequest()
				req.ListenerId = listener(e, id)
				return v1(e.v1ALB.DeleteListener(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.DeleteListener(&alb.DeleteListenerRequest{ListenerId: tea.String(listener(e, id))}))
			}
	}
	deleteGroup := func() (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateDeleteServerGroupRequest()
				req.ServerGroupId = e.v("sg")
				return v1(e.v1ALB.DeleteServerGroup(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.DeleteServerGroup(&alb.DeleteServerGroupRequest{ServerGroupId: tea.String(e.v("sg"))}))
			}
	}

	// A load balancer made through the API (alb_create.go).
	describeZones := func(lang string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateDescribeZonesRequest()
				req.AcceptLanguage = lang
				return v1(e.v1ALB.DescribeZones(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.DescribeZonesRequest{}
				if lang != "" {
					req.AcceptLanguage = tea.String(lang)
				}
				return acs3(e.alb.DescribeZones(req))
			}
	}
	createLB := func(edition string, zones ...string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		token := "create-alb"
		if edition != "Standard" {
			token += "-" + edition
		}
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateCreateLoadBalancerRequest()
				req.VpcId, req.AddressType, req.LoadBalancerEdition = "vpc-fake01", "Internet", edition
				req.LoadBalancerName, req.ClientToken, req.AddressAllocatedMode = "chat-alb", token, "Fixed"
				req.LoadBalancerBillingConfig = v1alb.CreateLoadBalancerLoadBalancerBillingConfig{PayType: "PostPay"}
				req.Tag = &[]v1alb.CreateLoadBalancerTag{{Key: "wsdeploy", Value: "demo"}}
				var zm []v1alb.CreateLoadBalancerZoneMappings
				for _, z := range zones {
					zm = append(zm, v1alb.CreateLoadBalancerZoneMappings{ZoneId: z, VSwitchId: "vsw-fake01" + z[len(z)-2:]})
				}
				req.ZoneMappings = &zm
				out, err := e.v1ALB.CreateLoadBalancer(req)
				if err == nil {
					e.vars["newalb"] = out.LoadBalancerId
				}
				return v1(out, err)
			}, func(e *confEnv) (any, error) {
				req := &alb.CreateLoadBalancerRequest{
					VpcId: tea.String("vpc-fake01"), AddressType: tea.String("Internet"), LoadBalancerEdition: tea.String(edition),
					LoadBalancerName: tea.String("chat-alb"), ClientToken: tea.String(token), AddressAllocatedMode: tea.String("Fixed"),
					LoadBalancerBillingConfig: &alb.CreateLoadBalancerRequestLoadBalancerBillingConfig{PayType: tea.String("PostPay")},
					Tag:                       []*alb.CreateLoadBalancerRequestTag{{Key: tea.String("wsdeploy"), Value: tea.String("demo")}},
				}
				for _, z := range zones {
					req.ZoneMappings = append(req.ZoneMappings, &alb.CreateLoadBalancerRequestZoneMappings{
						ZoneId: tea.String(z), VSwitchId: tea.String("vsw-fake01" + z[len(z)-2:]),
					})
				}
				out, err := e.alb.CreateLoadBalancer(req)
				if err == nil {
					e.vars["newalb"] = tea.StringValue(out.Body.LoadBalancerId)
				}
				return acs3(out, err)
			}
	}
	deleteLB := func(id string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		pick := func(e *confEnv) string {
			if id == "" {
				return e.v("newalb")
			}
			return id
		}
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateDeleteLoadBalancerRequest()
				req.LoadBalancerId = pick(e)
				return v1(e.v1ALB.DeleteLoadBalancer(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.DeleteLoadBalancer(&alb.DeleteLoadBalancerRequest{LoadBalancerId: tea.String(pick(e))}))
			}
	}
	protect := func(on bool, id string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		pick := func(e *confEnv) string {
			if id == "" {
				return e.v("newalb")
			}
			return id
		}
		return func(e *confEnv) (any, error) {
				if on {
					req := v1alb.CreateEnableDeletionProtectionRequest()
					req.ResourceId = pick(e)
					return v1(e.v1ALB.EnableDeletionProtection(req))
				}
				req := v1alb.CreateDisableDeletionProtectionRequest()
				req.ResourceId = pick(e)
				return v1(e.v1ALB.DisableDeletionProtection(req))
			}, func(e *confEnv) (any, error) {
				if on {
					return acs3(e.alb.EnableDeletionProtection(&alb.EnableDeletionProtectionRequest{ResourceId: tea.String(pick(e))}))
				}
				return acs3(e.alb.DisableDeletionProtection(&alb.DisableDeletionProtectionRequest{ResourceId: tea.String(pick(e))}))
			}
	}
	changeEdition := func(id, edition string, dry bool) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		pick := func(e *confEnv) string {
			if id == "" {
				return e.v("newalb")
			}
			return id
		}
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateUpdateLoadBalancerEditionRequest()
				req.LoadBalancerId, req.LoadBalancerEdition, req.ClientToken = pick(e), edition, "edition-"+edition
				if dry {
					req.DryRun = "true"
				}
				return v1(e.v1ALB.UpdateLoadBalancerEdition(req))
			}, func(e *confEnv) (any, error) {
				req := &alb.UpdateLoadBalancerEditionRequest{
					LoadBalancerId: tea.String(pick(e)), LoadBalancerEdition: tea.String(edition), ClientToken: tea.String("edition-" + edition),
				}
				if dry {
					req.DryRun = tea.Bool(true)
				}
				return acs3(e.alb.UpdateLoadBalancerEdition(req))
			}
	}
	renameLB := func(name string) (func(e *confEnv) (any, error), func(e *confEnv) (any, error)) {
		return func(e *confEnv) (any, error) {
				req := v1alb.CreateUpdateLoadBalancerAttributeRequest()
				req.LoadBalancerId, req.LoadBalancerName = e.v("newalb"), name
				return v1(e.v1ALB.UpdateLoadBalancerAttribute(req))
			}, func(e *confEnv) (any, error) {
				return acs3(e.alb.UpdateLoadBalancerAttribute(&alb.UpdateLoadBalancerAttributeRequest{
					LoadBalancerId: tea.String(e.v("newalb")), LoadBalancerName: tea.String(name),
				}))
			}
	}

	g := func(action string, f [2]func(*confEnv) (any, error)) confStep { return ok(P, action, f[0], f[1]) }
	b := func(status int, code, action string, f [2]func(*confEnv) (any, error)) confStep {
		return fails(status, code, P, action, f[0], f[1])
	}

	return []confStep{
		g("GetLoadBalancerAttribute", pair(getLB("alb-fake01"))),
		b(404, "ResourceNotFound.LoadBalancer", "GetLoadBalancerAttribute", pair(getLB("alb-nope"))),
		g("ListLoadBalancers", pair(listLBs(""))),
		b(400, "InvalidParameter", "ListLoadBalancers", pair(listLBs("Bogus"))),

		// A server group, its job, a replay of its ClientToken.
		g("CreateServerGroup", pair(createGroup("web", "create-web", true))),
		g("ListAsynJobs", pair(listJobs("", true))),
		b(400, "InvalidParameter", "ListAsynJobs", pair(listJobs("bogus", false))),
		b(400, "IncorrectStatus.ServerGroup", "AddServersToServerGroup", pair(addServers("", srv{"i-fake01", "5000", ""}))),
		settle(),
		g("CreateServerGroup", pair(createGroup("web", "create-web", false))),
		b(400, "IdempotenceSignatureMismatch", "CreateServerGroup", pair(createGroup("other", "create-web", false))),
		g("AddServersToServerGroup", pair(addServers("", srv{"i-fake01", "5000", "100"}, srv{"i-fake02", "5000", "50"}, srv{"i-fake03", "5000", ""}))),
		g("ListServerGroups", pair(listGroups(""))),
		b(400, "InvalidParameter", "ListServerGroups", pair(listGroups("Bogus"))),
		g("ListServerGroupServers", pair(listServers(""))),
		b(400, "InvalidParameter", "ListServerGroupServers", pair(listServers("101"))),
		settle(),
		g("UpdateServerGroupServersAttribute", pair(updateServers(srv{"i-fake01", "5000", "80"}))),
		settle(),
		b(400, "InvalidParameter", "UpdateServerGroupServersAttribute", pair(updateServers(srv{"i-fake01", "5000", "101"}))),
		g("ReplaceServersInServerGroup", pair(replaceServers("", srv{"i-fake03", "5000", ""}, srv{"i-fake03", "6000", "20"}))),
		settle(),
		b(404, "ResourceNotFound.ServerGroup", "ReplaceServersInServerGroup", pair(replaceServers("sgp-nope", srv{"i-fake03", "5000", ""}, srv{"i-fake03", "6000", "20"}))),
		g("RemoveServersFromServerGroup", pair(removeServers("", srv{"i-fake02", "5000", ""}))),
		settle(),
		b(404, "ResourceNotFound.ServerGroup", "RemoveServersFromServerGroup", pair(removeServers("sgp-nope", srv{"i-fake02", "5000", ""}))),
		g("UpdateServerGroupAttribute", pair(updateGroup("web-v2", "Wlc"))),
		settle(),
		b(400, "InvalidParameter", "UpdateServerGroupAttribute", pair(updateGroup("web-v2", "Bogus"))),
		g("ListServerGroupServers", pair(listServers("2"))),

		// A listener.
		b(400, "InvalidParameter", "CreateListener", pair(createListener("61"))),
		g("CreateListener", pair(createListener("15"))),
		g("GetListenerAttribute", pair(getListener(""))),
		b(404, "ResourceNotFound.Listener", "GetListenerAttribute", pair(getListener("lsn-nope"))),
		settle(),
		g("ListListeners", pair(listListeners(""))),
		b(400, "InvalidParameter", "ListListeners", pair(listListeners("FTP"))),
		{both: func(e *confEnv) {
			if err := e.ts.Update(func(st *State) error {
				inst, _ := st.Instance("i-fake01")
				inst.Health = "unhealthy"
				return nil
			}); err != nil {
				e.t.Fatal(err)
			}
		}},
		g("GetListenerHealthStatus", pair(health(""))),
		b(400, "InvalidParameter", "GetListenerHealthStatus", pair(health("31"))),
		g("UpdateListenerAttribute", pair(updateListener("150"))),
		settle(),
		b(400, "InvalidParameter", "UpdateListenerAttribute", pair(updateListener("181"))),
		g("StopListener", pair(stopListener())),
		settle(),
		b(400, "IncorrectStatus.Listener", "StopListener", pair(stopListener())),
		g("StartListener", pair(startListener())),
		settle(),
		b(400, "IncorrectStatus.Listener", "StartListener", pair(startListener())),
		g("GetListenerAttribute", pair(getListener(""))),

		// Tags.
		g("TagResources", pair(tag("env"))),
		b(400, "InvalidParameter", "TagResources", pair(tag("aliyun:env"))),
		g("ListTagResources", pair(listTags("listener"))),
		b(400, "InvalidParameter", "ListTagResources", pair(listTags("bogus"))),
		g("UnTagResources", pair(untag("env"))),
		b(400, "MissingParameter", "UnTagResources", pair(untag())),
		g("ListTagResources", pair(listTags("listener"))),

		// Teardown.
		b(400, "ResourceInUse.ServerGroup", "DeleteServerGroup", pair(deleteGroup())),
		g("DeleteListener", pair(deleteListener(""))),
		b(404, "ResourceNotFound.Listener", "DeleteListener", pair(deleteListener("lsn-nope"))),
		settle(),
		g("DeleteServerGroup", pair(deleteGroup())),
		g("ListAsynJobs", pair(listJobs("", false))),
		settle(),
		g("ListAsynJobs", pair(listJobs("servergroup", false))),

		// A load balancer of its own: zones, create, provisioning, delete.
		g("DescribeZones", pair(describeZones("en-US"))),
		b(400, "InvalidParameter", "DescribeZones", pair(describeZones("xx"))),
		b(400, "InvalidParameter", "CreateLoadBalancer", pair(createLB("Standard", "cn-hangzhou-h"))),
		b(400, "OperationDenied.ZoneNotSupport", "CreateLoadBalancer", pair(createLB("Standard", "cn-hangzhou-h", "cn-hangzhou-z"))),
		g("CreateLoadBalancer", pair(createLB("Standard", "cn-hangzhou-h", "cn-hangzhou-i"))),
		b(400, "IncorrectStatus.LoadBalancer", "DeleteLoadBalancer", pair(deleteLB(""))),
		settle(),
		g("CreateLoadBalancer", pair(createLB("Standard", "cn-hangzhou-h", "cn-hangzhou-i"))),
		g("GetLoadBalancerAttribute", [2]func(*confEnv) (any, error){
			func(e *confEnv) (any, error) { f, _ := getLB(e.v("newalb")); return f(e) },
			func(e *confEnv) (any, error) { _, f := getLB(e.v("newalb")); return f(e) },
		}),
		g("UpdateLoadBalancerAttribute", pair(renameLB("chat-alb-2"))),
		b(400, "InvalidParameter", "UpdateLoadBalancerAttribute", pair(renameLB("-bad"))),
		settle(),
		g("EnableDeletionProtection", pair(protect(true, ""))),
		b(404, "ResourceNotFound.LoadBalancer", "EnableDeletionProtection", pair(protect(true, "alb-nope"))),
		b(400, "OperationDenied.DeletionProtectionEnabled", "DeleteLoadBalancer", pair(deleteLB(""))),
		g("DisableDeletionProtection", pair(protect(false, ""))),
		b(404, "ResourceNotFound.LoadBalancer", "DisableDeletionProtection", pair(protect(false, "alb-nope"))),
		g("DeleteLoadBalancer", pair(deleteLB(""))),
		b(404, "ResourceNotFound.LoadBalancer", "DeleteLoadBalancer", pair(deleteLB("alb-nope"))),
		settle(),

		// A Basic one upgraded in place (alb_edition.go).
		g("CreateLoadBalancer", pair(createLB("Basic", "cn-hangzhou-h", "cn-hangzhou-i"))),
		b(400, "IncorrectStatus.LoadBalancer", "UpdateLoadBalancerEdition", pair(changeEdition("", "Standard", false))),
		settle(),
		b(400, "DryRunOperation", "UpdateLoadBalancerEdition", pair(changeEdition("", "Standard", true))),
		b(400, "InvalidParameter", "UpdateLoadBalancerEdition", pair(changeEdition("", "Premium", false))),
		b(404, "ResourceNotFound.LoadBalancer", "UpdateLoadBalancerEdition", pair(changeEdition("alb-nope", "Standard", false))),
		g("UpdateLoadBalancerEdition", pair(changeEdition("", "Standard", false))),
		g("GetLoadBalancerAttribute", [2]func(*confEnv) (any, error){
			func(e *confEnv) (any, error) { f, _ := getLB(e.v("newalb")); return f(e) },
			func(e *confEnv) (any, error) { _, f := getLB(e.v("newalb")); return f(e) },
		}),
		settle(),
		g("GetLoadBalancerAttribute", [2]func(*confEnv) (any, error){
			func(e *confEnv) (any, error) { f, _ := getLB(e.v("newalb")); return f(e) },
			func(e *confEnv) (any, error) { _, f := getLB(e.v("newalb")); return f(e) },
		}),
		b(400, "OperationDenied.LoadBalancerEdition", "UpdateLoadBalancerEdition", pair(changeEdition("", "Basic", false))),
		b(400, "OperationDenied.LoadBalancerEdition", "UpdateLoadBalancerEdition", pair(changeEdition("", "StandardWithWaf", false))),
	}
}
