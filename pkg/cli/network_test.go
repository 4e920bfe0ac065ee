package cli_test

// Security groups (network:): plan reports, before any write, a load
// balancer that cannot reach backends.port, backends that cannot reach
// Redis, and those ports open to 0.0.0.0/0; network.manage lets up add
// exactly the missing rules and down remove exactly those. What happened is
// read from the fake's own state and request log.

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	albsdk "github.com/alibabacloud-go/alb-20200616/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/wsdeploy/wsdeploy/pkg/fakecloud"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

// netStack is the example stack with two backends, Redis on ECS03 and a
// network block; lb and manage vary.
func netStack(lb string, manage bool) string {
	m := "false"
	if manage {
		m = "true"
	}
	return `stack: chat
region: cn-hangzhou
lb: ` + lb + `
alb: {id: alb-fake01}
clb: {id: lb-fake01}
backends:
  port: 5000
  servers: [ECS01, ECS02]
listeners:
  - {protocol: HTTP, port: 5000, idleTimeout: 60, requestTimeout: 60}
app:
  deploy:
    wschat: {version: v0.4.0}
    redis: {instance: ECS03}
network: {manage: ` + m + `}
`
}

// netSeed is the demo world with the tutorial's layout: the app servers in
// sg-web, Redis in sg-redis, each with rules of its own (SSH from an office
// range), and extra rules per case.
func netSeed(web, redis []fakecloud.SeedSecurityRule) *fakecloud.Seed {
	s := fakecloud.DemoSeed()
	office := fakecloud.SeedSecurityRule{Protocol: "TCP", PortRange: "22/22", Source: "203.0.113.0/24", Description: "ssh from the office"}
	s.SecurityGroups = []fakecloud.SeedSecurityGroup{
		{ID: "sg-web", VpcID: "vpc-fake01", InnerAccessPolicy: "Drop", Rules: append([]fakecloud.SeedSecurityRule{office}, web...)},
		{ID: "sg-redis", VpcID: "vpc-fake01", InnerAccessPolicy: "Drop", Rules: append([]fakecloud.SeedSecurityRule{office}, redis...)},
		{ID: "sg-other", VpcID: "vpc-other01", Rules: []fakecloud.SeedSecurityRule{office}},
	}
	for i := range s.Instances {
		switch s.Instances[i].VpcID {
		case "vpc-other01":
			s.Instances[i].SecurityGroupIDs = []string{"sg-other"}
		case "vpc-fake01":
			s.Instances[i].SecurityGroupIDs = []string{"sg-web"}
		}
		if s.Instances[i].Name == "ECS03" {
			s.Instances[i].SecurityGroupIDs = []string{"sg-redis"}
		}
	}
	return s
}

// albLocal are alb-fake01's local addresses, read from the fake's answer.
func albLocal(t *testing.T, e *env) []string {
	t.Helper()
	var out []string
	for _, z := range albZoneAddresses(t, e) {
		out = append(out, z...)
	}
	if len(out) == 0 {
		t.Fatal("alb-fake01 has no local addresses")
	}
	return out
}

// sgWrites lists the security-group writes of a run.
func sgWrites(r result) []string {
	var out []string
	for _, w := range r.writes() {
		if strings.Contains(w, "SecurityGroup") {
			out = append(out, w)
		}
	}
	return out
}

// rulesOf splits a world's security groups into the stack's rules and the
// JSON of everything else (foreign rules, byte for byte).
func rulesOf(t *testing.T, st fakecloud.State) (own map[string][]fakecloud.ECSRule, foreign string) {
	t.Helper()
	own = map[string][]fakecloud.ECSRule{}
	var rest []fakecloud.ECSSecurityGroup
	for _, g := range st.ECS.SecurityGroups {
		c := g
		c.Rules = nil
		for _, r := range g.Rules {
			if r.Description == resource.RuleDescription("chat") {
				own[g.ID] = append(own[g.ID], r)
			} else {
				c.Rules = append(c.Rules, r)
			}
		}
		rest = append(rest, c)
	}
	b, err := json.Marshal(rest)
	if err != nil {
		t.Fatal(err)
	}
	return own, string(b)
}

// ruleSet is a comparable view of rules: "group TCP 5000/5000 from x".
func ruleSet(own map[string][]fakecloud.ECSRule) []string {
	var out []string
	for g, rs := range own {
		for _, r := range rs {
			src := r.SourceCidrIp
			if src == "" {
				src = r.SourceGroupID
			}
			out = append(out, g+" "+r.IpProtocol+" "+r.PortRange+" from "+src+" "+r.Policy)
		}
	}
	sortStrings(out)
	return out
}

