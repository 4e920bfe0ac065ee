// Cloud Assistant's record of what ran on an instance.

package ecs

import (
	"context"
	"encoding/base64"
	"fmt"

	ecssdk "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
)

// runsPerPage is DescribeInvocations' largest MaxResults.
const runsPerPage = 50

// Runs lists every Cloud Assistant invocation Cloud Assistant keeps on
// record for an instance (DescribeInvocations by InstanceId, all pages),
// each with its command's name and content. The order is not relied on:
// the API reference does not document one.
func (c *Client) Runs(ctx context.Context, instanceID string) ([]cloud.Run, error) {
	req := &ecssdk.DescribeInvocationsRequest{
		RegionId: tea.String(c.api.Config.Region), InstanceId: tea.String(instanceID),
		ContentEncoding: tea.String("Base64"), IncludeOutput: tea.Bool(false), MaxResults: tea.Int32(runsPerPage),
	}
	var out []cloud.Run
	for {
		var next string
		var page []cloud.Run
		err := c.api.Call(ctx, "DescribeInvocations", false, func(ctx context.Context, sdk *ecssdk.Client) error {
			resp, err := sdk.DescribeInvocationsWithContext(ctx, req, c.api.Runtime)
			if err != nil {
				return err
			}
			page = page[:0]
			if resp.Body.Invocations != nil {
				for _, inv := range resp.Body.Invocations.Invocation {
					content, derr := base64.StdEncoding.DecodeString(tea.StringValue(inv.CommandContent))
					if derr != nil {
						return fmt.Errorf("invocation %s: its command content is not Base64: %w", tea.StringValue(inv.InvokeId), derr)
					}
					page = append(page, cloud.Run{InvokeID: tea.StringValue(inv.InvokeId), Name: tea.StringValue(inv.CommandName), Content: string(content)})
				}
			}
			next = tea.StringValue(resp.Body.NextToken)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list the Cloud Assistant invocations on %s: %w", instanceID, err)
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		req.NextToken = tea.String(next)
	}
}
