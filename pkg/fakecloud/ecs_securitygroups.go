package fakecloud

// ECS security groups, API version 2014-05-26: DescribeSecurityGroups,
// DescribeSecurityGroupAttribute, AuthorizeSecurityGroup (inbound rules) and
// RevokeSecurityGroup. Parameter names, ranges and error codes follow the
// ECS API reference pages of these actions and the SDK's request structs;
// the guesses are listed in doc.go ("Security groups").

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	"github.com/alibabacloud-go/tea/dara"
)

// ECSSecurityGroup is a (basic, VPC) security group.
type ECSSecurityGroup struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	VpcID string `json:"vpcId"`
	// InnerAccessPolicy is Accept (instances of the group reach each other
	// on every port, the default of a basic group) or Drop.
	InnerAccessPolicy string    `json:"innerAccessPolicy"`
	Rules             []ECSRule `json:"rules"`
}

// ECSRule is one rule of a security group.
type ECSRule struct {
	ID            string `json:"id"`
	Direction     string `json:"direction"`  // ingress | egress
	IpProtocol    string `json:"ipProtocol"` // TCP, UDP, ICMP, GRE, ALL (upper case, as answered)
	PortRange     string `json:"portRange"`  // "5000/5000", "-1/-1"
	SourceCidrIp  string `json:"sourceCidrIp,omitempty"`
	SourceGroupID string `json:"sourceGroupId,omitempty"`
	DestCidrIp    string `json:"destCidrIp,omitempty"`
	Policy        string `json:"policy"` // Accept | Drop (as answered)
	Priority      int    `json:"priority"`
	NicType       string `json:"nicType"`
	Description   string `json:"description,omitempty"`
}

// SecurityGroup returns the security group with that ID.
func (st *State) SecurityGroup(id string) (*ECSSecurityGroup, bool) {
	for i := range st.ECS.SecurityGroups {
		if st.ECS.SecurityGroups[i].ID == id {
			return &st.ECS.SecurityGroups[i], true
		}
	}
	return nil, false
}

// Security-group limits (ECS "Limits" page: 200 rules per group; the
// Permissions.N list of one call holds at most 100).
const (
	sgRulesMax       = 200
	sgPermissionsMax = 100
	sgDescriptionMax = 512
)

func registerECSSecurityGroups(reg registry) {
	reg.add(VersionECS, "DescribeSecurityGroups", false, ecsDescribeSecurityGroups)
	reg.add(VersionECS, "DescribeSecurityGroupAttribute", false, ecsDescribeSecurityGroupAttribute)
	reg.add(VersionECS, "AuthorizeSecurityGroup", true, ecsAuthorizeSecurityGroup)
	reg.add(VersionECS, "RevokeSecurityGroup", true, ecsRevokeSecurityGroup)
}

// SeedSecurityGroup is a security group of the seed.
type SeedSecurityGroup struct {
	ID    string `yaml:"id"`
	VpcID string `yaml:"vpcId"`
	Name  string `yaml:"name,omitempty"`
	// InnerAccessPolicy is Accept (default) or Drop.
	InnerAccessPolicy string             `yaml:"innerAccessPolicy,omitempty"`
	Rules             []SeedSecurityRule `yaml:"rules,omitempty"`
}

// SeedSecurityRule is one rule: direction ingress (default) or egress,
// protocol TCP/UDP/ICMP/GRE/ALL, portRange "5000/5000" (default -1/-1 for
// ALL), source a CIDR block or a security group ID, policy accept (default)
// or drop, priority 1-100 (default 1).
type SeedSecurityRule struct {
	Direction   string `yaml:"direction,omitempty"`
	Protocol    string `yaml:"protocol"`
	PortRange   string `yaml:"portRange,omitempty"`
	Source      string `yaml:"source"`
	Policy      string `yaml:"policy,omitempty"`
	Priority    int    `yaml:"priority,omitempty"`
	Description string `yaml:"description,omitempty"`
}

