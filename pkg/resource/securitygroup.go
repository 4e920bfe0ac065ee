package resource

import "fmt"

// SecurityGroup is an ECS security group with its inbound rules.
type SecurityGroup struct {
	ID    string `json:"id"`
	VpcID string `json:"vpcId,omitempty"`
	// InnerAccessPolicy is Accept when the group's instances reach each
	// other on every port, Drop when only rules decide.
	InnerAccessPolicy string         `json:"innerAccessPolicy,omitempty"`
	Rules             []SecurityRule `json:"rules"`
}

// SecurityRule is one inbound rule of a security group.
type SecurityRule struct {
	ID        string `json:"id,omitempty"`
	Protocol  string `json:"protocol"`  // TCP, UDP, ICMP, GRE, ALL
	PortRange string `json:"portRange"` // "5000/5000", "-1/-1"
	// SourceCidr or SourceGroupID is where the traffic comes from.
	SourceCidr    string `json:"sourceCidr,omitempty"`
	SourceGroupID string `json:"sourceGroupId,omitempty"`
	Policy        string `json:"policy"` // Accept | Drop
	Priority      int    `json:"priority"`
	Description   string `json:"description,omitempty"`
}

// RuleDescription is the description that marks a security-group rule as
// the stack's own (the same mark as its DNS records).
func RuleDescription(stack string) string { return RecordRemark(stack) }

// Source is where the rule lets traffic come from.
func (r SecurityRule) Source() string {
	if r.SourceCidr != "" {
		return r.SourceCidr
	}
	return r.SourceGroupID
}

// String reads like "TCP 5000/5000 from 100.64.0.0/10".
func (r SecurityRule) String() string {
	s := fmt.Sprintf("%s %s from %s", r.Protocol, r.PortRange, r.Source())
	if r.Policy != "" && r.Policy != "Accept" {
		s += " (" + r.Policy + ")"
	}
	return s
}

// PortRange is the range of one port, as the API writes it.
func PortRange(port int) string { return fmt.Sprintf("%d/%d", port, port) }
