package fakecloud

import (
	"fmt"
	"strings"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/tea"
)

// TestSecurityGroupsDefault: a seed without security groups puts each VPC's
// instances in one group accepting the VPC's CIDR, and DescribeInstances
// names it.
func TestSecurityGroupsDefault(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c := fcECS(t, ts)
	out, err := c.DescribeInstances(&ecs.DescribeInstancesRequest{RegionId: tea.String("cn-hangzhou"), InstanceIds: tea.String(`["i-fake01","i-other01"]`)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, in := range out.Body.Instances.Instance {
		got[tea.StringValue(in.InstanceId)] = strings.Join(tea.StringSliceValue(in.SecurityGroupIds.SecurityGroupId), ",")
	}
	if got["i-fake01"] != "sg-fake01" || got["i-other01"] != "sg-other01" {
		t.Errorf("SecurityGroupIds: %v", got)
	}
	for id, cidr := range map[string]string{"sg-fake01": "192.168.0.0/16", "sg-other01": "10.0.0.0/8"} {
		attr, err := c.DescribeSecurityGroupAttribute(&ecs.DescribeSecurityGroupAttributeRequest{RegionId: tea.String("cn-hangzhou"), SecurityGroupId: tea.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		ps := attr.Body.Permissions.Permission
		if len(ps) != 1 || tea.StringValue(ps[0].SourceCidrIp) != cidr || tea.StringValue(ps[0].IpProtocol) != "ALL" ||
			tea.StringValue(ps[0].PortRange) != "-1/-1" || tea.StringValue(ps[0].Policy) != "Accept" || tea.StringValue(attr.Body.InnerAccessPolicy) != "Accept" {
			t.Errorf("%s: %v", id, attr.Body)
		}
	}
}

func TestSecurityGroupSeedErrors(t *testing.T) {
	base := `region: cn-hangzhou
accessKeys: [{id: k, secret: s}]
vpcs: [{id: vpc-a, cidr: 192.168.0.0/16}, {id: vpc-b}]
`
	cases := []struct{ name, yaml, want string }{
		{"instance without a group", base + `instances: [{id: i-1, vpcId: vpc-a, privateIp: 192.168.0.1}]
securityGroups: [{id: sg-a, vpcId: vpc-a}]
`, "instances[0]: an instance is in at least one security group"},
		{"group in another VPC", base + `instances: [{id: i-1, vpcId: vpc-a, privateIp: 192.168.0.1, securityGroupIds: [sg-b]}]
securityGroups: [{id: sg-b, vpcId: vpc-b}]
`, "security group sg-b is in vpc-b, the instance in vpc-a"},
		{"bad rule", base + `securityGroups: [{id: sg-a, vpcId: vpc-a, rules: [{protocol: TCP, portRange: "5000", source: 0.0.0.0/0}, {protocol: XYZ, source: sg-nope, priority: 101}]}]
`, `portRange "5000"`},
		{"bad cidr", `region: cn-hangzhou
accessKeys: [{id: k, secret: s}]
vpcs: [{id: vpc-a, cidr: 192.168.0.1/16}]
`, `cidr "192.168.0.1/16" is not an IPv4 CIDR block`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSeed([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestAuthorizeSecurityGroupLimits(t *testing.T) {
	ts := NewTestServer(t, Options{})
	c := fcECS(t, ts)
	region, group := tea.String("cn-hangzhou"), tea.String("sg-fake01")
	perm := func(port int) *ecs.AuthorizeSecurityGroupRequestPermissions {
		return &ecs.AuthorizeSecurityGroupRequestPermissions{IpProtocol: tea.String("tcp"), PortRange: tea.String(fmt.Sprintf("%d/%d", port, port)), SourceCidrIp: tea.String("10.0.0.1")}
	}
	// Both forms at once.
	_, err := c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: region, SecurityGroupId: group, IpProtocol: tea.String("TCP"), Permissions: []*ecs.AuthorizeSecurityGroupRequestPermissions{perm(1)}})
	fcWantErr(t, err, "InvalidParam.Permissions", 400)
	// The same rule twice in one call.
	_, err = c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: region, SecurityGroupId: group, Permissions: []*ecs.AuthorizeSecurityGroupRequestPermissions{perm(1), perm(1)}})
	fcWantErr(t, err, "InvalidParam.DuplicatePermissions", 400)
	// The deprecated top-level form works, protocol in any case.
	if _, err := c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: region, SecurityGroupId: group, IpProtocol: tea.String("tcp"), PortRange: tea.String("22/22"), SourceGroupId: tea.String("sg-other01")}); err == nil {
		t.Fatal("a source group in another VPC was accepted")
	} else {
		fcWantErr(t, err, "InvalidSourceGroupId.Mismatch", 400)
	}
	// 200 rules in a group at most: the default group holds 1.
	for start := 1; start < 200; start += 100 {
		var ps []*ecs.AuthorizeSecurityGroupRequestPermissions
		for p := start; p < min(start+100, 200); p++ {
			ps = append(ps, perm(p))
		}
		if _, err := c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: region, SecurityGroupId: group, Permissions: ps}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(ts.Snapshot().ECS.SecurityGroups[0].Rules); n != 200 {
		t.Fatalf("%d rules, want 200", n)
	}
	_, err = c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: region, SecurityGroupId: group, Permissions: []*ecs.AuthorizeSecurityGroupRequestPermissions{perm(5000)}})
	fcWantErr(t, err, "AuthorizationLimitExceed", 400)
	// An existing rule again is accepted and adds nothing, even at the limit.
	if _, err := c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: region, SecurityGroupId: group, Permissions: []*ecs.AuthorizeSecurityGroupRequestPermissions{perm(7)}}); err != nil {
		t.Fatal(err)
	}
	_, err = c.AuthorizeSecurityGroup(&ecs.AuthorizeSecurityGroupRequest{RegionId: region, SecurityGroupId: tea.String("sg-nope"), Permissions: []*ecs.AuthorizeSecurityGroupRequestPermissions{perm(1)}})
	fcWantErr(t, err, "InvalidSecurityGroupId.NotFound", 404)
}
