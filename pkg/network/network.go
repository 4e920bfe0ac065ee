// Package network decides, from the inbound rules of the security groups of
// a stack's instances, whether the load balancer can reach the backends on
// backends.port, whether the backends can reach Redis, and whether either
// port is open to the whole Internet; and which rules the stack needs for
// the first two. It is a pure function of what inventory read: the planner
// turns its answer into actions (network.manage) or an error.
//
// The rule model is ECS's: an instance's inbound traffic is decided by the
// rules of all its security groups together, the rule with the smallest
// priority number first and, at the same priority, drop before accept; no
// matching rule drops. Instances sharing a basic group whose
// InnerAccessPolicy is Accept reach each other on every port.
package network

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// CLBSource is the range CLB's health checks and forwarded requests come
// from (Alibaba Cloud reserves 100.64.0.0/10 for it); backends must accept
// it on backends.port.
const CLBSource = "100.64.0.0/10"

// World is the address that stands for "anyone".
const World = "0.0.0.0/0"

// Input is what the check needs.
type Input struct {
	Stack  string
	Region string
	// LB is the load balancer; an ALB's LocalAddresses are where its traffic comes from.
	LB resource.LoadBalancer
	// Port is backends.port.
	Port     int
	Backends []resource.Instance
	// Redis is the instance Redis runs on (nil: none named), on RedisPort.
	Redis     *resource.Instance
	RedisPort int
	// Groups are the security groups of the backends and Redis, by ID.
	Groups map[string]resource.SecurityGroup
	// Own says whether the stack's own rules (described
	// resource.RuleDescription) count: false when the stack manages them, so
	// that the rules it needs are worked out as if it had none yet.
	Own bool
}

// Need is a rule the stack needs, and why.
type Need struct {
	GroupID string                `json:"groupId"`
	Rule    resource.SecurityRule `json:"rule"`
	// Why says who cannot reach what without it.
	Why string `json:"why"`
}

// Problem is something wsdeploy cannot fix: a rule it does not own blocks
// the traffic, or opens a port to the Internet.
type Problem struct {
	What string `json:"what"`
	// GroupID and RuleID name the rule at fault (when one is).
	GroupID string `json:"groupId,omitempty"`
	RuleID  string `json:"ruleId,omitempty"`
	Fix     string `json:"fix"`
}

// Result is the check's answer.
type Result struct {
	Needs    []Need
	Problems []Problem
}

// source is traffic that must get through: from an address block, or from
// an instance (its address and its groups).
type source struct {
	prefix netip.Prefix
	groups []string
}

