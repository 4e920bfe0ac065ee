// Package clb adapts the CLB SDK (API product Slb, slb-20140515) to wsdeploy's
// resource vocabulary. CLB is synchronous: writes take effect when they
// return, but listeners are created stopped and must be started.
package clb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	slbsdk "github.com/alibabacloud-go/slb-20140515/v4/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Client calls CLB.
type Client struct {
	api    *cloud.Service[*slbsdk.Client]
	groups groupChecks // the race checks of the groups it created (groupcheck.go)
}

// New builds a client. Without cfg.Waits, the client keeps its own.
func New(cfg cloud.Config) (*Client, error) {
	if cfg.Waits == nil {
		cfg.Waits = cloud.NewWaits()
	}
	api, err := cloud.NewService(cfg, "slb", "CLB", slbsdk.NewClient)
	return &Client{api: api}, err
}

func (c *Client) region() *string { return tea.String(c.api.Config.Region) }

// ListenerID is the resource ID CLB uses for a listener in tag calls.
func ListenerID(lbID, protocol string, port int) string {
	return fmt.Sprintf("%s_%s_%d", lbID, strings.ToLower(protocol), port)
}

// GetLoadBalancer reads a CLB instance.
func (c *Client) GetLoadBalancer(ctx context.Context, id string) (resource.LoadBalancer, error) {
	var out resource.LoadBalancer
	err := c.api.Call(ctx, "DescribeLoadBalancerAttribute", false, func(ctx context.Context, sdk *slbsdk.Client) error {
		resp, err := sdk.DescribeLoadBalancerAttributeWithContext(ctx, &slbsdk.DescribeLoadBalancerAttributeRequest{RegionId: c.region(), LoadBalancerId: tea.String(id)}, c.api.Runtime)
		if err != nil {
			return err
		}
		b := resp.Body
		out = resource.LoadBalancer{
			Type: "clb", ID: tea.StringValue(b.LoadBalancerId), Name: tea.StringValue(b.LoadBalancerName),
			Address: tea.StringValue(b.Address), VpcID: tea.StringValue(b.VpcId), Status: tea.StringValue(b.LoadBalancerStatus),
		}
		return nil
	})
	return out, err
}

// ListGroupsByTag lists the vServer groups of a CLB that carry tag key=value.
func (c *Client) ListGroupsByTag(ctx context.Context, lbID, key, value string) ([]resource.ServerGroup, error) {
	return c.listGroupsByTag(ctx, lbID, key, value, false)
}

// listGroupsByTag is ListGroupsByTag; withListeners also asks which groups
// a listener forwards to: their LoadBalancerIDs is {lbID}.
func (c *Client) listGroupsByTag(ctx context.Context, lbID, key, value string, withListeners bool) ([]resource.ServerGroup, error) {
	var out []resource.ServerGroup
	err := c.api.Call(ctx, "DescribeVServerGroups", false, func(ctx context.Context, sdk *slbsdk.Client) error {
		out = nil
		req := &slbsdk.DescribeVServerGroupsRequest{
			RegionId: c.region(), LoadBalancerId: tea.String(lbID),
			Tag: []*slbsdk.DescribeVServerGroupsRequestTag{{Key: tea.String(key), Value: tea.String(value)}},
		}
		if withListeners {
			req.IncludeListener = tea.Bool(true)
		}
		resp, err := sdk.DescribeVServerGroupsWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		if resp.Body.VServerGroups == nil {
			return nil
		}
		for _, g := range resp.Body.VServerGroups.VServerGroup {
			sg := resource.ServerGroup{ID: tea.StringValue(g.VServerGroupId), Name: tea.StringValue(g.VServerGroupName), Tags: map[string]string{}}
			if g.Tags != nil {
				for _, t := range g.Tags.Tag {
					sg.Tags[tea.StringValue(t.TagKey)] = tea.StringValue(t.TagValue)
				}
			}
			if a := g.AssociatedObjects; a != nil && a.Listeners != nil && len(a.Listeners.Listener) > 0 {
				sg.LoadBalancerIDs = []string{lbID}
			}
			out = append(out, sg)
		}
		return nil
	})
	return out, err
}

