package network

import (
	"reflect"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

func rule(id, proto, ports, src, policy string, prio int) resource.SecurityRule {
	r := resource.SecurityRule{ID: id, Protocol: proto, PortRange: ports, Policy: policy, Priority: prio}
	if strings.HasPrefix(src, "sg-") {
		r.SourceGroupID = src
	} else {
		r.SourceCidr = src
	}
	return r
}

func TestCheck(t *testing.T) {
	web1 := resource.Instance{ID: "i-1", Name: "ECS01", PrivateIP: "192.168.0.11", SecurityGroupIDs: []string{"sg-web"}}
	web2 := resource.Instance{ID: "i-2", Name: "ECS02", PrivateIP: "192.168.0.12", SecurityGroupIDs: []string{"sg-web", "sg-extra"}}
	redis := resource.Instance{ID: "i-3", Name: "ECS03", PrivateIP: "192.168.0.13", SecurityGroupIDs: []string{"sg-redis"}}
	clb := resource.LoadBalancer{Type: "clb", ID: "lb-1"}
	own := resource.RuleDescription("chat")
	withDesc := func(r resource.SecurityRule, d string) resource.SecurityRule { r.Description = d; return r }

	cases := []struct {
		name      string
		groups    map[string]resource.SecurityGroup
		own       bool
		needs     []string // "group rule"
		problems  []string // substrings, in order
		redisNone bool
	}{
		{
			name: "nothing allowed: every rule is needed",
			groups: map[string]resource.SecurityGroup{
				"sg-web": {ID: "sg-web"}, "sg-extra": {ID: "sg-extra"}, "sg-redis": {ID: "sg-redis"},
			},
			needs: []string{
				"sg-web TCP 5000/5000 from 100.64.0.0/10",
				"sg-redis TCP 6379/6379 from 192.168.0.11/32",
				"sg-redis TCP 6379/6379 from 192.168.0.12/32",
			},
		},
		{
			name: "a wider block, a port range, a source group and ALL cover it",
			groups: map[string]resource.SecurityGroup{
				"sg-web":   {ID: "sg-web", Rules: []resource.SecurityRule{rule("r1", "TCP", "1/65535", "100.0.0.0/8", "Accept", 5)}},
				"sg-extra": {ID: "sg-extra"},
				"sg-redis": {ID: "sg-redis", Rules: []resource.SecurityRule{rule("r2", "ALL", "-1/-1", "sg-web", "Accept", 1)}},
			},
		},
		{
			name: "a narrower block does not cover the CLB range",
			groups: map[string]resource.SecurityGroup{
				"sg-web":   {ID: "sg-web", Rules: []resource.SecurityRule{rule("r1", "TCP", "5000/5000", "100.64.0.0/16", "Accept", 1)}},
				"sg-extra": {ID: "sg-extra"},
				"sg-redis": {ID: "sg-redis", InnerAccessPolicy: "Accept", Rules: []resource.SecurityRule{rule("r2", "TCP", "6379/6379", "192.168.0.0/24", "Accept", 1)}},
			},
			needs: []string{"sg-web TCP 5000/5000 from 100.64.0.0/10"},
		},
		{
			name: "a drop rule of higher priority wins over an accept; at equal priority drop wins",
			groups: map[string]resource.SecurityGroup{
				"sg-web": {ID: "sg-web", Rules: []resource.SecurityRule{
					rule("r1", "TCP", "5000/5000", "100.64.0.0/10", "Accept", 10),
					rule("r2", "TCP", "5000/5000", "100.64.1.0/24", "Drop", 5),
				}},
				"sg-extra": {ID: "sg-extra"},
				"sg-redis": {ID: "sg-redis", Rules: []resource.SecurityRule{
					rule("r3", "TCP", "6379/6379", "192.168.0.0/16", "Accept", 1),
					rule("r4", "TCP", "6379/6379", "192.168.0.12", "Drop", 1),
				}},
			},
			needs: []string{"sg-web TCP 5000/5000 from 100.64.0.0/10", "sg-redis TCP 6379/6379 from 192.168.0.12/32"},
			// With its accept at priority 1 the web rule gets through; the
			// Redis drop at priority 1 still wins: not fixable by wsdeploy.
			problems: []string{"backend ECS02 (i-2) cannot reach port 6379 on ECS03 (i-3): rule r4 of security group sg-redis"},
		},
		{
			name: "the stack's own rules are ignored when it manages them",
			groups: map[string]resource.SecurityGroup{
				"sg-web":   {ID: "sg-web", Rules: []resource.SecurityRule{withDesc(rule("r1", "TCP", "5000/5000", "100.64.0.0/10", "Accept", 1), own)}},
				"sg-extra": {ID: "sg-extra"},
				"sg-redis": {ID: "sg-redis", InnerAccessPolicy: "Accept"},
			},
			redisNone: true,
			needs:     []string{"sg-web TCP 5000/5000 from 100.64.0.0/10"},
		},
		{
			name: "and count when it does not",
			own:  true,
			groups: map[string]resource.SecurityGroup{
				"sg-web":   {ID: "sg-web", Rules: []resource.SecurityRule{withDesc(rule("r1", "TCP", "5000/5000", "100.64.0.0/10", "Accept", 1), own)}},
				"sg-extra": {ID: "sg-extra"},
			},
			redisNone: true,
		},
		{
			name: "open to the world, once per rule",
			groups: map[string]resource.SecurityGroup{
				"sg-web":   {ID: "sg-web", Rules: []resource.SecurityRule{rule("r1", "TCP", "5000/5000", "0.0.0.0/0", "Accept", 1)}},
				"sg-extra": {ID: "sg-extra", Rules: []resource.SecurityRule{rule("r9", "TCP", "5000/5000", "0.0.0.0/0", "Drop", 50)}},
				"sg-redis": {ID: "sg-redis", Rules: []resource.SecurityRule{rule("r2", "TCP", "6000/7000", "0.0.0.0/0", "Accept", 1)}},
			},
			problems: []string{
				"backends.port (port 5000) on ECS01 (i-1), ECS02 (i-2) is open to 0.0.0.0/0: rule r1 of security group sg-web",
				"Redis (port 6379) on ECS03 (i-3) is open to 0.0.0.0/0: rule r2 of security group sg-redis",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Stack: "chat", Region: "cn-hangzhou", LB: clb, Port: 5000, Backends: []resource.Instance{web1, web2},
				Redis: &redis, RedisPort: 6379, Groups: tc.groups, Own: tc.own}
			if tc.redisNone {
				in.Redis = nil
			}
			res := Check(in)
			var needs []string
			for _, n := range res.Needs {
				needs = append(needs, n.GroupID+" "+n.Rule.String())
				if n.Rule.Description != own || n.Rule.Priority != 1 || n.Rule.Policy != "Accept" {
					t.Errorf("need %v: want an accept rule at priority 1 described %q", n.Rule, own)
				}
			}
			if !reflect.DeepEqual(tc.needs, needs) {
				t.Errorf("needs:\n  got  %q\n  want %q", needs, tc.needs)
			}
			if len(res.Problems) != len(tc.problems) {
				t.Fatalf("problems: got %d, want %d: %+v", len(res.Problems), len(tc.problems), res.Problems)
			}
			for i, p := range res.Problems {
				if !strings.Contains(p.What, tc.problems[i]) {
					t.Errorf("problem %d: %q lacks %q", i, p.What, tc.problems[i])
				}
			}
		})
	}
}

func TestCheckALBWithoutAddresses(t *testing.T) {
	web := resource.Instance{ID: "i-1", PrivateIP: "192.168.0.11", SecurityGroupIDs: []string{"sg-web"}}
	res := Check(Input{Stack: "chat", LB: resource.LoadBalancer{Type: "alb", ID: "alb-1"}, Port: 5000,
		Backends: []resource.Instance{web}, Groups: map[string]resource.SecurityGroup{"sg-web": {ID: "sg-web"}}})
	if len(res.Needs) != 0 || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].What, "no local addresses") {
		t.Errorf("got %+v", res)
	}
}