func TestNetworkFindingsBeforeAnyWrite(t *testing.T) {
	lbFromCLB := fakecloud.SeedSecurityRule{Protocol: "TCP", PortRange: "5000/5000", Source: "100.64.0.0/10"}
	redisFromWeb := fakecloud.SeedSecurityRule{Protocol: "TCP", PortRange: "6379/6379", Source: "sg-web"}
	cases := []struct {
		name       string
		lb         string
		web, redis []fakecloud.SeedSecurityRule
		want       []string // in stderr
		golden     string
	}{
		{
			name: "clb cannot reach backends", lb: "clb", redis: []fakecloud.SeedSecurityRule{redisFromWeb},
			want:   []string{"CLB lb-fake01 cannot reach port 5000 on ECS01 (i-fake01), ECS02 (i-fake02): security group sg-web needs the inbound rule TCP 5000/5000 from 100.64.0.0/10", "--SecurityGroupId sg-web", "network: {manage: true}"},
			golden: "network/clb-unreachable.txt",
		},
		{
			name: "alb cannot reach backends", lb: "alb", redis: []fakecloud.SeedSecurityRule{redisFromWeb},
			want:   []string{"ALB alb-fake01 cannot reach port 5000 on ECS01 (i-fake01), ECS02 (i-fake02): security group sg-web needs the inbound rule TCP 5000/5000 from 10."},
			golden: "network/alb-unreachable.txt",
		},
		{
			name: "backends cannot reach redis", lb: "clb", web: []fakecloud.SeedSecurityRule{lbFromCLB},
			want: []string{
				"backend ECS01 (i-fake01) cannot reach port 6379 on ECS03 (i-fake03): security group sg-redis needs the inbound rule TCP 6379/6379 from 192.168.0.11/32",
				"backend ECS02 (i-fake02) cannot reach port 6379 on ECS03 (i-fake03): security group sg-redis needs the inbound rule TCP 6379/6379 from 192.168.0.12/32",
			},
			golden: "network/redis-unreachable.txt",
		},
		{
			name: "ports open to the internet", lb: "clb",
			web:   []fakecloud.SeedSecurityRule{lbFromCLB, {Protocol: "TCP", PortRange: "1/65535", Source: "0.0.0.0/0", Description: "everything"}},
			redis: []fakecloud.SeedSecurityRule{redisFromWeb, {Protocol: "ALL", Source: "0.0.0.0/0"}},
			want: []string{
				"backends.port (port 5000) on ECS01 (i-fake01), ECS02 (i-fake02) is open to 0.0.0.0/0",
				"Redis (port 6379) on ECS03 (i-fake03) is open to 0.0.0.0/0",
			},
			golden: "network/open-to-world.txt",
		},
	}
	for _, tc := range cases {
		for _, manage := range []bool{false, true} {
			if manage && tc.name != "ports open to the internet" {
				continue // managed, these are fixed by up (TestNetworkManage)
			}
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				e := newEnvSeed(t, netSeed(tc.web, tc.redis))
				e.write(netStack(tc.lb, manage))
				before := e.fc.Snapshot()
				for _, cmd := range []string{"plan", "up"} {
					args := []string{cmd}
					if cmd == "up" {
						args = append(args, "--yes")
					}
					r := e.run(args...)
					if r.code != 1 {
						t.Fatalf("%s: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", cmd, r.code, r.stdout, r.stderr)
					}
					if w := r.writes(); len(w) != 0 {
						t.Fatalf("%s made writes %v", cmd, w)
					}
					for _, want := range tc.want {
						if !strings.Contains(r.stderr, want) {
							t.Errorf("%s: stderr lacks %q:\n%s", cmd, want, r.stderr)
						}
					}
					if cmd == "plan" && !manage {
						goldenAt(t, tc.golden, r.stderr)
					}
				}
				if !reflect.DeepEqual(before.ECS, e.fc.Snapshot().ECS) {
					t.Error("the security groups changed")
				}
			})
		}
	}
}

