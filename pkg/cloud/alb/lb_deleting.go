package alb

import (
	"context"

	albsdk "github.com/alibabacloud-go/alb-20200616/v2/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// markDeleting sets Status resource.LBStatusDeleting on the instances
// being deleted. ALB has no such status (ListLoadBalancers'
// LoadBalancerStatus is Inactive, Active, Provisioning, Configuring or
// CreateFailed): an instance being deleted shows Configuring, and its
// DeleteLoadBalancer job is Processing (ListAsynJobs). Only Configuring
// instances are looked up, in one listing.
func (c *Client) markDeleting(ctx context.Context, lbs []resource.LoadBalancer) error {
	var ids []*string
	for _, lb := range lbs {
		if lb.Status == "Configuring" {
			ids = append(ids, tea.String(lb.ID))
		}
	}
	if len(ids) == 0 {
		return nil
	}
	deleting, err := cloud.Pages(func(token *string) (out []string, next *string, err error) {
		err = c.api.Call(ctx, "ListAsynJobs", false, func(ctx context.Context, sdk *albsdk.Client) error {
			resp, err := sdk.ListAsynJobsWithContext(ctx, &albsdk.ListAsynJobsRequest{
				ResourceType: tea.String("loadbalancer"), ResourceIds: ids, ApiName: tea.String("DeleteLoadBalancer"),
				MaxResults: tea.Int64(int64(c.api.Config.Page())), NextToken: token,
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			for _, j := range resp.Body.Jobs {
				if tea.StringValue(j.Status) == "Processing" {
					out = append(out, tea.StringValue(j.ResourceId))
				}
			}
			next = resp.Body.NextToken
			return nil
		})
		return out, next, err
	})
	if err != nil {
		return err
	}
	for i := range lbs {
		for _, id := range deleting {
			if lbs[i].ID == id && lbs[i].Status == "Configuring" {
				lbs[i].Status = resource.LBStatusDeleting
			}
		}
	}
	return nil
}