// defaultVPCCIDR is the CIDR block of a seeded VPC that names none: the
// private range (192.168.0.0/16, 172.16.0.0/12, 10.0.0.0/8) holding all its
// instances, else 192.168.0.0/16.
func defaultVPCCIDR(seed *Seed, vpc string) string {
	ranges := []string{"192.168.0.0/16", "172.16.0.0/12", "10.0.0.0/8"}
	for _, cidr := range ranges {
		_, n, _ := net.ParseCIDR(cidr)
		all := true
		for _, in := range seed.Instances {
			if in.VpcID == vpc && !n.Contains(net.ParseIP(in.PrivateIP)) {
				all = false
			}
		}
		if all {
			return cidr
		}
	}
	return ranges[0]
}

// defaultGroupID is the ID of the group a seed without security groups
// puts a VPC's instances in: sg-<the VPC ID's suffix>.
func defaultGroupID(vpc string) string { return "sg-" + strings.TrimPrefix(vpc, "vpc-") }

// seedSecurityGroups fills the security groups and the instances'
// memberships. A seed without securityGroups gets one group per VPC that
// holds every instance of the VPC and accepts everything from the VPC's
// CIDR block.
func seedSecurityGroups(st *State, seed *Seed) error {
	if len(seed.SecurityGroups) == 0 {
		for _, v := range seed.VPCs {
			cidr := v.CIDR
			if cidr == "" {
				cidr = defaultVPCCIDR(seed, v.ID)
			}
			g := ECSSecurityGroup{ID: defaultGroupID(v.ID), Name: "default", VpcID: v.ID, InnerAccessPolicy: "Accept"}
			g.Rules = append(g.Rules, ECSRule{
				ID: st.ruleID(), Direction: "ingress", IpProtocol: "ALL", PortRange: "-1/-1", SourceCidrIp: cidr,
				Policy: "Accept", Priority: 1, NicType: "intranet", Description: "traffic inside the VPC",
			})
			st.ECS.SecurityGroups = append(st.ECS.SecurityGroups, g)
		}
		for i := range st.ECS.Instances {
			in := &st.ECS.Instances[i]
			in.SecurityGroupIDs = []string{defaultGroupID(in.VpcID)}
		}
		return nil
	}
	for _, sg := range seed.SecurityGroups {
		g := ECSSecurityGroup{ID: sg.ID, Name: sg.Name, VpcID: sg.VpcID, InnerAccessPolicy: sg.InnerAccessPolicy}
		for _, r := range sg.Rules {
			rule := ECSRule{
				ID: st.ruleID(), Direction: r.Direction, IpProtocol: strings.ToUpper(r.Protocol), PortRange: r.PortRange,
				Policy: policyName(r.Policy), Priority: r.Priority, NicType: "intranet", Description: r.Description,
			}
			if strings.HasPrefix(r.Source, "sg-") {
				rule.SourceGroupID = r.Source
			} else {
				rule.SourceCidrIp = r.Source
			}
			g.Rules = append(g.Rules, rule)
		}
		st.ECS.SecurityGroups = append(st.ECS.SecurityGroups, g)
	}
	for i := range st.ECS.Instances {
		in := &st.ECS.Instances[i]
		in.SecurityGroupIDs = append([]string(nil), seed.Instances[i].SecurityGroupIDs...)
	}
	return nil
}

