// Package vpc adapts the VPC SDK (vpc-20160428) to wsdeploy's resource
// vocabulary: the reads the checks before creating a load balancer need.
// Every method is one API call (plus pagination) retried per cloud.Retry.
package vpc

import (
	"context"
	"strings"

	"github.com/alibabacloud-go/tea/dara"
	vpcsdk "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// Client calls VPC.
type Client struct {
	api *cloud.Service[*vpcsdk.Client]
}

// New builds a client.
func New(cfg cloud.Config) (*Client, error) {
	api, err := cloud.NewService(cfg, "vpc", "VPC", vpcsdk.NewClient)
	return &Client{api: api}, err
}

// pageSize is the most items DescribeVpcs and DescribeVSwitches answer per page.
const pageSize = 50

// GetVPC reads a VPC of the client's region; found is false when there is none with that ID.
func (c *Client) GetVPC(ctx context.Context, id string) (v resource.VPC, found bool, err error) {
	err = c.api.Call(ctx, "DescribeVpcs", false, func(ctx context.Context, sdk *vpcsdk.Client) error {
		resp, err := sdk.DescribeVpcsWithOptions(&vpcsdk.DescribeVpcsRequest{
			RegionId: dara.String(c.api.Config.Region), VpcId: dara.String(id), PageSize: dara.Int32(pageSize),
		}, c.api.Runtime)
		if err != nil {
			return err
		}
		if resp.Body == nil || resp.Body.Vpcs == nil {
			return nil
		}
		for _, x := range resp.Body.Vpcs.Vpc {
			if dara.StringValue(x.VpcId) == id {
				v = resource.VPC{ID: id, Status: dara.StringValue(x.Status), CIDR: dara.StringValue(x.CidrBlock)}
				found = true
			}
		}
		return nil
	})
	return v, found, err
}

// GetVSwitches reads the vSwitches with these IDs (DescribeVSwitches takes
// a comma-separated list); those that do not exist are left out.
func (c *Client) GetVSwitches(ctx context.Context, ids []string) ([]resource.VSwitch, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []resource.VSwitch
	for page := int32(1); ; page++ {
		var total int32
		err := c.api.Call(ctx, "DescribeVSwitches", false, func(ctx context.Context, sdk *vpcsdk.Client) error {
			resp, err := sdk.DescribeVSwitchesWithOptions(&vpcsdk.DescribeVSwitchesRequest{
				RegionId: dara.String(c.api.Config.Region), VSwitchId: dara.String(strings.Join(ids, ",")),
				PageNumber: dara.Int32(page), PageSize: dara.Int32(pageSize),
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			total = dara.Int32Value(resp.Body.TotalCount)
			if resp.Body.VSwitches == nil {
				return nil
			}
			for _, w := range resp.Body.VSwitches.VSwitch {
				out = append(out, resource.VSwitch{
					ID: dara.StringValue(w.VSwitchId), VpcID: dara.StringValue(w.VpcId), ZoneID: dara.StringValue(w.ZoneId),
					CIDR: dara.StringValue(w.CidrBlock), Status: dara.StringValue(w.Status),
				})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if page*pageSize >= total {
			return out, nil
		}
	}
}
