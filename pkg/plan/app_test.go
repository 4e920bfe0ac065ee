package plan

import (
	"errors"
	"strings"
	"testing"

	"github.com/wsdeploy/wsdeploy/pkg/config"
	"github.com/wsdeploy/wsdeploy/pkg/install"
	"github.com/wsdeploy/wsdeploy/pkg/inventory"
	"github.com/wsdeploy/wsdeploy/pkg/resource"
)

func deployStack() *config.Stack {
	s := stack()
	s.App = &config.App{Deploy: &config.Deploy{
		Wschat: &config.WschatRelease{Version: "v0.4.0"},
		Redis:  &config.RedisTarget{Instance: "ECS03"},
	}}
	return s
}

// withApp adds the app's instances to a snapshot: nothing installed yet.
func withApp(snap *inventory.Snapshot) *inventory.Snapshot {
	snap.App = &inventory.AppState{
		Redis: &resource.Instance{ID: "i-fake03", Name: "ECS03", PrivateIP: "10.0.0.13", Status: "Running"},
		Backends: []resource.Instance{
			{ID: "i-fake01", Name: "ECS01", PrivateIP: "10.0.0.11", Status: "Running"},
			{ID: "i-fake02", Name: "ECS02", PrivateIP: "10.0.0.12", Status: "Running"},
		},
		Agents: map[string]bool{"i-fake01": true, "i-fake02": true, "i-fake03": true},
	}
	return snap
}

// deployed marks every app instance with the tag a successful up of s writes.
func deployed(t *testing.T, s *config.Stack, snap *inventory.Snapshot) {
	t.Helper()
	p, err := Build(s, snap)
	if err != nil {
		t.Fatal(err)
	}
	snap.App.Secret = true
	key := resource.AppTagKey(s.Stack)
	for _, a := range p.Actions {
		if a.App == nil || a.App.InstanceID == "" {
			continue
		}
		for _, in := range append([]*resource.Instance{snap.App.Redis}, ptrs(snap.App.Backends)...) {
			if in.ID == a.App.InstanceID {
				in.Tags = map[string]string{key: a.App.Tag}
			}
		}
	}
}

func ptrs(xs []resource.Instance) []*resource.Instance {
	var out []*resource.Instance
	for i := range xs {
		out = append(out, &xs[i])
	}
	return out
}

func TestBuildAppFresh(t *testing.T) {
	s := deployStack()
	p, err := Build(s, withApp(empty(s)))
	if err != nil {
		t.Fatal(err)
	}
	secret := install.PasswordParameter("chat")
	want := "create:app-secret/" + secret + " create:redis/i-fake03 create:wschat/i-fake01 create:wschat/i-fake02 "
	if got := ids(p); !strings.HasPrefix(got, want) {
		t.Fatalf("actions:\n got %s\nwant %s…", got, want)
	}
	// Redis waits for its password; a first install runs wschat on both
	// backends at once, after Redis; every other step waits for both.
	want1 := map[int]string{1: p.Actions[0].ID.String(), 2: p.Actions[1].ID.String(), 3: p.Actions[1].ID.String()}
	for i := 1; i < 4; i++ {
		if got := joined(p.Actions[i].DependsOn); got != want1[i] {
			t.Errorf("%s depends on %q, want %s", p.Actions[i].ID, got, want1[i])
		}
	}
	for _, last := range []Addr{p.Actions[2].ID, p.Actions[3].ID} {
		for _, a := range p.Actions[4:] {
			if !dependsTransitively(p, a.ID, last) {
				t.Errorf("%s does not wait for %s: traffic could reach a backend before it is installed", a.ID, last)
			}
		}
	}
	for _, a := range p.Actions[:4] {
		if a.App.Drain != nil {
			t.Errorf("%s drains on a fresh deploy", a.ID)
		}
	}
	c := p.Actions[2].App.Command
	if !strings.Contains(c.Content, "{{oos-secret:"+secret+"}}") || !strings.Contains(c.Content, "10.0.0.13") {
		t.Errorf("wschat's command does not reference the password parameter and Redis's private address")
	}
	if p.Summary.Create < 4 {
		t.Errorf("summary %+v does not count the app's steps", p.Summary)
	}
}

func dependsTransitively(p *Plan, from, to Addr) bool {
	by := map[Addr]Action{}
	for _, a := range p.Actions {
		by[a.ID] = a
	}
	seen := map[Addr]bool{}
	var walk func(Addr) bool
	walk = func(x Addr) bool {
		if x == to {
			return true
		}
		if seen[x] {
			return false
		}
		seen[x] = true
		for _, d := range by[x].DependsOn {
			if walk(d) {
				return true
			}
		}
		return false
	}
	return walk(from)
}