// normalizeSecurityGroupSeed validates the seed's security groups and fills
// their defaults; it returns the problems found.
func normalizeSecurityGroupSeed(s *Seed, vpcs map[string]bool) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for i, v := range s.VPCs {
		if v.CIDR != "" {
			if _, n, err := net.ParseCIDR(v.CIDR); err != nil || n.String() != v.CIDR || !strings.Contains(v.CIDR, ".") {
				bad("vpcs[%d]: cidr %q is not an IPv4 CIDR block like 192.168.0.0/16", i, v.CIDR)
			}
		}
	}
	groups := map[string]string{}
	s.SecurityGroups = append([]SeedSecurityGroup(nil), s.SecurityGroups...)
	for i := range s.SecurityGroups {
		g := &s.SecurityGroups[i]
		where := fmt.Sprintf("securityGroups[%d]", i)
		switch {
		case !strings.HasPrefix(g.ID, "sg-") || len(g.ID) <= 3:
			bad("%s: id %q must look like sg-xxxx", where, g.ID)
		case groups[g.ID] != "":
			bad("%s: duplicate id %q", where, g.ID)
		}
		groups[g.ID] = g.VpcID
		if !vpcs[g.VpcID] {
			bad("%s: vpcId %q is not declared under vpcs", where, g.VpcID)
		}
		switch g.InnerAccessPolicy {
		case "":
			g.InnerAccessPolicy = "Accept"
		case "Accept", "Drop":
		default:
			bad("%s: innerAccessPolicy %q is not Accept or Drop", where, g.InnerAccessPolicy)
		}
		if len(g.Rules) > sgRulesMax {
			bad("%s: %d rules; a security group holds at most %d", where, len(g.Rules), sgRulesMax)
		}
		g.Rules = append([]SeedSecurityRule(nil), g.Rules...)
		for j := range g.Rules {
			r := &g.Rules[j]
			rw := fmt.Sprintf("%s.rules[%d]", where, j)
			if r.Direction == "" {
				r.Direction = "ingress"
			} else if r.Direction != "ingress" && r.Direction != "egress" {
				bad("%s: direction %q is not ingress or egress", rw, r.Direction)
			}
			if !contains(sgProtocols, strings.ToUpper(r.Protocol)) {
				bad("%s: protocol %q is not one of %s", rw, r.Protocol, strings.Join(sgProtocols, ", "))
			} else if r.PortRange == "" && portless(strings.ToUpper(r.Protocol)) {
				r.PortRange = "-1/-1"
			}
			if err := checkPortRange(strings.ToUpper(r.Protocol), r.PortRange); err != nil {
				bad("%s: portRange %q: %s", rw, r.PortRange, err.Message)
			}
			if r.Policy == "" {
				r.Policy = "accept"
			} else if !strings.EqualFold(r.Policy, "accept") && !strings.EqualFold(r.Policy, "drop") {
				bad("%s: policy %q is not accept or drop", rw, r.Policy)
			}
			if r.Priority == 0 {
				r.Priority = 1
			} else if r.Priority < 1 || r.Priority > 100 {
				bad("%s: priority %d is not 1-100", rw, r.Priority)
			}
			if strings.HasPrefix(r.Source, "sg-") {
				continue // checked below, once every group is known
			}
			if !isIPv4CIDR(r.Source) {
				bad("%s: source %q is not an IPv4 CIDR block or address, or a security group ID", rw, r.Source)
			}
			if len(r.Description) > sgDescriptionMax {
				bad("%s: description is longer than %d characters", rw, sgDescriptionMax)
			}
		}
	}
	for i, g := range s.SecurityGroups {
		for j, r := range g.Rules {
			if strings.HasPrefix(r.Source, "sg-") && groups[r.Source] == "" {
				bad("securityGroups[%d].rules[%d]: source %q is not declared under securityGroups", i, j, r.Source)
			}
		}
	}
	for i := range s.Instances {
		in := &s.Instances[i]
		where := fmt.Sprintf("instances[%d]", i)
		if len(s.SecurityGroups) == 0 {
			if len(in.SecurityGroupIDs) > 0 {
				bad("%s: securityGroupIds name groups, but the seed declares no securityGroups", where)
			}
			continue
		}
		if len(in.SecurityGroupIDs) == 0 {
			bad("%s: an instance is in at least one security group; list it under securityGroupIds", where)
		}
		for _, id := range in.SecurityGroupIDs {
			switch vpc, ok := groups[id]; {
			case !ok:
				bad("%s: security group %q is not declared under securityGroups", where, id)
			case vpc != in.VpcID:
				bad("%s: security group %s is in %s, the instance in %s", where, id, vpc, in.VpcID)
			}
		}
	}
	return errs
}