// ListGroupIDsByTag lists the IDs of the vServer groups in the region, on any
// CLB, that carry tag key=value (ListTagResources, all pages).
func (c *Client) ListGroupIDsByTag(ctx context.Context, key, value string) ([]string, error) {
	seen := map[string]bool{}
	return cloud.Pages(func(token *string) (out []string, next *string, err error) {
		err = c.api.Call(ctx, "ListTagResources", false, func(ctx context.Context, sdk *slbsdk.Client) error {
			resp, err := sdk.ListTagResourcesWithContext(ctx, &slbsdk.ListTagResourcesRequest{
				RegionId: c.region(), ResourceType: tea.String("vservergroup"), NextToken: token,
				Tag: []*slbsdk.ListTagResourcesRequestTag{{Key: tea.String(key), Value: tea.String(value)}},
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			if resp.Body.TagResources != nil {
				for _, r := range resp.Body.TagResources.TagResource {
					if id := tea.StringValue(r.ResourceId); id != "" && !seen[id] {
						seen[id] = true
						out = append(out, id)
					}
				}
			}
			next = resp.Body.NextToken
			return nil
		})
		return out, next, err
	})
}

// GroupLoadBalancer returns the ID of the CLB a vServer group belongs to.
func (c *Client) GroupLoadBalancer(ctx context.Context, groupID string) (string, error) {
	g, err := c.vServerGroup(ctx, groupID)
	if err != nil {
		return "", err
	}
	return tea.StringValue(g.LoadBalancerId), nil
}

// ListServers lists a vServer group's servers.
func (c *Client) ListServers(ctx context.Context, groupID string) ([]resource.Backend, error) {
	g, err := c.vServerGroup(ctx, groupID)
	if err != nil || g.BackendServers == nil {
		return nil, err
	}
	var out []resource.Backend
	for _, s := range g.BackendServers.BackendServer {
		out = append(out, resource.Backend{InstanceID: tea.StringValue(s.ServerId), Port: int(tea.Int32Value(s.Port)), Weight: int(tea.Int32Value(s.Weight))})
	}
	return out, nil
}

// vServerGroup reads a vServer group (DescribeVServerGroupAttribute).
func (c *Client) vServerGroup(ctx context.Context, groupID string) (*slbsdk.DescribeVServerGroupAttributeResponseBody, error) {
	var body *slbsdk.DescribeVServerGroupAttributeResponseBody
	err := c.api.Call(ctx, "DescribeVServerGroupAttribute", false, func(ctx context.Context, sdk *slbsdk.Client) error {
		resp, err := sdk.DescribeVServerGroupAttributeWithContext(ctx, &slbsdk.DescribeVServerGroupAttributeRequest{RegionId: c.region(), VServerGroupId: tea.String(groupID)}, c.api.Runtime)
		if err != nil {
			return err
		}
		body = resp.Body
		return nil
	})
	return body, err
}

// ListListeners lists every listener of a CLB (owned or not), all pages.
func (c *Client) ListListeners(ctx context.Context, lbID string) ([]resource.Listener, error) {
	return cloud.Pages(func(token *string) (out []resource.Listener, next *string, err error) {
		err = c.api.Call(ctx, "DescribeLoadBalancerListeners", false, func(ctx context.Context, sdk *slbsdk.Client) error {
			out = nil
			resp, err := sdk.DescribeLoadBalancerListenersWithContext(ctx, &slbsdk.DescribeLoadBalancerListenersRequest{
				RegionId: c.region(), LoadBalancerId: []*string{tea.String(lbID)}, MaxResults: tea.Int32(c.api.Config.Page()), NextToken: token,
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			for _, l := range resp.Body.Listeners {
				out = append(out, listenerFrom(lbID, l))
			}
			next = resp.Body.NextToken
			return nil
		})
		return out, next, err
	})
}

func listenerFrom(lbID string, l *slbsdk.DescribeLoadBalancerListenersResponseBodyListeners) resource.Listener {
	proto := strings.ToUpper(tea.StringValue(l.ListenerProtocol))
	port := int(tea.Int32Value(l.ListenerPort))
	out := resource.Listener{
		ID: ListenerID(lbID, proto, port), Protocol: proto, Port: port, Status: tea.StringValue(l.Status),
		ServerGroupID: tea.StringValue(l.VServerGroupId), Description: tea.StringValue(l.Description), Tags: map[string]string{},
	}
	for _, t := range l.Tags {
		out.Tags[tea.StringValue(t.TagKey)] = tea.StringValue(t.TagValue)
	}
	// HTTP and HTTPS configs share their field names; read either through JSON.
	var cfg struct {
		IdleTimeout, RequestTimeout                                   int32
		HealthCheck, HealthCheckURI, HealthCheckMethod                string
		HealthCheckHttpCode                                           string
		HealthCheckInterval, HealthCheckTimeout                       int32
		HealthyThreshold, UnhealthyThreshold, CookieTimeout           int32
		StickySession, StickySessionType, Cookie, ServerCertificateId string
	}
	var raw []byte
	switch {
	case l.HTTPSListenerConfig != nil:
		raw, _ = json.Marshal(l.HTTPSListenerConfig)
	case l.HTTPListenerConfig != nil:
		raw, _ = json.Marshal(l.HTTPListenerConfig)
	}
	if raw != nil && json.Unmarshal(raw, &cfg) == nil {
		out.IdleTimeout, out.RequestTimeout = int(cfg.IdleTimeout), int(cfg.RequestTimeout)
		out.CertificateID = cfg.ServerCertificateId
		hc := &resource.HealthCheck{Enabled: cfg.HealthCheck == "on"}
		if hc.Enabled {
			hc.Path, hc.Method = cfg.HealthCheckURI, strings.ToUpper(cfg.HealthCheckMethod)
			if cfg.HealthCheckHttpCode != "" {
				hc.Codes = strings.Split(cfg.HealthCheckHttpCode, ",")
			}
			hc.Interval, hc.Timeout = int(cfg.HealthCheckInterval), int(cfg.HealthCheckTimeout)
			hc.HealthyThreshold, hc.UnhealthyThreshold = int(cfg.HealthyThreshold), int(cfg.UnhealthyThreshold)
		}
		out.HealthCheck = hc
		ss := &resource.StickySession{Enabled: cfg.StickySession == "on"}
		if ss.Enabled {
			ss.Type = titleType(cfg.StickySessionType)
			if ss.Type == "Server" {
				ss.Cookie = cfg.Cookie
			} else {
				ss.CookieTimeout = int(cfg.CookieTimeout)
			}
		}
		out.StickySession = ss
	}
	return out
}

// titleType maps CLB's insert/server to wsdeploy's Insert/Server.
func titleType(t string) string {
	switch strings.ToLower(t) {
	case "insert":
		return "Insert"
	case "server":
		return "Server"
	}
	return t
}

// ListenerStatus reads one listener's status ("" when it does not exist).
func (c *Client) ListenerStatus(ctx context.Context, lbID, protocol string, port int) (string, error) {
	var status string
	action := "DescribeLoadBalancer" + protocol + "ListenerAttribute"
	err := c.api.Call(ctx, action, false, func(ctx context.Context, sdk *slbsdk.Client) error {
		if protocol == "HTTPS" {
			resp, err := sdk.DescribeLoadBalancerHTTPSListenerAttributeWithContext(ctx, &slbsdk.DescribeLoadBalancerHTTPSListenerAttributeRequest{
				RegionId: c.region(), LoadBalancerId: tea.String(lbID), ListenerPort: tea.Int32(int32(port)),
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			status = tea.StringValue(resp.Body.Status)
			return nil
		}
		resp, err := sdk.DescribeLoadBalancerHTTPListenerAttributeWithContext(ctx, &slbsdk.DescribeLoadBalancerHTTPListenerAttributeRequest{
			RegionId: c.region(), LoadBalancerId: tea.String(lbID), ListenerPort: tea.Int32(int32(port)),
		}, c.api.Runtime)
		if err != nil {
			return err
		}
		status = tea.StringValue(resp.Body.Status)
		return nil
	})
	if cloud.IsNotFound(err) || listenerMissing(err) {
		return "", nil
	}
	return status, err
}

// listenerMissing recognises how Describe{HTTP,HTTPS}ListenerAttribute says
// that a listener is not there (or, just after its creation, not visible
// yet): InvalidParameter "The specified resource does not exist." (HTTP
// 400), which Terraform reads as not found too. The code alone is not enough
// (it also means a bad parameter), so the message decides.
func listenerMissing(err error) bool {
	var e *cloud.Error
	return errors.As(err, &e) && e.Code == "InvalidParameter" && strings.Contains(e.Message, "specified resource does not exist")
}

// HealthStatus reads the health of every backend of every listener of a CLB.
func (c *Client) HealthStatus(ctx context.Context, lbID string) ([]resource.BackendHealth, error) {
	var out []resource.BackendHealth
	err := c.api.Call(ctx, "DescribeHealthStatus", false, func(ctx context.Context, sdk *slbsdk.Client) error {
		out = nil
		resp, err := sdk.DescribeHealthStatusWithContext(ctx, &slbsdk.DescribeHealthStatusRequest{RegionId: c.region(), LoadBalancerId: tea.String(lbID)}, c.api.Runtime)
		if err != nil {
			return err
		}
		if resp.Body.BackendServers == nil {
			return nil
		}
		for _, b := range resp.Body.BackendServers.BackendServer {
			h := resource.BackendHealth{
				InstanceID: tea.StringValue(b.ServerId), Port: int(tea.Int32Value(b.Port)),
				Listener: fmt.Sprintf("%s:%d", strings.ToUpper(tea.StringValue(b.Protocol)), tea.Int32Value(b.ListenerPort)),
			}
			switch tea.StringValue(b.ServerHealthStatus) {
			case "normal":
				h.Health = "healthy"
			case "abnormal":
				h.Health, h.Reason = "unhealthy", "health check failed"
			default: // unavailable: no health check result yet, or checks are off
				h.Health, h.Reason = "unavailable", "no health check result"
			}
			out = append(out, h)
		}
		return nil
	})
	return out, err
}

func backendsJSON(servers []resource.Backend, withWeight bool) (*string, error) {
	if len(servers) > resource.CLBServersPerCall {
		return nil, fmt.Errorf("%d servers: at most %d per call", len(servers), resource.CLBServersPerCall)
	}
	type item struct {
		ServerID string `json:"ServerId"`
		Port     string `json:"Port"`
		Weight   string `json:"Weight,omitempty"`
		Type     string `json:"Type"`
	}
	items := make([]item, 0, len(servers))
	for _, s := range servers {
		it := item{ServerID: s.InstanceID, Port: strconv.Itoa(s.Port), Type: "ecs"}
		if withWeight {
			it.Weight = strconv.Itoa(s.Weight)
		}
		items = append(items, it)
	}
	b, err := json.Marshal(items)
	if err != nil {
		return nil, err
	}
	return tea.String(string(b)), nil
}
