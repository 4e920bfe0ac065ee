// Package ecs looks up ECS instances (ecs-20140526 DescribeInstances).
package ecs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	ecssdk "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// MaxIDsPerCall is DescribeInstances' limit on InstanceIds.
const MaxIDsPerCall = 100

// Client calls ECS.
type Client struct {
	sdk   *cloud.Pool[*ecssdk.Client]
	cfg   cloud.Config
	rt    *dara.RuntimeOptions
	retry cloud.Retry
}

// New builds a client.
func New(cfg cloud.Config) (*Client, error) {
	oc, err := cfg.OpenAPI()
	if err != nil {
		return nil, err
	}
	if _, err := ecssdk.NewClient(oc); err != nil {
		return nil, fmt.Errorf("create ECS client: %w", err)
	}
	sdk := cloud.NewPool(func() (*ecssdk.Client, error) { return ecssdk.NewClient(oc) })
	return &Client{sdk: sdk, cfg: cfg, rt: &dara.RuntimeOptions{}, retry: cfg.Retry}, nil
}

// Filter selects instances: by VPC, or by IDs (at most MaxIDsPerCall).
type Filter struct {
	VpcID string
	IDs   []string
}

// List returns the instances matching f, all pages.
func (c *Client) List(ctx context.Context, f Filter) ([]resource.Instance, error) {
	req := &ecssdk.DescribeInstancesRequest{RegionId: tea.String(c.cfg.Region), MaxResults: tea.Int32(c.cfg.Page())}
	if f.VpcID != "" {
		req.VpcId = tea.String(f.VpcID)
	}
	if len(f.IDs) > 0 {
		if len(f.IDs) > MaxIDsPerCall {
			return nil, fmt.Errorf("look up %d instances: at most %d per call", len(f.IDs), MaxIDsPerCall)
		}
		b, _ := json.Marshal(f.IDs)
		req.InstanceIds = tea.String(string(b))
	}
	var out []resource.Instance
	for {
		var next string
		err := c.retry.Do(ctx, func(ctx context.Context) error {
			start := time.Now()
			var resp *ecssdk.DescribeInstancesResponse
			err := c.sdk.Use(func(sdk *ecssdk.Client) (e error) {
				resp, e = sdk.DescribeInstancesWithContext(ctx, req, c.rt)
				return e
			})
			err = c.cfg.Classify("ecs", "DescribeInstances", err)
			if c.cfg.Trace != nil {
				c.cfg.Trace(cloud.Call{Product: "ecs", Action: "DescribeInstances", Err: err, Millis: time.Since(start).Milliseconds()})
			}
			if err != nil {
				return err
			}
			if resp.Body.Instances != nil {
				for _, in := range resp.Body.Instances.Instance {
					ri := resource.Instance{ID: tea.StringValue(in.InstanceId), Name: tea.StringValue(in.InstanceName), Status: tea.StringValue(in.Status)}
					if va := in.VpcAttributes; va != nil {
						ri.VpcID = tea.StringValue(va.VpcId)
						if va.PrivateIpAddress != nil && len(va.PrivateIpAddress.IpAddress) > 0 {
							ri.PrivateIP = tea.StringValue(va.PrivateIpAddress.IpAddress[0])
						}
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