// ruleID makes a security group rule ID (sgr-fake0001). Rules have their
// own sequence, so that seeded groups leave the other objects' IDs as they
// were.
func (st *State) ruleID() string {
	st.ECS.RuleSeq++
	return fmt.Sprintf("sgr-fake%04d", st.ECS.RuleSeq)
}

var sgProtocols = []string{"TCP", "UDP", "ICMP", "GRE", "ALL"}

// portless reports whether a protocol takes only the port range -1/-1.
func portless(proto string) bool { return proto == "ICMP" || proto == "GRE" || proto == "ALL" }

// checkPortRange checks PortRange for a protocol: TCP/UDP "a/b" with
// 1 <= a <= b <= 65535; ICMP, GRE and ALL "-1/-1".
func checkPortRange(proto, pr string) *APIError {
	bad := Errorf(http.StatusBadRequest, "InvalidParam.PortRange", "The specified parameter PortRange %q is not valid. It should be two integers less than 65535 in ?/? format.", pr)
	if pr == "" {
		return Errorf(http.StatusBadRequest, "InvalidPortRange.Malformed", "The specified parameter PortRange must set.")
	}
	a, b, ok := strings.Cut(pr, "/")
	if !ok {
		return bad
	}
	lo, err1 := strconv.Atoi(a)
	hi, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil {
		return bad
	}
	if portless(proto) {
		if lo != -1 || hi != -1 {
			return bad
		}
		return nil
	}
	if lo < 1 || hi > 65535 || lo > hi {
		return bad
	}
	return nil
}

// isIPv4CIDR reports whether s is an IPv4 CIDR block or address.
func isIPv4CIDR(s string) bool {
	if !strings.Contains(s, "/") {
		return isIPv4(s)
	}
	ip, _, err := net.ParseCIDR(s)
	return err == nil && ip.To4() != nil && !strings.Contains(s, ":")
}

// policyName is a policy as the API answers it (Accept, Drop).
func policyName(p string) string {
	if strings.EqualFold(p, "drop") {
		return "Drop"
	}
	return "Accept"
}