func TestBuildAppConverged(t *testing.T) {
	s := deployStack()
	snap := withApp(converged(s))
	deployed(t, s, snap)
	p, err := Build(s, snap)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		t.Fatalf("a converged app plans %s", ids(p))
	}
}

func TestBuildAppVersionChangeRolls(t *testing.T) {
	s := deployStack()
	snap := withApp(converged(s))
	deployed(t, s, snap)
	s.App.Deploy.Wschat.Version = "v0.5.0"
	p, err := Build(s, snap)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(p), "update:wschat/i-fake01 update:wschat/i-fake02"; got != want {
		t.Fatalf("actions: got %s, want %s", got, want)
	}
	if got := joined(p.Actions[1].DependsOn); got != "update:wschat/i-fake01" {
		t.Errorf("the second backend depends on %q: the roll must go one backend at a time", got)
	}
	for _, a := range p.Actions {
		d := a.App.Drain
		if d == nil || d.Group.ID != "sgp-1" || d.Backend.InstanceID != a.App.InstanceID || d.Backend.Weight != 100 {
			t.Errorf("%s: drain %+v, want weight 0 in sgp-1 and 100 restored", a.ID, d)
		}
		if a.Changes[0] != (Change{Field: "version", Old: "v0.4.0", New: "v0.5.0"}) {
			t.Errorf("%s: first change %+v", a.ID, a.Changes[0])
		}
	}
}

func TestBuildAppMissingPasswordReinstalls(t *testing.T) {
	s := deployStack()
	snap := withApp(converged(s))
	deployed(t, s, snap)
	snap.App.Secret = false
	p, err := Build(s, snap)
	if err != nil {
		t.Fatal(err)
	}
	want := "create:app-secret/" + install.PasswordParameter("chat") + " update:redis/i-fake03 update:wschat/i-fake01 update:wschat/i-fake02"
	if got := ids(p); got != want {
		t.Fatalf("actions:\n got %s\nwant %s", got, want)
	}
}

func TestBuildAppAgentMissing(t *testing.T) {
	s := deployStack()
	snap := withApp(empty(s))
	snap.App.Agents["i-fake02"] = false
	delete(snap.App.Agents, "i-fake03")
	_, err := Build(s, snap)
	var ae *AgentError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want *AgentError", err)
	}
	if got := strings.Join(ae.IDs, ","); got != "i-fake03,i-fake02" {
		t.Errorf("instances %s, want i-fake03,i-fake02", got)
	}
	if !strings.Contains(err.Error(), "ECS02 (i-fake02)") || !strings.Contains(ae.Hint(), "InstallCloudAssistant") {
		t.Errorf("error %q / hint %q must name the instance and how to install the agent", err, ae.Hint())
	}
}

func TestBuildAppManagedRedis(t *testing.T) {
	s := deployStack()
	s.App.Deploy.Redis = &config.RedisTarget{URL: "rediss://wschat@r-bp1.redis.rds.aliyuncs.com:6380", PasswordSecret: "tair-pw"}
	snap := withApp(empty(s))
	snap.App.Redis = nil
	p, err := Build(s, snap)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range p.Actions {
		if a.Kind == KindRedis || a.Kind == KindAppSecret {
			t.Errorf("a managed Redis plans %s", a.ID)
		}
	}
	if got := ids(p); !strings.HasPrefix(got, "create:wschat/i-fake01 create:wschat/i-fake02 ") {
		t.Fatalf("actions %s", got)
	}
	c := p.Actions[0].App.Command.Content
	if !strings.Contains(c, "rediss://wschat:${REDIS_PASSWORD}@r-bp1.redis.rds.aliyuncs.com:6380/0") || !strings.Contains(c, "{{oos-secret:tair-pw}}") {
		t.Errorf("wschat's command does not point at the managed Redis with the user's parameter")
	}
}

func TestAppTeardown(t *testing.T) {
	s := deployStack()
	key := resource.AppTagKey(s.Stack)
	p := Teardown(s, converged(s))
	n := len(p.Actions)
	app := &inventory.AppState{Secret: true, Tagged: []resource.Instance{
		{ID: "i-fake03", Tags: map[string]string{key: "redis/-/abc"}},
		{ID: "i-fake01", Tags: map[string]string{key: "wschat/v0.4.0/abc"}},
		{ID: "i-other", Tags: map[string]string{key: "something else"}},
	}}
	if err := AddAppTeardown(p, s, app); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range p.Actions[n:] {
		got = append(got, a.ID.String())
	}
	want := "delete:wschat/i-fake01 delete:redis/i-fake03 delete:app-secret/" + install.PasswordParameter("chat")
	if strings.Join(got, " ") != want {
		t.Fatalf("app teardown:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if len(p.Actions[n].DependsOn) != n {
		t.Errorf("the first uninstall waits for %d steps, want all %d of the load balancer's and DNS's", len(p.Actions[n].DependsOn), n)
	}
}
