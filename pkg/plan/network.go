package plan

import (
	"sort"
	"strconv"
	"strings"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/network"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// KindSecurityRule is an inbound rule of a security group, described as the
// stack's (network.manage).
const KindSecurityRule = "security-group-rule"

// RuleStep adds or removes one inbound rule of a security group.
type RuleStep struct {
	GroupID string                `json:"groupId"`
	Rule    resource.SecurityRule `json:"rule"`
}

// networkActions checks the security groups of the stack's instances
// (network.Check) and plans the rules the stack needs: with network.manage,
// actions that add the missing ones and remove the stack's rules no longer
// needed; without it, an error naming each rule to add. What wsdeploy cannot
// fix (a rule it does not own drops the traffic, or opens a port to
// 0.0.0.0/0) is an error either way.
func networkActions(s *config.Stack, snap *inventory.Snapshot) ([]Action, error) {
	n := snap.Network
	manage := s.ManagesNetwork()
	res := network.Check(network.Input{
		Stack: s.Stack, Region: s.Region, LB: snap.LB, Port: s.Backends.Port, Backends: n.Backends,
		Redis: n.Redis, RedisPort: config.RedisPort, Groups: n.Groups, Own: !manage,
	})
	if !manage {
		if len(res.Needs)+len(res.Problems) > 0 {
			return nil, &network.Error{Region: s.Region, Missing: res.Needs, Problems: res.Problems}
		}
		return nil, nil
	}
	if len(res.Problems) > 0 {
		return nil, &network.Error{Region: s.Region, Problems: res.Problems, Manage: true}
	}
	owned := network.Owned(n.Groups, s.Stack)
	var out []Action
	for _, need := range res.Needs {
		have := false
		for _, r := range owned[need.GroupID] {
			have = have || network.Same(r, need.Rule)
		}
		if !have {
			out = append(out, ruleAction(Create, need.GroupID, need.Rule, need.Why))
		}
	}
	for _, gid := range sortedKeys(owned) {
		for _, r := range owned[gid] {
			needed := false
			for _, need := range res.Needs {
				needed = needed || (need.GroupID == gid && network.Same(r, need.Rule))
			}
			if !needed {
				out = append(out, ruleAction(Delete, gid, r, "no longer needed"))
			}
		}
	}
	return out, nil
}

// teardownRules removes every rule the stack marked, in every group read.
func teardownRules(s *config.Stack, snap *inventory.Snapshot) []Action {
	if snap.Network == nil {
		return nil
	}
	owned := network.Owned(snap.Network.Groups, s.Stack)
	var out []Action
	for _, gid := range sortedKeys(owned) {
		for _, r := range owned[gid] {
			out = append(out, ruleAction(Delete, gid, r, "teardown"))
		}
	}
	return out
}

func ruleAction(op Op, gid string, r resource.SecurityRule, reason string) Action {
	key := gid + ":" + strings.NewReplacer("/", "-", "@", "-").Replace(r.Protocol+":"+r.PortRange+":"+r.Source())
	a := Action{
		ID: Addr{Op: op, Kind: KindSecurityRule, Key: key, ID: r.ID}, Op: op, Kind: KindSecurityRule,
		Name: gid + " " + r.String(), Reason: reason, Rule: &RuleStep{GroupID: gid, Rule: r},
	}
	ch := []Change{{Field: "policy", New: r.Policy}, {Field: "priority", New: strconv.Itoa(r.Priority)}, {Field: "description", New: r.Description}}
	if op == Delete {
		ch = []Change{{Field: "rule", Old: r.ID}, {Field: "description", Old: r.Description}}
	}
	a.Changes = ch
	return a
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