func ecsDescribeSecurityGroups(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	ids, haveIDs, err := jsonStringList(r, "SecurityGroupIds", 100, "InvalidSecurityGroupIds.Malformed")
	if err != nil {
		return nil, err
	}
	netType := r.Get("NetworkType")
	if netType != "" && netType != "vpc" && netType != "classic" {
		return nil, InvalidParameter("NetworkType", netType, "vpc or classic")
	}
	sgType := r.Get("SecurityGroupType")
	if sgType != "" && sgType != "normal" && sgType != "enterprise" {
		return nil, InvalidParameter("SecurityGroupType", sgType, "normal or enterprise")
	}
	var matched []*ECSSecurityGroup
	for i := range st.ECS.SecurityGroups {
		g := &st.ECS.SecurityGroups[i]
		switch {
		case haveIDs && !contains(ids, g.ID),
			r.Get("SecurityGroupId") != "" && r.Get("SecurityGroupId") != g.ID,
			r.Get("SecurityGroupName") != "" && r.Get("SecurityGroupName") != g.Name,
			r.Get("VpcId") != "" && r.Get("VpcId") != g.VpcID,
			netType == "classic", sgType == "enterprise",
			len(r.Structs("Tag")) > 0: // seeded groups carry no tags
			continue
		}
		matched = append(matched, g)
	}
	body := &ecs.DescribeSecurityGroupsResponseBody{RegionId: dara.String(st.Region), TotalCount: dara.Int32(int32(len(matched)))}
	var p page
	_, hasMax := r.Str("MaxResults")
	_, hasToken := r.Str("NextToken")
	if hasMax || hasToken {
		if p, err = tokenPage(st, r, len(matched), 10, 1, 100); err != nil {
			return nil, err
		}
		if p.next != "" {
			body.NextToken = dara.String(p.next)
		}
	} else {
		if p, err = numberPage(r, len(matched), pageNumberMax, 10, 50); err != nil {
			return nil, err
		}
		body.PageNumber = dara.Int32(int32(p.number))
		body.PageSize = dara.Int32(int32(p.size))
	}
	list := make([]*ecs.DescribeSecurityGroupsResponseBodySecurityGroupsSecurityGroup, 0, p.end-p.start)
	for _, g := range pageOf(matched, p) {
		members := 0
		for _, in := range st.ECS.Instances {
			if contains(in.SecurityGroupIDs, g.ID) {
				members++
			}
		}
		list = append(list, &ecs.DescribeSecurityGroupsResponseBodySecurityGroupsSecurityGroup{
			SecurityGroupId:         dara.String(g.ID),
			SecurityGroupName:       dara.String(g.Name),
			Description:             dara.String(""),
			VpcId:                   dara.String(g.VpcID),
			SecurityGroupType:       dara.String("normal"),
			CreationTime:            dara.String("2024-01-01T00:00Z"),
			ResourceGroupId:         dara.String(""),
			ServiceManaged:          dara.Bool(false),
			RuleCount:               dara.Int32(int32(len(g.Rules))),
			GroupToGroupRuleCount:   dara.Int32(int32(groupRules(g))),
			EcsCount:                dara.Int32(int32(members)),
			AvailableInstanceAmount: dara.Int32(int32(2000 - members)),
			Tags:                    &ecs.DescribeSecurityGroupsResponseBodySecurityGroupsSecurityGroupTags{Tag: []*ecs.DescribeSecurityGroupsResponseBodySecurityGroupsSecurityGroupTagsTag{}},
		})
	}
	body.SecurityGroups = &ecs.DescribeSecurityGroupsResponseBodySecurityGroups{SecurityGroup: list}
	return body, nil
}

func groupRules(g *ECSSecurityGroup) int {
	n := 0
	for _, r := range g.Rules {
		if r.SourceGroupID != "" {
			n++
		}
	}
	return n
}

// lookupGroup finds the group SecurityGroupId names (required).
func lookupGroup(st *State, r *Request) (*ECSSecurityGroup, error) {
	id, err := r.Required("SecurityGroupId")
	if err != nil {
		return nil, err
	}
	g, ok := st.SecurityGroup(id)
	if !ok {
		return nil, Errorf(http.StatusNotFound, "InvalidSecurityGroupId.NotFound", "The specified SecurityGroupId does not exist.")
	}
	return g, nil
}

func ecsDescribeSecurityGroupAttribute(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	g, err := lookupGroup(st, r)
	if err != nil {
		return nil, err
	}
	dir, err := r.Enum("Direction", "all", "all", "ingress", "egress")
	if err != nil {
		return nil, err
	}
	if nic := r.Get("NicType"); nic != "" && nic != "internet" && nic != "intranet" {
		return nil, Errorf(http.StatusBadRequest, "InvalidNicType.ValueNotSupported", "The specified parameter NicType is not valid.")
	}
	var rules []ECSRule
	for _, rule := range g.Rules {
		if dir == "all" || rule.Direction == dir {
			rules = append(rules, rule)
		}
	}
	body := &ecs.DescribeSecurityGroupAttributeResponseBody{
		RegionId:          dara.String(st.Region),
		SecurityGroupId:   dara.String(g.ID),
		SecurityGroupName: dara.String(g.Name),
		Description:       dara.String(""),
		VpcId:             dara.String(g.VpcID),
		InnerAccessPolicy: dara.String(g.InnerAccessPolicy),
	}
	p := page{start: 0, end: len(rules), total: len(rules)}
	_, hasMax := r.Str("MaxResults")
	_, hasToken := r.Str("NextToken")
	if hasMax || hasToken {
		// MaxResults 10-1000, default 500.
		if p, err = tokenPage(st, r, len(rules), 500, 10, 1000); err != nil {
			return nil, err
		}
		if p.next != "" {
			body.NextToken = dara.String(p.next)
		}
	}
	perms := make([]*ecs.DescribeSecurityGroupAttributeResponseBodyPermissionsPermission, 0, p.end-p.start)
	for _, rule := range pageOf(rules, p) {
		perms = append(perms, &ecs.DescribeSecurityGroupAttributeResponseBodyPermissionsPermission{
			SecurityGroupRuleId: dara.String(rule.ID),
			Direction:           dara.String(rule.Direction),
			IpProtocol:          dara.String(rule.IpProtocol),
			PortRange:           dara.String(rule.PortRange),
			SourceCidrIp:        dara.String(rule.SourceCidrIp),
			SourceGroupId:       dara.String(rule.SourceGroupID),
			SourceGroupName:     dara.String(""),
			SourcePortRange:     dara.String(""),
			DestCidrIp:          dara.String(rule.DestCidrIp),
			Ipv6SourceCidrIp:    dara.String(""),
			Ipv6DestCidrIp:      dara.String(""),
			Policy:              dara.String(rule.Policy),
			Priority:            dara.String(strconv.Itoa(rule.Priority)),
			NicType:             dara.String(rule.NicType),
			Description:         dara.String(rule.Description),
			CreateTime:          dara.String("2024-01-01T00:00:00Z"),
		})
	}
	body.Permissions = &ecs.DescribeSecurityGroupAttributeResponseBodyPermissions{Permission: perms}
	return body, nil
}

