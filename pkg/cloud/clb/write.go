package clb

import (
	"context"
	"encoding/json"
	"strings"

	slbsdk "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// CreateGroup creates a vServer group, tagged, and returns its ID. It is
// called once, without retries: see ListGroupsByTag to recover.
func (c *Client) CreateGroup(ctx context.Context, lbID, name string, tags map[string]string) (string, error) {
	req := &slbsdk.CreateVServerGroupRequest{RegionId: c.region(), LoadBalancerId: tea.String(lbID), VServerGroupName: tea.String(name)}
	for _, k := range resource.SortedKeys(tags) {
		req.Tag = append(req.Tag, &slbsdk.CreateVServerGroupRequestTag{Key: tea.String(k), Value: tea.String(tags[k])})
	}
	var id string
	err := c.api.Once(ctx, "CreateVServerGroup", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		resp, err := sdk.CreateVServerGroupWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		id = tea.StringValue(resp.Body.VServerGroupId)
		return nil
	})
	return id, err
}

// DeleteGroup deletes a vServer group; already gone is success.
func (c *Client) DeleteGroup(ctx context.Context, id string) error {
	err := c.api.Call(ctx, "DeleteVServerGroup", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		_, err := sdk.DeleteVServerGroupWithContext(ctx, &slbsdk.DeleteVServerGroupRequest{RegionId: c.region(), VServerGroupId: tea.String(id)}, c.api.Runtime)
		return err
	})
	if groupGone(err) {
		return nil
	}
	return err
}

// groupGone recognises "The specified VServerGroupId does not exist", which CLB
// reports as InvalidParameter (HTTP 404), as Terraform does.
func groupGone(err error) bool {
	var e *cloud.Error
	if cloud.IsNotFound(err) {
		return true
	}
	if ce, ok := err.(*cloud.Error); ok {
		e = ce
	}
	return e != nil && e.Code == "InvalidParameter" && e.HTTPStatus == 404
}

// AddServers attaches up to resource.CLBServersPerCall servers.
func (c *Client) AddServers(ctx context.Context, groupID string, servers []resource.Backend) error {
	js, err := backendsJSON(servers, true)
	if err != nil {
		return err
	}
	return c.api.Once(ctx, "AddVServerGroupBackendServers", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		_, err := sdk.AddVServerGroupBackendServersWithContext(ctx, &slbsdk.AddVServerGroupBackendServersRequest{RegionId: c.region(), VServerGroupId: tea.String(groupID), BackendServers: js}, c.api.Runtime)
		return err
	})
}

// RemoveServers detaches up to resource.CLBServersPerCall servers.
func (c *Client) RemoveServers(ctx context.Context, groupID string, servers []resource.Backend) error {
	js, err := backendsJSON(servers, false)
	if err != nil {
		return err
	}
	return c.api.Call(ctx, "RemoveVServerGroupBackendServers", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		_, err := sdk.RemoveVServerGroupBackendServersWithContext(ctx, &slbsdk.RemoveVServerGroupBackendServersRequest{RegionId: c.region(), VServerGroupId: tea.String(groupID), BackendServers: js}, c.api.Runtime)
		return err
	})
}

// SetWeights changes the weights of up to resource.CLBServersPerCall member servers.
func (c *Client) SetWeights(ctx context.Context, groupID string, servers []resource.Backend) error {
	js, err := backendsJSON(servers, true)
	if err != nil {
		return err
	}
	return c.api.Call(ctx, "SetVServerGroupAttribute", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		_, err := sdk.SetVServerGroupAttributeWithContext(ctx, &slbsdk.SetVServerGroupAttributeRequest{RegionId: c.region(), VServerGroupId: tea.String(groupID), BackendServers: js}, c.api.Runtime)
		return err
	})
}

// listenerParams holds the fields HTTP and HTTPS create/set requests share,
// under their API names, so one value fills either request (through JSON).
func listenerParams(region, lbID string, s resource.Listener) map[string]any {
	var hc resource.HealthCheck
	if s.HealthCheck != nil {
		hc = *s.HealthCheck
	}
	var ss resource.StickySession
	if s.StickySession != nil {
		ss = *s.StickySession
	}
	m := map[string]any{
		"RegionId": region, "LoadBalancerId": lbID, "ListenerPort": s.Port,
		"Bandwidth": -1, "IdleTimeout": s.IdleTimeout, "RequestTimeout": s.RequestTimeout,
		"VServerGroupId": s.ServerGroupID, "Description": s.Description,
		"HealthCheck": onOff(hc.Enabled), "StickySession": onOff(ss.Enabled),
	}
	if hc.Enabled {
		m["HealthCheckURI"] = hc.Path
		m["HealthCheckMethod"] = strings.ToLower(hc.Method)
		m["HealthCheckHttpCode"] = strings.Join(hc.Codes, ",")
		m["HealthCheckInterval"] = hc.Interval
		m["HealthCheckTimeout"] = hc.Timeout
		m["HealthyThreshold"] = hc.HealthyThreshold
		m["UnhealthyThreshold"] = hc.UnhealthyThreshold
	}
	if ss.Enabled {
		m["StickySessionType"] = strings.ToLower(ss.Type)
		if strings.EqualFold(ss.Type, "server") {
			m["Cookie"] = ss.Cookie
		} else {
			m["CookieTimeout"] = ss.CookieTimeout
		}
	}
	if s.Protocol == "HTTPS" {
		m["ServerCertificateId"] = s.CertificateID
	}
	return m
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func fill(dst any, m map[string]any) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}

