// Package ecs looks up ECS instances (ecs-20140526 DescribeInstances) and
// reads and changes the inbound rules of their security groups
// (securitygroups.go).
package ecs

import (
	"context"
	"encoding/json"
	"fmt"

	ecssdk "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Client calls ECS.
type Client struct {
	api *cloud.Service[*ecssdk.Client]
}

// New builds a client.
func New(cfg cloud.Config) (*Client, error) {
	api, err := cloud.NewService(cfg, "ecs", "ECS", ecssdk.NewClient)
	return &Client{api: api}, err
}

// List returns the instances matching f, all pages.
func (c *Client) List(ctx context.Context, f resource.InstanceFilter) ([]resource.Instance, error) {
	req := &ecssdk.DescribeInstancesRequest{RegionId: tea.String(c.api.Config.Region), MaxResults: tea.Int32(c.api.Config.Page())}
	if f.VpcID != "" {
		req.VpcId = tea.String(f.VpcID)
	}
	if len(f.IDs) > 0 {
		if len(f.IDs) > resource.InstanceIDsPerCall {
			return nil, fmt.Errorf("look up %d instances: at most %d per call", len(f.IDs), resource.InstanceIDsPerCall)
		}
		b, _ := json.Marshal(f.IDs)
		req.InstanceIds = tea.String(string(b))
	}
	if f.TagKey != "" {
		req.Tag = []*ecssdk.DescribeInstancesRequestTag{{Key: tea.String(f.TagKey)}}
	}
	var out []resource.Instance
	for {
		var next string
		err := c.api.Call(ctx, "DescribeInstances", false, func(ctx context.Context, sdk *ecssdk.Client) error {
			resp, err := sdk.DescribeInstancesWithContext(ctx, req, c.api.Runtime)
			if err != nil {
				return err
			}
			if resp.Body.Instances != nil {
				for _, in := range resp.Body.Instances.Instance {
					ri := resource.Instance{ID: tea.StringValue(in.InstanceId), Name: tea.StringValue(in.InstanceName), Status: tea.StringValue(in.Status)}
					if in.Tags != nil {
						for _, t := range in.Tags.Tag {
							if ri.Tags == nil {
								ri.Tags = map[string]string{}
							}
							ri.Tags[tea.StringValue(t.TagKey)] = tea.StringValue(t.TagValue)
						}
					}
					if va := in.VpcAttributes; va != nil {
						ri.VpcID = tea.StringValue(va.VpcId)
						if va.PrivateIpAddress != nil && len(va.PrivateIpAddress.IpAddress) > 0 {
							ri.PrivateIP = tea.StringValue(va.PrivateIpAddress.IpAddress[0])
						}
					}
					if in.SecurityGroupIds != nil {
						ri.SecurityGroupIDs = tea.StringSliceValue(in.SecurityGroupIds.SecurityGroupId)
					}
					out = append(out, ri)
				}
			}
			next = tea.StringValue(resp.Body.NextToken)
			return nil
		})
		if err != nil {
			return nil, err
		}
		if next == "" {
			return out, nil
		}
		req.NextToken = tea.String(next)
	}
}