// ruleParams are the fields that describe one rule in a request, read from
// Permissions.N.* or, in the deprecated form, from the top level.
var ruleParams = []string{"IpProtocol", "PortRange", "SourceCidrIp", "SourceGroupId", "Policy", "Priority", "NicType", "Description", "DestCidrIp", "SourcePortRange", "Ipv6SourceCidrIp", "SourcePrefixListId"}

// permissions reads the rules of an Authorize/Revoke request: the
// Permissions.N list, or the deprecated top-level parameters; both at once
// is InvalidParam.Permissions.
func permissions(r *Request) ([]map[string]string, error) {
	list := r.Structs("Permissions")
	top := map[string]string{}
	for _, p := range ruleParams {
		if v, ok := r.Str(p); ok {
			top[p] = v
		}
	}
	if len(list) > 0 && len(top) > 0 {
		return nil, Errorf(http.StatusBadRequest, "InvalidParam.Permissions", "The specified parameter Permissions cannot coexist with other parameters.")
	}
	if len(list) > sgPermissionsMax {
		return nil, Errorf(http.StatusBadRequest, "InvalidParam.Permissions", "The specified parameter Permissions holds %d rules; at most %d are allowed.", len(list), sgPermissionsMax)
	}
	if len(top) > 0 {
		list = []map[string]string{top}
	}
	return list, nil
}