// Check works out the rules the stack needs and the problems it cannot fix.
func Check(in Input) Result {
	var res Result
	groups := in.Groups
	if !in.Own {
		groups = withoutOwn(in.Groups, resource.RuleDescription(in.Stack))
	}
	type key struct{ group, source string }
	needs := map[key]*Need{}
	var order []key
	need := func(group string, src netip.Prefix, port int, who string, target resource.Instance) {
		k := key{group, src.String() + "/" + strconv.Itoa(port)}
		n, ok := needs[k]
		if !ok {
			n = &Need{GroupID: group, Rule: resource.SecurityRule{
				Protocol: "TCP", PortRange: resource.PortRange(port), SourceCidr: src.String(),
				Policy: "Accept", Priority: 1, Description: resource.RuleDescription(in.Stack),
			}}
			needs[k] = n
			order = append(order, k)
			n.Why = fmt.Sprintf("%s cannot reach port %d on %s", who, port, label(target))
			return
		}
		n.Why += ", " + label(target)
	}

	// The load balancer to each backend on backends.port.
	lbName := strings.ToUpper(in.LB.Type) + " " + in.LB.ID
	var lbSources []netip.Prefix
	if in.LB.Type == resource.CLB {
		lbSources = []netip.Prefix{netip.MustParsePrefix(CLBSource)}
	} else {
		for _, a := range in.LB.LocalAddresses {
			if ip, err := netip.ParseAddr(a); err == nil && ip.Is4() {
				lbSources = append(lbSources, netip.PrefixFrom(ip, 32))
			}
		}
		if len(lbSources) == 0 && len(in.Backends) > 0 {
			res.Problems = append(res.Problems, Problem{
				What: fmt.Sprintf("%s reports no local addresses, so wsdeploy cannot tell where its traffic to the backends comes from", lbName),
				Fix:  fmt.Sprintf("make sure the security groups of the backends accept TCP %d from the CIDR blocks of the ALB's vSwitches", in.Port),
			})
		}
	}
	for _, b := range in.Backends {
		for _, src := range lbSources {
			if ok, _ := allowed(groups, b, source{prefix: src}, in.Port); !ok {
				need(primary(b), src, in.Port, lbName, b)
			}
		}
	}
	// Each backend to Redis.
	if in.Redis != nil {
		for _, b := range in.Backends {
			ip, err := netip.ParseAddr(b.PrivateIP)
			if err != nil || b.ID == in.Redis.ID {
				continue
			}
			src := source{prefix: netip.PrefixFrom(ip, 32), groups: b.SecurityGroupIDs}
			if ok, _ := allowed(groups, *in.Redis, src, in.RedisPort); !ok {
				need(primary(*in.Redis), src.prefix, in.RedisPort, "backend "+label(b), *in.Redis)
			}
		}
	}
	for _, k := range order {
		res.Needs = append(res.Needs, *needs[k])
	}

	// With the needed rules added, is anything still blocked? Then a rule
	// wsdeploy does not own stands in the way.
	fixed := withNeeds(groups, res.Needs)
	blocked := map[string]bool{}
	block := func(target resource.Instance, src source, port int, who string) {
		ok, by := allowed(fixed, target, src, port)
		if ok || by == nil {
			return
		}
		k := by.GroupID + "/" + by.Rule.ID + "/" + target.ID
		if blocked[k] {
			return
		}
		blocked[k] = true
		res.Problems = append(res.Problems, Problem{
			What: fmt.Sprintf("%s cannot reach port %d on %s: rule %s of security group %s (%s, priority %d) drops it",
				who, port, label(target), by.Rule.ID, by.GroupID, by.Rule, by.Rule.Priority),
			GroupID: by.GroupID, RuleID: by.Rule.ID,
			Fix: fmt.Sprintf("wsdeploy never changes a rule it did not create: remove rule %s from %s or give it a priority number above %d", by.Rule.ID, by.GroupID, 1),
		})
	}
	for _, b := range in.Backends {
		for _, src := range lbSources {
			block(b, source{prefix: src}, in.Port, lbName)
		}
	}
	if in.Redis != nil {
		for _, b := range in.Backends {
			if ip, err := netip.ParseAddr(b.PrivateIP); err == nil && b.ID != in.Redis.ID {
				block(*in.Redis, source{prefix: netip.PrefixFrom(ip, 32), groups: b.SecurityGroupIDs}, in.RedisPort, "backend "+label(b))
			}
		}
	}

	// Ports open to the Internet: one problem per rule and port, naming the
	// instances it opens.
	type openKey struct {
		group string
		rule  resource.SecurityRule
		port  int
		what  string
	}
	var opens []openKey
	on := map[string][]string{}
	world := func(target resource.Instance, port int, what string) {
		for _, gid := range target.SecurityGroupIDs {
			for _, r := range in.Groups[gid].Rules {
				if r.Policy != "Accept" || r.SourceCidr != World || !protoTCP(r.Protocol) || !inRange(r.PortRange, port) {
					continue
				}
				k := gid + "/" + r.ID + "/" + strconv.Itoa(port)
				if _, ok := on[k]; !ok {
					opens = append(opens, openKey{gid, r, port, what})
				}
				on[k] = append(on[k], label(target))
			}
		}
	}
	for _, b := range in.Backends {
		world(b, in.Port, "backends.port")
	}
	if in.Redis != nil {
		world(*in.Redis, in.RedisPort, "Redis")
	}
	for _, o := range opens {
		k := o.group + "/" + o.rule.ID + "/" + strconv.Itoa(o.port)
		res.Problems = append(res.Problems, Problem{
			What: fmt.Sprintf("%s (port %d) on %s is open to %s: rule %s of security group %s accepts %s",
				o.what, o.port, strings.Join(on[k], ", "), World, o.rule.ID, o.group, o.rule),
			GroupID: o.group, RuleID: o.rule.ID,
			Fix: fmt.Sprintf("remove rule %s from %s (wsdeploy never changes a rule it did not create): `aliyun ecs RevokeSecurityGroup --RegionId %s --SecurityGroupId %s --SecurityGroupRuleId.1 %s`; the load balancer and the backends reach the port through the rules wsdeploy needs",
				o.rule.ID, o.group, in.Region, o.group, o.rule.ID),
		})
	}
	return res
}