func TestNetworkManage(t *testing.T) {
	for _, lb := range []string{"alb", "clb"} {
		t.Run(lb, func(t *testing.T) {
			t.Parallel()
			// A foreign rule the stack's rules look like (same port, another
			// source) and one exactly like one it needs, but not described as
			// the stack's: both stay, untouched.
			web := []fakecloud.SeedSecurityRule{{Protocol: "TCP", PortRange: "5000/5000", Source: "10.9.9.9/32", Description: "monitoring"}}
			redis := []fakecloud.SeedSecurityRule{{Protocol: "TCP", PortRange: "6379/6379", Source: "192.168.0.11/32", Description: "someone's"}}
			e := newEnvSeed(t, netSeed(web, redis))
			e.write(netStack(lb, true))
			_, foreign0 := rulesOf(t, e.fc.Snapshot())

			var lbSources []string
			if lb == "clb" {
				lbSources = []string{"100.64.0.0/10"}
			} else {
				for _, a := range albLocal(t, e) {
					lbSources = append(lbSources, a+"/32")
				}
			}
			var want []string
			for _, src := range lbSources {
				want = append(want, "sg-web TCP 5000/5000 from "+src+" Accept")
			}
			// ECS01 already reaches Redis through the foreign rule; ECS02 does not.
			want = append(want, "sg-redis TCP 6379/6379 from 192.168.0.12/32 Accept")
			sortStrings(want)

			plan := e.mustRun("plan")
			if len(plan.writes()) != 0 {
				t.Fatalf("plan wrote %v", plan.writes())
			}
			for _, w := range want {
				f := strings.Fields(w)
				if !strings.Contains(plan.stdout, "+ security-group-rule "+f[0]+" "+f[1]+" "+f[2]+" from "+f[4]) {
					t.Errorf("plan does not show the rule %s:\n%s", w, plan.stdout)
				}
			}
			if lb == "clb" {
				goldenAt(t, "network/clb-manage-plan.txt", plan.stdout)
			}

			up := e.mustRun("up", "--yes")
			own, foreign := rulesOf(t, e.fc.Snapshot())
			if got := ruleSet(own); !reflect.DeepEqual(got, want) {
				t.Errorf("after up the stack's rules are\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if foreign != foreign0 {
				t.Errorf("up changed rules it does not own:\nbefore %s\nafter  %s", foreign0, foreign)
			}
			if n := len(sgWrites(up)); n != len(want) {
				t.Errorf("up made %d security-group writes, want %d: %v", n, len(want), sgWrites(up))
			}

			again := e.mustRun("up", "--yes")
			if w := sgWrites(again); len(w) != 0 {
				t.Errorf("a converged up made security-group writes: %v", w)
			}
			if !strings.Contains(again.stderr+again.stdout, "No changes") {
				t.Errorf("a converged up is not a no-op:\n%s\n%s", again.stdout, again.stderr)
			}

			down := e.mustRun("down", "--yes")
			own, foreign = rulesOf(t, e.fc.Snapshot())
			if len(own) != 0 {
				t.Errorf("down left the stack's rules %v", ruleSet(own))
			}
			if foreign != foreign0 {
				t.Errorf("down changed rules it does not own:\nbefore %s\nafter  %s", foreign0, foreign)
			}
			if n := len(sgWrites(down)); n != len(want) {
				t.Errorf("down made %d security-group writes, want %d: %v", n, len(want), sgWrites(down))
			}
		})
	}
}

// TestNetworkOptional: without a network block nothing about security
// groups is read or written (the default group of a seed without any keeps
// the demo working as before).
func TestNetworkOptional(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustRun("up", "--yes")
	for _, c := range r.calls {
		if strings.Contains(c.Action, "SecurityGroup") {
			t.Errorf("up without network: called %s", c.Action)
		}
	}
}

// albZoneAddresses asks the fake, through the ALB SDK, for alb-fake01's
// local addresses, zone by zone.
func albZoneAddresses(t *testing.T, e *env) [][]string {
	t.Helper()
	c, err := albsdk.NewClient(&openapiutil.Config{
		Endpoint: tea.String(e.fc.Endpoint()), Protocol: tea.String("HTTP"), RegionId: tea.String("cn-hangzhou"),
		AccessKeyId: tea.String("fake-ak"), AccessKeySecret: tea.String("fake-secret"),
	})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.GetLoadBalancerAttribute(&albsdk.GetLoadBalancerAttributeRequest{LoadBalancerId: tea.String("alb-fake01")})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, z := range resp.Body.ZoneMappings {
		var zone []string
		for _, a := range z.LoadBalancerAddresses {
			zone = append(zone, tea.StringSliceValue(a.Ipv4LocalAddresses)...)
		}
		out = append(out, zone)
	}
	return out
}

func sortStrings(s []string) { sort.Strings(s) }