// ruleFrom builds the ingress rule a permission describes, checked the way
// AuthorizeSecurityGroup checks it.
func ruleFrom(st *State, g *ECSSecurityGroup, p map[string]string) (ECSRule, error) {
	proto := strings.ToUpper(p["IpProtocol"])
	if p["IpProtocol"] == "" {
		return ECSRule{}, MissingParameter("IpProtocol")
	}
	if !contains(sgProtocols, proto) {
		return ECSRule{}, Errorf(http.StatusBadRequest, "InvalidIpProtocol.ValueNotSupported", "The parameter IpProtocol must be specified with case insensitive TCP, UDP, ICMP, GRE or All.")
	}
	if err := checkPortRange(proto, p["PortRange"]); err != nil {
		return ECSRule{}, err
	}
	rule := ECSRule{Direction: "ingress", IpProtocol: proto, PortRange: p["PortRange"], NicType: "intranet", Priority: 1, Policy: "Accept"}
	if v := p["Policy"]; v != "" {
		if !strings.EqualFold(v, "accept") && !strings.EqualFold(v, "drop") {
			return ECSRule{}, Errorf(http.StatusBadRequest, "InvalidPolicy.Malformed", "The specified parameter Policy is not valid.")
		}
		rule.Policy = policyName(v)
	}
	if v := p["Priority"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return ECSRule{}, Errorf(http.StatusBadRequest, "InvalidPriority.Malformed", "The parameter Priority is invalid.")
		}
		if n < 1 || n > 100 {
			return ECSRule{}, Errorf(http.StatusBadRequest, "InvalidPriority.ValueNotSupported", "The specified parameter Priority is invalid.")
		}
		rule.Priority = n
	}
	if v := p["NicType"]; v != "" {
		if v != "intranet" && v != "internet" {
			return ECSRule{}, Errorf(http.StatusBadRequest, "InvalidNicType.ValueNotSupported", "The specified parameter NicType is not valid.")
		}
		if v == "internet" {
			// A VPC group's rules are intranet; internet is for the classic network.
			return ECSRule{}, Errorf(http.StatusForbidden, "InvalidNicType.Mismatch", "The specified NicType conflicts with the authorization record.")
		}
	}
	if v := p["Description"]; len(v) > sgDescriptionMax || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
		return ECSRule{}, Errorf(http.StatusBadRequest, "InvalidSecurityGroupDiscription.Malformed", "The specified security group rule description is not valid.")
	}
	rule.Description = p["Description"]
	if v := p["DestCidrIp"]; v != "" {
		if !isIPv4CIDR(v) {
			return ECSRule{}, Errorf(http.StatusBadRequest, "InvalidDestCidrIp.Malformed", "The specified parameter DestCidrIp is not valid.")
		}
		rule.DestCidrIp = v
	}
	cidr, group := p["SourceCidrIp"], p["SourceGroupId"]
	switch {
	case cidr != "":
		if !isIPv4CIDR(cidr) {
			return ECSRule{}, Errorf(http.StatusBadRequest, "InvalidSourceCidrIp.Malformed", "The specified parameter SourceCidrIp is not valid.")
		}
		rule.SourceCidrIp = cidr // SourceCidrIp wins over SourceGroupId
	case group != "":
		src, ok := st.SecurityGroup(group)
		switch {
		case !ok:
			return ECSRule{}, Errorf(http.StatusNotFound, "InvalidSourceGroupId.NotFound", "The SourceGroupId provided does not exist in our records.")
		case src.ID == g.ID:
			return ECSRule{}, Errorf(http.StatusBadRequest, "InvalidParamter.Conflict", "The specified SecurityGroupId should be different from the SourceGroupId.")
		case src.VpcID != g.VpcID:
			return ECSRule{}, Errorf(http.StatusBadRequest, "InvalidSourceGroupId.Mismatch", "Specified security group and source group are not in the same VPC.")
		}
		rule.SourceGroupID = group
	case p["Ipv6SourceCidrIp"] != "" || p["SourcePrefixListId"] != "":
		return ECSRule{}, Errorf(http.StatusBadRequest, "InvalidParameter", "IPv6 sources and prefix lists are not supported by this fake cloud.")
	default:
		return ECSRule{}, Errorf(http.StatusBadRequest, "MissingParameter.Source", "One of the parameters SourceCidrIp, Ipv6SourceCidrIp, SourceGroupId or SourcePrefixListId in Permissions must be specified.")
	}
	return rule, nil
}

// sameRule reports whether two rules are the same rule (the description
// does not count).
func sameRule(a, b ECSRule) bool {
	return a.Direction == b.Direction && a.IpProtocol == b.IpProtocol && a.PortRange == b.PortRange &&
		a.SourceCidrIp == b.SourceCidrIp && a.SourceGroupID == b.SourceGroupID && a.DestCidrIp == b.DestCidrIp &&
		a.Policy == b.Policy && a.Priority == b.Priority && a.NicType == b.NicType
}

