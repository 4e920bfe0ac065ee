package network

import (
	"fmt"
	"strings"
)

// Error reports what stops the stack's traffic, before any write: rules the
// stack needs and does not manage (network.manage is off), and problems
// wsdeploy cannot fix.
type Error struct {
	Region string
	// Missing are the rules to add (network.manage is off).
	Missing  []Need
	Problems []Problem
	// Manage is network.manage.
	Manage bool
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d network problem(s) in the security groups of the stack's instances:", len(e.Missing)+len(e.Problems))
	for _, n := range e.Missing {
		fmt.Fprintf(&b, "\n  %s: security group %s needs the inbound rule %s (accept, priority %d)", n.Why, n.GroupID, n.Rule, n.Rule.Priority)
	}
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  %s", p.What)
	}
	return b.String()
}

// Hint gives the exact rules to add, as aliyun CLI commands, and what to do
// about the rules wsdeploy will not touch.
func (e *Error) Hint() string {
	var parts []string
	if len(e.Missing) > 0 {
		var b strings.Builder
		b.WriteString("set `network: {manage: true}` in wsdeploy.yaml to let `wsdeploy up` add the missing rules (and `wsdeploy down` remove them), or add them yourself (ECS console: Security Groups > the group > Inbound > Add Rule), e.g. with the aliyun CLI:")
		for _, n := range e.Missing {
			b.WriteString("\n    " + AuthorizeCommand(e.Region, n))
		}
		parts = append(parts, b.String())
	}
	for _, p := range e.Problems {
		parts = append(parts, p.Fix)
	}
	return strings.Join(parts, "\n  ")
}

// AuthorizeCommand is the aliyun CLI command that adds a needed rule.
func AuthorizeCommand(region string, n Need) string {
	r := n.Rule
	src := "--Permissions.1.SourceCidrIp " + r.SourceCidr
	if r.SourceCidr == "" {
		src = "--Permissions.1.SourceGroupId " + r.SourceGroupID
	}
	return fmt.Sprintf("aliyun ecs AuthorizeSecurityGroup --RegionId %s --SecurityGroupId %s --Permissions.1.IpProtocol %s --Permissions.1.PortRange %s %s --Permissions.1.Policy accept --Permissions.1.Priority %d --Permissions.1.Description %s",
		region, n.GroupID, r.Protocol, r.PortRange, src, r.Priority, r.Description)
}
