package ecs

import (
	"context"
	"strconv"
	"strings"

	ecssdk "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/cloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// SecurityGroup reads a security group and its inbound rules, all pages
// (DescribeSecurityGroupAttribute, Direction ingress).
func (c *Client) SecurityGroup(ctx context.Context, id string) (resource.SecurityGroup, error) {
	out := resource.SecurityGroup{ID: id}
	rules, err := cloud.Pages(func(token *string) (items []resource.SecurityRule, next *string, err error) {
		err = c.api.Call(ctx, "DescribeSecurityGroupAttribute", false, func(ctx context.Context, sdk *ecssdk.Client) error {
			req := &ecssdk.DescribeSecurityGroupAttributeRequest{
				RegionId: tea.String(c.api.Config.Region), SecurityGroupId: tea.String(id), Direction: tea.String("ingress"), NextToken: token,
			}
			if token != nil {
				req.MaxResults = tea.Int32(1000)
			}
			resp, err := sdk.DescribeSecurityGroupAttributeWithContext(ctx, req, c.api.Runtime)
			if err != nil {
				return err
			}
			b := resp.Body
			out.VpcID, out.InnerAccessPolicy = tea.StringValue(b.VpcId), tea.StringValue(b.InnerAccessPolicy)
			if b.Permissions != nil {
				for _, p := range b.Permissions.Permission {
					prio, _ := strconv.Atoi(tea.StringValue(p.Priority))
					items = append(items, resource.SecurityRule{
						ID: tea.StringValue(p.SecurityGroupRuleId), Protocol: strings.ToUpper(tea.StringValue(p.IpProtocol)),
						PortRange: tea.StringValue(p.PortRange), SourceCidr: tea.StringValue(p.SourceCidrIp),
						SourceGroupID: tea.StringValue(p.SourceGroupId), Policy: policy(tea.StringValue(p.Policy)),
						Priority: prio, Description: tea.StringValue(p.Description),
					})
				}
			}
			next = b.NextToken
			return nil
		})
		return items, next, err
	})
	out.Rules = rules
	return out, err
}

// policy spells a rule's policy as the API answers it: Accept or Drop.
func policy(p string) string {
	if strings.EqualFold(p, "drop") {
		return "Drop"
	}
	return "Accept"
}

// SecurityGroupIDsInVPC lists the IDs of the security groups of a VPC, all pages.
func (c *Client) SecurityGroupIDsInVPC(ctx context.Context, vpc string) ([]string, error) {
	return cloud.Pages(func(token *string) (items []string, next *string, err error) {
		err = c.api.Call(ctx, "DescribeSecurityGroups", false, func(ctx context.Context, sdk *ecssdk.Client) error {
			resp, err := sdk.DescribeSecurityGroupsWithContext(ctx, &ecssdk.DescribeSecurityGroupsRequest{
				RegionId: tea.String(c.api.Config.Region), VpcId: tea.String(vpc), MaxResults: tea.Int32(c.api.Config.Page()), NextToken: token,
			}, c.api.Runtime)
			if err != nil {
				return err
			}
			if resp.Body.SecurityGroups != nil {
				for _, g := range resp.Body.SecurityGroups.SecurityGroup {
					items = append(items, tea.StringValue(g.SecurityGroupId))
				}
			}
			next = resp.Body.NextToken
			return nil
		})
		return items, next, err
	})
}

// AuthorizeRule adds one inbound rule to a security group. Adding a rule
// the group already has succeeds and adds nothing, so a retry after a lost
// answer is harmless.
func (c *Client) AuthorizeRule(ctx context.Context, groupID string, r resource.SecurityRule) error {
	perm := &ecssdk.AuthorizeSecurityGroupRequestPermissions{
		IpProtocol: tea.String(r.Protocol), PortRange: tea.String(r.PortRange), Policy: tea.String(strings.ToLower(r.Policy)),
		Priority: tea.String(strconv.Itoa(r.Priority)), NicType: tea.String("intranet"), Description: tea.String(r.Description),
	}
	if r.SourceCidr != "" {
		perm.SourceCidrIp = tea.String(r.SourceCidr)
	} else {
		perm.SourceGroupId = tea.String(r.SourceGroupID)
	}
	return c.api.Call(ctx, "AuthorizeSecurityGroup", true, func(ctx context.Context, sdk *ecssdk.Client) error {
		_, err := sdk.AuthorizeSecurityGroupWithContext(ctx, &ecssdk.AuthorizeSecurityGroupRequest{
			RegionId: tea.String(c.api.Config.Region), SecurityGroupId: tea.String(groupID),
			Permissions: []*ecssdk.AuthorizeSecurityGroupRequestPermissions{perm},
		}, c.api.Runtime)
		return err
	})
}

// RevokeRule removes one inbound rule of a security group by its ID. A rule
// already gone (a retry after a lost answer, or removed by hand) is success.
func (c *Client) RevokeRule(ctx context.Context, groupID, ruleID string) error {
	err := c.api.Call(ctx, "RevokeSecurityGroup", true, func(ctx context.Context, sdk *ecssdk.Client) error {
		_, err := sdk.RevokeSecurityGroupWithContext(ctx, &ecssdk.RevokeSecurityGroupRequest{
			RegionId: tea.String(c.api.Config.Region), SecurityGroupId: tea.String(groupID), SecurityGroupRuleId: []*string{tea.String(ruleID)},
		}, c.api.Runtime)
		return err
	})
	if cloud.HasCode(err, "InvalidSecurityGroupRuleId.NotFound") {
		return nil
	}
	return err
}