func ecsAuthorizeSecurityGroup(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	g, err := lookupGroup(st, r)
	if err != nil {
		return nil, err
	}
	perms, err := permissions(r)
	if err != nil {
		return nil, err
	}
	if len(perms) == 0 {
		return nil, MissingParameter("Permissions")
	}
	var add []ECSRule
	for _, p := range perms {
		rule, err := ruleFrom(st, g, p)
		if err != nil {
			return nil, err
		}
		for _, x := range add {
			if sameRule(x, rule) {
				return nil, Errorf(http.StatusBadRequest, "InvalidParam.DuplicatePermissions", "There are duplicate permissions in the specified parameter Permissions.")
			}
		}
		add = append(add, rule)
	}
	var created []ECSRule
	for _, rule := range add {
		exists := false
		for _, x := range g.Rules {
			if sameRule(x, rule) {
				exists = true // the call succeeds; no second rule is created
				break
			}
		}
		if !exists {
			created = append(created, rule)
		}
	}
	if len(g.Rules)+len(created) > sgRulesMax {
		return nil, Errorf(http.StatusBadRequest, "AuthorizationLimitExceed", "The number of rules in security group %s would exceed %d.", g.ID, sgRulesMax)
	}
	for _, rule := range created {
		rule.ID = st.ruleID()
		g.Rules = append(g.Rules, rule)
	}
	return &ecs.AuthorizeSecurityGroupResponseBody{}, nil
}

func ecsRevokeSecurityGroup(st *State, r *Request) (any, error) {
	if err := checkRegion(st, r); err != nil {
		return nil, err
	}
	g, err := lookupGroup(st, r)
	if err != nil {
		return nil, err
	}
	ids := r.List("SecurityGroupRuleId")
	perms, err := permissions(r)
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 && len(perms) > 0 {
		return nil, Errorf(http.StatusBadRequest, "InvalidParam.Permissions", "The specified parameter Permissions cannot coexist with SecurityGroupRuleId.")
	}
	if len(ids) == 0 && len(perms) == 0 {
		return nil, MissingParameter("SecurityGroupRuleId")
	}
	if len(ids) > sgPermissionsMax {
		return nil, Errorf(http.StatusBadRequest, "InvalidParam.SecurityGroupRuleId", "The specified parameter SecurityGroupRuleId holds %d IDs; at most %d are allowed.", len(ids), sgPermissionsMax)
	}
	drop := map[int]bool{}
	seen := map[string]bool{}
	for _, id := range ids {
		if !strings.HasPrefix(id, "sgr-") {
			return nil, Errorf(http.StatusBadRequest, "InvalidParam.SecurityGroupRuleId", "The specified parameter SecurityGroupRuleId is not valid.")
		}
		if seen[id] {
			return nil, Errorf(http.StatusBadRequest, "InvalidParam.SecurityGroupRuleIdRepeated", "The specified parameter SecurityGroupRuleId is repeated.")
		}
		seen[id] = true
		i := ruleIndex(g, func(x ECSRule) bool { return x.ID == id && x.Direction == "ingress" })
		if i < 0 {
			return nil, Errorf(http.StatusNotFound, "InvalidSecurityGroupRuleId.NotFound", "The specified SecurityGroupRuleId %s is not exists.", id)
		}
		drop[i] = true
	}
	for _, p := range perms {
		rule, err := ruleFrom(st, g, p)
		if err != nil {
			return nil, err
		}
		i := ruleIndex(g, func(x ECSRule) bool { return sameRule(x, rule) })
		if i < 0 {
			return nil, Errorf(http.StatusBadRequest, "InvalidSecurityGroupRule.RuleNotExist", "The specified rule does not exist.")
		}
		drop[i] = true
	}
	kept := g.Rules[:0:0]
	for i, x := range g.Rules {
		if !drop[i] {
			kept = append(kept, x)
		}
	}
	g.Rules = kept
	return &ecs.RevokeSecurityGroupResponseBody{}, nil
}

func ruleIndex(g *ECSSecurityGroup, match func(ECSRule) bool) int {
	for i, x := range g.Rules {
		if match(x) {
			return i
		}
	}
	return -1
}
