// Cloud Assistant: run a shell command on one instance and wait for its
// result; the agents' status; the instances' tags.

package ecs

import (
	"context"
	"encoding/base64"
	"fmt"
	"time"

	ecssdk "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
)

// Command polling: a Cloud Assistant command that installs packages takes
// tens of seconds to minutes. The first polls come quickly (a short command
// is seen done at once), then every 10 s.
const (
	commandPollBase = 250 * time.Millisecond
	commandPollMax  = 10 * time.Second
)

// AgentStatus reports, per instance, whether its Cloud Assistant agent is
// running (DescribeCloudAssistantStatus). Instances it does not list are absent.
func (c *Client) AgentStatus(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(ids); start += 50 {
		batch := ids[start:min(start+50, len(ids))]
		req := &ecssdk.DescribeCloudAssistantStatusRequest{RegionId: tea.String(c.api.Config.Region), InstanceId: tea.StringSlice(batch), MaxResults: tea.Int32(50)}
		for {
			var next string
			err := c.api.Call(ctx, "DescribeCloudAssistantStatus", false, func(ctx context.Context, sdk *ecssdk.Client) error {
				resp, err := sdk.DescribeCloudAssistantStatusWithContext(ctx, req, c.api.Runtime)
				if err != nil {
					return err
				}
				if set := resp.Body.InstanceCloudAssistantStatusSet; set != nil {
					for _, st := range set.InstanceCloudAssistantStatus {
						out[tea.StringValue(st.InstanceId)] = tea.StringValue(st.CloudAssistantStatus) == "true"
					}
				}
				next = tea.StringValue(resp.Body.NextToken)
				return nil
			})
			if err != nil {
				return nil, err
			}
			if next == "" {
				break
			}
			req.NextToken = tea.String(next)
		}
	}
	return out, nil
}

// RunCommand runs a shell script on one instance through Cloud Assistant
// and waits for it to finish. content may reference OOS encrypted
// parameters as {{oos-secret:NAME}} (EnableParameter): Cloud Assistant
// substitutes them on the instance, so they appear in no request. token is
// the ClientToken: a retried call does not run the command twice. progress
// hears each poll.
func (c *Client) RunCommand(ctx context.Context, instanceID, name, content string, timeoutSec int64, token string, progress cloud.Progress) (cloud.Invocation, error) {
	req := &ecssdk.RunCommandRequest{
		RegionId: tea.String(c.api.Config.Region), InstanceId: tea.StringSlice([]string{instanceID}),
		Type: tea.String("RunShellScript"), CommandContent: tea.String(content), ContentEncoding: tea.String("PlainText"),
		EnableParameter: tea.Bool(true), Name: tea.String(name), Timeout: tea.Int64(timeoutSec), KeepCommand: tea.Bool(false),
		ClientToken: tea.String(token),
	}
	var inv cloud.Invocation
	err := c.api.Call(ctx, "RunCommand", true, func(ctx context.Context, sdk *ecssdk.Client) error {
		resp, err := sdk.RunCommandWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		inv.InvokeID = tea.StringValue(resp.Body.InvokeId)
		return nil
	})
	if err != nil {
		return inv, fmt.Errorf("run command %s on %s: %w", name, instanceID, err)
	}
	start := time.Now()
	err = cloud.Poll(ctx, commandPollBase, commandPollMax, func(ctx context.Context) (bool, error) {
		r, err := c.invocationResult(ctx, inv.InvokeID, instanceID)
		if err != nil {
			return false, err
		}
		if r == nil {
			return false, nil
		}
		inv.Status, inv.ExitCode = tea.StringValue(r.InvocationStatus), tea.Int64Value(r.ExitCode)
		inv.ErrorCode, inv.ErrorInfo = tea.StringValue(r.ErrorCode), tea.StringValue(r.ErrorInfo)
		switch inv.Status {
		case "Success", "Failed", "Timeout", "Error", "Invalid", "Aborted", "Cancelled", "Terminated":
			out, derr := base64.StdEncoding.DecodeString(tea.StringValue(r.Output))
			if derr != nil {
				out = []byte(tea.StringValue(r.Output))
			}
			inv.Output = string(out)
			return true, nil
		}
		if progress != nil {
			progress(fmt.Sprintf("command %s on %s is %s", name, instanceID, inv.Status), time.Since(start))
		}
		return false, nil
	})
	if err != nil {
		return inv, fmt.Errorf("wait for command %s (%s) on %s: %w", name, inv.InvokeID, instanceID, err)
	}
	return inv, nil
}

func (c *Client) invocationResult(ctx context.Context, invokeID, instanceID string) (*ecssdk.DescribeInvocationResultsResponseBodyInvocationInvocationResultsInvocationResult, error) {
	req := &ecssdk.DescribeInvocationResultsRequest{
		RegionId: tea.String(c.api.Config.Region), InvokeId: tea.String(invokeID), InstanceId: tea.String(instanceID),
		ContentEncoding: tea.String("Base64"),
	}
	var out *ecssdk.DescribeInvocationResultsResponseBodyInvocationInvocationResultsInvocationResult
	err := c.api.Call(ctx, "DescribeInvocationResults", false, func(ctx context.Context, sdk *ecssdk.Client) error {
		resp, err := sdk.DescribeInvocationResultsWithContext(ctx, req, c.api.Runtime)
		if err != nil {
			return err
		}
		if inv := resp.Body.Invocation; inv != nil && inv.InvocationResults != nil {
			for _, r := range inv.InvocationResults.InvocationResult {
				if tea.StringValue(r.InstanceId) == instanceID {
					out = r
				}
			}
		}
		return nil
	})
	return out, err
}

// SetTag sets one tag on an instance (TagResources).
func (c *Client) SetTag(ctx context.Context, instanceID, key, value string) error {
	req := &ecssdk.TagResourcesRequest{
		RegionId: tea.String(c.api.Config.Region), ResourceType: tea.String("instance"), ResourceId: tea.StringSlice([]string{instanceID}),
		Tag: []*ecssdk.TagResourcesRequestTag{{Key: tea.String(key), Value: tea.String(value)}},
	}
	return c.api.Call(ctx, "TagResources", true, func(ctx context.Context, sdk *ecssdk.Client) error {
		_, err := sdk.TagResourcesWithContext(ctx, req, c.api.Runtime)
		return err
	})
}

// RemoveTag removes one tag from an instance (UntagResources).
func (c *Client) RemoveTag(ctx context.Context, instanceID, key string) error {
	req := &ecssdk.UntagResourcesRequest{
		RegionId: tea.String(c.api.Config.Region), ResourceType: tea.String("instance"), ResourceId: tea.StringSlice([]string{instanceID}),
		TagKey: tea.StringSlice([]string{key}),
	}
	return c.api.Call(ctx, "UntagResources", true, func(ctx context.Context, sdk *ecssdk.Client) error {
		_, err := sdk.UntagResourcesWithContext(ctx, req, c.api.Runtime)
		return err
	})
}