// CreateListener creates a listener on lbID (it starts out stopped) with its
// tags, forwarding to s.ServerGroupID.
func (c *Client) CreateListener(ctx context.Context, lbID string, s resource.Listener) error {
	m := listenerParams(c.api.Config.Region, lbID, s)
	var tags []map[string]string
	for _, k := range resource.SortedKeys(s.Tags) {
		tags = append(tags, map[string]string{"Key": k, "Value": s.Tags[k]})
	}
	m["Tag"] = tags
	if s.Protocol == "HTTPS" {
		req := &slbsdk.CreateLoadBalancerHTTPSListenerRequest{}
		if err := fill(req, m); err != nil {
			return err
		}
		return c.api.Once(ctx, "CreateLoadBalancerHTTPSListener", true, func(ctx context.Context, sdk *slbsdk.Client) error {
			_, err := sdk.CreateLoadBalancerHTTPSListenerWithContext(ctx, req, c.api.Runtime)
			return err
		})
	}
	req := &slbsdk.CreateLoadBalancerHTTPListenerRequest{}
	if err := fill(req, m); err != nil {
		return err
	}
	return c.api.Once(ctx, "CreateLoadBalancerHTTPListener", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		_, err := sdk.CreateLoadBalancerHTTPListenerWithContext(ctx, req, c.api.Runtime)
		return err
	})
}

// UpdateListener sets every managed attribute of a listener of lbID.
func (c *Client) UpdateListener(ctx context.Context, lbID string, s resource.Listener) error {
	m := listenerParams(c.api.Config.Region, lbID, s)
	m["VServerGroup"] = "on"
	if s.Protocol == "HTTPS" {
		req := &slbsdk.SetLoadBalancerHTTPSListenerAttributeRequest{}
		if err := fill(req, m); err != nil {
			return err
		}
		return c.api.Call(ctx, "SetLoadBalancerHTTPSListenerAttribute", true, func(ctx context.Context, sdk *slbsdk.Client) error {
			_, err := sdk.SetLoadBalancerHTTPSListenerAttributeWithContext(ctx, req, c.api.Runtime)
			return err
		})
	}
	req := &slbsdk.SetLoadBalancerHTTPListenerAttributeRequest{}
	if err := fill(req, m); err != nil {
		return err
	}
	return c.api.Call(ctx, "SetLoadBalancerHTTPListenerAttribute", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		_, err := sdk.SetLoadBalancerHTTPListenerAttributeWithContext(ctx, req, c.api.Runtime)
		return err
	})
}

// StartListener starts a stopped listener.
func (c *Client) StartListener(ctx context.Context, lbID, protocol string, port int) error {
	return c.api.Once(ctx, "StartLoadBalancerListener", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		_, err := sdk.StartLoadBalancerListenerWithContext(ctx, &slbsdk.StartLoadBalancerListenerRequest{
			RegionId: c.region(), LoadBalancerId: tea.String(lbID), ListenerPort: tea.Int32(int32(port)), ListenerProtocol: tea.String(strings.ToLower(protocol)),
		}, c.api.Runtime)
		return err
	})
}

// DeleteListener deletes a listener; already gone is success.
func (c *Client) DeleteListener(ctx context.Context, lbID, protocol string, port int) error {
	err := c.api.Call(ctx, "DeleteLoadBalancerListener", true, func(ctx context.Context, sdk *slbsdk.Client) error {
		_, err := sdk.DeleteLoadBalancerListenerWithContext(ctx, &slbsdk.DeleteLoadBalancerListenerRequest{
			RegionId: c.region(), LoadBalancerId: tea.String(lbID), ListenerPort: tea.Int32(int32(port)), ListenerProtocol: tea.String(strings.ToLower(protocol)),
		}, c.api.Runtime)
		return err
	})
	if cloud.IsNotFound(err) {
		return nil
	}
	return err
}
