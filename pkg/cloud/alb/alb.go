// Package alb adapts the ALB SDK (alb-20200616) to wsdeploy's resource vocabulary.
// Every method is one API call (plus pagination) retried per cloud.Retry on
// retryable errors; waits are separate (WaitJob).
package alb

import (
	"context"
	"strings"
	"sync"

	albsdk "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Client calls ALB.
type Client struct {
	api *cloud.Service[*albsdk.Client]
	// requests maps the JobIds writes answered to the write and the
	// RequestId of the answer (a jobNote): a job's wait is paced by its
	// write, and a failed job's error names the request to quote.
	requests sync.Map
}

// New builds a client. Without cfg.Waits, the client keeps its own.
func New(cfg cloud.Config) (*Client, error) {
	if cfg.Waits == nil {
		cfg.Waits = cloud.NewWaits()
	}
	api, err := cloud.NewService(cfg, "alb", "ALB", albsdk.NewClient)
	return &Client{api: api}, err
}

// GetLoadBalancer reads an ALB instance.
func (c *Client) GetLoadBalancer(ctx context.Context, id string) (resource.LoadBalancer, error) {
	var out resource.LoadBalancer
	err := c.api.Call(ctx, "GetLoadBalancerAttribute", false, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.GetLoadBalancerAttributeWithContext(ctx, &albsdk.GetLoadBalancerAttributeRequest{LoadBalancerId: tea.String(id)}, c.api.Runtime)
		if err != nil {
			return err
		}
		b := resp.Body
		out = resource.LoadBalancer{
			Type: "alb", ID: tea.StringValue(b.LoadBalancerId), Name: tea.StringValue(b.LoadBalancerName),
			DNSName: tea.StringValue(b.DNSName), VpcID: tea.StringValue(b.VpcId), Status: tea.StringValue(b.LoadBalancerStatus),
			Tags: map[string]string{},
		}
		for _, t := range b.Tags {
			out.Tags[tea.StringValue(t.Key)] = tea.StringValue(t.Value)
		}
		// The addresses ALB reaches its backends from: each zone's local addresses.
		for _, z := range b.ZoneMappings {
			for _, a := range z.LoadBalancerAddresses {
				out.LocalAddresses = append(out.LocalAddresses, tea.StringSliceValue(a.Ipv4LocalAddresses)...)
			}
		}
		return nil
	})
	return out, err
}

