package fakecloud

// The ECS security-group steps of the ECS conformance scenario (see
// conformance_test.go): read the demo world's default group, add a rule
// (twice: the second call is accepted and adds nothing), find its ID, revoke
// it by ID, and the errors of each action.

import (
	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
	v1ecs "github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

func init() { ecsConfMore = append(ecsConfMore, sgConformance) }

func sgConformance() []confStep {
	const P = ProductECS
	region := tea.String("cn-hangzhou")
	g := func(action string, c confCall) confStep { return ok(P, action, c[0], c[1]) }
	b := func(status int, code, action string, c confCall) confStep {
		return fails(status, code, P, action, c[0], c[1])
	}

	groups := func(ids string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateDescribeSecurityGroupsRequest()
			req.VpcId, req.SecurityGroupIds = "vpc-fake01", ids
			return v1(e.v1ECS.DescribeSecurityGroups(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.DescribeSecurityGroups(&ecs.DescribeSecurityGroupsRequest{RegionId: region, VpcId: tea.String("vpc-fake01"), SecurityGroupIds: confStr(ids)}))
		})
	}
	// attr reads a group's inbound rules and keeps the ID of the rule
	// described "wsdeploy:demo" as "sgr".
	attr := func(id string) confCall {
		keep := func(e *confEnv, ids, descs []string) {
			for i, d := range descs {
				if d == "wsdeploy:demo" {
					e.vars["sgr"] = ids[i]
				}
			}
		}
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateDescribeSecurityGroupAttributeRequest()
			req.SecurityGroupId, req.Direction = id, "ingress"
			out, err := e.v1ECS.DescribeSecurityGroupAttribute(req)
			if err == nil {
				var ids, descs []string
				for _, p := range out.Permissions.Permission {
					ids, descs = append(ids, p.SecurityGroupRuleId), append(descs, p.Description)
				}
				keep(e, ids, descs)
			}
			return v1(out, err)
		}, func(e *confEnv) (any, error) {
			out, err := e.ecs.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: region, SecurityGroupId: tea.String(id), Direction: tea.String("ingress")})
			if err == nil {
				var ids, descs []string
				for _, p := range out.Body.Permissions.Permission {
					ids, descs = append(ids, tea.StringValue(p.SecurityGroupRuleId)), append(descs, tea.StringValue(p.Description))
				}
				keep(e, ids, descs)
			}
			return acs3(out, err)
		})
	}
	authorize := func(portRange, cidr string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateAuthorizeSecurityGroupRequest()
			req.SecurityGroupId = "sg-fake01"
			req.Permissions = &[]v1ecs.AuthorizeSecurityGroupPermissions{{
				IpProtocol: "TCP", PortRange: portRange, SourceCidrIp: cidr, Policy: "accept", Priority: "1", NicType: "intranet", Description: "wsdeploy:demo",
			}}
			return v1(e.v1ECS.AuthorizeSecurityGroup(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{
				RegionId: region, SecurityGroupId: tea.String("sg-fake01"),
				Permissions: []*ecs.AuthorizeSecurityGroupRequestPermissions{{
					IpProtocol: tea.String("TCP"), PortRange: tea.String(portRange), SourceCidrIp: tea.String(cidr), Policy: tea.String("accept"),
					Priority: tea.String("1"), NicType: tea.String("intranet"), Description: tea.String("wsdeploy:demo"),
				}},
			}))
		})
	}
	revokeID := func() confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateRevokeSecurityGroupRequest()
			req.SecurityGroupId = "sg-fake01"
			req.SecurityGroupRuleId = &[]string{e.v("sgr")}
			return v1(e.v1ECS.RevokeSecurityGroup(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.RevokeSecurityGroup(&ecs.RevokeSecurityGroupRequest{
				RegionId: region, SecurityGroupId: tea.String("sg-fake01"), SecurityGroupRuleId: []*string{tea.String(e.v("sgr"))},
			}))
		})
	}
	revokeRule := func(portRange string) confCall {
		return pair(func(e *confEnv) (any, error) {
			req := v1ecs.CreateRevokeSecurityGroupRequest()
			req.SecurityGroupId = "sg-fake01"
			req.Permissions = &[]v1ecs.RevokeSecurityGroupPermissions{{IpProtocol: "TCP", PortRange: portRange, SourceCidrIp: "100.64.0.0/10"}}
			return v1(e.v1ECS.RevokeSecurityGroup(req))
		}, func(e *confEnv) (any, error) {
			return acs3(e.ecs.RevokeSecurityGroup(&ecs.RevokeSecurityGroupRequest{
				RegionId: region, SecurityGroupId: tea.String("sg-fake01"),
				Permissions: []*ecs.RevokeSecurityGroupRequestPermissions{{IpProtocol: tea.String("TCP"), PortRange: tea.String(portRange), SourceCidrIp: tea.String("100.64.0.0/10")}},
			}))
		})
	}
	return []confStep{
		g("DescribeSecurityGroups", groups("")),
		g("DescribeSecurityGroups", groups(`["sg-fake01","sg-nope"]`)),
		b(400, "InvalidSecurityGroupIds.Malformed", "DescribeSecurityGroups", groups(`["sg-fake01"`)),
		g("DescribeSecurityGroupAttribute", attr("sg-fake01")),
		b(404, "InvalidSecurityGroupId.NotFound", "DescribeSecurityGroupAttribute", attr("sg-nope")),
		g("AuthorizeSecurityGroup", authorize("5000/5000", "100.64.0.0/10")),
		g("AuthorizeSecurityGroup", authorize("5000/5000", "100.64.0.0/10")), // the same rule again: accepted, nothing added
		b(400, "InvalidParam.PortRange", "AuthorizeSecurityGroup", authorize("5000", "100.64.0.0/10")),
		b(400, "InvalidSourceCidrIp.Malformed", "AuthorizeSecurityGroup", authorize("5000/5000", "100.64.0.0/33")),
		g("DescribeSecurityGroupAttribute", attr("sg-fake01")),
		g("RevokeSecurityGroup", revokeID()),
		b(404, "InvalidSecurityGroupRuleId.NotFound", "RevokeSecurityGroup", revokeID()),
		b(400, "InvalidSecurityGroupRule.RuleNotExist", "RevokeSecurityGroup", revokeRule("5000/5000")),
		g("DescribeSecurityGroupAttribute", attr("sg-fake01")),
	}
}