// Owned lists the stack's own rules in groups, by group ID.
func Owned(groups map[string]resource.SecurityGroup, stack string) map[string][]resource.SecurityRule {
	out := map[string][]resource.SecurityRule{}
	for id, g := range groups {
		for _, r := range g.Rules {
			if r.Description == resource.RuleDescription(stack) {
				out[id] = append(out[id], r)
			}
		}
	}
	return out
}

// Same reports whether two rules let the same traffic through the same way
// (IDs and descriptions aside).
func Same(a, b resource.SecurityRule) bool {
	return strings.EqualFold(a.Protocol, b.Protocol) && a.PortRange == b.PortRange && a.SourceCidr == b.SourceCidr &&
		a.SourceGroupID == b.SourceGroupID && strings.EqualFold(a.Policy, b.Policy) && a.Priority == b.Priority
}

// label names an instance: "ECS01 (i-fake01)", or its ID.
func label(in resource.Instance) string {
	if in.Name == "" || in.Name == in.ID {
		return in.ID
	}
	return in.Name + " (" + in.ID + ")"
}

// primary is the group a needed rule goes in: the instance's first.
func primary(in resource.Instance) string {
	if len(in.SecurityGroupIDs) == 0 {
		return ""
	}
	return in.SecurityGroupIDs[0]
}

func withoutOwn(groups map[string]resource.SecurityGroup, desc string) map[string]resource.SecurityGroup {
	out := make(map[string]resource.SecurityGroup, len(groups))
	for id, g := range groups {
		c := g
		c.Rules = nil
		for _, r := range g.Rules {
			if r.Description != desc {
				c.Rules = append(c.Rules, r)
			}
		}
		out[id] = c
	}
	return out
}

func withNeeds(groups map[string]resource.SecurityGroup, needs []Need) map[string]resource.SecurityGroup {
	out := make(map[string]resource.SecurityGroup, len(groups))
	for id, g := range groups {
		c := g
		c.Rules = append([]resource.SecurityRule(nil), g.Rules...)
		out[id] = c
	}
	for _, n := range needs {
		g := out[n.GroupID]
		g.ID = n.GroupID
		g.Rules = append(g.Rules, n.Rule)
		out[n.GroupID] = g
	}
	return out
}

// decider is the rule that decided, and its group.
type decider struct {
	GroupID string
	Rule    resource.SecurityRule
}

// allowed reports whether src reaches target on TCP port, and which drop
// rule stops it when one does.
func allowed(groups map[string]resource.SecurityGroup, target resource.Instance, src source, port int) (bool, *decider) {
	for _, sg := range src.groups {
		if contains(target.SecurityGroupIDs, sg) && groups[sg].InnerAccessPolicy == "Accept" {
			return true, nil
		}
	}
	var rules []decider
	for _, gid := range target.SecurityGroupIDs {
		for _, r := range groups[gid].Rules {
			if protoTCP(r.Protocol) && inRange(r.PortRange, port) {
				rules = append(rules, decider{gid, r})
			}
		}
	}
	sort.SliceStable(rules, func(i, j int) bool {
		a, b := rules[i].Rule, rules[j].Rule
		if a.Priority != b.Priority {
			return a.Priority < b.Priority
		}
		return a.Policy == "Drop" && b.Policy != "Drop"
	})
	for _, d := range rules {
		r := d.Rule
		fromGroup := r.SourceGroupID != "" && contains(src.groups, r.SourceGroupID)
		var covers, overlaps bool
		if r.SourceCidr != "" {
			if p, err := parsePrefix(r.SourceCidr); err == nil {
				covers = p.Bits() <= src.prefix.Bits() && p.Contains(src.prefix.Addr())
				overlaps = p.Overlaps(src.prefix)
			}
		}
		if r.Policy == "Drop" && (fromGroup || overlaps) {
			return false, &d
		}
		if r.Policy != "Drop" && (fromGroup || covers) {
			return true, nil
		}
	}
	return false, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	return p.Masked(), err
}

func protoTCP(p string) bool { return strings.EqualFold(p, "TCP") || strings.EqualFold(p, "ALL") }

// inRange reports whether a PortRange ("a/b"; "-1/-1" is every port) holds port.
func inRange(pr string, port int) bool {
	a, b, ok := strings.Cut(pr, "/")
	if !ok {
		return false
	}
	lo, err1 := strconv.Atoi(a)
	hi, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil {
		return false
	}
	if lo == -1 && hi == -1 {
		return true
	}
	return lo <= port && port <= hi
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