// ListServerGroupsByTag lists server groups carrying tag key=value, all pages.
func (c *Client) ListServerGroupsByTag(ctx context.Context, key, value string) ([]resource.ServerGroup, error) {
	return cloud.Pages(func(token *string) (out []resource.ServerGroup, next *string, err error) {
		err = c.api.Call(ctx, "ListServerGroups", false, func(ctx context.Context, sdk *albsdk.Client) error {
			resp, err := sdk.ListServerGroupsWithContext(ctx, &albsdk.ListServerGroupsRequest{
				Tag:        []*albsdk.ListServerGroupsRequestTag{{Key: tea.String(key), Value: tea.String(value)}},
				MaxResults: tea.Int32(c.api.Config.Page()),
				NextToken:  token,
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			for _, g := range resp.Body.ServerGroups {
				out = append(out, serverGroupFrom(g))
			}
			next = resp.Body.NextToken
			return nil
		})
		return out, next, err
	})
}

func serverGroupFrom(g *albsdk.ListServerGroupsResponseBodyServerGroups) resource.ServerGroup {
	sg := resource.ServerGroup{
		ID: tea.StringValue(g.ServerGroupId), Name: tea.StringValue(g.ServerGroupName), Status: tea.StringValue(g.ServerGroupStatus),
		VpcID: tea.StringValue(g.VpcId), Protocol: tea.StringValue(g.Protocol), Tags: map[string]string{},
	}
	for _, t := range g.Tags {
		sg.Tags[tea.StringValue(t.Key)] = tea.StringValue(t.Value)
	}
	sg.LoadBalancerIDs = tea.StringSliceValue(g.RelatedLoadBalancerIds)
	if len(sg.LoadBalancerIDs) == 0 {
		sg.LoadBalancerIDs = nil
	}
	if h := g.HealthCheckConfig; h != nil {
		sg.HealthCheck = resource.HealthCheck{
			Enabled: tea.BoolValue(h.HealthCheckEnabled), Path: tea.StringValue(h.HealthCheckPath), Method: tea.StringValue(h.HealthCheckMethod),
			Codes: tea.StringSliceValue(h.HealthCheckCodes), Interval: int(tea.Int32Value(h.HealthCheckInterval)), Timeout: int(tea.Int32Value(h.HealthCheckTimeout)),
			HealthyThreshold: int(tea.Int32Value(h.HealthyThreshold)), UnhealthyThreshold: int(tea.Int32Value(h.UnhealthyThreshold)),
		}
	}
	if s := g.StickySessionConfig; s != nil {
		sg.StickySession = resource.StickySession{
			Enabled: tea.BoolValue(s.StickySessionEnabled), Type: tea.StringValue(s.StickySessionType),
			CookieTimeout: int(tea.Int32Value(s.CookieTimeout)), Cookie: tea.StringValue(s.Cookie),
		}
	}
	return sg
}

// ListServers lists a server group's servers, all pages.
func (c *Client) ListServers(ctx context.Context, groupID string) ([]resource.Backend, error) {
	return cloud.Pages(func(token *string) (out []resource.Backend, next *string, err error) {
		err = c.api.Call(ctx, "ListServerGroupServers", false, func(ctx context.Context, sdk *albsdk.Client) error {
			resp, err := sdk.ListServerGroupServersWithContext(ctx, &albsdk.ListServerGroupServersRequest{
				ServerGroupId: tea.String(groupID), MaxResults: tea.Int32(c.api.Config.Page()), NextToken: token,
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			for _, s := range resp.Body.Servers {
				out = append(out, resource.Backend{
					InstanceID: tea.StringValue(s.ServerId), Port: int(tea.Int32Value(s.Port)),
					Weight: int(tea.Int32Value(s.Weight)), Status: tea.StringValue(s.Status),
				})
			}
			next = resp.Body.NextToken
			return nil
		})
		return out, next, err
	})
}

// ListListeners lists every listener of a load balancer (owned or not), all pages.
// Certificates are not part of the list response; see GetListener.
func (c *Client) ListListeners(ctx context.Context, lbID string) ([]resource.Listener, error) {
	return cloud.Pages(func(token *string) (out []resource.Listener, next *string, err error) {
		err = c.api.Call(ctx, "ListListeners", false, func(ctx context.Context, sdk *albsdk.Client) error {
			resp, err := sdk.ListListenersWithContext(ctx, &albsdk.ListListenersRequest{
				LoadBalancerIds: []*string{tea.String(lbID)}, MaxResults: tea.Int32(c.api.Config.Page()), NextToken: token,
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			for _, l := range resp.Body.Listeners {
				li := resource.Listener{
					ID: tea.StringValue(l.ListenerId), Protocol: tea.StringValue(l.ListenerProtocol), Port: int(tea.Int32Value(l.ListenerPort)),
					Status: tea.StringValue(l.ListenerStatus), IdleTimeout: int(tea.Int32Value(l.IdleTimeout)),
					RequestTimeout: int(tea.Int32Value(l.RequestTimeout)), Description: tea.StringValue(l.ListenerDescription),
					Tags: map[string]string{},
				}
				for _, t := range l.Tags {
					li.Tags[tea.StringValue(t.Key)] = tea.StringValue(t.Value)
				}
				for _, a := range l.DefaultActions {
					if a.ForwardGroupConfig != nil {
						for _, t := range a.ForwardGroupConfig.ServerGroupTuples {
							li.ServerGroupID = tea.StringValue(t.ServerGroupId)
						}
					}
				}
				out = append(out, li)
			}
			next = resp.Body.NextToken
			return nil
		})
		return out, next, err
	})
}

// ListenerCertificate reads the (first) certificate ID of a listener.
func (c *Client) ListenerCertificate(ctx context.Context, listenerID string) (string, error) {
	var cert string
	err := c.api.Call(ctx, "GetListenerAttribute", false, func(ctx context.Context, sdk *albsdk.Client) error {
		resp, err := sdk.GetListenerAttributeWithContext(ctx, &albsdk.GetListenerAttributeRequest{ListenerId: tea.String(listenerID)}, c.api.Runtime)
		if err != nil {
			return err
		}
		for _, ct := range resp.Body.Certificates {
			cert = tea.StringValue(ct.CertificateId)
			break
		}
		return nil
	})
	return cert, err
}

// ListenerHealth lists the backends of a listener that are not healthy, all
// pages (ALB lists only non-normal servers; absence means healthy).
func (c *Client) ListenerHealth(ctx context.Context, l resource.Listener) ([]resource.BackendHealth, error) {
	return cloud.Pages(func(token *string) (out []resource.BackendHealth, next *string, err error) {
		err = c.api.Call(ctx, "GetListenerHealthStatus", false, func(ctx context.Context, sdk *albsdk.Client) error {
			out = nil
			resp, err := sdk.GetListenerHealthStatusWithContext(ctx, &albsdk.GetListenerHealthStatusRequest{
				ListenerId: tea.String(l.ID), MaxResults: tea.Int64(30), NextToken: token,
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			for _, lh := range resp.Body.ListenerHealthStatus {
				for _, g := range lh.ServerGroupInfos {
					for _, s := range g.NonNormalServers {
						h := resource.BackendHealth{
							InstanceID: tea.StringValue(s.ServerId), Port: int(tea.Int32Value(s.Port)), Listener: l.Name(),
							Health: strings.ToLower(tea.StringValue(s.Status)), // Initial | Unhealthy | Unused | Unavailable
						}
						if s.Reason != nil {
							h.Reason = tea.StringValue(s.Reason.ReasonCode)
							h.Expected, h.Actual = tea.StringValue(s.Reason.ExpectedResponse), tea.StringValue(s.Reason.ActualResponse)
						}
						out = append(out, h)
					}
				}
			}
			next = resp.Body.NextToken
			return nil
		})
		return out, next, err
	})
}
